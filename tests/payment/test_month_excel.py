"""Months that Excel kept as numbers in a monthly spending table (review diff33a F1, F2).

Typed into Excel as a number, 2018.10 is stored as 2018.1 and January as 2018.01: the
year's other months (else the column's other years) tell which 2018.1 is. Where they do not (a sheet of October to
December only: 2018.1, 2018.11, 2018.12), payment refuses the cell rather than booking
October's spending in January; ``its`` keeps reading such a column as before (a gap in
its series shows there)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms._months import excel_octobers
from ihms.errors import DataError
from ihms.payment import MonthlySpendingTable

from .test_tracking_files import _rows, _write


def _table(months: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": months,
            "setting": ["consortium"] * len(months),
            "institution_id": ["CH01"] * len(months),
            "insurance_paid_fen": [400_000] * len(months),
        }
    )


def _read_months(frame: pd.DataFrame) -> list[tuple[int, int]]:
    read = MonthlySpendingTable.from_frame(frame).frame
    return list(zip(read["year"].tolist(), read["month"].tolist(), strict=True))


def test_an_october_to_december_column_typed_as_numbers_is_refused(tmp_path):
    rows = ["month,setting,institution_id,insurance_paid_fen"] + [
        f"{m},consortium,CH01,400000" for m in ("2018.1", "2018.11", "2018.12")
    ]
    path = _write(tmp_path / "q4.csv", rows)
    with pytest.raises(DataError) as caught:
        MonthlySpendingTable.read(path)
    (said,) = caught.value.problems
    assert f"column 'month' of {path} row 2:" in said
    assert "'2018.1' may be January or October" in said
    assert "Excel keeps 2018.10 typed as a number as 2018.1" in said
    assert "neither its year's months nor the column's other years tell which" in said
    assert said.endswith("write 2018-01 or 2018-10")
    # its reads the same column as it did: the stricter rule is payment's (money)
    assert excel_octobers(["2018.1", "2018.11", "2018.12"]) == ["2018.1", "2018.11", "2018.12"]


@pytest.mark.parametrize(
    ("months", "read"),
    [
        # the column writes 2018.01 … 2018.09: 2018.1 is Excel's October (excel_octobers)
        (["2018.09", "2018.1", "2018.11"], [(2018, 9), (2018, 10), (2018, 11)]),
        # the column writes 2018.10 itself: 2018.1 is January
        (["2018.1", "2018.10", "2018.11"], [(2018, 1), (2018, 10), (2018, 11)]),
        # one-digit months: 2018.1 is January as 2018.2 is February
        (["2018.1", "2018.2", "2018.3"], [(2018, 1), (2018, 2), (2018, 3)]),
    ],
)
def test_a_column_that_settles_2018_1_is_read(months, read):
    assert _read_months(_table(months)) == read


def test_2018_1_alone_among_other_forms_is_refused():
    with pytest.raises(DataError) as caught:
        _read_months(_table(["2018.1", "2018-11", "2018-12"]))
    (said,) = caught.value.problems
    assert (
        "column 'month' of monthly spending table row 2:" in said
        and "may be January or October" in said
    )


def test_an_xlsx_of_months_typed_as_numbers_reads_as_written_2017_mm(tmp_path):
    """F2: an .xlsx keeps 2017.01 … 2017.09 as the numbers 2017.01 … 2017.09 (floats)
    and 2017.10 as 2017.1: read as the months written 2017-01 … 2017-12."""
    plain = MonthlySpendingTable.read(_write(tmp_path / "plain.csv", _rows()))
    rows = [r.split(",") for r in _rows()[1:]]
    numbers = [int(m[:4]) + int(m[5:7]) / 100 for m, *_ in rows]
    assert 2017.1 in numbers and 2017.01 in numbers  # October and January as Excel keeps them
    frame = pd.DataFrame(
        {
            "month": numbers,
            "setting": [r[1] for r in rows],
            "institution_id": [r[2] or None for r in rows],
            "insurance_paid_fen": [int(r[3]) for r in rows],
        }
    )
    path = tmp_path / "months.xlsx"
    frame.to_excel(path, sheet_name="spending", index=False)
    read = MonthlySpendingTable.read(path)
    assert read.frame.equals(plain.frame)


def test_an_xlsx_october_to_december_of_numbers_is_refused(tmp_path):
    path = tmp_path / "q4.xlsx"
    _table([2018.1, 2018.11, 2018.12]).to_excel(path, sheet_name="spending", index=False)
    with pytest.raises(DataError) as caught:
        MonthlySpendingTable.read(path)
    (said,) = caught.value.problems
    assert f"column 'month' of {path} row 2:" in said
    assert "2018.1 may be January or October" in said and "2018-10" in said


def test_a_number_that_is_no_month_is_refused_naming_it():
    with pytest.raises(DataError) as caught:
        _read_months(_table([2018.123, 2018.13]))
    first, second = caught.value.problems
    assert "column 'month' of monthly spending table row 2:" in first and first.endswith(
        "got 2018.123"
    )
    assert "row 3:" in second and second.endswith("got 2018.13")


def test_2018_1_in_full_width_digits_is_refused_as_the_half_width_one():
    # read-through 33c: the refusal matched the raw text, so ２０１８.１ beside 2018.11 and
    # 2018.12 (an October–December sheet) was read as January
    with pytest.raises(DataError) as caught:
        _read_months(_table(["２０１８.１", "2018.11", "2018.12"]))
    (said,) = caught.value.problems
    assert "row 2:" in said and "may be January or October" in said


# A sheet pasted together from yearly exports (read-through 34, item 5): 2017 typed as
# text with one-digit months (2017.1 is January, 2017.10 October), 2018 typed into Excel
# as numbers (2018.01 … 2018.09, and 2018.10 kept as 2018.1). Decided for the whole
# column, 2017.10 made every .1 January, so 2018's October became a second January.
MIXED = [f"2017.{m}" for m in range(1, 13)] + [f"2018.{m:02d}" for m in range(1, 10)]
MIXED += ["2018.1", "2018.11", "2018.12"]
EVERY_MONTH = [(2017, m) for m in range(1, 13)] + [(2018, m) for m in range(1, 13)]


def test_a_column_holding_years_written_two_ways_reads_each_years_2018_1_by_its_months():
    assert _read_months(_table(MIXED)) == EVERY_MONTH


def test_a_year_of_october_to_december_is_read_as_the_other_years_write_months():
    # October 2017 to June 2018 typed as numbers: 2017 alone (2017.1, 2017.11, 2017.12)
    # does not tell, 2018's 2018.01 … says the column writes January with its 0
    months = ["2017.1", "2017.11", "2017.12"] + [f"2018.{m:02d}" for m in range(1, 7)]
    assert _read_months(_table(months)) == [(2017, 10), (2017, 11), (2017, 12)] + [
        (2018, m) for m in range(1, 7)
    ]


def test_a_year_neither_its_months_nor_the_other_years_settle_is_refused_naming_it():
    # 2016 (October to December only) beside years that disagree (2017 writes 2017.10,
    # 2018 writes 2018.01): which 2016 followed is not guessed
    with pytest.raises(DataError) as caught:
        _read_months(_table(["2016.1", "2016.11", "2016.12", *MIXED]))
    (said,) = caught.value.problems
    assert "column 'month' of monthly spending table row 2:" in said
    assert "'2016.1' may be January or October" in said
    assert said.endswith("write 2016-01 or 2016-10")
