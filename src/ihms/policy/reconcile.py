"""Reconciling blind codings, and the final codings the tables are built from.

Coders code blind: each coder's codings are stored apart. :func:`reconcile` compares
the coders on every segment they all coded; where their answers agree it records a
decision (method ``agreement``); where they differ it lists the disagreement.
The researchers discuss, fill in the ``decision`` column of the exported disagreement
sheet, and :func:`record_decisions` stores each decision with who made it.

:func:`final_codings` then gives one answer per segment and dimension: the recorded
decision; otherwise the answer of the only human coder who coded it (or the common
answer of all who did); machine codings count only once a human accepted them.
:func:`coded_data` adds the metadata dimensions derived from each document (policy
level, nature, year, orientation), overridden by a coded answer where there is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._atomic import staged
from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.policy._clock import utc_now as _now
from ihms.policy._decision_sheet import read_decisions, write_decisions
from ihms.policy._final_codings import CodedData, coded_data, final_codings
from ihms.policy._reconciled_decisions import _AGREEMENT_OF
from ihms.policy.codebook import Codebook
from ihms.policy.coding import codings
from ihms.policy.coding_export import format_answer
from ihms.policy.sheet import check_sheet_path

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project
    from ihms.summary import SummaryTable

__all__ = [
    "CodedData",
    "Reconciliation",
    "check_sheet_path",
    "coded_data",
    "export_disagreements",
    "final_codings",
    "read_decisions",
    "reconcile",
    "record_decisions",
]


def _answer_sets(project: Project, coders: list[str], dimensions: list[str]) -> dict:
    long = codings(project, coders=coders, dimensions=dimensions)
    out: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
    for (seg, dim, who), values in long.groupby(["segment_id", "dimension", "coder_id"])["value"]:
        out.setdefault((seg, dim), {})[who] = frozenset(v for v in values if v != "")
    return out


@dataclass(frozen=True, eq=False)
class Reconciliation(SummaryHtml):
    """Result of :func:`reconcile`.

    Attributes
    ----------
    coders
        The coders reconciled.
    agreed
        Segment × dimension pairs where all coders agreed (recorded now or before).
    recorded
        Agreements recorded by this call (pairs agreed before are not recorded again).
    disagreements
        One row per disagreement: segment, document, code, context (the headings the
        entry sits under, as in the coding sheet), text, dimension, and each coder's
        answer (category keys, ``;``-separated; ``-`` for none).
    incomplete
        Pairs coded by some but not all of the coders (not reconciled).
    decided
        Decisions recorded now (from the ``decisions`` sheet).
    overridden
        ``(segment, dimension)`` pairs decided now with another answer than the one all
        coders agreed on: the decision is the final code.
    zh_names
        The dimensions' Chinese names (key → label), for the Chinese summary."""

    coders: tuple[str, ...]
    agreed: int
    recorded: int
    disagreements: pd.DataFrame
    incomplete: int
    decided: int = 0
    overridden: tuple[tuple[str, str], ...] = ()
    zh_names: dict[str, str] = field(default_factory=dict)

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """The counts of agreed, to decide, partly coded and newly recorded pairs, with the
        coders and the disagreements per dimension in the notes, all in ``lang``.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``.
        """
        from ihms.policy._agreement_words import RECONCILED_ROWS, content_note, said_in
        from ihms.summary import SummaryTable

        by_dim = (
            self.disagreements.groupby("dimension").size()
            if len(self.disagreements)
            else pd.Series(dtype=int)
        )
        frame = pd.DataFrame(
            {"n": [self.agreed, len(self.disagreements), self.incomplete, self.recorded]},
            index=pd.Index([said_in(lang, r) for r in RECONCILED_ROWS],
                           name=said_in(lang, "reconciliation")),
        )  # fmt: skip
        comma = content_note(lang, "list")
        notes = [content_note(lang, "coders", coders=comma.join(self.coders))]
        named = self.zh_names if lang == "zh" else {}  # English: the key, as the sheet's
        notes += [content_note(lang, "to decide in", dimension=named.get(k, k), n=v)
                  for k, v in by_dim.items()]  # fmt: skip
        if self.overridden:
            n = len(self.overridden)
            pairs = comma.join(f"{seg} {dim}" for seg, dim in self.overridden[:5])
            pairs += comma + "…" if n > 5 else ""
            notes.append(content_note(lang, "overridden" if n > 1 else "overridden 1", n=n,
                                      pairs=pairs))  # fmt: skip
        title = said_in(lang, "Reconciliation of blind codings")
        return SummaryTable(frame.rename(columns=lambda c: said_in(lang, c)), title=title,
                            notes=tuple(notes), lang=lang)  # fmt: skip


