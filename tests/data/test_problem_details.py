"""A problem's pieces (file, row, column, value, expected) kept apart for a program, and
row numbers written as one number (review of session 28's indicators, findings 7 and 8)."""

from __future__ import annotations

import pytest

from ihms.data import read_tables
from ihms.errors import DataError, Problem, problem_details


def _problems(folder, system) -> list[str]:
    with pytest.raises(DataError) as err:
        read_tables(folder, system=system)
    return err.value.problems


def _lines(count: int) -> str:
    """``count`` good outpatient visits of the first resident, V1000 onwards."""
    return "".join(
        f"V{1000 + k},350426195001011234,YX-CH01,2016-03-01,outpatient,J06,10,5,5,,,\n"
        for k in range(count)
    )


def test_row_numbers_past_999_are_written_without_a_separator(csv_folder, youxi):
    # rows 2-5 are the fixture's four visits, 6-1005 a thousand more: row 1006 a negative
    # cost, row 1007 repeating V1000 (row 6). "row 1,006" reads as rows 1 and 6 in a
    # list, and cannot be pasted into `sed -n 1006p` or Excel's Go To.
    path = csv_folder / "encounters.csv"
    bad = (
        "V2000,350426195001011234,YX-CH01,2016-03-01,outpatient,J06,-10,0,-10,,,\n"
        "V1000,350426195001011234,YX-CH01,2016-03-02,outpatient,J06,10,5,5,,,\n"
    )
    path.write_text(path.read_text("utf-8") + _lines(1000) + bad, encoding="utf-8")
    text = "\n".join(_problems(csv_folder, youxi))
    assert "column 'total_cost_yuan' of encounters.csv row 1006: expected an amount" in text
    assert (
        "column 'encounter_id' of encounters.csv row 1007: duplicate key (encounter_id) = "
        "('V1000',), first given in row 6" in text
    )
    assert "1,00" not in text


def test_a_total_row_is_named_by_its_plain_row_number(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    total = "合计,,,,,,99999,,,,,\n"
    path.write_text(path.read_text("utf-8") + _lines(1000) + total, encoding="utf-8")
    problems = _problems(csv_folder, youxi)
    (found,) = [p for p in problems if "total row" in p]
    assert found.startswith("encounters.csv row 1006: '合计' is a total row")
    assert (found.file, found.row, found.value) == ("encounters.csv", 1006, "合计")


def test_each_problem_keeps_file_row_column_value_and_expected(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    text = path.read_text("utf-8")
    text = text.replace("V0001,350426195001011234,YX-CH01", "V0001,350426195001011234,YX-CH99")
    text = text.replace("15,0,15,,,", "-15,0,-15,,,").replace(",outpatient,J02,", ",visit,J02,")
    path.write_text(text, encoding="utf-8")
    residents = csv_folder / "residents.csv"
    residents.write_text(residents.read_text("utf-8").replace("1960,M", "196O,M"), "utf-8")
    problems = _problems(csv_folder, youxi)
    assert all(isinstance(p, Problem) for p in problems), problems
    details = {(d["file"], d["row"], d["column"]): d for d in problem_details(problems)}
    # unreadable cell: the cell as written and what was expected
    unread = details["residents.csv", 3, "birth_year"]
    assert (unread["value"], unread["expected"]) == ("196O", "a whole number")
    assert unread["message"].startswith("column 'birth_year' of residents.csv row 3: expected")
    # below the minimum, in the file's unit (yuan, exact)
    below = details["encounters.csv", 3, "total_cost_yuan"]
    assert (below["value"], below["expected"]) == ("-15.00", "≥ 0.00 yuan")
    # outside the vocabulary; an unknown reference
    kind = details["encounters.csv", 5, "type"]
    assert kind["value"] == "visit" and kind["expected"].startswith("one of outpatient, ")
    unknown = details["encounters.csv", 2, "institution_id"]
    assert unknown["value"] == "YX-CH99"
    assert unknown["expected"] == "an id of institutions (institution_id)"
    # every message is one of the problems' texts, in the same order
    assert [d["message"] for d in problem_details(problems)] == problems


def test_a_file_level_problem_names_its_file_only(csv_folder, youxi):
    (csv_folder / "claims.csv").write_text("", encoding="utf-8")
    (problem,) = _problems(csv_folder, youxi)
    assert problem.details() | {"message": ""} == {
        "file": "claims.csv",
        "row": None,
        "column": None,
        "value": None,
        "expected": "a header row",
        "message": "",
    }
