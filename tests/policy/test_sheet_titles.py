"""A sheet whose row 1 is its title (``第一轮筛选结果（张伟）`` merged over the columns) and
whose header is on row 2, read by every reader of :func:`ihms.policy.sheet.read_table_file`
as ``ihms data import`` and the metadata sheet read it: the title left out, and rows
numbered as the file numbers them (the first record is row 3). A blank row 1 above the
header (a title deleted, not its row) is read the same way, with the same note (review 21b
finding 9; more in tests/policy/test_sheet_blank_rows.py)."""

import datetime as dt
from types import SimpleNamespace

import openpyxl
import pytest

from ihms.errors import DataError
from ihms.policy.autocode.review import read_review_sheet
from ihms.policy.reconcile import read_decisions
from ihms.policy.screening_rayyan import read_rayyan
from ihms.policy.screening_sheets import read_reviewer_decisions, read_screening_decisions
from ihms.policy.sheet import read_table_file

from .test_screening_reviewers import IDS

TITLE = "第一轮筛选结果（张伟）"


def titled_book(path, header, *records):
    """An ``.xlsx`` as a reviewer keeps it: the title merged over the columns in row 1,
    the header in row 2, the records below."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for values in (header, *records):
        ws.append(list(values))
    book.save(path)
    return path


def titled_csv(path, header, *records):
    """The same sheet saved as CSV: the title alone in its first cell."""
    lines = [TITLE + "," * (len(header) - 1), ",".join(header), *(",".join(r) for r in records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def blank_book(path, header, *records, blanks=1):
    """An ``.xlsx`` whose first ``blanks`` rows are empty, the header below them."""
    book = openpyxl.Workbook()
    ws = book.active
    for values in (header, *records):
        ws.append(list(values))
    ws.insert_rows(1, amount=blanks)  # the rows above stay empty, as Excel leaves them
    book.save(path)
    return path


def blank_csv(path, header, *records, blanks=1):
    """The same sheet saved as CSV by Excel: each blank row a line of commas."""
    lines = ["," * (len(header) - 1)] * blanks
    lines += [",".join(header), *(",".join(r) for r in records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: every way a sheet has one row above its header: a title, or a blank row
ABOVE = [titled_book, titled_csv, blank_book, blank_csv]


def suffix_of(write) -> str:
    return ".xlsx" if write in (titled_book, blank_book) else ".csv"


@pytest.mark.parametrize("write", ABOVE)
def test_screening_decisions_under_a_title_row_number_rows_as_the_file(tmp_path, write):
    suffix = suffix_of(write)
    sheet = write(
        tmp_path / f"zhang{suffix}",
        ("id", "stage", "decision", "reason"),
        ("D09", "title", "exclude", "新闻"),
        ("D08", "title", "maybe", ""),  # row 4 as the file numbers it
    )
    with pytest.raises(DataError) as err:
        read_screening_decisions(sheet, known_ids=IDS)
    assert err.value.problems == [
        f"zhang{suffix} row 4, field 'decision': expected include or exclude (纳入/排除), "
        "got 'maybe'"
    ]
    fine = write(
        tmp_path / f"ok{suffix}", ("编号", "阶段", "决定", "理由"), ("D09", "初筛", "排除", "报道")
    )
    (got,) = read_screening_decisions(fine, known_ids=IDS)
    assert (got.doc_id, got.stage, got.decision, got.reason) == ("D09", "title", "exclude", "报道")
    assert got.source == f"ok{suffix} row 3"
    notes: list[str] = []
    read_reviewer_decisions([fine], known_ids=IDS, notes=notes)
    blank = "blank " if write in (blank_book, blank_csv) else ""  # review 22a L7
    rest = "" if blank else " as the sheet's title"
    assert notes == [f"ok{suffix}: {blank}row 1 above the header left out{rest}"]


def test_the_title_is_left_out_with_data_imports_note(tmp_path):
    notes: list[str] = []
    frame = read_table_file(
        titled_book(tmp_path / "zhang.xlsx", ("id", "stage"), ("D09", "title")), notes=notes
    )
    assert list(frame.columns) == ["id", "stage"] and frame.attrs["title_lines"] == 1
    assert notes == ["zhang.xlsx: row 1 above the header left out as the sheet's title"]


@pytest.mark.parametrize("write", ABOVE)
def test_reconcile_decisions_under_a_title_row_name_the_files_row(coded_project, tmp_path, write):
    seg = coded_project.segments()["id"].iloc[0]
    sheet = write(
        tmp_path / f"decided{suffix_of(write)}",
        ("segment_id", "dimension", "decision"),
        (seg, "tools", "Talent construction"),
        (seg, "tools", "Financial guarantee"),
    )
    with pytest.raises(DataError) as err:
        read_decisions(coded_project, sheet)
    (problem,) = err.value.problems
    assert (
        problem.startswith(f"{sheet.name} row 4, column 'decision'") and "but row 3 says" in problem
    )


@pytest.mark.parametrize("write", ABOVE)
def test_a_review_sheet_under_a_title_row_names_the_files_row(coded_project, tmp_path, write):
    seg = coded_project.segments()["id"].iloc[0]
    sheet = write(
        tmp_path / f"review{suffix_of(write)}",
        ("segment", "dimension", "coder", "status"),
        (seg, "tools", "coder_a", ""),
        (seg, "tools", "coder_a", "acepted"),
    )
    with pytest.raises(DataError) as err:
        read_review_sheet(coded_project, sheet)
    (problem,) = err.value.problems
    assert problem.startswith(f"{sheet.name} row 4, column 'status': expected 'accepted'")


def test_a_rayyan_export_under_a_title_row_numbers_rows_as_the_file(tmp_path):
    """Rayyan writes no title, but an export opened in Excel and saved with one is read
    like the reviewers' sheets (the layout of tests/policy/test_screening_rayyan.py)."""
    docs = [
        SimpleNamespace(
            id="D1", title="关于推进医疗联合体建设和发展的指导意见", date=dt.date(2017, 3, 1)
        )
    ]
    sheet = titled_csv(
        tmp_path / "articles.csv",
        ("key", "title", "year", "notes"),
        ("r1", docs[0].title, "2017", 'RAYYAN-INCLUSION: {"Alice"=>"Included"}'),
        ("r4", "某市卫健委工作动态", "2020", ""),
    )
    got = read_rayyan(sheet, docs, stage="title")
    assert [(d.doc_id, d.reviewer, d.source) for d in got.decisions] == [
        ("D1", "Alice", "articles.csv row 3")
    ]
    assert got.unmatched == ((4, "某市卫健委工作动态"),)
    assert "articles.csv: row 1 above the header left out as the sheet's title" in got.notes()


