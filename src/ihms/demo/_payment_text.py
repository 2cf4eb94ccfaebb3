"""The payment demo's sentences built from a settlement's amounts.

Each amount is worded by what it is: a zero is said to be none (not "0.00 million
yuan"), private care beyond the private-hospital reserve is not said to be paid from it,
a change is "higher" or "lower" by its sign, and an amount too small to show in millions
is given in yuan. Money stays exact: million yuan are rounded half up from the fen
(:func:`ihms.payment.million_yuan`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ihms._listing import in_words
from ihms.demo import _payment_text_zh as zh
from ihms.payment import PaymentRules, SettlementRecord, format_rate, format_yuan, million_yuan
from ihms.payment.compare import BASELINE
from ihms.payment.money import shown_against
from ihms.sources import ZHONG_2023

__all__ = [
    "alike_sentences",
    "change_text",
    "fee_text",
    "members_text",
    "million",
    "outcome_text",
    "spending_text",
]


def million(fen: int, *, lang: str = "en") -> str:
    """``fen`` as ``'1.23 million yuan'`` (``lang="zh"``: ``'1.23 百万元'``, the unit of
    the payment tables in Chinese); an amount that would show as 0.00 million is given in
    yuan (``'4,000.00 yuan'``, ``'4,000.00 元'``) so a non-zero amount never reads as
    nothing.

    >>> million(123_456_789), million(123_456_789, lang="zh"), million(400_000, lang="zh")
    ('1.23 million yuan', '1.23 百万元', '4,000.00 元')
    """
    shown = million_yuan(fen)
    zh = lang == "zh"
    if fen and not shown:
        return f"{format_yuan(fen)} {'元' if zh else 'yuan'}"
    return f"{shown:,} {'百万元' if zh else 'million yuan'}"


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


def spending_text(rec: SettlementRecord, *, lang: str = "en") -> str:
    """Where residents' insured care was paid in the year, and from what: the consortium,
    outside the county (charged to the budget or not, as the rules say), private
    hospitals and their reserve (``lang="zh"``: in Chinese)."""
    if lang == "zh":
        return zh.spending_zh(rec)
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


def outcome_text(rec: SettlementRecord, *, lang: str = "en") -> str:
    """What the year's settlement came to for a budget: the balance and what the
    consortium keeps of it, the overspend and who bears it, or neither (``lang="zh"``:
    in Chinese)."""
    if lang == "zh":
        return zh.outcome_zh(rec, assumed=_assumed_passed(rec))
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


def _rate_shown(rate: Decimal) -> str:
    """A rate as a percentage to 2 decimals at most: ``0.02`` → ``'2%'``."""
    return f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}%"


def _when(cases: Mapping[str, Sequence[int]], *, sep: str = " and in ") -> str:
    """``{'as observed': [2017, 2019]}`` → ``'2017 and 2019 as observed'``."""
    return sep.join(f"{in_words(years)} {path}" for path, years in cases.items() if years)


def _benchmark_rounding_fen(assigned: int) -> Decimal:
    """How far, in fen, Deqing's benchmark (each of ``assigned`` residents' amount rounded
    to the fen) and the ratchet's budget (the whole rounded once) can be apart from
    rounding alone when they come from the same spending: (assigned + 1) × 0.5 fen."""
    return Decimal(assigned + 1) / 2


def _rounding_apart_fen(assigned: int, rate: Decimal) -> int:
    """How far apart, in fen, the two consortium results can be from rounding alone when
    Deqing's benchmark and the ratchet's budget come from the same spending: Deqing
    rounds each of ``assigned`` residents' benchmark to the fen, the ratchet the whole
    budget (:func:`_benchmark_rounding_fen`), shared at ``rate``, and each
    result is rounded to the fen once more (1 fen)."""
    return int(rate * _benchmark_rounding_fen(assigned)) + 1


@dataclass
class _Alike:
    """What :func:`alike_sentences` says, as data: the years alike, capped and over by
    path (``as observed`` / ``with the saving``), the years short of the minimum savings
    rate (year, path, rate shown, minimum shown), the most fen apart, and whether the two
    rule files' figures are why (``why``)."""

    same: dict[str, list[int]]
    capped: dict[str, list[int]]
    over: dict[str, list[int]]
    short: list[tuple[int, str, str, str]] = field(default_factory=list)
    apart: int = 0
    why: bool = False


