"""``ihms data check --json``'s object: the same keys whether or not the check passed,
and on engine checks (:mod:`ihms.cli._data_engine_check`) too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["checked", "period_meant"]


def checked(
    *,
    dataset=None,
    error: str | None = None,
    problems: Sequence[str] = (),
    period: str | None = None,
) -> dict[str, Any]:
    """``ok``, ``error``, ``problems`` (text), ``problem_details`` (each problem's file,
    row, column, value, expected and message: :func:`ihms.errors.problem_details`),
    ``period`` (the data set's; else ``period``), ``rows``, ``notes``, ``column_map``."""
    from ihms.errors import problem_details

    notes = []
    if dataset is not None:
        from ihms.data import dataset_notes

        notes = dataset_notes(dataset)
    return {
        "ok": error is None,
        "error": error,
        "problems": list(problems),
        "problem_details": problem_details(problems),
        "period": str(dataset.period) if dataset is not None else period,
        "rows": dataset.row_counts() if dataset is not None else None,
        "notes": notes,
        "column_map": dataset.column_map if dataset is not None else None,
    }


def period_meant(
    source: Path, given: Callable[[str | None, str | None], Any], start: str | None, end: str | None
) -> str | None:
    """The period a failed check was for: ``given(start, end)`` (the ``--start`` and
    ``--end`` read), else the folder's dataset.json; ``None`` when neither gives one
    that can be read."""
    from ihms.data.io import folder_period
    from ihms.errors import InputError

    try:
        period = given(start, end) or folder_period(source)
    except InputError:
        return None
    return None if period is None else str(period)
