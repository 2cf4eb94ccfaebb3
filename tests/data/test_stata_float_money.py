"""Money in a Stata ``float`` (single precision) variable: read to the cent where the
float tells it, else refused once per column, the message saying the variable is stored
as float and what to do (review of the data
import, 2026-11-25, finding 6: each cell was refused as having more than two decimals,
showing digits Stata's ``list`` never shows). ``float`` is Stata's default storage type
for ``generate``; 35.78 in single precision is 35.779998779296875 (IEEE 754 binary32,
as ``numpy.float32(35.78)`` gives it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.data import Period, read_tables
from ihms.data.gaps import dataset_notes
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _encounters_dta(csv_folder, *, dtype: str, column: str = "total_cost_yuan", values=None):
    csv = csv_folder / "encounters.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[3, "out_of_pocket_yuan"] = "15.78"  # 20 + 15.78 = 35.78
    frame[column] = np.array(values or [120.50, 15.0, 12000.0, 35.78], dtype=dtype)
    for col in ("insurance_paid_yuan", "out_of_pocket_yuan"):
        frame[col] = frame[col].astype(float)
    frame["length_of_stay_days"] = pd.to_numeric(frame["length_of_stay_days"]).astype(float)
    frame.to_stata(csv_folder / "encounters.dta", write_index=False, version=118)
    csv.unlink()


def test_a_float_yuan_variable_reads_to_the_cent(csv_folder, youxi):
    """Review of session 30, finding 5: below 2^17 = 131,072 yuan a float32's spacing is
    under a cent, so each cent amount has a float of its own (IEEE 754 binary32): the
    column is read, 35.779998779296875 as 35.78, not refused."""
    _encounters_dta(csv_folder, dtype="float32")
    frame = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    assert frame["total_cost_fen"].tolist() == [12050, 1500, 1200000, 3578]


def test_a_float_refused_only_where_it_does_not_tell_the_cent(csv_folder, youxi):
    # 131,071.99 (below 2^17) and 200,000.00 have floats of their own; 200,000.49 is
    # stored as 200000.484375, the float of 200,000.48 as well (spacing 1/64 there);
    # 35.777 is no cent amount (numpy.float32 gives each of these)
    _encounters_dta(csv_folder, dtype="float32", values=[131071.99, 200000.0, 200000.49, 35.777])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = [p for p in err.value.problems if p.column == "total_cost_yuan"]
    assert problem.row == 3
    assert problem.startswith(
        "column 'total_cost_yuan' of encounters.dta row 3: the .dta stores 'total_cost_yuan' "
        "as float (single precision, about 7 significant digits), read to the cent below "
        "131,072 yuan; its float 200000.484375 is that of 200000.48 and of 200000.49 alike"
    )
    assert "`recast double total_cost_yuan` keeps the float's digits" in problem
    assert "also in 1 more row (4)" in problem


def test_a_float_that_is_no_cent_amount_is_refused_with_its_cause(csv_folder, youxi):
    _encounters_dta(csv_folder, dtype="float32", values=[120.5, 15.0, 12000.0, 35.777])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = [p for p in err.value.problems if p.column == "total_cost_yuan"]
    assert problem.row == 4
    assert (
        "its float 35.777000427246094 is no cent amount's (that of 35.78 would be "
        "35.779998779296875)" in problem
    )


def test_a_double_yuan_variable_reads(csv_folder, youxi):
    _encounters_dta(csv_folder, dtype="float64")
    frame = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    assert frame["total_cost_fen"].tolist() == [12050, 1500, 1200000, 3578]


def test_whole_fen_past_2_to_24_in_a_float_are_refused(csv_folder, youxi):
    # 16,777,217 fen is no float32: it is stored as 16,777,216, a whole number, wrong
    csv = csv_folder / "encounters.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("total_cost_yuan", "total_cost_fen"))
    _encounters_dta(
        csv_folder, dtype="float32", column="total_cost_fen", values=[12050, 1500, 16777217, 3580]
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = [p for p in err.value.problems if p.column == "total_cost_fen"]
    assert problem.row == 3 and "stores 'total_cost_fen' as float" in problem
    assert "cannot hold every whole fen" in problem


def test_yuan_read_from_float_storage_are_noted_once_per_file(csv_folder, youxi):
    """Session 31: the columns read to the cent from float storage get one note naming
    the file and each column with its count (it had none: 35.779998779296875 was
    stored as 35.78 without a word)."""
    _encounters_dta(csv_folder, dtype="float32")
    path = csv_folder / "encounters.dta"
    frame = pd.read_stata(path)
    frame["insurance_paid_yuan"] = frame["insurance_paid_yuan"].astype("float32")
    frame.to_stata(path, write_index=False, version=118)
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    notes = [str(t) for t in dataset.translations if "Stata float" in str(t)]
    assert notes == [
        "encounters.dta: 'total_cost_yuan' (4 cells), 'insurance_paid_yuan' (4 cells) "
        "stored as Stata float (single precision, about 7 significant digits) read to the "
        "cent, as Stata's list shows them (35.779998779296875 as 35.78; exact below 131,072 "
        "yuan); store money as double or as whole fen to read it as written"
    ]
    assert "Stata float" in "\n".join(dataset_notes(dataset))


def test_a_double_yuan_variable_gets_no_float_note(csv_folder, youxi):
    _encounters_dta(csv_folder, dtype="float64")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert not [t for t in dataset.translations if "Stata float" in str(t)]
