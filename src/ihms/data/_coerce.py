"""Turn whatever the caller has (CSV strings, pandas, pyarrow) into typed columns.

Each function takes a pandas Series and returns ``(values, bad)``: the typed values (as a
pandas Series with a nullable dtype) and a boolean mask of the rows whose non-empty
input could not be read. Nothing here raises; :mod:`ihms.data.dataset` turns the masks
into problem messages naming file, row and column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A whole number; a zero fraction (``13.0``) is the same whole number, as pandas writes
#: an integer column holding nulls (read from Parquet as float64) back to CSV.
#: Thousands separators are refused: in a ``_fen`` column ``1,234`` looks like yuan.
_INT_RE = r"^[+-]?\d+(?:\.0+)?$"
_YUAN_RE = r"^(?P<sign>[+-]?)(?P<int>\d+)(?:\.(?P<frac>\d{1,2}))?$"
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}

_PANDAS_INT = {"int16": "Int16", "int32": "Int32", "int64": "Int64"}


def _blank(s: pd.Series) -> pd.Series:
    """Missing, or an empty / whitespace string."""
    mask = s.isna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        stripped = s.astype("string").str.strip()
        mask = mask | (stripped == "").fillna(False)
    return mask.astype(bool)


def coerce_string(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = _blank(s)
    out = s.astype("string").str.strip()
    out = out.mask(blank)
    return out, pd.Series(False, index=s.index)


def coerce_int(s: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series]:
    target = _PANDAS_INT[dtype]
    info = np.iinfo(dtype)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(target), pd.Series(False, index=s.index)
    if pd.api.types.is_integer_dtype(s.dtype):
        values = s.astype("Int64")
    elif pd.api.types.is_float_dtype(s.dtype):
        whole = s.isna() | (s == np.floor(s))
        bad = ~whole
        values = s.where(whole).astype("Float64").round().astype("Int64")
        return _range_int(values, bad, target, info)
    else:
        blank = _blank(s)
        text = s.astype("string").str.strip()
        ok = text.str.fullmatch(_INT_RE).fillna(False).astype(bool)
        bad = ~blank & ~ok
        whole = text.where(ok).str.replace(r"\.0+$", "", regex=True)
        values = pd.to_numeric(whole, errors="coerce").astype("Int64")
        return _range_int(values, bad, target, info)
    return _range_int(values, pd.Series(False, index=s.index), target, info)


def _range_int(values: pd.Series, bad: pd.Series, target: str, info) -> tuple[pd.Series, pd.Series]:
    too_big = (values < info.min) | (values > info.max)
    too_big = too_big.fillna(False).astype(bool)
    bad = bad | too_big
    return values.mask(too_big).astype(target), bad


def coerce_float(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.astype("Float64")
        # NaN from numpy floats means "missing", never a measurement.
        return values.mask(values.isna()), pd.Series(False, index=s.index)
    blank = _blank(s)
    values = pd.to_numeric(s.astype("string").str.strip(), errors="coerce").astype("Float64")
    bad = ~blank & values.isna()
    return values, bad.astype(bool)


def coerce_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    blank = _blank(s)
    text = s.astype("string").str.strip().str.lower()
    is_true = text.isin(_TRUE).fillna(False).astype(bool)
    is_false = text.isin(_FALSE).fillna(False).astype(bool)
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[is_true] = True
    values[is_false] = False
    bad = ~blank & ~is_true & ~is_false
    return values, bad


def coerce_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as ``datetime64[s]`` at midnight; strings must read ``YYYY-MM-DD``."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        values = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return values.dt.normalize().astype("datetime64[s]"), pd.Series(False, index=s.index)
    blank = _blank(s)
    if s.dtype == object:
        # date / datetime objects (from pyarrow date32 or Python) pass through.
        values = pd.to_datetime(s.where(~blank), errors="coerce", format="mixed")
        # strings must still match the ISO date format
        is_str = s.map(lambda v: isinstance(v, str)).astype(bool)
        if is_str.any():
            text = s.where(is_str).astype("string").str.strip()
            iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
            values = values.mask(is_str & ~iso)
    else:
        text = s.astype("string").str.strip()
        iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
        values = pd.to_datetime(text.where(iso), errors="coerce", format="%Y-%m-%d")
    bad = ~blank & values.isna()
    return values.dt.normalize().astype("datetime64[s]"), bad.astype(bool)


def yuan_to_fen(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Exact conversion of yuan amounts with at most two decimals to integer fen.

    Strings are parsed digit by digit (no float rounding): ``"12.5"`` -> 1250,
    ``"0.07"`` -> 7. Numbers with more than two decimals are refused.
    """
    blank = _blank(s)
    if pd.api.types.is_integer_dtype(s.dtype):
        return (s.astype("Int64") * 100), pd.Series(False, index=s.index)
    text = s.astype("string").str.strip()
    if pd.api.types.is_float_dtype(s.dtype):
        # format floats with enough digits to show a third decimal if there is one
        text = s.map(lambda v: None if pd.isna(v) else repr(float(v))).astype("string")
        text = text.str.replace(r"\.0$", "", regex=True)
    parts = text.str.extract(_YUAN_RE)
    ok = parts["int"].notna()
    bad = ~blank & ~ok
    whole = pd.to_numeric(parts["int"], errors="coerce").astype("Int64")
    frac = parts["frac"].fillna("").str.ljust(2, "0")
    cents = pd.to_numeric(frac.where(ok), errors="coerce").fillna(0).astype("Int64")
    fen = whole * 100 + cents
    fen = fen.where(parts["sign"] != "-", -fen)
    return fen.where(ok).astype("Int64"), bad.astype(bool)


COERCERS = {
    "string": lambda s: coerce_string(s),
    "int16": lambda s: coerce_int(s, "int16"),
    "int32": lambda s: coerce_int(s, "int32"),
    "int64": lambda s: coerce_int(s, "int64"),
    "float64": lambda s: coerce_float(s),
    "bool": lambda s: coerce_bool(s),
    "date": lambda s: coerce_date(s),
}
