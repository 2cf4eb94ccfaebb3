"""``--lang zh`` of ``ihms payment budget|settle|track|scorecard`` (review item #15:
payment output was English only): titles, headers, row labels and the fixed notes in
the terms of Chinese medical-insurance payment (医保基金总额预算, 统筹基金, 民营医院预留,
风险调剂金, 结余, 超支, 预算执行进度, 年薪, 考核), on the console and in ``--out``; every
figure the same cell, formatted the same, as in English; ``--json`` and errors English.

Golden figures: sanming's 2018 budget of examples/payment, 216,896,962.56 yuan
(``test_cli_out``, computed by :func:`ihms.payment.global_budget`), the director's
card at 74.9 points (``test_cli_out``), and the tracking worked by hand in
``test_tracking_files`` (62,412.80 yuan budget, 14,000.00 yuan paid to March).
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment._words_zh import said_note

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
#: a figure as printed: 216,896,962.56, 74.9, 2.2697%, -2.57, 2018-03
FIGURE = re.compile(r"-?\d(?:[\d,]*\d)?(?:\.\d+)?%?")


def _ok(args):
    result = runner.invoke(app, ["payment", *args], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.stdout


def _files(example_dir):
    return [
        f"--{t}={example_dir / f'{t}.csv'}"
        for t in ("spending", "population", "indicators", "staff")
    ]


def _figures(frame: pd.DataFrame) -> list[list[str]]:
    """The figures of each cell, in order, as written."""
    return [[FIGURE.findall(str(v)) for v in row] for row in frame.astype(str).to_numpy()]


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    """The console as wide as COLUMNS says (one block: the figures in one order)."""
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)


@pytest.fixture
def monthly(tmp_path):
    """test_tracking_files' monthly table (February left without spending)."""
    rows = ["month,setting,institution_id,insurance_paid_fen"]
    for m in range(1, 13):
        rows.append(f"2017-{m:02d},consortium,CH01,{1_000_000 if m == 3 else 400_000}")
        rows.append(f"2017-{m:02d},outside_county,,100000")
        rows.append(f"2017-{m:02d},private,PR01,50000")
    rows += ["2018-01,consortium,CH01,600000", "2018-01,outside_county,,100000"]
    rows += ["2018-03,consortium,CH01,700000"]
    spending = tmp_path / "monthly.csv"
    spending.write_text("\n".join(rows) + "\n", encoding="utf-8")
    population = tmp_path / "population.csv"
    population.write_text("year,insured_population\n2017,100\n2018,100\n", encoding="utf-8")
    return [f"--spending={spending}", f"--population={population}", "--year", "2018",
            "--through", "2018-03", "--county", "youxi"]  # fmt: skip


@pytest.mark.usefixtures("former_sanming_rules")
def test_budget_in_chinese_title_headers_steps_and_note(example_dir):
    pop = f"--population={example_dir / 'population.csv'}"
    zh = _ok(["budget", pop, "--year", "2018", "--lang", "zh"])
    assert "2018 年医保基金总额预算（按人口测算）：216,896,962.56 元" in zh
    for words in ("项目", "计算过程", "结果", "参保人数", "人均筹资", "统筹基金", "民营医院预留",
                  "风险调剂金", "金额单位：元；所有金额精确到分。"):  # fmt: skip
        assert words in zh
    assert "Global budget" not in zh and "pooled fund" not in zh
    # the rules' YAML key is for the English and --json (review zh32 F6)
    assert "参保人数（总额预算测算基数）" in zh and "budget.population" not in zh
    en = _ok(["budget", pop, "--year", "2018"])
    assert _ok(["budget", pop, "--year", "2018", "--lang", "en"]) == en
    assert "Global budget 2018 (population-based): 216,896,962.56 yuan" in en
    # the same figures, in the same order and form
    assert FIGURE.findall(zh) == FIGURE.findall(en)


