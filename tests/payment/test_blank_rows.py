"""Wholly blank rows in a payment table (user review, task 4). Trailing ones — the
formatted empty rows a sheet keeps below its data, a CSV's ``,,,`` lines — are no
rows and are left out; a blank row inside the table is refused naming its row and what
to do (the rows below it keep the numbers the sheet shows, and what sits below a blank
row in a money table is usually another block: totals, notes, a second year's table)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from ihms.errors import DataError
from ihms.payment import PopulationTable

ROWS = [[2017, 350000], [2018, 352000], [2019, 354000]]


def _book(path: Path, rows: list, *, formatted_below: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["year", "insured_population"])
    for row in rows:
        sheet.append(row)
    fill = PatternFill("solid", fgColor="FFFF00")
    end = sheet.max_row
    for r in range(end + 1, end + 1 + formatted_below):
        for c in (1, 2):  # formatted, empty: Excel keeps these as rows
            sheet.cell(row=r, column=c).fill = fill
            sheet.cell(row=r, column=c).value = None
    book.save(path)
    return path


def test_trailing_blank_rows_of_a_workbook_are_left_out(tmp_path):
    path = _book(tmp_path / "pop.xlsx", [*ROWS, [None, None], [None, None]], formatted_below=3)
    table = PopulationTable.read(path)
    assert sorted(table.rows) == [2017, 2018, 2019]


def test_trailing_blank_lines_of_a_csv_are_left_out(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("year,insured_population\n2017,350000\n2018,352000\n,\n , \n", "utf-8")
    assert sorted(PopulationTable.read(path).rows) == [2017, 2018]


def test_a_blank_row_inside_the_table_is_refused_naming_it(tmp_path):
    path = _book(tmp_path / "pop.xlsx", [ROWS[0], [None, None], *ROWS[1:], [None, None]])
    with pytest.raises(DataError) as err:
        PopulationTable.read(path)
    (problem,) = err.value.problems
    # the sheet's row 3 (header row 1, 2017 on row 2); the data go on to row 5
    assert problem.startswith(f"{path} row 3: a wholly blank row inside the table")
    assert "rows 4–5 below it" in problem
    assert "delete the row" in problem


def test_an_empty_line_inside_a_csv_is_refused_naming_its_line(tmp_path):
    # review 20b item 1: pandas skipped a truly empty line (not ",") unasked, so it was
    # never refused and the rows below it were numbered one short ("row 3 … 'abc'" for
    # the file's line 4)
    path = tmp_path / "pop.csv"
    path.write_text("year,insured_population\n2017,100\n\n2018,abc\n", "utf-8")
    with pytest.raises(DataError) as err:
        PopulationTable.read(path)
    (problem,) = err.value.problems
    assert problem.startswith(f"{path} row 3: a wholly blank row inside the table")
    assert "(row 4 below it holds data)" in problem  # item 12: one row holds


def test_empty_lines_ending_a_csv_are_left_out(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("year,insured_population\n2017,350000\n2018,352000\n\n\n", "utf-8")
    assert sorted(PopulationTable.read(path).rows) == [2017, 2018]
