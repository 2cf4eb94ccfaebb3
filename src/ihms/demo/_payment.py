"""Demo step: settle a Youxi-like county's years under Sanming's IMPM and compare it with
the "other areas" ratchet (seed 002), with Deqing's shared savings alongside (seed 004).

When an earlier step (the county simulator) left a data-layer store in
``ctx.artefacts["store"]``, the inputs are read from it as they would be from a county's
own data: spending, insured population and family-physician registrations (from the
registration dates) with :func:`~ihms.payment.spending_from_store` and
:func:`~ihms.payment.population_from_store`, and the consortium's assessment values
from :mod:`ihms.indicators` (:func:`~ihms.payment.indicator_values_from_results`). Without
a store, ``ctx.artefacts["spending"]`` / ``["payment_population"]`` are used if present,
and otherwise the illustrative tables in ``examples/payment/``. The staff paid by
scorecard come from :mod:`ihms.demo._payment_staff`: with the simulated store and its
roster (``ctx.artefacts["simulation"].staff``), the simulated physicians as doctors, their
health education sessions and consultation days counted from the store's staff
activities with :func:`~ihms.payment.staff_values_from_store`; otherwise the illustrative
roster and values of ``examples/payment/``, and the prose says which. The step leaves
``ctx.artefacts["payment_records"]`` (year → the Sanming settlement record).

The years settled are the whole years of the reform (from the simulated county's
``reform.date``, else Youxi's October 2017): a reform that began after January leaves
the year it began as the baseline, neither settled nor scored
(:mod:`ihms.demo._payment_baseline` says why; :func:`ihms.sim.regime.first_settled_year`,
the rule ``ihms sim run`` settles by too); a reform from January settles its own year.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ihms.demo._ledger import ledger_section
from ihms.demo._payment_baseline import (
    baseline_section,
    county_zh,
    simulated_baseline,
    simulated_reform,
    years_text,
)
from ihms.demo._payment_compare import compare_section
from ihms.demo._payment_population import basis_text, residents_by_year
from ihms.demo._payment_staff import (
    MANAGEMENT_RATES,
    DemoStaff,
    illustrative_staff,
    salaries_by_group,
    simulated_staff,
    staff_text,
)
from ihms.demo._payment_text import members_text, million, outcome_text, spending_text
from ihms.demo._payment_tracking import tracking_text
from ihms.demo._payment_zh import (
    rules_section_zh,
    salaries_lead_zh,
    store_source_zh,
    year_text_zh,
)
from ihms.demo._run import DemoContext
from ihms.errors import InputError
from ihms.indicators import compute
from ihms.payment import (
    ASSESSMENT_INDICATORS,
    CONSORTIUM_SUBJECT,
    IndicatorValues,
    PaymentRules,
    PopulationTable,
    SettlementRecord,
    SpendingTable,
    assessed_consortium,
    format_rate,
    indicator_values_from_results,
    load_rules,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)
from ihms.payment._words_zh import in_lang
from ihms.payment.reform import is_reform
from ihms.report import Section
from ihms.sim.regime import baseline_year, first_settled_year
from ihms.sources import ZHONG_2023, cited

__all__ = ["payment_sections"]

YEARS = (2017, 2018, 2019)


def _examples_dir() -> Path:
    here = Path(__file__).resolve()
    for base in (here.parents[3], Path.cwd()):
        candidate = base / "examples" / "payment"
        if (candidate / "spending.csv").is_file():
            return candidate
    raise FileNotFoundError("examples/payment/ not found (run the demo from the repository)")


def _as_spending(value: Any) -> SpendingTable:
    if isinstance(value, SpendingTable):
        return value
    if isinstance(value, pd.DataFrame):
        return SpendingTable.from_frame(value, source="simulated spending")
    raise TypeError(
        f"ctx.artefacts['spending'] must be a SpendingTable or DataFrame, got {type(value).__name__}"
    )


def _as_population(value: Any) -> PopulationTable:
    if isinstance(value, PopulationTable):
        return value
    return PopulationTable.from_frame(value, source="simulated population")


def _share_text(share, pct) -> str:
    """A balance use's share: one rate, or each year's (a rule file may give it by year)."""
    if isinstance(share, Mapping):
        return ", ".join(f"{pct(v)} ({y})" for y, v in sorted(share.items()))
    return pct(share)


def _rules_section(sanming, other, *, lang: str = "en") -> Section:
    if lang == "zh":
        return rules_section_zh(sanming, other)

    def row(r):
        b = r.budget
        s = r.settlement
        pct = format_rate  # one format for every rate: Decimal('0.160') and 0.2 alike
        growth = f"{1 + b.history_growth:g}"
        basis = (
            f"{'resident' if b.population == 'residents' else 'insured'} population × "
            "premium, after reserving "
            f"{pct(b.private_reserve_share)} for private hospitals and "
            f"{pct(b.risk_adjustment_share)} for risk adjustment"
            if b.method == "population"
            else f"last year's per-capita spending × {growth} × population"
            if b.history_years == 1
            else f"mean of the last {b.history_years} years' per-capita spending, each "
            f"trended forward × {growth} a year, × population"
        )
        # the limit is on the overspend shared, not on the insurer's part (review P)
        limit = s.overspend_shared_up_to
        over = (
            "borne by the consortium"
            if s.overspend_insurer_share == 0
            else f"insurer pays {pct(s.overspend_insurer_share)} of the overspend"
            + (
                ""
                if limit is None
                else f" up to {pct(limit)} of the budget (so at most "
                f"{pct(s.overspend_insurer_share * limit)} of the budget)"
            )
            + "; the consortium bears the rest"
        )
        kept = f"{pct(s.balance_retained_share)} kept" + (
            " if the assessment is passed" if s.assessment == "director" else ""
        )
        uses = ", ".join(
            f"{n.replace('_', ' ')} {_share_text(v, pct)}" for n, v in r.balance_uses.shares
        )
        pay = (
            "annual salary by scorecard"
            if r.staff_pay.method == "annual_salary"
            else "by service volume"
        )
        return [basis, over, kept, uses, pay]

    frame = pd.DataFrame(
        {"Sanming": row(sanming), "Other areas": row(other)},
        index=pd.Index(
            [
                "How the budget is set",
                "Overspending",
                "Balance",
                "Uses of the balance",
                "Staff paid",
            ],
            name="rule",
        ),
    )
    sec = Section(
        "payment-rules",
        "Payment rules: Sanming's IMPM and the other-areas ratchet",
        mirrors=f"{ZHONG_2023}, Table 1",
    )
    sec.text(
        "Sanming pays a county consortium a global budget set by the number of insured residents and a "
        "per-capita premium; the consortium pays for its residents' insured care wherever they are treated, "
        "bears any overspend, and keeps a balance if it passes the annual assessment, using part of it for "
        "staff incentives (16% in 2018), cooperation between hospitals and clinics, and health promotion. "
        "Elsewhere in China the budget follows the previous year's spending, overspends are shared with the "
        "insurer and part of any balance is clawed back. The table sets the two rule sets side by side as "
        "ihms applies them. Ratios the study does not publish are assumptions of the built-in rule files, "
        "listed below; a county can write its own rule file with `ihms payment rules sanming` as a template."
    )
    sec.table("rules", frame, title="Payment rules as ihms applies them: Sanming and other areas")
    notes = [f"Sanming: {cited(a)}" for a in sanming.assumptions] + [
        f"Other areas: {cited(a)}" for a in other.assumptions
    ]
    sec.text("Assumptions: " + " ".join(notes))
    return sec


def _year_section(
    rec: SettlementRecord,
    *,
    rules: PaymentRules,
    staff: DemoStaff,
    members: str = "",
    lang: str = "en",
) -> Section:
    y = rec.year
    zh = lang == "zh"
    sec = Section(
        f"payment-{y}",
        f"按三明规则进行的 {y} 年度结算" if zh else f"Settlement {y} under Sanming's rules",
        mirrors=f"{ZHONG_2023}，三明医共体医保支付政策"
        if zh
        else f"{ZHONG_2023}, IMPM payment policies",
    )
    sec.text(
        year_text_zh(rec, members)
        if zh
        else f"In {y} the global budget was {million(rec.budget.global_budget_fen)} for "
        f"{rec.inputs.county.insured_population:,} insured residents (the year's average "
        "enrolment: insured resident-months ÷ 12). "
        f"{spending_text(rec)} "
        f"So {outcome_text(rec)}. The working below lets an auditor recompute every figure by "
        "hand; money is exact to the fen." + (f" {members}" if members else "")
    )
    sec.table("budget", in_lang(rec.budget.summary(), lang))
    sec.table("settlement", in_lang(rec.summary(), lang))
    if rec.assessment is not None:
        sec.table("assessment", in_lang(rec.assessment.summary(), lang))
    if rec.distribution.total_fen:
        sec.table("distribution", in_lang(rec.distribution.summary(), lang))
    if rec.salaries is not None:
        sec.text(
            salaries_lead_zh(staff_text(rec, rules, staff, lang=lang))
            if zh
            else "Annual salaries follow each person's scorecard (directors: fund balance, health promotion, "
            "cooperation; doctors: health education, health management, days consulting at a "
            "lower-tier institution). The staff-incentive share of the balance is divided among those who pass, by score. "
            + staff_text(rec, rules, staff)
        )
        sec.table(
            "salaries",
            salaries_by_group(rec, staff, rules, lang=lang)
            if staff.simulated
            else in_lang(rec.salaries.summary(), lang),
        )
    return sec


def _tiers(store) -> dict[str, str]:
    """Institution id → tier, from the store's institutions table."""
    frame = store.to_pandas("institutions")
    return dict(zip(frame["institution_id"], frame["tier"], strict=True))


