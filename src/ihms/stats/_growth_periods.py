"""Periods and value cells of growth tables: years, quarters and months as ordinals.

A period becomes an integer key — the year itself, ``4 * year + quarter - 1`` or
``12 * year + month - 1`` — so the same period a year before is ``key - per_year`` and
the previous period ``key - 1``; a lag never reaches further back than that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np

from ihms._months import month_of
from ihms.stats._cells import normal_text, read_value
from ihms.stats._period_text import half_of, quarter_of, quarter_of_day, week_of
from ihms.stats._plain import is_missing

__all__ = [
    "EXAMPLE",
    "FREQUENCIES",
    "PER_YEAR",
    "Frequency",
    "period_key",
    "period_kind",
    "period_label",
    "points_cell",
    "rate_cell",
    "read_value",
    "value_cell",
    "value_cells",
]

Frequency = Literal["year", "quarter", "month"]
FREQUENCIES: tuple[str, ...] = ("year", "quarter", "month")
PER_YEAR = {"year": 1, "quarter": 4, "month": 12}
EXAMPLE = {
    "year": "a whole year such as 2019",
    "quarter": "a quarter such as 2019Q1 or 2019年第一季度",
    "month": "a month such as 2019-03, 2019年3月 or a date within it (2019/3/1)",
}
_YEAR = re.compile(
    r"^(\d{4})(?:\.0+)?\s*年?$", re.ASCII
)  # 2019, 2019年, and 2019.0 as a CSV writes it


def _year_key(value: Any) -> int | None:
    """A four-digit year (201903 is a month written without its dash, not a year)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value) if 1000 <= value <= 9999 else None
    if isinstance(value, (float, np.floating)):
        whole = float(value).is_integer() and 1000 <= value <= 9999
        return int(value) if whole else None
    match = _YEAR.match(normal_text(value))
    return int(match.group(1)) if match else None


def _quarter_key(value: Any) -> int | None:
    """A quarter (``2019Q1``, ``2019年第一季度``) or a date on its first or last day
    (:func:`quarter_of_day`: ``2019-01-01``, ``2019-03-31``)."""
    quarter = quarter_of(value) or quarter_of_day(value)
    return None if quarter is None else 4 * quarter[0] + quarter[1] - 1


def _month_key(value: Any) -> int | None:
    """A month as interrupted time series read it (:func:`month_of`): ``2019-03``,
    ``2019年3月``, a date within the month (``2019/3/1``), ``Mar 2019``."""
    month = month_of(value)
    return None if month is None else 12 * month[0] + month[1] - 1


_KEYS = {"year": _year_key, "quarter": _quarter_key, "month": _month_key}


def period_key(value: Any, frequency: Frequency) -> int | None:
    """The ordinal of a period cell, or None when it is not a period of ``frequency``.

    Examples
    --------
    >>> period_key("2021年第一季度", "quarter") == period_key("2021Q1", "quarter") == 8084
    True
    >>> period_key("2019-03", "month") - period_key("2018-03", "month")
    12
    """
    if is_missing(value) or isinstance(value, bool):
        return None
    return _KEYS[frequency](value)


def period_kind(value: Any) -> str | None:
    """Which kind of period a cell is (``"quarter"`` for ``2019Q1``), to name a table
    that mixes kinds, or a kind growth does not read (``"half-year"`` for ``2019H1``,
    ``"week"`` for Stata's ``2019w1``); None when it is none of them."""
    # a month first: a quarter's first day is a month's too, named "a month or a date"
    for kind in ("month", "quarter", "year"):
        if period_key(value, kind) is not None:  # type: ignore[arg-type]
            return kind
    if is_missing(value):
        return None
    # periods growth does not compare, named so (a Stata %th or %tw variable)
    if half_of(value) is not None:
        return "half-year"
    return "week" if week_of(value) is not None else None


def period_label(key: int, frequency: Frequency) -> int | str:
    """A period as tables show it: ``2019``, ``2019Q1`` or ``2019-03``."""
    if frequency == "year":
        return key
    if frequency == "quarter":
        return f"{key // 4}Q{key % 4 + 1}"
    return f"{key // 12}-{key % 12 + 1:02d}"


def value_cell(value: float) -> str:
    """A level as tables print it: a large whole one with separators (1,367,480), others
    to two decimals (17.13, 12,309.50), small magnitudes (a rate given as a fraction) to
    four significant digits."""
    if abs(value) >= 10_000 and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.4g}"


def value_cells(values: Iterable[Any]) -> Callable[[float], str]:
    """One format for a column of levels, so its cells read alike: whole with separators
    when every value is whole (counts: 2,674 above 12,309), else :func:`value_cell`."""
    present = [float(v) for v in values if not is_missing(v)]
    if all(v.is_integer() for v in present):
        return "{:,.0f}".format
    return value_cell


def rate_cell(value: float, *, signed: bool = True) -> str:
    """A growth in per cent with its sign (+3.8%, -1.2%; without ``signed`` a rate as
    such, 3.8%); one that rounds to zero is 0.0%, not -0.0% (a -0.02 % change)."""
    text = f"{value:+.1%}" if signed else f"{value:.1%}"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text


def points_cell(points: float) -> str:
    """A change in percentage points with its sign (+1.2 pp); 0.0 pp, not -0.0 pp."""
    text = f"{points:+.1f}"
    return "0.0 pp" if text in ("+0.0", "-0.0") else f"{text} pp"
