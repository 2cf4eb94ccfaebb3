"""A month as a county's tables write it: ``2018-06``, and the forms Chinese Excel
gives (``2018年6月``, ``2018年06月``, ``2018/6``, ``2018/06``, and a date, ``2018/6/1``
or ``2018-06-01``). In a table's month column a date on any day is read as its month
(``any_day=True``: an insurer's or an accounts' export stamps a month by its last day,
and the evaluation readers read a date there the same way); an option naming a month
(``--through``, ``--reform``) takes a date on the first day only, as a later day would
say less than the whole month."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["COLUMN_FORMS", "MONTH_FORMS", "read_month"]

#: The forms :func:`read_month` reads, for error messages.
MONTH_FORMS = "2018-06, 2018年6月, 2018/6 or 2018/6/1 (a date on the first day of the month)"
#: The forms a table's month column reads (``any_day=True``).
COLUMN_FORMS = "2018-06, 2018年6月 or 2018/6, or a date in the month (2018/6/30)"

_FORMS = tuple(
    re.compile(p + r"(?:\s+00:00(?::00)?)?")
    for p in (
        r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?",
        r"(\d{4})/(\d{1,2})(?:/(\d{1,2}))?",
        r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?",
    )
)


def read_month(value: object, *, any_day: bool = False) -> tuple[int, int]:
    """``(year, month)`` of a month cell or option; ValueError naming the forms read. A
    date is read as its month on day 1, or on any day with ``any_day``.

    Examples
    --------
    >>> read_month("2018-06"), read_month("2018年6月"), read_month("2018/6/1")
    ((2018, 6), (2018, 6), (2018, 6))
    >>> read_month("2018/6/15")
    Traceback (most recent call last):
    ...
    ValueError: '2018/6/15' is a date on day 15, not a month: expected a month written 2018-06, 2018年6月, 2018/6 or 2018/6/1 (a date on the first day of the month)
    >>> read_month("2017-02-28", any_day=True)
    (2017, 2)
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
    if day != 1 and not any_day:
        raise ValueError(
            f"{str(value)!r} is a date on day {day}, not a month: expected a month written "
            f"{MONTH_FORMS}"
        )
    return year, month
