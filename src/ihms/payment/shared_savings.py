"""MSSP-style shared savings and losses, and Deqing's blended primary-care payment.

The arithmetic follows the Medicare Shared Savings Program (42 CFR 425.604–425.610):

1. benchmark = benchmark per capita × assigned people;
2. savings = benchmark − actual expenditure; savings rate = savings / benchmark;
3. if the savings rate is at least the minimum savings rate (MSR), the organisation earns
   ``final sharing rate × savings`` from the first yuan, capped at ``savings_cap ×
   benchmark``; the final sharing rate is the full rate if the quality standard is met,
   ``rate × quality score`` under the sliding scale if only the alternative standard is
   met, else 0;
4. two-sided: if the loss rate (−savings rate) is at least the minimum loss rate (MLR),
   the organisation repays ``loss rate × losses``, capped at ``loss_cap × benchmark``,
   with loss rate = ``1 − final sharing rate`` bounded (ENHANCED track) or fixed.

MSR by population: within a band of the table the rate runs linearly from the band's
"low end" rate (at its smallest population) to its "high end" rate (at its largest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.payment._audit import AuditStep
from ihms.payment._quality_gate import (
    final_sharing_rate,
    percent_text,
    population_fields_lacking,
)
from ihms.payment.budget import PastYear, trended_per_capita
from ihms.payment.money import apply_rate, fen_to_yuan, format_yuan, percent_shown, round_fen
from ihms.payment.rules import FamilyPhysicianFee, SharedSavingsRule
from ihms.payment.shared_savings_result import SharedSavingsResult
from ihms.payment.tables import CountyYear
from ihms.sources import JIA_2021
from ihms.summary import SummaryTable

__all__ = [
    "BlendedPayment",
    "SharedSavingsResult",
    "benchmark_per_capita",
    "blended_primary_care_payment",
    "minimum_savings_rate",
    "population_fields_lacking",
    "settle_shared_savings",
]


def minimum_savings_rate(rule: SharedSavingsRule, assigned: int) -> Decimal:
    """The MSR for ``assigned`` people: the fixed rate, or the table interpolated.

    Parameters
    ----------
    rule : SharedSavingsRule
        The rules' shared-savings section (``msr_fixed`` or ``msr_table``).
    assigned : int
        Number of people assigned to the consortium.

    Returns
    -------
    Decimal
        The minimum savings rate as a fraction (``0.02`` for 2%).

    Raises
    ------
    InputError
        ``assigned`` is outside the MSR table.

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> rule = load_rules("mssp").shared_savings
    >>> minimum_savings_rate(rule, 5_000), minimum_savings_rate(rule, 100_000)
    (Decimal('0.039'), Decimal('0.02'))
    """
    if rule.msr_fixed is not None:
        return rule.msr_fixed
    for band in rule.msr_table:
        if assigned >= band.low_n and (band.high_n is None or assigned <= band.high_n):
            if band.high_n is None or band.high_n == band.low_n:
                return band.rate_at_low
            t = Decimal(assigned - band.low_n) / Decimal(band.high_n - band.low_n)
            return band.rate_at_low + t * (band.rate_at_high - band.rate_at_low)
    lo = min(b.low_n for b in rule.msr_table)
    raise InputError(
        f"minimum savings rate: {assigned:,} assigned people is outside the MSR table "
        f"(from {lo:,}); MSSP requires at least 5,000 assigned beneficiaries (42 CFR 425.110)"
    )


def settle_shared_savings(
    rule: SharedSavingsRule,
    *,
    assigned: int,
    benchmark_per_capita_fen: int,
    actual_fen: int,
    quality_score: Decimal | None = None,
    quality_standard_met: bool | None = None,
    alternative_quality_standard_met: bool | None = None,
) -> SharedSavingsResult:
    """Settle one performance year.

    Parameters
    ----------
    rule
        The shared-savings rule.
    assigned
        Assigned people (beneficiaries or residents).
    benchmark_per_capita_fen
        Benchmark expenditure per person (fen; cents for MSSP).
    actual_fen
        Actual expenditure of the assigned population (total cost of care).
    quality_score, quality_standard_met, alternative_quality_standard_met
        Quality inputs; which are needed depends on ``rule.quality``.
    """
    if assigned <= 0:
        raise InputError(f"shared savings: assigned population must be > 0, got {assigned}")
    if benchmark_per_capita_fen <= 0:
        raise InputError(
            f"shared savings: benchmark per capita must be > 0, got {benchmark_per_capita_fen}"
        )
    if actual_fen < 0:
        raise InputError(f"shared savings: actual expenditure must be >= 0, got {actual_fen}")
    benchmark = assigned * benchmark_per_capita_fen
    savings = benchmark - actual_fen
    rate = Decimal(savings) / Decimal(benchmark)
    msr = minimum_savings_rate(rule, assigned)
    final, met, why = final_sharing_rate(
        rule,
        quality_score=quality_score,
        standard_met=quality_standard_met,
        alternative_met=alternative_quality_standard_met,
    )
    cap = apply_rate(benchmark, rule.savings_cap)
    steps = [
        AuditStep("assigned people", "input", value=f"{assigned:,}"),
        AuditStep(
            "benchmark",
            f"{assigned:,} × {format_yuan(benchmark_per_capita_fen)} per capita",
            amount_fen=benchmark,
        ),
        AuditStep(
            "actual expenditure", "total cost of care of the assigned people", amount_fen=actual_fen
        ),
        AuditStep(
            "savings", f"{format_yuan(benchmark)} − {format_yuan(actual_fen)}", amount_fen=savings
        ),
        AuditStep("savings rate", "savings / benchmark", value=percent_shown(rate)),
        AuditStep("minimum savings rate", f"for {assigned:,} people", value=percent_shown(msr)),
        AuditStep("final sharing rate", why, value=percent_shown(final)),
    ]
    shared = 0
    losses = 0
    loss_rate: Decimal | None = None
    loss_cap = 0
    mlr: Decimal | None = None
    if savings > 0 and rate >= msr:
        uncapped = apply_rate(savings, final)
        shared = min(uncapped, cap)
        outcome = "savings shared" if shared else "savings, but quality gate not met"
        steps.append(
            AuditStep(
                "shared savings",
                f"min({format_yuan(savings)} × {percent_text(final)}, cap {percent_text(rule.savings_cap)} × benchmark "
                f"= {format_yuan(cap)})",
                amount_fen=shared,
            )
        )
    elif savings > 0:
        outcome = "savings below the minimum savings rate"
        steps.append(
            AuditStep("shared savings", "savings rate < MSR: nothing shared", amount_fen=0)
        )
    elif savings == 0:
        outcome = "on the benchmark"
    else:
        outcome = "losses (one-sided: none shared)"
    if rule.two_sided:
        mlr = msr if rule.mlr_same_as_msr or rule.mlr_fixed is None else rule.mlr_fixed
        if rule.loss_rate is not None:
            loss_rate = rule.loss_rate
            how = "fixed"
        else:
            loss_rate = min(max(Decimal(1) - final, rule.loss_rate_min), rule.loss_rate_max)
            how = f"1 − {percent_text(final)}, bounded to [{percent_text(rule.loss_rate_min)}, {percent_text(rule.loss_rate_max)}]"
        loss_cap = apply_rate(benchmark, rule.loss_cap)
        steps.append(AuditStep("minimum loss rate", "", value=percent_shown(mlr)))
        steps.append(AuditStep("shared loss rate", how, value=percent_shown(loss_rate)))
        if savings < 0 and -rate >= mlr:
            losses = min(apply_rate(-savings, loss_rate), loss_cap)
            outcome = "losses shared"
            steps.append(
                AuditStep(
                    "shared losses",
                    f"min({format_yuan(-savings)} × {percent_text(loss_rate)}, cap {percent_text(rule.loss_cap)} × "
                    f"benchmark = {format_yuan(loss_cap)})",
                    amount_fen=losses,
                )
            )
        elif savings < 0:
            outcome = "losses below the minimum loss rate"
            steps.append(AuditStep("shared losses", "loss rate < MLR: nothing owed", amount_fen=0))
    return SharedSavingsResult(
        assigned=assigned,
        benchmark_per_capita_fen=benchmark_per_capita_fen,
        benchmark_fen=benchmark,
        actual_fen=actual_fen,
        savings_fen=savings,
        savings_rate=rate,
        msr=msr,
        mlr=mlr,
        quality_score=quality_score,
        quality_standard_met=met,
        final_sharing_rate=final,
        savings_cap_fen=cap,
        shared_savings_fen=shared,
        loss_rate=loss_rate,
        loss_cap_fen=loss_cap,
        shared_losses_fen=losses,
        outcome=outcome,
        steps=tuple(steps),
    )


def benchmark_per_capita(
    rule: SharedSavingsRule,
    *,
    county: CountyYear,
    history: Sequence[PastYear] = (),
    include_outside_county: bool = True,
) -> tuple[int, list[AuditStep]]:
    """The benchmark per capita for the year: given by the payer, or the mean of the
    previous years' per-capita total cost of care trended forward (rounded half up).

    Parameters
    ----------
    rule : SharedSavingsRule
        The rules' shared-savings section: ``benchmark_method`` (``"given"`` or
        ``"history"``), ``history_years`` and ``history_growth``.
    county : CountyYear
        The year's population row; gives ``benchmark_per_capita_fen`` for ``"given"``.
    history : sequence of PastYear, default ()
        Previous years' population and spending, for a history-based benchmark.
    include_outside_county : bool, default True
        Count outside-county spending in the history's cost of care (else consortium
        spending only).

    Returns
    -------
    tuple of (int, list of AuditStep)
        The benchmark in fen per capita and the steps of its working.

    Raises
    ------
    InputError
        The benchmark is "given" but the population table has none for the year, or
        the history lacks a year it needs.
    """
    if rule.benchmark_method == "given":
        if county.benchmark_per_capita_fen is None:
            raise InputError(
                f"shared savings {county.year}: the rules take the benchmark as given, so the "
                "population table needs benchmark_per_capita_fen for the year"
            )
        return county.benchmark_per_capita_fen, [
            AuditStep(
                "benchmark per capita",
                "given by the payer",
                amount_fen=county.benchmark_per_capita_fen,
            )
        ]
    mean, steps = trended_per_capita(
        county.year,
        history,
        years=rule.history_years,
        growth=rule.history_growth,
        amount="total" if include_outside_county else "consortium",
        what="benchmark",
    )
    fen = round_fen(mean)
    steps.append(
        AuditStep(
            "benchmark per capita",
            f"mean of {rule.history_years} trended amounts, rounded half up",
            amount_fen=fen,
        )
    )
    return fen, steps


@dataclass(frozen=True)
class BlendedPayment(SummaryHtml):
    """Blended primary-care payment: fee for service + per-member-per-year fee."""

    fee_for_service_fen: int
    registered: int
    per_member_per_year_fen: int
    family_physician_fee_fen: int

    @property
    def total_fen(self) -> int:
        return self.fee_for_service_fen + self.family_physician_fee_fen

    def summary(self) -> SummaryTable:
        """The payment's two parts and their total, in yuan."""
        lines = {
            "fee for service": self.fee_for_service_fen,
            f"family-physician fee ({self.registered:,} registered × "
            f"{format_yuan(self.per_member_per_year_fen)})": self.family_physician_fee_fen,
            "blended primary-care payment": self.total_fen,
        }
        return SummaryTable(
            pd.DataFrame(
                {"yuan": [fen_to_yuan(v) for v in lines.values()]},
                index=pd.Index(list(lines), name="item"),
            ),
            title="Blended primary-care payment (yuan)",
            notes=(
                "Fee for service plus a fee per resident registered with a family physician "
                f"per year (Deqing's blended payment, {JIA_2021}).",
            ),
        )