def test_budgets_of_two_years_out_xlsx_same_cells_chinese_headers(tmp_path, example_dir):
    pop = f"--population={example_dir / 'population.csv'}"
    books = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.xlsx"
        _ok(["budget", pop, "--year", "2018", "--year", "2019", "--out", str(out), "--lang", lang])
        books[lang] = openpyxl.load_workbook(out).worksheets[0]  # 总额预算 in Chinese
    en, zh = books["en"], books["zh"]
    assert zh["A1"].value == "2018–2019 年医保基金总额预算（按人口测算）"
    assert [c.value for c in zh[2]] == [
        "年份", "参保人数", "人均筹资（元）", "统筹基金（元）", "民营医院预留（元）",
        "风险调剂金（元）", "总额预算（元）",
    ]  # fmt: skip
    below = [r[0] for r in zh.iter_rows(min_row=5, values_only=True) if r[0]]
    assert any("统筹基金 = 民营医院预留 + 风险调剂金 + 总额预算" in n for n in below)
    for row_en, row_zh in zip(
        en.iter_rows(min_row=3, max_row=4), zh.iter_rows(min_row=3, max_row=4), strict=True
    ):
        for a, b in zip(row_en, row_zh, strict=True):
            assert (a.value, a.number_format) == (b.value, b.number_format)


def test_settle_out_csv_in_chinese_holds_the_english_figures_cell_by_cell(tmp_path, example_dir):
    frames = {}
    for lang in ("en", "zh"):
        out = tmp_path / lang / "settle.csv"
        _ok(["settle", *_files(example_dir), "--year", "2018", "--steps", "--out", str(out),
             "--lang", lang])  # fmt: skip
        frames[lang] = {
            name: pd.read_csv(out.with_name(f"settle{name}.csv"), dtype=str, encoding="utf-8-sig")
            for name in ("", "-assessment", "-working")
        }
    settled = frames["zh"][""]
    assert list(settled.columns) == ["项目", "金额（元）", "计算过程"]
    # every row of sanming's settlement has its Chinese label
    assert not [v for v in settled["项目"] if re.search("[A-Za-z]", v)]
    assert {"医保基金总额预算", "结余", "超支", "医共体结余留用", "医保基金总支出"} <= set(
        settled["项目"]
    )
    assert list(frames["zh"]["-working"].columns) == ["项目", "计算过程", "结果", "金额（元）"]
    assert list(frames["zh"]["-assessment"].columns) == [
        "考核指标",
        "权重",
        "指标值",
        "得分率",
        "得分",
    ]
    for name, en in frames["en"].items():
        assert _figures(frames["zh"][name]) == _figures(en), name


@pytest.mark.usefixtures("former_sanming_rules")
def test_settle_console_in_chinese(example_dir):
    zh = _ok(["settle", *_files(example_dir), "--year", "2018", "--lang", "zh"])
    # the scheme by the one Chinese name compare gives it (review zh32 F7)
    assert "2018 年度医保基金结算（三明总额包干）" in zh and "Sanming IMPM" not in zh
    assert "院长考核评分表，医共体：74.9 分（合格）" in zh
    # 摘要 is an abstract; a digest is a 校验值 (review zh32 F5)
    assert "规则 sanming v2018.1（校验值" in zh and "考核合格。" in zh and "合格线 60.0 分。" in zh
    assert "医保基金结余率由结算结果计算。" in zh and "fund_balance_rate" not in zh
    en = _ok(["settle", *_files(example_dir), "--year", "2018"])
    assert FIGURE.findall(zh) == FIGURE.findall(en)


def test_settle_xlsx_title_names_the_scheme_in_chinese(tmp_path, example_dir):
    out = tmp_path / "结算.xlsx"
    _ok(["settle", *_files(example_dir), "--year", "2018", "--out", str(out), "--lang", "zh"])
    book = openpyxl.load_workbook(out)
    assert book.worksheets[0]["A1"].value == "2018 年度医保基金结算（三明总额包干）"


