"""The payment demo's in-year tracking sentence: where the last settled year stood at the
end of June (:func:`ihms.payment.tracking_from_store`), against how it closed."""

from __future__ import annotations

from ihms._listing import in_words
from ihms.demo._payment_text import million
from ihms.errors import InputError
from ihms.payment import PaymentRules, SettlementRecord, tracking_from_store

__all__ = ["tracking_text"]


def tracking_text(store, rules: PaymentRules, rec: SettlementRecord) -> str | None:
    """The sentence for ``rec``'s year tracked to June from ``store``; None when the store
    cannot track it (a year it holds in part, no spending by June)."""
    y = rec.year
    try:
        tracked = tracking_from_store(store, rules, year=y, through=f"{y}-06")
    except InputError:
        return None
    (row,) = tracked.latest()
    how = tracked.counties[0]
    basis = (
        f"the monthly pattern of {in_words(how.profile_years)}"
        if how.projection == "profile"
        else "an even pace"
    )
    balance = int(row["projected_balance_fen"])
    pointed = (
        f"an overspend of {million(-balance)}"
        if balance < 0
        else f"a balance of {million(balance)}"
        if balance > 0
        else "spending the budget exactly"
    )
    return (
        f"Tracked during the year (ihms payment track), by the end of June {y} the spending "
        f"charged to the budget came to {million(int(row['to_date_fen']))}, "
        f"{row['used_pct']}% of the budget with half the year gone; carried to December on "
        f"{basis}, that pointed to {million(int(row['projected_fen']))} for the year, "
        f"{pointed}. "
        f"The year closed with {million(rec.charged_fen)} charged."
    )
