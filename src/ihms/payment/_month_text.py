"""A month as a county's tables and an analyst's options write it, read as ``its``,
``growth`` and ``ihms sim --reform`` read one (:func:`ihms._months.month_and_day`, the
one reader): ``2018-06``, ``2018/6``, ``2018.06``, ``2018m6`` (Stata), ``2018年6月``,
``Jun 2018`` (Excel), ``201806`` (YYYYMM), full-width digits, and a date. In a table's
month column a date on any day is read as its month (``any_day=True``: an insurer's or
an accounts' export stamps a month by its last day, and the evaluation readers read a
date there the same way), and ``2018.1`` beside ``2018.09`` is Excel's October (the
column is read through :func:`ihms._months.excel_octobers` first, as ``its`` reads a
column); an option naming a month (``--through``) takes a date on the first day only,
as a later day would say less than the whole month."""

from __future__ import annotations

from ihms._months import month_and_day

__all__ = ["COLUMN_FORMS", "MONTH_FORMS", "read_month"]

_WRITTEN = "2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, Jun 2018, 201806"
#: The forms :func:`read_month` reads, for error messages.
MONTH_FORMS = f"{_WRITTEN} or 2018/6/1 (a date on the first day of the month)"
#: The forms a table's month column reads (``any_day=True``).
COLUMN_FORMS = f"{_WRITTEN} or a date in the month (2018/6/30)"


def read_month(value: object, *, any_day: bool = False) -> tuple[int, int]:
    """``(year, month)`` of a month cell or option; ValueError naming the forms read. A
    date is read as its month on day 1, or on any day with ``any_day`` (a table's
    column, where a whole number such as ``201806.0`` is read as the integer it is).

    Examples
    --------
    >>> read_month("2018-06"), read_month("2018m6"), read_month("201806")
    ((2018, 6), (2018, 6), (2018, 6))
    >>> read_month("2018/6/15")
    Traceback (most recent call last):
    ...
    ValueError: '2018/6/15' is a date on day 15, not a month: expected a month written 2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, Jun 2018, 201806 or 2018/6/1 (a date on the first day of the month)
    >>> read_month("2017-02-28", any_day=True)
    (2017, 2)
    """
    if any_day and isinstance(value, float) and value.is_integer():
        value = int(value)  # a column of YYYYMM numbers with an empty cell holds floats
    found = month_and_day(value)
    if found is None:
        forms = COLUMN_FORMS if any_day else MONTH_FORMS
        raise ValueError(f"expected a month written {forms}, got {str(value).strip()!r}")
    year, month, day = found
    if day not in (None, 1) and not any_day:
        raise ValueError(
            f"{str(value)!r} is a date on day {day}, not a month: expected a month written "
            f"{MONTH_FORMS}"
        )
    return year, month
