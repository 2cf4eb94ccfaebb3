"""``ihms growth`` by quarter, year to date, summed to quarters and years, and at
comparable prices, through Typer's CliRunner."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def fails(*args):
    result = run("growth", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_shipped_household_table_nominal_and_real_growth():
    # examples/series/household_income_cpi.csv: per-capita disposable income and
    # consumption (yuan) and CPI (上年=100) as the national statistics print them.
    # 2017: income "比上年增长9.0%，扣除价格因素，实际增长7.3%"; consumption 7.1 % and 5.4 %.
    path = "examples/series/household_income_cpi.csv"
    args = ("growth", path, "--value-col", "income", "--value-col", "consumption",
            "--price-col", "cpi", "--price-name", "CPI")  # fmt: skip
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    rows = {(r["indicator"], r["period"]): r for r in out["rows"]}
    assert round(100 * rows[("income", 2017)]["nominal_growth"], 1) == 9.0
    assert round(100 * rows[("income", 2017)]["real_growth"], 1) == 7.3
    assert round(100 * rows[("consumption", 2017)]["real_growth"], 1) == 5.4
    assert out["price_name"] == "CPI" and out["price_base"] == "previous"
    text = " ".join(run(*args).output.split())
    assert "Deflated by CPI (same period a year before = 100)" in text and "+7.3%" in text


def test_prices_from_a_separate_file_with_a_fixed_base(tmp_path):
    # worked by hand: spending 100 -> 120 while the price index (2019 = 100) goes 100 -> 110:
    # real growth 1.2 / 1.1 - 1 = 9.09 %, and 120 at 2019 prices is 100 * 120 / 110 = 109.09
    table = tmp_path / "spending.csv"
    table.write_text("年份,value\n2019,100\n2020,120\n", encoding="utf-8")
    cpi = tmp_path / "cpi.csv"
    cpi.write_text("year,index\n2019,100\n2020,110\n", encoding="utf-8")
    result = run("growth", table, "--period-col", "年份", "--prices", cpi,
                 "--price-period-col", "year", "--price-base", "2019", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["rows"][1]
    assert round(100 * row["real_growth"], 2) == 9.09
    assert round(row["real_value"], 2) == 109.09
    bad = tmp_path / "bad_cpi.csv"
    bad.write_text("year,index\n2019,100\n2020,0\n", encoding="utf-8")
    message = fails(table, "--period-col", "年份", "--prices", bad, "--price-period-col", "year")
    assert f"column 'index' of {bad} row 3: expected a price index > 0" in message


def test_quarters_and_year_to_date_growth(tmp_path):
    # national household survey: per-capita disposable income, year-to-date yuan,
    # 2018 Q1 7,815 and H1 14,063; 2019 Q1 8,493 (+8.7 %) and H1 15,294 (+8.8 %)
    csv = tmp_path / "income.csv"
    csv.write_text(
        "季度,income\n2018年第一季度,7815\n2018年第二季度,14063\n2019Q1,8493\n2019Q2,15294\n",
        encoding="utf-8",
    )
    ytd = run("growth", csv, "--cumulative", "--by", "quarter", "--given", "cumulative",
              "--period-col", "季度", "--value-col", "income", "--json")  # fmt: skip
    assert ytd.exit_code == 0, ytd.output
    rows = json.loads(ytd.output)["rows"]
    assert [round(100 * r["cumulative_growth"], 1) for r in rows[2:]] == [8.7, 8.8]
    quarterly = run("growth", csv, "--by", "quarter", "--period-col", "季度",
                    "--value-col", "income", "--json")  # fmt: skip
    assert quarterly.exit_code == 0, quarterly.output
    q = json.loads(quarterly.output)
    assert q["frequency"] == "quarter" and "qoq_growth" in q["rows"][0]
    assert round(100 * q["rows"][2]["yoy_growth"], 1) == 8.7  # 8493 / 7815 - 1


def test_by_quarter_reads_an_xlsx_of_quarter_days_with_a_time_of_day(tmp_path):
    # date cells typed with a time reach growth as "2018-01-01 08:30:00"
    # (cells_as_text): each is its day's quarter, as at midnight, with a note
    days = pd.period_range("2018Q1", periods=6, freq="Q").to_timestamp() + pd.Timedelta("8h30min")
    values = [7815, 14063, 21000, 28000, 8493, 15294]
    timed, midnight = tmp_path / "timed.xlsx", tmp_path / "midnight.xlsx"
    pd.DataFrame({"quarter": days, "income": values}).to_excel(timed, index=False)
    pd.DataFrame({"quarter": days.normalize(), "income": values}).to_excel(midnight, index=False)
    args = ("--by", "quarter", "--value-col", "income", "--json")
    got, want = run("growth", timed, *args), run("growth", midnight, *args)
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["rows"] == json.loads(want.stdout)["rows"]
    assert round(100 * json.loads(got.stdout)["rows"][4]["yoy_growth"], 1) == 8.7  # 8493/7815
    assert (
        "column 'quarter': the time of day the dates carry (2018-01-01 08:30:00, "
        "2018-04-01 08:30:00, 2018-07-01 08:30:00, ...) is dropped"
    ) in json.loads(got.stdout)["notes"][0]


def test_months_summed_to_quarters_with_a_rate_from_its_parts(tmp_path):
    # worked by hand: Q1 2018 readmissions 2 + 3 + 5 = 10 of 200 discharges = 5.0 %;
    # Q1 2019 6 of 200 = 3.0 %: -2.0 percentage points; discharges 200 -> 200: +0 %
    lines = ["month,readmissions,discharges"]
    for year, counts in ((2018, (2, 3, 5)), (2019, (1, 2, 3))):
        for month, count in enumerate(counts, start=1):
            lines.append(f"{year}-{month:02d},{count},{(50, 60, 90)[month - 1]}")
    csv = tmp_path / "readmissions.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("growth", csv, "--to", "quarter", "--value-col", "readmissions",
            "--value-col", "discharges", "--ratio", "rate=readmissions/discharges")  # fmt: skip
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    rows = {(r["indicator"], r["period"]): r for r in json.loads(result.output)["rows"]}
    assert rows[("rate", "2018Q1")]["value"] == 5.0
    assert rows[("rate", "2019Q1")]["yoy_points"] == -2.0
    assert rows[("discharges", "2019Q1")]["yoy_growth"] == 0.0
    assert "-2.0 pp" in run(*args).output
    # without --ratio a rate is refused; a bad --ratio is named
    shares = tmp_path / "shares.csv"
    shares.write_text("month,value\n2019-01,5%\n2019-02,6%\n", encoding="utf-8")
    assert "a rate cannot be summed" in fails(shares, "--to", "year")
    assert "option '--ratio': expected RATE=NUMERATOR/DENOMINATOR" in fails(
        csv, "--to", "year", "--ratio", "rate"
    )
    assert "option '--to': expected a longer period than 'month'" in fails(csv, "--to", "month")


def test_options_of_another_mode_and_bad_periods_exit_2(tmp_path):
    csv = tmp_path / "visits.csv"
    csv.write_text("month,value\n2019-01,1\n2019Q1,2\n2019-01,3\n", encoding="utf-8")
    assert "--given belongs to --cumulative; not to --yoy" in fails(
        csv, "--yoy", "--given", "cumulative"
    )
    assert "--cumulative and --to are separate tables" in fails(csv, "--cumulative", "--to", "year")
    assert "--price-base belongs to --prices/--price-col" in fails(
        csv, "--cumulative", "--price-base", "2015"
    )
    assert "growth --cumulative: give a CSV table" in fails("--cumulative")
    message = fails(csv, "--cumulative")
    assert (
        f"column 'month' of {csv} row 3: expected a month such as 2019-03, 2019年3月 or a date within it (2019/3/1), got '2019Q1'"
        in message
    )
    assert "(a quarter, not a month: a table by month holds months only)" in message
    assert f"{csv} row 4 (indicator 'value', month 2019-01): a second value" in message
    assert "option '--given'" in fails(csv, "--cumulative", "--given", "ytd")


def test_a_month_may_be_written_as_a_date_within_it(tmp_path):
    # the walk's g_month.csv: an Excel export mixing 2022/1/1 and 2022年2月
    written = ["2022/1/1", "2022年2月", "2022-03-01", "２０２２年４月"]
    written += ["2023/1/1", "2023年2月", "2023-03-01", "2023-04"]
    values = [100, 101, 102, 103, 110, 111, 112, 113]
    csv = tmp_path / "months.csv"
    csv.write_text(
        "month,value\n" + "".join(f"{m},{v}\n" for m, v in zip(written, values, strict=True)),
        encoding="utf-8",
    )
    result = run("growth", csv, "--by", "month", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [r["period"] for r in rows] == [
        "2022-01", "2022-02", "2022-03", "2022-04", "2023-01", "2023-02", "2023-03", "2023-04"
    ]  # fmt: skip
    assert abs(rows[6]["yoy_growth"] - (112 / 102 - 1)) < 1e-12  # 2023-03 on 2022-03


def test_average_annual_growth_reads_values_as_yoy_does(tmp_path):
    # the walk's g2.csv: a rate written 12.5%, a count with full-width digits
    csv = tmp_path / "g2.csv"
    csv.write_text(
        '指标,年份,数值\n门诊人次,2016,"1,234.50"\n门诊人次,2017,１３００\n门诊人次,2018,1400\n'
        "住院率,2016,12.5%\n住院率,2017,13.1%\n住院率,2018,13.1%\n",
        encoding="utf-8",
    )
    args = ["--indicator-col", "指标", "--year-col", "年份", "--value-col", "数值"]
    average = run("growth", csv, *args, "--json")
    assert average.exit_code == 0, average.output
    rates = {r["indicator"]: r["growth_rate"] for r in json.loads(average.stdout)["rows"]}
    assert abs(rates["门诊人次"] - ((1400 / 1234.5) ** (1 / 2) - 1)) < 1e-12  # 2 years
    # a share written with % changes in percentage points, as --yoy gives it:
    # (13.1 - 12.5) / 2 years = 0.3 pp a year, and no geometric growth of a share
    rows = {r["indicator"]: r for r in json.loads(average.stdout)["rows"]}
    assert rates["住院率"] is None and abs(rows["住院率"]["points_per_year"] - 0.3) < 1e-12
    assert rows["门诊人次"]["points_per_year"] is None
    yoy = run("growth", csv, *args, "--yoy", "--json")
    assert yoy.exit_code == 0, yoy.output
    assert {r["value"] for r in json.loads(yoy.stdout)["rows"]} == {1234.5, 1300, 1400, 12.5, 13.1}


def test_wholly_empty_rows_are_skipped_in_every_mode(tmp_path):
    csv = tmp_path / "padded.csv"  # an Excel export's trailing ,,, lines
    csv.write_text("year,value\n2016,100\n2017,110\n2018,121\n,\n,\n", encoding="utf-8")
    for mode in ([], ["--yoy"]):
        result = run("growth", csv, *mode, "--json")
        assert result.exit_code == 0, result.output
        assert "skipped 2 wholly empty rows (rows 5, 6)" in " ".join(result.stderr.split())
    average = json.loads(run("growth", csv, "--json").stdout)["rows"][0]
    assert abs(average["growth_rate"] - 0.1) < 1e-12  # 100 → 121 in 2 years: 10 % a year
    partly = tmp_path / "partly.csv"
    partly.write_text("year,value\n2016,100\n2017,110\n,121\n", encoding="utf-8")
    assert "column 'year' of " in fails(partly)
    assert "row 4" in fails(partly, "--yoy")


def test_an_indicator_name_typed_with_a_trailing_blank_is_one_indicator(tmp_path):
    # "门诊人次　" (a full-width space) and "门诊人次 " were indicators of their own: the
    # year-on-year growth of 2018 and 2019 was missing and the average annual growth
    # refused, each of the three "series" lacking years; growth by hand: 12/10, 15/12,
    # 18/15, and (18/10)^(1/3) - 1
    table = tmp_path / "values.csv"
    table.write_text(
        "indicator,year,value,ref\n门诊人次,2016,10,5%\n门诊人次,2017,12,5%\n"
        "门诊人次\u3000,2018,15,5%\n门诊人次 ,2019,18,5%\n",
        "utf-8",
    )
    result = run("growth", table, "--indicator-col", "indicator", "--yoy", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert {r["indicator"] for r in rows} == {"门诊人次"}
    assert [round(r["yoy_growth"], 12) for r in rows[1:]] == [0.2, 0.25, 0.2]
    result = run("growth", table, "--indicator-col", "indicator", "--reference-col", "ref",
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["rows"]
    assert abs(row["growth_rate"] - (1.8 ** (1 / 3) - 1)) < 1e-12 and row["reference_rate"] == 0.05


def test_monthly_growth_split_at_80_columns_names_each_row_in_every_block(monkeypatch):
    # user walk, session 16: the "(continued)" block of this command repeated the
    # indicator alone, so its 92 rows could not be told apart without the month
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["growth", "examples/series/county_hospital_monthly.csv", "--by", "month",
            "--value-col", "hospitalizations", "--value-col", "cost_per_hospitalization",
            "--base-period", "2017-01"]  # fmt: skip
    # every one of the 92 rows (no row cap) in every block
    result = runner.invoke(app, args, env={"COLUMNS": "80", "IHMS_MAX_ROWS": "0"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    starts = [i for i, line in enumerate(lines) if line.startswith("┏")]
    assert len(starts) > 1  # split into column blocks: this test checks those
    blocks = [
        [line.split("│")[1:3] for line in lines[a:b] if line.startswith("│")]
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)
    ]
    for block in blocks:
        assert [month.strip() for _, month in block] == [m.strip() for _, m in blocks[0]]
        assert block[0][1].strip() == "2016-02" and block[-1][1].strip() == "2019-11"
        assert len(block) == 92


def _two_sheet_cpi(path):
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["source", "yearbook"])
    cpi = book.create_sheet("CPI")
    cpi.append(["year", "index"])
    cpi.append([2019, 100])
    cpi.append([2020, 110])
    book.save(path)


def test_prices_workbook_with_several_sheets_names_prices_sheet(tmp_path):
    # --sheet is TABLE's: a --prices workbook with two filled sheets must point to
    # --prices-sheet, and that option reads it (same hand-worked numbers as above:
    # 100 -> 120 under an index 100 -> 110 is real growth 1.2 / 1.1 - 1 = 9.09 %)
    table = tmp_path / "spending.csv"
    table.write_text("year,value\n2019,100\n2020,120\n", encoding="utf-8")
    cpi = tmp_path / "cpi.xlsx"
    _two_sheet_cpi(cpi)
    message = fails(table, "--prices", cpi, "--price-base", "2019")
    assert "--prices-sheet" in message and "'说明', 'CPI'" in message
    assert "--sheet" not in message.replace("--prices-sheet", "")
    result = run("growth", table, "--prices", cpi, "--prices-sheet", "CPI",
                 "--price-base", "2019", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert round(100 * json.loads(result.output)["rows"][1]["real_growth"], 2) == 9.09
    assert "--prices-sheet belongs to --prices" in fails(table, "--prices-sheet", "CPI")
    assert "--prices-sheet names a sheet of --prices" in fails(
        table, "--price-col", "value", "--prices-sheet", "CPI"
    )


def test_average_annual_change_of_a_share_is_in_points_as_yoy_gives_it(tmp_path):
    # Seed 002 (002_a40ed8d069ea109f.txt), Table 4, Youxi 2016-2019: the primary-care
    # share 50.8% -> 69.2%. Worked by hand: (69.2 - 50.8) / 3 years = 6.13 pp a year, the
    # mean of --yoy's changes (+12.2 - 2.2 + 8.4) / 3; visits 134.2 -> 254.6 grow
    # (254.6 / 134.2) ** (1/3) - 1 = 23.8 % a year.
    csv = tmp_path / "youxi.csv"
    csv.write_text(
        "指标,年份,数值\n"
        "门急诊人次(万),2016,134.2\n门急诊人次(万),2019,254.6\n"
        "基层占比,2016,50.8%\n基层占比,2017,63.0%\n基层占比,2018,60.8%\n基层占比,2019,69.2%\n",
        encoding="utf-8",
    )
    args = ("growth", csv, "--indicator-col", "指标", "--year-col", "年份",
            "--value-col", "数值", "--reference", "10%")  # fmt: skip
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.output)["rows"]}
    share, visits = rows["基层占比"], rows["门急诊人次(万)"]
    assert round(share["points_per_year"], 2) == 6.13 and share["growth_rate"] is None
    assert share["difference"] is None  # a growth rate is no reference for points
    assert round(100 * visits["growth_rate"], 1) == 23.8 and visits["points_per_year"] is None
    yoy = json.loads(run("growth", csv, "--yoy", "--indicator-col", "指标",
                         "--period-col", "年份", "--value-col", "数值", "--json").output)  # fmt: skip
    points = [r["yoy_points"] for r in yoy["rows"] if r["indicator"] == "基层占比"][1:]
    assert abs(sum(points) / 3 - share["points_per_year"]) < 1e-9
    text = " ".join(run(*args).output.split())
    assert "+6.1 pp" in text and "23.8%" in text
    assert "percentage points a year" in text and "基层占比" in text
    # --rate marks a share written without % (50.8 as per cent) in this mode too
    plain = tmp_path / "plain.csv"
    plain.write_text("year,value\n2016,50.8\n2019,69.2\n", encoding="utf-8")
    marked = json.loads(run("growth", plain, "--rate", "value", "--json").output)["rows"][0]
    assert round(marked["points_per_year"], 2) == 6.13


def test_a_missing_column_names_the_option_that_names_it(tmp_path):
    # Before: "g.csv: missing column(s) ['year']; the table has ['年份', '住院人次']" —
    # nothing said the default 'year' comes from --year-col.
    path = tmp_path / "g.csv"
    path.write_text("年份,住院人次\n2019,12345\n2020,11000\n", encoding="gbk")
    result = runner.invoke(app, ["growth", str(path), "--value-col", "住院人次"])
    assert result.exit_code == 2
    assert "expected a column named 'year' (option '--year-col')" in " ".join(result.output.split())
    result = runner.invoke(app, ["growth", str(path), "--value-col", "住院人次", "--yoy"])
    assert result.exit_code == 2
    assert "expected a column named 'year' (option '--period-col'" in " ".join(
        result.output.split()
    )


def indicator_table(tmp_path, rows: str) -> list[str]:
    """``ihms growth`` over an ``ihms indicators compute --out`` table of ``rows``."""
    path = tmp_path / "ind.csv"
    path.write_text("indicator,period,value,measure_unit\n" + rows, encoding="utf-8")
    return ["growth", str(path), "--indicator-col", "indicator", "--year-col", "period"]


def test_ihms_indicator_tables_read_their_shares_as_rates(tmp_path):
    # `ihms indicators compute --out` gives each row its measure_unit; a share ('%') of 0
    # was refused ("expected a value > 0 for a growth rate") unless named with --rate.
    args = indicator_table(
        tmp_path,
        "hospitalizations,2022,100,admissions\nhospitalizations,2023,121,admissions\n"
        "tertiary_bed_share,2022,0.0,%\ntertiary_bed_share,2023,20.0,%\n",
    )
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["tertiary_bed_share"]["points_per_year"] == 20.0  # (20.0 - 0.0) / 1 year
    assert abs(rows["hospitalizations"]["growth_rate"] - 0.21) < 1e-12  # 121 / 100 - 1
    assert "tertiary_bed_share" in " ".join(result.stderr.split())
    result = runner.invoke(app, [*args, "--yoy", "--period-col", "period", "--json"])
    assert result.exit_code == 0, result.output


def test_catalogue_shares_stay_per_cent_beside_a_fraction_rate(tmp_path):
    # A catalogue share (measure_unit %) is per cent whatever --rate-unit says of the
    # rates the user names: primary_share 40 → 42 → 44 (%) is +2.0 pp a year, and
    # bed_ratio 0.50 → 0.52 → 0.55 (a fraction, --rate-unit fraction) +2.0 and +3.0 pp.
    # The catalogue share was scaled by the one global unit: +200.0 pp.
    args = indicator_table(
        tmp_path,
        "primary_share,2021,40,%\nprimary_share,2022,42,%\nprimary_share,2023,44,%\n"
        "bed_ratio,2021,0.50,ratio\nbed_ratio,2022,0.52,ratio\nbed_ratio,2023,0.55,ratio\n",
    )
    args += ["--rate", "bed_ratio", "--rate-unit", "fraction", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["primary_share"]["points_per_year"] == pytest.approx(2.0, rel=1e-12)
    assert rows["bed_ratio"]["points_per_year"] == pytest.approx(2.5, rel=1e-12)
    result = runner.invoke(app, [*args, "--yoy", "--period-col", "period"])
    assert result.exit_code == 0, result.output
    points = {
        (r["indicator"], r["period"]): r["yoy_points"] for r in json.loads(result.stdout)["rows"]
    }
    assert points[("primary_share", 2023)] == pytest.approx(2.0, rel=1e-12)
    assert points[("bed_ratio", 2023)] == pytest.approx(3.0, rel=1e-12)
    # naming the share with --rate does not make it a fraction: it is still +2.0 pp
    result = runner.invoke(app, [*args, "--rate", "primary_share"])
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["primary_share"]["points_per_year"] == pytest.approx(2.0, rel=1e-12)
    assert "not as --rate-unit fraction: primary_share" in " ".join(result.stderr.split())


def test_out_writes_the_table_as_every_sibling_command_does(tmp_path):
    """Session 19 review F12: ``ihms growth`` had only --json while its, agreement,
    indicators and policy write .csv/.xlsx. Seed 004, Table 2: GPs per 10,000 people
    1.04 (2016) -> 1.63 (2018), printed 25.2 % a year against a national 21.3 %."""
    from openpyxl import load_workbook

    table = tmp_path / "gp.csv"
    table.write_text("年份,value\n2016年,1.04\n2017年,1.41\n2018年,1.63\n", encoding="utf-8")
    out = tmp_path / "growth.xlsx"
    result = run("growth", table, "--year-col", "年份", "--reference", "21.3%", "--out", out)
    assert result.exit_code == 0, result.output
    assert "25.2%" in result.output and str(out) in " ".join(result.output.split())
    sheet = load_workbook(out)["growth"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Average annual growth rate, 2016–2018")
    header = list(rows[1])
    rate = rows[2][header.index("average annual growth")]
    assert round(100 * rate, 1) == 25.2
    shown_as = sheet.cell(row=3, column=header.index("average annual growth") + 1)
    assert shown_as.number_format == "0.0%"  # Excel shows 25.2%, as the console does
    # the difference from the reference is in percentage points, shown as such: 25.2 %
    # (25.1998 % unrounded: (1.63 / 1.04) ** 0.5 - 1) - 21.3 % = +3.9 pp (session-19
    # review: the cell held the fraction 0.039 in General format, read as 0.039 pp)
    diff = sheet.cell(row=3, column=header.index("difference (pp)") + 1)
    assert round(diff.value, 1) == 3.9 and diff.number_format == '+0.0" pp";-0.0" pp";0.0" pp"'
    # --yoy writes its table too, as CSV to read back
    csv = tmp_path / "yoy.csv"
    result = run("growth", table, "--year-col", "年份", "--yoy", "--out", csv)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(csv, encoding="utf-8-sig")
    # 1.41 / 1.04 - 1 = 35.6 %
    assert round(100 * frame.loc[1, "year-on-year growth"], 1) == 35.6


def test_out_that_cannot_be_written_is_refused_before_the_work(tmp_path):
    table = tmp_path / "gp.csv"
    table.write_text("year,value\n2016,1.04\n2018,1.63\n", encoding="utf-8")
    message = fails(table, "--out", tmp_path / "growth.txt")
    assert "option '--out': " in message and "expected a .xlsx or .csv" in message
    # a missing folder is made (tests/cli/test_stat_out_folders.py); one a file blocks is not
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    message = fails(table, "--out", tmp_path / "afile" / "g.csv")
    assert "afile' is a file, not a folder" in message


def test_yoy_over_an_indicator_table_names_its_suppressed_months(tmp_path):
    # session 19 review F14: months that `ihms indicators compute --out` suppressed
    # (empty value, suppressed True) were only "no value for 2021-01" in the notes
    table = tmp_path / "ind.csv"
    table.write_text(
        "indicator,period,value,suppressed\nvisits,2021-01,,True\nvisits,2021-02,6,False\n"
        "visits,2021-03,7,False\n",
        encoding="utf-8",
    )
    result = run("growth", table, "--by", "month", "--period-col", "period",
                 "--indicator-col", "indicator")  # fmt: skip
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "row 2 was suppressed by ihms indicators (small counts" in said
    assert "--min-cell 1 restores it" in said
    # 7 / 6 - 1 = +16.7 % month on month
    assert "+16.7%" in result.stdout


def test_a_monthly_table_read_by_year_says_why_once_and_suggests_by_month(tmp_path):
    csv = tmp_path / "jia.csv"
    months = [f"2015年{m}月" for m in range(1, 13)] + [f"2016年{m}月" for m in range(1, 13)]
    csv.write_text("月份,住院人次\n" + "".join(f"{m},{2000 + i}\n" for i, m in enumerate(months)),
                   encoding="utf-8")  # fmt: skip
    by_year = fails(csv, "--yoy", "--period-col", "月份", "--value-col", "住院人次")
    assert by_year.count("a table by year holds years only") == 1
    assert "--by month" in by_year and "--by month --to quarter" in by_year
    by_quarter = fails(csv, "--yoy", "--period-col", "月份", "--value-col", "住院人次",
                       "--by", "quarter")  # fmt: skip
    assert by_quarter.count("a table by quarter holds quarters only") == 1
    assert "--by month --to quarter" in by_quarter


def test_average_rate_is_not_blocked_by_a_zero_it_does_not_use(tmp_path):
    # the geometric rate uses the first and last years only: (24852 / 24352) ** (1/2) - 1
    csv = tmp_path / "g0.csv"
    csv.write_text('年份,住院人次\n2015,"24,352"\n2016,0\n2017,"24,852"\n', encoding="utf-8")
    result = run("growth", csv, "--year-col", "年份", "--value-col", "住院人次", "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["rows"][0]
    assert row["growth_rate"] == pytest.approx((24852 / 24352) ** 0.5 - 1, rel=1e-12)
    assert "2016" in result.stderr and "0" in result.stderr


def test_two_value_columns_without_yoy_point_at_the_long_form(tmp_path):
    csv = tmp_path / "annual.csv"
    csv.write_text("年份,住院人次,县域内就诊率\n2015,24352,72.1%\n2016,25286,73.1%\n",
                   encoding="utf-8")  # fmt: skip
    message = fails(csv, "--year-col", "年份", "--value-col", "住院人次",
                    "--value-col", "县域内就诊率")  # fmt: skip
    assert "--indicator-col" in message
