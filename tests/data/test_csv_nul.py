"""A NUL byte in a CSV table's header or cell is refused naming file, row and column
(session 31): pandas kept it, so a header ``birth\\x00year`` was a missing column with a
did-you-mean showing a name that looked right, and a cell's NUL was stored."""

from __future__ import annotations

import pytest

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _put(folder, name: str, old: str, new: str) -> None:
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_nul_in_the_header_is_refused_naming_row_and_column(csv_folder, youxi):
    _put(csv_folder, "residents.csv", "birth_year", "birth\x00year")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert problem.startswith(
        "residents.csv row 1 (the header), column 2 ('birth\\x00year'): the name holds a NUL "
        "byte (\\x00)"
    )
    assert (problem.file, problem.row) == ("residents.csv", 1)
    assert "\x00" not in problem


def test_a_nul_in_a_cell_is_refused_naming_row_and_column(csv_folder, youxi):
    _put(csv_folder, "encounters.csv", "I63", "I\x0063")
    _put(csv_folder, "encounters.csv", "J02", "J\x0002")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'diagnosis_group' of encounters.csv row 4: the cell holds a NUL byte (\\x00)"
    )
    assert "(1 more cell does too)" in problem
    assert (problem.file, problem.row, problem.column) == ("encounters.csv", 4, "diagnosis_group")


def test_the_leftmost_cell_of_the_first_row_is_named(csv_folder, youxi):
    # review of session 31, L2: with NULs in sex (column 3) and grid_id (column 4) of
    # row 3, the alphabetically first column, grid_id, was named
    _put(csv_folder, "residents.csv", "1960,M,G02", "1960,M\x00,G0\x002")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert problem.startswith("column 'sex' of residents.csv row 3: the cell holds a NUL byte")
    assert "(1 more cell does too)" in problem
