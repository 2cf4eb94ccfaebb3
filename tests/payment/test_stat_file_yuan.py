"""Yuan cells of a Stata .dta or SPSS .sav payment table: the packages store amounts as
doubles, so a formula's binary residue reaches ihms as it reaches it from an .xlsx cell
(7925.290000000001 for 7925.29) and is read as the .xlsx cell is
(:func:`ihms.data._coerce.float_cell_text`: within 1e-6 fen of a whole fen is that fen);
a genuine third decimal is still refused, naming file, row and column."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ihms._statfiles import write_stat_file
from ihms.data import read_column_map
from ihms.errors import DataError, IhmsWarning
from ihms.payment import TABLE_COLUMNS, SpendingTable

#: 7925.29 yuan a formula's residue away: the double next above 7925.29, as a Stata or
#: SPSS file stores it (the user review's cell).
RESIDUE = 7925.290000000001


def _frame(paid: list[float]) -> pd.DataFrame:
    n = len(paid)
    return pd.DataFrame(
        {
            "year": [2018] * n,
            "setting": ["consortium"] * n,
            "institution_id": [f"THC{i:02d}" for i in range(1, n + 1)],
            "insurance_paid_yuan": paid,
            "total_cost_yuan": [12000.5] * n,
        }
    )


def _xlsx(frame: pd.DataFrame, path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        book.active.append(list(row))
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_a_float_residue_in_a_stat_file_reads_as_the_whole_fen(tmp_path, suffix):
    assert math.nextafter(7925.29, math.inf) == RESIDUE
    frame = _frame([RESIDUE, 100.25])
    path = write_stat_file(frame, tmp_path / f"spending{suffix}")
    table = SpendingTable.read(path)
    assert table.frame["insurance_paid_fen"].tolist() == [792529, 10025]
    assert table.frame["total_cost_fen"].tolist() == [1200050, 1200050]
    # exactly as the same cells read from a workbook
    xlsx = SpendingTable.read(_xlsx(frame, tmp_path / "spending.xlsx"))
    assert xlsx.frame["insurance_paid_fen"].tolist() == [792529, 10025]


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_a_genuine_third_decimal_in_a_stat_file_is_still_refused(tmp_path, suffix):
    path = write_stat_file(_frame([100.25, 202.326]), tmp_path / f"spending{suffix}")
    with pytest.raises(DataError) as err:
        SpendingTable.read(path)
    (problem,) = err.value.problems
    # the 2nd observation, numbered as Stata and SPSS number them (tests/test_stat_file_rows.py)
    assert problem.startswith(f"column 'insurance_paid_yuan' of {path} row 2:")
    assert problem.endswith("got 202.326")  # as an .xlsx number cell is shown


def test_a_yuan_column_renamed_by_a_column_map_is_read_so_too(tmp_path):
    # a .dta under the county's own headers (金额_元 → insurance_paid_yuan): the column
    # is found under the file's name, and its doubles read as the workbook's
    frame = _frame([RESIDUE, 100.25]).rename(columns={"insurance_paid_yuan": "paid_yuan_cty"})
    path = write_stat_file(frame, tmp_path / "spending.dta")
    (tmp_path / "map.yaml").write_text("spending:\n  paid_yuan_cty: insurance_paid_yuan\n")
    columns = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS)
    with pytest.warns(IhmsWarning):  # what the map renamed is a note
        table = SpendingTable.read(path, columns=columns)
    assert table.frame["insurance_paid_fen"].tolist() == [792529, 10025]
