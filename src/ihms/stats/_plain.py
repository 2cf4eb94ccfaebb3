"""Turn results objects into plain Python values for ``to_dict()`` (JSON-ready)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_missing", "plain", "plain_fields"]


def plain(value: Any) -> Any:
    """Convert numpy scalars/arrays, tuples, mappings and frames into lists, dicts,
    ints, floats and strings; NaN stays ``float('nan')`` (the CLI turns it into null)."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain_fields(value)
    if isinstance(value, pd.DataFrame):
        return [plain(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, frozenset, set)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if value is None or value is pd.NA:
        return None
    return value


def plain_fields(obj: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """``plain`` applied to every dataclass field of ``obj`` except those in ``skip``."""
    return {f.name: plain(getattr(obj, f.name)) for f in fields(obj) if f.name not in skip}


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA and NaT; False for everything else (sets included)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False
