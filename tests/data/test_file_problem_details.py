"""A problem found while a file is read (a ragged row, a header naming a column twice)
keeps the row or column its message names, for ``data check --json``'s
``problem_details`` (review of the data import, 2026-11-25, finding 12)."""

from __future__ import annotations

import pytest

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _problem(csv_folder, youxi):
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    return problem


def test_a_ragged_row_keeps_its_row(csv_folder, youxi):
    enc = csv_folder / "encounters.csv"
    lines = enc.read_text(encoding="utf-8").split("\n")
    lines[2] += ",extra"  # row 3 of the file
    enc.write_text("\n".join(lines), encoding="utf-8")
    problem = _problem(csv_folder, youxi)
    assert "encounters.csv row 3: 13 cells, but the header has 12 columns" in problem
    assert (problem.file, problem.row) == ("encounters.csv", 3)


def test_a_column_named_twice_keeps_its_name(csv_folder, youxi):
    enc = csv_folder / "encounters.csv"
    text = enc.read_text(encoding="utf-8")
    enc.write_text(text.replace("out_of_pocket_yuan", "insurance_paid_yuan", 1), encoding="utf-8")
    problem = _problem(csv_folder, youxi)
    assert "columns 8 and 9 are both named 'insurance_paid_yuan'" in problem
    assert (problem.file, problem.column) == ("encounters.csv", "insurance_paid_yuan")


def test_a_header_repeated_below_is_one_problem(csv_folder, youxi):
    # two monthly extracts joined with `cat`: the second header is row 4 (review of the
    # data import, 2026-11-25, finding 16: five "expected ..., got 'date'" problems)
    enc = csv_folder / "encounters.csv"
    lines = enc.read_text(encoding="utf-8").split("\n")
    lines.insert(3, lines[0])
    enc.write_text("\n".join(lines), encoding="utf-8")
    problem = _problem(csv_folder, youxi)
    assert problem == (
        "encounters.csv row 4: repeats the header (files joined one after the other, each "
        "with its header?): delete the row"
    )
    assert problem.row == 4


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "encounters.xlsx: the file is empty (0 bytes)"),
        (b"encounter_id,resident_id\nV1,R1\n", "encounters.xlsx: text, not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "an Excel 97-2003 (.xls) workbook"),
    ],
)
def test_a_file_named_xlsx_that_is_no_workbook_says_what_it_is(csv_folder, youxi, content, said):
    (csv_folder / "encounters.csv").unlink()
    (csv_folder / "encounters.xlsx").write_bytes(content)
    problem = _problem(csv_folder, youxi)
    assert said in problem and "zip" not in problem
