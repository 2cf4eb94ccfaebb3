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
from ihms.policy._qdpx_read import QdpxFile
from ihms.policy.coding import RECONCILED_NOTE, settle_reconciled

__all__ = ["RECONCILED", "RECONCILED_NAME", "is_reconciled_user", "record_reconciled"]

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
) -> tuple[int, int, int]:
    """Store ``{(segment, dimension): values}`` as decisions in one transaction; returns
    ``(added, replaced, unchanged)``.

    A pair on which two or more of the project's coders gave this same answer is
    recorded as their agreement (as ``reconcile`` records it); any other as a decision
    by ``decided_by``. The kind is derived again whenever coders are imported later
    (:func:`~ihms.policy.coding.settle_reconciled`), so import order does not matter. A pair already reconciled with another answer is an error unless
    ``replace``: nothing is written then.
    """
    existing = {
        (seg, dim): frozenset(json.loads(value))
        for seg, dim, value in project.query("SELECT segment_id, dimension, value FROM decisions")
    }
    problems, todo = [], []
    unchanged = replaced = 0
    for key, values in sorted(answers.items()):
        old = existing.get(key)
        if old is None:
            todo.append(key)
        elif old == values:
            unchanged += 1
        elif replace:
            replaced += 1
            todo.append(key)
        else:
            problems.append(
                f"segment {key[0]!r} dimension {key[1]!r} is reconciled as "
                f"{'; '.join(sorted(old)) or 'none'}; the file's reconciled coding says "
                f"{'; '.join(sorted(values)) or 'none'} (replace=True / --replace to overwrite)"
            )
    if problems:
        raise DataError(
            f"{file}: {len(problems):,} reconciled answer(s) contradict the project's "
            "reconciliation; nothing imported",
            problems,
        )
    note = RECONCILED_NOTE + decided_by
    rows = [
        (seg, dim, json.dumps(sorted(answers[seg, dim]), ensure_ascii=False), "decision",
         decided_by, _iso(when.get((seg, dim))), note)
        for seg, dim in todo
    ]  # fmt: skip
    version = project.codebook_version
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO imports(kind, file, sha256, coder_id, rows, at) VALUES"
            " ('decisions', ?, ?, NULL, ?, ?)",
            (file, digest, len(answers), _iso(None)),
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
    return len(rows) - replaced, replaced, unchanged
