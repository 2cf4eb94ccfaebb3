"""``ihms payment settle`` over several years (``--year`` repeated, as ``payment budget``):
a settlement each, its tables in year order, ``--json`` a list of what settling each
year alone gives, ``--out`` every year's tables, ``--ledger`` every year posted; a year
the data lacks refused, naming it, before anything is posted or written.

Golden figures, worked by hand from examples/payment (population.csv, spending.csv) and
the sanming rule set (premium 640.00 yuan in 2017 grown 6 % a year, rounded half up; 3 %
reserved for private hospitals, 5 % for the risk-adjustment fund; the whole balance kept
when the assessment passes; 16 % of it to the staff incentive pool, to the fen):

- 2018: 347,520 insured × 678.40 (640 × 1.06) = 235,757,568.00; less 7,072,727.04 (3 %)
  and 11,787,878.40 (5 %) = a budget of 216,896,962.56. Charged: the 27 consortium rows,
  169,974,013.23, + outside the county 30,240,000.00 + 11,760,000.00 = 211,974,013.23.
  Balance 216,896,962.56 − 211,974,013.23 = 4,922,949.33, all kept; pool
  4,922,949.33 × 0.16 = 787,671.8928 → 787,671.89. The insurer's outlay: charged +
  private care (6,500,000.00) + kept = 223,396,962.56.
- 2019: 348,480 × 719.10 (640 × 1.06² = 719.104) = 250,591,968.00; less 7,517,759.04 and
  12,529,598.40 = 230,544,610.56. Charged 180,311,291.31 + 39,000,000.00 =
  219,311,291.31 (outside: 28,080,000.00 + 10,920,000.00). Balance 11,233,319.25, all kept; pool × 0.16 = 1,797,331.08; outlay
  219,311,291.31 + 6,800,000.00 + 11,233,319.25 = 237,344,610.56.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import Ledger

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TABLES = [
    "--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv"),
    "--indicators", str(EX / "indicators.csv"),
]  # fmt: skip
#: (year, budget, consortium, charged, balance, pool, outlay), fen, worked above
GOLDEN = [
    (2018, 21_689_696_256, 16_997_401_323, 21_197_401_323, 492_294_933, 78_767_189,
     22_339_696_256),
    (2019, 23_054_461_056, 18_031_129_131, 21_931_129_131, 1_123_331_925, 179_733_108,
     23_734_461_056),
]  # fmt: skip


def _settle(*args: str):
    return runner.invoke(app, ["payment", "settle", *TABLES, *args])


def _said(text: str) -> str:
    return " ".join(re.sub(r"[│┃]", " ", text).split())


def test_the_consortium_spending_worked_above_is_the_example_files():
    # the 27 consortium rows of each year, summed apart from the library
    with open(EX / "spending.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["setting"] == "consortium"]
    for year, _, consortium, *_ in GOLDEN:
        mine = [int(r["insurance_paid_fen"]) for r in rows if r["year"] == str(year)]
        assert (len(mine), sum(mine)) == (27, consortium)


@pytest.mark.usefixtures("former_sanming_rules")
def test_several_years_json_is_a_list_in_year_order_each_what_settling_it_alone_gives():
    r = _settle("--year", "2019", "--year", "2018", "--year", "2019", "--json")
    assert r.exit_code == 0, r.output
    given = json.loads(r.stdout)
    assert [s["year"] for s in given] == [2018, 2019]  # sorted, a year repeated once
    for settled, (year, budget, consortium, charged, balance, pool, outlay) in zip(
        given, GOLDEN, strict=True
    ):
        f = settled["figures"]
        assert (f["year"], f["global_budget_fen"], f["consortium_fen"]) == (
            year,
            budget,
            consortium,
        )
        assert (f["charged_fen"], f["balance_fen"], f["retained_fen"]) == (
            charged,
            balance,
            balance,
        )
        assert (f["staff_incentive_fen"], f["insurer_outlay_fen"]) == (pool, outlay)
        alone = json.loads(_settle("--year", str(year), "--json").stdout)
        assert settled == alone


@pytest.mark.usefixtures("former_sanming_rules")
def test_several_years_print_each_years_tables_in_year_order():
    r = _settle("--year", "2019", "--year", "2018")
    assert r.exit_code == 0, r.output
    said = _said(r.stdout)
    first, second = said.index("Settlement 2018"), said.index("Settlement 2019")
    assert first < second
    for figure in ("216,896,962.56", "4,922,949.33", "787,671.89", "223,396,962.56"):
        assert figure in said[first:second]
    for figure in ("230,544,610.56", "11,233,319.25", "1,797,331.08", "237,344,610.56"):
        assert figure in said[second:]
    # each year's assessment follows its settlement
    assert said.count("director scorecard, consortium") == 2


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_year_the_data_lacks_is_named_and_nothing_is_posted_or_written(tmp_path):
    out, ledger = tmp_path / "s.xlsx", tmp_path / "books" / "ledger.sqlite"
    r = _settle(
        "--year", "2018", "--year", "2021", "--year", "2020",
        "--out", str(out), "--ledger", str(ledger),
    )  # fmt: skip
    assert r.exit_code != 0
    said = " ".join(r.output.split())
    assert "cannot settle 2018, 2020, 2021" in said
    assert "spending.csv: no spending data for 2020, 2021 (years present: 2016, 2017, 2018, 2019)" in said  # fmt: skip
    assert "population.csv: no population for 2020, 2021" in said
    assert not out.exists() and not ledger.parent.exists()
    # a year the rules cannot budget (sanming's premium starts in 2017) also stops all
    r = _settle("--year", "2016", "--year", "2018", "--out", str(out), "--ledger", str(ledger))
    assert r.exit_code != 0 and "year 2016 is before the base year 2017" in r.output
    assert not out.exists() and not ledger.parent.exists()


@pytest.mark.usefixtures("former_sanming_rules")
def test_out_holds_every_years_tables(tmp_path):
    out = tmp_path / "settled.xlsx"
    r = _settle("--year", "2018", "--year", "2019", "--steps", "--out", str(out))
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "settlement_2018", "assessment_2018", "working_2018",
        "settlement_2019", "assessment_2019", "working_2019",
    ]  # fmt: skip
    cells = [c for row in book["settlement_2019"].iter_rows(values_only=True) for c in row]
    assert cells[0] == "Settlement 2019 (Sanming IMPM)"
    assert 11_233_319.25 in cells  # the balance, a number cell to the fen
    first = tmp_path / "settled.csv"
    r = _settle("--year", "2018", "--year", "2019", "--out", str(first))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.glob("settled*.csv")) == [
        "settled-assessment_2018.csv", "settled-assessment_2019.csv", "settled-notes.csv",
        "settled-settlement_2019.csv", "settled.csv",
    ]  # fmt: skip
    with open(first, encoding="utf-8-sig") as f:
        assert "4922949.33" in f.read()  # 2018's balance, exact


@pytest.mark.usefixtures("former_sanming_rules")
def test_ledger_posts_every_year_and_a_rerun_changes_nothing(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    r = _settle("--year", "2018", "--year", "2019", "--ledger", str(ledger))
    assert r.exit_code == 0, r.output
    said = " ".join(r.stdout.split())
    assert f"ledger {ledger}, 2018: posted" in said and f"ledger {ledger}, 2019: posted" in said
    with Ledger(ledger, read_only=True) as led:
        for year, *_, balance, pool, _outlay in GOLDEN:
            assert led.audit(year).passed
            assert len(led.batches(year=year)) == 1
            net = led.balances(year=year).set_index("account")["net_fen"]
            uses = net[net.index.str.startswith("consortium:use:")]
            # the kept balance, split by use; the staff's use is the pool
            assert (int(uses.sum()), int(net["consortium:use:staff_incentive"])) == (
                balance,
                pool,
            )
    again = _settle("--year", "2018", "--year", "2019", "--ledger", str(ledger), "--json")
    assert [s["ledger"]["status"] for s in json.loads(again.stdout)] == ["unchanged"] * 2


@pytest.mark.usefixtures("former_sanming_rules")
def test_stderr_notes_name_their_year_and_one_quality_score_is_for_one_year():
    staff = ["--staff", str(EX / "staff.csv")]
    r = _settle(*staff, "--year", "2018", "--year", "2019")
    assert r.exit_code == 0, r.output
    said = " ".join(r.stderr.split())
    assert "2018: Incentive above 1 × the base salary for 1 of the 12 staff" in said
    assert "2019: Incentive above 1 × the base salary for 5 of the 12 staff" in said
    deqing = ["--rules", "deqing-shared-savings"]
    r = _settle(*deqing, "--year", "2018", "--year", "2019", "--quality-score", "0.9")
    assert r.exit_code != 0
    assert "--quality-score gives one year's score, but 2 years are settled" in " ".join(
        r.output.split()
    )
