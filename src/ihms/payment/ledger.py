"""An append-only ledger of settlements in SQLite (WAL, one transaction per posting).

Every settlement becomes a *batch* of *postings*; a posting is a transfer of
``amount_fen`` (> 0) from a ``credit`` account to a ``debit`` account, so every batch is
balanced by construction and money can be traced from the insurer's fund to each
institution, use and staff member. Rows are never updated or deleted (triggers refuse
it). Posting a year again:

- with the same rules and inputs (same input digest): nothing is written;
- with changed rules or inputs: a *reversal* batch (the previous postings with debit and
  credit swapped) and the new settlement are written in one transaction.

Accounts::

    insurer:fund, insurer:private_reserve, insurer:risk_adjustment_fund
    consortium:global_budget, consortium:balance, consortium:own_funds,
    consortium:shared_savings, consortium:use:<use>
    institution:<id>, outside_county:providers, private:hospitals,
    primary_care:family_physician_fee, staff:<id>
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ihms.errors import InputError
from ihms.payment._ledger_checks import account_checks
from ihms.payment._ledger_db import (
    active_batch,
    insert_batch,
    insert_postings,
    open_ledger,
    transaction,
)
from ihms.payment.ledger_results import AuditView, PostResult, replacement_reason
from ihms.payment.postings import Posting, net_by_account, record_postings
from ihms.payment.record import SettlementRecord

__all__ = ["AuditView", "Ledger", "PostResult", "Posting", "record_postings"]


class Ledger:
    """An append-only SQLite ledger at ``path`` (created on first use).

    A missing or empty file becomes a new ledger; an existing SQLite database with other
    tables but not the ledger's is refused ("not an ihms payment ledger"), so a mistyped
    path never adds ledger tables to someone else's database. With ``read_only=True``
    (auditing) the file must already be a ledger, and nothing is ever written.

    Parameters
    ----------
    path : str or Path
        The ledger file (``.sqlite``), in an existing folder; opened on first use.
    read_only : bool, default False
        Open for auditing: the file must exist and nothing is written.

    Raises
    ------
    InputError
        On first use: ``path`` is a folder, its folder does not exist, the file is
        missing (read-only), or it is a database that is not an ihms ledger.

    Examples
    --------
    >>> import tempfile, os
    >>> scratch = tempfile.TemporaryDirectory()
    >>> with Ledger(os.path.join(scratch.name, "ledger.sqlite")) as ledger:
    ...     ledger.batches().shape[0]
    0
    >>> scratch.cleanup()
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = None

    # -- connection ---------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (:func:`~ihms.payment._ledger_db.open_ledger` on first use)."""
        if self._conn is None:
            self._conn = open_ledger(self.path, read_only=self.read_only)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    def post(self, record: SettlementRecord, *, scope: str = "consortium") -> PostResult:
        """Post a settlement idempotently (see the module docstring).

        Everything is checked and computed before the transaction starts, and the
        transaction is rolled back on any error, so a failed post writes nothing.

        Parameters
        ----------
        record : SettlementRecord
            The year's settlement, from :func:`~ihms.payment.settle_year`.
        scope : str, default "consortium"
            Which settlement series the batch belongs to (a consortium or run id); one
            active batch per scope and year.

        Returns
        -------
        PostResult
            ``status`` ``"posted"``, ``"unchanged"`` or ``"replaced"``, with batch ids and
            the number of postings written.

        Raises
        ------
        InputError
            ``record`` is not a SettlementRecord, ``scope`` is empty, or the ledger is
            read-only.
        """
        return self.post_all([record], scope=scope)[0]

    def post_all(
        self, records: Sequence[SettlementRecord], *, scope: str = "consortium"
    ) -> list[PostResult]:
        """Post several settlements (one per year, in order) in one transaction: all of
        them or, on any error, none (``ihms payment settle`` with ``--year`` given more
        than once). Each is posted as :meth:`post` posts one.

        Parameters
        ----------
        records : sequence of SettlementRecord
            The settlements, each of another year.
        scope : str, default "consortium"
            The settlement series of every one of them.

        Returns
        -------
        list of PostResult
            One per record, in their order.

        Raises
        ------
        InputError
            A record is not a SettlementRecord, two are of one year, ``scope`` is empty,
            or the ledger is read-only.
        """
        for record in records:
            if not isinstance(record, SettlementRecord):
                raise InputError(
                    f"ledger: expected a SettlementRecord, got {type(record).__name__}"
                )
        years = [r.year for r in records]
        if len(set(years)) < len(years):
            raise InputError(f"ledger: one settlement per year to post at once, got years {years}")
        if not scope:
            raise InputError("ledger: scope must not be empty")
        if self.read_only:
            raise InputError(f"{self.path}: the ledger is open read-only (to audit); cannot post")
        prepared = [
            (r, record_postings(r), json.dumps(r.to_dict(), sort_keys=True, ensure_ascii=False))
            for r in records
        ]
        with transaction(self.conn) as conn:
            return [self._post_in(conn, *one, scope=scope) for one in prepared]

    @staticmethod
    def _post_in(conn, record, postings, record_json: str, *, scope: str) -> PostResult:
        """Post ``record`` inside the open transaction on ``conn``."""
        digest = record.input_digest
        active = active_batch(conn, scope, record.year)
        if active is not None and active[1] == digest:
            return PostResult("unchanged", record.year, scope, active[0], None, 0)
        written = 0
        reversal_id = None
        if active is not None:
            # a reversal undoes the batch it reverses: it carries that batch's rule set
            old_name, old_version, old_json = conn.execute(
                "SELECT rules_name, rules_version, record_json FROM batches WHERE batch_id = ?",
                (active[0],),
            ).fetchone()
            reason = replacement_reason(json.loads(old_json), json.loads(record_json))
            old = conn.execute(
                "SELECT debit, credit, amount_fen, category, institution, memo FROM postings "
                "WHERE batch_id = ? ORDER BY posting_id",
                (active[0],),
            ).fetchall()
            reversal_id = insert_batch(
                conn,
                scope=scope,
                year=record.year,
                kind="reversal",
                digest=digest,
                name=old_name,
                version=old_version,
                reverses=active[0],
                record_json=json.dumps({"reverses_batch": active[0]}),
            )
            insert_postings(
                conn,
                reversal_id,
                record.year,
                [
                    (c, d, a, cat, inst, f"reversal of batch {active[0]}: {memo}")
                    for d, c, a, cat, inst, memo in old
                ],
            )
            written += len(old)
        batch_id = insert_batch(
            conn,
            scope=scope,
            year=record.year,
            kind="settlement",
            digest=digest,
            name=record.rules_name,
            version=record.rules_version,
            reverses=None,
            record_json=record_json,
        )
        insert_postings(
            conn,
            batch_id,
            record.year,
            [
                (p.debit, p.credit, p.amount_fen, p.category, p.institution, p.memo)
                for p in postings
            ],
        )
        written += len(postings)
        if reversal_id is None:
            return PostResult("posted", record.year, scope, batch_id, None, written)
        return PostResult(
            "replaced", record.year, scope, batch_id, reversal_id, written, active[0], reason
        )

    # -- reading --------------------------------------------------------------------------
    def batches(self, *, scope: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Batches with a ``status``: ``active``, ``reversed`` or ``reversal``.

        Parameters
        ----------
        scope : str, optional
            Only this scope (the consortium or run a batch was posted for); None, all.
        year : int, optional
            Only this settlement year; None, all.
        """
        # a reversal shows the rule set of the batch it reverses (ledgers written before
        # session 15 stored the replacing batch's on the reversal)
        sql = """SELECT b.batch_id, b.scope, b.year, b.kind,
                        COALESCE(o.rules_name, b.rules_name) AS rules_name,
                        COALESCE(o.rules_version, b.rules_version) AS rules_version,
                        b.input_digest, b.reverses_batch, b.posted_at,
                        CASE WHEN b.kind = 'reversal' THEN 'reversal'
                             WHEN EXISTS (SELECT 1 FROM batches r WHERE r.reverses_batch = b.batch_id)
                             THEN 'reversed' ELSE 'active' END AS status
                 FROM batches b LEFT JOIN batches o ON o.batch_id = b.reverses_batch
                 WHERE (? IS NULL OR b.scope = ?) AND (? IS NULL OR b.year = ?)
                 ORDER BY b.batch_id"""
        frame = pd.read_sql_query(sql, self.conn, params=(scope, scope, year, year))
        # an id, and mostly empty: nullable integers, not floats (1.0) with NaN
        frame["reverses_batch"] = frame["reverses_batch"].astype("Int64")
        return frame

    def postings(
        self, *, year: int | None = None, institution: str | None = None, scope: str | None = None
    ) -> pd.DataFrame:
        """All postings (reversed ones and reversals included) with their batch's status.

        Parameters
        ----------
        year : int, optional
            Only this settlement year; None, all.
        institution : str, optional
            Only postings booked to this institution id; None, all.
        scope : str, optional
            Only this scope (the consortium or run a batch was posted for); None, all.
        """
        sql = """SELECT p.posting_id, p.batch_id, b.scope, p.year, b.kind AS batch_kind,
                        p.debit, p.credit, p.amount_fen, p.category, p.institution, p.memo
                 FROM postings p JOIN batches b USING (batch_id)
                 WHERE (? IS NULL OR p.year = ?) AND (? IS NULL OR p.institution = ?)
                   AND (? IS NULL OR b.scope = ?)
                 ORDER BY p.posting_id"""
        params = (year, year, institution, institution, scope, scope)
        return pd.read_sql_query(sql, self.conn, params=params)

    def record(self, batch_id: int) -> dict:
        """The settlement record stored with a batch (for recomputing by hand).

        Parameters
        ----------
        batch_id : int
            A batch id from :meth:`batches` or :class:`PostResult`.

        Returns
        -------
        dict
            The record as :meth:`SettlementRecord.to_dict` gave it (a reversal batch
            holds only ``{"reverses_batch": id}``).

        Raises
        ------
        InputError
            No such batch.
        """
        row = self.conn.execute(
            "SELECT record_json FROM batches WHERE batch_id = ?", (batch_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"ledger {self.path}: no batch {batch_id}")
        return json.loads(row[0])

    def balances(self, *, year: int | None = None, scope: str | None = None) -> pd.DataFrame:
        """Net amount per account (received − paid) over all postings; reversals cancel
        the postings they reverse, so this is the net of the active settlements.

        Parameters
        ----------
        year : int, optional
            Only this settlement year; None, all.
        scope : str, optional
            Only this scope (the consortium or run a batch was posted for); None, all.

        Returns
        -------
        pandas.DataFrame
            Columns ``account`` and ``net_fen`` (fen), accounts with a zero net left out.
        """
        p = self.postings(year=year, scope=scope)
        return net_by_account(p)

    def audit(
        self, year: int, *, institution: str | None = None, scope: str | None = None
    ) -> AuditView:
        """The audit view for one year and optionally one institution.

        Parameters
        ----------
        year : int
            The settlement year.
        institution : str, optional
            Only postings booked to this institution id; None, all.
        scope : str, optional
            Only this scope (the consortium or run a batch was posted for); None, all.

        Raises
        ------
        InputError
            Nothing was posted for ``year``.
        """
        p = self.postings(year=year, institution=institution, scope=scope)
        orphans = self._sourceless_postings(year)
        if p.empty and orphans.empty and not self.batches(year=year, scope=scope).shape[0]:
            held = sorted(set(self.batches(scope=scope)["year"].astype(int)))
            where = "" if scope is None else f" in scope {scope!r}"
            raise InputError(
                f"ledger {self.path}: nothing posted for {year}{where}; it holds "
                + (", ".join(map(str, held)) or "no year")
            )
        # each account is judged on the scope's whole year, as the settlement books it
        active = self.conn.execute(
            """SELECT batch_id, record_json FROM batches b
               WHERE year = ? AND kind = 'settlement' AND (? IS NULL OR scope = ?)
                 AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.reverses_batch = b.batch_id)
               ORDER BY batch_id""",
            (year, scope, scope),
        ).fetchall()
        net = net_by_account(p)
        whole = net if institution is None else self.balances(year=year, scope=scope)
        checks = account_checks(whole, active, orphans)
        if institution is not None:
            seen = set(p["debit"]) | set(p["credit"])
            mine = orphans[orphans["institution"] == institution]
            seen |= set(mine["debit"]) | set(mine["credit"]) | {"(ledger)"}
            checks = checks[checks["account"].isin(seen)].reset_index(drop=True)
        return AuditView(year, institution, p, net, checks)

    def _sourceless_postings(self, year: int) -> pd.DataFrame:
        """Postings of ``year`` without a batch of that year: their batch id is not in
        the ledger, or names a batch of another year. Every other view joins batches, so
        these are seen nowhere else (the ledger's foreign key is only enforced on the
        connections ihms opens; another program's insert is not held to it)."""
        sql = """SELECT p.posting_id, p.batch_id, p.year, b.year AS batch_year, p.debit,
                        p.credit, p.amount_fen, p.institution
                 FROM postings p LEFT JOIN batches b USING (batch_id)
                 WHERE p.year = ? AND (b.batch_id IS NULL OR b.year != p.year)
                 ORDER BY p.posting_id"""
        return pd.read_sql_query(sql, self.conn, params=(year,))
