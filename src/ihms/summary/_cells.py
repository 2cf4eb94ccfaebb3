"""How a summary table's cells are formatted: one rule for text, HTML and rich
(:class:`ihms.summary.SummaryTable` renders with these; they are exported from
:mod:`ihms.summary`).

- **Column by column.** A column is formatted as a whole, so every number in it shows
  the same number of decimals (rows are never upcast to float along the way).
- **Integers** (integer dtype, or a float column whose values are all whole numbers)
  print with thousands separators and no decimals: ``1,300,000`` — except in the
  columns a table names in ``decimal_columns`` (statistics: a kappa of 1 is ``1.0000``).
- **Floats** print in plain digits with thousands separators and ``digits`` decimals;
  a column whose every non-zero value is at least 1,000 in magnitude (money, person-
  years) shows at most 2 decimals. Scientific notation is kept for the values plain
  digits cannot show: non-zero values that would round to zero (a p-value of 1e-12)
  and magnitudes of 1e15 or more.
- **Decimals** (exact money) print exactly, padded to the most decimals in the column.
- **Row by row** in the columns a table gives ``row_decimals``: a long table whose rows
  measure different things (an indicator's count, a rate) shows each row with its own
  decimals, whatever else the column holds.
- **Identifiers** print without separators: a column (or the index) whose name's last
  word is one of ``year``, ``month``, ``quarter``, ``week``, ``fold``, ``seed``, ``id``,
  ``code``, ``batch``, ``wave`` (so ``year``, ``fiscal_year``, ``unit id``, but not
  ``resident-years``), ``年``/``年份``/``年度``, and any column the caller lists in
  ``id_columns``. Index labels are always identifiers.
- **p-values** (columns a summary hands :func:`format_p`) print with three decimals,
  as Stata's and statsmodels' coefficient tables print ``P>|t|``, and one below 0.001
  (0 included, where the test's tail underflows) as ``<0.001``, never as ``0``,
  ``0.000`` or ``7.1e-36``; one that three decimals would round onto a significance
  level (0.01, 0.05, 0.10, or the α the table decides with) shows the decimals that
  tell its side (``0.0504``, ``0.0496``). The numbers themselves (``to_frame``,
  ``--json``) stay exact.
- **Missing** values (``None``, ``NaN``, ``pd.NA``, ``NaT``) print as an em dash ``—``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd

MISSING = "—"
"""What every renderer prints for a missing value (None, NaN, pd.NA, NaT)."""

_ID_WORDS = frozenset(
    {"year", "month", "quarter", "week", "fold", "seed", "id", "code", "batch", "wave"}
)
_ID_NAMES_ZH = frozenset({"年", "年份", "年度", "编码", "代码"})
_QUALIFIER = re.compile(r"(\s*[(（][^()（）]*[)）])+\s*$")
_BIG = 1e15  # plain digits beyond this are absurd (and past float's exact integers)


def is_id_name(name: object) -> bool:
    """True if a column called ``name`` holds identifiers (years, ids, codes, folds).

    The last word of the name decides, a closing parenthesis left aside: ``year``,
    ``fiscal_year``, ``unit id`` and ``Year (calendar)`` are identifiers,
    ``resident-years``, ``id count`` and ``Deqing 2016 (seed)`` are not.

    Parameters
    ----------
    name
        A column or index name; not a string is read as ``str(name)``. The Chinese
        names 年, 年份, 年度, 编码 and 代码 are identifiers too.

    Examples
    --------
    >>> is_id_name("fiscal_year"), is_id_name("Year (calendar)"), is_id_name("id count")
    (True, True, False)
    """
    text = str(name).strip().lower()
    # a closing parenthesis qualifies the name, it does not name the column: "Year
    # (calendar)" holds years, "Deqing 2016 (seed)" a figure the seed paper reports
    head = _QUALIFIER.sub("", text).strip() or text
    if head in _ID_NAMES_ZH:
        return True
    words = [w for w in re.split(r"[^0-9a-z]+", head) if w]
    return bool(words) and words[-1] in _ID_WORDS


def _holds_identifiers(values: Sequence[object]) -> bool:
    """False for a column with a number that is not whole: identifiers are whole
    numbers or text, so such a column is a measurement, whatever its name."""
    return not any(_is_number(v) and not _is_whole(v) for v in values if not _is_missing(v))


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes are values, not missing
        return False


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating, Decimal)) and not isinstance(
        value, (bool, np.bool_)
    )


def _is_whole(value: object) -> bool:
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and float(value).is_integer()


def _label(value: object) -> str:
    """An identifier or index label: numbers without separators, dates as dates."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, tuple):
        return " / ".join(_label(v) for v in value)
    if _is_number(value) and _is_whole(value) and abs(float(value)) < _BIG:
        return str(int(value))
    if isinstance(value, (pd.Timestamp, datetime)):
        return _datetime(value)
    return str(value) if not _is_number(value) else format_number(value)


