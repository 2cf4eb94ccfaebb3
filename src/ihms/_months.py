"""A month as a county's tables and an analyst's options write it: one reader for all of
ihms, so a month that ``its`` or ``growth`` reads is read by ``payment`` and ``sim`` too.

:func:`month_of` reads a monthly :class:`pandas.Period`, a date or timestamp, and text:
``2017-10``, ``2017/10``, ``2017.10``, ``2017m10`` (Stata), ``2017年10月``, ``2017年10``,
a date within the month (``2017/10/1``, ``2017年10月1日``), Excel's ``Oct-17`` and
``Oct 2017``, full-width digits. :func:`month_and_day` adds a YYYYMM number
(``201710``) and says the day a date gave, for the readers that care (``payment``
takes a date as an option only on the first of its month). :func:`read_dotted` is the
one rule for a column of months written with a point, where Excel keeps ``2019.10``
typed as a number as ``2019.1``: October in a year that writes ``2019.09``;
:func:`excel_octobers` is its reading as ``its`` and ``growth`` take it.

Cheap to import beside pandas: the statistics, payment and simulator layers all use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._width import fold_width

__all__ = [
    "DottedMonths",
    "dotted_month",
    "excel_octobers",
    "month_and_day",
    "month_of",
    "read_dotted",
    "yyyymm_month",
]

# a time after a date: 00:00, 8:30:00, 00:00:00.000
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
# 2017-10, 2017/10, 2017.10, 2017m10, 2017M10, 2017-10月, 2017-10-01 (a day 1..31, else
# no month: 2017-10-40 and 2017/10/1234 are not dates), 2017-10-01 00:00:00 (T or spaces)
_MONTH_RE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.]|[mM])\s*(\d{1,2})\s*"
    rf"(?:月|[-/.](?P<day>\d{{1,2}})(?:(?:T|\s+){_TIME})?)?\s*$",
    re.ASCII,
)
# 2017年10月, 2017年10, 2017年10月1日 (a day 1..31), 2017年10月1日 00:00
_MONTH_ZH_RE = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*"
    rf"(?:月(?:\s*(?P<day>\d{{1,2}})\s*日(?:\s*{_TIME})?)?)?\s*$",
    re.ASCII,
)
# Excel's mmm-yy / mmmm yyyy displays: Oct-17, Oct 2017, October 2017, 2017-Oct. Never
# 17-Oct: that is Excel's d-mmm (day 17 of October), not a month.
_MONTH_NAME_RE = re.compile(
    r"^\s*(?:([A-Za-z]{3,9})\.?[\s\-/']*(\d{4}|\d{2})|(\d{4})[\s\-/]*([A-Za-z]{3,9})\.?)\s*$",
    re.ASCII,
)
_MONTH_NAMES = {
    name: k
    for k, names in enumerate(
        [
            "jan,january",
            "feb,february",
            "mar,march",
            "apr,april",
            "may",
            "jun,june",
            "jul,july",
            "aug,august",
            "sep,sept,september",
            "oct,october",
            "nov,november",
            "dec,december",
        ],
        start=1,
    )
    for name in names.split(",")
}
# 201710: six digits, nothing else (a YYYYMM number, as Stata users write months)
_YYYYMM = re.compile(r"^\s*(\d{6})\s*$", re.ASCII)
# 2019.1, 2019.09: a month after a point, as Excel keeps a number
_DOTTED = re.compile(r"^\s*(\d{4})\.(\d{1,2})\s*$", re.ASCII)
# what a dotted column's other months say 2019.1 is: a month written with a leading zero
# (2019.09) says a number lost October's 0; 2019.10 written, or one-digit months
# (2019.2), say January
_LEADING_ZERO = frozenset(f"0{k}" for k in range(1, 10))
_ONE_DIGIT = frozenset(str(k) for k in range(2, 10))


def _dated(value: Any) -> tuple[int, int, int | None] | None:
    """``(year, month, day or None)`` of a cell in one of :func:`month_of`'s forms."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, pd.Period):
        return (value.year, value.month, None) if value.freqstr in ("M", "ME") else None
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "month"):
        ts = pd.Timestamp(value)  # a date, a datetime, NaT (no month)
        return None if pd.isna(ts) else (ts.year, ts.month, ts.day)
    if value is None or value is pd.NA or isinstance(value, (int, float, np.number)):
        return None  # a number (or an empty cell) is no month here; see month_and_day
    text = fold_width(str(value)).strip()
    m = _MONTH_RE.match(text) or _MONTH_ZH_RE.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group("day")
        if day is not None and not 1 <= int(day) <= 31:
            return None
        return (year, month, None if day is None else int(day)) if 1 <= month <= 12 else None
    named = _month_name(text)
    return None if named is None else (*named, None)


