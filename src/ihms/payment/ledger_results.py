"""What the ledger (:class:`~ihms.payment.ledger.Ledger`) returns: the outcome of a
posting (:class:`PostResult`), a year's postings for an audit (:class:`AuditView`) and
the batches table as people read it (:func:`batches_summary`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms._repr import brief_repr
from ihms.payment.money import format_yuan, yuan_column
from ihms.summary import SummaryTable

__all__ = ["AuditView", "PostResult", "batches_summary"]


@dataclass(frozen=True)
class PostResult:
    """What :meth:`Ledger.post` did: ``posted``, ``unchanged`` or ``replaced``."""

    status: str
    year: int
    scope: str
    batch_id: int | None
    reversal_batch_id: int | None
    postings_written: int


@dataclass(frozen=True, eq=False)
class AuditView:
    """Postings of one year (optionally one institution) and their net by account."""

    year: int
    institution: str | None
    postings: pd.DataFrame
    net: pd.DataFrame

    def __repr__(self) -> str:
        # the generated repr printed both tables
        return brief_repr(
            self,
            year=self.year,
            institution=self.institution,
            postings=len(self.postings),
            accounts=len(self.net),
        )

    def summary(self) -> SummaryTable:
        who = f", {self.institution}" if self.institution else ""
        # account codes stay codes: an auditor matches them against the postings
        frame = pd.DataFrame(
            {"Net (yuan)": yuan_column(self.net["net_fen"].tolist())},
            index=pd.Index(self.net["account"], name="Account code"),
        )
        notes = [
            f"{len(self.postings)} posting(s) on record for the year, reversed ones included; "
            "net = received − paid."
        ]
        if self.institution is None:
            # double entry: every posting is paid by one account and received by another
            total = format_yuan(int(self.net["net_fen"].sum()))
            notes.append(
                f"The accounts net to {total} (double entry: each amount is paid by one account and received by another)."
            )
        return SummaryTable(
            frame,
            title=f"Ledger audit {self.year}{who}: net of active postings by account",
            notes=tuple(notes),
        )

    def kinds_summary(self) -> SummaryTable:
        """The net by kind of account (the code before ``:``: ``staff``, ``institution``,
        ``fund`` ...), with how many accounts each kind has: the audit's totals, short
        however many staff accounts the year pays (:meth:`summary` lists each account)."""
        kind = self.net["account"].astype(str).str.split(":", n=1).str[0]
        grouped = self.net.assign(kind=kind.to_numpy()).groupby("kind", sort=True)["net_fen"]
        frame = pd.DataFrame(
            {
                "Accounts": grouped.size().astype(int).tolist(),
                "Net (yuan)": yuan_column([int(v) for v in grouped.sum().tolist()]),
            },
            index=pd.Index(grouped.size().index.tolist(), name="Account kind"),
        )
        who = f", {self.institution}" if self.institution else ""
        return SummaryTable(
            frame,
            title=f"Ledger audit {self.year}{who}: net of active postings by kind of account",
            notes=(
                f"{len(self.net)} account(s) with a nonzero net; net = received − paid, summed "
                "over the accounts of each kind.",
            ),
        )

    def postings_summary(self) -> SummaryTable:
        """Every posting of the year (reversed and reversals included), columns in words,
        amounts in exact yuan."""
        frame = pd.DataFrame(
            {
                "Batch": self.postings["batch_id"].tolist(),
                "Batch kind": self.postings["batch_kind"].tolist(),
                "Debit (receives)": self.postings["debit"].tolist(),
                "Credit (pays)": self.postings["credit"].tolist(),
                "Memo": self.postings["memo"].tolist(),
                "Amount (yuan)": yuan_column(self.postings["amount_fen"].tolist()),
            },
            index=pd.Index(self.postings["posting_id"].tolist(), name="Posting"),
        )
        who = f", {self.institution}" if self.institution else ""
        return SummaryTable(
            frame,
            title=f"Postings {self.year}{who}: every posting on record",
            notes=("Debit: the account that receives the amount; credit: the one that pays it.",),
            formats={"Batch": str},
        )


# The batches' columns as people read them (Ledger.batches keeps the codes).
_BATCH_COLUMNS = {
    "batch_id": "Batch",
    "scope": "Scope",
    "year": "Year",
    "kind": "Kind",
    "rules_name": "Rule set",
    "rules_version": "Rule set version",
    "status": "Status",
    "reverses_batch": "Reverses batch",
}


def batches_summary(
    batches: pd.DataFrame, *, title: str, notes: tuple[str, ...] = ()
) -> SummaryTable:
    """The ledger's batches (:meth:`Ledger.batches`) with their columns named in words.

    Parameters
    ----------
    batches : DataFrame
        :meth:`~ihms.payment.ledger.Ledger.batches` (or a selection of its rows).
    title : str
        The table's title.
    notes : tuple of str
        Notes under the table; a note on reversals is added when a batch reverses another.
    """
    frame = batches[list(_BATCH_COLUMNS)].rename(columns=_BATCH_COLUMNS)
    if frame["Reverses batch"].notna().any():
        notes = (*notes, "A reversal batch posts the negative of the batch it reverses.")
    else:  # no reversal on record: the column would be empty
        frame = frame.drop(columns="Reverses batch")
    return SummaryTable(
        frame.set_index("Batch"),
        title=title,
        notes=notes,
        formats={"Year": str, "Reverses batch": lambda v: "" if pd.isna(v) else str(int(v))},
    )
