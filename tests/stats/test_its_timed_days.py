"""A quarterly series whose date cells carry a time of day: ``cells_as_text`` keeps a
cell's time (an ``.xlsx`` date cell typed ``2016-01-01 08:30``, a ``.parquet``
timestamp), so a column of quarters' first days reaches ITS as ``2016-01-01 08:30:00``.
It was read as months with gaps (refused) while the same column at midnight was read
as quarters.

The reading: a date names its quarter by its day; the time of day says nothing about
which quarter is meant, so it is dropped, with a note. Times that differ from cell to
cell (units exported at different hours, a clock that is not midnight on some rows)
change nothing: each cell is read from its day, and two cells of one day in one series
are the same time point, refused as a duplicate as any two are.

Golden values: the coefficients and standard errors of the same series written
``2016Q1`` … — that run is checked against itsa's single-group design fitted by hand
(tests/stats/test_its_quarter_days.py::
test_quarters_written_as_days_fit_as_the_quarters_themselves) and, through the same
design on plain period numbers, against Stata's printed ``itsa`` numbers
(tests/stats/test_its.py::test_single_group_matches_printed_stata;
tests/cli/test_stat_periods_cli.py::test_its_reads_a_stata_tq_variable_as_quarters
checks that quarters and period numbers give the same coefficients).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, IhmsWarning
from ihms.stats.its import ITSModel
from ihms.stats.its_batch import fit_its_batch

N = 16
Y = 100 + 2.0 * np.arange(N) + 5.0 * (np.arange(N) >= 8) + np.sin(np.arange(N))
QUARTERS = [f"{2016 + i // 4}Q{i % 4 + 1}" for i in range(N)]
FIRST_DAYS = [f"{2016 + i // 4}-{3 * (i % 4) + 1:02d}-01" for i in range(N)]


def _fit(time: list, interruption="2018Q1"):
    frame = pd.DataFrame({"when": time, "visits": Y})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = ITSModel(frame, outcome="visits", time="when", interruptions=interruption).fit()
    return results, [str(w.message) for w in caught if issubclass(w.category, IhmsWarning)]


@pytest.mark.parametrize(
    "time",
    [
        [f"{d} 08:30:00" for d in FIRST_DAYS],  # cells_as_text of an .xlsx's date cells
        [pd.Timestamp(f"{d} 08:30") for d in FIRST_DAYS],  # a DataFrame's datetimes
        [f"{d} {i % 24}:{7 * i % 60:02d}" for i, d in enumerate(FIRST_DAYS)],  # differing
        # pandas' Period.end_time: the quarter's last day at 23:59:59.999999999
        list(pd.period_range("2016Q1", periods=N, freq="Q").end_time),
    ],
    ids=["text 08:30", "timestamps 08:30", "differing times", "end_time"],
)
def test_quarter_days_with_a_time_of_day_fit_as_the_quarters_themselves(time):
    expected, _ = _fit(QUARTERS)
    got, notes = _fit(time)
    assert got.design.axis.kind == "quarterly"
    assert list(got.params.index) == ["_t", "_x2018q1", "_x_t2018q1", "_cons"]
    pd.testing.assert_series_equal(got.params, expected.params, rtol=0, atol=0)
    pd.testing.assert_series_equal(got.std_errors, expected.std_errors, rtol=0, atol=0)
    assert len(notes) == 1 and "read as quarters" in notes[0], notes
    assert "time of day" in notes[0] and "dropped" in notes[0], notes


def test_the_note_names_a_time_dropped():
    _, notes = _fit([f"{d} 08:30:00" for d in FIRST_DAYS], "2018-01-01 08:30:00")
    assert notes == [
        "column 'when': every date is a quarter's first day (2016-01-01, 2016-04-01, ...), "
        "so the column is read as quarters (2016Q1, 2016Q2, ...): read as months, the "
        "series would have gaps; if each date stands for its month alone, write the time "
        "as months (2016-01) and the missing months are reported instead; the time of day "
        "the dates carry (2016-01-01 08:30:00, 2016-04-01 08:30:00, 2016-07-01 08:30:00, "
        "...) is dropped: a date's day alone says which quarter it is"
    ]


def test_midnight_quarter_days_keep_their_note_without_a_time():
    _, notes = _fit(FIRST_DAYS)
    assert len(notes) == 1 and "time of day" not in notes[0]


def test_the_same_day_at_two_times_is_one_time_point_twice():
    time = [f"{d} 08:30:00" for d in FIRST_DAYS]
    time[5] = "2017-01-01 17:00:00"  # the 5th quarter's day again, later that day
    with pytest.raises(DataError) as caught:
        _fit(time)
    assert "column 'when': time point 2017Q1 appears 2 times (rows 4, 5)" in caught.value.problems


def test_a_panel_whose_units_wrote_one_quarter_at_different_times():
    def long(a: list, b: list) -> pd.DataFrame:
        return pd.DataFrame(
            {"when": a + b, "unit": ["a"] * N + ["b"] * N, "visits": [*Y, *(Y[::-1])]}
        )

    expected = fit_its_batch(
        long(QUARTERS, QUARTERS), outcome="visits", time="when", series="unit",
        interruptions="2018Q1",
    )  # fmt: skip
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        got = fit_its_batch(
            long([f"{d} 08:30:00" for d in FIRST_DAYS], [f"{d} 14:05:00" for d in FIRST_DAYS]),
            outcome="visits", time="when", series="unit", interruptions="2018Q1",
        )  # fmt: skip
    pd.testing.assert_frame_equal(got.params, expected.params, rtol=0, atol=0)


def test_consecutive_months_with_a_time_of_day_stay_months_written_as_months():
    days = [f"{d.date()} 08:30:00" for d in pd.date_range("2016-01-01", periods=N, freq="MS")]
    got, notes = _fit(days, "2016-09")
    assert got.design.axis.kind == "monthly" and got.design.axis.day is None
    assert notes == []
