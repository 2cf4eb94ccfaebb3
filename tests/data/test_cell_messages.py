"""A refused cell is shown as ``data check --json`` gives its value (a date cell as ISO,
true/false), and each Excel error value with its own meaning (review of the data
import, 2026-11-25, findings 9 and 10: every error was explained as #N/A's "a lookup
found nothing", and a date cell was shown as ``datetime.datetime(2019, 3, 8, 0, 0)``).
The meanings are Microsoft's, "Detect errors in formulas" (Excel help)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _book(csv_folder, cells: dict[str, object]):
    csv = csv_folder / "encounters.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "encounters"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    for at, value in cells.items():
        sheet[at] = value
    book.save(csv_folder / "encounters.xlsx")
    csv.unlink()


def _problems(csv_folder, youxi) -> dict[int, str]:
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    return {p.row: p for p in err.value.problems if p.column == "total_cost_yuan"}


def test_cells_are_shown_as_the_json_gives_them(csv_folder, youxi):
    _book(csv_folder, {"G2": dt.datetime(2019, 3, 8), "G3": True, "G4": dt.time(12, 0)})
    found = _problems(csv_folder, youxi)
    assert found[2].endswith("got 2019-03-08 (a date cell)") and found[2].value == "2019-03-08"
    assert found[3].endswith("got true (a TRUE/FALSE cell)") and found[3].value is True
    assert found[4].endswith("got 12:00:00 (a time cell)")
    assert not any("datetime" in p for p in found.values())


def test_each_excel_error_is_named_with_its_own_meaning(csv_folder, youxi):
    _book(csv_folder, {"G2": "#DIV/0!", "G3": "#N/A", "G4": "#REF!"})
    found = _problems(csv_folder, youxi)
    assert "(#DIV/0!: a division by zero or by an empty cell)" in found[2]
    assert "(#N/A: a lookup found nothing)" in found[3]
    assert "(#REF!: a reference to a cell that was deleted)" in found[4]