def month_of(value: Any) -> tuple[int, int] | None:
    """``(year, month)`` of a cell that names a month, else None: a monthly
    :class:`pandas.Period`, a date or timestamp (the month it falls in), or text such as
    ``2017-10``, ``2017/10``, ``2017.10``, ``2017m10``, ``2017年10月``, ``2017年10``, a date
    within the month (``2017/10/1``, ``2017-10-01``, ``2017年10月1日``), ``Oct-17`` or
    ``Oct 2017``; full-width digits (``２０１７年１０月``) too. ``its`` and ``growth`` read
    their months here, so both accept the same months.

    Examples
    --------
    >>> month_of("2022/1/1"), month_of("２０２２年１月"), month_of("2019")
    ((2022, 1), (2022, 1), None)
    """
    found = _dated(value)
    return None if found is None else (found[0], found[1])


def month_and_day(value: Any) -> tuple[int, int, int | None] | None:
    """``(year, month, day)`` of a month as ihms reads one anywhere, else None: the forms
    of :func:`month_of`, with the day a date gave (None for a month written without one),
    or a YYYYMM number (``201710``, an integer or its text: :func:`yyyymm_month`).

    Examples
    --------
    >>> month_and_day("2018m6"), month_and_day(201806), month_and_day("2018/6/30")
    ((2018, 6, None), (2018, 6, None), (2018, 6, 30))
    """
    found = _dated(value)
    if found is not None or isinstance(value, (bool, np.bool_, float, np.floating)):
        return found
    compact = _YYYYMM.match(fold_width(str(value)))
    month = None if compact is None else yyyymm_month(int(compact[1]))
    return None if month is None else (*month, None)


def yyyymm_month(value: int) -> tuple[int, int] | None:
    """(year, month) of a YYYYMM number (190001–210012, month 1–12), else None: the one
    rule for such numbers, in a column (``its``), a config's month (``ihms.sim``) or a
    payment table's month."""
    year, month = divmod(int(value), 100)
    return (year, month) if 1900 <= year <= 2100 and 1 <= month <= 12 else None


def dotted_month(value: Any) -> tuple[int, str] | None:
    """``(year, the digits after the point as written)`` of a month written with a point,
    as Excel keeps one typed as a number: text (``2019.09``, ``2019.1``; full-width
    digits folded) or a float (``2019.1``); else None. The digits stay as written, as
    they tell Excel's October from January (:func:`read_dotted`); neither year nor month
    is checked for range.

    Examples
    --------
    >>> dotted_month("2019.09"), dotted_month(2019.1), dotted_month("２０１９.１")
    ((2019, '09'), (2019, '1'), (2019, '1'))
    >>> dotted_month("2019-09"), dotted_month(201909), dotted_month("2019.123")
    (None, None, None)
    """
    if not isinstance(value, (str, float)):
        return None
    m = _DOTTED.match(fold_width(str(value)))
    return None if m is None else (int(m.group(1)), m.group(2))


@dataclass(frozen=True)
class DottedMonths:
    """A column's months written with a point, as :func:`read_dotted` reads them.

    Attributes
    ----------
    cells
        The column's values, each ``2019.1`` that is Excel's October written
        ``2019.10``; every other value as given.
    months
        Each value's :func:`dotted_month`: ``(year, digits after the point as written)``
        (``(2019, "09")``, ``(2019, "1")``), None where it is no dotted month.
    unsettled
        The positions of the ``2019.1`` the column's months leave January or October
        (its year writes no ``2019.0M``, no ``2019.10``, no one-digit ``2019.2``, and the
        other years do not agree on it): kept as written, so read as January unless the
        reader refuses them (``payment``: money).
    """

    cells: list
    months: tuple[tuple[int, str] | None, ...]
    unsettled: tuple[int, ...]


