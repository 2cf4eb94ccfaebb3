"""QDPX import of bad files (refused, the project unchanged), the span geometry under
both directions, and odd characters (split from test_qdpx.py; its helpers are shared)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from tests.policy.test_qdpx import (
    ALLIANCE,
    GRADED,
    INSURANCE,
    NONE_TOOLS,
    NS,
    QUOTES,
    SRC,
    TALENT,
    TEXT,
    XSD,
    _answers,
    _hand_file,
    _qde,
    _segments,
    _selection,
    _source,
    _state,
    _tiny,
    _write,
)

from ihms.errors import DataError, InputError
from ihms.policy._qdpx_spans import covered, segment_spans
from ihms.policy.coding import import_codings
from ihms.policy.qdpx import export_qdpx, import_qdpx
from ihms.policy.segment import segment_clauses, segment_paragraphs


@pytest.fixture
def tiny(tmp_path):
    p = _tiny(tmp_path / "tiny.sqlite")
    yield p
    p.close()


# -- bad files change nothing -----------------------------------------------------------


def _refused(project, path, match, error=InputError, **options):
    before = _state(project)
    with pytest.raises(error, match=match) as info:
        import_qdpx(project, path, coder=options.pop("coder", "li"), **options)
    assert _state(project) == before
    return info.value


def test_not_a_zip(tiny, tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("<Project/>", encoding="utf-8")
    _refused(tiny, path, "not a zip archive")


def test_no_project_qde(tiny, tmp_path):
    path = _write(tmp_path / "x.qdpx", None, {SRC: TEXT})
    _refused(tiny, path, "no project.qde")


def test_wrong_namespace(tiny, tmp_path):
    qde = _qde(_source("")).replace("urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1.0")
    _refused(tiny, _write(tmp_path / "x.qdpx", qde, {SRC: TEXT}), "expected 'Project' in namespace")


def test_selection_outside_its_source(tiny, tmp_path):
    # the text has 63 code points; [60, 70) runs past its end
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 60, 70, TALENT))
    err = _refused(tiny, path, "problem", error=DataError)
    assert "60–70 fall outside its text of 63 characters" in str(err)


def test_missing_source_file(tiny, tmp_path):
    path = _write(
        tmp_path / "x.qdpx",
        _qde(_source(_selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT))),
    )
    err = _refused(tiny, path, "problem", error=DataError)
    assert "is missing from the archive" in str(err)


def test_unknown_codes_are_listed_and_can_be_left_out(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    sel = _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT, QUOTES)
    err = _refused(tiny, _hand_file(tmp_path, sel), "problem", error=DataError)
    assert "code 'Interesting quotes' is not a category of codebook '6d'" in str(err)
    import_qdpx(tiny, tmp_path / "nvivo.qdpx", coder="li", ignore_codes=["interesting quotes"])
    assert _answers(tiny, "li") == {(p2, "tools", "talent_construction")}


def test_edited_text_is_refused(tiny, tmp_path):
    edited = TEXT.replace("培养全科医生", "培养家庭医生")
    path = _hand_file(
        tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT), text=edited
    )
    err = _refused(tiny, path, "problem", error=DataError)
    assert "named like document 'D1' but its text differs" in str(err) and "'全科医生" in str(err)


def test_several_users_need_a_choice(tiny, tmp_path):
    _p1, _p2, p3 = _segments(tiny)
    users = ('<User guid="aaaaaaaa-0000-4000-8000-000000000001" name="Li Wei"/>'
             '<User guid="aaaaaaaa-0000-4000-8000-000000000002" name="Wang Fang"/>')  # fmt: skip
    sels = _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT) + _selection(
        "e0000000-0000-4000-8000-000000000002", 41, 62, INSURANCE,
        user="aaaaaaaa-0000-4000-8000-000000000002",
    )  # fmt: skip
    path = _write(tmp_path / "two.qdpx", _qde(_source(sels), users=users), {SRC: TEXT})
    err = _refused(tiny, path, "several users")
    assert "'Li Wei' (1 codings)" in str(err) and "'Wang Fang' (1 codings)" in str(err)
    _refused(tiny, path, "no user 'Zhang'", user="Zhang")
    import_qdpx(tiny, path, coder="wang", user="Wang Fang")
    assert _answers(tiny, "wang") == {(p3, "tools", "medical_insurance_payment")}


def test_conflicting_answers_are_refused(tiny, tmp_path):
    sels = (
        _selection(
            "e0000000-0000-4000-8000-000000000001", 20, 40, GRADED, ALLIANCE
        )  # one-label dimension
        + _selection(
            "e0000000-0000-4000-8000-000000000002", 41, 62, TALENT, NONE_TOOLS
        )  # none and a tool
    )
    err = _refused(tiny, _hand_file(tmp_path, sels), "2 problem", error=DataError)
    assert "dimension 'orientation' takes one category" in str(err)
    assert "coded 'none' and also talent_construction" in str(err)


def test_a_known_answer_is_not_overwritten_without_replace(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    import_codings(tiny, pd.DataFrame({"segment_id": [p2], "tools": ["资金保障"]}), coder="li")
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT))
    _refused(tiny, path, "contradict the project", error=DataError)
    assert import_qdpx(tiny, path, coder="li", replace=True).replaced == 1
    assert _answers(tiny, "li") == {(p2, "tools", "talent_construction")}


def test_bad_options(tiny, tmp_path):
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT))
    _refused(tiny, path, "min_overlap must be between 0 and 1", min_overlap=1.5)
    _refused(tiny, path, "uncoded must be", uncoded="all")
    _refused(tiny, path, "crlf must be", crlf="three")
    _refused(tiny, path, "machine coder", coder="machine:x")  # kind human
    with pytest.raises(InputError, match=r"named \*\.qdpx"):
        export_qdpx(tiny, tmp_path / "out.zip")
    with pytest.raises(InputError, match="unknown coder"):
        export_qdpx(tiny, tmp_path / "out.qdpx", coders=["nobody"])


def test_export_refuses_a_segment_it_cannot_place_and_keeps_the_old_file(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    import_codings(tiny, pd.DataFrame({"segment_id": [p2], "tools": ["人才建设"]}), coder="alice")
    out = tmp_path / "t.qdpx"
    out.write_bytes(b"previous export")
    with tiny.transaction() as conn:  # the text changed behind the segments' back
        conn.execute("UPDATE documents SET text=replace(text, '人才', '干部')")
    with pytest.raises(DataError, match="cannot be located"):
        export_qdpx(tiny, out)
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- the geometry underneath ------------------------------------------------------------

_LINE = st.text(
    alphabet="一二三四五六七八九十、（）。，政策医保基层𠮷 ab1.", min_size=0, max_size=12
)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(_LINE, min_size=1, max_size=12),
    st.sampled_from(["\n", "\n\n", "\n \n"]),
    st.sampled_from(["paragraph", "clause"]),
)
def test_every_segment_is_found_where_its_lines_are(lines, sep, scheme):
    text = sep.join(lines)
    segs = segment_paragraphs("d", text) if scheme == "paragraph" else segment_clauses("d", text)
    spans, missing = segment_spans(text, [(s.id, s.text) for s in segs])
    assert missing == []
    shortest = 2 if scheme == "paragraph" else 1  # paragraphs drop one-character lines
    ends = [0]
    for s in segs:
        start, end = spans[s.id]
        assert start >= ends[-1]  # in reading order, never overlapping
        ends.append(end)
        span = text[start:end]
        assert [
            ln.strip() for ln in span.split("\n") if len(ln.strip()) >= shortest
        ] == s.text.split("\n")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6),
    st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
def test_covered_counts_each_position_once(intervals, span):
    intervals = [tuple(sorted(i)) for i in intervals]
    lo, hi = sorted(span)
    by_hand = sum(1 for x in range(lo, hi) if any(a <= x < b for a, b in intervals))
    assert covered(intervals, (lo, hi)) == by_hand


def test_a_byte_order_mark_is_not_a_character(tiny, tmp_path):
    p2 = _segments(tiny)[1]
    sel = _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT)
    path = _hand_file(tmp_path, sel, text="\ufeff" + TEXT)  # Windows tools often write one
    import_qdpx(tiny, path, coder="li", min_overlap=1.0)
    assert _answers(tiny, "li") == {(p2, "tools", "talent_construction")}


def test_control_characters_do_not_break_the_xml(tmp_path):
    with _tiny(tmp_path / "p.sqlite", text=TEXT.replace("通知", "通\x0b知")) as p:
        with p.transaction() as conn:
            conn.execute("UPDATE documents SET title=?", ("标题\x01一",))
        result = export_qdpx(p, tmp_path / "c.qdpx")
    with zipfile.ZipFile(tmp_path / "c.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        text = z.read(next(n for n in z.namelist() if n.startswith("sources/"))).decode("utf-8")
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(root) and result.documents == 1
    assert root.find("q:Cases/q:Case/q:Description", NS).text == "标题 一"
    assert "通\x0b知" in text  # the text file keeps every character the positions count


def test_clause_segments_round_trip_and_both_schemes_need_a_choice(tiny, tmp_path):
    tiny.segment("clause")
    with pytest.raises(InputError, match="segments of 2 schemes"):
        export_qdpx(tiny, tmp_path / "c.qdpx")
    clauses = list(tiny.segments(scheme="clause")["id"])
    sheet = pd.DataFrame({"segment_id": clauses, "tools": ["-", "人才建设", "医保支付; 有序就医"]})
    import_codings(tiny, sheet, coder="alice")
    export_qdpx(tiny, tmp_path / "c.qdpx", scheme="clause", coders=["alice"])
    import_qdpx(tiny, tmp_path / "c.qdpx", coder="alice2", scheme="clause")
    assert _answers(tiny, "alice2") == _answers(tiny, "alice")
    assert len(_answers(tiny, "alice")) == 4
