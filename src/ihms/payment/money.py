"""Money as integer fen, with every rounding rule written down.

All amounts in :mod:`ihms.payment` are Python ``int`` counts of fen (1 yuan = 100 fen);
rates and shares are :class:`decimal.Decimal`. Floats never touch money.

Rounding rules (the only three places money is rounded):

1. **A single amount computed from a rate** (a premium grown by a growth rate, a share of
   a budget, a sharing rate applied to savings) is rounded to the nearest fen, halves
   away from zero (``ROUND_HALF_UP``, the 四舍五入 rule of Chinese accounting). See
   :func:`round_fen` and :func:`apply_rate`.
2. **A whole split into parts** (the balance into its uses, the incentive pool among
   staff) uses the largest-remainder method (Hamilton's method): every part gets the
   floor of its exact quota, and the fen left over go one each to the parts with the
   largest fractional remainders, ties to the part listed first. The parts always add
   up to the whole, to the fen. See :func:`allocate`.
3. **Derived quantities** (a budget's parts) are computed as a rounded part plus an exact
   remainder, so ``pool = private reserve + risk fund + global budget`` holds exactly.

Tables that show amounts in million yuan (the regime comparison) round each amount for
display only, half up to 0.01 million yuan from its exact value (:func:`million_yuan`).

On its way out money never passes through a float: tables hold yuan as exact
:class:`~decimal.Decimal` (:func:`fen_to_yuan`, :func:`yuan_column`), text is written by
:func:`format_yuan`, and ``--json`` gives every amount as an integer number of fen under
a key ending ``_fen`` (or inside an object whose key ends ``_fen``, such as
``allocations_fen``). A float holds whole fen exactly only up to 2**53 (about 90 trillion
yuan) and two decimals of yuan only up to about 1e13 yuan; Decimal has no such limit.

Examples
--------
>>> yuan_to_fen("640.25")
64025
>>> apply_rate(10_001, Decimal("0.5"))  # 5,000.5 fen rounds half up
5001
>>> allocate(100, [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))])
{'a': 34, 'b': 33, 'c': 33}
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from ihms.errors import InputError

__all__ = [
    "FEN_PER_YUAN",
    "allocate",
    "apply_rate",
    "fen_to_yuan",
    "format_rate",
    "format_yuan",
    "million_yuan",
    "percent_shown",
    "round_fen",
    "shown_against",
    "times_shown",
    "yuan_cell",
    "yuan_column",
    "yuan_to_fen",
]

FEN_PER_YUAN = 100


def _as_fraction(value: Decimal | Fraction | int) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"expected a finite number, got {value}")
        return Fraction(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    raise InputError(f"expected a Decimal, Fraction or int, got {type(value).__name__}")


def round_fen(value: Decimal | Fraction | int) -> int:
    """Round an exact amount of fen to a whole fen, halves away from zero.

    Parameters
    ----------
    value : Decimal or Fraction or int
        An exact amount of fen (not yuan); floats are refused.

    Returns
    -------
    int
        Whole fen, ``ROUND_HALF_UP`` (rule 1 in the module docstring).

    Raises
    ------
    InputError
        ``value`` is a float, a bool, or a non-finite Decimal.

    >>> round_fen(Decimal("2.5")), round_fen(Decimal("-2.5")), round_fen(Fraction(7, 3))
    (3, -3, 2)
    """
    frac = _as_fraction(value)
    sign = -1 if frac < 0 else 1
    mag = abs(frac)
    whole, rem = divmod(mag.numerator, mag.denominator)
    if 2 * rem >= mag.denominator:
        whole += 1
    return sign * whole


def apply_rate(amount_fen: int, rate: Decimal | Fraction) -> int:
    """``amount × rate`` rounded to the fen (rule 1 in the module docstring).

    Parameters
    ----------
    amount_fen : int
        The amount, in fen.
    rate : Decimal or Fraction
        A fraction, not a percentage (``Decimal("0.16")`` for 16%); may exceed one or be
        negative.

    Returns
    -------
    int
        ``amount_fen × rate`` rounded to the nearest fen, halves away from zero.
    """
    return round_fen(Fraction(amount_fen) * _as_fraction(rate))


def yuan_to_fen(value: Decimal | str | int, *, field: str = "amount") -> int:
    """Convert yuan to integer fen exactly; more than two decimals is an error.

    Parameters
    ----------
    value
        Yuan as a Decimal, an int or a string such as ``"640.25"``. Floats are refused
        (they cannot hold 0.1 exactly).
    field
        Name used in the error message.
    """
    if isinstance(value, float):
        raise InputError(f"{field}: money must not be a float (got {value!r}); pass a string")
    try:
        dec = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InputError(f"{field}: expected an amount in yuan, got {value!r}") from None
    if not dec.is_finite():
        raise InputError(f"{field}: expected a finite amount in yuan, got {value!r}")
    fen = dec * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise InputError(f"{field}: {value!r} yuan is not a whole number of fen")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen as a Decimal number of yuan with two decimals.

    Parameters
    ----------
    fen : int
        An amount in fen (1 yuan = 100 fen).

    Returns
    -------
    Decimal
        The same amount in yuan, quantized to ``0.01``.
    """
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def million_yuan(fen: int | None) -> Decimal | None:
    """An amount in million yuan for a table, half up to two decimals, from the exact fen.

    Parameters
    ----------
    fen : int or None
        An amount in fen; None (no amount) stays None.

    Examples
    --------
    >>> million_yuan(904_500_000)  # 9,045,000.00 yuan: float division gives 9.04
    Decimal('9.05')
    """
    if fen is None:
        return None
    return (Decimal(int(fen)) / (FEN_PER_YUAN * 1_000_000)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def format_yuan(fen: int) -> str:
    """``1234567`` → ``'12,345.67'`` (yuan, thousands separators).

    Parameters
    ----------
    fen : int
        An amount in fen; the text shows it in yuan with two decimals.
    """
    return f"{fen_to_yuan(fen):,.2f}"


def format_rate(rate: Decimal) -> str:
    """``Decimal('0.16')`` → ``'16%'`` (exact, trailing zeros dropped).

    Parameters
    ----------
    rate : Decimal
        A fraction (``0.16``), shown as a percentage (``16%``).
    """
    return f"{(Decimal(rate) * 100).normalize():f}%"


def percent_shown(rate: Decimal, *, places: int = 4) -> str:
    """A rate as a percentage rounded half up (四舍五入) to ``places`` decimals, for
    display: ``Decimal('0.0000225')`` → ``'0.0023%'`` (an f-string's ``:.4f`` on a
    Decimal rounds half-even and showed ``0.0022%``).

    Parameters
    ----------
    rate : Decimal
        A fraction (``0.0000225``), shown as a percentage.
    places : int, default 4
        Decimals of the percentage.

    Examples
    --------
    >>> percent_shown(Decimal("0.0000225")), percent_shown(Decimal("0.022697"), places=2)
    ('0.0023%', '2.27%')
    """
    shown = (Decimal(rate) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:f}%"


def times_shown(ratio: Decimal, *, places: int = 1) -> str:
    """A ratio ("N times") rounded half up (四舍五入) to ``places`` decimals, with
    thousands separators, for display: ``Decimal('12.25')`` → ``'12.3'`` (an f-string's
    ``:.1f`` on a Decimal rounds half-even and showed ``12.2``; ``:.0f`` showed a ratio
    of 0.4 as ``0``).

    Parameters
    ----------
    ratio : Decimal
        How many times one amount is another.
    places : int, default 1
        Decimals shown.

    Examples
    --------
    >>> times_shown(Decimal("12.25")), times_shown(Decimal("159.25"), places=2)
    ('12.3', '159.25')
    """
    shown = Decimal(ratio).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,f}"


