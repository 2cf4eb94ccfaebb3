import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.autocode import as_segments, parse_codes, section_starts


def test_neighbours_follow_position_within_each_document_whatever_the_row_order():
    frame = pd.DataFrame(
        {
            "doc": ["b", "a", "a", "b", "a"],
            "position": [2, 3, 1, 1, 2],
            "text": ["b2", "a3", "a1", "b1", "a2"],
        }
    )
    batch = as_segments(frame)
    by_text = {t: i for i, t in enumerate(frame["text"])}
    prev = {
        frame["text"][i]: (frame["text"][j] if j >= 0 else None) for i, j in enumerate(batch.prev)
    }
    nxt = {
        frame["text"][i]: (frame["text"][j] if j >= 0 else None) for i, j in enumerate(batch.next)
    }
    assert prev == {"a1": None, "a2": "a1", "a3": "a2", "b1": None, "b2": "b1"}
    assert nxt == {"a1": "a2", "a2": "a3", "a3": None, "b1": "b2", "b2": None}
    # relative position: first 0, last 1, middle 0.5
    assert batch.relative_position[by_text["a1"]] == 0
    assert batch.relative_position[by_text["a2"]] == 0.5
    assert batch.relative_position[by_text["a3"]] == 1


def test_plain_texts_have_no_context():
    batch = as_segments(["第一句。", "第二句。"])
    assert not batch.has_context
    assert (batch.prev == -1).all() and (batch.next == -1).all()
    assert batch.section[0] != batch.section[1]


def test_sections_from_numbering_and_from_a_given_column():
    texts = [
        "一、总体要求",
        "加强领导。",
        "（一）健全机制",
        "明确职责。",
        "二、保障措施",
        "落实经费。",
    ]
    batch = as_segments(pd.DataFrame({"doc": "d", "text": texts}))
    assert batch.section.tolist() == [0, 0, 0, 0, 1, 1]
    assert batch.subsection.tolist() == [0, 0, 1, 1, 2, 2]
    given = as_segments(pd.DataFrame({"doc": "d", "text": texts, "section": [1, 1, 1, 2, 2, 2]}))
    assert given.section.tolist() == [0, 0, 0, 1, 1, 1]


def test_section_starts_read_chinese_and_english_numbering():
    texts = [
        "第三条 资金来源",
        "第二章 职责",
        "Article 4 Funding",
        "1.申报材料",
        "（二）保障",
        "正文",
    ]
    assert section_starts(texts).tolist() == [True, True, True, False, False, False]
    assert section_starts(texts, level=2).tolist() == [True, True, True, False, True, False]


def test_every_empty_text_is_reported_and_nothing_is_returned():
    frame = pd.DataFrame({"id": ["s1", "s2", "s3", "s4"], "text": ["有内容。", "", "   ", None]})
    with pytest.raises(DataError) as err:
        as_segments(frame)
    assert len(err.value.problems) == 3
    assert "3 of 4 segments" in str(err.value)
    assert "row 2 (id 's2')" in err.value.problems[0]
    assert "got a missing value" in err.value.problems[2]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (pd.DataFrame({"content": ["x"]}), "expected a table with a 'text' column"),
        (pd.DataFrame({"text": []}), "at least one segment"),
        ("一句话", "got one string"),
        (pd.DataFrame({"text": ["甲", "乙"], "position": [1, "x"]}), "column 'position'"),
    ],
)
def test_bad_segment_tables_are_refused(value, message):
    with pytest.raises(InputError, match=message):
        as_segments(value)


def test_single_label_codes_with_uncoded_markers():
    codes = parse_codes(["甲", None, float("nan"), "", "乙", "甲"], 6)
    assert not codes.multilabel
    assert codes.coded.tolist() == [True, False, False, False, True, True]
    assert codes.classes.tolist() == ["乙", "甲"]
    assert codes.counts().to_dict() == {"乙": 1, "甲": 2}


def test_multi_label_codes_from_lists_and_from_a_matrix():
    codes = parse_codes([["a", "b"], [], None, ("b",)], 4)
    assert codes.multilabel
    assert codes.coded.tolist() == [True, True, False, True]
    assert codes.indicator.tolist() == [[1, 1], [0, 0], [0, 0], [0, 1]]
    matrix = parse_codes(np.array([[1, 0], [0, 1]]), 2)
    assert matrix.multilabel and matrix.coded.all()


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (["a", ["b"]], "mixes single categories and lists"),
        (["a"], "expected 2 codes"),
        (np.array([[1, 2], [0, 1]]), "only 0 and 1"),
    ],
)
def test_bad_codes_are_refused(y, message):
    with pytest.raises(InputError, match=message):
        parse_codes(y, 2)
