"""``ihms demo --lang zh``: the policy step's sections in Chinese, phrased from the same
results as the English ones (tests/conftest.py's ``policy_demo_results``)."""

from __future__ import annotations

import dataclasses
import re
import warnings

import pytest
from tests.demo.zh_check import (
    collecting_figure_texts,
    english_left,
    latin_words_left,
    section_texts,
)

from ihms.report import Paragraph

#: names a Chinese text keeps as they are: methods and file formats
ALLOWED = ("Cohen's κ", "Gwet's AC1", "Krippendorff's α", "PRISMA 2020")
#: and the example project's people, by their ids: the coders, the reviewers, and the
#: lead who decided (a table's cell "lead（2 处）", the PRISMA diagram's "lead（第三评审员）")
PEOPLE = ("coder_a", "coder_b", "reviewer_a", "reviewer_b", "lead（")


@pytest.fixture(scope="module")
def zh(policy_demo_results):
    """The Chinese sections by id, and the warnings drawing their figures raised."""
    from ihms.demo._policy import sections_of

    ctx, results = policy_demo_results
    ctx = dataclasses.replace(ctx, lang="zh")
    with warnings.catch_warnings(record=True) as caught, collecting_figure_texts() as drawn:
        warnings.simplefilter("always")
        sections = sections_of(ctx, results)
    return {s.id: s for s in sections}, [str(w.message) for w in caught], drawn


def _paragraphs(section) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Paragraph)]


def _numbers(frame) -> list[str]:
    """Every number a table shows, cell by cell and in its labels, in order."""
    cells = [*frame.columns, *frame.index, *frame.to_numpy().ravel()]
    return [n for c in cells for n in re.findall(r"\d+(?:\.\d+)?", str(c))]


def test_every_text_of_every_section_is_chinese(zh):
    sections, _, drawn = zh
    left = {
        (sid, text[:40]): english_left(text, ALLOWED)
        for sid, s in sections.items()
        for text in section_texts(s)
        if english_left(text, ALLOWED)
    }
    assert left == {}
    # not a word left in English either, in the sections or their figures (the PRISMA
    # diagram, the word cloud, the trend, the network)
    words = {
        (sid, text[:40]): latin_words_left(text, ALLOWED + PEOPLE)
        for sid, s in sections.items()
        for text in section_texts(s)
        if latin_words_left(text, ALLOWED + PEOPLE)
    }
    assert words == {}
    assert drawn, "no figure's texts were collected"
    shown = {
        (name, text[:40]): latin_words_left(text, ALLOWED + PEOPLE)
        for name, texts in drawn.items()
        for text in texts
        if latin_words_left(text, ALLOWED + PEOPLE)
    }
    assert shown == {}


def test_the_sections_tables_and_figures_are_those_of_the_english_run(zh, policy_demo):
    sections, *_ = zh
    _, english = policy_demo
    assert list(sections) == list(english)
    for sid, s in sections.items():
        assert [t.name for t in s.tables()] == [t.name for t in english[sid].tables()]
        assert [f.name for f in s.figures()] == [f.name for f in english[sid].figures()]
        for table, en in zip(s.tables(), english[sid].tables(), strict=True):
            assert table.table.lang == "zh", table.name
            assert table.table.frame.shape == en.table.frame.shape, table.name
            # the Chinese names are the table's own: no glossary note below it
            assert not any("Chinese names" in n for n in table.table.notes)
            assert _numbers(table.table.frame) == _numbers(en.table.frame), table.name


def test_the_paragraphs_say_what_the_english_says(zh):
    sections, *_ = zh
    corpus = _paragraphs(sections["policy-corpus"])[0]
    assert corpus.startswith("示例语料共 36 条记录")
    # the example corpus: 2 duplicates, 31 included; reviewers 94.1 % / 96.9 %, 3 conflicts
    assert "筛选剔除了 2 份重复文件" in corpus and "最终纳入 31 份文件。" in corpus
    assert "题名初筛阶段的一致率为 94.1%（Cohen's κ 0.63，Gwet's AC1 0.93）" in corpus
    assert "全文复筛为 96.9%" in corpus and "媒体报道" in corpus
    assert "二人的 3 处冲突由课题负责人（`lead`）裁决。" in corpus
    one_d = _paragraphs(sections["policy-1d"])
    assert "因此 n 是 31 份纳入文件中的 212 个段落，而非文件数；" in one_d[0]
    assert (
        "（demo-work/policy-codes.sav、demo-work/policy-codes.dta，位于演示的工作文件夹中："
        "从本报告出发为 ../demo-work/；`ihms policy dataset --lang zh`）" in one_d[1]
    )
    agreement = _paragraphs(sections["policy-agreement"])[0]
    assert (
        "二人在两个维度上的平均 κ 为 0.660（Yu et al. 2024 报告其人工编码员为 0.746）" in agreement
    )
    trend = _paragraphs(sections["policy-trend"])[0]
    assert "（本例中为 2014 年，仅 6 条文本）" in trend
    assert "以疾病为中心时期、电子健康技术发展时期、以健康为中心时期" in trend


def test_titles_mirrors_and_tables_use_the_codebooks_chinese_names(zh):
    sections, *_ = zh
    assert sections["policy-agreement"].title == "编码员间一致性"
    assert sections["policy-1d"].mirrors == "Yu et al. 2024，表1至表5"
    assert sections["policy-2d"].mirrors == "Yu et al. 2024，表6至表12"
    assert sections["policy-corpus"].mirrors == "Yu et al. 2024，图1"
    texts = " ".join(t for s in sections.values() for t in section_texts(s))
    for term in ("医联体", "分级诊疗", "政策工具", "利益相关者", "基层医疗卫生机构", "词云"):
        assert term in texts
    overview = next(t for t in sections["policy-corpus"].tables() if t.name == "policy_corpus")
    frame = overview.table.frame
    assert frame.at["读取的文件", "数值"] == "36"
    assert frame.at["  .txt", "数值"] == "24（UTF-8 21 / GBK 2 / GB18030 1）"
    top = next(t for t in sections["policy-words"].tables() if t.name == "policy_top_terms")
    assert top.table.frame.index[0] == "人才建设"


def test_the_figures_draw_without_a_missing_glyph(zh):
    _, caught, _ = zh
    assert [m for m in caught if "missing from" in m or "Glyph" in m] == []
