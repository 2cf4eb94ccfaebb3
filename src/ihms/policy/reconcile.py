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

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._atomic import staged
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy._counted import counted_documents, uncoded_segments
from ihms.policy._decision_sheet import read_decisions, write_decisions
from ihms.policy._reconciled_decisions import _AGREEMENT_OF
from ihms.policy._schemes import require_one_scheme, scheme_counts
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
        coders and the disagreements per dimension in the notes, all in ``lang``."""
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
    leaves the project as it was. What reading the sheet left out (a title or blank rows
    above its header) is appended to ``notes``.
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
    which :func:`read_decisions` reads the sheet back by."""
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
    skipped. All rows are validated first (:func:`read_decisions`, which appends its
    notes to ``notes``); nothing is written if any is bad.
    """
    if not decided_by.strip():
        raise InputError("decided_by must name who decided")
    rows = read_decisions(project, source, notes=notes)
    with project.transaction() as conn:
        write_decisions(conn, rows, decided_by, project.codebook_version)
    return len(rows)


def final_codings(
    project: Project, *, coders: list[str] | None = None, keep_none: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One answer per segment and coded dimension.

    Returns ``(final, unresolved)``: ``final`` has columns ``segment_id``,
    ``dimension``, ``value`` (one row per category; none-answers give no row, or one
    row with value ``""`` if ``keep_none``) and ``how`` (``decision``, ``agreement``,
    ``single coder``, ``coders agree``); ``unresolved`` lists pairs where coders differ
    and nobody decided yet.
    """
    long = codings(project, coders=coders)
    usable = long[(long["kind"] == "human") | (long["review_status"] == "accepted")]
    dec = project.frame("SELECT segment_id, dimension, value, method FROM decisions")
    decided = {
        (r.segment_id, r.dimension): (json.loads(r.value), r.method) for r in dec.itertuples()
    }
    out_seg, out_dim, out_val, out_how = [], [], [], []
    unresolved = []
    for (seg, dim), (values, method) in decided.items():
        for v in values or ([""] if keep_none else []):
            out_seg.append(seg)
            out_dim.append(dim)
            out_val.append(v)
            out_how.append(method)
    grouped = usable.groupby(["segment_id", "dimension", "coder_id"])["value"].apply(frozenset)
    pending: dict[tuple[str, str], list[frozenset]] = {}
    for (seg, dim, _who), vals in grouped.items():
        if (seg, dim) not in decided:
            pending.setdefault((seg, dim), []).append(frozenset(v for v in vals if v != ""))
    for (seg, dim), answers in pending.items():
        if all(a == answers[0] for a in answers):
            how = "single coder" if len(answers) == 1 else "coders agree"
            for v in sorted(answers[0]) or ([""] if keep_none else []):
                out_seg.append(seg)
                out_dim.append(dim)
                out_val.append(v)
                out_how.append(how)
        else:
            unresolved.append({"segment_id": seg, "dimension": dim, "coders": len(answers)})
    final = pd.DataFrame(
        {"segment_id": out_seg, "dimension": out_dim, "value": out_val, "how": out_how}
    )
    return final, pd.DataFrame(unresolved, columns=["segment_id", "dimension", "coders"])


@dataclass(frozen=True, eq=False)
class CodedData:
    """Everything the tables need: a long table (``segment_id``, ``doc_id``,
    ``dimension``, ``value``) with coded and derived dimensions, the segments it covers,
    and the codebook."""

    long: pd.DataFrame
    segments: pd.DataFrame
    codebook: Codebook
    unresolved: int = 0
    source: str = "final"
    #: final answers that rest on one coder's codes in a project with several coders
    #: (the others left the segment uncoded), counted by segment × dimension
    single_coder: int = 0
    uncoded: tuple[str, ...] = ()  #: segments no coder coded yet (a metadata table's note)

    def __repr__(self) -> str:
        # the generated repr printed both tables and the whole codebook
        return brief_repr(
            self,
            source=self.source,
            codebook=f"{self.codebook.name} v{self.codebook.version}",
            segments=len(self.segments),
            codes=len(self.long),
            unresolved=self.unresolved,
            single_coder=self.single_coder,
        )


