"""``ihms trend TABLE``: events and group sizes read from a CSV/XLSX/.dta column, the
same numbers as the comma-separated form."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

# R's help page for prop.trend.test (stats package, example by Peter Dalgaard):
# prop.trend.test(smokers, patients) -> X-squared = 8.2249, df = 1, p-value = 0.004132.
SMOKERS = [83, 90, 129, 70]
PATIENTS = [86, 93, 136, 82]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def fails(*args):
    result = run("trend", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def _ordered_json(csv, text, events, totals, order):
    """``ihms trend`` on ``csv`` (written with ``text``), ordered by ``order``, as JSON."""
    csv.write_text(text, encoding="utf-8")
    result = run("trend", csv, "--events-col", events, "--totals-col", totals,
                 "--order-col", order, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _typed():
    result = run("trend", "--events", "83,90,129,70", "--totals", "86,93,136,82", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_csv_columns_give_r_golden_numbers_and_the_typed_result(tmp_path):
    # rows out of order: --order-col puts the groups back in year order
    csv = tmp_path / "smokers.csv"
    text = "year,smokers,patients\n2021,129,136\n2019,83,86\n2022,70,82\n2020,90,93\n"
    out = _ordered_json(csv, text, "smokers", "patients", "year")
    assert round(out["chi2"], 4) == 8.2249 and round(out["pvalue"], 6) == 0.004132
    # the years are the scores (evenly spaced, so the test is R's with scores 1..4)
    assert out["scores"] == [2019, 2020, 2021, 2022]
    typed = _typed()
    for key in ("chi2", "pvalue", "chi2_overall", "chi2_departure", "z"):
        assert out[key] == pytest.approx(typed[key], rel=1e-9), key
    assert (out["events"], out["totals"]) == (typed["events"], typed["totals"])
    # without --order-col the file's order is kept: a different (wrong) ordering
    unordered = json.loads(
        run("trend", csv, "--events-col", "smokers", "--totals-col", "patients", "--json").stdout
    )
    assert round(unordered["chi2"], 4) != 8.2249
    text = " ".join(run("trend", csv, "--events-col", "smokers", "--totals-col", "patients",
                        "--order-col", "year").output.split())  # fmt: skip
    assert "8.2249" in text


def test_xlsx_and_dta_read_the_same(tmp_path):
    frame = pd.DataFrame({"group": [1, 2, 3, 4], "x": SMOKERS, "n": PATIENTS})
    xlsx, dta = tmp_path / "s.xlsx", tmp_path / "s.dta"
    frame.to_excel(xlsx, index=False, sheet_name="data")
    frame.to_stata(dta, write_index=False)
    for path in (xlsx, dta):
        result = run("trend", path, "--events-col", "x", "--totals-col", "n", "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == _typed()
    scored = run("trend", xlsx, "--events-col", "x", "--totals-col", "n",
                 "--scores-col", "group", "--sheet", "data", "--json")  # fmt: skip
    assert json.loads(scored.stdout) == _typed()


def test_a_column_not_found_lists_the_columns_and_the_nearest(tmp_path):
    # review zh32 L14: "no column '吸烟数'" named neither the table's columns nor the
    # near one, as `agreement` does
    csv = tmp_path / "吸烟.csv"
    csv.write_text("年份,吸烟人数,患者数\n2019,83,86\n2020,90,93\n", encoding="gbk")
    said = fails(csv, "--events-col", "吸烟数", "--totals-col", "患者数")
    assert (
        f"{csv}: no column '吸烟数' (option --events-col); the columns are 年份, 吸烟人数, "
        "患者数 — did you mean '吸烟人数'?"
    ) in said


def test_bad_table_input_is_named(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("year,x,n\n2019,83,86\n2020,,93\n2021,1x,136\n", encoding="utf-8")
    assert f"{csv}: no column 'cases' (option --events-col)" in fails(
        csv, "--events-col", "cases", "--totals-col", "n"
    )
    message = fails(csv, "--events-col", "x", "--totals-col", "n")
    assert f"column 'x' of {csv} row 3: expected a number, got an empty cell" in message
    ok = tmp_path / "ok.csv"
    ok.write_text("year,x,n\n2019,83,86\n2019,90,93\n", encoding="utf-8")
    assert f"column 'year' of {ok} row 3: 2019 is also row 2" in fails(
        ok, "--events-col", "x", "--totals-col", "n", "--order-col", "year"
    )
    # the two forms are not mixed, and a table needs its columns
    assert "--events cannot be combined with TABLE" in fails(
        ok, "--events", "1,2", "--events-col", "x", "--totals-col", "n"
    )
    assert "with TABLE, give --events-col and --totals-col" in fails(ok, "--events-col", "x")
    assert "--events-col needs TABLE" in fails("--events-col", "x", "--totals", "1,2")
    assert "give --events and --totals" in fails("--events", "1,2")


# Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Section 2.5,
# Table 2.7: infant malformation by the mother's alcohol consumption (drinks a day 0, <1,
# 1-2, 3-5, >=6), scored by the categories' midpoints 0, 0.5, 1.5, 4.0, 7.0: M^2 = 6.57,
# P = 0.01 (R vcdExtra::CMHtest(Malform, rscores = c(0, 0.5, 1.5, 4.0, 7.0)) prints
# 6.5699); with equally spaced scores 1..5, M^2 = 1.83, P = 0.18. M^2 = (n - 1) r^2 is
# the n-1 form.
MALFORMED = [48, 38, 5, 1, 1]
INFANTS = [17066 + 48, 14464 + 38, 788 + 5, 126 + 1, 37 + 1]
DRINKS = [0, 0.5, 1.5, 4.0, 7.0]


def test_a_numeric_order_column_gives_the_scores_as_stata_nptrend_does(tmp_path):
    # Stata's nptrend: "When [score] is not specified, the values of groupvar are used
    # for the scores". Was: --order-col only sorted the rows and the scores stayed 1..k,
    # Agresti's 1.83 where the drinks a day give 6.57
    csv = tmp_path / "malformation.csv"
    rows = [3, 0, 4, 2, 1]  # out of order: the values, not the file's rows, score them
    csv.write_text(
        "drinks,malformed,infants\n"
        + "".join(f"{DRINKS[i]},{MALFORMED[i]},{INFANTS[i]}\n" for i in rows),
        encoding="utf-8",
    )
    args = ("trend", csv, "--events-col", "malformed", "--totals-col", "infants",
            "--order-col", "drinks", "--form", "n-1")  # fmt: skip
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scores"] == DRINKS
    assert round(out["chi2"], 4) == 6.5699 and round(out["pvalue"], 2) == 0.01
    text = " ".join(run(*args).output.split())
    assert "at scores 0, 0.5, 1.5, 4, 7" in text
    # --scores-col still wins: equally spaced scores give Agresti's 1.83
    csv.write_text(
        "drinks,malformed,infants,rank\n"
        + "".join(f"{DRINKS[i]},{MALFORMED[i]},{INFANTS[i]},{i + 1}\n" for i in rows),
        encoding="utf-8",
    )
    ranked = json.loads(run(*args, "--scores-col", "rank", "--json").stdout)
    assert ranked["scores"] == [1, 2, 3, 4, 5] and round(ranked["chi2"], 2) == 1.83


def test_a_text_order_column_scores_the_groups_1_to_k(tmp_path):
    # periods written as text have no value to score by: 1..k in their sorted order
    text = "quarter,x,n\n2019Q3,129,136\n2019Q1,83,86\n2019Q4,70,82\n2019Q2,90,93\n"
    assert _ordered_json(tmp_path / "quarters.csv", text, "x", "n", "quarter") == _typed()


def test_a_long_table_of_several_indicators_is_told_to_keep_one(tmp_path):
    # `ihms indicators compute --out` writes every indicator in one table: before, the
    # first indicator without a count stopped it ("column 'numerator' ... row 4: expected
    # a number, got an empty cell"), and with counts in every row the trend ran over
    # every indicator's rows as if they were groups.
    csv = tmp_path / "ind.csv"
    csv.write_text(
        "indicator,period,numerator,denominator\n"
        "hypertension_control_rate,2022,2,3\nhypertension_control_rate,2023,1,2\n"
        "diabetes_control_rate,2022,1,2\ndiabetes_control_rate,2023,0,0\n",
        encoding="utf-8",
    )
    message = fails(csv, "--events-col", "numerator", "--totals-col", "denominator")
    assert (
        f"{csv}: the table holds 2 indicators (column 'indicator': hypertension_control_rate, "
        "diabetes_control_rate) — keep one indicator's rows (ihms indicators compute -i ID "
        "writes one)"
    ) in message


def _quarterly(tmp_path, cells, order=(2, 0, 3, 1)):
    """R's smokers/patients groups in the order of ``cells``, the file's rows shuffled."""
    text = "period,x,n\n" + "".join(f"{cells[i]},{SMOKERS[i]},{PATIENTS[i]}\n" for i in order)
    csv = tmp_path / "periods.csv"
    csv.write_text(text, encoding="utf-8")
    return run("trend", csv, "--events-col", "x", "--totals-col", "n",
               "--order-col", "period", "--json")  # fmt: skip


@pytest.mark.parametrize(
    "cells",
    [
        # sorted as text: 一 < 三 < 二 < 四 put the third quarter second (X² = 6.8470)
        ["2019年第一季度", "2019年第二季度", "2019年第三季度", "2019年第四季度"],
        # sorted as text: 2019-10 < 2019-11 < 2019-12 < 2019-9
        ["2019-9", "2019-10", "2019-11", "2019-12"],
        ["2019年9月", "2019年10月", "2019年11月", "2019年12月"],
        ["2019m9", "2019m10", "2019m11", "2019m12"],
        # YYYYMM numbers were scored by value: 201912 -> 202001 a gap of 89 (X² = 4.8890)
        ["201911", "201912", "202001", "202002"],
        ["2019Q4", "2020Q1", "2020Q2", "2020Q3"],
        # read as numbers: 2019.1 (October) < 2019.11 < 2019.12 < 2019.9
        ["2019.9", "2019.10", "2019.11", "2019.12"],
        # Excel's 2019.10 saved as 2019.1 beside 2019.09 (as ITS reads it); by value
        # 2019.12 -> 2020.01 was a gap of 89 hundredths
        ["2019.11", "2019.12", "2020.01", "2020.02"],
        ["2019.09", "2019.1", "2019.11", "2019.12"],
        # full-width digits, read by the one rule (ihms._months.read_dotted): were scored
        # by value as the numbers 2019.09 … 2019.12
        ["２０１９.０９", "２０１９.１", "２０１９.１１", "２０１９.１２"],
    ],
)
def test_periods_are_ordered_and_scored_as_periods(tmp_path, cells):
    # consecutive periods are R's prop.trend.test(smokers, patients) with scores 1..4:
    # X-squared = 8.2249 (R's help page); was 6.8470 / 4.8890 with the wrong order/scores
    result = _quarterly(tmp_path, cells)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scores"] == [1, 2, 3, 4]
    assert round(out["chi2"], 4) == 8.2249
    assert out == _typed()
    assert "counted from the first" in " ".join(result.stderr.split())


def test_a_missing_period_is_a_gap_in_the_scores(tmp_path):
    # 2019Q3 left out: scores 1, 2, 4, 5. By hand (Cochran–Armitage, Agresti 2007 §2.5;
    # X² = T² / [p(1 − p) (Σ n s² − (Σ n s)² / N)], T = Σ x (s − s̄), as
    # tests/stats/test_trend.py checks it against R): 7.3963, where 1..4 gives 8.2249
    result = _quarterly(tmp_path, ["2019Q1", "2019Q2", "2019Q4", "2020Q1"])
    out = json.loads(result.stdout)
    assert out["scores"] == [1, 2, 4, 5] and round(out["chi2"], 4) == 7.3963
    months = _quarterly(tmp_path, ["201910", "201911", "202001", "202002"])
    assert json.loads(months.stdout)["scores"] == [1, 2, 4, 5]


def test_the_scores_note_says_where_they_came_from(tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("year,x,n,rank\n2019,83,86,1\n2020,90,93,2\n2021,129,136,3\n2022,70,82,4\n")
    base = ("trend", csv, "--events-col", "x", "--totals-col", "n")
    notes = {
        "year": " ".join(run(*base, "--order-col", "year").stderr.split()),
        "rank": " ".join(run(*base, "--scores-col", "rank").stderr.split()),
        "none": " ".join(run(*base).stderr.split()),
    }
    assert "scores: the values of column 'year' (--order-col)" in notes["year"]
    assert "scores: the values of column 'rank' (--scores-col)" in notes["rank"]
    assert "scores: 1..4 in the file's row order" in notes["none"]


def test_group_names_are_sorted_as_text_with_a_note_and_a_mix_is_refused(tmp_path):
    result = _quarterly(tmp_path, ["a-low", "b-mid", "c-high", "d-top"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == _typed()
    note = " ".join(result.stderr.split())
    assert "no cell of column 'period' reads as a period: the groups sorted as text" in note
    assert "scores: 1..4 in that order" in note
    csv = tmp_path / "periods.csv"
    mixed = _quarterly(tmp_path, ["2019Q1", "2019Q2", "Q3", "2019Q4"])
    assert mixed.exit_code == 2
    message = " ".join(mixed.output.split())
    assert (
        f"column 'period' of {csv}: row 2 (Q3) is not a period while row 3 (2019Q1) is a "
        "quarter" in message
    ), message
    kinds = _quarterly(tmp_path, ["2019Q1", "2019Q2", "2019-07", "2019Q4"])
    message = " ".join(kinds.output.split())
    assert kinds.exit_code == 2
    assert "mixes kinds of period: row 2 (2019-07) a month, row 3 (2019Q1) a quarter" in message
    same = _quarterly(tmp_path, ["2019Q1", "2019Q2", "2019年第一季度", "2019Q4"])
    message = " ".join(same.output.split())
    assert same.exit_code == 2
    assert (
        f"column 'period' of {csv} row 3: 2019Q1 is the same period as row 2 (2019年第一季度)"
        in message
    )


def test_a_per_cent_order_column_is_numbers(tmp_path):
    # coverage bands written 5%, 10%, ...: were sorted as text (10% < 15% < 20% < 5%);
    # equally spaced, so R's prop.trend.test(smokers, patients), X² = 8.2249
    result = _quarterly(tmp_path, ["5%", "10%", "15%", "20%"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scores"] == [5, 10, 15, 20] and round(out["chi2"], 4) == 8.2249
    assert "scores: the values of column 'period' (--order-col)" in result.stderr


def _county_years(tmp_path, name: str, rows: str) -> tuple[Path, str]:
    """``ihms trend`` of in-county admissions over all admissions, by year, failing."""
    csv = tmp_path / name
    csv.write_text("年份,县域内住院人次,住院总人次\n" + rows, encoding="utf-8")
    return csv, fails(csv, "--events-col", "县域内住院人次", "--totals-col", "住院总人次",
                      "--order-col", "年份")  # fmt: skip


def test_range_errors_name_the_file_row_column_and_period(tmp_path):
    # 2019年 is written before 2018年: the sorted group 4 is 2018年, which is file row 6
    csv, message = _county_years(tmp_path, "trend_y.csv",
        "2015年,18012,24352\n2016年,18500,25286\n2017年,19010,24852\n2019年,19830,24355\n"
        "2018年,25000,23927\n",
    )  # fmt: skip
    assert (
        f"column '县域内住院人次' of {csv} row 6 (年份 2018年): events 25,000 exceed the "
        "total 23,927" in message
    )
    assert "group 4" not in message


def test_every_bad_cell_is_reported_in_one_pass(tmp_path):
    csv, message = _county_years(tmp_path, "trend_bad.csv",
        "2015年,18012,24352\n2016年,74%,25286\n2017年,,24852\n2018年,-5,23927\n"
        "2019年,19830.5,24355\n",
    )  # fmt: skip
    col = f"column '县域内住院人次' of {csv}"
    assert "4 problem(s)" in message
    assert f"{col} row 3 (年份 2016年): expected a number, got '74%'" in message
    assert f"{col} row 4 (年份 2017年): expected a number, got an empty cell" in message
    assert f"{col} row 5 (年份 2018年): expected a count >= 0, got -5" in message
    assert f"{col} row 6 (年份 2019年): expected a whole number, got 19830.5" in message


def test_a_2019_1_no_other_month_settles_is_january_as_its_reads_it(tmp_path):
    # session 35 review item 5: 2019.1 beside only 2019.11 and 2019.12 may be Excel's
    # October or January (ihms._months.read_dotted leaves it unsettled); trend and its
    # read it as January, where payment refuses it (money is at stake). Documented in
    # the --order-col and --time help and ARCHITECTURE's ihms._months paragraph.
    from ihms.stats._its_time import time_column

    cells = ["2019.1", "2019.11", "2019.12", "2020.1"]
    result = _quarterly(tmp_path, cells)
    assert result.exit_code == 0, result.output
    # January 2019 = 1, so November 11, December 12, January 2020 13
    assert json.loads(result.stdout)["scores"] == [1, 11, 12, 13]
    problems: list[str] = []
    _, codes = time_column(pd.DataFrame({"t": cells}), "t", None, problems)
    assert not problems and codes.tolist() == [708, 718, 719, 720]  # 2019m1 2019m11 …
