"""The codebook sheet of ``codes export --lang zh`` gives the definitions in Chinese
(review_policy 8: they were English only): each item's ``definition_zh`` where the
codebook gives one (the built-in codebooks do), else its definition as written."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from ihms.errors import ConfigError
from ihms.policy.codebook import BUILTIN_CODEBOOKS, load_codebook, parse_codebook
from ihms.policy.coding_export import export_codings
from ihms.policy.project import Project

_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")


def _defined(codebook) -> list:
    return [
        x
        for d in codebook.dimensions
        for x in (d, *d.groups, *d.answer_groups, *d.categories)
        if x.definition
    ]


@pytest.mark.parametrize("name", sorted(BUILTIN_CODEBOOKS))
def test_every_built_in_definition_has_its_chinese(name):
    # a definition added to the YAML without its definition_zh would be exported in English
    for x in _defined(load_codebook(name)):
        zh = x.definition_in("zh")
        assert zh != x.definition, x.definition
        # Chinese: no English words left but the names and studies cited
        left = set(_LATIN_WORD.findall(zh)) - {"Rothwell", "Zegveld", "HQMR"}
        assert not left, (x.definition, left)


@pytest.mark.parametrize("name", sorted(BUILTIN_CODEBOOKS))
def test_the_codebook_sheet_writes_every_chinese_definition(name, tmp_path):
    # review of diff 31b, L6: the sheet listed categories alone, so the Chinese of every
    # dimension and of the tools' groups (supply, demand, environment) was never written
    p = Project.create(tmp_path / "p.sqlite", load_codebook(name))
    p.add_coder("alice")
    path = export_codings(p, tmp_path / "zh.xlsx", coders=["alice"], lang="zh")
    p.close()
    rows = list(openpyxl.load_workbook(path)["codebook"].iter_rows(values_only=True))[1:]
    written = {r[3] for r in rows}
    # a dimension read from the metadata sheet (policy level, year) is no coder's column
    coded = [d for d in load_codebook(name).dimensions if d.source != "metadata"]
    wanted = {
        x.definition_in("zh")
        for d in coded
        for x in (d, *d.groups, *d.answer_groups, *d.categories)
        if x.definition
    }
    assert wanted <= written
    if name == "6d":
        tools = [r for r in rows if r[0] == "政策工具"]
        assert tools[0][1:3] == (None, None) and "可多选" in tools[0][3]  # the dimension's own
        # review zh32 L10: the group as a Chinese reader names it, not 供给型（组）
        assert [t[1] for t in tools[1:4]] == ["供给型政策工具", "需求型政策工具", "环境型政策工具"]
        assert tools[1][2] == "supply"


def _codebook_rows(path) -> dict[str, str]:
    book = openpyxl.load_workbook(path)
    return {
        r[2] or f"{r[0]} -": r[3] for r in list(book["codebook"].iter_rows(values_only=True))[1:]
    }


def test_the_chinese_template_gives_chinese_definitions(coded_project, tmp_path):
    zh = _codebook_rows(export_codings(coded_project, tmp_path / "zh.xlsx", lang="zh"))
    assert zh["talent_construction"] == "卫生人员（包括全科医生）的培养、招聘、配置和激励。"
    assert zh["governments"] == "政府及其部门（卫生健康、医保、财政、价格）。"
    assert zh["政策工具 -"] == "已编码，无适用项"
    en = _codebook_rows(export_codings(coded_project, tmp_path / "en.xlsx", lang="en"))
    assert en["talent_construction"].startswith("Training, recruiting, deploying")
    assert en["Policy tools -"] == "coded, nothing applies"


def test_a_codebook_s_own_definitions_stay_as_written(tmp_path):
    own = parse_codebook(
        "name: mine\nversion: 1\ndimensions:\n"
        "  - {key: tools, en: Tools, zh: 工具, kind: closed, multi: true, categories: [\n"
        "      {key: money, en: Money, zh: 资金, definition: 财政投入和专项经费。},\n"
        "      {key: staff, en: Staff, zh: 人员, definition: People of my own definition.}]}\n"
    )
    p = Project.create(tmp_path / "own.sqlite", own)
    p.add_coder("alice")
    rows = _codebook_rows(export_codings(p, tmp_path / "own.xlsx", coders=["alice"], lang="zh"))
    p.close()
    assert rows["money"] == "财政投入和专项经费。"
    assert rows["staff"] == "People of my own definition."


_OWN = (
    "name: mine\nversion: 1\ndimensions:\n"
    "  - {key: tools, en: Tools, zh: 工具, kind: closed, multi: true,\n"
    "     definition: What the text uses., definition_zh: 文本所用的工具。, categories: [\n"
    "      {key: money, en: Money, zh: 资金, definition: Budgets., definition_zh: 财政投入。},\n"
    "      {key: staff, en: Staff, zh: 人员, definition: People of my own definition.}]}\n"
)


def test_a_codebook_s_own_chinese_definitions_are_exported(tmp_path):
    p = Project.create(tmp_path / "own.sqlite", parse_codebook(_OWN))
    p.add_coder("alice")
    zh = _codebook_rows(export_codings(p, tmp_path / "zh.xlsx", coders=["alice"], lang="zh"))
    en = _codebook_rows(export_codings(p, tmp_path / "en.xlsx", coders=["alice"], lang="en"))
    p.close()
    assert (zh["money"], zh["staff"], zh["工具 -"]) == (
        "财政投入。",
        "People of my own definition.",
        "已编码，无适用项",
    )
    assert (en["money"], en["staff"]) == ("Budgets.", "People of my own definition.")
    sheet = openpyxl.load_workbook(tmp_path / "zh.xlsx")["codebook"]
    assert list(sheet.iter_rows(values_only=True))[1] == ("工具", None, None, "文本所用的工具。")


def test_a_misspelt_definition_zh_names_the_key():
    with pytest.raises(
        ConfigError,
        match=r"categories\[0\].*definiton_zh: Extra inputs.*did you mean 'definition_zh'",
    ):
        parse_codebook(_OWN.replace("definition_zh: 财政", "definiton_zh: 财政"))


def test_a_project_stored_before_definition_zh_exports_the_built_in_chinese(tmp_path):
    # review diff32a M2: a project keeps the codebook text it stored; one made from the
    # built-in 6D before the definitions' Chinese moved into the YAML (six_d_986d2f97.yaml
    # is that file: `git show 986d2f97:src/ihms/policy/frameworks/six_d.yaml`) exported
    # English definitions under --lang zh, and `--update 6d` also re-derived policy nature.
    # An item whose English is the built-in's takes the built-in's Chinese; one whose
    # English changed since (policy nature's) keeps its English
    old = (Path(__file__).parent / "data" / "six_d_986d2f97.yaml").read_text("utf-8")
    assert "definition_zh" not in old
    p = Project.create(tmp_path / "old.sqlite", parse_codebook(old, name="6d"))
    p.add_coder("alice")
    p.close()
    with Project(tmp_path / "old.sqlite") as p:
        assert p.codebook().text == old  # the stored text itself is not changed
        assert p.codebook().version == 1
        rows = _codebook_rows(export_codings(p, tmp_path / "a.xlsx", coders=["alice"], lang="zh"))
        assert rows["talent_construction"] == "卫生人员（包括全科医生）的培养、招聘、配置和激励。"
        assert rows["governments"] == "政府及其部门（卫生健康、医保、财政、价格）。"
        stored, built_in = p.codebook(), load_codebook("6d")
        # the old YAML names the study by its seed, read as Yu et al. 2024: the same English
        shanghai = built_in.dimension("level").category("shanghai").definition_zh
        assert stored.dimension("level").category("shanghai").definition_zh == shanghai
        # policy nature's English changed with its rules: no Chinese of the new rules
        planning = stored.dimension("nature").category("planning")
        assert planning.definition_in("zh").startswith("Sets goals and direction at a")
        tools = load_codebook("6d").dimension("tools")
        sheet = list(openpyxl.load_workbook(tmp_path / "a.xlsx")["codebook"].values)
        assert ("政策工具", None, None, tools.definition_zh) in sheet
        en = _codebook_rows(export_codings(p, tmp_path / "b.xlsx", coders=["alice"], lang="en"))
        assert en["talent_construction"].startswith("Training, recruiting, deploying")


def test_a_stored_definition_changed_by_the_project_keeps_its_english(tmp_path):
    text = load_codebook("6d").text
    old = "\n".join(line for line in text.split("\n") if "definition_zh:" not in line)
    mine = load_codebook("6d").dimension("tools").category("talent_construction").definition
    assert mine in old
    old = old.replace(mine, "Our own words on staff.")
    p = Project.create(tmp_path / "own.sqlite", parse_codebook(old, name="6d"))
    p.add_coder("alice")
    rows = _codebook_rows(export_codings(p, tmp_path / "a.xlsx", coders=["alice"], lang="zh"))
    p.close()
    assert rows["talent_construction"] == "Our own words on staff."
    assert rows["governments"] == "政府及其部门（卫生健康、医保、财政、价格）。"