def blended_primary_care_payment(
    fee: FamilyPhysicianFee, *, fee_for_service_fen: int, registered: int
) -> BlendedPayment:
    """Deqing's blended payment (Jia et al. 2021): FFS plus ``registered × fee``.

    Parameters
    ----------
    fee : FamilyPhysicianFee
        The fee per registered resident per year (``per_member_per_year_fen``, fen).
    fee_for_service_fen : int
        The fee-for-service payment for the year, in fen (>= 0).
    registered : int
        Residents registered with a family physician (>= 0).

    Raises
    ------
    InputError
        A negative amount or count.

    >>> from ihms.payment.rules import FamilyPhysicianFee
    >>> blended_primary_care_payment(FamilyPhysicianFee(10_000), fee_for_service_fen=500_00,
    ...                              registered=3).total_fen
    80000
    """
    if fee_for_service_fen < 0 or registered < 0:
        raise InputError("blended payment: fee for service and registered residents must be >= 0")
    if fee.per_member_per_year_fen is None:
        raise InputError(
            "blended payment: the fee changes by year or within a year; charge it with "
            "ihms.payment.family_physician_fee (by registered member-months)"
        )
    return BlendedPayment(
        fee_for_service_fen,
        registered,
        fee.per_member_per_year_fen,
        registered * fee.per_member_per_year_fen,
    )
