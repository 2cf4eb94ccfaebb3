"""The payment demo's in-year tracking sentence: where the last settled year stood at the
end of June (:func:`ihms.payment.tracking_from_store`), against how it closed."""

from __future__ import annotations

from ihms._listing import in_words
from ihms.demo._payment_text import million
from ihms.errors import InputError
from ihms.payment import PaymentRules, SettlementRecord, tracking_from_store

__all__ = ["tracking_text"]


def tracking_text(
    store, rules: PaymentRules, rec: SettlementRecord, *, lang: str = "en"
) -> str | None:
    """The sentence for ``rec``'s year tracked to June from ``store``; None when the store
    cannot track it (a year it holds in part, no spending by June). ``lang="zh"``: in
    Chinese."""
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
    if lang == "zh":
        return _tracking_zh(rec, row, how, balance)
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


def _tracking_zh(rec: SettlementRecord, row, how, balance: int) -> str:
    """:func:`tracking_text` in Chinese."""
    from ihms.demo._payment_text_zh import in_words_zh

    def m(fen: int) -> str:
        return million(fen, lang="zh")

    y = rec.year
    basis = (
        f" {in_words_zh(how.profile_years)} 年的逐月支出分布"
        if how.projection == "profile"
        else "均匀的支出进度"
    )
    pointed = (
        f"超支 {m(-balance)}"
        if balance < 0
        else f"结余 {m(balance)}"
        if balance > 0
        else "恰好用完预算"
    )
    return (
        f"年内跟踪（`ihms payment track`）：截至 {y} 年 6 月底，计入总额预算的医保支付为 "
        f"{m(int(row['to_date_fen']))}，占总额预算的 {row['used_pct']}%，而时间已过半；按{basis}"
        f"推算至 12 月，全年预计为 {m(int(row['projected_fen']))}，即{pointed}。该年实际计入 "
        f"{m(rec.charged_fen)}。"
    )