def _datetime(value: datetime) -> str:
    ts = pd.Timestamp(value)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else str(ts)


def _float(value: float, decimals: int, digits: int) -> str:
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    magnitude = abs(value)
    if magnitude >= _BIG or (value != 0 and round(magnitude, decimals) == 0):
        return f"{value:.{max(digits, 1)}g}"
    return f"{value + 0.0:,.{decimals}f}"  # + 0.0 turns -0.0 into 0.0


def _numbers(values: list, digits: int, *, whole_as_integers: bool = True) -> list[str]:
    """Format a column of numbers (none missing) with one rule for the whole column;
    without ``whole_as_integers`` whole-valued floats keep ``digits`` decimals."""
    if any(isinstance(v, Decimal) for v in values) and all(
        isinstance(v, (Decimal, int, np.integer)) for v in values
    ):
        exact = [Decimal(int(v)) if not isinstance(v, Decimal) else v for v in values]
        exponents = [d.as_tuple().exponent for d in exact if d.is_finite()]
        decimals = max([0, *(-e for e in exponents if isinstance(e, int))])
        return [f"{d:,.{decimals}f}" if d.is_finite() else str(d) for d in exact]
    floats = np.array([float(v) for v in values])
    finite = floats[np.isfinite(floats)]
    if whole_as_integers and (
        all(isinstance(v, (int, np.integer)) for v in values)
        or (np.all(finite == np.round(finite)) and np.all(np.abs(finite) < _BIG) and finite.size)
    ):
        return [
            f"{int(v):,}" if np.isfinite(float(v)) else _float(float(v), 0, digits) for v in values
        ]
    nonzero = np.abs(finite[finite != 0])
    decimals = min(digits, 2) if nonzero.size and nonzero.min() >= 1000 else digits
    return [_float(float(v), decimals, digits) for v in values]


def _format_values(
    values: Sequence[object], digits: int, *, id_like: bool = False, decimal: bool = False
) -> list[str]:
    """Format one column's values; see the module docstring for the rules (``decimal``:
    whole-valued numbers keep their decimals)."""
    out = [MISSING] * len(values)
    present = [(i, v) for i, v in enumerate(values) if not _is_missing(v)]
    if not present:
        return out
    idx, vals = zip(*present, strict=True)
    if id_like:
        cells = [_label(v) for v in vals]
    elif all(_is_number(v) for v in vals):
        cells = _numbers(list(vals), digits, whole_as_integers=not decimal)
    elif len(vals) > 1:  # mixed text and numbers (a row-oriented table): value by value
        cells = [_format_values([v], digits)[0] for v in vals]
    elif isinstance(vals[0], (pd.Timestamp, datetime)):
        cells = [_datetime(vals[0])]
    elif isinstance(vals[0], date):
        cells = [vals[0].isoformat()]
    else:
        cells = [str(vals[0])]
    for i, cell in zip(idx, cells, strict=True):
        out[i] = cell
    return out


