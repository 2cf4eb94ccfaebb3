"""The check that a long table's rows of one unit and coder may be pooled into one code
set: they may not when they differ in a column that looks like a dimension column the
caller did not name (``codings_long.csv`` without ``dimension=``)."""

from __future__ import annotations

import shlex
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.stats._cells import normal_text

#: A dimension column has few distinct values (a timestamp, id or note has many).
MOST_DIMENSIONS = 50


def refuse_pooling(
    codings: pd.DataFrame,
    kept: Sequence[tuple[Any, str, Hashable, Hashable, Any, int]],
    unit: str,
    coder: str,
    code: str,
    coders: Sequence[str] | None,
    where: str,
) -> None:
    """Refuse to combine rows of one unit and coder into one code set when they differ
    in another column that looks like a dimension column: text (not numbers, not dates),
    at most :data:`MOST_DIMENSIONS` distinct values, each found in at least two units.
    Combining would pool its dimensions into one set, and every kappa with it. Any other
    column (a timestamp, a row id, pandas' ``Unnamed: 0`` index, a note on one row) is
    ignored and the rows are combined, as coding tools' one-row-per-code exports need.

    ``kept`` holds the coding cells read (row, dimension, unit, coder, code, position),
    units and coders as read. One pass per column, vectorised (a table of 120,000 rows
    is checked in well under a second)."""
    named = {unit, *(coders if coders is not None else (coder, code))}
    others = [c for c in codings.columns if c not in named]
    if not others or not kept:
        return
    positions = np.fromiter((k[5] for k in kept), dtype=np.intp, count=len(kept))
    unit_codes = pd.factorize(pd.Series([k[2] for k in kept], dtype=object))[0]
    coder_codes = pd.factorize(pd.Series([k[3] for k in kept], dtype=object))[0]
    keys = unit_codes.astype(np.int64) * (int(coder_codes.max()) + 1) + coder_codes
    repeated = pd.Series(keys).duplicated(keep=False).to_numpy()
    if not repeated.any():
        return
    for column in others:
        values = _value_codes(codings[column], positions, unit_codes)
        if values is None:
            continue
        frame = pd.DataFrame({"key": keys[repeated], "value": values[repeated]})
        spread = frame.groupby("key", sort=False)["value"].nunique()
        if (spread > 1).any():
            _raise(codings, kept, keys, values, int(spread.index[spread > 1][0]),
                   column, coders, where)  # fmt: skip


def _value_codes(
    column: pd.Series, positions: np.ndarray, unit_codes: np.ndarray
) -> np.ndarray | None:
    """The column's values at ``positions`` as integer codes (an empty cell ``-1``, text
    read as the cells' normaliser reads it), or None if the column does not look like a
    dimension column."""
    kind = column.dtype
    if (
        pd.api.types.is_numeric_dtype(kind)
        or pd.api.types.is_bool_dtype(kind)
        or pd.api.types.is_datetime64_any_dtype(kind)
    ):
        return None
    raw, uniques = pd.factorize(column.to_numpy(dtype=object)[positions])
    if len(uniques) > 4 * MOST_DIMENSIONS or not all(isinstance(v, str) for v in uniques):
        return None
    texts = [normal_text(v) for v in uniques]
    filled = [t for t in texts if t != ""]
    if not filled or len(set(filled)) > MOST_DIMENSIONS or _numbers_or_dates(filled):
        return None
    folded, names = pd.factorize(pd.Series(texts, dtype=object))
    empty = names.get_loc("") if "" in names else -1
    codes = np.where(raw >= 0, folded[np.maximum(raw, 0)], -1)
    if empty >= 0:
        codes[codes == empty] = -1
    seen = pd.DataFrame({"value": codes, "unit": unit_codes})
    seen = seen[seen["value"] >= 0]
    if (seen.groupby("value")["unit"].nunique() < 2).any():
        return None
    return codes


def _numbers_or_dates(texts: list[str]) -> bool:
    """Whether every text reads as a number, or every one as a date or time."""
    if pd.to_numeric(pd.Series(texts), errors="coerce").notna().all():
        return True
    dates = pd.to_datetime(pd.Series(texts), errors="coerce", format="mixed")
    return bool(dates.notna().all())


def _raise(
    codings: pd.DataFrame,
    kept: Sequence[tuple[Any, str, Hashable, Hashable, Any, int]],
    keys: np.ndarray,
    values: np.ndarray,
    key: int,
    column: Hashable,
    coders: Sequence[str] | None,
    where: str,
) -> None:
    at = np.flatnonzero(keys == key)
    first = at[0]
    other = next(i for i in at[1:] if values[i] != values[first])
    pair = (kept[first][5], kept[other][5])
    rows = (kept[first][0], kept[other][0])  # named when read (row_where)
    shown = [_shown(codings[column].iloc[p]) for p in pair]
    name = str(column)
    raise InputError(
        f"{where}: rows {rows[0]} and {rows[1]} of unit {kept[first][2]!r}"
        + (f" and coder {kept[first][3]!r}" if coders is None else "")
        + f" differ in column {name!r} ({shown[0]}, {shown[1]}), which looks like a "
        "dimension column (a few text values, each in several units); without a dimension "
        "column their codes would be pooled into one code set. If the column names "
        f"dimensions, pass dimension={name!r} (`ihms agreement --dimension "
        f"{shlex.quote(name)}`); if it does not, drop the column from the table (the "
        "command reads every column and has no option to leave one out: delete the "
        "column from the file) and the rows are combined"
    )


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if value.strip() else "an empty cell"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "an empty cell"
    return repr(value.item() if isinstance(value, np.generic) else value)
