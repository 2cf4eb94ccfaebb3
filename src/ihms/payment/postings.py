"""The postings a settlement record makes: transfers between named accounts.

Accounts::

    insurer:fund, insurer:private_reserve, insurer:risk_adjustment_fund
    consortium:global_budget, consortium:balance, consortium:own_funds,
    consortium:shared_savings, consortium:use:<use>
    institution:<id>, outside_county:providers, private:hospitals,
    primary_care:family_physician_fee, staff:<id>

The family-physician fee goes to ``institution:<id>`` of each institution the data name
as holding the contracts, and the rest to ``primary_care:family_physician_fee``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms.payment.record import SettlementRecord

__all__ = ["Posting", "record_postings"]


@dataclass(frozen=True)
class Posting:
    """A transfer of ``amount_fen`` from ``credit`` to ``debit``."""

    debit: str
    credit: str
    amount_fen: int
    category: str
    institution: str
    memo: str


def record_postings(record: SettlementRecord) -> list[Posting]:
    """The postings a settlement record makes (zero amounts are left out).

    Every intermediate account (``consortium:global_budget``, ``consortium:balance``,
    the reserves) nets to zero over the postings of one record unless the reserve is
    not fully drawn; terminal accounts (institutions, uses, staff, the insurer's fund)
    hold the result.

    Parameters
    ----------
    record : SettlementRecord
        A settlement from :func:`~ihms.payment.settle_year`.

    Returns
    -------
    list of Posting
        Transfers of ``amount_fen > 0`` (fen) from a credit to a debit account; a
        negative amount is booked as the reverse transfer.
    """
    out: list[Posting] = []

    def add(debit: str, credit: str, fen: int, category: str, institution: str, memo: str) -> None:
        if fen < 0:
            debit, credit, fen = credit, debit, -fen
        if fen:
            out.append(Posting(debit, credit, fen, category, institution, memo))

    sp = record.inputs.spending
    kind = record.kind
    if kind == "global_budget" and record.budget is not None:
        b = record.budget
        add(
            "consortium:global_budget",
            "insurer:fund",
            b.global_budget_fen,
            "budget",
            "consortium",
            "global budget",
        )
        add(
            "insurer:private_reserve",
            "insurer:fund",
            b.private_reserve_fen,
            "budget",
            "private",
            "private-hospital reserve",
        )
        add(
            "insurer:risk_adjustment_fund",
            "insurer:fund",
            b.risk_adjustment_fen,
            "budget",
            "insurer",
            "risk-adjustment fund",
        )
        for inst, fen in sp.consortium.items():
            add(
                f"institution:{inst}",
                "consortium:global_budget",
                fen,
                "claims",
                inst,
                "insurance-paid care",
            )
        src = "consortium:global_budget" if record.charge_outside_county else "insurer:fund"
        add(
            "outside_county:providers",
            src,
            sp.outside_county,
            "claims",
            "outside_county",
            "residents' care outside the county",
        )
        from_reserve = min(sp.private, b.private_reserve_fen)
        add(
            "private:hospitals",
            "insurer:private_reserve",
            from_reserve,
            "claims",
            "private",
            "private hospitals, from the reserve",
        )
        add(
            "private:hospitals",
            "insurer:fund",
            sp.private - from_reserve,
            "claims",
            "private",
            "private hospitals beyond the reserve",
        )
        add(
            "consortium:balance",
            "consortium:global_budget",
            record.retained_fen,
            "settlement",
            "consortium",
            "balance kept",
        )
        add(
            "insurer:fund",
            "consortium:global_budget",
            record.clawback_fen,
            "settlement",
            "consortium",
            "balance clawed back",
        )
        add(
            "consortium:global_budget",
            "insurer:fund",
            record.overspend_insurer_fen,
            "settlement",
            "consortium",
            "overspend: insurer's share",
        )
        add(
            "consortium:global_budget",
            "consortium:own_funds",
            record.overspend_consortium_fen,
            "settlement",
            "consortium",
            "overspend borne by the consortium",
        )
        pool_account = "consortium:balance"
    else:
        for inst, fen in sp.consortium.items():
            add(f"institution:{inst}", "insurer:fund", fen, "claims", inst, "insurance-paid care")
        add(
            "outside_county:providers",
            "insurer:fund",
            sp.outside_county,
            "claims",
            "outside_county",
            "residents' care outside the county",
        )
        add(
            "private:hospitals",
            "insurer:fund",
            sp.private,
            "claims",
            "private",
            "private hospitals",
        )
        pool_account = "consortium:shared_savings"
        if record.shared_savings is not None:
            ss = record.shared_savings
            add(
                "consortium:shared_savings",
                "insurer:fund",
                ss.shared_savings_fen,
                "settlement",
                "consortium",
                "shared savings",
            )
            add(
                "insurer:fund",
                "consortium:own_funds",
                ss.shared_losses_fen,
                "settlement",
                "consortium",
                "shared losses repaid",
            )
    # the fee goes to the institutions holding the contracts where the data name them;
    # the rest (all of it when none is named) to one pooled account
    attributed = record.family_physician_fee_by_institution
    for inst, fen in attributed.items():
        add(f"institution:{inst}", "insurer:fund", fen, "fee", inst, "family-physician fee")
    add(
        "primary_care:family_physician_fee",
        "insurer:fund",
        record.family_physician_fee_fen - sum(attributed.values()),
        "fee",
        "primary_care",
        "family-physician fee (receiving institution not known)",
    )
    for use, fen in record.distribution.allocations.items():
        add(
            f"consortium:use:{use}",
            pool_account,
            fen,
            "allocation",
            "consortium",
            f"balance use: {use}",
        )
    if record.salaries is not None:
        for line in record.salaries.lines:
            add(
                f"staff:{line.staff_id}",
                f"institution:{line.institution_id}",
                line.annual_salary_fen,
                "salary",
                line.institution_id,
                f"annual salary ({line.role})",
            )
            add(
                f"staff:{line.staff_id}",
                "consortium:use:staff_incentive",
                line.incentive_fen,
                "incentive",
                line.institution_id,
                "salary incentive share",
            )
    return out


def net_by_account(postings: pd.DataFrame) -> pd.DataFrame:
    """Net amount per account (received − paid) of ledger postings (``debit``,
    ``credit``, ``amount_fen``), exact to the fen, accounts netting to zero left out."""
    if postings.empty:
        return pd.DataFrame(
            {"account": pd.Series([], dtype=str), "net_fen": pd.Series([], dtype="int64")}
        )
    received = postings.groupby("debit")["amount_fen"].sum()
    paid = postings.groupby("credit")["amount_fen"].sum()
    # aligned in int64: sub(fill_value=0) went through float64, a fen off past 2**53
    accounts = received.index.union(paid.index)
    net = received.reindex(accounts, fill_value=0).astype("int64") - paid.reindex(
        accounts, fill_value=0
    ).astype("int64")
    net = net[net != 0]
    return pd.DataFrame({"account": net.index.astype(str), "net_fen": net.to_numpy()}).reset_index(
        drop=True
    )
