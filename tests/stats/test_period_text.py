"""The one test of a quarter's (or a year's) first or last day, which the ITS reading of
days as quarters or years, growth's ``quarter_of_day`` and ``cells_as_text`` share
(review R2 of session 18 found it written three times). Reference: pandas'
``Timestamp.is_quarter_start`` / ``is_quarter_end`` / ``is_year_start`` /
``is_year_end``, over every day of a common and a leap year."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ihms.stats._period_text import day_of, period_edge, quarter_of_day, time_of_day

DAYS = pd.date_range("2019-01-01", "2020-12-31", freq="D")


@pytest.mark.parametrize(
    ("months", "starts", "ends"),
    [(3, "is_quarter_start", "is_quarter_end"), (12, "is_year_start", "is_year_end")],
)
def test_period_edge_agrees_with_pandas_on_every_day(months, starts, ends):
    got = [period_edge(day.date(), months=months) for day in DAYS]
    expected = [
        "first" if getattr(day, starts) else "last" if getattr(day, ends) else None for day in DAYS
    ]
    assert got == expected
    assert got.count("first") == 2 * 12 // months  # not a test that cannot fail


@pytest.mark.parametrize(
    ("cell", "day", "clock"),
    [
        ("2016-04-01", dt.date(2016, 4, 1), None),
        ("2016-04-01 00:00:00", dt.date(2016, 4, 1), None),
        ("2016-04-01 08:30:00", dt.date(2016, 4, 1), dt.time(8, 30)),  # cells_as_text
        ("2016/4/1 8:30", dt.date(2016, 4, 1), dt.time(8, 30)),  # Excel's display
        ("2016-04-01T23:59:59.999", dt.date(2016, 4, 1), dt.time(23, 59, 59, 999000)),
        (pd.Timestamp("2016-04-01 08:30"), dt.date(2016, 4, 1), dt.time(8, 30)),
        (dt.datetime(2016, 4, 1, 8, 30), dt.date(2016, 4, 1), dt.time(8, 30)),
        ("2016-04-01 24:00:00", None, None),  # no such time
        ("2016-04-01 08:61", None, None),
        ("2016-02-30 08:30:00", None, None),
    ],
)
def test_a_date_cell_s_day_and_its_time_of_day(cell, day, clock):
    assert day_of(cell) == day
    assert time_of_day(cell) == clock


@pytest.mark.parametrize("cell", ["2019-04-01 12:00:00", pd.Timestamp("2019-06-30 18:00")])
def test_a_quarter_s_first_or_last_day_at_any_time_names_the_quarter(cell):
    assert quarter_of_day(cell) == (2019, 2)
