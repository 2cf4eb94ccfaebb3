"""Dates saved without their date format: the numbers Excel, Stata and SPSS keep for a
date, and the words that name them and say how to give the column its format back.

One table (:data:`DAY_COUNTS`) holds how each program counts a date and the command
that formats it; the statistics tables' hints (:func:`date_count_hint`,
:func:`day_count_hint`: growth and ITS) and the data import's reason
(:func:`date_count_reason`, through ``data._coerce.placeholder_reason``) both read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._stat_dates import STATA_PERIODS, stata_count_text
from ihms.stats._cells import normal_text
from ihms.stats._plain import is_missing

__all__ = [
    "DAY_COUNTS",
    "date_count_hint",
    "date_count_reason",
    "day_count_hint",
    "excel_day",
    "package_of",
    "spss_seconds",
    "stata_day",
]

#: What a column is told to become: a date variable, or a quarter variable (Stata's
#: quarter is a count of its own: ``qofd``, ``%tq``).
_DATE_FORMAT = "give the variable a date format"
_QUARTER_VARIABLE = "make it a quarter variable"


@dataclass(frozen=True)
class DayCount:
    """How a program keeps a date whose format was lost: ``name`` in messages, counting
    ``unit`` (``per_day`` of them a day) from ``origin``, the counts of 1970-2099
    (``low``-``high``; below, a year such as 2016 is not taken for a date), and by what
    the column should be (``"date"``, ``"moment"``, ``"month"``, ``"quarter"``) the
    words and the command that give it its format (``{column}`` in the command)."""

    name: str
    origin: str
    unit: str
    per_day: int
    low: int
    high: int
    formats: dict[str, tuple[str, str]]

    @property
    def counting(self) -> str:
        """``"days from 1960-01-01"``."""
        return f"{self.unit} from {self.origin}"

    def advice(self, kind: str, column: str) -> str:
        """``give the variable a date format (format month %td)``; ``""`` when the program
        has no command (Excel's formats are set in a dialog)."""
        if kind not in self.formats:
            return ""
        words, command = self.formats[kind]
        return f"{words} ({command.format(column=column)})"


#: Stata ``help datetime`` (``td(01jan1960)`` is 0); IBM SPSS Statistics "Date and time
#: formats" (seconds from 1582-10-14, the Gregorian calendar's start; MOYR shows a date as
#: its month, QYR as its quarter); Excel's serials count from 1899-12-30 (its 1900 leap
#: day aside). By :func:`package_of`'s name of the program that wrote the file.
DAY_COUNTS = {
    "": DayCount("Excel's day number", "1899-12-30", "days", 1, 20_000, 80_000, {}),
    "Stata": DayCount(
        "Stata's day count", "1960-01-01", "days", 1, 3_653, 51_134,
        {
            "date": (_DATE_FORMAT, "format {column} %td"),
            "month": (_DATE_FORMAT, "format {column} %td"),
            "quarter": (
                _QUARTER_VARIABLE, "replace {column} = qofd({column}) then format {column} %tq"
            ),
        },
    ),
    "SPSS": DayCount(
        "SPSS's seconds from 1582-10-14", "1582-10-14", "seconds", 86_400,
        12_219_379_200, 16_321_823_999,
        {
            "date": (_DATE_FORMAT, "FORMATS {column} (DATE11)."),
            "moment": (_DATE_FORMAT, "FORMATS {column} (DATETIME20)."),
            "month": (_DATE_FORMAT, "FORMATS {column} (MOYR8)."),
            "quarter": (_DATE_FORMAT, "FORMATS {column} (QYR8)."),
        },
    ),
}  # fmt: skip


def _whole_days(value: Any, low: int, high: int) -> int | None:
    """``value`` as a whole number in ``low``-``high`` (``45292``, ``45292.0``), else None
    (a count of days, or of SPSS's seconds)."""
    if isinstance(value, bool) or is_missing(value):
        return None
    text = normal_text(value)
    text = text[:-2] if text.endswith(".0") else text
    if not re.fullmatch(r"[0-9]+", text) or not low <= int(text) <= high:
        return None
    return int(text)


def _counted(value: Any, package: str) -> tuple[int, pd.Timestamp] | None:
    """``value`` as ``package``'s count of a date and the moment it stands for, else
    None."""
    count = DAY_COUNTS[package]
    found = _whole_days(value, count.low, count.high)
    if found is None:
        return None
    return found, pd.Timestamp(count.origin) + pd.Timedelta(**{count.unit: found})


def _moment(value: Any, package: str) -> pd.Timestamp | None:
    """The moment ``value`` stands for as ``package`` counts dates, else None."""
    counted = _counted(value, package)
    return None if counted is None else counted[1]


def excel_day(value: Any) -> pd.Timestamp | None:
    """The day an Excel day serial stands for, when ``value`` is a whole number of days
    in 20,000-80,000 (1954-10-03 to 2119-01-09, the range of dates in health data), else
    None: a date column saved without its date format holds these numbers. As pandas
    and openpyxl do, a number is a date only where the workbook formats it as one; this
    only names it.

    Examples
    --------
    >>> excel_day("45292"), excel_day(45292.0), excel_day("2024")
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-01-01 00:00:00'), None)
    """
    return _moment(value, "")


def stata_day(value: Any) -> pd.Timestamp | None:
    """The day a Stata day count stands for, when ``value`` is a whole number of days
    from 1960-01-01 in 3,653-51,134 (1970-01-01 to 2099-12-31; below, a year such as
    2016 is not taken for a day), else None: a Stata date variable without its ``%td``
    display format holds these numbers (Stata ``help datetime``: ``td(01jan1960)`` is 0).

    Examples
    --------
    >>> stata_day("20514"), stata_day(20514.0), stata_day("2016")
    (Timestamp('2016-03-01 00:00:00'), Timestamp('2016-03-01 00:00:00'), None)
    """
    return _moment(value, "Stata")


def spss_seconds(value: Any) -> pd.Timestamp | None:
    """The moment an SPSS date count stands for, when ``value`` is a whole number of
    seconds from 1582-10-14 in 12,219,379,200-16,321,823,999 (1970-01-01 to the end of
    2099-12-31), else None: an SPSS date variable whose date format was lost (a numeric
    ``F`` format) holds these numbers.

    Examples
    --------
    >>> spss_seconds("13676169600"), spss_seconds(13676169600.0), spss_seconds("20514")
    (Timestamp('2016-03-01 00:00:00'), Timestamp('2016-03-01 00:00:00'), None)
    """
    return _moment(value, "SPSS")


def package_of(source: Any) -> str:
    """The statistics package that wrote ``source`` (a file name or path): ``"Stata"``
    for a ``.dta``, ``"SPSS"`` for a ``.sav``, else ``""``: a date variable that lost its
    format holds that package's count, named in messages by it, not as Excel's.

    Examples
    --------
    >>> package_of("series.DTA"), package_of("survey.sav"), package_of("g.csv"), package_of(None)
    ('Stata', 'SPSS', '', '')
    """
    suffix = str(source or "").lower().rpartition(".")[2]
    return {"dta": "Stata", "sav": "SPSS"}.get(suffix, "")


def date_count_reason(cell: Any, package: str, column: str) -> str | None:
    """Why the data import refuses a date cell that holds ``package``'s count of a date
    (a date column saved without its format), with the command that formats the
    variable ``column``; else None.

    Examples
    --------
    >>> print(date_count_reason("20514", "Stata", "date"))
    looks like a Stata day count without a %td format (20514 = 2016-03-01, counting days from 1960-01-01); give the variable a date format in Stata (format date %td) and save the file again
    >>> print(date_count_reason("43105", "", "date"))
    looks like an Excel day serial (43105 = 2018-01-05): the column lost its date format; format the column as a date or give ISO dates (2024-01-01)
    """
    moment = _moment(cell, package)
    if moment is None and package == "SPSS":
        # SPSS's seconds are far above Excel's serials, so a number in Excel's range is
        # named as Excel's; Stata's days overlap them and are named as Stata's only
        package, moment = "", _moment(cell, "")
    if moment is None:
        return None
    shown = normal_text(cell).removesuffix(".0")
    if not package:
        return (
            f"looks like an Excel day serial ({shown} = {moment:%Y-%m-%d}): the column lost "
            "its date format; format the column as a date or give ISO dates (2024-01-01)"
        )
    count = DAY_COUNTS[package]
    whole_day = moment == moment.normalize()
    what = (
        "a Stata day count without a %td format"
        if package == "Stata"
        else "an SPSS date without a date format"
    )
    words, command = count.formats["date" if whole_day else "moment"]
    return (
        f"looks like {what} ({shown} = {moment:%Y-%m-%d}"
        f"{'' if whole_day else f'{moment: %H:%M:%S}'}, counting {count.counting}); "
        f"{words} in {package} ({command.format(column=column or 'varname')}) and save the "
        "file again"
    )


#: Stata's own counts of months and quarters from 1960 (``%tm``: 1970m1 is 120;
#: ``%tq``: 1970q1 is 40): how many make a year and Stata's letter
#: (:data:`~ihms._stat_dates.STATA_PERIODS`), a month or quarter variable that lost only
#: its format.
_STATA_COUNTS = {"month": (12, "m"), "quarter": STATA_PERIODS["quarterly"][:2]}


def _period_text(months: int, kind: str) -> str:
    """The ``kind`` a month count from 1960m1 falls in, as growth and ITS read it
    (``2016-02``, ``2016Q1``)."""
    per_year, letter = _STATA_COUNTS[kind]
    return stata_count_text(months * per_year // 12, letter)


def date_count_hint(value: Any, package: str, column: str, kind: str = "month") -> str:
    """Words for a ``kind`` (``"month"`` or ``"quarter"``) cell that holds a date as the
    program that wrote the file (``package``, :func:`package_of`) counts it — days
    (Excel from 1899-12-30, Stata from 1960-01-01) or SPSS's seconds from 1582-10-14, or
    Stata's own count of months or quarters — naming the period and the format that
    makes the column read as ``kind``; else ``""``. A date column saved without its
    format holds these numbers.

    Examples
    --------
    >>> date_count_hint(20485, "Stata", "month")
    " (20485 looks like Stata's day count for 2016-02-01, days from 1960-01-01: give the variable a date format (format month %td), or write the months as 2016-02)"
    >>> date_count_hint(224, "Stata", "quarter", "quarter")
    " (224 looks like Stata's quarter count for 2016Q1, quarters from 1960q1: give the variable its quarter format (format quarter %tq), or write the quarters as 2016Q1)"
    """
    if kind not in _STATA_COUNTS:
        return ""
    count = DAY_COUNTS[package]
    counted = _counted(value, package)
    per_year, letter = _STATA_COUNTS[kind]
    if counted is not None:
        number, day = counted
        text = _period_text((day.year - 1960) * 12 + day.month - 1, kind)
        shown = f"{number} looks like {count.name} for {day:%Y-%m-%d}"
        advice = count.advice(kind, column)
        if package == "Stata":  # SPSS's name says what it counts; Excel's is known
            advice = f", {count.counting}: {advice}"
        elif advice or kind == "month":
            advice = f": {advice or 'format the column as dates'}"
    elif package == "Stata" and (
        stata := _whole_days(value, 10 * per_year, 140 * per_year - 1)  # 1970-2099
    ):
        text = stata_count_text(stata, letter)
        shown = f"{stata} looks like Stata's {kind} count for {text}"
        advice = (
            f", {kind}s from 1960{letter}1: give the variable its {kind} format "
            f"(format {column} %t{letter})"
        )
    else:
        return ""
    written = f"write the {kind}s as {text}"
    return f" ({shown}{advice}, or {written})" if advice else f" ({shown}: {written})"


def day_count_hint(times: list[int], package: str, column: str) -> str:
    """A note for integer time points (ascending) a month apart that count days (or
    SPSS's seconds) as the program that wrote the file (``package``,
    :func:`package_of`) stores a date: a date column saved without its date format
    reads as gaps of a month's days (ITS's missing time points). Excel's 42401 is 1
    February 2016, and so are Stata's 20485 and SPSS's 13,673,664,000. The words are
    :func:`date_count_hint`'s for the first.

    Examples
    --------
    >>> day_count_hint([20485, 20514], "Stata", "month")
    " (20485 looks like Stata's day count for 2016-02-01, days from 1960-01-01: give the variable a date format (format month %td), or write the months as 2016-02)"
    """
    count = DAY_COUNTS[package]
    if len(times) < 2:
        return ""
    steps = {step / count.per_day for step in np.diff(times).tolist()}
    if not (times[0] >= count.low and times[-1] <= count.high and steps <= {28, 29, 30, 31}):
        return ""
    return date_count_hint(times[0], package, column)