def _from_store(ctx: DemoContext):
    """Spending, population, the consortium's scorecard values, and what the staff need,
    from the store of an earlier step."""
    store = ctx.artefacts["store"]
    spending = spending_from_store(store)
    population = population_from_store(store)
    consortium = assessed_consortium(store)
    lead = str(
        store.to_pandas("consortia")
        .set_index("consortium_id")
        .loc[consortium, "lead_institution_id"]
    )
    # the director card's rates, and the management rates the doctors' card is given
    # (_payment_staff: the consortium's managed patients followed up)
    measured = compute(
        store,
        indicators=[*ASSESSMENT_INDICATORS.values(), *MANAGEMENT_RATES],
        level="consortium",
        period="year",
    )
    indicators = indicator_values_from_results(measured, unit=consortium)
    last = population.for_year(max(population.rows))
    registered = last.family_physician_registered
    of_them = (
        "" if registered is None else f", {registered:,} of them registered with a family physician"
    )
    source = ctx.pick(
        f"the simulated county's own tables (the simulation section): spending, insured "
        f"population and family-physician registrations read from its data store, the "
        f"assessment's rates computed for {consortium} with the indicator catalogue "
        f"({last.insured_population:,} insured residents in the last year{of_them}; both "
        "are the year's average, member-months ÷ 12)",
        store_source_zh(consortium, last.insured_population, registered),
    )
    return spending, population, indicators, source, lead, (measured, consortium)