def format_number(value: object, digits: int = 4) -> str:
    """Format one cell as a one-value column: integers (and whole floats) with thousands
    separators, floats with ``digits`` decimals, missing values as :data:`MISSING`.

    Parameters
    ----------
    value
        A number (int, float, :class:`~decimal.Decimal`, numpy scalar), a date or text;
        None, NaN, ``pd.NA`` and NaT are missing. A Decimal prints exactly; a float of
        1,000 or more shows at most 2 decimals; a non-zero float that would round to 0,
        or one of 1e15 or more, in scientific notation.
    digits
        Decimals of a float.

    Examples
    --------
    >>> format_number(1300000.0), format_number(0.123456), format_number(1234.5678)
    ('1,300,000', '0.1235', '1,234.57')
    """
    return _format_values([value], digits)[0]


_P_DECIMALS = 3
"""Decimals every printed p-value shows (Stata's and statsmodels' ``P>|t|``)."""

CONVENTIONAL_ALPHAS = (0.01, 0.05, 0.1)
"""The significance levels a reader compares a printed p with when a table names none."""


def format_p(value: object, *, alpha: float | None = None) -> str:
    """A p-value as every ihms table prints it: three decimals, and a p below 0.001 as
    ``<0.001`` (a p whose tail underflowed to 0 is not zero, only very small).

    Where three decimals would land exactly on a significance level — ``alpha`` (the one
    the caller decides with) or one of :data:`CONVENTIONAL_ALPHAS` — while the p is not
    that level, decimals are added until the figure shows which side of it the p lies
    on: ``0.050`` would be read as significant at 5 % by some and not by others, for a
    p of 0.0504 as for one of 0.0496. A p exactly at the level prints ``0.050``, which
    ``p < alpha`` does not reject.

    Parameters
    ----------
    value
        The p-value, 0 to 1; a missing value (None, NaN) prints as :data:`MISSING`.
    alpha
        The significance level the caller tests at, besides 0.01, 0.05 and 0.10.

    Examples
    --------
    >>> format_p(0.04567), format_p(0.0), format_p(7.1e-36), format_p(1.0)
    ('0.046', '<0.001', '<0.001', '1.000')
    >>> format_p(0.0504), format_p(0.0496), format_p(0.04996), format_p(0.05)
    ('0.0504', '0.0496', '0.04996', '0.050')
    >>> format_p(0.0196), format_p(0.0196, alpha=0.02)
    ('0.020', '0.0196')
    """
    if _is_missing(value):
        return MISSING
    p = float(value)  # type: ignore[arg-type]
    smallest = 10.0**-_P_DECIMALS
    if p < smallest:
        return f"<{smallest:.{_P_DECIMALS}f}"
    levels = {
        Decimal(repr(a)) for a in (*CONVENTIONAL_ALPHAS, *(() if alpha is None else (alpha,)))
    }
    digits = _P_DECIMALS
    text = f"{p:.{digits}f}"
    # rounding is monotone and each level sits on the grid, so a figure that is not the
    # level is on the p's side of it; 20 decimals tell apart any double from 0.001 up
    while Decimal(text) in levels and p not in (float(v) for v in levels) and digits < 20:
        digits += 1
        text = f"{p:.{digits}f}"
    return text


def p_text(value: float, *, alpha: float | None = None) -> str:
    """A p-value in a sentence: ``p = 0.046``, ``p < 0.001`` (as :func:`format_p`).

    Parameters
    ----------
    value
        The p-value, 0 to 1.
    alpha
        The significance level the caller tests at, as :func:`format_p` takes it.

    Examples
    --------
    >>> p_text(0.0504), p_text(1e-9)
    ('p = 0.0504', 'p < 0.001')
    """
    shown = format_p(value, alpha=alpha)
    return f"p < {shown[1:]}" if shown.startswith("<") else f"p = {shown}"
