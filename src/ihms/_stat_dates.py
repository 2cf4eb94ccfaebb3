"""Stata's dates, times and periods as text, a whole column at a time, for
:func:`ihms._statfiles.read_stat_table`: ``%tm`` months as ``YYYY-MM``, ``%td`` days as
ISO dates, ``%tc``/``%tC`` date-times, ``%tq``/``%th``/``%tw`` periods as ``2019Q1``,
``2019H1``, ``2019w1``; and SPSS's ``MOYR`` months, ``QYR`` quarters and ``WKYR`` weeks
as ``2019-01``, ``2019Q1`` and ``2019w1``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

from ihms._layout import FIRST_OBSERVATION
from ihms._listing import first_of
from ihms.errors import InputError

__all__ = [
    "SPSS_ORIGIN",
    "STATA_PERIODS",
    "period_edge",
    "spss_period_formats",
    "spss_periods",
    "stata_clock",
    "stata_count_text",
    "stata_dates",
]

#: A Stata display format of a date or time: ``%td``, ``%-td``, ``%tdDD/NN/CCYY``,
#: ``%tC``..., and ``%d``, Stata 9's day format (its group 1 is then empty).
_STATA_TIME = re.compile(r"^%-?(?:t([a-zA-Z])|d)")
#: The days ending in a leap second (23:59:60), 30 June 1972 to 31 December 2016: the
#: 27 leap seconds of IERS Bulletin C (NIST/IETF ``leap-seconds.list``), which Stata's
#: ``%tC`` counts and ``%tc`` does not (Stata ``help datetime``).
_LEAP_DAYS = (
    "1972-06-30", "1972-12-31", "1973-12-31", "1974-12-31", "1975-12-31", "1976-12-31",
    "1977-12-31", "1978-12-31", "1979-12-31", "1981-06-30", "1982-06-30", "1983-06-30",
    "1985-06-30", "1987-12-31", "1989-12-31", "1990-12-31", "1992-06-30", "1993-06-30",
    "1994-06-30", "1995-12-31", "1997-06-30", "1998-12-31", "2005-12-31", "2008-12-31",
    "2012-06-30", "2015-06-30", "2016-12-31",
)  # fmt: skip
_DAY_MS = 86_400_000
_EPOCH = pd.Timestamp(1960, 1, 1)


def _leap_starts() -> np.ndarray:
    """Where each leap second begins on Stata's ``%tC`` count: midnight after its day
    on the ``%tc`` count, plus the leap seconds before it."""
    ends = [(pd.Timestamp(d) - _EPOCH).days * _DAY_MS + _DAY_MS for d in _LEAP_DAYS]
    return np.array([end + 1000 * k for k, end in enumerate(ends)], dtype=np.int64)


_LEAP_STARTS = _leap_starts()


def stata_clock(count: float, *, leap_seconds: bool = False) -> pd.Timestamp:
    """The moment of a Stata ``%tc`` count (milliseconds since 01jan1960 00:00:00) or,
    with ``leap_seconds``, a ``%tC`` count (which also counts the leap seconds; a
    moment inside one, 23:59:60, is read as 23:59:59.999 of its day).

    Examples
    --------
    >>> stata_clock(1_609_682_400_000)  # Stata's blog: 2pm on 3 January 2011
    Timestamp('2011-01-03 14:00:00')
    >>> stata_clock(1_609_682_400_000 + 24_000, leap_seconds=True)  # 24 leap seconds by then
    Timestamp('2011-01-03 14:00:00')
    """
    ms = np.array([int(count)], dtype=np.int64)
    if leap_seconds:
        ms = _without_leap_seconds(ms)
    return _EPOCH + pd.Timedelta(milliseconds=int(ms[0]))


def _without_leap_seconds(ms: np.ndarray) -> np.ndarray:
    """``%tC`` counts as ``%tc`` ones: the leap seconds passed taken off, a moment inside
    one (23:59:60) made 23:59:59.999 of its day."""
    passed = np.searchsorted(_LEAP_STARTS + 1000, ms, side="right")
    start = _LEAP_STARTS[np.minimum(passed, len(_LEAP_STARTS) - 1)]
    inside = (passed < len(_LEAP_STARTS)) & (ms >= start)
    return np.where(inside, start - 1000 * passed - 1, ms - 1000 * passed)


#: Stata's periods counted from the first of 1960 ([D] Datetime), by the name ihms gives
#: the kind: how many make a year, Stata's letter (``%tq``; ``2019q1`` in itsa's
#: regressor names), the letter between year and period in the text they are read and
#: written as — ``2019Q1`` as growth and ITS read quarters, ``2019H1``, and ``2019w1``,
#: Stata's own week, which is no ISO week (week 1 starts on 1 January, week 52 has 8 or 9
#: days) — and the kind in words. The one table of them (``stats._period_text.PERIODS``
#: adds its readers).
STATA_PERIODS = {
    "quarterly": (4, "q", "Q", "quarters"),
    "half-yearly": (2, "h", "H", "half-years"),
    "weekly": (52, "w", "w", "weeks"),
}
#: The same by Stata's letter: how many make a year and the letter in the text.
_BY_LETTER = {letter: (per_year, shown) for per_year, letter, shown, _ in STATA_PERIODS.values()}
#: SPSS counts a date in seconds from 14 October 1582 00:00, the Gregorian calendar's
#: start (IBM SPSS Statistics, "Date and time").
SPSS_ORIGIN = pd.Timestamp("1582-10-14")


def _stata_counts_as_text(values: pd.Series, kind: str) -> pd.Series:
    """A column of Stata ``kind`` counts from 01jan1960 (``m`` months, ``d`` days, ``c``
    and ``C`` milliseconds, ``q`` quarters, ``h`` halves and ``w`` weeks; a fraction of
    one cut toward zero) as ISO text (:data:`STATA_PERIODS`' text for ``q``, ``h``,
    ``w``), missing as None. numpy's month and day datetimes span Stata's whole range
    (100-9999), which pandas' nanosecond Timestamps do not, and write every year with
    four digits."""
    counts = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(counts)
    whole = np.trunc(np.where(missing, 0, counts)).astype(np.int64)
    if kind in _BY_LETTER:
        cells = _written_once(whole, partial(_period_texts, kind))
    elif kind == "m":
        cells = _written_once(whole, _iso_months)
    elif kind == "d":
        cells = _written_once(whole, _iso_days)
    else:
        if kind == "C":
            whole = _without_leap_seconds(whole)
        days, ms = np.divmod(whole, _DAY_MS)  # floored: before 1960 too
        cells = _written_once(days, _iso_days) + _written_once(ms // 1000, _clock_times)
    cells[missing] = None
    return pd.Series(cells, index=values.index, dtype=object)


def stata_count_text(count: int, kind: str) -> str:
    """One Stata ``kind`` count from 01jan1960 (``m``, ``d``, ``q``, ``h``, ``w``) as
    :func:`_stata_counts_as_text` writes a column of them.

    Examples
    --------
    >>> stata_count_text(673, "m"), stata_count_text(224, "q"), stata_count_text(20454, "d")
    ('2016-02', '2016Q1', '2016-01-01')
    """
    return _stata_counts_as_text(pd.Series([float(count)]), kind).iloc[0]


def _written_once(counts: np.ndarray, write) -> np.ndarray:
    """``write`` applied to each distinct count only (a column holds few distinct
    months, days or seconds of the day), as an object array of ``counts``' length."""
    distinct, position = np.unique(counts, return_inverse=True)
    return np.asarray(write(distinct), dtype=object)[position.reshape(-1)]


