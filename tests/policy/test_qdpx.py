"""REFI-QDA project exchange (.qdpx): export to and import from NVivo, ATLAS.ti, MAXQDA.

The schema is REFI-QDA's Project.xsd 1.0 (tests/policy/data/refi_qda_project_1_0.xsd,
MIT licence, see its header). Hand-written files below follow the structure that schema
and the exporters quoted in ihms.policy.qdpx describe; every position in them is counted
by hand in a comment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from ihms.policy import Document, Project, load_codebook
from ihms.policy.agreement import coder_agreement
from ihms.policy.coding import codings, import_codings
from ihms.policy.qdpx import export_qdpx, import_qdpx

XSD = Path(__file__).parent / "data" / "refi_qda_project_1_0.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}

# 𠮷 (U+20BB7) lies outside the Basic Multilingual Plane: one code point, two UTF-16
# units, four UTF-8 bytes; every other character here is three UTF-8 bytes.
# Hand count of the code points:
#   line 1 "𠮷安县卫生健康局关于推进分级诊疗的通知"  19 characters, offsets 0–18; "\n" at 19
#   line 2 "一、加强基层人才队伍建设，培养全科医生。"  20 characters, offsets 20–39; "\n" at 40
#   line 3 "二、完善医保支付政策，引导患者到基层就诊。" 21 characters, offsets 41–61; "\n" at 62
#   "医保支付政策" is characters 5–10 of line 3: offsets 45–50, the selection [45, 51)
# In UTF-8 bytes line 2 starts at 4 + 18×3 + 1 = 59, not 20.
TEXT = (
    "𠮷安县卫生健康局关于推进分级诊疗的通知\n"
    "一、加强基层人才队伍建设，培养全科医生。\n"
    "二、完善医保支付政策，引导患者到基层就诊。\n"
)


def _tiny(path: Path, text: str = TEXT) -> Project:
    """A project of one document segmented into its three paragraphs."""
    project = Project.create(path, load_codebook("6d"), name="tiny")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    project.add_documents(
        [
            Document(
                id="D1",
                file="D1.txt",
                fmt="txt",
                sha256=digest,
                text=text,
                title="吉安县分级诊疗通知",
                issuer="𠮷安县卫生健康局",
                date=dt.date(2019, 3, 1),
            )
        ]
    )
    project.segment("paragraph")
    return project


def _segments(project: Project) -> list[str]:
    return list(project.segments()["id"])


def _answers(project: Project, coder: str) -> set[tuple[str, str, str]]:
    frame = codings(project, coders=[coder])
    return set(zip(frame["segment_id"], frame["dimension"], frame["value"], strict=True))


def _state(project: Project) -> tuple:
    return (
        project.query("SELECT count(*) FROM codings")[0][0],
        project.query("SELECT count(*) FROM coders")[0][0],
        project.query("SELECT count(*) FROM imports")[0][0],
    )


def _qde(sources: str, *, origin: str = "NVivo 14", users: str | None = None) -> str:
    users = users or '<User guid="aaaaaaaa-0000-4000-8000-000000000001" name="Li Wei"/>'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="coded in NVivo" origin="{origin}">
  <Users>{users}</Users>
  <CodeBook><Codes>
    <Code guid="c0000000-0000-4000-8000-000000000001" name="政策工具" isCodable="false">
      <Code guid="c0000000-0000-4000-8000-000000000002" name="供给型" isCodable="false">
        <Code guid="c0000000-0000-4000-8000-000000000003" name="人才建设" isCodable="true"/>
      </Code>
      <Code guid="c0000000-0000-4000-8000-000000000004" name="无" isCodable="true"/>
    </Code>
    <Code guid="c0000000-0000-4000-8000-000000000005" name="Stakeholders" isCodable="false">
      <Code guid="c0000000-0000-4000-8000-000000000006" name="Physicians" isCodable="true"/>
    </Code>
    <Code guid="c0000000-0000-4000-8000-000000000007" name="医保支付" isCodable="true"/>
    <Code guid="c0000000-0000-4000-8000-000000000008" name="政策导向" isCodable="false">
      <Code guid="c0000000-0000-4000-8000-000000000009" name="分级诊疗" isCodable="true"/>
      <Code guid="c0000000-0000-4000-8000-00000000000a" name="医联体" isCodable="true"/>
    </Code>
    <Code guid="c0000000-0000-4000-8000-00000000000b" name="Interesting quotes" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>{sources}</Sources>
</Project>"""


