"""Whole-number cells past a column's integer type: refused as too large, never wrapped.

``pd.to_numeric`` reads a 20-digit figure as uint64 or float64, and ``astype("Int64")``
then wraps it round (18446744073709555194 became -9,223,372,036,854,775,808 fen, and
the user was told to net a refund). Long digit strings are read here as Python ints,
exactly, and compared with the type's range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["int_too_large", "range_int", "read_whole", "too_large_reason"]

#: Digits ``pd.to_numeric`` reads exactly (a float64 holds every whole number to 2^53).
_EXACT_DIGITS = 15


def read_whole(whole: pd.Series, info: np.iinfo) -> tuple[pd.Series, pd.Series]:
    """``(Int64 values, beyond the type's range)`` of text cells already matched as
    whole numbers (``None`` elsewhere, trailing ``.0`` removed)."""
    long = (whole.str.lstrip("+-").str.len() > _EXACT_DIGITS).fillna(False).astype(bool)
    values = pd.to_numeric(whole.mask(long), errors="coerce").astype("Int64")
    over = pd.Series(False, index=whole.index)
    if long.any():
        exact = whole[long].map(int)
        fits = exact.map(lambda v: info.min <= v <= info.max).astype(bool)
        over[exact.index[~fits]] = True
        kept = exact[fits]
        values[kept.index] = pd.array(kept.tolist(), dtype="Int64")
    return values, over


def range_int(values: pd.Series, bad: pd.Series, target: str, info) -> tuple[pd.Series, pd.Series]:
    """``values`` as ``target`` with those past ``info``'s range masked and added to ``bad``."""
    too_big = (values < info.min) | (values > info.max)
    too_big = too_big.fillna(False).astype(bool)
    bad = bad | too_big
    return values.mask(too_big).astype(target), bad


def _beyond(value: object, info: np.iinfo) -> bool:
    if isinstance(value, bool | np.bool_) or value is None:
        return False
    if isinstance(value, int | np.integer):
        return not info.min <= int(value) <= info.max
    if isinstance(value, float | np.floating):
        return bool(np.isfinite(value)) and not info.min <= value <= info.max
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        text = text[: -len(text.split(".", 1)[1]) - 1] if text.count(".") == 1 else text
        if text.lstrip("+-").isdigit() and text.lstrip("+-").isascii():
            return not info.min <= int(text) <= info.max
    return False


def int_too_large(cells: pd.Series, bad: pd.Series, dtype: str) -> pd.Series:
    """Of the ``bad`` cells of an integer column, those that are whole numbers beyond
    ``dtype``'s range (not malformed)."""
    info = np.iinfo(dtype)
    out = pd.Series(False, index=cells.index)
    if bad.any():
        picked = cells[bad.to_numpy(dtype=bool)]
        out[picked.index] = picked.map(lambda v: _beyond(v, info)).astype(bool)
    return out


def too_large_reason(dtype: str, *, fen: bool) -> str:
    """What a cell past ``dtype``'s range is told."""
    most = np.iinfo(dtype).max
    if fen:
        return f"too large for an amount in fen (at most {most:,} fen, 19 digits)"
    return f"too large for this column (at most {most:,})"