def _period_texts(kind: str, counts: np.ndarray) -> list[str]:
    per_year, letter = _BY_LETTER[kind]
    years, within = np.divmod(counts, per_year)  # floored: 1959q4 is -1
    return [
        f"{1960 + y}{letter}{k + 1}" for y, k in zip(years.tolist(), within.tolist(), strict=True)
    ]


def _iso_months(months: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.datetime64("1960-01", "M") + months.astype("m8[M]"))


def _iso_days(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.datetime64("1960-01-01", "D") + days.astype("m8[D]"))


def _clock_times(seconds: np.ndarray) -> list[str]:
    hours, rest = np.divmod(seconds, 3600)
    minutes, secs = np.divmod(rest, 60)
    return [
        f" {h:02d}:{m:02d}:{s:02d}"
        for h, m, s in zip(hours.tolist(), minutes.tolist(), secs.tolist(), strict=True)
    ]


def stata_dates(frame, formats: dict, *, times: bool = False):
    """Stata's time formats as the CSV reader would give them: ``%tm`` months as
    ``YYYY-MM``, ``%ty`` years as the year, ``%td`` days (``%d`` in Stata 9) as ISO
    dates, ``%tq`` quarters, ``%th`` halves and ``%tw`` weeks as ``2019Q1``, ``2019H1``
    and ``2019w1`` (:data:`STATA_PERIODS`), and with ``times`` ``%tc`` date-times (what
    pandas' ``to_stata`` writes for a datetime column) and ``%tC`` ones
    (:func:`stata_clock`) as ISO date-times. ``%tc``/``%tC`` without ``times`` are
    ISO days when every moment is a midnight (:func:`_midnights`), else keep Stata's
    own count; a business-calendar date (``%tb``) is refused
    (:func:`_business_calendar`). Whole columns at once (:func:`_stata_counts_as_text`)."""
    frame = frame.copy()
    for col, fmt in formats.items():
        values = frame[col]
        found = _STATA_TIME.match(str(fmt))
        if not found or not pd.api.types.is_numeric_dtype(values):
            continue
        kind = found.group(1) or "d"
        if kind == "b":
            _business_calendar(col, str(fmt))
        if kind in "mdqhw" or (kind in "cC" and times):
            frame[col] = _stata_counts_as_text(values, kind)
        elif kind in "cC" and (days := _midnights(values, kind)) is not None:
            frame[col] = _stata_counts_as_text(days, "d")
    return frame