def _selection(
    guid: str, start: int, end: int, *codes: str, user: str = "aaaaaaaa-0000-4000-8000-000000000001"
) -> str:
    body = "".join(
        f'<Coding guid="{uuid.uuid4()}" creatingUser="{user}"><CodeRef targetGUID="{c}"/></Coding>'
        for c in codes
    )
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{user}">{body}</PlainTextSelection>'
    )


def _source(
    selections: str, *, name: str = "D1", guid: str = "5a000000-0000-4000-8000-000000000001"
) -> str:
    return (
        f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt">'
        f"{selections}</TextSource>"
    )


def _write(
    path: Path, qde: str | bytes | None, files: dict[str, bytes | str] | None = None
) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        if qde is not None:
            z.writestr("project.qde", qde)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return path


TALENT, NONE_TOOLS = "c0000000-0000-4000-8000-000000000003", "c0000000-0000-4000-8000-000000000004"
PHYSICIANS, INSURANCE = (
    "c0000000-0000-4000-8000-000000000006",
    "c0000000-0000-4000-8000-000000000007",
)
GRADED, ALLIANCE = "c0000000-0000-4000-8000-000000000009", "c0000000-0000-4000-8000-00000000000a"
QUOTES = "c0000000-0000-4000-8000-00000000000b"
SRC = "sources/5a000000-0000-4000-8000-000000000001.txt"


def _hand_file(tmp_path: Path, selections: str, *, text: str = TEXT, **qde) -> Path:
    return _write(
        tmp_path / "nvivo.qdpx", _qde(_source(selections), **qde), {SRC: text.encode("utf-8")}
    )


@pytest.fixture
def tiny(tmp_path):
    p = _tiny(tmp_path / "tiny.sqlite")
    yield p
    p.close()


# -- round trip on the example project --------------------------------------------------


@pytest.mark.parametrize(("lang", "newline"), [("en", "lf"), ("zh", "crlf")])
def test_round_trip_gives_identical_codings_and_kappa_one(coded_project, tmp_path, lang, newline):
    out = export_qdpx(coded_project, tmp_path / "a.qdpx", coders=["coder_a"], lang=lang,
                      newline=newline)  # fmt: skip
    assert out.users == ("coder_a",) and out.documents == 31
    result = import_qdpx(coded_project, tmp_path / "a.qdpx", coder="coder_a_qdpx")
    assert result.unplaced == () and result.user == "coder_a"
    original, back = _answers(coded_project, "coder_a"), _answers(coded_project, "coder_a_qdpx")
    assert back == original and len(original) == 671
    # a coder compared with an exact copy of itself agrees perfectly: kappa 1 everywhere
    report = coder_agreement(coded_project, coders=["coder_a", "coder_a_qdpx"])
    assert report.mean_kappa == pytest.approx(1.0, abs=1e-12)
    assert set(report.table["kappa"].round(12)) == {1.0}
    provenance = coded_project.query(
        "SELECT provenance FROM codings WHERE coder_id='coder_a_qdpx' LIMIT 1"
    )[0][0]
    assert '"source": "qdpx"' in provenance and '"selections": [' in provenance


