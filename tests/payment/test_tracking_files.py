"""In-year budget tracking from a monthly spending table and a population table
(``ihms payment track --spending --population``), worked by hand.

The county: 100 insured in 2018, so sanming's budget is 100 × 678.40 yuan (640.00 grown
6 %) = 67,840.00 yuan pooled, less 3 % and 5 % = 62,412.80 yuan (6,241,280 fen; the
``global_budget`` docstring's figure). Monthly insurance paid, in fen:

- 2017: every month CH01 400,000 at the consortium and 100,000 outside the county
  (charged: 500,000), March CH01 1,000,000 (charged 1,100,000); private 50,000 a month,
  left out. The year 6,600,000 charged, January to March 2,100,000: a share of 7/22.
- 2018: January 600,000 + 100,000 outside, February 600,000, March 700,000: 2,000,000.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, InputError
from ihms.payment import (
    MonthlySpendingTable,
    PopulationTable,
    tracking_from_tables,
)

from .conftest import former_sanming

runner = CliRunner()
# the figures here were worked by hand with the premium before session 36 (640 yuan in
# 2017 grown 6 %): the former rule text (conftest.former_sanming_rules says why)
SANMING = former_sanming()


def _rows() -> list[str]:
    rows = ["month,setting,institution_id,insurance_paid_fen"]
    for m in range(1, 13):
        rows.append(f"2017-{m:02d},consortium,CH01,{1_000_000 if m == 3 else 400_000}")
        rows.append(f"2017-{m:02d},outside_county,,100000")
        rows.append(f"2017-{m:02d},private,PR01,50000")
    rows += [
        "2018-01,consortium,CH01,600000",
        "2018-01,outside_county,,100000",
        "2018-02,consortium,CH01,600000",
        "2018-03,consortium,CH01,700000",
    ]
    return rows


@pytest.fixture
def files(tmp_path):
    spending = tmp_path / "monthly.csv"
    spending.write_text("\n".join(_rows()) + "\n", encoding="utf-8")
    population = tmp_path / "population.csv"
    population.write_text("year,insured_population\n2017,100\n2018,100\n", encoding="utf-8")
    return spending, population


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_profile_of_2017_projects_an_overspend_worked_by_hand(files):
    spending, population = files
    t = tracking_from_tables(
        SANMING,
        MonthlySpendingTable.read(spending),
        PopulationTable.read(population),
        year=2018,
        through="2018-03",
        county="youxi",
    )
    (r,) = t.latest()
    assert (r["county"], r["budget_fen"], r["to_date_fen"]) == ("youxi", 6_241_280, 2_000_000)
    # used 2,000,000 / 6,241,280 = 32.0447 % → 32.04; pace 32.0447 − 25 = 7.04 points
    assert (r["used_pct"], r["pace_pp"]) == (Decimal("32.04"), Decimal("7.04"))
    # 7/22 = 31.82 % expected by March; 2,000,000 × 22/7 = 6,285,714.29 → 6,285,714;
    # balance 6,241,280 − 6,285,714 = −44,434: an overspend of 444.34 yuan
    assert r["expected_pct"] == Decimal("31.82")
    assert (r["projected_fen"], r["projected_balance_fen"], r["over_budget"]) == (
        6_285_714,
        -44_434,
        True,
    )
    assert t.counties[0].profile_years == (2017,)
    assert "The file shows what was paid" in t.notes[0]


@pytest.mark.usefixtures("former_sanming_rules")
def test_cli_reads_the_two_files(files):
    spending, population = files
    args = ["payment", "track", "--spending", str(spending), "--population", str(population),
            "--year", "2018", "--through", "2018-03", "--county", "youxi", "--json"]  # fmt: skip
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    june = json.loads(r.stdout)["months"][-1]
    assert (june["county"], june["projected_balance_fen"]) == ("youxi", -44_434)
    # linear: 2,000,000 × 12/3 = 8,000,000; balance −1,758,720
    r = runner.invoke(app, [*args, "--projection", "linear"])
    assert json.loads(r.stdout)["months"][-1]["projected_balance_fen"] == -1_758_720


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--through", "2018-04"], "--through: 2018-04 is after the last month of the data"),
        (["--through", "2018-03", "--store", "x.duckdb"], "give --store, or --spending with"),
        (["--through", "2018-03", "--date", "settled"], "--date applies to --store"),
    ],
)
def test_cli_bad_file_input_is_refused(files, extra, said):
    spending, population = files
    args = ["payment", "track", "--spending", str(spending), "--population", str(population),
            "--year", "2018", *extra]  # fmt: skip
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert said in " ".join(r.output.split())


def test_months_written_as_chinese_excel_writes_them(tmp_path):
    """Review zh32 F9: 2017年01月, 2017/1/1 (Excel's date saved as CSV), 2017/1 read as
    the months written 2017-01, the same table."""
    plain = MonthlySpendingTable.read(_write(tmp_path / "plain.csv", _rows()))
    for form in ("{y}年{m:02d}月", "{y}年{m}月", "{y}/{m}/1", "{y}/{m}"):
        rows = [_rewritten(r, form) for r in _rows()]
        read = MonthlySpendingTable.read(_write(tmp_path / "zh.csv", rows))
        assert read.frame.equals(plain.frame), form


def _write(path, rows):
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _rewritten(row: str, form: str) -> str:
    month, rest = row.split(",", 1)
    if month == "month":
        return row
    y, m = month.split("-")
    return ",".join([form.format(y=y, m=int(m)), rest])


def test_a_date_in_the_month_column_is_read_as_its_month(files, tmp_path):
    """An insurer's or an accounts' export stamps a month by its last day (2017-02-28);
    ihms read such dates as their months until session 32 refused every day but the
    1st (review diff32b M1); the evaluation readers read them so too."""
    spending, _ = files
    month_end = tmp_path / "month_end.csv"
    rows = _rows()
    ends = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    dated = [r if r.startswith("month") else f"{r[:7]}-{ends[int(r[5:7])]}{r[7:]}" for r in rows]
    month_end.write_text("\n".join(dated) + "\n", encoding="utf-8")
    read = MonthlySpendingTable.read(month_end)
    assert read.frame.equals(MonthlySpendingTable.read(spending).frame)


def test_bad_files_name_file_row_and_column(files, tmp_path):
    spending, population = files
    bad = tmp_path / "bad.csv"
    rows = _rows()
    rows[5] = "2017/13,consortium,CH01,400000"  # the file's row 6: no month 13
    rows.append("2018-03,consortium,CH01,5")  # March's CH01 a second time
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        MonthlySpendingTable.read(bad)
    said = "\n".join(caught.value.problems)
    assert (
        "column 'month' of" in said and "row 6: expected a month written 2018-06, 2018年6月" in said
    )
    assert "or a date in the month (2018/6/30), got '2017/13'" in said
    assert "consortium CH01 in 2018-03 appears twice" in said
    tables = MonthlySpendingTable.read(spending), PopulationTable.read(population)
    with pytest.raises(InputError, match=r"through: 2016-12 is before any data \(.* has "
                       r"2017-01 to 2018-03\)"):  # fmt: skip
        tracking_from_tables(SANMING, *tables, year=2016, through="2016-12")
    # a budget year the population table lacks: no budget, naming the county and year
    only_2017 = tmp_path / "population-2017.csv"
    only_2017.write_text("year,insured_population\n2017,100\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"county youxi: no budget for 2018: .*2018"):
        tracking_from_tables(
            SANMING,
            tables[0],
            PopulationTable.read(only_2017),
            year=2018,
            through="2018-03",
            county="youxi",
        )