def reconcile(
    project: Project,
    *,
    coders: list[str],
    dimensions: list[str] | None = None,
    decisions: str | Path | pd.DataFrame | None = None,
    decided_by: str | None = None,
    notes: list[str] | None = None,
) -> Reconciliation:
    """Record agreements between ``coders`` and list their disagreements.

    Pairs that already have a decision are left alone (a decision is never
    overwritten by a later agreement). ``decisions`` (a filled-in disagreement sheet,
    see :func:`record_decisions`) made by ``decided_by`` are validated before anything
    is written, then recorded in the same transaction as the agreements: a bad sheet
    leaves the project as it was.

    Parameters
    ----------
    project
        The coding project.
    coders
        Two or more registered coder ids.
    dimensions
        Dimension keys or names to reconcile; by default every coded dimension.
    decisions
        A filled-in disagreement sheet (path or frame), recorded with the agreements.
    decided_by
        Who made ``decisions``; required with them.
    notes
        A list that gets what reading the sheet left out (a title or blank rows above
        its header).

    Raises
    ------
    InputError
        Fewer than two coders, an unknown coder, or ``decisions`` without ``decided_by``.
    DataError
        A bad row of ``decisions`` (:func:`read_decisions`); nothing is written.
    """
    rows_decided = []
    if decisions is not None:
        if not (decided_by or "").strip():
            raise InputError("decided_by must name who made the decisions")
        rows_decided = read_decisions(project, decisions, notes=notes)
    if len(coders) < 2:
        raise InputError(f"reconcile needs at least two coders, got {coders}")
    known = {r[0] for r in project.query("SELECT id FROM coders")}
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise InputError(f"unknown coder(s) {unknown}; known: {sorted(known)}")
    cb = project.codebook()
    dims = [cb.dimension(d).key for d in dimensions] if dimensions else [d.key for d in cb.coded]
    sets = _answer_sets(project, coders, dims)
    decided = {(r[0], r[1]) for r in project.query("SELECT segment_id, dimension FROM decisions")}
    decided |= {(r[0], r[1]) for r in rows_decided}
    segs = project.segments().set_index("id")
    agreed = incomplete = 0
    new_rows = []
    rows = []
    unanimous: dict[tuple[str, str], set[str]] = {}  # every coder's answer, where all agree
    for (seg, dim), by_coder in sorted(sets.items()):
        if len(by_coder) < len(coders):
            incomplete += 1
            continue
        answers = [by_coder[c] for c in coders]
        if all(a == answers[0] for a in answers):
            agreed += 1
            unanimous[seg, dim] = set(answers[0])
            if (seg, dim) not in decided:
                new_rows.append((seg, dim, json.dumps(sorted(answers[0]), ensure_ascii=False)))
            continue
        if (seg, dim) in decided:
            continue
        info = segs.loc[seg] if seg in segs.index else None
        row = {
            "segment_id": seg,
            "document": info["doc_id"] if info is not None else "",
            "code": info["code"] if info is not None else "",
            "context": info["context"] if info is not None else "",
            "text": info["text"] if info is not None else "",
            "dimension": dim,
        }
        for c in coders:
            row[c] = "; ".join(sorted(by_coder[c])) or "-"
        row["decision"] = ""
        row["note"] = ""
        rows.append(row)
    overridden = tuple(
        (seg, dim)
        for seg, dim, value, _ in rows_decided
        if (seg, dim) in unanimous and set(json.loads(value)) != unanimous[seg, dim]
    )
    version = project.codebook_version
    who = _AGREEMENT_OF + ", ".join(coders)
    with project.transaction() as conn:
        conn.executemany(
            "INSERT INTO decisions(segment_id, dimension, value, method, decided_by, decided_at, codebook_version)"
            " VALUES (?,?,?, 'agreement', ?, ?, ?)",
            [(s, d, v, who, _now(), version) for s, d, v in new_rows],
        )
        write_decisions(conn, rows_decided, decided_by or "", version)
    columns = [
        "segment_id", "document", "code", "context", "text", "dimension", *coders, "decision", "note"
    ]  # fmt: skip
    return Reconciliation(
        tuple(coders), agreed, len(new_rows), pd.DataFrame(rows, columns=columns), incomplete,
        decided=len(rows_decided), overridden=overridden,
        zh_names={d.key: d.label("zh") for d in cb.dimensions},
    )  # fmt: skip


