"""The ledger's SQLite file (:class:`ihms.payment.Ledger` keeps the books in it): its
schema, whose triggers refuse every UPDATE and DELETE; opening it, a folder, a missing
file (to audit) or a database that is no ledger refused; one ``BEGIN IMMEDIATE``
transaction; and the rows a posting reads and writes (the scope's active batch, a batch,
its postings)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ihms.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id       INTEGER PRIMARY KEY,
    scope          TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('settlement', 'reversal')),
    input_digest   TEXT    NOT NULL,
    rules_name     TEXT    NOT NULL,
    rules_version  TEXT    NOT NULL,
    reverses_batch INTEGER REFERENCES batches (batch_id),
    record_json    TEXT    NOT NULL,
    posted_at      TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    posting_id  INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES batches (batch_id),
    year        INTEGER NOT NULL,
    debit       TEXT    NOT NULL,
    credit      TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    category    TEXT    NOT NULL,
    institution TEXT    NOT NULL,
    memo        TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_scope_year ON batches (scope, year);
CREATE INDEX IF NOT EXISTS postings_batch ON postings (batch_id);
CREATE TRIGGER IF NOT EXISTS batches_no_update BEFORE UPDATE ON batches
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS batches_no_delete BEFORE DELETE ON batches
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS postings_no_update BEFORE UPDATE ON postings
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS postings_no_delete BEFORE DELETE ON postings
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
"""


TABLES = {
    "batches": {"batch_id", "scope", "year", "kind", "input_digest", "record_json"},
    "postings": {"posting_id", "batch_id", "debit", "credit", "amount_fen"},
}


def open_ledger(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection to the ledger at ``path`` (autocommit; :func:`transaction` opens
    each). Written to (not ``read_only``): the folder must exist, and a new or empty
    file gets the ledger's tables, in WAL mode with foreign keys on. ``read_only``: the
    file must exist and be a ledger, opened ``mode=ro``.

    Raises
    ------
    InputError
        ``path`` is a folder, its folder is missing, the file is missing (read-only), is
        no SQLite database, or is one without the ledger's tables.
    """
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a ledger file (.sqlite)")
    if read_only and not path.is_file():
        raise InputError(
            f"{path}: no ledger file (a settlement posted with ihms payment settle "
            "--ledger FILE, or Ledger.post, writes one)"
        )
    if not read_only and not path.parent.is_dir():
        raise InputError(
            f"{path}: the folder {path.parent} does not exist (a ledger is "
            "created in an existing folder only: create it, or check the path)"
        )
    try:
        if read_only:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
        else:
            conn = sqlite3.connect(path, isolation_level=None)
        try:
            _check_tables(conn, path, read_only=read_only)
            if not read_only:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.executescript(SCHEMA)
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a usable ledger database ({exc})") from None
    return conn


def _check_tables(conn: sqlite3.Connection, path: Path, *, read_only: bool) -> None:
    """Refuse a database that is not a ledger (a new, empty one is fine to write)."""
    tables = {
        str(name): {str(c[1]) for c in conn.execute(f"PRAGMA table_info('{name}')")}
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if not tables and not read_only:
        return
    lacking = [t for t, cols in TABLES.items() if not cols <= tables.get(t, set())]
    if lacking:
        has = ", ".join(sorted(tables)) or "no tables"
        raise InputError(
            f"{path}: not an ihms payment ledger (it has {has}; a ledger has tables "
            f"{' and '.join(TABLES)}); give the ledger file "
            + (
                "that ihms payment settle --ledger wrote"
                if read_only
                else "or a new path for a new ledger"
            )
        )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction on ``conn``, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def active_batch(conn: sqlite3.Connection, scope: str, year: int) -> tuple[int, str] | None:
    """``(batch id, input digest)`` of the scope's settlement of ``year`` that no
    reversal undoes, or None."""
    row = conn.execute(
        """SELECT batch_id, input_digest FROM batches b
           WHERE scope = ? AND year = ? AND kind = 'settlement'
             AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.reverses_batch = b.batch_id)
           ORDER BY batch_id DESC LIMIT 1""",
        (scope, year),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def insert_batch(
    conn: sqlite3.Connection,
    *,
    scope: str,
    year: int,
    kind: str,
    digest: str,
    name: str,
    version: str,
    reverses: int | None,
    record_json: str,
) -> int:
    """Write a batch (posted now, UTC) and return its id."""
    cur = conn.execute(
        """INSERT INTO batches (scope, year, kind, input_digest, rules_name, rules_version,
                                reverses_batch, record_json, posted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            scope,
            year,
            kind,
            digest,
            name,
            version,
            reverses,
            record_json,
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )
    return int(cur.lastrowid)  # type: ignore[arg-type]


def insert_postings(conn: sqlite3.Connection, batch_id: int, year: int, rows: list[tuple]) -> None:
    """Write a batch's postings, each row ``(debit, credit, amount_fen, category,
    institution, memo)``."""
    conn.executemany(
        "INSERT INTO postings (batch_id, year, debit, credit, amount_fen, category, institution, memo) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(batch_id, year, *row) for row in rows],
    )
