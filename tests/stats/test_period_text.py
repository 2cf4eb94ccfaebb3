"""The one test of a quarter's (or a year's) first or last day, which the ITS reading of
days as quarters or years, growth's ``quarter_of_day`` and ``cells_as_text`` share
(review R2 of session 18 found it written three times). Reference: pandas'
``Timestamp.is_quarter_start`` / ``is_quarter_end`` / ``is_year_start`` /
``is_year_end``, over every day of a common and a leap year."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.stats._period_text import period_edge

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
