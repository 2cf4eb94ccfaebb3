"""A folder's resources file beside a system file's resources: one table of both.

The file's rows are kept as they are; the system file's rows of the institution-years
the file does not give are added, so a folder giving only the rows a note asked for
(the institutions the system file has no figures for) keeps the system file's others.
A file row and the system file's row of the same institution and year are merged
field by field: the file's figure wins, a blank or absent field keeps the system file's,
and the note names the fields taken from the system file. The rows
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
    columns = _columns(frame, given)
    system_cells = pd.DataFrame({c: _cells(given, c) for c in columns}, dtype=object)
    added = system_cells[[k not in in_file for k in system_keys]]
    replaced = [k for k in system_keys if k in in_file]
    file_rows, kept_from = _field_by_field(
        frame.reindex(columns=columns).astype(object), keys, system_cells, system_keys
    )
    merged = pd.concat([file_rows, added], ignore_index=True)
    merged = merged.where(merged.notna(), None)
    institutions = len({k[0] for k in keys})
    note = (
        f"{label.file}: its {len(frame):,} row{'s' if len(frame) != 1 else ''} "
        f"({institutions:,} institution{'s' if institutions != 1 else ''}) added to the "
        "system file's resources; "
    )
    kept = [k for k in system_keys if k not in in_file]
    note += (
        f"the system file's {len(kept):,} row{'s' if len(kept) != 1 else ''} of the "
        f"institution-years the file lacks kept ({_named(kept)})"
        if kept
        else "the file gives every institution-year the system file does"
    )
    if replaced:
        note += "; " + _merge_note(replaced, kept_from)
    return merged, dataclasses.replace(label, notes=(*label.notes, note))


def _blank(value: object) -> bool:
    return (
        value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip()
    )


def _field_by_field(
    rows: pd.DataFrame, keys: list, system_cells: pd.DataFrame, system_keys: list
) -> tuple[pd.DataFrame, dict]:
    """The file's rows with each blank or absent field of an institution-year the system
    file also gives taken from the system file's row; and, by institution-year, the
    fields the file gave and those taken."""
    at = {k: i for i, k in enumerate(system_keys)}
    taken: dict = {}
    for pos, key in enumerate(keys):
        if key not in at:
            continue
        theirs = system_cells.iloc[at[key]]
        ours, fields = [], []
        for col in rows.columns:
            if col in _KEY:
                continue
            if not _blank(rows.iat[pos, rows.columns.get_loc(col)]):
                ours.append(col)
            elif not _blank(theirs[col]):
                rows.iat[pos, rows.columns.get_loc(col)] = theirs[col]
                fields.append(col)
        taken[key] = (tuple(ours), tuple(fields))
    return rows, taken


_KEY = ("institution_id", "year")


def _merge_note(replaced: list, taken: dict) -> str:
    """What an institution-year both give took from each: the file's figures over the
    system file's, field by field, a blank or absent field keeping the system's."""
    groups: dict[tuple, list] = {}
    for key in replaced:
        groups.setdefault(taken.get(key, ((), ())), []).append(key)
    n = len(replaced)
    parts = []
    for (ours, fields), keys in groups.items():
        said = [f"{', '.join(ours)} from the file"] if ours else []
        said += [f"{', '.join(fields)} from the system file"] if fields else []
        parts.append(f"{_named(keys)}: {', and '.join(said) or 'no figures'}")
    return (
        f"{n:,} institution-year{'s' if n != 1 else ''} both give, merged field by field "
        f"(a blank or absent field keeps the system file's figure) — {'; '.join(parts)}"
    )


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
