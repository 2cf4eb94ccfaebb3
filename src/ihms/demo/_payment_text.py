"""The payment demo's sentences built from a settlement's amounts.

Each amount is worded by what it is: a zero is said to be none (not "0.00 million
yuan"), private care beyond the private-hospital reserve is not said to be paid from it,
a change is "higher" or "lower" by its sign, and an amount too small to show in millions
is given in yuan. Money stays exact: million yuan are rounded half up from the fen
(:func:`ihms.payment.million_yuan`).
"""

from __future__ import annotations

from ihms.payment import SettlementRecord, format_yuan, million_yuan

__all__ = ["change_text", "million", "outcome_text", "spending_text"]


def million(fen: int) -> str:
    """``fen`` as ``'1.23 million yuan'``; an amount that would show as 0.00 million is
    given in yuan (``'4,000.00 yuan'``) so a non-zero amount never reads as nothing."""
    shown = million_yuan(fen)
    if fen and not shown:
        return f"{format_yuan(fen)} yuan"
    return f"{shown:,} million yuan"


def change_text(fen: int, *, up: str, down: str, none: str) -> str:
    """A change worded by its sign: ``'1.50 million yuan higher'``, ``'… lower'`` for a
    fall (the amount shown positive), ``none`` for no change."""
    if fen > 0:
        return f"{million(fen)} {up}"
    if fen < 0:
        return f"{million(-fen)} {down}"
    return none


def _private_text(rec: SettlementRecord) -> str:
    private, reserve = rec.private_fen, rec.private_reserve_fen
    if rec.budget is None:  # no budget, no reserve: the insurer pays the claims
        return (
            "residents had no insured care at private hospitals"
            if not private
            else f"{million(private)} at private hospitals was paid by the insurer"
        )
    if not private:
        return "residents had no insured care at private hospitals" + (
            f", so the insurer's private-hospital reserve of {million(reserve)} was not drawn "
            "on (it stays with the insurer, outside the consortium's budget)"
            if reserve
            else ""
        )
    if not reserve:
        return (
            f"{million(private)} at private hospitals was paid from the insurer's fund (the "
            "rules set aside no private-hospital reserve)"
        )
    if private <= reserve:
        left = reserve - private
        return (
            f"{million(private)} at private hospitals was paid from the insurer's "
            f"private-hospital reserve of {million(reserve)}, "
            + (f"leaving {million(left)} in it" if left else "using all of it")
        )
    return (
        f"{million(private)} at private hospitals was more than the insurer's "
        f"private-hospital reserve of {million(reserve)}: the reserve paid {million(reserve)} "
        f"and the insurer's fund the other {million(private - reserve)}"
    )


def spending_text(rec: SettlementRecord) -> str:
    """Where residents' insured care was paid in the year, and from what: the consortium,
    outside the county (charged to the budget or not, as the rules say), private
    hospitals and their reserve."""
    inside = f"Residents' insured care cost {million(rec.consortium_fen)} in the consortium's own institutions"
    outside = rec.outside_county_fen
    if not outside:
        care = f"{inside}, charged to the budget, and none outside the county"
    elif rec.charge_outside_county:
        care = f"{inside} and {million(outside)} outside the county, both charged to the budget"
    else:
        care = (
            f"{inside}, charged to the budget, and {million(outside)} outside the county, "
            "which the insurer paid outside the budget"
        )
    return f"{care}; {_private_text(rec)}."


def _kept_text(rec: SettlementRecord) -> str:
    balance, kept = rec.balance_fen, rec.retained_fen
    if kept == balance:
        how = "keeps all of it"
    elif kept:
        how = f"keeps {million(kept)} and {million(rec.clawback_fen)} is clawed back"
    else:
        return f"keeps none of it: the {million(balance)} returns to the insurer's fund"
    staff = rec.distribution.staff_incentive_fen
    return how + (
        f", of which {million(staff)} goes to staff incentives"
        if staff
        else "; none of it goes to staff incentives"
    )


def outcome_text(rec: SettlementRecord) -> str:
    """What the year's settlement came to for a budget: the balance and what the
    consortium keeps of it, the overspend and who bears it, or neither."""
    if rec.overspend_fen:
        insurer, consortium = rec.overspend_insurer_fen, rec.overspend_consortium_fen
        who = (
            "the consortium bears all of it and the insurer pays nothing beyond the budget"
            if not insurer
            else f"the insurer pays {million(insurer)} of it and the consortium bears "
            + (million(consortium) if consortium else "none")
        )
        return f"spending charged to the budget exceeded it by {million(rec.overspend_fen)}; {who}"
    if not rec.balance_fen:
        return (
            "spending charged to the budget equalled it to the fen: no balance to keep and no "
            "overspend"
        )
    if rec.assessment_passed is None:
        verdict = "the consortium"
    elif _assumed_passed(rec):
        verdict = (
            "the consortium's assessment was taken as passed (no assessment values were "
            "available for this year) and it"
        )
    else:
        verdict = (
            f"the consortium {'passed' if rec.assessment_passed else 'failed'} its assessment and"
        )
    return f"a balance of {million(rec.balance_fen)} remained; {verdict} {_kept_text(rec)}"


def _assumed_passed(rec: SettlementRecord) -> bool:
    """The assessment was taken as passed: no values to score it on that year (said only
    where it decides something, what is kept of a balance)."""
    return bool(rec.assessment_passed) and rec.assessment is None