def _store_staff(ctx: DemoContext, ex: Path, years, spending, measured, consortium) -> DemoStaff:
    """The simulated physicians and their recorded activities when the run has them;
    else the illustrative staff, saying why. The illustrative roster names institutions
    without the county prefix (CH01): each is attached to the store's institution of that
    name (YX-CH01)."""
    store = ctx.artefacts["store"]
    known = set(spending.frame["institution_id"])
    roster = pd.read_csv(ex / "staff.csv", dtype=str)
    rename = {i: k for i in roster["institution_id"] for k in known if k.endswith(f"-{i}")}
    results = ctx.artefacts.get("simulation")
    staff = getattr(results, "staff", None)
    if staff is None or store.table("staff_activities").count().execute() == 0:
        why = (
            "the simulated store records no staff activities (the simulation section has "
            "no staff rates)"
        )
        return illustrative_staff(ex, years, why=why, rename=rename)
    return simulated_staff(
        store,
        staff,
        ex,
        years,
        measured=measured,
        consortium=consortium,
        rename=rename,
        reform=str(results.config.reform.date),
    )


def _years(spending: SpendingTable, first: int) -> list[int]:
    """The years settled: :data:`YEARS` from ``first`` (the first whole year of the
    reform) where the spending has them and the year before; else every such year of
    the spending."""
    years = [
        y for y in YEARS if y >= first and y in spending.years and y - 1 in spending.years
    ] or [y for y in spending.years[1:] if y >= first]
    if not years:
        raise InputError(
            f"{spending.source}: no year from {first} (the first whole year of the reform) "
            f"with the year before it; the table has {', '.join(map(str, spending.years))}"
        )
    return years