def _midnights(values: pd.Series, kind: str) -> pd.Series | None:
    """A ``%tc`` (``%tC``) column's days, when every one of its moments is a midnight
    (what pandas' ``to_stata`` writes for a column of dates), else None: days, as a
    CSV of the same dates reads, not the count of milliseconds."""
    counts = values.dropna().to_numpy(dtype=float)
    if not len(counts) or (counts % 1).any():
        return None
    ms = counts.astype(np.int64)
    if kind == "C":
        ms = _without_leap_seconds(ms)
    if (ms % _DAY_MS).any():
        return None
    days = values.astype(float).copy()
    days[values.notna()] = (ms // _DAY_MS).astype(float)
    return days


#: A Stata business-calendar format, ``%tbNAME`` (``%-tbNAME``, ``%tbNAME:CCYY-NN-DD``).
_BUSINESS = re.compile(r"^%-?tb([A-Za-z_][A-Za-z0-9_]*)?")


def _business_calendar(column: str, fmt: str) -> None:
    """Refuse a ``%tb`` variable (Stata [D] bcal): its values count the business days of
    a calendar defined in its ``.stbcal`` file, which a .dta does not hold, so no day
    can be told from them — read as a number, the count passed for periods."""
    name = _BUSINESS.match(fmt)
    calendar = name.group(1) if name and name.group(1) else "NAME"
    raise InputError(
        f"column {column!r}: a Stata business-calendar date (calendar {calendar}, format "
        f"{fmt}): its values count the calendar's business days, which only its calendar "
        f"file {calendar}.stbcal turns into dates, and the file does not hold it; in "
        f'Stata, generate {column}_day = dofb({column}, "{calendar}"), format '
        f"{column}_day %td, and save the file again"
    )


#: SPSS's formats that show a date by its period (IBM SPSS Statistics, "Date and time
#: formats"): ``QYR`` its quarter (``1 Q 2019``), ``WKYR`` its week (``1 WK 2019``, 7-day
#: blocks from 1 January), and the Stata period letter each is read as.
_SPSS_PERIODS = {"QYR": "q", "WKYR": "w"}


def _stata_count(dates: np.ndarray, letter: str) -> np.ndarray:
    """Stata's count from 1960 of the quarter (``q``) or week (``w``: Stata's ``wofd``,
    week 52 running to 31 December) each day falls in."""
    if letter == "q":
        return (dates.astype("M8[M]").astype(np.int64) + 120) // 3  # months from 1970-01
    years = dates.astype("M8[Y]")
    day_of_year = (dates - years.astype("M8[D]")).astype(np.int64)
    return (years.astype(np.int64) + 10) * 52 + np.minimum(day_of_year // 7, 51)


def _week_53_beside_52(
    column: str, dates: np.ndarray, missing: np.ndarray, units: pd.Series | None, panel: str
) -> None:
    """Refuse a ``WKYR`` column holding, in one year of one unit (``units``: the cells
    of the panel id column ``panel``; None for one series), dates of SPSS's week 53 (31
    December; 30 December too in a leap year) and of its week 52: both lie in Stata's
    week 52, which runs to 31 December, so read as Stata weeks one time point of that
    unit would be there twice. Week 53 alone in its year (of its unit) is Stata's week
    52 (``wofd``), as one unit's week 53 beside another's week 52 is."""
    starts = dates.astype("M8[Y]")
    week = (dates - starts.astype("M8[D]")).astype(np.int64) // 7 + 1  # SPSS's week
    week = np.where(missing, 0, week)
    years = starts.astype(np.int64) + 1970
    unit = np.zeros(len(dates), np.int64) if units is None else pd.factorize(units)[0]
    key = unit * 100_000 + years  # a unit's year (SPSS's years end in 9999)
    both = np.intersect1d(key[week == 53], key[week == 52])
    if not len(both):
        return
    clash = np.isin(key, both)
    rows53 = np.flatnonzero(clash & (week == 53))
    rows52 = np.flatnonzero(clash & (week == 52))
    # observations numbered from 1, as every reader names a .sav file's rows
    listed = first_of([f"{dates[i]} (row {i + FIRST_OBSERVATION})" for i in rows53], 5)
    first_year = int(years[rows53].min())
    rows = "row" if len(rows52) == 1 else "rows"
    where = ""
    if units is not None:
        named = dict.fromkeys(_unit_text(units.iloc[i]) for i in rows53)
        where = f" and {panel} {first_of(list(named), 5)}"
    raise InputError(
        f"column {column!r}: SPSS week 53 (WKYR) {listed} beside week 52 of the same year"
        f"{where} ({rows} {first_of([i + FIRST_OBSERVATION for i in rows52], 5)}): Stata's week 52 runs "
        f"to 31 December, so both are its {first_year}w52, one time point twice; merge "
        "week 53 into week 52 (one row for the week's 8 or 9 days), or write the weeks as "
        f"text, {first_year}w52, each week once"
    )


def _unit_text(value: object) -> str:
    """A unit's id as the message names it: ``'B'``, ``3`` (a whole number without
    ``.0``, as the cells read)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def spss_period_formats(formats: Mapping[str, object]) -> dict[str, str]:
    """The columns of ``formats`` (pyreadstat's ``original_variable_types``) that SPSS
    shows by a period — ``MOYR`` months, ``QYR`` quarters, ``WKYR`` weeks —, with their
    formats."""
    shown = (*_SPSS_PERIODS, "MOYR")
    return {c: str(f) for c, f in formats.items() if str(f).upper().startswith(shown)}


def spss_periods(
    frame: pd.DataFrame, formats: dict, *, panel: str | None = None, records: bool = False
) -> pd.DataFrame:
    """``frame`` with its SPSS ``MOYR`` variables (a date shown by its month) as
    ``2019-01``, as Stata's ``%tm`` (so a monthly series on January, April, July and
    October stays months, not a quarterly one written as days), its ``QYR`` ones (a date
    shown by its quarter; pyreadstat reads them as seconds) as ``2019Q1`` and its ``WKYR`` ones (a date shown
    by its week) as the Stata week the date falls in, ``2019w1``, as growth and ITS read
    periods; missing as None. SPSS's week 53 (31 December; 30 December too in a leap
    year) is in Stata's week 52; beside week 52 of its year it is refused
    (:func:`_week_53_beside_52`), within each unit of a panel when ``panel`` names
    the unit column (not checked when the file has no such column: the reader of the
    table names it missing).

    ``records`` (a table of records, ``ihms data import``): such a column is the days it
    holds (as dates), not periods — SPSS keeps a day whatever format shows it, and a
    record's day in week 53 is no period twice."""
    if records:
        frame = frame.copy()
        for col, fmt in spss_period_formats(formats).items():
            if not fmt.upper().startswith("MOYR"):  # pyreadstat gives MOYR as dates
                seconds = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
                days = np.floor(np.nan_to_num(seconds) / 86_400).astype(np.int64)
                dates = np.datetime64(SPSS_ORIGIN.date(), "D") + days.astype("m8[D]")
                dates[np.isnan(seconds)] = np.datetime64("NaT")
                frame[col] = pd.Series(dates.astype("M8[s]"), index=frame.index)
        return frame
    periodic = {
        column: letter
        for column, fmt in formats.items()
        for prefix, letter in _SPSS_PERIODS.items()
        if str(fmt).upper().startswith(prefix)
    }
    monthly = [c for c, fmt in formats.items() if str(fmt).upper().startswith("MOYR")]
    if not periodic and not monthly:
        return frame
    frame = frame.copy()
    for col in monthly:  # pyreadstat gives the date; read later, it may look like a day
        dates = pd.to_datetime(frame[col], errors="coerce")
        frame[col] = dates.dt.strftime("%Y-%m").astype(object).where(dates.notna(), None)
    for col, letter in periodic.items():
        seconds = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        missing = np.isnan(seconds)
        days = np.floor(np.where(missing, 0, seconds) / 86_400).astype(np.int64)
        dates = np.datetime64(SPSS_ORIGIN.date(), "D") + days.astype("m8[D]")
        if letter == "w" and (panel is None or panel in frame.columns):
            units = None if panel is None else frame[panel]
            _week_53_beside_52(col, dates, missing, units, str(panel))
        cells = _written_once(_stata_count(dates, letter), partial(_period_texts, letter))
        cells[missing] = None
        frame[col] = pd.Series(cells, index=frame.index, dtype=object)
    return frame


def period_edge(day: dt.date, *, months: int = 3) -> str | None:
    """``"first"`` if ``day`` opens a period of ``months`` months counted from January
    (3: a quarter; 12: a year), ``"last"`` if it closes one, else None: the one test of
    a quarter's (or year's) first or last day, which
    :func:`ihms.stats._period_text.quarter_of_day` and the ITS reading of days as
    quarters or years share.

    Examples
    --------
    >>> period_edge(dt.date(2019, 4, 1)), period_edge(dt.date(2019, 6, 30))
    ('first', 'last')
    >>> period_edge(dt.date(2019, 5, 1)), period_edge(dt.date(2019, 4, 1), months=12)
    (None, None)
    """
    if day.day == 1 and day.month % months == 1 % months:
        return "first"
    if day.month % months == 0 and (day + dt.timedelta(days=1)).day == 1:
        return "last"
    return None
