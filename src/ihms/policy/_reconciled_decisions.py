"""Decisions read from a reconciled coding (an ihms export's ``reconciled`` user), and
the kind each is settled to: the agreement of the coders the reconciliation was between
while they all give its answer, else a decision by the person who made it.

The coders a reconciliation was between are the human coders its file named (its other
users; recorded in the import log's ``note`` when the file is read). A machine coder's
answers, awaiting review, or a person who codes the segments later were not part of it
and never change a decision's kind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

__all__ = [
    "RECONCILED_NOTE",
    "Settled",
    "between_note",
    "reconciled_note",
    "reconciliation_coders",
    "reconciliation_names",
    "settle_reconciled",
    "split_reconciled_note",
]

_AGREEMENT_OF = "agreement of "
#: ``note`` of a decision read from an ihms export's reconciled coding, then its decider.
RECONCILED_NOTE = "from a reconciled coding, decided by "
# key of the import log's JSON note naming the coders a reconciled coding was between
_BETWEEN = "reconciled_between"


def reconciled_note(decider: str, note: str = "") -> str:
    """The ``note`` of a decision read from a reconciled coding: its first line names
    who decided (the decision's author when the file says, else the file's user), the
    decision's own note follows."""
    return RECONCILED_NOTE + " ".join(decider.split()) + (f"\n{note}" if note else "")


def split_reconciled_note(note: str) -> tuple[str, str]:
    """``(decider, the decision's own note)`` of a :func:`reconciled_note`."""
    decider, _, own = note.removeprefix(RECONCILED_NOTE).partition("\n")
    return decider, own


def between_note(coders: list[str]) -> str:
    """The import log's ``note`` for a reconciled coding between ``coders`` (the file's
    other users, by id and by name)."""
    return json.dumps({_BETWEEN: sorted(set(coders))}, ensure_ascii=False)


def reconciliation_coders(conn) -> set[str]:
    """The project's human coders the reconciled codings read so far were between: those
    whose id a reconciled file named. Every human coder when a reconciled coding was
    read before the files' coders were recorded (an older project)."""
    humans = {r[0] for r in conn.execute("SELECT id FROM coders WHERE kind='human'")}
    named = reconciliation_names(
        n for (n,) in conn.execute("SELECT note FROM imports WHERE kind='decisions'")
    )
    return humans if named is None else humans & named


def reconciliation_names(notes: Iterable[str | None]) -> set[str] | None:
    """The names (file users' ids and names) reconciled codings were between, from the
    import log's ``notes`` of their imports; None when one was read before the log
    named them (every human coder counts then)."""
    named: set[str] = set()
    for note in notes:
        try:
            between = json.loads(note or "{}").get(_BETWEEN)
        except (ValueError, AttributeError):
            between = None
        if between is None:
            return None
        named.update(between)
    return named


class Settled(NamedTuple):
    """What :func:`settle_reconciled` did: the pairs whose kind changed, the coders the
    reconciliations were between, and each reconciled pair's kind now."""

    changed: set[tuple[str, str]]
    between: set[str]
    kinds: dict[tuple[str, str], str]


def settle_reconciled(conn) -> Settled:
    """Re-derive the kind of each decision read from a reconciled coding (its ``note``
    starts with :data:`RECONCILED_NOTE`): the agreement of the coders it was between
    (:func:`reconciliation_coders`) where two or more of them coded the pair and all
    gave its answer, else a decision by the file's user. Called after every write of
    codings or of such decisions, so the kinds do not depend on whether the reconciled
    coding was imported before or after the coders."""
    rows = conn.execute(
        "SELECT id, segment_id, dimension, value, method, decided_by, note FROM decisions"
        " WHERE substr(note, 1, ?) = ?",
        (len(RECONCILED_NOTE), RECONCILED_NOTE),
    ).fetchall()
    if not rows:
        return Settled(set(), set(), {})
    between = reconciliation_coders(conn)
    coded: dict[tuple[str, str], dict[str, set[str]]] = {}
    # only the codings of those pairs: the table is not read whole on every write
    for seg, dim, who, value in conn.execute(
        "SELECT c.segment_id, c.dimension, c.coder_id, c.value FROM codings c"
        " WHERE EXISTS (SELECT 1 FROM decisions d WHERE d.segment_id = c.segment_id"
        " AND d.dimension = c.dimension AND substr(d.note, 1, ?) = ?)",
        (len(RECONCILED_NOTE), RECONCILED_NOTE),
    ):
        if who not in between:
            continue
        values = coded.setdefault((seg, dim), {}).setdefault(who, set())
        if value:
            values.add(value)
    updates, changed, kinds = [], set(), {}
    for did, seg, dim, value, method, by, note in rows:
        answer = set(json.loads(value))
        by_coder = coded.get((seg, dim), {})
        if len(by_coder) >= 2 and all(v == answer for v in by_coder.values()):
            kind = ("agreement", _AGREEMENT_OF + ", ".join(sorted(by_coder)))
        else:
            kind = ("decision", split_reconciled_note(note)[0])
        kinds[seg, dim] = kind[0]
        if kind != (method, by):
            updates.append((*kind, did))
            if kind[0] != method:
                changed.add((seg, dim))
    conn.executemany("UPDATE decisions SET method=?, decided_by=? WHERE id=?", updates)
    return Settled(changed, between, kinds)
