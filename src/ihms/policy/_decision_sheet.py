"""A filled-in disagreement sheet read back and recorded: :func:`read_decisions` checks
every row before anything is written, :func:`write_decisions` records them in the
caller's transaction (:func:`ihms.policy.reconcile.reconcile` and
:func:`~ihms.policy.reconcile.record_decisions`, which re-exports the reader).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms.errors import DataError, InputError
from ihms.policy._clock import utc_now as _now
from ihms.policy._coding_sheet import _parse_cell, _show

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

__all__ = ["read_decisions", "write_decisions"]


def write_decisions(
    conn: sqlite3.Connection,
    rows: list[tuple[str, str, str, str]],
    decided_by: str,
    version: int,
) -> None:
    """Record ``rows`` (:func:`read_decisions`'s) as decisions by ``decided_by`` under
    codebook ``version``, replacing an earlier decision on the same pair."""
    conn.executemany(
        "INSERT INTO decisions(segment_id, dimension, value, method, decided_by, decided_at, note, codebook_version)"
        " VALUES (?,?,?, 'decision', ?, ?, ?, ?) ON CONFLICT(segment_id, dimension) DO UPDATE SET"
        " value=excluded.value, method='decision', decided_by=excluded.decided_by,"
        " decided_at=excluded.decided_at, note=excluded.note",
        [(s, d, v, decided_by, _now(), n, version) for s, d, v, n in rows],
    )


def read_decisions(
    project: Project, source: str | Path | pd.DataFrame, *, notes: list[str] | None = None
) -> list[tuple[str, str, str, str]]:
    """Validate a filled-in disagreement sheet (:func:`export_disagreements`).

    Parameters
    ----------
    project
        The coding project (its segments and codebook).
    source
        The sheet (``.xlsx`` or ``.csv`` path) or its frame: ``segment_id``,
        ``dimension`` (key or name) and ``decision`` (category keys or names,
        ``;``-separated), optional ``note`` and ``dimension_key``.
    notes
        A list that gets the notes on reading the sheet (a title or blank rows left out
        above its header, :func:`ihms.policy.sheet.read_table_file`).

    Returns
    -------
    list of tuple
        ``(segment, dimension key, values as a JSON list, note)`` per decided row.

    Raises
    ------
    DataError
        Every bad row: unknown segment, dimension or category, and two rows deciding
        the same segment and dimension differently (both rows named); a sheet with
        no decision filled in.
    """
    from ihms.policy.sheet import read_table_file
    from ihms.stats._cells import first_row as sheet_first_row

    frame = (
        source
        if isinstance(source, pd.DataFrame)
        else read_table_file(
            Path(source),
            expected="segment_id, dimension, decision, note",
            columns=("segment_id", "dimension", "decision"),
            notes=notes,
        )
    )
    label = "decisions" if isinstance(source, pd.DataFrame) else Path(source).name
    top = sheet_first_row(frame)  # below the header, and the title lines above it if any
    cb = project.codebook()
    known = {r[0] for r in project.query("SELECT id FROM segments")}
    missing = [c for c in ("segment_id", "dimension", "decision") if c not in frame.columns]
    if missing:
        raise DataError(f"{label}: missing column(s) {missing}; got {list(frame.columns)}")
    problems, rows = [], []
    seen: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = i + top
        decision = str(rec.get("decision") or "").strip()
        if not decision or decision == "nan":
            continue
        seg = str(rec["segment_id"]).strip()
        if seg not in known:
            problems.append(f"{label} row {row}: segment {seg!r} is not in the project")
            continue
        # the key an export wrote beside the dimension's name, else the name (or key)
        key = str(rec.get("dimension_key") or "").strip()
        column = "dimension_key" if key and key != "nan" else "dimension"
        try:
            dim = cb.dimension(key if column == "dimension_key" else str(rec["dimension"]))
        except InputError as exc:
            problems.append(f"{label} row {row}, column {column!r}: {exc}")
            continue
        values, bad = _parse_cell(decision, dim)
        if bad:
            problems.append(f"{label} row {row}, column 'decision': {bad}")
            continue
        if (seg, dim.key) in seen:
            first_row, first = seen[seg, dim.key]
            if first != values:
                problems.append(
                    f"{label} row {row}, column 'decision': segment {seg!r} dimension "
                    f"{dim.key!r} is decided as {_show(values)} but row {first_row} says "
                    f"{_show(first)}; keep one of the two rows"
                )
            continue
        seen[seg, dim.key] = (row, values)
        note = str(rec.get("note") or "").strip()
        rows.append(
            (
                seg,
                dim.key,
                json.dumps(sorted(values), ensure_ascii=False),
                note if note != "nan" else "",
            )
        )
    if not problems and not rows:
        problems.append(
            f"{label}: no decision to record — the 'decision' column is empty in all "
            f"{len(frame):,} row(s); fill it in for the disagreements you decided"
        )
    if problems:
        raise DataError(f"{label}: {len(problems):,} problem(s); no decision recorded", problems)
    return rows
