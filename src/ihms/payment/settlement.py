"""Year-end settlement: a pure function ``settle_year(rules, inputs) → SettlementRecord``.

The record carries every input, every intermediate figure (with its working, see
:meth:`SettlementRecord.audit_trail`) and the rules' name, version and digest, so an
auditor can recompute it by hand, and the same inputs always give the same record — the
ledger relies on that for idempotent posting, and a simulator can call it once per
simulated year.

Who pays what (global budget regimes)::

    charged spending S = consortium spending (+ outside-county spending, if charged)
    difference       D = GB − S
    D ≥ 0: balance D; the consortium keeps balance × retained share (× 1 if it passes the
           assessment, the "if failed" share otherwise); the rest is clawed back.
    D < 0: overspend −D; the insurer pays its share of the part up to the sharing limit,
           the consortium bears the rest.
    insurer outlay to the consortium side = S + kept balance − overspend borne
    (so under Sanming, where the consortium bears every overspend, it never exceeds GB).

Private-hospital spending is paid from the private-hospital reserve and shown separately;
it never enters the consortium's settlement.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ihms.errors import InputError
from ihms.payment._audit import AuditStep
from ihms.payment._names import CONSORTIUM_NAMES, CONSORTIUM_SUBJECT
from ihms.payment._settlement_table import private_step_working
from ihms.payment.budget import global_budget
from ihms.payment.family_physician import family_physician_fee
from ihms.payment.incentive_checks import incentive_notes
from ihms.payment.money import allocate, apply_rate, format_rate, format_yuan, percent_shown
from ihms.payment.record import Distribution, SettlementInputs, SettlementRecord
from ihms.payment.rules import PaymentRules, balance_use_label
from ihms.payment.salary import ScorecardResult, annual_salaries, score_card
from ihms.payment.shared_savings import (
    SharedSavingsResult,
    benchmark_per_capita,
    population_fields_lacking,
    settle_shared_savings,
)
from ihms.payment.tables import FUND_BALANCE_RATE

__all__ = [
    "FUND_BALANCE_RATE",
    "Distribution",
    "SettlementInputs",
    "SettlementRecord",
    "settle_year",
]


def _rate(num: int, den: int) -> Decimal:
    return Decimal(num) / Decimal(den) if den else Decimal(0)


def settle_year(rules: PaymentRules, inputs: SettlementInputs) -> SettlementRecord:
    """Settle one year under ``rules``; a pure function of its two arguments.

    Parameters
    ----------
    rules : PaymentRules
        The rule set: budget, settlement shares, shared savings, family-physician fee and
        staff pay (see :func:`~ihms.payment.load_rules`).
    inputs : SettlementInputs
        The year's county, spending (fen), needed history and indicator values, usually
        from :func:`~ihms.payment.settlement_inputs`.

    Returns
    -------
    SettlementRecord
        Every input, intermediate figure (fen) and audit step; the same arguments always
        give an equal record. Its ``notes`` say what the figures alone do not: with a
        staff roster, a pool no one on it passes for left unshared, an incentive above a
        base salary and (given ``inputs.staff_headcount``) a roster shorter or longer
        than the headcount (:func:`~ihms.payment.incentive_notes`).

    Raises
    ------
    InputError
        Missing history for a history-based budget or benchmark, missing assessment or
        quality values the rules need, staff without a scorecard, ...
    """
    year, sp, county = inputs.year, inputs.spending, inputs.county
    s_rule = rules.settlement
    steps: list[AuditStep] = []
    notes: list[str] = []
    cons, outside, private = sp.consortium_total, sp.outside_county, sp.private
    charged = cons + (outside if s_rule.charge_outside_county else 0)
    steps += [
        AuditStep(f"spending at {inst}", "insurance paid", amount_fen=fen)
        for inst, fen in sp.consortium.items()
    ]
    steps += [
        AuditStep("spending in the consortium", "sum over member institutions", amount_fen=cons),
        AuditStep("spending outside the county", "insurance paid", amount_fen=outside),
        # no reserve until a budget sets one (the global-budget branch replaces the step)
        AuditStep("spending at private hospitals", private_step_working(private, 0), private),
    ]
    budget = None
    private_reserve = 0
    difference = balance = overspend = retained = clawback = ins_over = cons_over = 0
    assessment: ScorecardResult | None = None
    passed: bool | None = None
    shared: SharedSavingsResult | None = None
    computed: dict[str, Decimal] = {}
    fp_fee = 0
    fp_by_institution: dict[str, int] = {}
    if rules.family_physician_fee is not None:
        fee = family_physician_fee(
            rules.family_physician_fee,
            county,
            rules_name=rules.name,
            fee_for_service_fen=sp.primary_care,
        )
        fp_fee, fp_by_institution = fee.total_fen, fee.by_institution_fen
        steps += list(fee.steps)

    if rules.kind == "global_budget":
        budget = global_budget(rules, county=county, history=inputs.history)
        steps += list(budget.steps)
        private_reserve = budget.private_reserve_fen
        steps = [
            AuditStep(s.label, private_step_working(private, private_reserve), s.amount_fen)
            if s.label == "spending at private hospitals"
            else s
            for s in steps
        ]
        gb = budget.global_budget_fen
        what = "consortium + outside county" if s_rule.charge_outside_county else "consortium only"
        steps.append(AuditStep("spending charged to the budget", what, amount_fen=charged))
        steps.append(
            AuditStep(
                "private reserve balance",
                "reserve − private spending",
                amount_fen=private_reserve - private,
            )
        )
        difference = gb - charged
        computed[FUND_BALANCE_RATE] = _rate(difference, gb)
        steps.append(
            AuditStep(
                "budget − charged spending",
                f"{format_yuan(gb)} − {format_yuan(charged)}",
                amount_fen=difference,
            )
        )
        steps.append(
            AuditStep(
                "fund balance rate",
                "(budget − charged) / budget",
                value=percent_shown(computed[FUND_BALANCE_RATE]),
            )
        )
        if difference >= 0:
            balance = difference
            share = s_rule.balance_retained_share
            if s_rule.assessment == "director":
                assessment, passed = _assess(rules, inputs, computed, notes)
                if passed is False:
                    share = s_rule.retained_share_if_failed
            retained = apply_rate(balance, share)
            clawback = balance - retained
            steps.append(
                AuditStep(
                    "balance kept by the consortium",
                    f"{format_yuan(balance)} × {format_rate(share)}",
                    amount_fen=retained,
                )
            )
            steps.append(AuditStep("balance clawed back", "balance − kept", amount_fen=clawback))
        else:
            overspend = -difference
            if s_rule.assessment == "director" and inputs.assessment_values is not None:
                assessment, passed = _assess(rules, inputs, computed, notes)
            limit = overspend
            if s_rule.overspend_shared_up_to is not None:
                limit = min(overspend, apply_rate(gb, s_rule.overspend_shared_up_to))
            ins_over = apply_rate(limit, s_rule.overspend_insurer_share)
            cons_over = overspend - ins_over
            steps.append(AuditStep("overspend", "charged − budget", amount_fen=overspend))
            steps.append(
                AuditStep(
                    "overspend paid by the insurer",
                    # which figure is multiplied: the overspend, or its shared part's limit
                    f"{format_yuan(limit)} ("
                    + (
                        f"the overspend up to {format_rate(s_rule.overspend_shared_up_to)} "
                        "of the budget"
                        if limit < overspend
                        else "the overspend"
                    )
                    + f") × {format_rate(s_rule.overspend_insurer_share)}",
                    amount_fen=ins_over,
                )
            )
            steps.append(
                AuditStep(
                    "overspend borne by the consortium",
                    "overspend − insurer's part",
                    amount_fen=cons_over,
                )
            )
        distributable = retained
        consortium_result = retained - cons_over
        outlay = (
            charged
            + retained
            - cons_over
            + (0 if s_rule.charge_outside_county else outside)
            + private
        )
    elif rules.kind == "shared_savings":
        rule = rules.shared_savings
        assert rule is not None
        lacking = population_fields_lacking(rule, county)
        if lacking:
            raise InputError(
                f"shared savings {county.year}: rules {rules.name!r} need "
                f"{', '.join(lacking)} in the population table for the year ("
                + "; ".join(lacking.values())
                + ")"
            )
        bpc, bsteps = benchmark_per_capita(
            rule,
            county=county,
            history=inputs.history,
            include_outside_county=s_rule.charge_outside_county,
        )
        steps += bsteps
        actual = cons + private + (outside if s_rule.charge_outside_county else 0)
        shared = settle_shared_savings(
            rule,
            assigned=county.insured_population,
            benchmark_per_capita_fen=bpc,
            actual_fen=actual,
            quality_score=county.quality_score,
            quality_standard_met=county.quality_standard_met,
            alternative_quality_standard_met=county.alternative_quality_standard_met,
        )
        steps += list(shared.steps)
        charged = actual
        distributable = shared.shared_savings_fen
        consortium_result = shared.shared_savings_fen - shared.shared_losses_fen
        outlay = cons + outside + private + consortium_result
    else:
        distributable = 0
        consortium_result = 0
        outlay = cons + outside + private
        notes.append(
            "Fee for service: every claim is paid; there is no budget, balance or overspend."
        )
    outlay += fp_fee
    steps.append(
        AuditStep(
            "insurer's total outlay", "claims + settlement payments + fees", amount_fen=outlay
        )
    )

    shares = dict(rules.balance_uses.for_year(year))  # a year's own, if given by year
    allocations = (
        allocate(distributable, list(shares.items())) if distributable else dict.fromkeys(shares, 0)
    )
    distribution = Distribution(distributable, allocations, shares)
    for use, fen in allocations.items():
        steps.append(
            AuditStep(
                # in words, as the distribution table names the uses
                f"allocation: {balance_use_label(use).lower()}",
                f"{format_yuan(distributable)} × {format_rate(shares[use])} (largest remainder)",
                amount_fen=fen,
            )
        )

    salaries = None
    if rules.staff_pay.method == "annual_salary" and inputs.staff:
        salaries = annual_salaries(
            rules.staff_pay,
            inputs.staff,
            inputs.staff_values,
            pool_fen=distribution.staff_incentive_fen,
            computed=computed,
        )
        # a pool no one passes for, shares above a base salary, and with a headcount
        # the roster against it (review P #2): here, so every caller gets them
        notes += incentive_notes(salaries, headcount=inputs.staff_headcount)
    elif rules.staff_pay.method == "volume":
        notes.append("Staff are paid by service volume; no scorecards apply.")
    elif distribution.staff_incentive_fen:
        notes.append("No staff roster given: the incentive pool is not shared out.")

    return SettlementRecord(
        rules_name=rules.name,
        rules_version=rules.version,
        rules_digest=rules.digest,
        kind=rules.kind,
        year=year,
        inputs=inputs,
        charge_outside_county=s_rule.charge_outside_county,
        budget=budget,
        consortium_fen=cons,
        outside_county_fen=outside,
        private_fen=private,
        charged_fen=charged,
        private_reserve_fen=private_reserve,
        difference_fen=difference,
        balance_fen=balance,
        overspend_fen=overspend,
        assessment=assessment,
        assessment_passed=passed,
        retained_fen=retained,
        clawback_fen=clawback,
        overspend_insurer_fen=ins_over,
        overspend_consortium_fen=cons_over,
        shared_savings=shared,
        family_physician_fee_fen=fp_fee,
        family_physician_fee_by_institution=fp_by_institution,
        distribution=distribution,
        salaries=salaries,
        insurer_outlay_fen=outlay,
        consortium_result_fen=consortium_result,
        steps=tuple(steps),
        notes=tuple(notes),
    )


#: The note's reason without an indicator table (said in Chinese by
#: :mod:`ihms.payment._words_zh`, keyed by the whole note).
NO_VALUES = "no indicator values were given."
#: A few of the subject names read as the consortium's, for the error naming them.
_CONSORTIUM_SHOWN = [name for name in CONSORTIUM_NAMES if not name.isascii()][:3]


def _assess(
    rules: PaymentRules, inputs: SettlementInputs, computed: Mapping[str, Decimal], notes: list[str]
) -> tuple[ScorecardResult | None, bool]:
    card = rules.staff_pay.scorecards["director"]
    if inputs.assessment_values is None:
        year, source = inputs.year, inputs.indicators_source
        if inputs.assume_assessment_passed:
            notes.append(
                "Assessment assumed passed: "
                + (f"{source} has no consortium rows for {year}." if source else NO_VALUES)
            )
            return None, True
        wanted = [i.id for i in card.indicators if i.id not in computed]
        own = [i.id for i in card.indicators if i.id in computed]
        lacking = (
            f"{source} has no rows for {year} under subject {CONSORTIUM_SUBJECT!r} (nor "
            f"{'/'.join(_CONSORTIUM_SHOWN)}..., read as it)"
            if source
            else "no indicator values were given (parameter 'indicators')"
        )
        raise InputError(
            f"settlement {year}: rules {rules.name!r} gate the balance on the consortium's "
            f"assessment, but {lacking}; expected a row (year {year}, subject "
            f"{CONSORTIUM_SUBJECT!r}, indicator, value) for each of {', '.join(wanted)}"
            + (f" (the settlement computes {', '.join(own)})" if own else "")
            + ", or assume the assessment passed (assume_assessment_passed=True)"
        )
    given = dict(inputs.assessment_values)
    for key, value in computed.items():
        if key in given and given[key] != value:
            notes.append(
                f"{key} was given as {given[key]}; the settlement's own figure {value} is used."
            )
    result = score_card(card, {**given, **computed}, subject="consortium", computed=list(computed))
    return result, result.passed
