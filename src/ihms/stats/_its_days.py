"""A time column of days that each open or close a quarter or a year, read as quarters
or years.

Excel users and pandas' ``PeriodIndex.to_timestamp()`` write a quarterly series as its
quarters' first days (``2016-01-01``, ``2016-04-01``, ...), pandas' ``resample("QE")``
and Excel's ``EOMONTH`` as their last days; a yearly one as 1 January (or 31
December). The time reader takes a date as the month it falls in, and the series then
has gaps (no 2016-02, 2016-03). :func:`periods_of_days` reads the column as quarters
(or years) instead when *every* date is a quarter's first day (or every one its last
day; a time of day dropped, with a note) and, as months, the series would have gaps,
as growth tables read such a day (:func:`~ihms.stats._period_text.quarter_of_day`); consecutive months written as
their first days stay months (:func:`month_days` notes which day they are). The
axis remembers which day was written, so predictions are written back so (:meth:`~ihms.stats._its_time.TimeAxis.written`) and
an interruption may be given as that day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Literal

from ihms._listing import first_of
from ihms.stats._period_text import day_of, period_edge, time_of_day

__all__ = [
    "Day",
    "day_code",
    "day_example",
    "month_days",
    "mostly_quarter_days",
    "periods_of_days",
    "reading_note",
]

Day = Literal["first", "last"]

#: What the days of each reading are, in the note and the hint.
_WHAT = {
    ("quarterly", "first"): "a quarter's first day",
    ("quarterly", "last"): "a quarter's last day",
    ("integer", "first"): "1 January",
    ("integer", "last"): "31 December",
}
_WHAT_ZH = {
    ("quarterly", "first"): "季度的第一天",
    ("quarterly", "last"): "季度的最后一天",
    ("integer", "first"): "1 月 1 日",
    ("integer", "last"): "12 月 31 日",
}

#: Months in each period a day may open or close.
_MONTHS = {"integer": 12, "quarterly": 3, "monthly": 1}


def day_example(kind: str, which: Day) -> str:
    """What an interruption may be besides the period itself, on an axis read from
    ``which`` days: ``or its first day, 2017-07-01``."""
    year = {"first": "2017-01-01", "last": "2017-12-31"}[which]
    quarter = {"first": "2017-07-01", "last": "2017-09-30"}[which]
    month = {"first": "2017-07-01", "last": "2017-07-31"}[which]
    example = {"integer": year, "monthly": month}.get(kind, quarter)
    return f" or its {which} day, {example}"


def _opens(day: dt.date, kind: str, which: Day) -> bool:
    """Whether ``day`` is the first (or last) day of a quarter (or, for ``integer``, a
    year; for ``monthly``, a month)."""
    return period_edge(day, months=_MONTHS[kind]) == which


def day_code(value: Any, kind: str, which: Day) -> int | None:
    """The Stata code of the quarter (``%tq``), month (``%tm``) or the year a date opens
    or closes (``which``), else None."""
    day = day_of(value)
    if day is None or not _opens(day, kind, which):
        return None
    if kind == "integer":
        return day.year
    if kind == "monthly":
        return (day.year - 1960) * 12 + day.month - 1
    return (day.year - 1960) * 4 + (day.month - 1) // 3


def periods_of_days(
    values: Sequence[Any], months: Sequence[int]
) -> tuple[str, Day, list[int]] | None:
    """``(kind, day, codes)``: the distinct cells ``values`` of a column read as months
    (``months``, their ``%tm`` codes), read as years (``"integer"``) or quarters
    (``"quarterly"``) when every one is a date on the ``day`` (``"first"`` or
    ``"last"``) of one, and the months have gaps; else None."""
    distinct = sorted(set(months))
    if len(distinct) < 2 or distinct[-1] - distinct[0] + 1 == len(distinct):
        return None  # consecutive months are months
    for kind in ("integer", "quarterly"):
        for which in ("first", "last"):
            codes = [day_code(v, kind, which) for v in values]
            if all(c is not None for c in codes):
                return kind, which, codes  # type: ignore[return-value]
    return None


def month_days(values: Sequence[Any]) -> Day | None:
    """``"first"`` (or ``"last"``) when every one of the cells ``values`` of a column read
    as months is a date on its month's first (or every one on its last) day, as Excel
    and pandas write a monthly series, so predictions are written back as those dates;
    else None (months written ``2016-01``, days of both kinds, or dates with a time of
    day, which are written back as their months rather than as midnight)."""
    days = [day_of(v) for v in values]
    if not days or any(d is None for d in days) or any(map(time_of_day, values)):
        return None
    for which in ("first", "last"):
        if all(_opens(d, "monthly", which) for d in days):  # type: ignore[arg-type]
            return which  # type: ignore[return-value]
    return None


def reading_note(axis: Any, column: str, times: Sequence[int], *, lang: str = "en") -> str | None:
    """The note that says a column of days was read as quarters or years (``axis``, a
    :class:`~ihms.stats._its_time.TimeAxis`, with its ``day``), naming its first two
    time points ``times``, and the time of day its dates carried when it dropped one
    (``axis.dropped``); None for any other column (months written as days are months,
    as they read). In Chinese with ``lang="zh"`` (the warning's ``zh``)."""
    if axis.day is None or axis.kind == "monthly":
        return None
    periods = "quarters" if axis.kind == "quarterly" else "years"
    sep = "、" if lang == "zh" else ", "  # beside the zh note's full-width punctuation
    days = sep.join(str(axis.written(t).date()) for t in times[:2])
    shown = sep.join(axis.display(t) for t in times[:2])
    month = str(axis.written(times[0]).date())[:7]
    if lang == "zh":
        period = "季度" if axis.kind == "quarterly" else "年"
        note = (
            f"列 '{column}'：每个日期都是{_WHAT_ZH[axis.kind, axis.day]}（{days}，…），故该列按"
            f"{period}读入（{shown}，…）：按月读入则序列有缺口；若每个日期只代表其所在月份，"
            f"请把时间写成月份（{month}），缺失的月份即会报出"
        )
        timed = re.search(r"\((.*)\) is dropped", axis.dropped or "")
        # the times as the English lists them ("a, b, ..."), joined with 、 here
        listed = timed[1].replace(", ...", "、…").replace(", ", sep) if timed else ""
        return note + (
            f"；日期所带的时刻（{listed}）已舍去：日期本身即说明所属{period}" if timed else ""
        )
    note = (
        f"column '{column}': every date is {_WHAT[axis.kind, axis.day]} ({days}, ...), so "
        f"the column is read as {periods} ({shown}, ...): read as months, the series would "
        "have gaps; if each date stands for its month alone, write the time as months "
        f"({month}) and the missing months are reported instead"
    )
    return note + (f"; {axis.dropped}" if axis.dropped else "")


def mostly_quarter_days(values: Sequence[Any]) -> str:
    """A hint for a column of dates whose months have gaps, when most of its distinct
    dates (but not all) are a quarter's first day (or most its last day): a quarterly
    series with a few dates written otherwise. Empty otherwise."""
    days = sorted({d for d in map(day_of, values) if d is not None})
    for which in ("first", "last"):
        odd = [d for d in days if not _opens(d, "quarterly", which)]
        if odd and 2 * len(odd) < len(days):
            listed = first_of([str(d) for d in odd], 5)
            verb = "is" if len(odd) == 1 else "are"
            return (
                f"; {len(days) - len(odd)} of the {len(days)} dates are "
                f"{_WHAT['quarterly', which]} but {listed} {verb} not: if the series is "
                f"quarterly, write every date as {_WHAT['quarterly', which]} (or as 2016Q1) "
                "and it is read as quarters"
            )
    return ""
