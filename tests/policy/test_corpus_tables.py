"""Importing a corpus with its tables read as rows (``import_folder(tables="rows")``):
what the text, the metadata, the notes and the provenance say, how a project stores
and re-imports it, and what the PRISMA screening then notes."""

import shutil

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy import Project, load_codebook, screen
from ihms.policy.corpus import TableReading, import_folder, table_reading

from .conftest import EXAMPLES
from .table_docs import NOTICE_PAGE, PAGE_ROW, ROW_1, ROW_2, division_docx, notice_docx

NOTICE_BODY = [
    "一、明确任务分工。各地要按照下表落实各项任务。",
    "二、加强督导考核。省卫生健康委定期通报进展。",
]
PAGE_BODY = [
    "一、总体要求。推进医联体建设，逐步形成多种形式的医联体组织模式。",
    "二、组织实施。各地要加强组织领导，完善配套政策。",
]


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    notice_docx(docs / "notice.docx")
    (docs / "page.html").write_text(NOTICE_PAGE, encoding="utf-8")
    shutil.copy(EXAMPLES / "corpus" / "2016_三明市_医保基金打包支付.txt", docs / "sanming.txt")
    return docs


def _by_id(result):
    return {d.id: d for d in result.documents}


def test_rows_land_in_the_body_and_the_metadata_does_not_change(folder):
    skip, rows = _by_id(import_folder(folder)), _by_id(import_folder(folder, tables="rows"))
    assert skip["notice"].text.split("\n") == NOTICE_BODY  # as before: no table text
    assert rows["notice"].text.split("\n") == [NOTICE_BODY[0], ROW_1, ROW_2, NOTICE_BODY[1]]
    assert skip["page"].text.split("\n") == PAGE_BODY
    assert rows["page"].text.split("\n") == [PAGE_BODY[0], PAGE_ROW, PAGE_BODY[1]]
    assert rows["sanming"] == skip["sanming"]  # no tables, nothing changes
    fields = ("title", "issuer", "doc_number", "date", "signature")
    for doc_id in ("notice", "page"):
        # the reference table above the title names another document and number: the
        # metadata is read from the paragraphs, as without tables
        assert [getattr(rows[doc_id], f) for f in fields] == [
            getattr(skip[doc_id], f) for f in fields
        ]
    assert rows["notice"].title == "浙江省卫生健康委关于印发医联体建设任务分工方案的通知"
    assert rows["notice"].doc_number == "浙卫发〔2018〕5号"


def test_rows_outside_the_body_go_with_the_text_around_them(folder):
    docs = _by_id(import_folder(folder, tables="rows"))
    notice, page = docs["notice"], docs["page"]
    assert (
        "header",
        "依据文件：国务院办公厅关于推进医疗联合体建设和发展的指导意见；文号：国办发〔2017〕32号",
    ) in notice.removed
    assert ("attachment", "指标：县域就诊率；目标值：90%") in notice.removed
    assert notice.notes == (
        "3 table(s) read: 4 row(s), one paragraph each",
        "2 of 4 table row(s) cleaned away with the text around them (header 1, attachment 1)",
    )
    # the site's information table above the title, and the links below the signature
    assert ("header", "发文机关：国务院办公厅；成文日期：2017年04月23日") in page.removed
    assert ("signature", "相关链接；政策解读；图解") in page.removed
    assert page.notes[-1] == (
        "4 of 5 table row(s) cleaned away with the text around them (header 3, signature 1)"
    )