def alike_sentences(
    comparison, *, ratchet: PaymentRules, shared: PaymentRules, lang: str = "en"
) -> list[str]:
    """Where Deqing's shared savings (``shared``) settle a year as the other-areas ratchet
    (``ratchet``) does — consortium results no further apart than rounding Deqing's
    benchmark per resident to the fen explains (:func:`_rounding_apart_fen`) — the
    sentence saying so and, when the two rule files' figures are why (the same history
    years and growth, the share kept of a balance equal to the sharing rate, and in every
    such year Deqing's benchmark the ratchet's budget and its total cost of care the
    ratchet's charged spending), why, and why the other years part: savings below the
    minimum savings rate, Deqing's cap binding, an overspend: short sentences, one string
    per point (said, why, where they part) for the notes under the comparison table; none
    when no year settles alike.

    ``comparison`` is a :class:`~ihms.payment.compare.ComparisonResult` holding both rule
    sets; ``lang="zh"``: the sentences in Chinese.
    """
    facts = _alike_facts(comparison, ratchet=ratchet, shared=shared)
    if facts is None:
        return []
    if lang == "zh":
        return zh.alike_zh(facts, ratchet=ratchet, shared=shared)
    return _alike_en(facts, ratchet=ratchet, shared=shared)


def _alike_facts(comparison, *, ratchet: PaymentRules, shared: PaymentRules) -> _Alike | None:
    """What :func:`alike_sentences` says, or None when no year settles alike."""
    rule, budget = shared.shared_savings, ratchet.budget
    if rule is None or budget is None:
        return None

    def where(path: str) -> str:
        return "as observed" if path == BASELINE else "with the saving"

    same: dict[str, list[int]] = {where(p): [] for p in comparison.paths}
    capped: dict[str, list[int]] = {where(p): [] for p in comparison.paths}
    over: dict[str, list[int]] = {where(p): [] for p in comparison.paths}
    short: list[tuple[int, str, str, str]] = []
    apart = 0
    same_yardstick = True
    for path in comparison.paths:
        for year in comparison.years:
            other = comparison.records[(ratchet.name, path, year)]
            kept = other.headline()
            rec = comparison.records[(shared.name, path, year)]
            ss, result = rec.shared_savings, rec.headline()["consortium_result_fen"]
            if ss is None or result == kept["consortium_result_fen"] == 0:
                continue
            gap = abs(result - kept["consortium_result_fen"])
            if ss.shared_savings_fen and gap <= _rounding_apart_fen(
                ss.assigned, ss.final_sharing_rate
            ):
                same[where(path)].append(year)
                apart = max(apart, gap)
                same_yardstick = same_yardstick and (
                    other.budget is not None
                    and abs(ss.benchmark_fen - other.budget.global_budget_fen)
                    <= _benchmark_rounding_fen(ss.assigned)
                    and ss.actual_fen == other.charged_fen
                )
            elif ss.savings_fen > 0 and ss.savings_rate < ss.msr:
                rate = shown_against(ss.savings_rate * 100, ss.msr * 100, 2)
                short.append((year, where(path), rate, _rate_shown(ss.msr)))
            elif ss.shared_savings_fen and ss.shared_savings_fen == ss.savings_cap_fen:
                capped[where(path)].append(year)
            elif ss.savings_fen < 0 and not rule.two_sided and kept["consortium_result_fen"] < 0:
                over[where(path)].append(year)
    if not any(same.values()):
        return None
    share = ratchet.settlement.balance_retained_share
    why = (
        same_yardstick
        and budget.method == rule.benchmark_method == "history"
        and budget.history_years == rule.history_years
        and budget.history_growth == rule.history_growth
        and share == rule.sharing_rate
    )
    return _Alike(same, capped, over, short, apart, why)


