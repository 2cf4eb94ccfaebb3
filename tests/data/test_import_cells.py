"""``ihms data import`` reads the cells the statistics tables read, by the same rules:
thousands separators in groups of three, missing-value markers named (refused here: a
record's cell is read or refused), Excel day serials named, hidden sheets left out."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from ihms.data import Period, dataset_notes, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_thousands_separators_in_groups_of_three_are_read_with_a_note(csv_folder, youxi):
    # the statistics commands read "1,234" and data import refused it: one rule now
    _edit(csv_folder / "encounters.csv", "12000.00,6000.00,6000.00", '"12,000.00",6000.00,"6,000"')
    _edit(csv_folder / "residents.csv", "350426196002022345,1960", '350426196002022345,"1,960"')
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    encounters = dataset.to_pandas("encounters")
    assert encounters.loc[2, "total_cost_fen"] == 1_200_000  # 12,000.00 yuan in fen
    assert encounters.loc[2, "out_of_pocket_fen"] == 600_000
    assert dataset.to_pandas("residents").loc[1, "birth_year"] == 1960
    notes = dataset_notes(dataset)
    assert (
        "encounters.total_cost_yuan: 1 value written with thousands separators was read as "
        "numbers (12,000.00 → 12000.00); separators are read only in groups of three "
        "(1,234,567), so 1,23 is refused"
    ) in notes
    assert any(n.startswith("residents.birth_year: 1 value written") for n in notes)


@pytest.mark.parametrize("cell", ['"1,20"', '"0,5"', '"1,2,3"'])
def test_an_ambiguous_comma_is_refused_saying_why(csv_folder, youxi, cell):
    _edit(csv_folder / "encounters.csv", "J06,120.50", f"J06,{cell}")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert (
        "column 'total_cost_yuan' of encounters.csv row 2: a comma that is no thousands "
        "separator (those stand in groups of three: 1,234,567); a decimal comma or a list "
        f"cannot be told apart: write 1.23 or 123, got '{cell.strip(chr(34))}'"
    ) in err.value.problems


def test_separators_in_a_fen_column_stay_refused(csv_folder, youxi):
    # an amount shown with separators is formatted in yuan (the payment tables' rule)
    _edit(csv_folder / "encounters.csv", "total_cost_yuan", "total_cost_fen")
    _edit(csv_folder / "encounters.csv", "12000.00,6000.00", '"1,200,000",6000.00')
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert any(
        "'total_cost_fen' of encounters.csv row 4: expected whole fen" in p
        and "got '1,200,000'" in p
        for p in err.value.problems
    )


def test_an_excel_day_serial_in_a_date_column_is_named(csv_folder, youxi):
    # Excel counts days from 1900-01-00 with 1900 taken as a leap year, so serial n is
    # 1899-12-30 + n days: 43101 is 2018-01-01 (Microsoft's DATEVALUE docs: 39448 is
    # 2008-01-01; 43101 - 39448 = 3653 days = ten years with 3 leap days)
    _edit(csv_folder / "encounters.csv", "YX-THC02,2018-01-05", "YX-THC02,43105")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert (
        "column 'date' of encounters.csv row 5: looks like an Excel day serial (43105 = "
        "2018-01-05): the column lost its date format; format the column as a date or "
        "give ISO dates (2024-01-01), got '43105'"
    ) in err.value.problems


def _encounters_book(csv_folder, date_cell, *, number_format=None, more=None):
    """encounters.csv as a workbook's only visible sheet, with cell D5 (the date of
    encounter V0004) replaced."""
    csv = csv_folder / "encounters.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"  # not the table's name: the sheet is chosen as the only one with data
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    sheet["D5"] = date_cell
    if number_format:
        sheet["D5"].number_format = number_format
    if more:
        more(book)
    book.save(csv_folder / "encounters.xlsx")
    csv.rename(csv_folder / "encounters.csv.txt")  # out of the folder's tables, kept


def _back(csv_folder):
    (csv_folder / "encounters.xlsx").unlink()
    (csv_folder / "encounters.csv.txt").rename(csv_folder / "encounters.csv")


def test_an_xlsx_day_number_is_a_date_only_when_formatted_as_one(csv_folder, youxi):
    # as pandas and openpyxl read a workbook: a number formatted as a date is that date
    want = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    _encounters_book(csv_folder, 43105, number_format="yyyy-mm-dd")
    got = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    assert got.loc[3, "date"] == want.loc[3, "date"] == pd.Timestamp("2018-01-05")
    # the same number without the format is named, never guessed
    _back(csv_folder)
    _encounters_book(csv_folder, 43105)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert any(
        p.startswith("column 'date' of encounters.xlsx row 5: looks like an Excel day serial "
                     "(43105 = 2018-01-05)")
        for p in err.value.problems
    )  # fmt: skip


def test_yuan_an_excel_formula_computed_read_as_excel_shows_them(csv_folder, youxi):
    # V0004's out-of-pocket as the sheet computes it, =G5-H5: 8123.45 - 2.6 is the double
    # 8120.849999999999 (IEEE 754; openpyxl writes it with 16 digits, Excel with 17),
    # which Excel shows as 8,120.85 (15 significant digits); it was refused as "more than
    # two decimals" (session-19 review, F13: 7925.290000000001 shown as 7,925.29)
    assert 8123.45 - 2.6 == 8120.849999999999

    def computed(book):
        sheet = book.active
        sheet["G5"], sheet["H5"], sheet["I5"] = 8123.45, 2.6, 8123.45 - 2.6

    _encounters_book(csv_folder, "2018-01-05", more=computed)
    encounters = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    fen = encounters.loc[3, ["total_cost_fen", "insurance_paid_fen", "out_of_pocket_fen"]]
    assert fen.tolist() == [812345, 260, 812085]
    # a genuine third decimal is still refused
    _back(csv_folder)
    _encounters_book(csv_folder, "2018-01-05", more=lambda b: b.active.__setitem__("I5", 15.805))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert any(
        p.startswith("column 'out_of_pocket_yuan' of encounters.xlsx row 5: expected yuan")
        and p.endswith("got 15.805")
        for p in err.value.problems
    )


def test_na_in_an_xlsx_is_refused_as_in_its_csv(csv_folder, youxi):
    # pandas read "NA" in a sheet as an empty cell: a date not recorded, without a word
    _encounters_book(csv_folder, "NA")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert (
        "column 'date' of encounters.xlsx row 5: a missing-value marker: leave the cell empty "
        "for a value not recorded, got 'NA'"
    ) in err.value.problems


def test_a_hidden_sheet_of_a_table_workbook_is_left_out_with_a_note(csv_folder, youxi):
    def hidden(book):
        old = book.create_sheet("2015")
        old.append(["encounter_id"])
        old.append(["V0000"])
        old.sheet_state = "hidden"

    _encounters_book(csv_folder, "2018-01-05", more=hidden)
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.row_counts()["encounters"] == 4
    assert (
        "encounters.xlsx: hidden sheet '2015' left out (give --sheet to read one)"
        in dataset_notes(dataset)
    )