def payment_sections(ctx: DemoContext) -> list[Section]:
    """Settle each year, compare regimes, post to a ledger; return the report sections."""
    ex = _examples_dir()
    audited = "CH01"
    reform, county, regime = simulated_reform(ctx)
    first = first_settled_year(reform)
    if ctx.artefacts.get("store") is not None:
        spending, population, indicators, source, audited, rates = _from_store(ctx)
        years = _years(spending, first)
        staff = _store_staff(ctx, ex, years, spending, *rates)
    else:
        simulated = ctx.artefacts.get("spending") is not None
        spending = (
            _as_spending(ctx.artefacts["spending"])
            if simulated
            else SpendingTable.read(ex / "spending.csv")
        )
        pop_art = ctx.artefacts.get("payment_population")
        population = (
            _as_population(pop_art)
            if pop_art is not None
            else dataclasses.replace(
                PopulationTable.read(ex / "population.csv"),
                source="examples/payment/population.csv",
            )
        )
        example = IndicatorValues.read(ex / "indicators.csv")
        indicators = IndicatorValues(
            {k: v for k, v in example.values.items() if k[1] == CONSORTIUM_SUBJECT},
            source=example.source,
        )
        source = ctx.pick(
            "the county simulator's spending"
            if simulated
            else "an illustrative spending table written for the project (examples/payment/), "
            "shaped for a county of about 360,000 people whose residents' insured care costs "
            "about 210 million yuan a year — not Youxi's accounts",
            "县域模拟器生成的医保支付"
            if simulated
            else "为本项目编写的示例医保支付表（`examples/payment/`），按约 36 万人口、参保居民年"
            "医保费用约 2.1 亿元的县设计——并非尤溪县的实际账目",
        )
        years = _years(spending, first)
        staff = illustrative_staff(
            ex,
            years,
            why="this run has no simulated county's data store, so there are no staff "
            "activity records to count them from",
        )
    indicators = IndicatorValues(
        {**staff.values.values, **indicators.values},
        source=f"{indicators.source}; staff values from {staff.values.source}",
    )

    sanming, other = load_rules("sanming"), load_rules("other-areas")
    records: dict[int, SettlementRecord] = {}
    for y in years:
        has_values = bool(indicators.for_subject(y, "consortium"))
        inputs = settlement_inputs(
            sanming,
            y,
            spending=spending,
            population=population,
            indicators=indicators if has_values else None,
            staff=staff.rosters[y] if has_values else None,
            assume_assessment_passed=not has_values,
        )
        records[y] = settle_year(sanming, inputs)
    ctx.artefacts["payment_records"] = records

    lang = ctx.lang
    sections = [_rules_section(sanming, other, lang=lang)]
    intro = sections[0]
    baseline = baseline_year(reform)
    if baseline is not None and (baseline != years[0] - 1 or baseline not in spending.years):
        baseline = None  # the settled years start later, or the spending lacks the year
    residents = residents_by_year(population, ctx.artefacts.get("simulation"))
    intro.text(basis_text(sanming, records, residents, lang=lang))
    intro.text(
        ctx.pick(f"The settlements that follow use {source}. ", f"以下结算使用{source}。")
        + years_text(
            reform,
            county=county_zh(ctx) if ctx.zh else county,  # asked only for the Chinese
            first=years[0],
            baseline=baseline,
            regime=regime,
            reformed=is_reform(regime, simulated_baseline(ctx)),
            lang=lang,
        )
    )
    if baseline is not None:
        sections.append(
            baseline_section(
                baseline,
                spending=spending,
                population=population,
                reform=reform,
                first=years[0],
                lang=lang,
            )
        )
    store = ctx.artefacts.get("store")
    tiers = {} if store is None else _tiers(store)
    sections += [
        _year_section(
            records[y],
            rules=sanming,
            staff=staff,
            members=members_text(records[y], records.get(y - 1), tiers, lang=lang),
            lang=lang,
        )
        for y in years
    ]
    tracked = (
        None if store is None else tracking_text(store, sanming, records[years[-1]], lang=lang)
    )
    if tracked is not None:
        sections[-1].text(tracked)

    sections.append(
        compare_section(
            [sanming, other, load_rules("fee-for-service")],
            spending=spending,
            population=population,
            indicators=indicators,
            years=years,
            lang=lang,
        )
    )
    last = records[years[-1]].inputs.staff or ()
    groups = staff.groups or {m.staff_id: f"{m.role.capitalize()}s" for m in last}
    sections.append(
        ledger_section(
            records,
            work_dir=ctx.work_dir,
            shown_work_dir=ctx.shown_work_dir,
            audited=audited,
            groups=groups,
            lang=lang,
        )
    )
    return sections
