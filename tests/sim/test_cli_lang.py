"""``ihms sim run|calibrate|compare|sensitivity --lang zh``: the tables' titles, headers,
row labels and notes in Chinese (:mod:`ihms.sim._words_zh`, :mod:`ihms.sim._notes_zh`),
every figure in the tables the same as the English run's with the same seed; ``--json``
and the files ihms reads back (``sim run``'s) stay English, ``compare --table`` follows
``--lang`` (``tests/cli/test_out_lang_rule.py``); a language ihms does not write is refused before
anything is simulated. Runs are at the 800 residents the other sim CLI tests use."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
#: wide enough that no table is split into column blocks in either language
WIDE = {"COLUMNS": "400"}
SMALL = ("--residents", "800")
_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.fixture(autouse=True)
def _sized_by_columns(monkeypatch):
    """The console sized by ``COLUMNS`` at each call, not by the width it was made with
    (a worker started with a narrow one would split the tables into blocks)."""
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)


@pytest.fixture(autouse=True)
def _simulated_once_per_test(simulated_once):
    """The English and the Chinese invocations (and their --json twins) differ only in how
    the result is said: each test simulates once (``simulated_once``)."""
    import ihms.sim.calibrate
    import ihms.sim.compare
    import ihms.sim.seeds
    import ihms.sim.sensitivity

    simulated_once(ihms.sim.sensitivity, "one_way")
    simulated_once(ihms.sim.compare, "compare_regimes")
    simulated_once(ihms.sim.seeds, "compare_seeds")
    simulated_once(ihms.sim.calibrate, "calibrate")


def _invoke(*args, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args], env=WIDE)
    assert result.exit_code == code, result.output
    return result.output


def _cells(output: str) -> list[list[list[str]]]:
    """The numbers in each table row's cells after its label (the label's own words, a
    year as 2016 or 2016年, differ by language), row by row."""
    rows = []
    for line in output.splitlines():
        if line.startswith("│"):
            cells = line.strip().strip("│").split("│")[1:]
            rows.append([_NUMBER.findall(c) for c in cells])
    return rows


def _labels(output: str) -> list[str]:
    return [line.split("│")[1].strip() for line in output.splitlines() if line.startswith("│")]


def _same_figures(english: str, chinese: str) -> None:
    en, zh = _cells(english), _cells(chinese)
    assert en, english
    assert zh == en


def test_run_in_chinese(example_path, tmp_path):
    args = ("sim", "run", "--config", example_path, *SMALL)
    english = _invoke(*args, "--out", tmp_path / "en")
    chinese = _invoke(*args, "--out", tmp_path / "zh", "--lang", "zh")
    _same_figures(english, chinese)
    for words in (
        "县域模拟结果：三明总额包干，2017 年 10 月起",
        "门急诊人次",
        "住院人次",
        "医保基金支出（元）",
        "县域内外医保基金支出",
        "年终清算：三明总额包干",
        "总额预算（元）",
        "结余（元）",
        "每行为一个模拟年份",
        "注：calibration.tuned 中的 23 个调参值",
        "数据已写入",
    ):
        assert words in chinese, words
    assert re.search(r"注：曾在县内居住的居民共 [\d,]+ 名；随机种子 20171001；", chinese)
    assert "Simulated county" in english and "outpatient+emergency" in english
    assert "门急诊" not in english
    # every note said: no English sentence is left
    assert " the " not in chinese and "Simulated county" not in chinese
    # the years, as rows, are the same years
    assert _labels(chinese)[:4] == ["2016", "2017", "2018", "2019"] == _labels(english)[:4]
    # the summary file is data (read again), English in either language
    en_summary = json.loads((tmp_path / "en" / "summary.json").read_text(encoding="utf-8"))
    zh_summary = json.loads((tmp_path / "zh" / "summary.json").read_text(encoding="utf-8"))
    assert zh_summary["per_year"] == en_summary["per_year"]
    assert zh_summary["settlements"] == en_summary["settlements"]
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(zh_summary, ensure_ascii=False))


def test_calibrate_in_chinese(example_path):
    args = ("sim", "calibrate", "--config", example_path, *SMALL)
    english = _invoke(*args, code=1)  # 800 residents miss some of Zhong et al. 2023's figures
    chinese = _invoke(*args, "--lang", "zh", code=1)
    # the source column names the table only (表4), the paper being the title's
    en = [[row[0][-1:], *row[1:]] for row in _cells(english)]
    assert en and _cells(chinese) == en
    for words in ("模型校准", "目标值", "模拟值", "比值（模拟值/目标值）", "判定规则", "参与拟合"):
        assert words in chinese, words
    assert "居民住院率（每百居民住院人次），2016年" in _labels(chinese)
    assert "县级医院住院人次：斜率变化" in _labels(chinese)
    assert "Zhong et al. 2023，表4" in chinese and "注：相对指标在 ±10% 以内为符合" in chinese
    assert "结论（样本内）：" in chinese and "Verdict" not in chinese
    # the held-out figures and why the shown ones depart, said too
    assert "留出指标" in chinese and "表4：" in chinese
    assert " the " not in chinese and "Table" not in chinese
    assert "target" in english and "目标值" not in english


def test_compare_in_chinese_with_its_figure(example_path, tmp_path, monkeypatch):
    import ihms.stats

    drawn = []
    real_save = ihms.stats.save_figure

    def keep(fig, path, **kwargs):
        drawn.append(fig)
        return real_save(fig, path, **kwargs)

    monkeypatch.setattr(ihms.stats, "save_figure", keep)
    args = ("sim", "compare", "--config", example_path, *SMALL)
    args += ("--regime", "fee-for-service", "--regime", "sanming")
    english = _invoke(*args, "--figure", tmp_path / "en.png")
    chinese = _invoke(*args, "--lang", "zh", "--figure", tmp_path / "zh.png")
    _same_figures(english, chinese)
    for words in (
        "各支付方式模拟结果比较，2019 年",
        "按项目付费",
        "三明总额包干",
        "居民住院率（每百居民住院人次）",
        "诊疗人次基层占比",
        "总额预算（百万元）",
        "  其中：医务人员薪酬激励（百万元）",
        "95% 置信区间",
        "图已写入",
    ):
        assert words in chinese, words
    assert " the " not in chinese
    titles = [[ax.get_title() for ax in fig.axes] for fig in drawn]
    assert "Hospitalization rate (admissions per 100 residents)" in titles[0]
    assert "居民住院率（每百居民住院人次）" in titles[1]
    legend = [t.get_text() for t in drawn[1].axes[0].get_legend().get_texts()]
    assert legend == ["改革起始（2017 年 10 月）", "按项目付费", "三明总额包干"]
    assert (tmp_path / "zh.png").stat().st_size > 0


def test_compare_over_seeds_in_chinese(example_path):
    args = ("sim", "compare", "--config", example_path, *SMALL, "--year", "2019")
    args += ("--regime", "fee-for-service", "--regime", "sanming", "--seeds", "2")
    english = _invoke(*args)
    chinese = _invoke(*args, "--lang", "zh")
    _same_figures(english, chinese)
    for words in (
        "均数",
        "标准差",
        "最小值至最大值",
        "种子间波动范围",
        "三明总额包干 − 按项目付费",
    ):
        assert words in chinese, words
    assert "sanming − fee-for-service" in _labels(english)
    assert "三明总额包干相对按项目付费（%）" in _labels(chinese)


def test_sensitivity_in_chinese_and_its_json_in_english(example_path):
    args = ("sim", "sensitivity", "--config", example_path, *SMALL)
    args += ("--vary", "illness.trend_per_year")
    english = _invoke(*args)
    chinese = _invoke(*args, "--lang", "zh")
    _same_figures(english, chinese)
    for words in ("单因素敏感性分析，2019 年", "取下限时", "取上限时", "变动幅度", "注：基准运行"):
        assert words in chinese, words
    assert _labels(chinese) == _labels(english) == ["illness.trend_per_year"]
    assert json.loads(_invoke(*args, "--json", "--lang", "zh")) == json.loads(
        _invoke(*args, "--json")
    )


@pytest.mark.parametrize("command", ["run", "calibrate", "compare", "sensitivity"])
def test_a_language_ihms_does_not_write_is_refused(command, example_path, tmp_path):
    out = ("--out", tmp_path / "out") if command == "run" else ()
    result = runner.invoke(
        app, ["sim", command, "--config", str(example_path), *map(str, out), "--lang", "fr"]
    )
    assert result.exit_code == 2, result.output
    assert "expected 'en' or 'zh', got 'fr'" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()  # refused before anything was simulated


def test_every_figure_the_simulator_names_has_its_chinese_name():
    # a figure added to the comparison (or to the seeds' headline) without a Chinese name
    # would print English in a Chinese table
    from ihms.sim._words_zh import said_cell
    from ihms.sim.seeds import _SHORT, LABELS
    from ihms.sim.targets import TARGETS

    for label in [*LABELS.values(), *_SHORT.values(), *(t.label for t in TARGETS)]:
        said = said_cell(label)
        assert said != label and not re.search(r"[A-Za-z]{3}", said.replace("N", "")), label