def export_disagreements(
    rec: Reconciliation, path: str | Path, codebook: Codebook, *, lang: str = "en"
) -> Path:
    """Write the disagreements for discussion; answers and the dimension's name in
    ``lang`` (``en``/``zh``), the dimension's key in a last column, ``dimension_key``,
    which :func:`read_decisions` reads the sheet back by.

    Parameters
    ----------
    rec
        The result of :func:`reconcile`.
    path
        A ``.xlsx`` or ``.csv`` (UTF-8 with BOM) file name in an existing folder;
        written whole or not at all.
    codebook
        The project's codebook, for the answers' and dimensions' names.
    lang
        ``"en"`` or ``"zh"``.

    Raises
    ------
    InputError
        Another suffix, or a folder that does not exist (:func:`check_sheet_path`).
    """
    path = check_sheet_path(path)
    frame = rec.disagreements.copy()
    for c in rec.coders:
        frame[c] = [
            format_answer(sorted(v.split("; ")) if v != "-" else [""], codebook.dimension(d), lang)
            for v, d in zip(frame[c], frame["dimension"], strict=True)
        ]
    frame["dimension_key"] = frame["dimension"]
    frame["dimension"] = [codebook.dimension(d).label(lang) for d in frame["dimension"]]
    with staged(path) as (tmp,):  # whole or not at all, no temporary left behind
        if path.suffix.lower() == ".xlsx":
            frame.to_excel(tmp, index=False, sheet_name="disagreements", engine="openpyxl")
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    return path


def record_decisions(
    project: Project,
    source: str | Path | pd.DataFrame,
    *,
    decided_by: str,
    notes: list[str] | None = None,
) -> int:
    """Store the decisions filled in a disagreement sheet (columns ``segment_id``,
    ``dimension`` (key or name), ``decision``, optional ``note`` and ``dimension_key``,
    which, when filled, names the dimension in place of ``dimension``). Rows with an empty decision are
    skipped. All rows are validated first; nothing is written if any is bad.

    Parameters
    ----------
    project
        The coding project.
    source
        The sheet (``.xlsx`` or ``.csv`` path) or its frame.
    decided_by
        Who decided; must not be blank.
    notes
        A list that gets the notes on reading the sheet (:func:`read_decisions`).

    Returns
    -------
    int
        The decisions recorded.

    Raises
    ------
    InputError
        A blank ``decided_by``.
    DataError
        A bad row (:func:`read_decisions`).
    """
    if not decided_by.strip():
        raise InputError("decided_by must name who decided")
    rows = read_decisions(project, source, notes=notes)
    with project.transaction() as conn:
        write_decisions(conn, rows, decided_by, project.codebook_version)
    return len(rows)
