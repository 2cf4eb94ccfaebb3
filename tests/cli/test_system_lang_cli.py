"""``ihms system check|coverage|show|off-pathway --lang zh``: the tables' titles, headers,
vocabulary and notes in Chinese, every number as ``--lang en`` prints it; ``--json``
and error messages stay English."""

from __future__ import annotations

import re

import pytest
from tests.indicators.conftest import TINY_YAML, tiny_tables  # noqa: F401  (fixture)
from tests.indicators.test_referral_views import referred  # noqa: F401  (fixture)
from typer.testing import CliRunner

from ihms.cli._common import console
from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()
YOUXI = "examples/youxi.yaml"
QINGSHAN = "tests/system/data/qingshan.yaml"


def numbers(text: str) -> list[str]:
    """Every number printed (ids' digits too), in order of size: a Chinese sentence
    may name them in another order than the English one."""
    return sorted(re.findall(r"\d+(?:[,.]\d+)*", text))


@pytest.fixture
def wide(monkeypatch):
    """Run a command on a console 250 columns wide, every row printed: the two
    languages' tables then wrap no number."""
    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call

    def run(args: list[str]):
        result = runner.invoke(app, args, env={"COLUMNS": "250", "IHMS_MAX_ROWS": "0"})
        assert result.exit_code == 0, result.output
        return result.output

    return run


def both(run, args: list[str]) -> tuple[str, str]:
    """The output of ``args`` in English and in Chinese, their numbers checked equal."""
    en, zh = run([*args, "--lang", "en"]), run([*args, "--lang", "zh"])
    assert numbers(zh) == numbers(en)
    assert en == run(args)  # en is the default
    return en, zh


def test_check_in_chinese(wide):
    en, zh = both(wide, ["system", "check", YOUXI])
    assert "3 counties, 15 grids, 416 institutions, 2 consortia" in " ".join(en.split())
    assert (
        "通过 youxi.yaml：尤溪县——县 3 个，网格 15 个，机构 416 家，医联体 2 个；未发现问题。" in zh
    )
    assert "注：往年无医联体服务的网格：2016 年 G01、G02" in zh
    # youxi.yaml's name_zh (尤溪县) names the system in Chinese, its name in English
    assert "Youxi county" in en and "Youxi county" not in zh
    summary = both(wide, ["system", "show", YOUXI])[1]
    assert "尤溪县（youxi.yaml）" in summary and "Youxi county（" not in summary
    _, zh = both(wide, ["system", "check", QINGSHAN])
    assert "注：2022 年无医联体服务的网格 1 个：G3（居民 39,500 人）" in zh
    assert "注：qingshan.yaml 第 58 行：integration '紧密型' 读作 'full'（紧密型）。" in zh


def test_coverage_in_chinese(wide):
    _, zh = both(wide, ["system", "coverage", YOUXI, "--year", "2018"])
    for words in ("医联体覆盖情况（2018 年）", "数量", "总数", "占比（%）", "紧密型医联体覆盖人口",
                  "已建成紧密型县域医共体的县", "第 1.3 节"):  # fmt: skip
        assert words in zh
    assert "Population" not in zh and "measure" not in zh
    # its notes under 注： as every other command's Chinese notes are (review zh34 #1)
    assert "注：占比按" in zh


@pytest.mark.parametrize(
    ("what", "words"),
    [
        (
            "summary",
            [
                "项目",
                "按层级",
                "县级医院 3",
                "乡镇卫生院（社区卫生服务中心） 23",
                "县域医共体，紧密型，成员",
            ],
        ),
        ("institutions", ["尤溪县：机构（2019 年）", "层级", "隶属关系", "村卫生室", "县属"]),
        ("grids", ["网格", "人口", "所属医联体"]),
        (
            "consortia",
            ["类型", "整合程度", "县域医共体", "专科联盟", "紧密型", "松散型", "牵头机构"],
        ),
        ("referrals", ["转诊方向", "上转", "下转", "目标机构层级", "三级医院"]),
        ("cooperation", ["提供方", "接受方", "合作形式", "技术指导", "来自研究县外", "是"]),
    ],
)
def test_show_in_chinese(wide, what, words):
    _, zh = both(wide, ["system", "show", YOUXI, "--what", what])
    for word in words:
        assert word in zh, word
    if what != "summary":
        assert "tier" not in zh and "secondary" not in zh


def test_off_pathway_in_chinese(wide, referred, tmp_path):  # noqa: F811
    store, yaml = tmp_path / "tiny.duckdb", tmp_path / "tiny.yaml"
    yaml.write_text(TINY_YAML, encoding="utf-8")
    with Store(store) as s:
        s.write(referred)
    args = ["system", "off-pathway", str(yaml), "--store", str(store)]
    for year in ([], ["--year", "2017"]):
        _, zh = both(wide, [*args, *year])
        assert "Tiny county：未按转诊路径转诊 1 人次" in zh
        assert "转诊编号" in zh and "路径应转至" in zh and "下转" in zh and "x4" in zh
        assert "每次转诊均按" in zh
    out = tmp_path / "off.csv"
    wide([*args, "--out", str(out), "--lang", "zh"])
    header = out.read_text(encoding="utf-8-sig")
    assert "转诊编号" in header and "下转" in header


@pytest.mark.parametrize(
    "args",
    [
        ["check", YOUXI],
        ["coverage", YOUXI],
        ["show", YOUXI, "--what", "consortia"],
        ["show", YOUXI],
    ],
)
def test_json_ignores_lang_and_a_bad_lang_is_refused(args):
    en = runner.invoke(app, ["system", *args, "--json"])
    zh = runner.invoke(app, ["system", *args, "--json", "--lang", "zh"])
    assert en.exit_code == zh.exit_code == 0, zh.output
    assert zh.output == en.output
    bad = runner.invoke(app, ["system", *args, "--lang", "fr"])
    assert bad.exit_code == 2
    assert "parameter 'lang': expected 'en' or 'zh', got 'fr'" in bad.output


def test_errors_stay_english():
    result = runner.invoke(
        app, ["system", "show", YOUXI, "--what", "grids", "--year", "2030", "--lang", "zh"]
    )
    assert result.exit_code == 2
    assert "--year: Youxi county covers 2016–2019, got 2030" in " ".join(result.output.split())
