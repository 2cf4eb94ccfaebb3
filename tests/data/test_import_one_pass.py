"""``ihms data import`` names every problem of an export in one run: the cells it cannot
read, and the checks (unknown institution, a date outside the period, insurance above the
cost) of the rows it could read. A row with an unreadable cell is named once, with that
cell; the checks run on the other rows. (A user fixing a 100k-row HIS export ran the
import twice: first the unreadable cells, then the rest.)"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.data import Period, RowLabels, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")

UNREADABLE_COST = (
    "column 'total_cost_yuan' of encounters.csv row 2: expected yuan with at most two "
    "decimals, digits only (1234.57 or 1,234.57: no 元), got '12O.50'"
)
UNKNOWN_HOSPITAL = (
    "column 'institution_id' of encounters.csv row 4: unknown institution 'FJ-PHX' (not "
    "in institutions) — did you mean 'FJ-PH'?; every institution the records name must be "
    "listed (in the system file, or institutions.csv) — hospitals outside the county that "
    "residents use, too"
)
OUTSIDE = (
    "column 'date' of encounters.csv row 5: date 2020-01-05 is outside the period "
    "2016-01-01 to 2019-12-31"
)
OVERPAID = (
    "column 'insurance_paid_yuan' of encounters.csv row 5: insurance paid 20.00 yuan "
    "exceeds the total cost 15.00 yuan"
)


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(folder, system) -> list[str]:
    with pytest.raises(DataError) as err:
        read_tables(folder, system=system, period=WHOLE)
    return err.value.problems


def test_unreadable_cells_and_failed_checks_are_reported_in_one_run(csv_folder, youxi):
    enc = csv_folder / "encounters.csv"
    # row 2: an unreadable cost (letter O for zero) and an unknown institution: named
    # once, by its unreadable cell (the row is not read, so not checked)
    _edit(
        enc, "YX-CH01,2016-03-01,outpatient,J06,120.50", "XX-NONE,2016-03-01,outpatient,J06,12O.50"
    )
    # row 4: a hospital misspelt; row 5: outside the period and overpaid
    _edit(enc, "FJ-PH,2017", "FJ-PHX,2017")
    _edit(enc, "2018-01-05,outpatient,J02,35.8", "2020-01-05,outpatient,J02,15")
    problems = _problems(csv_folder, youxi)
    # the unreadable cells first, then the checks of the rows read, in the checks' order
    assert problems == [UNREADABLE_COST, UNKNOWN_HOSPITAL, OUTSIDE, OVERPAID]


def test_a_row_not_read_is_no_unknown_id_for_the_rows_naming_it(csv_folder, youxi):
    # the resident of row 3 has an unreadable birth year: its encounter (V0003) and
    # follow-up (F2) name a resident the register holds, though its row was not read;
    # neither is an "unknown resident"
    _edit(csv_folder / "residents.csv", "350426196002022345,1960", "350426196002022345,196O")
    _edit(
        csv_folder / "encounters.csv",
        "2018-01-05,outpatient,J02,35.8",
        "2020-01-05,outpatient,J02,35.8",
    )
    problems = _problems(csv_folder, youxi)
    assert problems == [
        "column 'birth_year' of residents.csv row 3: expected a whole number, got '196O'",
        OUTSIDE,
    ]


def test_a_table_not_read_leaves_the_others_checked(csv_folder, youxi):
    # encounters lack a required column: none of their rows can be checked, and no id of
    # theirs is known, so a follow-up naming an encounter is not refused for it; the
    # follow-ups are checked all the same
    _edit(csv_folder / "encounters.csv", "encounter_id,", "visit_no,")
    _edit(
        csv_folder / "followups.csv",
        "F2,350426196002022345,YX-THC02,2016-05-02,diabetes,,,6.4,",
        "F2,350426196002022345,YX-THC02,2016-05-02,diabetes,,,6.4,V0003",
    )
    _edit(csv_folder / "followups.csv", "F1,350426195001011234", "F1,999")
    problems = _problems(csv_folder, youxi)
    assert problems == [
        "encounters.csv: missing required column 'encounter_id'",
        "encounters.csv: unknown column 'visit_no'",
        "column 'resident_id' of followups.csv row 2: unknown resident '999' (not in residents); "
        "residents holds 3 ids, written like '999999999999999999' (9 a digit, A a letter)",
    ]


def test_the_checks_of_the_rows_read_keep_their_limits(csv_folder, youxi):
    # 150 rows at an unknown institution and 150 unreadable dates: each listed as before
    # (an unknown id once, with its other rows; an unreadable value once, with its rows)
    enc = csv_folder / "encounters.csv"
    head, *rows = enc.read_text(encoding="utf-8").splitlines()
    more = [
        f"W{i:04d},350426195001011234,{'XX-NONE' if i % 2 else 'YX-CH01'},"
        f"{'2016-03-01' if i % 2 else '2016-3-99'},outpatient,J06,1,0,1,,,"
        for i in range(300)
    ]
    enc.write_text("\n".join([head, *rows, *more]) + "\n", encoding="utf-8")
    problems = _problems(csv_folder, youxi)
    assert len(problems) == 2
    assert problems[0].startswith(
        "column 'date' of encounters.csv row 6: expected a date"
    ) and problems[0].endswith(
        "got '2016-3-99', also in 149 more rows (8, 10, 12, 14, 16 and 144 more)"
    )
    assert problems[1].startswith(
        "column 'institution_id' of encounters.csv row 7: unknown institution 'XX-NONE' "
        "(not in institutions), also in 149 more rows (9, 11, 13, 15, 17 and 144 more)"
    )


@given(
    skipped=st.lists(st.integers(3, 400), unique=True, max_size=60).map(sorted),
    first_row=st.integers(1, 3),
)
def test_rows_keep_the_file_s_numbers_past_the_rows_left_out(skipped, first_row):
    # the rows left out (empty, or not read) are counted past one by one, as before the
    # bisection: the position's number among the file's rows not left out
    label = RowLabels("t.csv", first_row=first_row, skipped=tuple(skipped))
    kept = [n for n in range(first_row, 500) if n not in set(skipped)]
    assert [label.row(i) for i in range(len(kept))] == kept


@given(
    gone=st.lists(st.integers(3, 400), unique=True, max_size=60).map(sorted),
    blank=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_records_left_out_are_counted_as_the_empty_rows_are(gone, blank):
    # review 22a H1: a record left out (``left_out``, no empty row) is counted past as an
    # empty row (``skipped``) is, however the rows left out are split between the two
    empty = tuple(n for n, b in zip(gone, blank, strict=False) if b)
    label = RowLabels(
        "t.csv", first_row=2, skipped=empty, left_out=tuple(n for n in gone if n not in empty)
    )
    kept = [n for n in range(2, 500) if n not in set(gone)]
    assert [label.row(i) for i in range(len(kept))] == kept


def test_a_total_row_is_named_with_the_other_problems_in_one_run(csv_folder, youxi):
    # a total row below the records stopped the import before any cell was read: named
    # now with the unreadable cells and the checks of the other rows, and left out of them
    enc = csv_folder / "encounters.csv"
    _edit(enc, "FJ-PH,2017", "FJ-PHX,2017")
    enc.write_text(enc.read_text("utf-8") + "合计,,,,,,12171.3,6080.25,6091.05,,,\n", "utf-8")
    _edit(csv_folder / "residents.csv", "350426196002022345,1960", "350426196002022345,196O")
    problems = _problems(csv_folder, youxi)
    assert problems == [
        "column 'birth_year' of residents.csv row 3: expected a whole number, got '196O'",
        "encounters.csv row 6: '合计' is a total row, not a record: delete it (ihms adds up "
        "the records itself; a total read as data would count everything twice)",
        UNKNOWN_HOSPITAL,
    ]


def test_an_encounter_without_a_resident_says_what_to_do_with_a_non_resident(csv_folder, youxi):
    # revind review (session 28), finding 3: a hospital's extract holds visits by people
    # from other counties, who have no resident id; the message said only "a value is
    # required". Now it says, at the first such row only, what to do with them.
    enc = csv_folder / "encounters.csv"
    _edit(enc, "V0001,350426195001011234,", "V0001,,")  # row 2
    _edit(enc, "V0002,350426195001011234,", "V0002,,")  # row 3
    _edit(enc, "V0004,350426198503033456,", "V0004,R_NOPE,")  # row 5: not registered
    first, second, unknown = _problems(csv_folder, youxi)
    hint = "a patient from outside the county (in a hospital's extract) cannot be entered"
    assert first.startswith("column 'resident_id' of encounters.csv row 2: a value is required")
    assert hint in first and "README, 'Patients from outside the county'" in first
    assert second == "column 'resident_id' of encounters.csv row 3: a value is required"
    assert unknown.startswith(
        "column 'resident_id' of encounters.csv row 5: unknown resident 'R_NOPE' (not in "
        "residents); every encounter must be a registered resident's"
    )
