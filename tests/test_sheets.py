"""Which sheet of a workbook is read (``ihms._sheets``): named, named after the table, or
the only one with data; never the first of several regardless."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from ihms._sheets import choose_sheet, read_sheet
from ihms.cli._tables import read_data_table
from ihms.errors import InputError


def _book(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


OLD = [["year", "value"], [2016, 1], [2017, 2]]
NEW = [["year", "value"], [2016, 100], [2017, 110]]


def test_a_workbook_with_data_on_two_sheets_is_refused_naming_them(tmp_path):
    # the first sheet (last year's figures) was read without a word
    path = _book(tmp_path / "visits.xlsx", {"旧": OLD, "新": NEW})
    with pytest.raises(InputError, match=r"2 sheets hold data \('旧', '新'\).*--sheet"):
        read_data_table(path)


def test_a_workbook_ihms_wrote_is_read_at_its_data_sheet(tmp_path):
    # `indicators compute --out x.xlsx` writes its notes on a sheet beside `data`
    # (session 28): `its fit x.xlsx` reads `data`, as before there was a notes sheet
    notes = [["note"], ["Cells with counts from 1 to 4 suppressed."]]
    path = _book(tmp_path / "ind.xlsx", {"data": NEW, "notes": notes, "variables": OLD})
    assert choose_sheet(path) == "data"
    assert read_data_table(path)["value"].tolist() == ["100", "110"]
    # a user's workbook of other sheets is still refused, naming them
    other = _book(tmp_path / "mine.xlsx", {"data": NEW, "2019": OLD, "notes": notes})
    with pytest.raises(InputError, match=r"3 sheets hold data"):
        choose_sheet(other)


def test_the_sheet_named_is_read_by_name_or_number(tmp_path):
    path = _book(tmp_path / "visits.xlsx", {"旧": OLD, "新": NEW})
    assert read_data_table(path, sheet="新")["value"].tolist() == ["100", "110"]
    assert read_data_table(path, sheet="2")["value"].tolist() == ["100", "110"]
    with pytest.raises(InputError, match=r"no sheet '新表'.*'旧', '新'"):
        read_data_table(path, sheet="新表")


def test_the_only_sheet_with_data_is_read_wherever_it_stands(tmp_path):
    path = _book(tmp_path / "visits.xlsx", {"封面": [], "数据": NEW})
    assert choose_sheet(path) == "数据"
    assert read_data_table(path)["value"].tolist() == ["100", "110"]


def test_a_table_reader_takes_the_sheet_named_after_its_table(tmp_path):
    path = _book(tmp_path / "residents.xlsx", {"说明": [["本表为..."]], "residents": NEW})
    frame, titled, name = read_sheet(path, table="residents")
    assert (name, titled, frame["value"].tolist()) == ("residents", 0, [100, 110])


def test_blank_lines_above_a_sheets_header_are_named_or_skipped(tmp_path):
    # read as they stood, the header was the blank row: "missing column 'year'"
    path = _book(tmp_path / "visits.xlsx", {"data": [[None, None], *NEW]})
    with pytest.raises(InputError, match=r"row 1 \(blank\) stands above the table's header"):
        read_data_table(path)
    frame, titled, _ = read_sheet(path, titles="skip")
    assert titled == 1 and frame.columns.tolist() == ["year", "value"]


def test_a_sheet_is_only_asked_of_a_workbook(tmp_path):
    path = tmp_path / "visits.csv"
    pd.DataFrame({"year": [2016], "value": [1]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"only an \.xlsx workbook has sheets"):
        read_data_table(path, sheet="2")


def test_csv_blank_lines_keep_the_files_row_numbers(tmp_path):
    # pandas skipped blank lines, so a bad cell below one was named a row too early,
    # and a blank line above the header was dropped without a word
    path = tmp_path / "visits.csv"
    path.write_text("year,value\n2016,100\n\n2017,abc\n", encoding="utf-8")
    assert read_data_table(path)["value"].tolist() == ["100", "", "abc"]
    path.write_text("\nyear,value\n2016,100\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1 \(blank\) stands above the table's header"):
        read_data_table(path)


@pytest.mark.parametrize(
    "command",
    [
        ["growth", "--yoy"],
        ["its", "fit", "--time", "year", "--outcome", "value", "--interruption", "2019"],
        ["agreement", "--unit", "year", "--coder", "value", "--code", "value"],
    ],
)
def test_every_table_command_takes_sheet_and_refuses_a_workbook_without_it(tmp_path, command):
    from typer.testing import CliRunner

    from ihms.cli.main import app

    years = list(range(2014, 2024))
    rows = [["year", "value"], *([y, 100 + i] for i, y in enumerate(years))]
    path = _book(tmp_path / "visits.xlsx", {"2022年": OLD, "2023年": rows})
    args = [
        *command[: 2 if command[0] == "its" else 1],
        str(path),
        *command[2 if command[0] == "its" else 1 :],
    ]
    refused = CliRunner().invoke(app, args)
    said = " ".join(refused.output.split())
    assert refused.exit_code != 0 and "2 sheets hold data ('2022年', '2023年')" in said
    read = " ".join(CliRunner().invoke(app, [*args, "--sheet", "2023年"]).output.split())
    assert "sheets hold data" not in read and "no sheet" not in read and "Usage" not in read


def test_a_number_formatted_as_a_percentage_reads_as_its_csv_does(tmp_path):
    # Excel holds 12.5% as 0.125 and writes "12.5%" to CSV: growth read the workbook's
    # rate as 0.125 and printed +0.0 pp where the CSV of the same sheet gave +0.6 pp
    from ihms.stats import growth_series

    book = Workbook()
    sheet = book.active
    sheet.append(["year", "rate", "visits"])
    for year, rate in [(2016, 0.125), (2017, 0.131), (2018, 1)]:
        sheet.append([year, rate, 1000])
        sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
    book.save(tmp_path / "rates.xlsx")
    frame = read_data_table(tmp_path / "rates.xlsx")
    assert frame["rate"].tolist() == ["12.5%", "13.1%", "100%"]
    assert frame["visits"].tolist() == ["1000"] * 3
    change = growth_series(frame, value_col=["rate"]).frame["yoy_points"].tolist()
    assert change[1] == pytest.approx(0.6, abs=1e-9)


def test_formulas_a_program_wrote_without_results_are_refused_not_read_as_empty(tmp_path):
    # openpyxl (like many HIS exports) writes formulas without their cached results:
    # read as they stood, 2017 and 2018 had no value and their growth went missing
    path = _book(
        tmp_path / "visits.xlsx",
        {
            "data": [
                ["year", "value"],
                [2016, 100],
                [2017, "=B2*1.1"],
                [2018, "=B3*1.1"],
                [2019, None],
            ]
        },
    )
    with pytest.raises(InputError, match=r"cells B3, B4 hold formulas without their results"):
        read_data_table(path)
    path = _book(tmp_path / "plain.xlsx", {"data": [["year", "value"], [2016, 100], [2017, None]]})
    assert read_data_table(path)["value"].tolist() == ["100", ""]


def _hide(path, *names, state="hidden"):
    from openpyxl import load_workbook

    book = load_workbook(path)
    for name in names:
        book[name].sheet_state = state
    book.save(path)
    return path


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_left_out_of_the_choice_with_a_note(tmp_path, state):
    # Excel shows no tab for them: last year's figures tucked away made the workbook
    # "2 sheets hold data" and a name the user never saw
    path = _hide(_book(tmp_path / "visits.xlsx", {"旧": OLD, "新": NEW}), "旧", state=state)
    notes: list[str] = []
    assert choose_sheet(path, notes=notes) == "新"
    assert notes == [
        "file " + repr(str(path)) + ": hidden sheet '旧' left out (give --sheet to read one)"
    ]
    # still read when named, by name or by its number among all the sheets
    for wanted in ("旧", "1"):
        notes = []
        assert choose_sheet(path, sheet=wanted, notes=notes) == "旧"
        assert notes == ["file " + repr(str(path)) + ": sheet '旧' is hidden in the workbook"]


def test_a_hidden_sheet_named_after_the_table_is_not_taken_unasked(tmp_path):
    path = _hide(_book(tmp_path / "residents.xlsx", {"residents": OLD, "本年": NEW}), "residents")
    frame, _, name = read_sheet(path, table="residents")
    assert name == "本年" and frame.attrs["notes"][0].endswith(
        "hidden sheet 'residents' left out (give --sheet to read one)"
    )


def test_a_workbook_whose_data_is_all_hidden_asks_for_the_sheet(tmp_path):
    path = _hide(_book(tmp_path / "visits.xlsx", {"封面": [], "数据": NEW}), "数据")
    with pytest.raises(InputError, match=r"only hidden sheets hold data \('数据'\); name the one"):
        choose_sheet(path)


def test_missing_value_markers_and_error_cells_stay_as_excel_shows_them(tmp_path):
    # pandas' read_excel made "NA" and "NULL" empty and an error cell (#N/A) empty: the
    # data import then took them as not recorded where their CSV was refused by name
    rows = [["year", "value"], [2016, "NA"], [2017, "#N/A"], [2018, "NULL"], [2019, None]]
    path = _book(tmp_path / "visits.xlsx", {"data": rows})
    frame = read_sheet(path)[0]
    assert frame["value"].tolist()[:3] == ["NA", "#N/A", "NULL"]
    assert pd.isna(frame["value"].iloc[3])


def test_a_formula_whose_result_is_an_error_is_read_as_that_error(tmp_path):
    # Excel saved =VLOOKUP(...) with its result #N/A; pandas read the error as empty and
    # the check for formulas without results refused the workbook as never calculated
    import zipfile

    path = _book(tmp_path / "made.xlsx", {"data": [["year", "value"], [2010, 1], [2011, "=NA()"]]})
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b'<c r="B3"><f>NA()</f><v></v></c>', b'<c r="B3" t="e"><f>NA()</f><v>#N/A</v></c>'
    )
    assert b"#N/A" in parts[sheet]  # the result as Excel stores it
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert read_sheet(path)[0]["value"].tolist() == [1, "#N/A"]