def read_dotted(values: list) -> DottedMonths:
    """The one rule for ``2019.1`` in a column of months written with a point: typed into
    Excel as numbers, 2019.10 is stored as 2019.1 (and saved to CSV so), while January
    is 2019.01. So ``2019.1`` is October where its year writes a month with a leading
    zero (``2019.09``) and no ``2019.10``; January where its year writes ``2019.10``
    itself or one-digit months (``2019.2``). A year whose months tell neither (October to
    December only: ``2019.1``, ``2019.11``, ``2019.12``) is read as the column's other
    years are, where they agree (``2019.1`` before ``2020.01`` … ``2020.06`` is October);
    else its ``2019.1`` is unsettled (:class:`DottedMonths`). Decided by year, not by
    column: a sheet pasted together from yearly exports may write one year as text
    (``2018.1`` … ``2018.12``) and the next as Excel's numbers (``2019.01`` …
    ``2019.1``), and each year's own months say which ``.1`` it wrote. ``its``,
    ``growth`` (:func:`excel_octobers`), ``trend``'s period column and ``payment``'s
    month column read their dotted months here.

    Examples
    --------
    >>> read_dotted(["2019.09", "2019.1", "2019.11"]).cells
    ['2019.09', '2019.10', '2019.11']
    >>> read_dotted(["2019.1", "2019.11", "2019.12"]).unsettled
    (0,)
    >>> read_dotted(["2018.1", "2018.10", "2019.09", "2019.1"]).cells
    ['2018.1', '2018.10', '2019.09', '2019.10']
    """
    months = tuple(dotted_month(v) for v in values)
    by_year: dict[int, set[str]] = {}
    for m in months:
        if m:
            by_year.setdefault(m[0], set()).add(m[1])
    said = {year: _one_is(digits) for year, digits in by_year.items()}
    told = set(said.values()) - {None}
    column = next(iter(told)) if len(told) == 1 else None  # the other years, agreeing
    cells, unsettled = list(values), []
    for pos, m in enumerate(months):
        if m and m[1] == "1":
            one_is = said[m[0]] or column
            if one_is == "10":
                cells[pos] = f"{m[0]}.10"
            elif one_is is None:
                unsettled.append(pos)
    return DottedMonths(cells, months, tuple(unsettled))


def _one_is(digits: set[str]) -> str | None:
    """What ``2019.1`` is among months written with these digits after the point: ``"10"``
    (October), ``"01"`` (January), or None where they do not tell."""
    if "10" in digits:
        return "01"
    if digits & _LEADING_ZERO:
        return "10"
    return "01" if digits & _ONE_DIGIT else None


def excel_octobers(values: list) -> list:
    """``values`` with ``2019.1`` read as October where its year writes its months with
    two digits after the point (``2019.01`` … ``2019.12``): :func:`read_dotted`'s cells.
    A year that writes ``2019.10`` itself, or one-digit months, keeps ``2019.1``, and so
    does a year :func:`read_dotted` leaves unsettled (as January, for ``its`` and
    ``growth``).

    Examples
    --------
    >>> excel_octobers(["2019.09", "2019.1", "2019.11"])
    ['2019.09', '2019.10', '2019.11']
    >>> excel_octobers(["2019.1", "2019.2", "2019.10"])
    ['2019.1', '2019.2', '2019.10']
    """
    return read_dotted(values).cells


def _month_name(text: str) -> tuple[int, int] | None:
    """``Oct-17``, ``Oct 2017``, ``2017-Oct``; a two-digit year is read as Python's ``%y``
    (69-99 → 1900s, 00-68 → 2000s), as Excel writes mmm-yy."""
    m = _MONTH_NAME_RE.match(text)
    if not m:
        return None
    name, year_text = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    month = _MONTH_NAMES.get(name.lower())
    if month is None:
        return None
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= 69 else 2000
    return year, month
