"""A month as a county's tables and an analyst's options write it, read as ``its``,
``growth`` and ``ihms sim --reform`` read one (:func:`ihms._months.month_and_day`, the
one reader): ``2018-06``, ``2018/6``, ``2018.06``, ``2018m6`` (Stata), ``2018年6月``,
``Jun 2018`` (Excel), ``201806`` (YYYYMM), full-width digits, and a date. In a table's
month column a date on any day is read as its month (``any_day=True``: an insurer's or
an accounts' export stamps a month by its last day, and the evaluation readers read a
date there the same way); an option naming a month (``--through``) takes a date on the
first day only, as a later day would say less than the whole month.

A month column is read through :func:`month_column` first: a month typed into Excel as
a number (the float ``2018.06`` of an ``.xlsx``) is read as the dotted month it was
typed as, and ``2018.1`` is October beside ``2018.09`` (:func:`ihms._months.read_dotted`,
the rule ``its`` reads a column by: Excel keeps 2018.10 typed as a number as 2018.1). Money is
at stake here, so a ``2018.1`` that its year's months do not settle (no ``2018.0M``, no
``2018.10``, no one-digit ``2018.2``), nor the column's other years agreeing, is
refused, where ``its`` reads it as January."""

from __future__ import annotations

import numpy as np

from ihms._months import dotted_month, month_and_day, read_dotted

__all__ = ["COLUMN_FORMS", "MONTH_FORMS", "either_month", "month_column", "read_month"]

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
    if any_day and isinstance(value, (float, np.floating)) and value.is_integer():
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


def either_month(given: str, year: int, why: str) -> str:
    """The refusal of a ``2018.1`` that may be January or October, ``why`` saying so.

    Examples
    --------
    >>> either_month("'2018.1'", 2018, "no other month tells")
    "'2018.1' may be January or October (no other month tells): write 2018-01 or 2018-10"
    """
    return f"{given} may be January or October ({why}): write {year}-01 or {year}-10"


def month_column(values: list) -> tuple[list, dict[int, str]]:
    """A month column's cells ready for :func:`read_month` (``any_day=True``), and the
    cells refused as January-or-October (position → the problem). A number Excel kept
    for a dotted month (``2018.06``, ``2018.1``) becomes that text; ``2018.1`` is
    October in a year that writes ``2018.09`` (:func:`~ihms._months.read_dotted`),
    January in one that writes ``2018.10`` or one-digit months (``2018.2``), else as the
    column's other years agree, and refused otherwise.

    Examples
    --------
    >>> month_column([2018.09, 2018.1, "2018.11"])
    (['2018.09', '2018.10', '2018.11'], {})
    >>> month_column(["2018.1", "2018.11", "2018.12"])[1][0]
    "'2018.1' may be January or October (Excel keeps 2018.10 typed as a number as 2018.1, and neither its year's months nor the column's other years tell which): write 2018-01 or 2018-10"
    """
    texts = [_typed(v) for v in values]
    read = read_dotted(texts)
    unsettled = {}
    for pos in read.unsettled:
        given = repr(values[pos]) if isinstance(values[pos], str) else f"the number {texts[pos]}"
        year = read.months[pos][0]  # type: ignore[index]
        unsettled[pos] = either_month(
            given,
            year,
            f"Excel keeps {year}.10 typed as a number as {year}.1, and neither its year's "
            "months nor the column's other years tell which",
        )
    return read.cells, unsettled


def _typed(value: object) -> object:
    """A number Excel kept for a month typed ``2018.06`` as that text, else ``value``."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value):
        text = str(value)  # the shortest text of the float (np.float32's own too)
        dotted = dotted_month(text)
        if dotted and 1 <= int(dotted[1]) <= 12:  # else refused as the number it is
            return text
    return value
