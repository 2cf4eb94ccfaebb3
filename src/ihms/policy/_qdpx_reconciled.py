"""The reconciled coding of an ihms export, read back as the project's reconciliation.

:func:`ihms.policy.qdpx.export_qdpx` writes the reconciled coding (each segment's agreed
or decided answers) as a user of its own, ``reconciled``, so NVivo and ATLAS.ti users can
compare the coders with it. Read back, that user is not a person who coded: its answers
are stored as decisions (the ``decisions`` table, as :func:`ihms.policy.reconcile.reconcile`
and :func:`~ihms.policy.reconcile.record_decisions` store them), never as a coder's
codings that agreement would be computed against.
"""

from __future__ import annotations

import datetime as dt
import json

from ihms.errors import DataError
from ihms.policy._qdpx_read import QdpxFile, QdpxUser
from ihms.policy._reconciled_decisions import (
    RECONCILED_NOTE,
    between_note,
    reconciled_note,
    reconciliation_names,
    settle_reconciled,
    split_reconciled_note,
)

__all__ = [
    "RECONCILED",
    "RECONCILED_NAME",
    "decision_notes",
    "is_reconciled_user",
    "reconciled_rows",
    "record_reconciled",
    "refiled_user_notes",
    "unmatched_users_notes",
]

#: The REFI-QDA user that holds the reconciled coding in an export (its ``id``).
RECONCILED = "reconciled"
#: Its display name, which QDA programs keep when they re-export the project.
RECONCILED_NAME = f"{RECONCILED} (agreed and decided answers, ihms)"


def is_reconciled_user(qfile: QdpxFile, guids: set[str | None]) -> bool:
    """Whether the users chosen (their lower-case GUIDs) are ihms's reconciled user."""
    chosen = [u for u in qfile.users if u.guid.lower() in guids]
    return bool(chosen) and len(chosen) == len(guids) and all(
        u.id == RECONCILED or u.name == RECONCILED_NAME for u in chosen
    )  # fmt: skip


# A decision's REFI-QDA note, one line each: who decided (a person's decision), then its
# own note (the rest of the text). QDA programs show it as a memo on the codings.
_AUTHOR, _NOTE = "decided by: ", "note: "


def reconciled_rows(project) -> tuple[list[tuple], dict[tuple[str, str, str], tuple]]:
    """The reconciled coding as export rows ``(RECONCILED, segment, dimension, value,
    decided_at, retired, scheme)`` — a decision holds its answers as a JSON list, ``[]``
    for "none applies" — and, per decision with an author or a note, the note its
    codings refer to: ``{(RECONCILED, segment, dimension): (name, text, decided_at)}``.
    A decision read from a reconciled coding keeps the author and note it came with."""
    rows, notes = [], {}
    for seg, dim, values, method, by, at, note, retired, scheme in project.query(
        "SELECT d.segment_id, d.dimension, d.value, d.method, d.decided_by, d.decided_at,"
        " d.note, s.retired, s.scheme FROM decisions d JOIN segments s ON s.id = d.segment_id"
    ):
        rows += [(RECONCILED, seg, dim, v, at, retired, scheme) for v in json.loads(values) or [""]]
        author, own = _stored_note(method, by, note)
        text = "\n".join(([_AUTHOR + author] if author else []) + ([_NOTE + own] if own else []))
        if text:
            notes[(RECONCILED, seg, dim)] = (f"{method}: {seg} / {dim}", text, at)
    return rows, notes


def _stored_note(method: str, by: str, note: str | None) -> tuple[str | None, str]:
    """``(author, note)`` of a stored decision as the export writes them: a decision read
    from a reconciled coding keeps the author and note it came with."""
    if (note or "").startswith(RECONCILED_NOTE):
        return split_reconciled_note(note)
    return (by if method == "decision" else None), note or ""


def _held_note(method: str, by: str, note: str | None) -> tuple[str | None, str]:
    """``(author, note)`` of a stored decision as a file's note on it is compared."""
    author, own = _stored_note(method, by, note)
    return author, own.replace("\r\n", "\n").strip()


def _read_note(text: str) -> tuple[str | None, str]:
    """``(author, note)`` of a decision's note; a note in no such form is all note."""
    text, author = text.replace("\r\n", "\n").strip(), None
    if text.startswith(_AUTHOR):
        author, _, text = text.removeprefix(_AUTHOR).partition("\n")
    return (author or "").strip() or None, text.removeprefix(_NOTE).strip()


def decision_notes(
    qfile: QdpxFile,
    users: set[str | None],
    mapping: dict[str, tuple[str, str]],
    behind: dict[tuple[str, str], set[str]],
) -> tuple[dict[tuple[str, str], tuple[str | None, str]], int]:
    """``{(segment, dimension): (author, note)}`` from the notes the chosen users'
    codings refer to (``behind``: the selections each answer was read from), and how
    many pairs' codings refer to notes that say different things (those get none)."""
    refs = qfile.note_refs(users, mapping)
    out, conflicting = {}, 0
    for (seg, dim), selections in behind.items():
        read = {_read_note(qfile.notes[g]) for s in selections
                for g in refs.get((s, dim), ()) if g in qfile.notes}  # fmt: skip
        if len(read) == 1:
            out[(seg, dim)] = read.pop()
        conflicting += len(read) > 1
    return out, conflicting