def _alike_en(facts: _Alike, *, ratchet: PaymentRules, shared: PaymentRules) -> list[str]:
    """:func:`alike_sentences` in English."""
    rule, budget = shared.shared_savings, ratchet.budget
    same, capped, over, apart = facts.same, facts.capped, facts.over, facts.apart
    short = [f"{y} {where}: savings {rate}% against {msr}" for y, where, rate, msr in facts.short]
    head = (
        "Deqing's shared savings equal what the other-areas ratchet lets the consortium keep "
        f"in {_when(same)}."
    )
    if apart:
        head += (
            f" They agree to the 0.01 million yuan shown. They are at most {format_yuan(apart)} "
            "yuan apart, because Deqing's benchmark rounds each resident's amount to the fen."
        )
    share = ratchet.settlement.balance_retained_share
    if not facts.why:
        return [head]
    years = (
        "last year's"
        if budget.history_years == 1
        else f"the last {budget.history_years} years' mean"
    )
    why = (
        f"Both rule files take {years} spending per insured resident grown "
        f"{format_rate(budget.history_growth)} as the year's yardstick (the ratchet's budget, "
        f"Deqing's benchmark). Both give the consortium {format_rate(share)} of what it spends "
        "below it (the ratchet's kept share, Deqing's sharing rate). So a year settles alike "
        "under both when its savings clear Deqing's minimum savings rate and its share of "
        "them stays under Deqing's cap."
    )
    parts = []
    if short:
        parts.append(
            f"Below that rate ({'; '.join(short)}) Deqing shares nothing, while the ratchet "
            f"still keeps {format_rate(share)} of the balance."
        )
    if any(capped.values()):
        parts.append(
            f"Deqing's cap of {format_rate(rule.savings_cap)} of the benchmark binds "
            f"({_when(capped, sep='; ')})."
        )
    if any(over.values()):
        parts.append(
            f"Spending over the yardstick ({_when(over, sep='; ')}) is an overspend. The "
            "ratchet's consortium bears part of it; Deqing's one-sided rules leave it to the "
            "insurer."
        )
    return [head, why] + ([" ".join(["They part in the other years.", *parts])] if parts else [])


_TIER_WORDS = {
    "secondary": "county hospitals",
    "primary_centre": "township health centres",
    "village_clinic": "village clinics",
}
# seed 002, Table 2: Youxi's village clinics (HCs), 2016-2019
SEED_002_VILLAGE_CLINICS = {2016: 350, 2017: 354, 2018: 387, 2019: 363}


def members_text(
    rec: SettlementRecord, previous: SettlementRecord | None, tiers, *, lang: str = "en"
) -> str:
    """A sentence when the settlement's member institutions (those it sums spending
    over) number differently from ``previous``'s, saying which kinds changed (``tiers``:
    institution id → tier, from the store); it names seed 002's Table 2 when the village
    clinics are the ones it counts for Youxi. Empty when nothing changed. ``lang="zh"``:
    in Chinese."""
    if previous is None or not tiers:
        return ""
    now, before = (
        Counter(tiers.get(i) for i in r.inputs.spending.consortium) for r in (rec, previous)
    )
    total, total_before = sum(now.values()), sum(before.values())
    if total == total_before:
        return ""
    changed = [(t, before[t], now[t]) for t in _TIER_WORDS if now[t] != before[t]]
    y, p = rec.year, previous.year
    clinics = (before["village_clinic"], now["village_clinic"])
    seed = clinics == (SEED_002_VILLAGE_CLINICS.get(p), SEED_002_VILLAGE_CLINICS.get(y))
    if lang == "zh":
        return zh.members_zh(y, p, total, total_before, changed, seed)
    changes = [f"its {_TIER_WORDS[t]} go from {a:,} to {b:,}" for t, a, b in changed]
    head = (
        f"The consortium counts {total:,} member institutions in {y}, against "
        f"{total_before:,} in {p}" + (f": {in_words(changes)}." if changes else ".")
    )
    if seed:
        head += f" The county file follows Youxi's village clinics in {ZHONG_2023}, Table 2."
    return head


def fee_text(rules: PaymentRules, *, lang: str = "en") -> str:
    """The family-physician fee of ``rules`` as its rule file sets it:
    ``'100.00 yuan per registered resident a year'`` (``lang="zh"``:
    ``'每名签约居民每年 100.00 元'``); empty without one, and a pointer to the rule file
    when the fee changes by year or month."""
    fee = rules.family_physician_fee
    if fee is None:
        return ""
    if lang == "zh":
        if fee.per_member_per_year_fen is not None:
            return f"每名签约居民每年 {format_yuan(fee.per_member_per_year_fen)} 元"
        return f"按签约居民每年计、随时间变化的签约服务费（{rules.name}.yaml）"
    if fee.per_member_per_year_fen is not None:
        return f"{format_yuan(fee.per_member_per_year_fen)} yuan per registered resident a year"
    return f"a fee per registered resident a year that changes over time ({rules.name}.yaml)"
