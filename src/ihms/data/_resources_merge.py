"""A folder's resources file beside a system file's resources: one table of both.

The file's rows are kept as they are; the system file's rows of the institution-years
the file does not give are added, so a folder giving only the rows a note asked for
(the institutions the system file has no figures for) keeps the system file's others.
A file row replaces the system file's row of the same institution and year. The rows
added are written as the file's text cells (a yuan column's amount in yuan), so one
reading coerces and checks the whole table; a note says what was added and replaced.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pandas as pd

from ihms._listing import first_of
from ihms.data.dataset import RowLabels
from ihms.data.structure import resources_table
from ihms.system import System

#: How many institution-years a note names before it says how many more.
NAMED = 5


def with_system_resources(
    frame: pd.DataFrame, label: RowLabels, system: System, years: tuple[int, ...]
) -> tuple[pd.DataFrame, RowLabels]:
    """``frame`` (the file's resources, text cells) with the system file's rows of the
    institution-years it lacks added, and ``label`` with a note saying so; both as they
    were when the system file gives no resources."""
    given = resources_table(system, years=years)
    if given.empty:
        return frame, label
    keys = [_key(i, y) for i, y in zip(frame["institution_id"], frame["year"], strict=True)]
    in_file = set(keys)
    system_keys = list(zip(given["institution_id"], given["year"].astype(int), strict=True))
    added = given[[k not in in_file for k in system_keys]]
    replaced = [k for k in system_keys if k in in_file]
    rows = pd.DataFrame({c: _cells(added, c) for c in _columns(frame, added)}, dtype=object)
    merged = pd.concat([frame.astype(object), rows], ignore_index=True)
    merged = merged.where(merged.notna(), None)
    institutions = len({k[0] for k in keys})
    note = (
        f"{label.file}: its {len(frame):,} row{'s' if len(frame) != 1 else ''} "
        f"({institutions:,} institution{'s' if institutions != 1 else ''}) added to the "
        "system file's resources; "
    )
    kept = list(zip(added["institution_id"], added["year"].astype(int), strict=True))
    note += (
        f"the system file's {len(kept):,} row{'s' if len(kept) != 1 else ''} of the "
        f"institution-years the file lacks kept ({_named(kept)})"
        if kept
        else "the file gives every institution-year the system file does"
    )
    if replaced:
        n = len(replaced)
        note += (
            f"; the file's row replaces the system file's for {n:,} "
            f"institution-year{'s' if n != 1 else ''} ({_named(replaced)})"
        )
    return merged, dataclasses.replace(label, notes=(*label.notes, note))


def _key(institution: object, year: object) -> tuple[str, int | str]:
    text = str(year).strip()
    try:
        return str(institution).strip(), int(float(text))
    except ValueError:
        return str(institution).strip(), text


def _columns(frame: pd.DataFrame, added: pd.DataFrame) -> list[str]:
    """The file's columns, then the system file's others that hold a figure to add."""
    extra = [
        c
        for c in added.columns
        if c not in frame.columns and _yuan(c) not in frame.columns and added[c].notna().any()
    ]
    return [*frame.columns, *extra]


def _yuan(column: str) -> str:
    return column[: -len("_fen")] + "_yuan" if column.endswith("_fen") else ""


def _cells(added: pd.DataFrame, column: str) -> list[str | None]:
    """The system file's figures of ``column`` as the file's text cells."""
    if column in added.columns:
        return [_text(v) for v in added[column]]
    fen = next((c for c in added.columns if _yuan(c) == column), None)
    if fen is None:
        return [None] * len(added)
    return [None if pd.isna(v) else f"{Decimal(int(v)).scaleb(-2):.2f}" for v in added[fen]]


def _text(value: object) -> str | None:
    if pd.isna(value):
        return None
    return value if isinstance(value, str) else str(int(value))


def _named(keys: list[tuple[str, int | str]]) -> str:
    return first_of([f"{i} {y}" for i, y in keys], NAMED)
