"""The warning sites given their Chinese in session 36's second pass (the reading notes
of the payment tables, the statistics' exact fits, quarters read from days, the
seasonal indices and growth rates, the policy tables' unresolved answers): each said in
Chinese under ``--lang zh`` where a command reaches it, through the library where not;
the English is the tests' of each site (tests/stats, tests/payment), unchanged. Also
the statistics tables' title note (:mod:`ihms.cli._tables`), which printed English
under ``--lang zh``, and the store's follow-up rates read from the catalogue."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from tests.cli.test_zh_warning_notes import PAY, _chinese_of, _flat
from tests.payment.test_column_map_tables import MAP, _chinese_spending
from tests.stats.test_its_exact_fit import exact_series
from tests.stats.test_its_quarter_days import Y, _first_days
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data._notes_zh import note_zh

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "series" / "county_hospital_monthly.csv"
EX = ROOT / "examples" / "payment"


def _zh_settle(*args: str) -> str:
    result = runner.invoke(app, [*PAY[:-4], *args, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    return _flat(result.stderr)


# ------------------------------------------------------------------ payment reading notes


def test_thousands_separators_in_a_payment_table_noted_in_chinese(tmp_path):
    # payment/_collector.py raise_if_any: the data import's note of 343,680
    population = tmp_path / "population.csv"
    rows = (EX / "population.csv").read_text("utf-8").splitlines()
    head, first, *rest = rows
    cells = first.split(",")
    cells[2] = f'"{int(cells[2]):,}"'
    population.write_text("\n".join([head, ",".join(cells), *rest]) + "\n", "utf-8")
    said = _zh_settle("--spending", str(EX / "spending.csv"), "--population", str(population))
    assert (
        f"注：{population} 列 'insured_population'：1 个数值带千位分隔符，已按数值读入"
        "（343,680 → 343680）" in said
    )
    assert "written with" not in said


def test_a_column_map_and_yes_no_words_noted_in_chinese(tmp_path):
    # payment/_parse.py read_mapped (the map's renames); _collector.py (基层 是/否)
    spending = _chinese_spending(tmp_path)
    columns = tmp_path / "map.yaml"
    columns.write_text(MAP, encoding="utf-8")
    said = _zh_settle(
        "--spending", str(spending), "--population", str(EX / "population.csv"),
        "--columns", str(columns),
    )  # fmt: skip
    assert f"注：{spending}：8 列按 map.yaml 改名：年度 → year" in said
    assert re.search(rf"注：{re.escape(str(spending))} 列 '基层'：[\d,]+ 个是/否值未写作", said)
    assert "renamed by" not in said and "yes/no" not in said


def test_a_hidden_sheet_in_a_payment_workbook_noted_in_chinese(tmp_path):
    # payment/_parse.py _read_sheet: the payment commands have no --sheet
    import openpyxl

    from ihms.payment._parse import read_frame

    path = tmp_path / "spending.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["year", "value"])
    book.active.append([2018, 1])
    hidden = book.create_sheet("old")
    hidden.append(["year"])
    hidden.sheet_state = "hidden"
    book.save(path)
    said = _chinese_of(lambda: read_frame(path))
    assert said == f"{path}：隐藏的工作表 'old' 未读入（取消隐藏即可读入）"


def test_the_reading_notes_of_every_form_have_their_chinese():
    from ihms._stat_missing import MISSING_CODES, missing_code_notes

    cells = pd.DataFrame({"income": ["", "", "12"]})
    cells.attrs[MISSING_CODES] = {"income": [(".a", "refused", 2)]}
    (codes,) = missing_code_notes("survey.dta", cells)
    assert note_zh(codes) == (
        "survey.dta：列 'income' 有 2 个单元格为 Stata 扩展缺失值，按缺失值读入：.a 'refused' ×2"
    )
    merged = "a.xlsx (sheet 'data'): merged cells A2:A4 give their value to every cell they cover"
    assert note_zh(merged) == "a.xlsx（工作表 'data'）：合并单元格 A2:A4 的值填入其覆盖的每个单元格"
    left = "a.csv: 2 columns left out by map.yaml: 备注, 序号"
    assert note_zh(left) == "a.csv：2 列按 map.yaml 未读入：备注、序号"
    renamed = "a.csv: 2 columns renamed by map.yaml: 机构 → institution_id, 年 → year"
    assert note_zh(renamed).endswith("改名：机构 → institution_id、年 → year")
    hidden = "a.xlsx: hidden sheets 'old', 'a, b' left out (unhide one to read it)"
    assert note_zh(hidden) == "a.xlsx：隐藏的工作表 'old'、'a, b' 未读入（取消隐藏即可读入）"
    coded = "column 'setting' of s.csv: 3 values written in Chinese or another spelling were "
    coded += "read as their codes (医共体 → county_consortium)"
    assert note_zh(coded).startswith("s.csv 列 'setting'：3 个值以中文或其他写法写出，已按编码读入")
    assert note_zh("a note of no known form") is None


# ------------------------------------------------------------------ statistics


def test_an_exact_fit_in_chinese_alone_and_in_a_batch():
    # stats/its.py _ols; stats/its_batch.py fit_its_batch
    from ihms.stats import ITSModel, fit_its_batch

    model = ITSModel(exact_series(), outcome="visits", time="month", interruptions="2023-01")
    said = _chinese_of(lambda: model.fit(cov_type="ols"))
    assert said.startswith("结局指标 'visits'：恰好落在拟合线上（没有残差），故标准误为 0")
    data = exact_series().assign(clinic="VC1")
    args = {"outcome": "visits", "time": "month", "series": "clinic", "interruptions": "2023-01"}
    said = _chinese_of(lambda: fit_its_batch(data, **args))
    assert said.startswith("clinic VC1（'visits'）：恰好落在拟合线上")


def test_quarters_written_as_days_in_chinese_alone_and_in_a_batch():
    # stats/_its_design.py build_design; stats/its_batch.py fit_its_batch
    from ihms.stats import ITSModel, fit_its_batch

    frame = pd.DataFrame({"when": _first_days(), "visits": Y})
    model = ITSModel(frame, outcome="visits", time="when", interruptions="2018Q1")
    said = _chinese_of(lambda: model.fit())
    assert said.startswith(
        "列 'when'：每个日期都是季度的第一天（2016-01-01、2016-04-01，…），故该列按季度读入"
        "（2016Q1、2016Q2，…）"
    )
    batch = frame.assign(unit="a")
    args = {"outcome": "visits", "time": "when", "series": "unit", "interruptions": "2018Q1"}
    assert _chinese_of(lambda: fit_its_batch(batch, **args)) == said


def test_the_times_of_day_dropped_are_listed_with_the_chinese_comma():
    # stats/_its_days.py reading_note: dates at the quarters' first days, carrying a time
    from ihms.stats import ITSModel

    when = [f"{d} 0{i % 4}:30:00" for i, d in enumerate(_first_days())]
    frame = pd.DataFrame({"when": when, "visits": Y})
    model = ITSModel(frame, outcome="visits", time="when", interruptions="2018Q1")
    said = _chinese_of(lambda: model.fit())
    assert (
        "；日期所带的时刻（2016-01-01 00:30:00、2016-04-01 01:30:00、2016-07-01 02:30:00、…）"
        "已舍去：日期本身即说明所属季度"
    ) in said


def test_seasonal_indices_too_short_to_leave_the_straddling_ones_out():
    # stats/seasonal.py ratio_to_moving_average (tests/stats/test_seasonal.py's series)
    from ihms.stats import ratio_to_moving_average

    months = pd.period_range("2016-01", periods=24, freq="M")
    y = pd.Series(100.0 + np.arange(24) + 10 * (np.arange(24) >= 12), index=months, name="y")
    said = _chinese_of(lambda: ratio_to_moving_average(y, breaks=["2017-01"]))
    # months as 1、2 月 (no 第, which was 第 1、2 月); quarters as 第 1、2 季度
    months_said = "、".join(map(str, range(1, 13)))
    assert said.startswith(f"序列 'y'：序列太短，无法剔除 {months_said} 月跨越干预时点的移动平均")
    assert not re.search("[A-Za-z]{3}", said)
    quarters = pd.period_range("2016Q1", periods=8, freq="Q")
    y = pd.Series(100.0 + np.arange(8) + 10 * (np.arange(8) >= 4), index=quarters, name="y")
    said = _chinese_of(lambda: ratio_to_moving_average(y, breaks=["2017Q1"]))
    assert "无法剔除第 " in said and "季度跨越干预时点的移动平均" in said


def test_a_series_label_with_of_inside_its_quoted_name():
    # stats/seasonal.py _label_zh: a lazy "(.*?) of (.+)" cut inside the quoted name,
    # giving "b' of f.csv 列 'a"
    from ihms.stats.seasonal import _label_zh

    assert _label_zh("column 'a of b' of f.csv") == "f.csv 列 'a of b'"
    assert _label_zh("column 'y' of unit 'x of y' of f.csv") == "f.csv 列 'y'（单位 'x of y'）"
    assert _label_zh("column \"it's of\" of series 's1'") == "列 \"it's of\"（序列 's1'）"
    assert _label_zh("series") == "序列"


def test_a_zero_in_a_year_the_growth_rate_does_not_use():
    # stats/growth.py growth_table (tests/stats/test_growth.py's table)
    from ihms.stats import growth_table

    data = pd.DataFrame({"year": [2015, 2016, 2017], "value": [24352, 0, 24852]})
    said = _chinese_of(lambda: growth_table(data, source="ind.csv"))
    assert said.endswith("2016 年（ind.csv 第 3 行，列 'value'）：数值 0 ≤ 0；未使用：年均增长率只"
                         "用 2015 年和 2017 年的数值")  # fmt: skip


# ------------------------------------------------------------------ the title note


def test_the_statistics_title_note_in_the_commands_language(tmp_path):
    # cli/_tables.py _titled: note() without the command's --lang printed English
    path = tmp_path / "series.csv"
    path.write_text("2016–2019年门诊量\n" + SERIES.read_text("utf-8"), "utf-8")
    args = ["its", "fit", str(path), "--outcome", "hospitalizations", "--time", "month"]
    args += ["--interruption", "2017-10"]
    zh = runner.invoke(app, [*args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert f"注：{path}：表头上方第 1 行为表格标题，未读入" in _flat(zh.stderr)
    en = runner.invoke(app, args)
    assert f"note: {path}: row 1 above the header left out as the sheet's title" in _flat(en.stderr)


def test_blank_lines_above_the_header_in_chinese(tmp_path):
    # _layout.py title_note(blank=True): was 表头上方的空白第 1–2 行未读入
    path = tmp_path / "series.csv"
    path.write_text(",\n,\n" + SERIES.read_text("utf-8"), "utf-8")
    args = ["its", "fit", str(path), "--outcome", "hospitalizations", "--time", "month"]
    zh = runner.invoke(app, [*args, "--interruption", "2017-10", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert f"注：{path}：表头上方第 1–2 行为空行，未读入" in _flat(zh.stderr)


# ------------------------------------------------------------------ the store's follow-ups


def test_the_rates_counting_follow_ups_are_read_from_the_catalogue():
    # cli/_payment_store_rates.py _counts_followups (was _FOLLOWED_UP, a copy of four ids):
    # catalogue.yaml's control and management rates count chronic_patients, built on the
    # followups table (indicators/_sources.py SOURCE_TABLES)
    from ihms.cli._payment_store_rates import _counts_followups
    from ihms.indicators import CATALOGUE
    from ihms.payment import STORE_ASSESSMENT_INDICATORS

    counted = {i for i, c in STORE_ASSESSMENT_INDICATORS.items() if _counts_followups(CATALOGUE[c])}
    assert {STORE_ASSESSMENT_INDICATORS[i] for i in counted} == {
        "hypertension_control_rate",
        "diabetes_control_rate",
        "hypertension_management_rate",
        "diabetes_management_rate",
    }
    share = CATALOGUE["healthcare_visits_primary_share"]
    of_patients = replace(share.denominator, source="chronic_patients", where=())
    assert _counts_followups(replace(share, denominator=of_patients))
    assert not _counts_followups(share)
