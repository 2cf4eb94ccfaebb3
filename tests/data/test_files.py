"""Reading a folder's files: wholly empty rows are no records, and rows keep their numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.data import Period, RowLabels, dataset_notes, read_folder, read_tables
from ihms.data._files import drop_empty_rows
from ihms.errors import DataError, InputError

WHOLE = Period.parse("2016", "2019")
#: What an unknown institution's problem adds (tests/data/test_unknown_references.py).
LISTED = (
    "; every institution the records name must be listed (in the system file, or "
    "institutions.csv) — hospitals outside the county that residents use, too"
)


def _lines(path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_empty_spreadsheet_rows_are_left_out_and_noted(csv_folder, youxi):
    # Excel leaves ',,,' lines after the data (here also one between records, with
    # blanks, and a blank line); each was several "a value is required" errors.
    def edit(lines):
        lines.insert(3, ",,,,,,,,,,,")  # row 4
        lines.insert(5, "")  # row 6
        lines.extend([",,,,,,,,,,,", " , ,\u3000,,,,,,,,,"])  # rows 8 and 9

    _lines(csv_folder / "encounters.csv", edit)
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.row_counts()["encounters"] == 4
    assert dataset.labels["encounters"].skipped == (4, 6, 8, 9)
    assert (
        "encounters.csv: 4 wholly empty row(s) left out as no record (rows 4, 6, 8, 9)"
        in dataset_notes(dataset)
    )
    # a problem after them names the file's row: V0004 is row 7 of encounters.csv
    path = csv_folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace("YX-THC02,2018", "YX-NOPE,2018"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "column 'institution_id' of encounters.csv row 7: unknown institution 'YX-NOPE' "
        f"(not in institutions){LISTED}"
    ]


def test_a_row_with_one_value_is_a_record_with_its_gaps_named(csv_folder, youxi):
    _lines(csv_folder / "followups.csv", lambda lines: lines.append(",,,,,,,,F9"))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert "column 'followup_id' of followups.csv row 4: a value is required" in str(err.value)


def test_empty_parquet_rows_are_left_out_too(csv_folder, youxi, tmp_path):
    frame = pd.read_csv(csv_folder / "followups.csv", dtype=str)
    empty = pd.DataFrame([[None] * frame.shape[1]], columns=frame.columns)
    pd.concat([empty, frame]).to_parquet(csv_folder / "followups.parquet")
    (csv_folder / "followups.csv").unlink()
    frames, labels = read_folder(csv_folder)
    assert len(frames["followups"]) == 2
    assert labels["followups"].skipped == (1,)  # a Parquet file's rows count from 1


def test_drop_empty_rows_keeps_a_table_without_them_as_it_is():
    frame = pd.DataFrame({"a": ["1", ""], "b": ["", "x"]})
    kept, skipped = drop_empty_rows(frame, first_row=2)
    assert kept is frame and skipped == ()


@given(
    st.lists(st.booleans(), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=3),
)
def test_row_numbers_skip_the_rows_left_out(gone, first_row):
    # the file's rows are first_row, first_row + 1, ...; those marked gone are left out
    numbers = [first_row + i for i in range(len(gone))]
    skipped = tuple(n for n, g in zip(numbers, gone, strict=True) if g)
    kept = [n for n, g in zip(numbers, gone, strict=True) if not g]
    label = RowLabels("t.csv", first_row=first_row, skipped=skipped)
    assert [label.row(i) for i in range(len(kept))] == kept


@pytest.mark.parametrize(
    "title",
    [
        ["2019年尤溪县医共体门诊统计表,,,,,,,,,,,"],  # a title spread over the columns
        ["2019年尤溪县医共体门诊统计表", "单位：分"],  # one cell each, and a unit line
        ["\u3000２０１９年门诊统计表", ",,,,,,,,,,,"],  # full-width, then an empty line
    ],
    ids=["spread", "title-and-unit", "blank-after"],
)
def test_title_lines_above_the_header_are_left_out_and_rows_keep_their_numbers(
    csv_folder, youxi, title
):
    # a commission's sheet saved as CSV starts with its title: the title was read as the
    # header ("missing required column" for every column, or "12 cells, but the header
    # has 1 columns")
    path = csv_folder / "encounters.csv"
    path.write_text("\n".join(title) + "\n" + path.read_text("utf-8"), "utf-8")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.row_counts()["encounters"] == 4
    count = len(title)
    above = "row 1" if count == 1 else f"rows 1-{count}"
    assert f"encounters.csv: {above} above the header left out as the sheet's title" in (
        dataset_notes(dataset)
    )
    # V0004, the fourth record, is row 5 below the title lines
    path.write_text(path.read_text("utf-8").replace("YX-THC02,2018", "YX-NOPE,2018"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        f"column 'institution_id' of encounters.csv row {count + 5}: unknown institution "
        f"'YX-NOPE' (not in institutions){LISTED}"
    ]


def test_data_import_names_a_total_row_instead_of_its_empty_required_cells(csv_folder, youxi):
    # "column 'resident_id' of encounters.csv row 6: a value is required", once for
    # every required column, was all a total row got. read_folder leaves it in the
    # table's labels (the import then names it with the unreadable cells, in one run)
    enc = csv_folder / "encounters.csv"
    enc.write_text(enc.read_text("utf-8") + ",,,,总　计,,12171.3,6080.25,6091.05,,,\n", "utf-8")
    assert read_folder(csv_folder)[1]["encounters"].refused_rows == (4,)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "encounters.csv row 6: '总　计' is a total row, not a record: delete it (ihms adds up "
        "the records itself; a total read as data would count everything twice)"
    ]


def test_an_id_excel_wrote_in_scientific_notation_is_named_as_such(csv_folder, youxi):
    # Excel shows an 18-digit ID card number as 3.50426E+17 and saves it so: the
    # residents were refused as "duplicate key (resident_id) = ('3.50426E+17',)"
    for name in ("residents.csv", "encounters.csv", "followups.csv"):
        path = csv_folder / name
        text = path.read_text("utf-8").replace("350426195001011234", "3.50426E+17")
        path.write_text(text.replace("350426196002022345", "3.50426E+17"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problems = err.value.problems
    assert problems[0] == (
        "column 'resident_id' of residents.csv row 2: an id Excel turned into a number in "
        "scientific notation (its digits are lost); format the column as text in Excel and "
        "save the file again, got '3.50426E+17', also in 1 more row (3)"
    )
    assert not any("duplicate key" in p for p in problems)


def test_an_empty_column_without_a_name_is_ignored_and_one_with_values_named(csv_folder, youxi):
    # Excel saves a formatted but empty column as a trailing comma on every line: the
    # table was refused for an "unknown column 'Unnamed: 12'"
    _lines(csv_folder / "encounters.csv", lambda lines: lines.__setitem__(
        slice(None), [line + "," for line in lines]))  # fmt: skip
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.row_counts()["encounters"] == 4
    _lines(csv_folder / "encounters.csv", lambda lines: lines.__setitem__(2, lines[2] + "x"))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "encounters.csv: column 13 has values but no name in the header; name it (see "
        "`ihms data schema`) or delete it"
    ]


def test_a_table_saved_as_an_excel_sheet_reads_as_its_csv(csv_folder, youxi):
    # encounters.xlsx was refused ("must be a .csv or .parquet file"); read with its cells
    # as Excel holds them — a title above the header, real date cells, numbers as
    # numbers — it gives the table its CSV gives, and names rows as the sheet does
    from openpyxl import Workbook

    want = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    frame = pd.read_csv(csv_folder / "encounters.csv", dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.append(["2016-2018年尤溪县就诊记录"])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        cells = list(row)
        cells[3] = pd.Timestamp(cells[3]).to_pydatetime()  # a date cell, not text
        cells[6:9] = [float(v) for v in cells[6:9]]  # yuan as Excel's numbers
        sheet.append([None if v == "" else v for v in cells])
    sheet.append(["合计", None, None, None, None, None, 12171.3])
    (csv_folder / "encounters.csv").unlink()
    book.save(csv_folder / "encounters.xlsx")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems[0].startswith("encounters.xlsx row 7: '合计' is a total row")
    sheet.delete_rows(7)
    book.save(csv_folder / "encounters.xlsx")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    pd.testing.assert_frame_equal(dataset.to_pandas("encounters"), want)
    assert "encounters.xlsx: row 1 above the header left out as the sheet's title" in (
        dataset_notes(dataset)
    )


def test_a_blank_line_above_the_header_is_left_out_and_rows_keep_their_numbers(csv_folder, youxi):
    # the blank line was read as the header: every column of residents.csv was "missing"
    _lines(csv_folder / "residents.csv", lambda lines: lines.insert(0, ""))
    _lines(csv_folder / "encounters.csv", lambda lines: lines.insert(0, ",,,,"))
    _lines(
        csv_folder / "encounters.csv",
        lambda lines: lines.__setitem__(3, lines[3].replace("15,0,15", "15,x,15")),
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "column 'insurance_paid_yuan' of encounters.csv row 4: expected yuan with at most two "
        "decimals, digits only (1234.57 or 1,234.57: no 元), got 'x'"
    ]
    _lines(
        csv_folder / "encounters.csv",
        lambda lines: lines.__setitem__(3, lines[3].replace("15,x,15", "15,0,15")),
    )
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.to_pandas("residents")["resident_id"].str.len().tolist() == [18, 18, 18]


def test_a_workbook_with_its_table_on_the_second_sheet(csv_folder, youxi):
    from openpyxl import Workbook

    frame = pd.read_csv(csv_folder / "followups.csv", dtype=str, keep_default_na=False)
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["随访记录，2016年"])
    data = book.create_sheet("data")
    for row in [list(frame.columns), *frame.itertuples(index=False)]:
        data.append([None if v == "" else v for v in row])
    (csv_folder / "followups.csv").unlink()
    book.save(csv_folder / "followups.xlsx")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "followups.xlsx: 2 sheets hold data ('说明', 'data'); which one is the table cannot "
        "be told: name it with --sheet (or name the sheet 'followups')"
    ]
    frames, _ = read_folder(csv_folder, sheet="data")
    assert frames["followups"]["followup_id"].tolist() == ["F1", "F2"]
    data.title = "followups"
    book.save(csv_folder / "followups.xlsx")
    assert read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("followups").shape[0] == 2


def test_dashes_markers_and_excel_errors_in_number_cells_are_refused_saying_what_they_are(
    csv_folder, youxi
):
    # '-' is Excel's accounting zero as much as "not recorded": stored either way it
    # could be wrong, so it is refused with words saying so, not "expected a number"
    path = csv_folder / "encounters.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "12000.00,6000.00,6000.00,9,", "12000.00,－,6000.00,#N/A,"
        ),
        encoding="utf-8",
    )
    path = csv_folder / "followups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",6.4,", ",NULL,"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problems = err.value.problems
    assert any(
        p.startswith(
            "column 'insurance_paid_yuan' of encounters.csv row 4: a placeholder, not a value"
        )
        and p.endswith("got '－'")
        for p in problems
    )
    assert any(
        p.startswith("column 'length_of_stay_days' of encounters.csv row 4: an Excel formula error")
        for p in problems
    )
    assert any(
        p.startswith(
            "column 'fasting_glucose_mmol_l' of followups.csv row 3: a missing-value marker"
        )
        for p in problems
    )


def test_a_file_named_as_the_hospital_system_names_it_is_told_the_table_names(csv_folder, youxi):
    # Before: "门诊明细.csv: no table called '门诊明细'" and no word on what it should be.
    (csv_folder / "encounters.csv").rename(csv_folder / "门诊明细.csv")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert (
        "门诊明细.csv: no table called '门诊明细'; a table's file is named after the table "
        "(encounters.csv, claims.xlsx, ...): counties, grids, institutions, consortia, "
        "consortium_members, consortium_grids, residents, resources, encounters, referrals, "
        "followups, claims, staff_activities"
    ) in err.value.problems


def test_a_table_file_or_a_missing_folder_given_as_the_source_says_what_to_give(tmp_path):
    # Before: "encounters.csv: not a folder", and the same for a folder that is not there.
    table = tmp_path / "encounters.csv"
    table.write_text("encounter_id\nE1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_tables(table)
    assert str(err.value) == (
        f"{table}: not a folder — give the folder holding the table files, one per table "
        "and named after it (residents.csv, encounters.csv, claims.xlsx, ...)"
    )
    with pytest.raises(InputError) as err:
        read_tables(tmp_path / "exports")
    assert str(err.value) == f"{tmp_path / 'exports'}: no such folder"


def test_blank_rows_above_the_header_are_noted_as_blank(csv_folder, youxi):
    # review 22a L7: blank rows were "left out as the sheet's title"
    path = csv_folder / "encounters.csv"
    path.write_text(",,,\n\n" + path.read_text("utf-8"), "utf-8")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    notes = [n for n in dataset_notes(dataset) if n.startswith("encounters.csv")]
    assert notes == ["encounters.csv: blank rows 1-2 above the header left out"]