def yuan_column(fens: Sequence[int]) -> list[Decimal]:
    """A table column of amounts in fen as exact yuan (:func:`fen_to_yuan` of each).

    Parameters
    ----------
    fens : sequence of int
        Amounts in fen (numpy integers too).

    Returns
    -------
    list of Decimal
        The amounts in yuan with two decimals, exact for any size.

    Examples
    --------
    >>> yuan_column([9_007_199_254_740_993, -5])  # 2**53 + 1 fen: a float would lose it
    [Decimal('90071992547409.93'), Decimal('-0.05')]
    """
    return [fen_to_yuan(int(f)) for f in fens]


def yuan_cell(value: object) -> str:
    """Table cell formatter for a column of exact yuan: ``Decimal('1234567.8')`` →
    ``'1,234,567.80'``. Floats are refused (they cannot hold every amount).

    Parameters
    ----------
    value : Decimal or int
        An amount in yuan (from :func:`fen_to_yuan` or :func:`yuan_column`).
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InputError(
            f"yuan_cell: expected yuan as a Decimal or int, got {type(value).__name__} {value!r}"
        )
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def allocate(
    total_fen: int, weights: Sequence[tuple[str, Decimal | Fraction | int]]
) -> dict[str, int]:
    """Split ``total_fen`` in proportion to ``weights`` by the largest-remainder method.

    Parameters
    ----------
    total_fen
        The whole, in fen. May be negative (the split is then the mirror image of the
        split of its absolute value) or zero.
    weights
        ``(name, weight)`` pairs in priority order; weights are non-negative and need not
        add up to one (they are normalised exactly). Names must be distinct.

    Returns
    -------
    dict
        ``name → fen``; the values add up to ``total_fen`` exactly.
    """
    names = [n for n, _ in weights]
    if len(set(names)) != len(names):
        raise InputError(f"allocate: names must be distinct, got {names}")
    fracs = [_as_fraction(w) for _, w in weights]
    if any(f < 0 for f in fracs):
        raise InputError(f"allocate: weights must be >= 0, got {[str(w) for _, w in weights]}")
    weight_sum = sum(fracs, Fraction(0))
    if total_fen == 0:
        return dict.fromkeys(names, 0)
    if weight_sum == 0:
        raise InputError(f"allocate: cannot split {total_fen} fen over weights that are all zero")
    sign = -1 if total_fen < 0 else 1
    whole = abs(int(total_fen))
    quotas = [Fraction(whole) * f / weight_sum for f in fracs]
    floors = [q.numerator // q.denominator for q in quotas]
    left = whole - sum(floors)
    # Largest fractional remainder first; Python's sort is stable, so ties keep the
    # order the caller listed.
    order = sorted(range(len(quotas)), key=lambda i: quotas[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return {n: sign * v for n, v in zip(names, floors, strict=True)}


def shown_against(value: Decimal, mark: Decimal, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals for display, or to as many more
    as keep it on its own side of ``mark``: a failed score of 0.59996 against a pass mark
    of 0.6 is shown as 0.59996, not 0.6000; a savings rate of 1.996 % against a minimum
    of 2 % as 1.996, not 2.00.

    >>> shown_against(Decimal("0.59996"), Decimal("0.6"), 4)
    Decimal('0.59996')
    >>> shown_against(Decimal("0.61234"), Decimal("0.6"), 4)
    Decimal('0.6123')
    """
    for p in range(places, 29):
        shown = Decimal(value).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
        if (shown >= mark) == (value >= mark):
            return shown
    return Decimal(value)
