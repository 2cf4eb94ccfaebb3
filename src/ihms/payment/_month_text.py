"""A month as a county's tables write it: ``2018-06``, and the forms Chinese Excel
gives (``2018年6月``, ``2018年06月``, ``2018/6``, ``2018/06``, and a date cell saved as
text, ``2018/6/1`` or ``2018-06-01``, on the first day of its month). A date on another
day is refused rather than read as its month: in a month column it is more likely a
claim's or an encounter's date than the month a figure is for."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["MONTH_FORMS", "month_hint", "read_month"]

#: The forms :func:`read_month` reads, for error messages.
MONTH_FORMS = "2018-06, 2018年6月, 2018/6 or 2018/6/1 (a date on the first day of the month)"

_FORMS = tuple(
    re.compile(p + r"(?:\s+00:00(?::00)?)?")
    for p in (
        r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?",
        r"(\d{4})/(\d{1,2})(?:/(\d{1,2}))?",
        r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?",
    )
)


def read_month(value: object) -> tuple[int, int]:
    """``(year, month)`` of a month cell or option; ValueError naming the forms read.

    Examples
    --------
    >>> read_month("2018-06"), read_month("2018年6月"), read_month("2018/6/1")
    ((2018, 6), (2018, 6), (2018, 6))
    >>> read_month("2018/6/15")
    Traceback (most recent call last):
    ...
    ValueError: '2018/6/15' is a date on day 15, not a month: expected a month written 2018-06, 2018年6月, 2018/6 or 2018/6/1 (a date on the first day of the month)
    """
    if isinstance(value, datetime | date):
        day, year, month = value.day, value.year, value.month
    else:
        text = str(value).strip()
        m = next((m for f in _FORMS if (m := f.fullmatch(text)) is not None), None)
        if m is None or not 1 <= int(m[2]) <= 12:
            raise ValueError(f"expected a month written {MONTH_FORMS}, got {text!r}")
        year, month = int(m[1]), int(m[2])
        day = int(m[3]) if m[3] is not None else 1
    if day != 1:
        raise ValueError(
            f"{str(value)!r} is a date on day {day}, not a month: expected a month written "
            f"{MONTH_FORMS}"
        )
    return year, month


def month_hint(value: object) -> str:
    """What is wrong with a month cell :func:`read_month` refuses, beyond its form: a
    date on a day other than the first (``""`` otherwise)."""
    try:
        read_month(value)
    except ValueError as exc:
        if (m := re.search(r"is a date on day (\d+)", str(exc))) is not None:
            return f" (a date on day {m[1]}: a date is read as its month only on day 1)"
    return ""
