"""``ihms indicators list|show|compute --lang zh``: titles, headers, indicator names,
units, levels, tiers and notes in Chinese, every number as ``--lang en`` prints it;
``--json`` and error messages stay English, ``--out``'s data too."""

from __future__ import annotations

import json
import re
from collections import Counter

import pandas as pd
import pytest
from tests.cli.test_indicators_cli import store  # noqa: F401  (fixture)
from typer.testing import CliRunner

from ihms.cli._common import console
from ihms.cli.main import app
from ihms.indicators import CATALOGUE

runner = CliRunner()


def numbers(text: str) -> Counter[str]:
    """The numbers printed, as a multiset (a Chinese sentence may order them otherwise);
    digits inside an identifier (``physicians_per_1000``, ``G01``) are not numbers."""
    return Counter(re.findall(r"(?<![A-Za-z0-9_.,])\d+(?:[,.]\d+)*(?![A-Za-z0-9_])", text))


def table_lines(text: str) -> str:
    """The table's rows and title, without the notes under it."""
    return "\n".join(line for line in text.splitlines() if "│" in line or "┃" in line)


@pytest.fixture
def wide(monkeypatch):
    """Run a command on a console 250 columns wide with every row printed."""
    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call

    def run(args: list[str]) -> str:
        result = runner.invoke(app, args, env={"COLUMNS": "250", "IHMS_MAX_ROWS": "0"})
        assert result.exit_code == 0, result.output
        return result.output

    return run


def _unit_numbers(units) -> Counter[str]:
    """The numbers in the catalogue's English units (``per 1,000 residents``): the
    Chinese units say them in words (每千人口)."""
    return sum((numbers(u) for u in units), Counter())


def test_list_in_chinese(wide):
    en, zh = wide(["indicators", "list"]), wide(["indicators", "list", "--lang", "zh"])
    assert en == wide(["indicators", "list", "--lang", "en"])
    assert numbers(zh) - numbers(en) == Counter()
    # the units say their numbers in words (每千人口), the sources leave their remarks to
    # show: every other number of the English table is printed
    said_elsewhere = _unit_numbers(i.unit for i in CATALOGUE) + _unit_numbers(
        i.seed for i in CATALOGUE
    )
    assert numbers(en) - numbers(zh) <= said_elsewhere
    assert f"指标目录（{len(CATALOGUE)}）" in zh
    for words in ("指标代码", "名称", "英文名称", "计量单位", "期间", "层级", "来源",
                  "居民住院率", "住院人次/百人（平均人口）", "人/千人口（年末人口）", "月、年"):  # fmt: skip
        assert words in zh, words


def test_show_in_chinese(wide):
    args = ["indicators", "show", "hospitalization_rate"]
    en, zh = wide(args), wide([*args, "--lang", "zh"])
    assert numbers(en) - numbers(zh) == _unit_numbers([CATALOGUE["hospitalization_rate"].unit])
    assert numbers(zh) - numbers(en) == Counter()
    for words in ("hospitalization_rate：居民住院率（Residents' hospitalization rate）", "分子",
                  "分母", "乘数", "抑制依据", "分子、分母", "合计、省、市、县、网格、医联体"):  # fmt: skip
        assert words in zh, words
    # 系数 reads as a regression coefficient; the complement is named as compute names it
    assert "系数" not in zh and "complement" not in zh
    assert "分子、分母、补数（分母 − 分子）" in wide(["indicators", "show", "hypertension_control_rate",
                                                  "--lang", "zh"])  # fmt: skip


def test_list_cites_the_sources_briefly_in_chinese(wide):
    zh = wide(["indicators", "list", "--lang", "zh"])
    cells = {c.strip() for line in zh.splitlines() for c in line.split("│")}
    # the catalogue's seeds, cited as Chinese papers cite them; their remarks left to show
    assert {"Zhong et al. 2023，表3", "Jia et al. 2021，表2", "Gao et al. 2022，表3", "无"} <= cells
    assert "tier secondary" not in zh and "per-capita cost" not in zh


@pytest.fixture(scope="module")
def tier_runs(store):  # noqa: F811
    """``compute --level tier`` in both languages (every indicator the level allows, the
    rest computed elsewhere or left out and noted)."""
    args = ["indicators", "compute", "--store", str(store), "--level", "tier"]
    mp = pytest.MonkeyPatch()
    mp.setattr(console, "_width", None)
    try:
        env = {"COLUMNS": "250", "IHMS_MAX_ROWS": "0"}
        out = [runner.invoke(app, [*args, "--lang", lang], env=env) for lang in ("en", "zh")]
    finally:
        mp.undo()
    for result in out:
        assert result.exit_code == 0, result.output
    return out[0].output, out[1].output


