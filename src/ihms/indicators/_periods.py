"""The periods indicators are counted over: ``yyyymm`` or ``yyyy`` keys of a dataset's
period, their labels, and the days of each inside the period."""

from __future__ import annotations

import calendar
from datetime import date

from ihms.data.dataset import Period

__all__ = ["days_in", "period_keys", "period_label"]


def period_keys(period: Period, kind: str) -> list[int]:
    """Integer keys (``yyyymm`` or ``yyyy``) of every month or year of ``period``.

    Parameters
    ----------
    period : Period
        The dataset's period (start and end dates).
    kind : str
        ``"year"`` for ``yyyy`` keys; anything else (``"month"``) gives ``yyyymm`` keys.
    """
    if kind == "year":
        return list(period.years)
    keys = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        keys.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


def period_label(key: int, kind: str) -> str:
    """``2017-10`` for a month key, ``2017`` for a year key."""
    return f"{key // 100}-{key % 100:02d}" if kind == "month" else str(key)


def days_in(key: int, kind: str, period: Period) -> int:
    """Days of the month or year ``key`` that lie inside ``period``."""
    if kind == "year":
        first, last = date(key, 1, 1), date(key, 12, 31)
    else:
        y, m = divmod(key, 100)
        first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    first, last = max(first, period.start), min(last, period.end)
    return max((last - first).days + 1, 0)
