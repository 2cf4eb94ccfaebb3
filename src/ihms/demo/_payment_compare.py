"""Demo step, payment part: the regimes compared — Sanming, the other-areas ratchet,
Deqing's shared savings and fee for service — on the observed spending and on a
counterfactual saving path.

Deqing's rules (``deqing-shared-savings``) share savings only in a year whose quality
score reaches the standard of their file; a county's data store records no quality
score, so where the population table gives none the comparison takes the standard as
just met (the standard itself as the score: under a score standard without a sliding
scale any score at or above it settles the same), and the report says so. Deqing is
left out, with the reason in the report, only when a year lacks a fact no assumption
should stand in for (registrations for its family-physician fee, the earlier year its
history benchmark reads).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from ihms._listing import in_words
from ihms.demo import _payment_compare_zh as zh
from ihms.demo._payment_text import alike_sentences, change_text, fee_text, million
from ihms.demo._payment_text_zh import in_words_zh
from ihms.payment import (
    IndicatorValues,
    PaymentRules,
    PopulationTable,
    SpendingTable,
    compare_regimes,
    format_rate,
    load_rules,
    observed_path,
    saving_path,
)
from ihms.payment._words_zh import in_lang
from ihms.payment.compare import BASELINE
from ihms.report import Section
from ihms.sources import ZHONG_2023

__all__ = ["compare_section", "deqing_for_comparison"]

DEQING = "deqing-shared-savings"


def deqing_for_comparison(
    population: PopulationTable, years: Sequence[int], *, lang: str = "en"
) -> tuple[PaymentRules | None, PopulationTable, str]:
    """Deqing's rules for the comparison, the population they settle on, and the sentence
    saying where the quality score comes from — or ``None`` and why Deqing is left out.

    Years whose row has no quality score get the rules' standard as the score (the
    assumption is named in the sentence); the other regimes read no score, so the
    population returned serves them all. ``lang="zh"``: the sentence in Chinese.
    """
    rules = load_rules(DEQING)
    rule = rules.shared_savings
    assert rule is not None and rule.quality.standard is not None
    standard = rule.quality.standard
    missing = [y for y in years if y not in population.rows]
    before = [y for y in years if y - 1 not in population.rows]
    unregistered = [
        y
        for y in years
        if y in population.rows and population.rows[y].family_physician_registered is None
    ]
    left_out = "Deqing's shared savings are left out: "
    if missing or before:
        lacking = sorted(set(missing) | {y - 1 for y in before})
        if lang == "zh":
            return None, population, zh.deqing_left_out_zh(in_words_zh(lacking), None)
        return (
            None,
            population,
            left_out + "its benchmark is the previous year's cost of care per resident, and "
            f"the population table has no row for {in_words(lacking)}.",
        )
    if unregistered and lang == "zh":
        return None, population, zh.deqing_left_out_zh(None, in_words_zh(unregistered))
    if unregistered:
        return (
            None,
            population,
            left_out + "its rules pay a family-physician fee per registered resident, and the "
            f"population table gives no registrations for {in_words(unregistered)}.",
        )
    assumed = [y for y in years if population.rows[y].quality_score is None]
    given = {y: population.rows[y].quality_score for y in years if y not in assumed}
    parts = []
    if given:
        by_score: dict[Decimal, list[int]] = {}
        for y, score in given.items():
            by_score.setdefault(score, []).append(y)
        groups = [f"{format_rate(s)} in {in_words(ys)}" for s, ys in by_score.items()]
        several = len(groups) > 1 and any(len(ys) > 1 for ys in by_score.values())
        shown = "; ".join(groups) if several else in_words(groups)
        pairs = [(format_rate(s), ys) for s, ys in by_score.items()]
        parts.append(
            zh.deqing_scores_zh(population.source, pairs, format_rate(standard))
            if lang == "zh"
            else f"Deqing's CIHO is settled on the quality scores of {population.source} ({shown}) "
            f"against its standard of {format_rate(standard)}"
        )
    if assumed:
        parts.append(
            zh.deqing_assumed_zh(format_rate(standard), assumed, bool(given))
            if lang == "zh"
            else f"Deqing's CIHO shares savings only in a year whose quality score reaches its "
            f"standard of {format_rate(standard)}. The county's tables record no quality score"
            + (f" for {in_words(assumed)}" if given else "")
            + f". So the comparison assumes the standard was just met in {in_words(assumed)} (a "
            f"score of {format_rate(standard)}, the standard itself). Any score at or above it "
            "settles the same; below it no savings would be shared"
        )
        rows = dict(population.rows)
        for y in assumed:
            rows[y] = dataclasses.replace(rows[y], quality_score=standard)
        population = PopulationTable(
            rows,
            source=f"{population.source}, with the quality standard taken as met in {in_words(assumed)}",
        )
    if lang == "zh":
        return rules, population, "；".join(parts) + "。"
    return rules, population, "; ".join(parts) + "."


def _saving_text(comparison, *, last: int, lang: str = "en") -> str:
    """The ratchet against Sanming, each change worded by its sign (``lang="zh"``: in
    Chinese)."""
    e = comparison.effect_of_saving().set_index(["regime", "year"])
    budget = int(e.loc[("other-areas", last), "budget_change_fen"])
    other = int(e.loc[("other-areas", last), "cumulative_result_change_fen"])
    own = int(e.loc[("sanming", last), "cumulative_result_change_fen"])
    own_budget = int(e.loc[("sanming", last), "budget_change_fen"])
    frame = comparison.to_frame()
    sanming = frame[frame.regime == "sanming"]
    staff = int(
        sanming[sanming.path != BASELINE]["staff_incentive_fen"].sum()
        - sanming[sanming.path == BASELINE]["staff_incentive_fen"].sum()
    )

    if lang == "zh":
        return zh.saving_zh(last, budget, other, own, own_budget, staff)

    def gain(fen: int, *, than: int | None = None) -> str:
        if fen > 0:
            return f"gains {'only ' if than is not None and fen < than else ''}{million(fen)}"
        return "gains nothing" if not fen else f"ends {million(-fen)} worse off"

    ratchet = (
        f"Under the other-areas ratchet the saving comes back as a smaller budget. By {last} "
        f"the budget is {million(-budget)} lower"
        if budget < 0
        else f"Under the other-areas ratchet the budget in {last} is "
        + change_text(budget, up="higher", down="lower", none="unchanged")
    )
    untouched = (
        "leaves the budget untouched"
        if not own_budget
        else "leaves the budget "
        + change_text(own_budget, up="higher", down="lower", none="unchanged")
    )
    return (
        f"{ratchet}, and the consortium {gain(other, than=own)} over the period. Under "
        f"Sanming's population-based budget the same saving {untouched}. The consortium "
        f"{gain(own)} over the period" + (", part of it paid to staff" if staff > 0 else "") + "."
    )


def compare_section(
    regimes: Sequence[PaymentRules],
    *,
    spending: SpendingTable,
    population: PopulationTable,
    indicators: IndicatorValues,
    years: Sequence[int],
    lang: str = "en",
) -> Section:
    """``regimes`` (Sanming and the other-areas ratchet first) and Deqing where it can be
    settled, on the observed spending and a 5 % yearly saving; the report section
    (``lang="zh"``: in Chinese, the same figures)."""
    rate = Decimal("0.05")
    sanming, other = regimes[0], regimes[1]
    deqing, population, deqing_text = deqing_for_comparison(population, years, lang=lang)
    regimes = [sanming, other, *([deqing] if deqing is not None else []), *regimes[2:]]
    comparison = compare_regimes(
        regimes,
        population=population,
        paths=[observed_path(spending), saving_path(spending, rate=rate, from_year=years[0])],
        years=years,
        indicators=indicators,
        assume_assessment_passed=True,
    )
    others = [r.title.split(" — ")[0] for r in regimes[2:]]
    if lang == "zh":
        return _compare_zh(comparison, regimes, deqing, deqing_text, others, rate, years)
    cmp = Section(
        "payment-compare",
        "Why the budget rule matters: Sanming vs other areas",
        mirrors=f"{ZHONG_2023}, Table 1 and 'Lesson learned'",
    )
    cmp.text(
        "Each rule set settles the same years twice: with spending as observed, and with a "
        f"saving. The saving cuts the spending charged to the budget by {format_rate(rate)} a "
        f"year from {years[0]} (better primary care, fewer residents leaving the county). "
        + _saving_text(comparison, last=years[-1])
        + f" That is the incentive {ZHONG_2023} argues for. Keep residents healthy and in the "
        "county, and the consortium — not the insurer — keeps the difference."
    )
    if others:
        fee = fee_text(deqing) if deqing is not None else ""
        cmp.text(
            f"{in_words(others)} {'is' if len(others) == 1 else 'are'} shown in the table for "
            "reference."
            + (f" Deqing's CIHO pays family physicians {fee} (its rule file)." if fee else "")
            + (" The notes under the table say what its settlement assumes." if deqing else "")
        )
    summary = comparison.summary()
    deqing_notes = [deqing_text] if deqing_text else []
    if deqing is not None:
        deqing_notes += alike_sentences(comparison, ratchet=other, shared=deqing)
    cmp.table("comparison", dataclasses.replace(summary, notes=(*summary.notes, *deqing_notes)))
    cmp.table("effect-of-saving", comparison.effect_summary())
    cmp.figure(
        "sanming-vs-other-areas",
        comparison.figure(regimes=[sanming.name, other.name]),
        caption="Left: global budget by year, axis from zero (solid: spending as observed; dashed: 5% "
        "saving a year). Under "
        "Sanming the two lines coincide; under the ratchet the saving shrinks the next year's budget. Right: the "
        "consortium's settlement result (kept balance minus overspend borne).",
    )
    return cmp


def _compare_zh(comparison, regimes, deqing, deqing_text, others, rate, years) -> Section:
    """:func:`compare_section` in Chinese, from the same comparison."""
    sanming, other = regimes[0], regimes[1]
    cmp = Section(
        "payment-compare",
        "总额预算规则为何重要：三明与其他地区",
        mirrors=f"{ZHONG_2023}，表1和“经验教训”",
    )
    saving = _saving_text(comparison, last=years[-1], lang="zh")
    cmp.text(zh.intro_zh(format_rate(rate), years[0], saving))
    if others:
        fee = fee_text(deqing, lang="zh") if deqing is not None else ""
        cmp.text(zh.others_zh(others, fee, deqing is not None))
    summary = in_lang(comparison.summary(), "zh")
    notes = [deqing_text] if deqing_text else []
    if deqing is not None:
        notes += alike_sentences(comparison, ratchet=other, shared=deqing, lang="zh")
    cmp.table("comparison", dataclasses.replace(summary, notes=(*summary.notes, *notes)))
    cmp.table("effect-of-saving", in_lang(comparison.effect_summary(), "zh"))
    fig = comparison.figure(regimes=[sanming.name, other.name], lang="zh")
    cmp.figure("sanming-vs-other-areas", fig, caption=zh.CAPTION_ZH)
    return cmp
