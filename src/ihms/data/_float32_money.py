"""Yuan in a Stata ``float`` (single precision) variable, read to the cent where the
float tells the cent: a float32 has a spacing below 0.01 under 2^17 = 131,072 yuan, so
there every cent amount has a float of its own and the float gives it back (IEEE 754
binary32; ``numpy.float32``). Above, two cent amounts can share one float, and which
was meant cannot be told: such a cell is refused, as is a float that is no cent amount's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

__all__ = ["BOUND", "FloatCents", "float32_cents"]

#: Below this many yuan every cent amount has a float32 of its own (2^17).
BOUND = 131_072
_CENT = Decimal("0.01")


def _f32(value: Decimal) -> np.float32:
    return np.float32(float(value))


def _cent_of(cell: object) -> tuple[str | None, str | None]:
    """``(the cent amount as text, None)`` for a float cell that is the float32 of one
    cent amount only; ``(None, why not)`` for another number; ``(None, None)`` for a
    cell that is no number (the yuan reader says why)."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NA:
        return None, None
    try:
        x = np.float32(float(cell))
        cent = Decimal(repr(float(x))).quantize(_CENT)
    except (TypeError, ValueError, InvalidOperation, OverflowError):
        return None, None
    if not np.isfinite(x):
        return None, None
    if _f32(cent) != x:
        return None, (
            f"its float {float(x)!r} is no cent amount's (that of {cent} would be "
            f"{float(_f32(cent))!r})"
        )
    shared = [c for c in (cent - _CENT, cent + _CENT) if _f32(c) == x]
    if shared:
        return None, (
            f"its float {float(x)!r} is that of {cent} and of {shared[0]} alike: which was "
            f"meant cannot be told (a float holds every cent only below {BOUND:,} yuan)"
        )
    return f"{cent}", None


def float32_cents(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``cells`` of a Stata ``float`` yuan variable with each float that is one cent
    amount's read as that amount (text, ``'35.78'`` for 35.779998779296875), and the
    reason each other number is refused (None where there is none). The cells whose
    nearest cent maps back to them alone are read at once, column-wide; only the rest
    go through :func:`_cent_of` one by one, for their reasons."""
    read = cells.astype(object).copy()
    why = pd.Series([None] * len(cells), index=cells.index, dtype=object)
    numbers = pd.to_numeric(cells, errors="coerce")
    with np.errstate(invalid="ignore", over="ignore"):
        x = numbers.to_numpy(dtype="float64", na_value=np.nan).astype(np.float32)
        cents = np.round(x.astype(np.float64) * 100)

        def mapped(step: int) -> np.ndarray:
            return ((cents + step) / 100).astype(np.float32)

        ok = np.isfinite(cents) & (mapped(0) == x) & (mapped(-1) != x) & (mapped(1) != x)
    at = np.flatnonzero(ok)
    read.iloc[at] = [f"{Decimal(int(c)).scaleb(-2)}" for c in cents[at]]
    for i in np.flatnonzero(~ok):
        cent, reason = _cent_of(cells.iloc[i])
        if cent is not None:
            read.iloc[i] = cent
        why.iloc[i] = reason
    return read, why


@dataclass(frozen=True)
class FloatCents:
    """The yuan columns of one ``.dta`` read to the cent from Stata ``float`` storage (a
    note of ``ihms data import``, beside :class:`~ihms.data._vocabulary.Translation`):
    ``columns``, each the file's name and how many cells were read."""

    table: str
    file: str
    columns: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        shown = ", ".join(
            f"'{name}' ({n:,} cell{'s' if n != 1 else ''})" for name, n in self.columns
        )
        return (
            f"{self.file}: {shown} stored as Stata float (single precision, about 7 "
            f"significant digits) read to the cent, as Stata's list shows them "
            f"(35.779998779296875 as 35.78; exact below {BOUND:,} yuan); store money as "
            "double or as whole fen to read it as written"
        )
