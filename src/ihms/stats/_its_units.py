"""Which unit of an interrupted time series' group column a ``treated`` or ``controls``
value names: the value as written, or the code a Stata/SPSS value label names; and the
time points an ``interruptions`` or ``at`` argument gives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ihms.errors import InputError, did_you_mean

__all__ = ["time_points", "unit_key"]


def unit_key(
    value: Any, parameter: str, *, present: list[str], labels: dict[str, str], column: str
) -> str:
    """The unit key of ``value``: itself, or the code a Stata/SPSS value label names
    (``甲县`` for code 1); else an error listing the values (with their labels) and the
    nearest."""
    key = str(value).strip()
    if key in present:
        return key
    codes = [c for c in present if labels.get(c) == key]
    if len(codes) == 1:
        return codes[0]
    shown = [f"{c} ({labels[c]})" if c in labels else c for c in present[:20]]
    more = f" and {len(present) - 20} more" if len(present) > 20 else ""
    raise InputError(
        f"parameter '{parameter}': {value!r} is not a value of column {column}; values: "
        f"{', '.join(shown)}{more}" + did_you_mean(key, [*present, *labels.values()])
    )


def time_points(value: Any) -> tuple[Any, ...]:
    """One time point or several as a tuple: a scalar of any kind (``1989``, ``1989.0``,
    ``"2017-10"``, a Period, a date, a numpy scalar) is one. Listing the scalar types
    left a float out, and ``interruptions=1989.0`` failed with "'float' object is not
    iterable" instead of being read as 1989."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return (value,)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return (value.item(),)
    return tuple(value)