def test_every_built_in_rule_set_has_one_chinese_name():
    from ihms.payment._config import BUILTIN_RULES
    from ihms.payment._words_zh import said_title
    from ihms.payment._words_zh_books import REGIME_ZH, said_book_cell
    from ihms.payment.compare import rules_label

    for name in BUILTIN_RULES:
        label = rules_label(name)
        assert label in REGIME_ZH, name
        assert (
            said_title(f"Settlement 2018 ({label})")
            == f"2018 年度医保基金结算（{REGIME_ZH[label]}）"
        )
        assert said_book_cell(label) == REGIME_ZH[label]


def test_settle_json_is_the_same_in_either_language(example_dir):
    args = ["settle", *_files(example_dir), "--year", "2018", "--json"]
    assert _ok([*args, "--lang", "zh"]) == _ok(args)


@pytest.mark.usefixtures("former_sanming_rules")
def test_track_in_chinese_with_its_notes_and_out_sheets(tmp_path, monthly):
    zh = _ok(["track", *monthly, "--lang", "zh"])
    assert "2018 年逐月预算执行进度（截至 2018-03）" in zh
    assert "2018 年预算执行进度（截至 2018-03）" in zh
    for words in ("县（区）", "月份", "累计支付", "总额预算", "使用率%", "时间进度%", "进度差", "预计结余",
                  "金额单位：元，精确到分；推算值四舍五入到分。", "youxi：2018-02 无医保支付",
                  "按 2017 年的逐月支出分布推算"):  # fmt: skip
        assert words in zh, words
    assert "62,412.80" in zh and "14,000.00" in zh
    books = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.xlsx"
        _ok(["track", *monthly, "--out", str(out), "--lang", lang])
        books[lang] = openpyxl.load_workbook(out)
    assert books["zh"].sheetnames == ["预算执行进度", "逐月预算执行进度"]  # session 36
    ws = books["zh"]["预算执行进度"]
    assert ws["A1"].value == "2018 年预算执行进度（截至 2018-03）"
    assert [c.value for c in ws[2]][:5] == ["县（区）", "月份", "当月支付", "累计支付", "总额预算"]
    for sheet in (0, 1):
        # the rows of figures (the notes below say them in another order: 1 月至 3 月)
        en_rows = [r for r in books["en"].worksheets[sheet].iter_rows(min_row=3) if r[1].value]
        zh_rows = [r for r in books["zh"].worksheets[sheet].iter_rows(min_row=3) if r[1].value]
        assert len(en_rows) == (1 if sheet == 0 else 3)
        for row_en, row_zh in zip(en_rows, zh_rows, strict=True):
            for a, b in zip(row_en, row_zh, strict=True):
                if isinstance(a.value, int | float):
                    assert (a.value, a.number_format) == (b.value, b.number_format)
                else:
                    assert FIGURE.findall(str(a.value or "")) == FIGURE.findall(str(b.value or ""))


def test_track_names_an_unnamed_county_whole_county(monthly):
    """Review zh32 L5: without --county the county column's cells were the placeholder
    ``county`` (县（区）, its header, on every row); a file's one county is now the whole
    county (全县) under the header 县（区）, and the county's name when --county gives it."""
    unnamed = monthly[: monthly.index("--county")]
    for lang, header, cell in (("en", "county", "whole county"), ("zh", "县（区）", "全县")):
        out = _ok(["track", *unnamed, "--lang", lang])
        rows = [line.split("│")[1].strip() for line in out.splitlines() if "│ 2018-0" in line]
        assert rows and set(rows) == {cell}, (lang, rows)
        assert f"┃ {header} " in out
        assert f"{cell}：按 2017 年" in out if lang == "zh" else f"{cell}: projected" in out
    named = _ok(["track", *unnamed, "--county", "尤溪县", "--lang", "zh"])
    assert {line.split("│")[1].strip() for line in named.splitlines() if "│ 2018-0" in line} == {
        "尤溪县"
    }


