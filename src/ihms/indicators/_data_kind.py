"""What :func:`ihms.indicators.compute` takes as its data: a store, a data set or
tables; anything else (a path, a DataFrame) refused by name, saying how to open a store."""

from __future__ import annotations

import os

from ihms._arguments import wrong_kind
from ihms.data.dataset import Dataset
from ihms.errors import InputError
from ihms.indicators._engine import IndicatorTables

__all__ = ["check_data"]


def check_data(data) -> None:
    """Refuse ``data`` that is no store, data set or tables (a path, a DataFrame), naming
    how to open a store file, rather than an ``AttributeError`` from deep inside."""
    if isinstance(data, (Dataset, IndicatorTables)) or all(
        hasattr(data, name) for name in ("backend", "table", "period", "producer")
    ):
        return
    how = ""
    if isinstance(data, (str, os.PathLike)):
        how = (
            f" (open the file: with Store({str(data)!r}, read_only=True) as store: compute(store))"
        )
    raise InputError(
        wrong_kind(
            data,
            parameter="data",
            expected="a Store (ihms.data.Store), a Dataset or IndicatorTables",
        )
        + how
    )
