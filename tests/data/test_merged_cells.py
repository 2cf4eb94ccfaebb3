"""A merged cell in an .xlsx table is refused by sheet and range, not read as empty
cells (review of the data import, 2026-11-25, finding 2): Excel holds a merged range's
value in its first cell only, so a resident id merged over one patient's visits (as HIS
reports group them) or a diagnosis merged over two encounters would be lost silently or
reported as many unrelated empty cells."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _book(csv_folder, *, merge=(), title=False, footnote=None):
    """encounters.csv as encounters.xlsx (an optional title row above the header, merged
    over the columns, and a note two rows below the table), with the ranges ``merge``
    merged."""
    csv = csv_folder / "encounters.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "encounters"
    if title:
        sheet.append(["尤溪县 2016–2019年门诊"])
        sheet.merge_cells("A1:L1")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])
    if footnote:
        sheet.append([])
        sheet.append([footnote])
    for cells in merge:
        sheet.merge_cells(cells)
    book.save(csv_folder / "encounters.xlsx")
    csv.unlink()


def test_a_merged_optional_cell_is_refused_naming_sheet_and_range(csv_folder, youxi):
    # F4:F5: the diagnosis of V0003 merged over V0004's (J02): read as empty before
    _book(csv_folder, merge=["F4:F5"])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert problem.startswith("encounters.xlsx (sheet 'encounters'): merged cells F4:F5 below")
    assert "unmerge them and give every row its own value" in problem
    assert problem.file == "encounters.xlsx"


def test_a_merged_patient_over_rows_below_a_title_is_one_problem_in_excels_cells(csv_folder, youxi):
    # a title row merged over the columns is no record and stays read; the resident id
    # merged over V0001 and V0002 (rows 3 and 4 under the title) is one problem, not one
    # "a value is required" per covered row
    _book(csv_folder, merge=["B3:B4", "H3:H4"], title=True)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert "merged cells B3:B4, H3:H4 below the header" in problem


def test_a_merged_title_alone_is_read(csv_folder, youxi):
    _book(csv_folder, title=True)
    encounters = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("encounters")
    assert encounters["diagnosis_group"].tolist()[2:] == ["I63", "J02"]


@pytest.mark.parametrize("merge", [[], ["A7:F7"]])
def test_a_footnote_merged_across_its_row_is_told_as_a_note(csv_folder, youxi, merge):
    """Review of session 30, finding 6: the usual 注 merged under a Chinese table was told
    to unmerge and give every row its value; merged or not, it is a note: delete it."""
    _book(csv_folder, footnote="注：数据来源于县医院HIS，2019年导出", merge=merge)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert str(problem) == (
        "encounters.xlsx row 7: '注：数据来源于县医院HIS，2019年导出' is a note below the "
        "table, not a record: delete it"
    )


def test_a_range_merged_down_rows_ending_on_a_note_row_is_still_refused(csv_folder, youxi):
    _book(csv_folder, footnote="注：数据来源于县医院HIS", merge=["A6:A7"])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert "merged cells A6:A7 below the header" in problem