def coded_data(
    project: Project, *, source: str = "final", scheme: str | None = None, keep_none: bool = False
) -> CodedData:
    """Build the analysis table from the final codings (``source="final"``) or from
    one coder's codings (``source=<coder id>``), over the segments of ``scheme``. It may be
    left out when the project holds segments of one scheme; with two it must be named,
    or every text would count once per scheme (:class:`~ihms.errors.InputError`).

    Every segment of an included document counts, coded or not, so 1D tables of
    derived dimensions (level, nature, year) count texts as Yu et al. 2024 does; ``uncoded``
    names those not coded yet, for those tables' note. With
    ``keep_none`` an answer "none applies" stays in ``long`` as value ``""`` (to tell it
    from "not coded").
    """
    cb = project.codebook()
    segs = project.segments(scheme=scheme)
    if scheme and segs.empty:  # an empty table read as "0 units" or empty files
        have = project.segments()["scheme"].value_counts()
        kinds = ", ".join(f"{k} ({n:,})" for k, n in have.items()) or "none"
        raise InputError(
            f"the project has no {scheme!r} segments; it has {kinds}: name those (parameter "
            "'scheme', --scheme on the command line), or segment the documents that way "
            f"first (ihms policy segment --scheme {scheme})"
        )
    segs = segs[segs["doc_id"].isin(counted_documents(project))].reset_index(drop=True)
    require_one_scheme(
        scheme_counts(segs["scheme"]),
        task="analysis of the codings (tables, trend, data set ...)",
        why="every text would count once per scheme",
    )
    n_single = 0
    if source == "final":
        coded, unresolved = final_codings(project, keep_none=True)
        humans = project.query(
            "SELECT count(DISTINCT c.coder_id) FROM codings c JOIN coders k ON k.id = c.coder_id"
            " WHERE k.kind = 'human'"
        )[0][0]
        if humans > 1:
            alone = coded[
                (coded["how"] == "single coder") & coded["segment_id"].isin(set(segs["id"]))
            ]
            n_single = len(alone[["segment_id", "dimension"]].drop_duplicates())
        if not keep_none:
            coded = coded[coded["value"] != ""]
        coded = coded[["segment_id", "dimension", "value"]]
        n_unresolved = len(unresolved)
    else:
        known = {r[0] for r in project.query("SELECT id FROM coders")}
        if source not in known:
            raise InputError(
                f"source must be 'final' or a coder ({', '.join(sorted(known))}), got {source!r}"
            )
        long = codings(project, coders=[source])
        if not keep_none:
            long = long[long["value"] != ""]
        coded = long[["segment_id", "dimension", "value"]]
        n_unresolved = 0
    coded = coded[coded["segment_id"].isin(set(segs["id"]))]
    derived = project.derived_values()
    doc_of = dict(zip(segs["id"], segs["doc_id"], strict=True))
    overridden = set(zip(coded["segment_id"], coded["dimension"], strict=True))
    rows = []
    for dim in cb.derived:
        for seg_id, doc_id in doc_of.items():
            if (seg_id, dim.key) in overridden:
                continue
            value = derived.get(doc_id, {}).get(dim.key)
            if value is not None:
                rows.append((seg_id, dim.key, str(value)))
    meta = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"])
    long = pd.concat([coded, meta], ignore_index=True)
    long["doc_id"] = long["segment_id"].map(doc_of)
    long = long[["segment_id", "doc_id", "dimension", "value"]]
    return CodedData(long, segs, cb, n_unresolved, source, single_coder=n_single,
                     uncoded=uncoded_segments(project, segs["id"], source))  # fmt: skip
