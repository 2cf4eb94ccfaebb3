"""Periods of growth tables: a table by quarter whose period column holds dates.

What is read as a quarter, and why:

- a quarter's first day (2019-01-01, 2019-04-01, 2019-07-01, 2019-10-01): how a quarter
  becomes a date in the programs people export from — Stata's ``dofq(q)``, pandas'
  ``Period.to_timestamp()`` / ``PeriodIndex.to_timestamp()``, FRED's quarterly series;
- a quarter's last day (2019-03-31, 2019-06-30, 2019-09-30, 2019-12-31): pandas'
  ``resample("QE")`` labels and ``date_range(freq="QE")``, and Excel's ``EOMONTH`` of
  the quarter's last month, the "季末" dates of quarterly reports.

Either names one quarter whatever the convention. Any other day (2019-02-15, or
2019-03-01, a month's first day that is no quarter's) is refused as before: such a
column is more likely a monthly or daily series than a quarterly one, and summing it to
quarters is ``--to quarter``'s job, not a reading.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.stats import growth_series
from ihms.stats._growth_periods import period_key, period_kind

FIRST_DAYS = ["2018-01-01", "2018-04-01", "2018-07-01", "2018-10-01", "2019-01-01"]
LAST_DAYS = ["2018-03-31", "2018-06-30", "2018-09-30", "2018-12-31", "2019-03-31"]
QUARTERS = ["2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1"]
VALUES = [100, 110, 121, 133.1, 120]


def _quarters(periods) -> list:
    result = growth_series(pd.DataFrame({"quarter": periods, "value": VALUES}), frequency="quarter")
    return result.frame["period"].tolist()


@pytest.mark.parametrize(
    "periods",
    [
        FIRST_DAYS,
        [d.replace("-0", "/").replace("-", "/") for d in FIRST_DAYS],  # Excel's 2018/4/1
        [f"{d} 00:00:00" for d in FIRST_DAYS],  # pandas' to_csv of a datetime column
        [pd.Timestamp(d) for d in FIRST_DAYS],
        [dt.datetime.fromisoformat(d) for d in FIRST_DAYS],  # an .xlsx read as objects
        [dt.date.fromisoformat(d) for d in FIRST_DAYS],
        [np.datetime64(d) for d in FIRST_DAYS],
        ["2018年1月1日", "2018年4月1日", "2018年7月1日", "2018年10月1日", "2019年1月1日"],
        LAST_DAYS,
        [pd.Timestamp(d) for d in LAST_DAYS],
    ],
)
def test_a_quarter_given_by_its_first_or_last_day_is_that_quarter(periods):
    assert _quarters(periods) == QUARTERS


def test_dates_read_as_quarters_give_the_growth_of_the_quarters_written_as_such():
    by_date = growth_series(
        pd.DataFrame({"quarter": FIRST_DAYS, "value": VALUES}), frequency="quarter"
    )
    by_name = growth_series(
        pd.DataFrame({"quarter": QUARTERS, "value": VALUES}), frequency="quarter"
    )
    pd.testing.assert_frame_equal(by_date.frame, by_name.frame)
    # 120 / 100 - 1 = 0.2 (2019Q1 on 2018Q1); 110 / 100 - 1 = 0.1 (2018Q2 on 2018Q1)
    rows = by_date.frame.set_index("period")
    assert rows.loc["2019Q1", "yoy_growth"] == pytest.approx(0.2, rel=1e-12)
    assert rows.loc["2018Q2", "qoq_growth"] == pytest.approx(0.1, rel=1e-12)


@pytest.mark.parametrize(
    "day",
    [
        "2019-02-15",  # inside a quarter: a daily or monthly series
        "2019-03-01",  # a month's first day that is no quarter's
        "2019-04-30",  # a month's last day that is no quarter's
        "2019-04-02 12:00:00",  # a moment of a day inside a quarter
        "2019-02-30",  # no such day
        pd.Timestamp("2019-05-01"),
    ],
)
def test_other_dates_are_still_refused_in_a_table_by_quarter(day):
    table = pd.DataFrame({"quarter": ["2018Q4", day], "value": [1, 2]})
    with pytest.raises(DataError) as err:
        growth_series(table, frequency="quarter", source="q.csv")
    assert "not a quarter: a table by quarter holds quarters only" in "\n".join(err.value.problems)


def test_a_quarters_first_day_is_still_a_month_to_a_table_by_month_or_year():
    assert period_key("2019-04-01", "month") == 12 * 2019 + 3
    assert period_kind("2019-04-01") == "month"  # named "a month or a date" in messages
    with pytest.raises(DataError, match=r"'2019-04-01' \(a month or a date, not a year"):
        growth_series(pd.DataFrame({"year": ["2019-04-01"], "value": [1]}))


def test_the_first_and_last_day_of_one_quarter_are_the_same_quarter_twice():
    table = pd.DataFrame({"quarter": ["2019-01-01", "2019-03-31"], "value": [1, 2]})
    with pytest.raises(DataError, match="a second value for the same quarter"):
        growth_series(table, frequency="quarter", source="q.csv")


def test_quarter_days_with_a_time_of_day_are_their_quarters_with_a_note():
    # cells_as_text keeps an .xlsx date cell's time (2018-01-01 08:30:00); its day alone
    # names the quarter, so the table reads as the midnight one (the times may differ)
    timed = [f"{d} {8 + i:02d}:30:00" for i, d in enumerate(FIRST_DAYS)]
    got = growth_series(pd.DataFrame({"quarter": timed, "value": VALUES}), frequency="quarter")
    want = growth_series(pd.DataFrame({"quarter": QUARTERS, "value": VALUES}), frequency="quarter")
    pd.testing.assert_frame_equal(got.frame, want.frame)
    assert (
        "column 'quarter': the time of day the dates carry (2018-01-01 08:30:00, "
        "2018-04-01 09:30:00, 2018-07-01 10:30:00, ...) is dropped: a date's day alone says "
        "which quarter it is"
    ) in got.notes
    assert not any("time of day" in note for note in want.notes)
