"""``ihms.table_files.write_tables_xlsx``: a sheet per table, numbers as number cells —
a Decimal that a double (Excel's number) gives back to the fen as a number, one it
cannot (2**53 + 1 fen: the example of ``ihms.payment.money.yuan_column``) as its exact
digits in text; an integer as it is whatever its column's formatter; a float at the
decimals the table prints."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.summary import SummaryTable
from ihms.table_files import write_tables_xlsx

BIG_YUAN = Decimal("90071992547409.93")  # 9,007,199,254,740,993 fen = 2**53 + 1
NEAR_LIMIT = Decimal("9763816684782.95")  # 15 digits: openpyxl writes 9763816684782.949


def _tables():
    money = SummaryTable(
        pd.DataFrame(
            {"Year": [2018, 2019], "Amount (yuan)": [NEAR_LIMIT, Decimal("-0.05")]},
            index=pd.Index(["CH01", "THC01"], name="Institution"),
        ),
        title="Money",
        notes=("Yuan to the fen.",),
        formats={"Year": str},
    )
    share = SummaryTable(
        pd.DataFrame({"share": [0.25, None]}, index=pd.Index(["a", "b"], name="item")),
        title="Shares",
        formats={"share": "{:.1f}".format},
    )
    return [("money", money), ("MONEY", share)]


def test_each_table_on_its_sheet_with_exact_amounts(tmp_path):
    out = write_tables_xlsx(_tables(), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["money", "MONEY_2"]  # alike ignoring case: made unique
    ws = book["money"]
    assert ws["A1"].value == "Money" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["Institution", "Year", "Amount (yuan)"]
    assert (ws["B3"].value, ws["B3"].number_format) == (2018, "General")  # not 2018.0
    assert ws["C3"].number_format == ws["C4"].number_format == "#,##0.00"
    assert ws["A5"].value == "Yuan to the fen."
    # a double gives the amount back to the fen (the file's text has a 16th digit)
    assert Decimal(repr(ws["C3"].value)) == NEAR_LIMIT
    assert Decimal(repr(ws["C4"].value)) == Decimal("-0.05")
    shares = book["MONEY_2"]
    assert (shares["B3"].value, shares["B3"].number_format) == (0.25, "0.0")
    assert shares["B4"].value is None  # missing: an empty cell


def test_an_amount_a_double_cannot_hold_is_written_as_its_digits(tmp_path):
    table = SummaryTable(
        pd.DataFrame({"Amount (yuan)": [BIG_YUAN, Decimal("1.10")]}, index=["big", "small"])
    )
    out = write_tables_xlsx([("money", table)], tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out)["money"]
    assert ws["B3"].value == "90071992547409.93"  # a number would read back ...409.94
    assert ws["B3"].alignment.horizontal == "right"
    assert ws["B4"].value == 1.1 and ws["B4"].number_format == "#,##0.00"


def test_a_quotients_digits_past_a_doubles_stay_a_number(tmp_path):
    third = Decimal(2) / Decimal(3)  # 28 digits: a statistic, not an amount
    table = SummaryTable(pd.DataFrame({"score": [third]}, index=["a"]))
    ws = openpyxl.load_workbook(write_tables_xlsx([("s", table)], tmp_path / "s.xlsx"))["s"]
    assert ws["B3"].value == pytest.approx(2 / 3, rel=1e-15)


def test_another_suffix_or_no_table_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(InputError, match=r"t\.csv: expected a \.xlsx file name"):
        write_tables_xlsx(_tables(), tmp_path / "t.csv")
    with pytest.raises(InputError, match="no tables to write"):
        write_tables_xlsx([], tmp_path / "t.xlsx")
    assert list(tmp_path.iterdir()) == []