def test_export_is_valid_refi_qda_and_texts_are_the_documents(coded_project, tmp_path):
    coded_project.add_coder("machine:tools-lr-1", kind="machine", model_id="tools-lr-1")
    seg = coded_project.segments()["id"].iloc[0]
    import_codings(coded_project, pd.DataFrame({"segment_id": [seg], "tools": ["-"]}),
                   coder="machine:tools-lr-1")  # fmt: skip
    export_qdpx(coded_project, tmp_path / "all.qdpx", lang="zh")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    with zipfile.ZipFile(tmp_path / "all.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        assert schema.validate(root), schema.error_log
        texts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("sources/")}
    docs = {d.id: d.text for d in coded_project.load_documents(status="included")}
    guids = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert len(guids) == len(set(guids))
    # a note per decision of the lead's (who decided, the note), on its codings, and the
    # machine coder's model note (its answer, filed from a sheet, records no provenance)
    assert len(root.findall("q:Notes/q:Note", NS)) == 125 + 1
    assert all(uuid.UUID(g).variant == uuid.RFC_4122 for g in guids)
    users = {u.get("id"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert (
        users["machine:tools-lr-1"] == "machine:tools-lr-1 (ihms machine coder, model tools-lr-1)"
    )
    segs = coded_project.segments().set_index("id")["text"]
    for src in root.iterfind("q:Sources/q:TextSource", NS):
        assert src.get("plainTextPath") == f"internal://{src.get('guid')}.txt"
        assert (
            texts[f"sources/{src.get('guid')}.txt"] == docs[src.get("name")]
        )  # exactly ihms's text
    # every selection covers whole lines of its document: the span starts a line and
    # ends one, and its lines are those of exactly one segment
    seg_lines = {tuple(t.split("\n")) for t in segs}
    for src in root.iterfind("q:Sources/q:TextSource", NS):
        text = texts[f"sources/{src.get('guid')}.txt"]
        for sel in src.iterfind("q:PlainTextSelection", NS):
            span = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
            assert tuple(ln.strip() for ln in span.split("\n") if ln.strip()) in seg_lines
    cases = root.findall("q:Cases/q:Case", NS)
    assert len(cases) == 31 and all(c.find("q:SourceRef", NS) is not None for c in cases)
    names = [v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)]
    assert names[:5] == ["标题", "发文机关", "文号", "发布日期", "地区"] and "政策层级" in names


def test_blank_export_has_no_users_or_selections(coded_project, tmp_path):
    result = export_qdpx(coded_project, tmp_path / "blank.qdpx", coders=[])
    assert (result.users, result.selections, result.codings) == ((), 0, 0)
    with zipfile.ZipFile(tmp_path / "blank.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(root)
    assert root.find("q:Users", NS) is None and not root.findall(".//q:PlainTextSelection", NS)
    assert len(root.findall("q:Sources/q:TextSource", NS)) == 31


# -- offsets are code points ------------------------------------------------------------


def test_export_offsets_are_code_points(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    import_codings(tiny, pd.DataFrame({"segment_id": [p2], "tools": ["人才建设"]}), coder="alice")
    export_qdpx(tiny, tmp_path / "t.qdpx")
    with zipfile.ZipFile(tmp_path / "t.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
        raw = z.read(next(n for n in z.namelist() if n.startswith("sources/")))
    sel = root.find(".//q:PlainTextSelection", NS)
    # hand count (see TEXT): line 2 is code points 20–39, so [20, 40)
    assert (sel.get("startPosition"), sel.get("endPosition")) == ("20", "40")
    assert raw == TEXT.encode("utf-8")  # bytes of line 2 start at 59: offsets are not bytes


def test_crlf_export_counts_each_break_as_two(tiny, tmp_path):
    _p1, _p2, p3 = _segments(tiny)
    import_codings(tiny, pd.DataFrame({"segment_id": [p3], "tools": ["医保支付"]}), coder="alice")
    export_qdpx(tiny, tmp_path / "t.qdpx", newline="crlf")
    with zipfile.ZipFile(tmp_path / "t.qdpx") as z:
        sel = etree.fromstring(z.read("project.qde")).find(".//q:PlainTextSelection", NS)
    # line 3 is [41, 62) with "\n" breaks; two "\r\n" before it shift it by 2: [43, 64)
    assert (sel.get("startPosition"), sel.get("endPosition")) == ("43", "64")


# -- a hand-written file from "NVivo" ---------------------------------------------------


def test_hand_written_file_imports_to_the_expected_codings(tiny, tmp_path):
    p1, p2, p3 = _segments(tiny)
    selections = (
        _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT, PHYSICIANS)  # P2 exactly
        + _selection("e0000000-0000-4000-8000-000000000002", 0, 19, NONE_TOOLS)  # P1: tools none
        + _selection("e0000000-0000-4000-8000-000000000003", 45, 51, INSURANCE)  # 6 of P3's 21
    )
    path = _hand_file(tmp_path, selections)
    # min_overlap=1: a segment counts only if wholly selected; read as UTF-16 units the
    # first selection would be [19, 39) and miss P2's last character
    result = import_qdpx(tiny, path, coder="li", min_overlap=1.0)
    assert _answers(tiny, "li") == {
        (p2, "tools", "talent_construction"),
        (p2, "stakeholders", "physicians"),
        (p1, "tools", ""),
    }
    assert result.unplaced == (("D1", 45, 51, "e0000000-0000-4000-8000-000000000003"),)
    assert (result.user, result.origin, result.sources_matched) == ("Li Wei", "NVivo 14", 1)
    # 6 of 21 characters is 0.286 of P3: coded at min_overlap 0.25; read as bytes,
    # [45, 51) would fall in line 1 (bytes 0–57) and code P1 instead
    import_qdpx(tiny, path, coder="li2", min_overlap=0.25)
    assert (p3, "tools", "medical_insurance_payment") in _answers(tiny, "li2")
    assert not any(
        s == p1 and v == "medical_insurance_payment" for s, _, v in _answers(tiny, "li2")
    )


def test_a_selection_over_two_segments_codes_both(tiny, tmp_path):
    _p1, p2, p3 = _segments(tiny)
    # [30, 62): the second half of line 2 (10 of its 20 characters) and all of line 3
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 30, 62, TALENT))
    import_qdpx(tiny, path, coder="li")  # half of P2 reaches the default 0.5
    assert _answers(tiny, "li") == {
        (p2, "tools", "talent_construction"),
        (p3, "tools", "talent_construction"),
    }
    import_qdpx(tiny, path, coder="li2", min_overlap=0.6)
    assert _answers(tiny, "li2") == {(p3, "tools", "talent_construction")}


def test_uncoded_none_fills_the_rest_of_a_coded_document(tiny, tmp_path):
    p1, p2, p3 = _segments(tiny)
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT))
    import_qdpx(tiny, path, coder="li", uncoded="none")
    assert _answers(tiny, "li") == {
        (p1, "tools", ""), (p2, "tools", "talent_construction"), (p3, "tools", ""),
    }  # fmt: skip