def test_a_rayyan_log_under_a_title_row_is_read(tmp_path):
    """customizations_log.csv (columns as rayyanR's example_inputs has them) saved with a
    title above its header still ties Alice to her address and her own reason."""
    docs = [
        SimpleNamespace(
            id="D1", title="关于推进医疗联合体建设和发展的指导意见", date=dt.date(2017, 3, 1)
        )
    ]
    notes = 'RAYYAN-INCLUSION: {"Alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: a,b'
    export, quoted = tmp_path / "articles.csv", notes.replace('"', '""')
    export.write_text(f'key,title,year,notes\nrayyan-11,{docs[0].title},2017,"{quoted}"\n', "utf-8")
    titled_csv(
        tmp_path / "customizations_log.csv",
        ("created_at", "user_id", "user_email", "article_id", "key", "value"),
        ("2014-05-22T10:17:22Z", "5", "alice@example.org", "11", "included", "-1"),
        ("2014-05-22T10:17:37Z", "5", "alice@example.org", "11", '"""__EXR__wrong drug"""', "1"),
    )
    got = read_rayyan(export, docs, stage="title")
    assert got.log.emails == {"Alice": "alice@example.org"}
    assert [d.reason for d in got.decisions] == ["wrong drug"]


def test_an_empty_line_in_a_rayyan_export_is_no_article_and_shifts_no_row(tmp_path):
    """An export opened in Excel and saved with an empty line in it: the line is no
    unmatched article, and the rows below keep the file's numbers."""
    docs = [
        SimpleNamespace(
            id="D1", title="关于推进医疗联合体建设和发展的指导意见", date=dt.date(2017, 3, 1)
        )
    ]
    sheet = tmp_path / "articles.csv"
    sheet.write_text(
        "key,title,year,notes\n\n"
        f'r1,{docs[0].title},2017,"RAYYAN-INCLUSION: {{""Alice""=>""Included""}}"\n'
        ",,,\n"
        "r4,某市卫健委工作动态,2020,\n",
        "utf-8",
    )
    got = read_rayyan(sheet, docs, stage="title")
    assert [d.source for d in got.decisions] == ["articles.csv row 3"]
    assert got.unmatched == ((5, "某市卫健委工作动态"),)


@pytest.mark.parametrize("write", ABOVE)
def test_a_codings_sheet_under_a_title_row_names_the_files_row(project, tmp_path, write):
    from ihms.policy.coding import import_codings

    seg = project.segments()["id"].iloc[0]
    sheet = write(
        tmp_path / f"codes{suffix_of(write)}",
        ("segment_id", "tools"),
        (seg, "Policy promotion"),
        ("p-nowhere", "Policy promotion"),
    )
    with pytest.raises(DataError) as err:
        import_codings(project, sheet, coder="c")
    (problem,) = err.value.problems
    assert problem.startswith(f"{sheet.name}") and "row 4: segment 'p-nowhere'" in problem


@pytest.mark.parametrize("above", [["编码表 A（2024年）"], []], ids=["title", "blank"])
def test_read_sheets_passes_each_sheets_title_note_to_notes(tmp_path, above):
    """Review 21b finding 8: a multi-sheet workbook lost its title-row notes; finding 9:
    a blank row 1 is left out as a title is."""
    from ihms.policy.sheet import read_sheets

    book = openpyxl.Workbook()
    book.active.title = "A"
    book.active.append(above)
    book.active.append(["segment_id", "d1"])
    book.active.append(["S1", "1"])
    second = book.create_sheet("B")
    second.append(["segment_id", "d1"])
    second.append(["S2", "0"])
    book.save(tmp_path / "codes.xlsx")
    notes: list[str] = []
    sheets = read_sheets(tmp_path / "codes.xlsx", notes=notes)
    assert [label for label, _ in sheets] == ["codes.xlsx, sheet 'A'", "codes.xlsx, sheet 'B'"]
    assert [frame.attrs["title_lines"] for _, frame in sheets] == [1, 0]
    said = (
        "blank row 1 above the header left out"
        if not above
        else ("row 1 above the header left out as the sheet's title")
    )  # a blank row is no title (review 22a L7)
    assert notes == [f"codes.xlsx, sheet 'A': {said}"]
