"""What the ledger (:class:`~ihms.payment.ledger.Ledger`) returns: the outcome of a
posting (:class:`PostResult`) and a year's postings for an audit (:class:`AuditView`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms._repr import brief_repr
from ihms.payment.money import yuan_cell
from ihms.summary import SummaryTable

__all__ = ["AuditView", "PostResult"]


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
            {"Net (yuan)": (self.net["net_fen"] / 100).to_numpy()},
            index=pd.Index(self.net["account"], name="Account code"),
        )
        return SummaryTable(
            frame,
            title=f"Ledger audit {self.year}{who}: net of active postings by account",
            notes=(
                f"{len(self.postings)} posting(s) on record for the year, reversed ones included; "
                "net = received − paid.",
            ),
            formats={"Net (yuan)": yuan_cell},
        )