def test_track_notes_are_all_said_in_chinese(monthly):
    """Every note the tracking from a file writes has its Chinese (the patterns follow
    the library's English: a changed sentence fails here)."""
    import json

    notes = json.loads(_ok(["track", *monthly, "--json"]))["notes"]
    assert len(notes) >= 4
    untranslated = [n for n in notes if said_note(n) == n]
    assert not untranslated


@pytest.mark.usefixtures("former_sanming_rules")
def test_scorecard_in_chinese(example_dir):
    zh = _ok(["scorecard", *_files(example_dir), "--year", "2018", "--lang", "zh"])
    assert "院长考核评分表，医共体：74.9 分（合格）" in zh
    assert "年薪与激励分配" in zh
    for words in (
        "人员编号",
        "岗位",
        "年薪系数",
        "院长",
        "是",
        "否",
    ):
        assert words in zh
    # review zh32 F3: short money headers (基本年薪（元） was split inside its brackets
    # at 80 columns), the unit in the note under the table
    heads = [line for line in zh.splitlines() if line.startswith("┃ 人员编号")]
    assert heads and all("元）" not in h for h in heads)
    assert re.search(r"┃ +基本年薪 +┃", " ".join(heads))
    assert "金额单位：元。" in zh
    assert "薪酬激励资金 787,671.89 元" in zh
    # sanming's indicators in the indicator catalogue's names
    assert "高血压患者血压控制率（健康促进）" in zh and "Hypertension" not in zh
    en = _ok(["scorecard", *_files(example_dir), "--year", "2018"])
    assert FIGURE.findall(zh) == FIGURE.findall(en)


