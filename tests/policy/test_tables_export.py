"""Content tables written for Word (``policy tables --format docx``)."""

import pytest

from ihms.errors import InputError
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import build_tables
from ihms.policy.tables_export import export_tables


def test_tables_are_written_for_word_as_printed(coded_project, tmp_path):
    # Walk 17: a researcher writing in Word had xlsx, csv, html and tex to choose from;
    # --format docx was "unknown table format(s) ['docx']"
    import docx

    tables = build_tables(coded_data(coded_project))
    written = export_tables(tables, tmp_path, formats=["docx"])
    assert written == {"docx": [tmp_path / "tables.docx"]}
    doc = docx.Document(str(tmp_path / "tables.docx"))
    assert len(doc.tables) == len(tables)
    seventh, word = tables[6], doc.tables[6]
    assert [c.text for c in word.rows[0].cells] == list(seventh.header)
    for (label, _, cells), row in zip(seventh.rows, word.rows[1:], strict=True):
        assert [c.text for c in row.cells] == [label, *cells]
    paragraphs = [p.text for p in doc.paragraphs]
    assert seventh.title in paragraphs and all(n in paragraphs for n in seventh.notes)
    with pytest.raises(InputError, match="choose from xlsx, csv, html, latex, docx"):
        export_tables(tables, tmp_path, formats=["word"])


def test_a_blocked_file_leaves_the_earlier_set_whole(coded_project, tmp_path):
    # review_policy 8: with tables.docx blocked (a folder there) the CSV, XLSX, HTML and
    # TEX files written before it stayed, beside an older run's, and the error read
    # ".tables.tmp.docx -> tables.docx: Is a directory"; then, through staged_set, the
    # folder was set aside hidden (.tables.docx.ihms-old) and the new file put there
    from ihms._atomic import NotPlaced

    tables = build_tables(coded_data(coded_project))
    export_tables(tables[:2], tmp_path, formats=["csv", "xlsx"])
    (tmp_path / "tables.docx").mkdir()
    (tmp_path / "tables.docx" / "draft.txt").write_text("mine", encoding="utf-8")
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(NotPlaced) as caught:
        export_tables(tables, tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'tables.docx'}: cannot be written (a folder stands in its place); "
        "nothing was changed"
    )
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # no table12.csv, no tables.html, the folder and its file kept
