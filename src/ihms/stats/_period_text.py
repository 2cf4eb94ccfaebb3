"""Quarters, half-years and weeks as a table writes them, read the same way by growth
tables (``--by quarter``) and interrupted time series: ``2019Q1``, ``2019年第一季度``;
``2019H1``, ``2019年上半年``; ``2019w1``, a Stata week (what the Stata/SPSS reader,
:mod:`ihms._statfiles`, gives a ``%tq``, ``%th`` or ``%tw`` variable).

A Stata week is no ISO week ([D] Datetime): 52 a year, week 1 starting on 1 January and
week 52 running to 31 December (8 days, 9 in a leap year), so ``2019w1`` is read here
and ``2019-W01`` or ``2019W01`` (ISO's, starting on a Monday) is not: the time reader's
message says it looks like an ISO week.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ihms._stat_dates import STATA_PERIODS, period_edge
from ihms.stats._cells import normal_text
from ihms.stats._plain import is_missing

__all__ = [
    "PERIODS",
    "day_of",
    "half_of",
    "period_edge",
    "period_start",
    "quarter_of",
    "quarter_of_day",
    "time_of_day",
    "times_dropped",
    "week_of",
]

_QUARTER = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)?\s*(?:[Qq]\s*([1-4])|第?\s*([1-4一二三四])\s*季度?)$", re.ASCII
)
_HALF = re.compile(r"^(\d{4})\s*(?:[-/.]|年)?\s*(?:[Hh]\s*([12])|([上下])半年)$", re.ASCII)
# lowercase w only: 2017W40 is ISO's basic form (weeks from a Monday), not Stata's
_WEEK = re.compile(r"^(\d{4})\s*w\s*(\d{1,2})$", re.ASCII)
_CHINESE_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "上": 1, "下": 2}


def _text(value: Any) -> str | None:
    """The text of a cell that may name a period: never a date or a bare number (which
    does not say which quarter is meant), nor a missing cell."""
    if is_missing(value) or isinstance(value, (bool, dt.date, pd.Timestamp, int, float, np.number)):
        return None
    return normal_text(value)


def quarter_of(value: Any) -> tuple[int, int] | None:
    """``(year, quarter)`` of a quarterly :class:`pandas.Period` or of ``2019Q1``,
    ``2019-Q1``, ``2019q1`` (Stata's), ``2019年第一季度``, ``2019年1季``; else None.

    Examples
    --------
    >>> quarter_of("2021年第一季度"), quarter_of("2019q4"), quarter_of("2019-03")
    ((2021, 1), (2019, 4), None)
    """
    if isinstance(value, pd.Period):
        return (value.year, value.quarter) if value.freqstr.startswith("Q") else None
    text = _text(value)
    match = _QUARTER.match(text) if text is not None else None
    if not match:
        return None
    digit = match.group(2) or match.group(3)
    return int(match.group(1)), _CHINESE_DIGIT.get(digit) or int(digit)


#: A day as text: ``2019-04-01``, Excel's ``2019/4/1``, ``2019.4.1``, with a time of day
#: as pandas and ``cells_as_text`` write a datetime cell (``2019-04-01 00:00:00``,
#: ``2019-04-01 08:30:00``) or Excel displays one (``2019/4/1 8:30``); ``2019年4月1日``.
_DAY = re.compile(
    r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$"
    r"|^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$",
    re.ASCII,
)


def _moment(value: Any) -> tuple[dt.date, dt.time] | None:
    """The day and time of day of a date cell (a date, a timestamp, or :data:`_DAY`'s
    text; midnight when it gives no time), else None."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        return None if pd.isna(value) else (value.date(), value.time())
    if isinstance(value, dt.date):
        return value, dt.time()
    if is_missing(value) or not isinstance(value, str):
        return None
    match = _DAY.match(normal_text(value))
    if not match:
        return None
    parts = match.group(1, 3, 4) if match.group(1) else match.group(9, 10, 11)
    hour, minute, second, fraction = match.group(5, 6, 7, 8)
    try:
        day = dt.date(*(int(part) for part in parts))
        if hour is None:
            return day, dt.time()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return day, dt.time(int(hour), int(minute), int(second or 0), micro)
    except ValueError:  # 2019-02-30, 24:00
        return None


def day_of(value: Any) -> dt.date | None:
    """The day of a date cell (a date, a timestamp at any time of day, or :data:`_DAY`'s
    text), else None: a period is named by its day, whatever the clock said
    (:func:`time_of_day` tells a caller that notes the time it drops).

    Examples
    --------
    >>> day_of("2019-04-01 08:30:00"), day_of("2019-04-01 24:00")
    (datetime.date(2019, 4, 1), None)
    """
    found = _moment(value)
    return None if found is None else found[0]


def time_of_day(value: Any) -> dt.time | None:
    """The time of day a date cell carries besides midnight, else None (no date, or a
    date at midnight)."""
    found = _moment(value)
    return None if found is None or found[1] == dt.time() else found[1]


def times_dropped(values: Iterable[Any], period: str) -> str | None:
    """The note for date cells ``values`` read as quarters or years (``period``) from
    their days, when some carry a time of day: the first three of those, and that the
    time is dropped; None when none does."""
    timed = [v for v in dict.fromkeys(values) if time_of_day(v) is not None]
    if not timed:
        return None
    shown = ", ".join(str(v) for v in timed[:3]) + (", ..." if len(timed) > 3 else "")
    return (
        f"the time of day the dates carry ({shown}) is dropped: a date's day alone says "
        f"which {period} it is"
    )


def quarter_of_day(value: Any) -> tuple[int, int] | None:
    """``(year, quarter)`` of a date on a quarter's first day (Stata's ``dofq``, pandas'
    ``Period.to_timestamp()``) or last day (pandas' ``resample("QE")``, Excel's
    ``EOMONTH``), which names one quarter either way; None for any other day (a day
    inside a quarter, or a month's first day that is no quarter's, belongs to a monthly
    or daily series) and for what is no date. A time of day is dropped (:func:`day_of`):
    the day names the quarter.

    Examples
    --------
    >>> quarter_of_day("2019-04-01"), quarter_of_day("2019/6/30"), quarter_of_day("2019-05-01")
    ((2019, 2), (2019, 2), None)
    """
    day = day_of(value)
    if day is None:
        return None
    return (day.year, (day.month - 1) // 3 + 1) if period_edge(day) else None


def half_of(value: Any) -> tuple[int, int] | None:
    """``(year, half)`` of ``2019H1``, ``2019h2`` (Stata's), ``2019年上半年``; else None."""
    text = _text(value)
    match = _HALF.match(text) if text is not None else None
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or _CHINESE_DIGIT[match.group(3)])


def week_of(value: Any) -> tuple[int, int] | None:
    """``(year, week)`` of a Stata week, ``2019w1`` to ``2019w52``; else None."""
    text = _text(value)
    match = _WEEK.match(text) if text is not None else None
    if not match or not 1 <= int(match.group(2)) <= 52:
        return None
    return int(match.group(1)), int(match.group(2))


#: Each kind of period: how many make a year, the letter Stata displays it with
#: (``2019q1``: the name itsa gives a regressor), the letter people are shown
#: (``2019Q1``) and its reader: ``ihms._stat_dates.STATA_PERIODS`` with the readers.
_READERS = {"quarterly": quarter_of, "half-yearly": half_of, "weekly": week_of}
PERIODS = {
    kind: (per_year, letter, shown, _READERS[kind])
    for kind, (per_year, letter, shown, _) in STATA_PERIODS.items()
}


def period_start(kind: str, year: int, number: int) -> pd.Timestamp:
    """The first day of period ``number`` of ``year`` (a Stata week ``w`` starts
    7(w − 1) days after 1 January).

    Examples
    --------
    >>> period_start("half-yearly", 2019, 2), period_start("weekly", 2019, 52)
    (Timestamp('2019-07-01 00:00:00'), Timestamp('2019-12-24 00:00:00'))
    """
    if kind == "weekly":
        return pd.Timestamp(year, 1, 1) + pd.Timedelta(days=7 * (number - 1))
    months = 12 // PERIODS[kind][0]
    return pd.Timestamp(year, months * (number - 1) + 1, 1)