def test_a_file_that_is_one_table_keeps_its_rows(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    division_docx(docs / "分工.docx")
    (docs / "annex.html").write_text(
        "<html><body><p>重点任务分工表</p><table><tr><th>任务</th><th>牵头单位</th></tr>"
        "<tr><td>建设区域医学影像中心</td><td>县卫生健康局</td></tr></table></body></html>",
        encoding="utf-8",
    )
    docs_ = _by_id(import_folder(docs, tables="rows"))
    # the only paragraph is taken as the title: the rows are the whole body
    assert docs_["annex"].text == "任务：建设区域医学影像中心；牵头单位：县卫生健康局"
    assert docs_["分工"].text.split("\n")[-3:] == [ROW_1, ROW_2, "三、保障措施"]


def test_provenance_notes_and_frame_say_what_was_read(folder):
    skip = import_folder(folder)
    rows = import_folder(folder, tables="rows")
    assert (skip.tables, rows.tables) == ("skip", "rows")
    assert [table_reading(d) for d in skip.documents] == [
        TableReading("skip", 3), TableReading("skip", 3), None
    ]  # fmt: skip
    assert [table_reading(d) for d in rows.documents] == [
        TableReading("rows", 3, 4, 2), TableReading("rows", 3, 5, 1), None
    ]  # fmt: skip
    assert dict(rows.documents[0].provenance)["text"] == (
        "paragraphs and table rows: 4 row(s) of 3 table(s) read, 2 kept after cleaning"
    )
    assert skip.notes == (
        "6 table(s) in 2 document(s) not read: tables are left out by default, as Yu et al. 2024 "
        "left them out of coding; tables='rows' (--tables rows) reads each table row as a paragraph",
    )
    assert rows.notes == (
        "6 table(s) in 2 document(s) read: 9 row(s), one paragraph each, where the table "
        "stands; 6 of them cleaned away with the header, signature or attachments around "
        "them (see the documents' notes)",
    )
    assert rows.tables_summary() == {
        "mode": "rows", "documents_with_tables": 2, "tables": 6, "rows_read": 9, "rows_kept": 3
    }  # fmt: skip
    frame = rows.to_frame().set_index("id")
    assert frame["tables"].tolist() == ["3 read: 4 rows (2 kept)", "3 read: 5 rows (1 kept)", ""]
    assert skip.to_frame()["tables"].tolist() == ["3 left out", "3 left out", ""]
    # the record of the text is not a metadata field extracted from it
    assert "text:" not in "".join(frame["extracted"])


def test_pdfs_are_named_when_rows_are_asked_for(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / "corpus" / "2017_江苏省_医联体建设实施方案.pdf", docs / "js.pdf")
    (docs / "plain.txt").write_text(  # a title line, then the body
        "关于推进医联体建设的通知\n一、总体要求。推进医联体建设。", encoding="utf-8"
    )
    assert import_folder(docs).notes == ()
    notes = import_folder(docs, tables="rows").notes
    assert notes[0] == "tables='rows': no .docx or .html file of the corpus has a table"
    assert notes[1].startswith(
        "1 PDF file(s) read from their text layer as before (tables='rows' applies to .docx and .html)"
    )


def test_parallel_import_reads_tables_as_the_serial_one(folder):
    serial = import_folder(folder, tables="rows", workers=1)
    assert import_folder(folder, tables="rows", workers=2).documents == serial.documents


def test_a_bad_tables_value_is_refused_before_reading(folder):
    with pytest.raises(InputError, match=r"tables must be one of 'skip', 'rows', got 'all'"):
        import_folder(folder, tables="all")


def test_reimporting_with_rows_updates_the_text_and_segments_keep_their_ids(folder, tmp_path):
    from ihms.policy.coding import import_codings

    p = Project.create(tmp_path / "study.sqlite", load_codebook("6d"))
    assert p.add_documents(import_folder(folder).documents)["added"] == 3
    p.segment("paragraph")
    before = set(p.segments()["id"])
    # the file's bytes (sha256) are the same; its text is not: updated, not unchanged
    counts = p.add_documents(import_folder(folder, tables="rows").documents)
    assert (counts["updated"], counts["unchanged"]) == (2, 1)
    stored = {d.id: d for d in p.load_documents()}
    assert table_reading(stored["notice"]) == TableReading("rows", 3, 4, 2)
    assert stored["page"].text.split("\n") == [PAGE_BODY[0], PAGE_ROW, PAGE_BODY[1]]
    again = p.segment("paragraph")
    assert (again["new"], again["kept"]) == (3, len(before))  # one segment per kept row
    segs = p.segments()
    assert set(segs.loc[~segs["id"].isin(before), "text"]) == {ROW_1, ROW_2, PAGE_ROW}
    # a coded row survives going back to the default reading: retired, not deleted
    row_seg = segs.loc[segs["text"] == PAGE_ROW, "id"].iloc[0]
    sheet = tmp_path / "codes.csv"
    pd.DataFrame({"segment_id": [row_seg], "tools": ["Talent construction"]}).to_csv(
        sheet, index=False
    )
    import_codings(p, sheet, coder="alice")
    p.add_documents(import_folder(folder).documents)
    back = p.segment("paragraph")
    assert (back["retired"], back["deleted"]) == (1, 2)
    assert table_reading(next(d for d in p.load_documents() if d.id == "page")).mode == "skip"
    p.close()


def test_screening_notes_documents_coded_with_table_rows(folder):
    rows = import_folder(folder, tables="rows").documents
    assert screen(import_folder(folder).documents).notes == ()
    (note,) = screen(rows).notes
    assert note == (
        "2 included document(s) were imported with their tables read, one paragraph per row "
        "(9 rows): notice, page; tables are left out by default, so say in the methods that "
        "table rows were coded"
    )