def test_compute_in_chinese_keeps_every_number(tier_runs):
    en, zh = tier_runs
    assert numbers(table_lines(zh)) == numbers(table_lines(en))
    assert len(table_lines(zh).splitlines()) == len(table_lines(en).splitlines())
    for words in ("指标（按机构层级、年）", "期间", "值", "分子", "分母", "已抑制", "上转人次",
                  "下转人次", "县级医院", "乡镇卫生院", "村卫生室", "合计", "否"):  # fmt: skip
        assert words in zh, words
    assert "secondary" not in table_lines(zh) and "yes" not in table_lines(zh)


def test_compute_notes_in_chinese(tier_runs):
    en, zh = tier_runs
    text = "".join(zh.split())  # rich's line wrapping undone
    assert "值的单位：门急诊人次为人次；" in text
    assert "住院次均费用为元/住院人次（分子以分计）" in text
    assert "未按机构层级计算（其定义允许的最细层级）：按合计：" in text
    assert "计数为1至4的单元格已抑制" in text
    assert (
        "未计算：未按转诊路径转诊人次。原因：其按卫生服务体系文件的转诊路径判断转诊，"
        "而数据中没有该文件（请给出--systemFILE）。" in text
    )
    assert "Values in" not in zh and "Not computed" in en
    assert "注：值的单位：" in text  # the first note under 注：, as sim's tables


def test_compute_consortium_part_years_note_in_chinese(store, wide):  # noqa: F811
    args = ["indicators", "compute", "--store", str(store), "--level", "consortium"]
    en, zh = wide(args), wide([*args, "--lang", "zh"])
    assert "consortia operating in part of the period: youxi-ichc (from 2017)" in en
    assert "注：部分年份运行的医联体：youxi-ichc（2017 年起）；其运行年份以外的单元格留空" in zh
    assert "operating in part" not in zh


def test_compute_out_notes_say_the_part_years_note_as_stderr_does(store, tmp_path):  # noqa: F811
    # read-through 33a: stderr said it in Chinese, the notes file in English
    out = tmp_path / "r.csv"
    args = ["indicators", "compute", "--store", str(store), "--level", "consortium"]
    result = runner.invoke(app, [*args, "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    notes = list(pd.read_csv(tmp_path / "r-notes.csv", encoding="utf-8-sig")["note"])
    assert any(n.startswith("部分年份运行的医联体：youxi-ichc（2017 年起）") for n in notes)
    assert not any("operating in part" in n for n in notes)


def test_compute_out_and_json_in_either_language(store, tmp_path):  # noqa: F811
    args = ["indicators", "compute", "--store", str(store), "-i", "hospitalizations",
            "-i", "cost_per_hospitalization", "--level", "tier"]  # fmt: skip
    files = {}
    for lang in ("en", "zh"):
        out = tmp_path / lang / "r.csv"
        result = runner.invoke(app, [*args, "--out", str(out), "--lang", lang])
        assert result.exit_code == 0, result.output
        files[lang] = out
    assert "已写入" in result.output and "行至" in result.output
    en, zh = (pd.read_csv(files[lang]) for lang in ("en", "zh"))
    pd.testing.assert_frame_equal(en, zh)  # the data, names and values, in English
    notes = pd.read_csv(tmp_path / "zh" / "r-notes.csv", encoding="utf-8-sig")["note"]
    assert notes[0] == "ihms indicators compute：层级 机构层级，期间 年。"
    assert "人均指标的分母为居民登记（--population register）。" in list(notes)
    assert any("值、分子和分母留空，suppressed = True。" in n for n in notes)
    plain = runner.invoke(app, [*args, "--json"])
    said = runner.invoke(app, [*args, "--json", "--lang", "zh"])
    assert said.exit_code == 0 and said.output == plain.output
    assert json.loads(said.stdout)[0]["indicator"] == "hospitalizations"


@pytest.mark.parametrize(
    "args",
    [["list"], ["show", "hospitalization_rate"], ["compute", "--store", "nowhere.duckdb"]],
)
def test_a_bad_lang_is_refused_and_errors_stay_english(args):
    result = runner.invoke(app, ["indicators", *args, "--lang", "fr"])
    assert result.exit_code == 2
    assert "parameter 'lang': expected 'en' or 'zh', got 'fr'" in result.output
    result = runner.invoke(app, ["indicators", "show", "hospitalisation_rate", "--lang", "zh"])
    assert result.exit_code == 2 and "did you mean 'hospitalization_rate'" in result.output
