"""A screening kept in the project file: every reviewer's decision, every settlement,
the reviewers and the rules — so κ per stage, the conflicts, the methods statement
(PRISMA 2020 item 8) and the screening record come from the project alone.

Project schema 2 adds the table ``screening_decisions`` (one row per decision, in the
order screening made them) and the ``meta`` entry ``screening`` (JSON: reviewers in
order, each stage's reviewers, the rules in words, the notes, when, and the unreadable
files the flow counted; a file written before each stage's reviewers were kept counts
every reviewer at both stages, as screening then did). A schema-1 file (statuses only) opens as
before and is upgraded by the next :meth:`Project.set_screening`, inside its
transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

from ihms._listing import first_of
from ihms.errors import DataError, InputError
from ihms.policy.screening_reviewers import (
    STAGE_NAMES,
    STAGES,
    ScreeningDecision,
    Settlement,
)

#: The tables schema 2 adds to schema 1. ``role``: ``review`` (a reviewer's decision
#: at a stage the document reached; ``source`` ``rules`` where the rules' verdict
#: stood for them), ``settlement`` (``reviewer`` is who or which rule settled a
#: conflict), ``unused`` (recorded, but the document never reached the stage).
SCREENING_SCHEMA = """
CREATE TABLE screening_decisions(
  id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id),
  stage TEXT NOT NULL CHECK (stage IN ('title','fulltext')),
  role TEXT NOT NULL CHECK (role IN ('review','settlement','unused')),
  reviewer TEXT NOT NULL, decision TEXT NOT NULL CHECK (decision IN ('include','exclude')),
  reason TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '');
CREATE UNIQUE INDEX screening_reviews_once ON screening_decisions(doc_id, stage, reviewer)
  WHERE role = 'review';
CREATE UNIQUE INDEX screening_settled_once ON screening_decisions(doc_id, stage)
  WHERE role = 'settlement';
