"""The codebook sheet of ``codes export --lang zh`` gives the definitions in Chinese
(review_policy 8: they were English only), the built-in codebooks' from
:mod:`ihms.policy._definitions_zh`, a codebook's own as its author wrote them."""

from __future__ import annotations

import re

import openpyxl
import pytest

from ihms.policy._definitions_zh import DEFINITIONS_ZH, definition_in
from ihms.policy.codebook import BUILTIN_CODEBOOKS, load_codebook, parse_codebook
from ihms.policy.coding_export import export_codings
from ihms.policy.project import Project

_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")


def _definitions(codebook) -> list[str]:
    return [
        x.definition
        for d in codebook.dimensions
        for x in (d, *d.groups, *d.answer_groups, *d.categories)
        if x.definition
    ]


@pytest.mark.parametrize("name", sorted(BUILTIN_CODEBOOKS))
def test_every_built_in_definition_has_its_chinese(name):
    # a definition edited in the YAML without its Chinese here would be exported in English
    for definition in _definitions(load_codebook(name)):
        zh = definition_in(definition, "zh")
        assert zh != definition, definition
        # Chinese: no English words left but the names and studies cited
        left = set(_LATIN_WORD.findall(zh)) - {"Rothwell", "Zegveld", "HQMR"}
        assert not left, (definition, left)


def test_no_chinese_definition_is_left_over():
    used = {d for name in BUILTIN_CODEBOOKS for d in _definitions(load_codebook(name))}
    assert set(DEFINITIONS_ZH) <= used


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
        definition_in(x.definition, "zh")
        for d in coded
        for x in (d, *d.groups, *d.answer_groups, *d.categories)
        if x.definition
    }
    assert wanted <= written
    if name == "6d":
        tools = [r for r in rows if r[0] == "政策工具"]
        assert tools[0][1:3] == (None, None) and "可多选" in tools[0][3]  # the dimension's own
        assert tools[1][1:3] == ("供给型（组）", "supply")


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
