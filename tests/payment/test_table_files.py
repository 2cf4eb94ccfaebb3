"""The payment tables read Excel, Stata and SPSS files as every other ihms reader does
(session 19 user review, F16: an insurance bureau's spending and population tables live
in Excel, and the payment commands took only .csv and .parquet).

The same example tables saved as .xlsx, .dta and .sav settle exactly as their CSVs (the
same input digest), and a bad cell is still named by file, row and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms._statfiles import write_stat_file
from ihms.cli.main import app
from ihms.errors import DataError, IhmsWarning, InputError
from ihms.payment import PopulationTable, SpendingTable

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
runner = CliRunner()


def _xlsx(frame: pd.DataFrame, path: Path, *, title: str | None = None, other=None) -> Path:
    """``frame`` as a workbook: numbers as numbers, text as text, an empty cell empty;
    ``title``: a line above the header, merged over the columns as an export has it;
    ``other``: a second sheet with data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=frame.shape[1])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])
    if other is not None:
        book.create_sheet("2017").append(["year", "insured_population"])
    book.save(path)
    return path


def _settle(spending: Path, population: Path):
    args = ["payment", "settle", "--year", "2018", "--spending", str(spending)]
    args += ["--population", str(population), "--assume-passed", "--json"]
    return runner.invoke(app, args)


def test_xlsx_dta_and_sav_tables_settle_as_their_csv(tmp_path):
    spending = pd.read_csv(EX / "spending.csv")
    population = pd.read_csv(EX / "population.csv")
    expected = _settle(EX / "spending.csv", EX / "population.csv")
    assert expected.exit_code == 0, expected.output
    for suffix in (".xlsx", ".dta", ".sav"):
        pop = tmp_path / f"population{suffix}"
        if suffix == ".xlsx":
            sp = _xlsx(spending, tmp_path / "spending.xlsx")
            _xlsx(population, pop)
        else:
            sp = write_stat_file(spending, tmp_path / f"spending{suffix}")
            write_stat_file(population, pop)
        r = _settle(sp, pop)
        assert r.exit_code == 0, (suffix, r.output)
        got, want = json.loads(r.stdout), json.loads(expected.stdout)
        assert got["input_digest"] == want["input_digest"], suffix
        assert got["figures"] == want["figures"], suffix


def test_a_bad_cell_of_a_workbook_is_named_by_file_row_and_column(tmp_path):
    frame = pd.read_csv(EX / "population.csv").astype(object)
    frame.loc[1, "insured_population"] = "about 346,000"  # row 3 of the sheet
    path = _xlsx(frame, tmp_path / "population.xlsx")
    with pytest.raises(DataError) as err:
        PopulationTable.read(path)
    (problem,) = err.value.problems
    assert problem.startswith(f"column 'insured_population' of {path} row 3: expected a whole")


def test_a_workbook_title_is_left_out_and_several_sheets_are_refused_saying_how(tmp_path):
    spending = pd.read_csv(EX / "spending.csv")
    # session 21: a title above the header is left out as the data import leaves it
    # (tests/payment/test_title_rows.py numbers the rows below one)
    titled = _xlsx(spending, tmp_path / "titled.xlsx", title="2018年医保支出")
    with pytest.warns(IhmsWarning, match=f"{titled}: row 1 above the header left out"):
        assert SpendingTable.read(titled).years == [2016, 2017, 2018, 2019]
    two = _xlsx(spending, tmp_path / "two.xlsx", other=True)
    with pytest.raises(InputError) as err:
        SpendingTable.read(two)
    text = str(err.value)
    assert "'Sheet1', '2017'" in text and "name the table's sheet 'spending'" in text
    assert "--sheet" not in text  # the payment commands have no such option
    # the sheet named after the table is the one read
    book = openpyxl.load_workbook(two)
    book["Sheet1"].title = "spending"
    book.save(two)
    assert SpendingTable.read(two).years == [2016, 2017, 2018, 2019]


def test_other_files_are_refused_naming_what_is_read(tmp_path):
    path = tmp_path / "spending.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"expected a \.csv, \.xlsx, \.dta, \.sav or \.parquet"):
        SpendingTable.read(path)