"""

_ROLES = ("review", "settlement", "unused")


def has_screening_tables(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='screening_decisions'"
        ).fetchone()
    )


def check_screening(screening, known: set[str]) -> None:
    """Refuse a screening the project cannot keep, every problem at once, each named by
    the decision's source (file and row) and field: a document not in the project, a
    stage other than title/fulltext, a decision other than include/exclude, a reviewer
    deciding a document twice at one stage, two settlements of one conflict, a review
    by someone not among the stage's reviewers, or a stage's reviewer missing where a
    document reached it (κ could not be recomputed)."""
    from ihms.policy._screening_pass import field_problems

    problems: list[str] = []
    for s in screening.statuses:
        if s.doc_id not in known:
            problems.append(f"status of {s.doc_id!r}, field 'id': not a document of the project")
    method = screening.method
    seen: dict[tuple, str] = {}
    reached: dict[tuple[str, str], set[str]] = defaultdict(set)
    groups = (
        ("review", screening.reviews),
        ("settlement", screening.settlements),
        ("unused", screening.unused),
    )
    for role, group in groups:
        for i, d in enumerate(group):
            where = d.source or f"{role} {i + 1}"
            who = d.settled_by if role == "settlement" else d.reviewer
            problems += field_problems(d, where, known, "the project")
            if role == "unused":
                continue
            key = (role, d.doc_id, d.stage, who if role == "review" else "")
            stage = STAGE_NAMES.get(d.stage, d.stage)
            if key in seen:
                what = f"decided by {who}" if role == "review" else "settled"
                problems.append(
                    f"{where}, field 'id': {d.doc_id!r} was already {what} at the {stage} "
                    f"stage ({seen[key]})"
                )
            seen.setdefault(key, where)
            if role == "review":
                reached[(d.doc_id, d.stage)].add(who)
                if d.stage in STAGES and who not in method.reviewers_at(d.stage):
                    problems.append(
                        f"{where}, field 'reviewer': {who!r} is not one of the {stage} "
                        f"stage's reviewers {list(method.reviewers_at(d.stage))}"
                    )
    for (doc_id, stage), said in reached.items():
        for who in method.reviewers_at(stage) if stage in STAGES else ():
            if who not in said:
                problems.append(
                    f"reviews of {doc_id!r}, field 'reviewer': no decision of {who!r} at the "
                    f"{STAGE_NAMES.get(stage, stage)} stage (each reviewer's decision, or the "
                    "rules' verdict standing for it, is needed for the agreement)"
                )
    if problems:
        raise DataError(
            f"screening: {len(problems):,} problem(s); the project is unchanged", problems
        )


def write_screening(conn: sqlite3.Connection, screening, now: str) -> None:
    """Replace the stored decisions by ``screening``'s (inside the caller's
    transaction); a schema-1 file gains the table and becomes schema 2."""
    from ihms.policy.project import SCHEMA_VERSION

    if not has_screening_tables(conn):
        for statement in SCREENING_SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("DELETE FROM screening_decisions")
    rows = [("review", r.reviewer, r) for r in screening.reviews]
    rows += [("settlement", s.settled_by, s) for s in screening.settlements]
    rows += [("unused", u.reviewer, u) for u in screening.unused]
    conn.executemany(
        "INSERT INTO screening_decisions(doc_id, stage, role, reviewer, decision, reason, source)"
        " VALUES (?,?,?,?,?,?,?)",
        [(d.doc_id, d.stage, role, who, d.decision, d.reason, d.source) for role, who, d in rows],
    )
    about = {
        "reviewers": list(screening.method.reviewers),
        "stage_reviewers": {s: list(screening.method.reviewers_at(s)) for s in STAGES},
        "rules": list(screening.method.rules),
        "notes": list(screening.notes),
        "screened_at": now,
        # the unreadable files it counted: one imported later is not in its flow
        "not_retrieved": [s.doc_id for s in screening.statuses if s.status == "not_retrieved"],
    }
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        [
            ("screening", json.dumps(about, ensure_ascii=False)),
            ("schema_version", str(SCHEMA_VERSION)),
        ],
    )


def read_screening(project):
    """The screening stored in ``project``: a :class:`~ihms.policy.prisma.Screening`
    whose statuses, reviews, settlements, agreement per stage and notes are those
    :func:`~ihms.policy.prisma.screen` gave when the project was screened."""
    from ihms.policy._screening_pass import screening_method, settled_by
    from ihms.policy.prisma import DocumentStatus, Screening

    about = project.query("SELECT value FROM meta WHERE key='screening'")
    if not about:
        screened = project.query("SELECT count(*) FROM documents WHERE status != 'identified'")
        if screened[0][0]:
            raise InputError(
                f"{project.path}: the project keeps each document's final status but not the "
                "reviewers' decisions (it was screened by an earlier ihms, project schema 1); "
                "screen it again with the reviewers' sheets (`ihms policy screen ... "
                "--decisions ...`) to store them"
            )
        raise InputError(
            f"{project.path}: the project has not been screened yet; run `ihms policy screen`"
        )
    about = json.loads(about[0][0])
    by_role: dict[str, list] = {role: [] for role in _ROLES}
    for doc_id, stage, role, who, decision, reason, source in project.query(
        "SELECT doc_id, stage, role, reviewer, decision, reason, source"
        " FROM screening_decisions ORDER BY id"
    ):
        if role == "settlement":
            by_role[role].append(Settlement(doc_id, stage, decision, reason, who, source))
        else:
            by_role[role].append(ScreeningDecision(doc_id, stage, decision, reason, who, source))
    reviewers = tuple(about["reviewers"])
    # each stage's reviewers; a file without them counted every reviewer at both stages
    by_stage = {s: tuple(about.get("stage_reviewers", {}).get(s, reviewers)) for s in STAGES}
    settlers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in sorted(by_role["settlement"], key=lambda s: STAGES.index(s.stage)):
        settlers[s.doc_id].append((s.stage, s.settled_by))
    statuses = tuple(
        DocumentStatus(
            doc_id, status, stage or "", reason or "", dup or "", source or "", title or "",
            settled_by(settlers[doc_id]) if doc_id in settlers else "",
        )
        for doc_id, status, stage, reason, dup, source, title in project.query(
            "SELECT id, status, status_stage, status_reason, duplicate_of, source, title"
            " FROM documents WHERE status != 'identified'"
            " ORDER BY status = 'not_retrieved', id"
        )
    )  # fmt: skip
    _check_complete(project, by_stage, by_role["review"], statuses)
    # files that failed to import after the screening (a file written before these were
    # kept counts every unreadable file, as it did)
    counted = set(about.get("not_retrieved", [s.doc_id for s in statuses]))
    later = [s.doc_id for s in statuses if s.status == "not_retrieved" and s.doc_id not in counted]
    statuses = tuple(s for s in statuses if s.doc_id not in later)
    notes = list(about["notes"])
    later += [r[0] for r in project.query(
        "SELECT id FROM documents WHERE status = 'identified' ORDER BY id")]  # fmt: skip
    if later:
        notes.append(
            f"{len(later)} document(s) were imported after the screening and are not screened: "
            f"{first_of(later)}"
        )
    method = screening_method(
        reviewers, by_role["review"], by_role["settlement"], about["rules"], by_stage
    )
    return Screening(
        statuses, tuple(notes), method, tuple(by_role["review"]),
        tuple(by_role["settlement"]), tuple(by_role["unused"]),
    )  # fmt: skip


def _check_complete(
    project, by_stage: dict[str, tuple[str, ...]], reviews: Iterable, statuses: Iterable
) -> None:
    """Each stage's every reviewer (``by_stage``) has a decision wherever a document
    reached the stage, and nowhere
    else, as screening stored them; a file edited by hand may not, and κ would be
    wrong. A document reached the title stage unless it is a duplicate or unread, and
    the full-text stage unless it was excluded at the title stage."""
    said: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in reviews:
        said[(r.doc_id, r.stage)][r.reviewer] += 1
    problems = [
        f"table screening_decisions, document {doc_id!r}, {STAGE_NAMES[stage]} stage, field "
        f"'reviewer': expected one decision of each of {list(by_stage[stage])}, got {dict(who)}"
        for (doc_id, stage), who in said.items()
        if set(who) != set(by_stage[stage]) or max(who.values()) > 1
    ]
    reached = {
        (s.doc_id, stage)
        for s in statuses
        if s.status in ("included", "excluded")
        for stage in STAGES[: 1 if s.stage == "title" else 2]
    }
    problems += [
        f"table screening_decisions, document {doc_id!r}, {STAGE_NAMES[stage]} stage, "
        f"field 'reviewer': expected one decision of each of {list(by_stage[stage])} (the "
        "document reached the stage), got none"
        for doc_id, stage in sorted(reached - set(said))
        if by_stage[stage]
    ]
    problems += [
        f"table screening_decisions, document {doc_id!r}, {STAGE_NAMES[stage]} stage, field "
        "'role': a review of a stage the document did not reach (its status says so); "
        "expected role 'unused'"
        for doc_id, stage in sorted(set(said) - reached)
    ]
    if problems:
        raise DataError(f"{project.path}: the stored screening is incomplete", problems)