def test_another_language_is_refused_in_english(example_dir):
    result = runner.invoke(
        app, ["payment", "budget", f"--population={example_dir / 'population.csv'}",
              "--year", "2018", "--lang", "fr"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "expected 'en' or 'zh', got 'fr'" in result.output


def test_errors_stay_english_under_zh(example_dir):
    result = runner.invoke(app, ["payment", "budget", "--year", "2018", "--lang", "zh"])
    assert result.exit_code == 2
    assert "give --population, or --store" in result.output


def test_deqing_shared_savings_settlement_in_chinese(example_dir):
    """Deqing's shared savings (Jia et al. 2021): every row and the savings note in
    Chinese, the figures those of the English table."""
    args = ["settle", *_files(example_dir), "--year", "2018", "--rules", "deqing-shared-savings"]
    zh = _ok([*args, "--lang", "zh"])
    for words in ("2018 年度医保基金结算（德清医共体结余分成）", "家庭医生签约服务费", "基准",
                  "支付的结余分成", "结余率 4.14% ≥ 最低结余率 2.00%：达到", "结果：分享结余。"):  # fmt: skip
        assert words in zh, words
    assert "Savings rate" not in zh and "benchmark" not in zh
    assert FIGURE.findall(zh) == FIGURE.findall(_ok(args))


@pytest.mark.usefixtures("former_sanming_rules")
def test_distribute_in_chinese(tmp_path, example_dir):
    args = ["distribute", *_files(example_dir), "--year", "2018"]
    zh = _ok([*args, "--lang", "zh"])
    for words in ("结余分配：4,922,949.33 元", "结余用途", "比例 (%)", "医务人员激励", "机构发展",
                  "按最大余额法舍入：各项金额之和等于总额，精确到分。"):  # fmt: skip
        assert words in zh, words
    assert FIGURE.findall(zh) == FIGURE.findall(_ok(args))
    out = tmp_path / "d.csv"
    _ok([*args, "--out", str(out), "--lang", "zh"])
    assert list(pd.read_csv(out, encoding="utf-8-sig").columns) == [
        "结余用途",
        "比例 (%)",
        "金额（元）",
    ]


@pytest.mark.parametrize("year", [2017, 2018])  # 2017: an overspend, the card failed
def test_every_word_of_sanmings_settlement_and_working_is_chinese(tmp_path, example_dir, year):
    out = tmp_path / "settle.csv"
    _ok(["settle", *_files(example_dir), "--year", str(year), "--steps", "--out", str(out),
         "--lang", "zh"])  # fmt: skip
    settled = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    working = pd.read_csv(out.with_name("settle-working.csv"), dtype=str, encoding="utf-8-sig")
    english = re.compile(r"[A-Za-z]{3,}")
    cells = [*settled["项目"], *settled["计算过程"], *working["计算过程"]]
    assert not [c for c in cells if english.search(c)]


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_incentive_note_on_stderr_in_chinese(example_dir):
    args = ["payment", "settle", *_files(example_dir), "--year", "2018"]
    zh = runner.invoke(app, [*args, "--lang", "zh"], env=WIDE)
    assert zh.exit_code == 0, zh.output
    assert (
        "12 名人员中有 1 人的激励与基本年薪之比超过 1：DR-THC03-A 激励 116,708.37 元，为基本年薪 "
        "105,000.00 元的 1.11 倍" in zh.stderr
    )
    assert "--staff-headcount（激励资金所对应的人数）" in zh.stderr
    assert zh.stderr.startswith("注：12 名人员中有") and "note:" not in zh.stderr  # zh32 F8
    en = runner.invoke(app, args, env=WIDE)
    assert "note: Incentive above 1 × the base salary for 1 of the 12 staff" in en.stderr


def test_short_chinese_headers_of_compare_and_track(example_dir):
    """Review zh32 F3 (wording; L4): short headers that fold less at 80 columns, and
    百分点 rather than pp."""
    args = ["compare", *_files(example_dir)[:3], "--year", "2018", "--lang", "zh"]
    said = _ok(args)
    for header in ("计入支付", "结算结果", "基金总支出"):
        assert header in said, header
    track = _ok(["track", f"--spending={example_dir / 'monthly_spending.csv'}",
                 f"--population={example_dir / 'population.csv'}", "--year", "2018",
                 "--through", "2018-06", "--lang", "zh"])  # fmt: skip
    assert "使用率%" in track and "预计使用率%" in track and "单位为百分点（正数表示" in track
    assert "pp" not in track


def test_compare_notes_how_to_add_deqing_in_chinese(example_dir):
    """Review zh32 F8: compare's note on the default rule sets was English under zh."""
    args = ["compare", *_files(example_dir)[:3], "--year", "2018", "--year", "2019"]
    zh = runner.invoke(app, ["payment", *args, "--lang", "zh"], env=WIDE)
    assert zh.exit_code == 0, zh.output
    assert (
        "注：比较的是 sanming 与 other-areas（默认）；德清医共体结余分成（deqing-shared-savings）"
        "以各年度的质量评分为门槛：--population 已给出各比较年度的质量评分，加上 --rules sanming"
    ) in zh.stderr
    assert not re.search(r"compared|Deqing's|note:", zh.stderr), zh.stderr
    en = runner.invoke(app, ["payment", *args], env=WIDE)
    assert "note: compared sanming and other-areas (the default)" in en.stderr


def test_where_the_tables_were_written_in_chinese(tmp_path, example_dir):
    out = tmp_path / "b.xlsx"
    pop = f"--population={example_dir / 'population.csv'}"
    zh = _ok(["budget", pop, "--year", "2018", "--out", str(out), "--lang", "zh"])
    assert f"已写入 {out}" in zh
    assert f"Tables written to {out}" in _ok(["budget", pop, "--year", "2018", "--out", str(out)])


def test_settle_without_a_roster_says_its_pool_note_in_chinese(example_dir):
    # payment review 2026-11-25, finding 8: this one note stayed English
    zh = _ok(["settle", *_files(example_dir)[:3], "--year", "2018", "--lang", "zh"])
    assert "未提供医务人员名册：薪酬激励资金未分配。" in zh
    assert "No staff roster given" not in zh
