"""``ihms payment track`` on the example's monthly spending file
(examples/payment/monthly_spending.csv, written by the example's generate.py) and
population.csv, sanming rules, 2018 to June.

Worked by hand for March 2018 (the charged settings: consortium and outside the county;
private care is paid from its reserve):

- budget 2018: 216,896,962.56 yuan (test_settle_years: 347,520 × 678.40 less 3 % and 5 %);
- to date, January to March 2018: 5,299,350,334 fen = 52,993,503.34 yuan; used
  52,993,503.34 / 216,896,962.56 = 24.432…% → 24.43; elapsed 3/12 = 25.00; pace −0.57 pp;
- the profile of 2017 (the only full year in the file): 5,253,803,743 fen of its
  21,015,214,937 paid January to March, 25.0000…% (the season's 95 + 70 + 85 per mille,
  to the fen's largest remainder);
- projected: to date ÷ that share = 5,299,350,334 × 21,015,214,937 / 5,253,803,743 =
  21,197,401,300.697 fen → 21,197,401,301 (half up) = 211,974,013.01 yuan; balance
  21,689,696,256 − 21,197,401,301 = 492,294,955 fen = 4,922,949.55 yuan, not over budget.

The file's 2017 months add up to spending.csv's 2017, institution by institution.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
ARGS = [
    "payment", "track", "--spending", str(EX / "monthly_spending.csv"),
    "--population", str(EX / "population.csv"), "--year", "2018", "--through", "2018-06",
]  # fmt: skip


def _rows(name: str) -> list[dict]:
    with open(EX / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _paid(rows, year: int, months) -> int:
    return sum(
        int(r["insurance_paid_fen"])
        for r in rows
        if r["setting"] != "private"
        and r["month"].startswith(f"{year}-")
        and int(r["month"][5:]) in months
    )


def test_the_monthly_file_is_the_yearly_example_paid_month_by_month():
    monthly, yearly = _rows("monthly_spending.csv"), _rows("spending.csv")
    summed: Counter = Counter()
    for r in monthly:
        if r["month"].startswith("2017-"):
            summed[r["setting"], r["institution_id"]] += int(r["insurance_paid_fen"])
    assert summed == {
        (r["setting"], r["institution_id"]): int(r["insurance_paid_fen"])
        for r in yearly
        if r["year"] == "2017"
    }
    assert sorted({r["month"] for r in monthly})[-1] == "2018-06"
    # the figures the docstring works from
    assert _paid(monthly, 2017, range(1, 13)) == 21_015_214_937
    assert _paid(monthly, 2017, range(1, 4)) == 5_253_803_743
    assert _paid(monthly, 2018, range(1, 4)) == 5_299_350_334


@pytest.mark.usefixtures("former_sanming_rules")
def test_track_runs_on_the_file_and_projects_march_as_worked_by_hand():
    r = CliRunner().invoke(app, [*ARGS, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["counties"][0]["projection"] == "profile"
    assert out["counties"][0]["profile_years"] == [2017]
    march = next(m for m in out["months"] if m["month"] == "2018-03")
    assert march["budget_fen"] == 21_689_696_256
    assert march["to_date_fen"] == 5_299_350_334
    assert (march["used_pct"], march["elapsed_pct"], march["pace_pp"]) == (
        "24.43",
        "25.00",
        "-0.57",
    )
    assert march["expected_pct"] == "25.00"
    assert march["projected_fen"] == 21_197_401_301
    assert march["projected_balance_fen"] == 492_294_955
    assert march["over_budget"] is False
    # June, as README's payment section states it
    june = out["months"][-1]
    assert (june["month"], june["used_pct"], june["elapsed_pct"]) == ("2018-06", "47.89", "50.00")
    assert (june["projected_fen"], june["projected_balance_fen"]) == (21_197_401_339, 492_294_917)
    printed = CliRunner().invoke(app, ARGS)
    assert printed.exit_code == 0, printed.output
    said = " ".join(printed.stdout.split())
    assert "211,974,013.01" in said and "4,922,949.55" in said
    assert "projected from the monthly profile of 2017" in said
