"""What the ledger (:class:`~ihms.payment.ledger.Ledger`) returns: the outcome of a
posting (:class:`PostResult`), a year's postings for an audit (:class:`AuditView`) and
the batches table as people read it (:func:`batches_summary`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.payment.money import fen_to_yuan, format_yuan, yuan_column
from ihms.summary import SummaryTable

__all__ = ["AuditView", "PostResult", "batches_summary", "replacement_reason"]


@dataclass(frozen=True)
class PostResult:
    """What :meth:`Ledger.post` did: ``posted``, ``unchanged`` or ``replaced``; a
    replacement names the batch it reversed and why (:func:`replacement_reason`)."""

    status: str
    year: int
    scope: str
    batch_id: int | None
    reversal_batch_id: int | None
    postings_written: int
    replaced_batch_id: int | None = None
    reason: str | None = None


def replacement_reason(old: Mapping, new: Mapping) -> str:
    """Why a year was posted again, from the stored records (``SettlementRecord.to_dict``
    as the ledger keeps them) of the batch replaced and the new one: the rule set changed
    (its name, version and digest before and after: a rule file edited), the inputs
    changed, or both."""
    before, after = old.get("rules") or {}, new.get("rules") or {}

    def rules(r: Mapping) -> str:
        return f"{r.get('name')} {r.get('version')} digest {r.get('digest')}"

    if "inputs" not in old or "digest" not in before:  # a record of another form
        return (
            f"the settlement's input digest changed ({old.get('input_digest')} → "
            f"{new.get('input_digest')})"
        )
    rules_changed = before.get("digest") != after.get("digest")
    inputs_changed = old["inputs"] != new.get("inputs")
    if rules_changed:
        return f"the rule set changed: {rules(before)} → {rules(after)}; " + (
            "and the inputs changed" if inputs_changed else "the inputs are unchanged"
        )
    if inputs_changed:
        return (
            f"the inputs changed; the rule set is unchanged ({after.get('name')} digest "
            f"{after.get('digest')})"
        )
    return (
        f"the settlement's input digest changed ({old.get('input_digest')} → "
        f"{new.get('input_digest')}) with the same rule set and inputs (posted by another "
        "version of ihms)"
    )


@dataclass(frozen=True, eq=False)
class AuditView(SummaryHtml):
    """Postings of one year (optionally one institution), their net by account, and each
    account checked against the audit rule (``checks``; see :attr:`failing`).

    ``checks`` has a row per account (``account``, ``net_fen``, ``expected_fen``,
    ``passed``, ``reasons``): an account passes when its net over the year's postings
    equals to the fen what the active settlements stored with their batches say it should
    hold, is not negative where the account only receives, and every posting to it has a
    batch of its year as its source (:mod:`ihms.payment._ledger_checks`). The rule is
    judged on the whole year; a view of one institution lists the accounts its postings
    touch.
    """

    year: int
    institution: str | None
    postings: pd.DataFrame
    net: pd.DataFrame
    checks: pd.DataFrame | None = None

    @property
    def failing(self) -> pd.DataFrame:
        """The accounts failing the audit rule, with their reasons (empty when all pass)."""
        if self.checks is None:
            return pd.DataFrame(columns=["account", "net_fen", "expected_fen", "reasons"])
        return self.checks[~self.checks["passed"]].drop(columns="passed").reset_index(drop=True)

    @property
    def passed(self) -> bool:
        """Whether every account checked passes the audit rule."""
        return self.failing.empty

    def checks_summary(self) -> SummaryTable:
        """The failing accounts with their net, the amount expected and the reasons; with
        none failing, a one-line table saying how many accounts passed. Amounts are
        exact Decimal yuan; an account no active settlement books expects none (a
        missing cell, printed ``—``)."""
        who = f", {self.institution}" if self.institution else ""
        checked = 0 if self.checks is None else len(self.checks)
        bad = self.failing
        notes = [AUDIT_RULE_NOTE]
        if bad.empty:
            frame = pd.DataFrame(
                {"Accounts checked": [checked], "Failing": [0]},
                index=pd.Index(["all pass"], name="Audit rule"),
            )
            title = f"Ledger audit {self.year}{who}: every account passes"
        else:
            # none expected for an account no active settlement books: a missing cell
            expected = [None if pd.isna(v) else fen_to_yuan(int(v)) for v in bad["expected_fen"]]
            frame = pd.DataFrame(
                {
                    "Net (yuan)": yuan_column(bad["net_fen"].astype(int).tolist()),
                    "Expected (yuan)": expected,
                    "Reasons": bad["reasons"].tolist(),
                },
                index=pd.Index(bad["account"].tolist(), name="Account code"),
            )
            title = f"Ledger audit {self.year}{who}: {len(bad)} of {checked} account(s) fail"
        return SummaryTable(frame, title=title, notes=tuple(notes))

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
        if self.checks is not None:
            notes.append(
                f"Audit rule: {len(self.failing)} of {len(self.checks)} account(s) fail"
                + (" (checks_summary lists them with the reasons)." if not self.passed else ".")
            )
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

    def net_by(self, key: pd.Series, name: str, *, sort: bool) -> pd.DataFrame:
        """How many accounts with a nonzero net, and their net (yuan), per group.

        Parameters
        ----------
        key
            The group of each row of :attr:`net`, in its order.
        name
            The name of the index (the groups).
        sort
            Groups in key order; else as first met.
        """
        grouped = self.net.assign(group=key.to_numpy()).groupby("group", sort=sort)["net_fen"]
        return pd.DataFrame(
            {
                "Accounts": grouped.size().astype(int).tolist(),
                "Net (yuan)": yuan_column([int(v) for v in grouped.sum().tolist()]),
            },
            index=pd.Index(grouped.size().index.tolist(), name=name),
        )

    def kinds_summary(self) -> SummaryTable:
        """The net by kind of account (the code before ``:``: ``staff``, ``institution``,
        ``fund`` ...), with how many accounts each kind has: the audit's totals, short
        however many staff accounts the year pays (:meth:`summary` lists each account)."""
        kind = self.net["account"].astype(str).str.split(":", n=1).str[0]
        frame = self.net_by(kind, "Account kind", sort=True)
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
            notes=(DEBIT_NOTE,),
            formats={"Batch": str},
        )


#: The fixed notes of the audit's tables (said in Chinese by
#: :mod:`ihms.payment._words_zh_books`, keyed by these).
AUDIT_RULE_NOTE = (
    "An account passes when its net equals, to the fen, what the active settlements record "
    "for it, is not negative where it only receives, and each of its postings has a batch "
    "of the year as its source."
)
DEBIT_NOTE = "Debit: the account that receives the amount; credit: the one that pays it."
REVERSAL_NOTE = (
    "A reversal batch posts the negative of the batch it reverses, under that batch's rule set."
)
#: Under the batches ``payment ledger`` lists.
BATCHES_NOTE = "--json shows input digests and posting times."

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
    # the status of a reversal says which batch it reverses (the frame keeps the number)
    reversal = frame["Reverses batch"].notna()
    frame["Status"] = frame["Status"].astype(object)
    frame.loc[reversal, "Status"] = [
        f"reverses batch {int(n)}" for n in frame.loc[reversal, "Reverses batch"]
    ]
    frame = frame.drop(columns="Reverses batch")
    if reversal.any():
        notes = (*notes, REVERSAL_NOTE)
    # a scope is a name --scope is given (kept as written in any language)
    return SummaryTable(
        frame.set_index("Batch"),
        title=title,
        notes=notes,
        formats={"Year": str},
        id_columns=("Scope",),
    )