def _iso(stamp: str | None) -> str:
    """A REFI-QDA ``xs:dateTime`` as ihms stores times (UTC, seconds); now if absent."""
    try:
        when = dt.datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        when = None
    if when is None:
        when = dt.datetime.now(dt.UTC)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def record_reconciled(
    project,
    answers: dict[tuple[str, str], frozenset[str]],
    *,
    when: dict[tuple[str, str], str | None],
    file: str,
    decided_by: str,
    digest: str,
    replace: bool,
    authored: dict[tuple[str, str], tuple[str | None, str]] | None = None,
    between: list[str] = (),
) -> tuple[int, int, int, int]:
    """Store ``{(segment, dimension): values}`` as decisions in one transaction; returns
    ``(added, replaced, unchanged, notes not applied)`` — the last: pairs whose answer is
    unchanged but whose note in ``authored`` differs from the project's, which keeps its
    own (as it keeps its answers unless ``replace``).

    A pair on which two or more of the project's coders gave this same answer is
    recorded as their agreement (as ``reconcile`` records it); any other as a decision
    by its author in ``authored`` (``{(segment, dimension): (author, note)}``, from the
    file's notes; the note is kept too), else by ``decided_by``. The kind is derived again whenever coders are imported later
    (:func:`~ihms.policy._reconciled_decisions.settle_reconciled`), so import order does
    not matter, against ``between`` only: the coders the reconciliation was between (the
    file's other users, by id and name), never a machine coder or a person who codes
    later. A pair already reconciled with another answer is an error unless
    ``replace``: nothing is written then.
    """
    authored = authored or {}
    # the stored decisions of the file's pairs only, each note parsed only where it is
    # compared (an unchanged answer the file has a note on): a project holds many
    existing = {}
    for seg, dim, *stored in project.query(
        "SELECT segment_id, dimension, value, method, decided_by, note FROM decisions"
    ):
        if (seg, dim) in answers:
            existing[seg, dim] = stored
    problems, todo = [], []
    unchanged = replaced = notes_kept = 0
    for key, values in sorted(answers.items()):
        stored = existing.get(key)
        old = None if stored is None else frozenset(json.loads(stored[0]))
        if old is None:
            todo.append(key)
        elif old == values:
            unchanged += 1
            notes_kept += key in authored and authored[key] != _held_note(*stored[1:])
        elif replace:
            replaced += 1
            todo.append(key)
        else:
            problems.append(
                f"segment {key[0]!r} dimension {key[1]!r} is reconciled as "
                f"{'; '.join(sorted(old)) or 'none'}; the file's reconciled coding says "
                f"{'; '.join(sorted(values)) or 'none'} (pass replace=True to overwrite it)"
            )
    if problems:
        raise DataError(
            f"{file}: {len(problems):,} reconciled answer(s) contradict the project's "
            "reconciliation; nothing imported",
            problems,
        )
    rows = []
    for seg, dim in todo:
        author, own = authored.get((seg, dim), (None, ""))
        note = reconciled_note(author or decided_by, own)
        rows.append((seg, dim, json.dumps(sorted(answers[seg, dim]), ensure_ascii=False),
                     "decision", split_reconciled_note(note)[0], _iso(when.get((seg, dim))), note))  # fmt: skip
    version = project.codebook_version
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO imports(kind, file, sha256, coder_id, rows, at, note) VALUES"
            " ('decisions', ?, ?, NULL, ?, ?, ?)",
            (file, digest, len(answers), _iso(None), between_note(list(between))),
        )
        conn.executemany(
            "INSERT INTO decisions(segment_id, dimension, value, method, decided_by, decided_at,"
            " note, codebook_version) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(segment_id, dimension)"
            " DO UPDATE SET value=excluded.value, method=excluded.method,"
            " decided_by=excluded.decided_by, decided_at=excluded.decided_at,"
            " note=excluded.note, codebook_version=excluded.codebook_version",
            [(*r, version) for r in rows],
        )
        settle_reconciled(conn)
    return len(rows) - replaced, replaced, unchanged, notes_kept


def unmatched_users_notes(project, others: list[QdpxUser], decided_by: str) -> list[str]:
    """The import's note naming the file's users (``others``: those a reconciled coding
    was between) whose id and name are no human coder of the project: their agreements
    never settle a reconciled pair, which the import would otherwise leave to be found
    in the decisions table. Coders are matched by name only; no option maps them."""
    humans = [r[0] for r in project.query("SELECT id FROM coders WHERE kind='human' ORDER BY id")]
    missing = [u for u in others if not {u.id, u.name} & set(humans)]
    if not missing:
        return []
    names = ", ".join(repr(u.name or u.id or u.guid) for u in missing)
    coders = f"coders: {', '.join(humans)}" if humans else "it has no human coder yet"
    return [
        f"file user(s) {names} match no human coder of the project by id or name ({coders}), "
        f"so a pair they agreed on stays a decision by {decided_by!r}; the coders of a "
        "reconciled coding are matched by name only: file each one's codings under the "
        "file's name (coder=... / --coder NAME) for their agreements to count"
    ]


def refiled_user_notes(project, chosen: list[QdpxUser], coder: str) -> list[str]:
    """The import's note when the file's user (``chosen``) is filed under another name
    than the one a reconciled coding of the project was between (read before this
    coder's codings): the coder's answers settle none of its pairs."""
    named = reconciliation_names(
        n for (n,) in project.query("SELECT note FROM imports WHERE kind='decisions'")
    )
    if not named or coder in named:
        return []
    was = [u.name or u.id for u in chosen if {u.id, u.name} & named]
    if not was:
        return []
    return [
        f"file user {was[0]!r} is filed as coder {coder!r}, but the project's reconciled "
        f"coding was between file users by name ({', '.join(sorted(named))}): {coder!r}'s "
        f"answers settle none of its pairs (file them as {was[0]!r} for them to count)"
    ]
