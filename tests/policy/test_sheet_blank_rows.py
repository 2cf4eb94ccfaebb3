"""A policy sheet whose first row (or rows) is blank above the header — a title deleted
but not its row, a gap left when the sheet was pasted — is read as ``ihms data import``
reads such a table (``_decode.read_csv`` / ``_sheets.read_sheet`` with ``blank_above``):
the blank rows left out with data import's note, and every later message naming the
file's row (review 21b finding 9: the policy sheets refused the file instead)."""

import pytest

from ihms.errors import DataError, InputError
from ihms.policy.autocode.review import read_review_sheet
from ihms.policy.sheet import read_table_file

from .test_sheet_titles import blank_book, blank_csv, suffix_of

WRITERS = [blank_book, blank_csv]


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("blanks", [1, 2])
def test_blank_rows_above_the_header_are_left_out_with_data_imports_note(tmp_path, write, blanks):
    notes: list[str] = []
    sheet = write(
        tmp_path / f"t{suffix_of(write)}", ("id", "stage"), ("D09", "title"), blanks=blanks
    )
    frame = read_table_file(sheet, notes=notes)
    assert list(frame.columns) == ["id", "stage"] and frame["id"].tolist() == ["D09"]
    assert frame.attrs["title_lines"] == blanks
    above = "row 1" if blanks == 1 else "rows 1-2"
    # review 22a L7: a blank row is no title
    assert notes == [f"{sheet.name}: blank {above} above the header left out"]


@pytest.mark.parametrize(("empty", "above"), [(1, "row 1"), (2, "rows 1-2")])
def test_an_empty_first_line_of_a_csv_is_left_out_too(tmp_path, empty, above):
    """A CSV written by hand or a script may start with an empty line, not commas; two
    were read as "the file is empty" (review 22a M4)."""
    sheet = tmp_path / "t.csv"
    sheet.write_text("\n" * empty + "id,stage\nD09,title\n", encoding="utf-8")
    notes: list[str] = []
    frame = read_table_file(sheet, notes=notes)
    assert list(frame.columns) == ["id", "stage"] and frame.attrs["title_lines"] == empty
    assert notes == [f"t.csv: blank {above} above the header left out"]


def test_a_one_column_sheet_under_a_blank_row_is_still_named(tmp_path):
    """With one column no header can be told from a title: the blank row is named, as
    data import names it."""
    sheet = tmp_path / "one.csv"
    sheet.write_text(",\n,\nid\nD09\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"one\.csv: the first row is blank"):
        read_table_file(sheet)


@pytest.mark.parametrize("write", WRITERS)
def test_a_review_sheet_under_blank_rows_names_the_files_row(coded_project, tmp_path, write):
    seg = coded_project.segments()["id"].iloc[0]
    sheet = write(
        tmp_path / f"review{suffix_of(write)}",
        ("segment", "dimension", "coder", "status"),
        (seg, "tools", "coder_a", ""),
        (seg, "tools", "coder_a", "acepted"),  # row 5 under two blank rows
        blanks=2,
    )
    with pytest.raises(DataError) as err:
        read_review_sheet(coded_project, sheet)
    (problem,) = err.value.problems
    assert problem.startswith(f"{sheet.name} row 5, column 'status': expected 'accepted'")
