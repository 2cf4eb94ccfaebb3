"""The demo report's policy words and the Chinese of its 6D names (user review of the
demo report: item 14, boilerplate among the top terms and no table behind the word
cloud; item 13, the 6D categories never shown in Chinese)."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from ihms.policy.textstats import PolicyTokenizer
from ihms.report import Report
from ihms.report.render import write_report

#: the words the review found in the cloud (提供, 制定, 纳入, 组织) and top-5 lists
REVIEWED = {"卫生计生委", "每年", "给予", "体现", "符合条件", "帮助", "活动", "总结", "地区"}
REVIEWED |= {"提供", "制定", "纳入", "组织"}
#: review 27: the approval formula 同意 (经……同意) ranked 104th in the cloud
REVIEWED |= {"同意"}


@pytest.fixture(scope="module")
def demo(policy_demo):
    """The policy step of the session (tests/conftest.py): its context, its sections."""
    return policy_demo


def _tables(section):
    return {t.name: t.table for t in section.tables()}


def _text(section):
    return " ".join(b.text for b in section.blocks if hasattr(b, "text"))


def test_the_word_cloud_has_its_frequency_table(demo):
    _, sections = demo
    words = sections["policy-words"]
    freq = _tables(words)["policy_word_frequencies"].frame
    assert list(freq.columns) == ["term", "occurrences", "paragraphs", "% of paragraphs"]
    # the cloud draws the 120 most frequent terms: the table lists exactly those
    assert len(freq) == 120 and freq.index.tolist() == list(range(1, 121))
    assert freq["occurrences"].is_monotonic_decreasing
    # 医联体: 43 occurrences in 32 of the 212 paragraphs (`ihms policy words` on the
    # example project, counted before the change of the stop list: its count stays)
    row = freq.set_index("term").loc["医联体"]
    assert (row["occurrences"], row["paragraphs"]) == (43, 32)
    assert row["% of paragraphs"] == pytest.approx(100 * 32 / 212, abs=0.05)
    # review 27: the shares, rounded to 0.1, were shown as 15.1000
    shown = _tables(words)["policy_word_frequencies"].to_text()
    assert re.search(r"医联体\s+43\s+32\s+15\.1$", shown, re.MULTILINE)
    text = _text(words)
    assert "share of the 212 paragraphs" in text
    cloud = next(f for f in words.figures() if f.name == "policy_wordcloud")
    assert "120 most frequent terms" in cloud.caption


def test_no_stop_word_in_the_cloud_or_the_lists(demo):
    _, sections = demo
    words = sections["policy-words"]
    tables = _tables(words)
    cloud_terms = set(tables["policy_word_frequencies"].frame["term"])
    listed = set(tables["policy_top_terms"].frame.stack())
    stop = PolicyTokenizer().stop_words
    assert not cloud_terms & stop and not listed & stop
    assert not (cloud_terms | listed) & REVIEWED
    # the text says so, and names what the list holds and how to change it
    text = _text(words)
    for said in ("卫生计生委", "人民政府", "提供", "每年", "--stopwords", "none of its words"):
        assert said in text, said


def test_the_frequency_table_is_written_like_the_others(demo, tmp_path):
    _, sections = demo
    page = write_report(Report("policy", sections=[sections["policy-words"]]), tmp_path / "r")
    csv = pd.read_csv(page.parent / "tables" / "policy-words-policy_word_frequencies.csv")
    assert list(csv.columns) == ["rank", "term", "occurrences", "paragraphs", "% of paragraphs"]
    assert len(csv) == 120
    book = openpyxl.load_workbook(page.parent / "tables.xlsx", read_only=True)
    assert any("frequencies" in name for name in book.sheetnames)


def test_6d_names_carry_their_chinese(demo):
    ctx, sections = demo
    notes = {name: " ".join(t.notes) for s in sections.values() for name, t in _tables(s).items()}
    assert "Medical association 医联体" in notes["policy_table5"]
    assert "Graded diagnosis and treatment 分级诊疗" in notes["policy_trend_counts"]
    assert "Supply-based 供给型" in notes["policy_table3"]
    assert "Talent construction 人才建设" in notes["policy_table3"]
    assert "Provincial and municipal level 省市级" in notes["policy_table7"]
    assert "Second-class-and-above hospitals 二级及以上医院" in notes["policy_table6"]
    assert "Grassroots hospitals 基层医疗卫生机构" in notes["policy_agreement"]
    # a table's glossary names what it shows, not the whole codebook
    assert "医联体" not in notes["policy_table1"] and "国家级" in notes["policy_table1"]
    # the cells keep seed 000's English, as tests/policy/test_tables_golden.py checks them
    from ihms.policy import coded_data
    from ihms.policy.project import Project
    from ihms.policy.table_specs import build_tables

    project = Project(ctx.artefacts["policy_project"])
    try:
        built = {t.name: t.summary() for t in build_tables(coded_data(project, scheme="paragraph"))}
    finally:
        project.close()
    shown = _tables(sections["policy-1d"]) | _tables(sections["policy-2d"])
    for name, table in built.items():
        assert shown[f"policy_{name}"].frame.equals(table.frame), name
        assert tuple(shown[f"policy_{name}"].notes[: len(table.notes)]) == tuple(table.notes)
    # the top terms' rows are the categories in both languages, in the codebook's order
    top = _tables(sections["policy-words"])["policy_top_terms"].frame
    assert top.index[0] == "Talent construction 人才建设"
    assert top.index[-1] == "Resource sharing 资源共享"
