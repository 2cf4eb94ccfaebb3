"""A spending table whose amounts are 100 times off (yuan typed as whole numbers under
``insurance_paid_fen``, the county's sheet being in yuan) settles, but with a warning
naming the column and the likely yuan/fen mix-up (session 19 user review, F2: it settled
silently at 5.95 yuan per insured person a year, 99 % of the budget left over).

Worked by hand on the example tables, 2018 under sanming: premium 640 yuan x 1.06 =
678.40 yuan per insured person; 347,520 insured; global budget 216,896,962.56 yuan. The
charged spending (consortium + outside the county) is 21,197,401,323 fen; with every fen
amount divided by 100 and truncated (yuan typed as whole numbers), 211,973,999 fen =
2,119,739.99 yuan, i.e. 6.10 yuan per insured person (0.90 % of the premium), and the
balance 214,777,222.57 yuan = 99.0 % of the budget.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
runner = CliRunner()
FEN = ("insurance_paid_fen", "total_cost_fen", "out_of_pocket_fen")


def _yuan_in_fen_columns(tmp_path: Path, fen=lambda v: v // 100) -> Path:
    """The example spending with every fen amount ``fen(amount)``: by default yuan
    typed as whole numbers in the fen columns."""
    rows = list(csv.DictReader((EX / "spending.csv").open(encoding="utf-8")))
    path = tmp_path / "spending_yuan_typed.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: str(fen(int(v))) if k in FEN and v else v for k, v in row.items()})
    return path


def _yuan_column(tmp_path: Path, name: str, yuan) -> Path:
    """The example spending's insurance-paid amounts alone, written ``yuan(fen)`` under
    ``insurance_paid_yuan``."""
    rows = list(csv.DictReader((EX / "spending.csv").open(encoding="utf-8")))
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["year", "setting", "institution_id", "insurance_paid_yuan"])
        for row in rows:
            writer.writerow([row["year"], row["setting"], row["institution_id"],
                             yuan(int(row["insurance_paid_fen"]))])  # fmt: skip
    return path


def _settle(spending: Path, *extra: str):
    args = ["payment", "settle", "--year", "2018", "--spending", str(spending)]
    args += ["--population", str(EX / "population.csv"), "--assume-passed", *extra]
    return runner.invoke(app, args)


@pytest.mark.usefixtures("former_sanming_rules")
def test_yuan_typed_in_the_fen_column_settles_with_a_warning(tmp_path):
    path = _yuan_in_fen_columns(tmp_path)
    r = _settle(path, "--json")
    assert r.exit_code == 0, r.output  # a warning, not a refusal
    out = json.loads(r.stdout)
    assert out["figures"]["charged_fen"] == 211_973_999
    (warned,) = [n for n in out["notes"] if "per insured person" in n]
    assert "6.10 yuan per insured person" in warned
    assert "under 1% of the premium of 678.40 yuan" in warned
    assert "balance is 99.0% of the global budget" in warned
    assert f"column 'insurance_paid_fen' of {path}" in warned
    assert "yuan typed as whole numbers" in warned and "insurance_paid_yuan" in warned
    assert "note: " in r.stderr and "6.10 yuan per insured person" in " ".join(r.stderr.split())
    # the table too
    r = _settle(path)
    assert r.exit_code == 0, r.output
    assert "6.10 yuan per insured person" in " ".join(r.output.split())


def test_the_example_tables_settle_without_it():
    # 211,974,013.23 yuan charged on a 216,896,962.56 budget: 609.96 yuan per insured
    # person, a 2.3 % balance
    r = _settle(EX / "spending.csv", "--json")
    assert r.exit_code == 0, r.output
    assert not [n for n in json.loads(r.stdout)["notes"] if "per insured person" in n]
    assert "per insured person" not in r.stderr


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_balance_over_half_the_budget_is_warned_alone(tmp_path):
    # 45 % of the example's spending (a table of under half the year, say): charged
    # 211,974,013.23 x 0.45 ~ 95.4 M yuan on the 216.9 M budget, a balance of ~56 %;
    # 274 yuan per insured person is no unit slip
    r = _settle(_yuan_in_fen_columns(tmp_path, lambda v: v * 45 // 100), "--json")
    assert r.exit_code == 0, r.output
    (warned,) = [n for n in json.loads(r.stdout)["notes"] if "global budget" in n]
    assert warned.startswith("The balance is 56.0% of the global budget")
    assert "per insured person" not in warned and "covers the whole year" in warned


@pytest.mark.usefixtures("former_sanming_rules")
def test_fen_typed_in_the_yuan_column_is_warned(tmp_path):
    # the reverse slip: fen read as yuan, 100 times the spending -- 211,974,013.23 yuan
    # x 100 on the 216,896,962.56 budget is 98 budgets
    path = _yuan_column(tmp_path, "fen_as_yuan.csv", str)
    r = _settle(path, "--json")
    assert r.exit_code == 0, r.output
    (warned,) = [n for n in json.loads(r.stdout)["notes"] if "global budget" in n]
    # 2,119,740,132,300 / 21,689,696,256 = 97.730..., shown to one decimal
    assert warned.startswith("Charged spending is 97.7 times the global budget in 2018")
    assert f"column 'insurance_paid_yuan' of {path}" in warned


def test_wan_yuan_in_the_yuan_column_is_named_as_such(tmp_path):
    # 万元 typed under insurance_paid_yuan (session-19 review): 211,974,013.23 yuan is
    # 21,197.40 万元, read as 21,197.40 yuan: 0.06 yuan per insured person. The slip is
    # 10,000 times, not the yuan-as-fen 100 times the fen column's warning names.
    # fen / 1,000,000 = 万元, to 2 decimals
    path = _yuan_column(
        tmp_path, "wan_as_yuan.csv", lambda fen: f"{fen // 1_000_000}.{fen // 10_000 % 100:02d}"
    )
    r = _settle(path, "--json")
    assert r.exit_code == 0, r.output
    (warned,) = [n for n in json.loads(r.stdout)["notes"] if "per insured person" in n]
    assert "万元 (10,000 yuan)" in warned and "10,000 times too small" in warned
    assert "yuan belong in" not in warned


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_times_shown_round_half_up(tmp_path):
    # one consortium row of 12.25 budgets: 21,689,696,256 fen x 49/4 = 265,698,779,136 fen
    # (2018's budget, worked in the module docstring). Half up to one decimal: 12.3 times
    # (the former "{:.0f}" said 12; half-even to one decimal says 12.2)
    path = tmp_path / "twelve_budgets.csv"
    path.write_text(
        "year,setting,institution_id,insurance_paid_fen\n2018,consortium,CH01,265698779136\n",
        encoding="utf-8",
    )
    r = _settle(path, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["figures"]["charged_fen"] == 265_698_779_136
    (warned,) = [n for n in out["notes"] if "global budget" in n]
    assert warned.startswith("Charged spending is 12.3 times the global budget in 2018")


def test_times_shown_keeps_a_small_ratio_and_rounds_half_up():
    from decimal import Decimal

    from ihms.payment.money import times_shown

    assert times_shown(Decimal("0.4")) == "0.4"  # "{:.0f}" gave "0"
    assert times_shown(Decimal("1.5")) == "1.5"
    assert times_shown(Decimal("0.25")) == "0.3"  # half up; "{:.1f}" gives "0.2"
    assert times_shown(Decimal("1911") / 12, places=2) == "159.25"
    assert times_shown(Decimal("1234.56")) == "1,234.6"
