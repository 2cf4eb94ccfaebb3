"""Arguments of the wrong kind, refused as :mod:`ihms.stats` refuses them
(``parameter 'data': expected a pandas DataFrame, got str``) instead of the
``AttributeError`` or ``TypeError`` a later line would raise, or a misleading message
(a year ``"2018"`` "not among the years 2016–2019", an indicator id iterated as its
letters).

One rule for whole numbers across the library (payment's years, the simulator's seed
and residents): an ``int`` (or a numpy integer) is taken; a number written as text,
``"2018"``, is refused with the number to write, never read silently, as a float or a
bool is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from numbers import Integral, Real
from typing import Any

from ihms.errors import InputError

__all__ = [
    "check_confidence",
    "expect_kind",
    "labels_list",
    "names_list",
    "whole_number",
    "wrong_kind",
]


def _got(value: Any) -> str:
    """What was passed: its type, and a short text or number itself."""
    kind = type(value).__name__
    if (
        isinstance(value, (str, int, float))
        and not isinstance(value, bool)
        and len(repr(value)) <= 40
    ):
        return f"{kind} {value!r}"
    if isinstance(value, Decimal) and len(str(value)) <= 40:
        return f"{kind} {value}"  # Decimal 1.5, Decimal NaN
    return kind


def wrong_kind(value: Any, *, parameter: str, expected: str) -> str:
    """The message refusing ``value``: ``parameter 'data': expected …, got str 'x.csv'``."""
    return f"parameter '{parameter}': expected {expected}, got {_got(value)}"


def expect_kind(
    value: Any,
    kinds: type | tuple[type, ...],
    *,
    parameter: str,
    expected: str,
    error: Callable[[str], Exception] = InputError,
) -> None:
    """Refuse ``value`` unless it is one of ``kinds``: ``parameter 'spending': expected a
    SpendingTable (SpendingTable.read(path) or .from_frame(df)), got str '…csv'``.

    Examples
    --------
    >>> expect_kind(3, int, parameter="n", expected="a whole number")
    >>> expect_kind("x.csv", dict, parameter="data", expected="a mapping")
    Traceback (most recent call last):
    ...
    ihms.errors.InputError: parameter 'data': expected a mapping, got str 'x.csv'
    """
    if not isinstance(value, kinds):
        raise error(wrong_kind(value, parameter=parameter, expected=expected))


def whole_number(
    value: Any,
    *,
    parameter: str,
    minimum: int | None = None,
    error: Callable[[str], Exception] = InputError,
) -> int:
    """``value`` as an ``int``, refused unless it is a whole number (not a bool, not text:
    ``"2018"`` is told to be written 2018) of at least ``minimum``.

    Examples
    --------
    >>> whole_number(2018, parameter="year")
    2018
    >>> whole_number("2018", parameter="year")
    Traceback (most recent call last):
    ...
    ihms.errors.InputError: parameter 'year': expected a whole number, got str '2018' (write 2018, without quotes)
    """
    at_least = "" if minimum is None else f" ≥ {minimum}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        hint = ""
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            hint = f" (write {value.strip()}, without quotes)"
        raise error(
            f"parameter '{parameter}': expected a whole number{at_least}, got {_got(value)}{hint}"
        )
    if minimum is not None and value < minimum:
        raise error(f"parameter '{parameter}': expected a whole number{at_least}, got {value}")
    return int(value)


def check_confidence(value: Any, *, parameter: str = "confidence") -> float:
    """``value`` as a float, refused unless it is a confidence level strictly between 0
    and 1 (``0.95``): the one check of the agreement statistics, ``its`` and the
    auto-coders' bootstrap. A percentage (``95``) is told to be written as the share.

    Parameters
    ----------
    value : Any
        The level given.
    parameter : str, default "confidence"
        The parameter the message names.

    Examples
    --------
    >>> check_confidence(0.9)
    0.9
    >>> check_confidence(95)
    Traceback (most recent call last):
    ...
    ihms.errors.InputError: parameter 'confidence': expected a number between 0 and 1 (both excluded) such as 0.95, got int 95 (for 95% write 0.95)
    """
    # a NaN (Decimal's would raise on the comparison below) is no number here
    number = not isinstance(value, bool) and isinstance(value, (Real, Decimal)) and value == value
    if number and 0 < value < 1:
        return float(value)
    share = (Decimal(str(value)) / 100).normalize() if number and 50 <= value < 100 else None
    hint = f" (for {value}% write {share})" if share is not None else ""
    raise InputError(
        f"parameter '{parameter}': expected a number between 0 and 1 (both excluded) such as "
        f"0.95, got {_got(value)}{hint}"
    )


def names_list(value: Any, *, parameter: str, what: str) -> list[str] | None:
    """A list of names from ``value``: None stays None, a single name is a one-item list
    (``"hospitalizations"`` is one indicator, not 16 letters), any other iterable of
    texts is listed; anything else is refused.

    Examples
    --------
    >>> names_list("hospitalizations", parameter="indicators", what="indicator ids")
    ['hospitalizations']
    >>> names_list(("a", "b"), parameter="indicators", what="indicator ids")
    ['a', 'b']
    """
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        names = list(value)
        if all(isinstance(v, str) for v in names):
            return names
    raise InputError(
        f"parameter '{parameter}': expected {what} (a list of texts, or one), got {_got(value)}"
    )


def labels_list(value: Any, *, parameter: str, what: str) -> list[str] | None:
    """Labels such as periods from ``value``, as texts: None stays None, one text or
    whole number (a numpy integer too: ``df.year.max()``) is a one-item list, an
    iterable of them is listed; a float or a bool, or a list holding one, is refused as
    :func:`whole_number` refuses it.

    Examples
    --------
    >>> labels_list(2019, parameter="periods", what="period labels")
    ['2019']
    >>> labels_list(["2019-03", 2020], parameter="periods", what="period labels")
    ['2019-03', '2020']
    >>> labels_list(2019.0, parameter="periods", what="period labels")
    Traceback (most recent call last):
    ...
    ihms.errors.InputError: parameter 'periods': expected period labels (texts such as "2019" or "2019-03", whole numbers, or a list of them), got float 2019.0
    """

    def label(v: Any) -> bool:
        return isinstance(v, str) or (isinstance(v, Integral) and not isinstance(v, bool))

    if value is None:
        return None
    if label(value):
        return [str(value)]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        labels = list(value)
        if all(label(v) for v in labels):
            return [str(v) for v in labels]
    raise InputError(
        f'parameter \'{parameter}\': expected {what} (texts such as "2019" or "2019-03", '
        f"whole numbers, or a list of them), got {_got(value)}"
    )