def test_windows_line_breaks_count_two_unless_atlas(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    crlf = TEXT.replace("\n", "\r\n")
    # NVivo counts "\r\n" as two: line 2 moves from [20, 40) to [21, 41)
    path = _hand_file(
        tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 21, 41, TALENT), text=crlf
    )
    result = import_qdpx(tiny, path, coder="nv", min_overlap=1.0)
    assert _answers(tiny, "nv") == {(p2, "tools", "talent_construction")}
    assert "Windows line breaks, counted as two character(s)" in " ".join(result.notes)
    # ATLAS.ti counts it as one (QualCoder's importer notes this): line 2 stays [20, 40)
    atlas = _write(
        tmp_path / "atlas.qdpx",
        _qde(_source(_selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT)),
             origin="ATLAS.ti 23.1"),
        {SRC: crlf.encode("utf-8")},
    )  # fmt: skip
    result = import_qdpx(tiny, atlas, coder="at", min_overlap=1.0)
    assert _answers(tiny, "at") == {(p2, "tools", "talent_construction")}
    assert "counted as one character(s) each (ATLAS.ti's way" in " ".join(result.notes)


def test_source_matched_by_text_under_another_name(tiny, tmp_path):
    _p1, p2, _p3 = _segments(tiny)
    sel = _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT)
    path = _write(tmp_path / "r.qdpx", _qde(_source(sel, name="renamed in NVivo")), {SRC: TEXT})
    assert import_qdpx(tiny, path, coder="li").sources_matched == 1
    assert _answers(tiny, "li") == {(p2, "tools", "talent_construction")}


def test_the_reconciled_coding_is_exported_as_its_own_user(coded_project, tmp_path):
    """The example project's export held users coder_a and coder_b only: an NVivo or
    ATLAS.ti user looked in vain for the agreed codes the tables are built on. They come
    as a user 'reconciled', and read back they are the project's decisions unchanged
    (tests/policy/test_qdpx_reconciled.py reads them into a fresh project)."""
    out = export_qdpx(coded_project, tmp_path / "all.qdpx")
    assert out.users == ("coder_a", "coder_b", "reconciled")
    assert any("'reconciled' holds the reconciled coding" in n for n in out.notes)
    result = import_qdpx(coded_project, tmp_path / "all.qdpx", user="reconciled")
    n_decided = coded_project.query("SELECT count(*) FROM decisions")[0][0]
    assert result.unplaced == () and result.reconciliation
    assert (result.added, result.unchanged) == (0, n_decided) and n_decided > 400
    only_a = export_qdpx(coded_project, tmp_path / "a.qdpx", coders=["coder_a"])
    assert only_a.users == ("coder_a",)  # coders named: those only
    both = export_qdpx(coded_project, tmp_path / "b.qdpx", coders=["coder_a"], reconciled=True)
    assert both.users == ("coder_a", "reconciled")
    none = export_qdpx(coded_project, tmp_path / "n.qdpx", reconciled=False)
    assert "reconciled" not in none.users and "coder_b" in none.users
