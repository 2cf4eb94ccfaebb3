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
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms.errors import InputError
from ihms.payment._audit import AuditStep
from ihms.payment.budget import PastYear, trended_per_capita
from ihms.payment.money import apply_rate, fen_to_yuan, format_yuan, round_fen
from ihms.payment.rules import FamilyPhysicianFee, SharedSavingsRule
from ihms.payment.shared_savings_result import SharedSavingsResult
from ihms.payment.tables import CountyYear
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


def _pct(rate: Decimal) -> str:
    """A rate as a percentage to 4 significant digits rounded half up, trailing zeros
    dropped (50%, 2.5%, 3.333%, 1.2345% as 1.235%), in Decimal arithmetic."""
    pct = Decimal(rate) * 100
    if not pct:
        return "0%"
    shown = pct.quantize(Decimal(1).scaleb(pct.adjusted() - 3), rounding=ROUND_HALF_UP)
    return f"{shown.normalize():f}%"


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


def _final_sharing_rate(
    rule: SharedSavingsRule,
    *,
    quality_score: Decimal | None,
    standard_met: bool | None,
    alternative_met: bool | None,
) -> tuple[Decimal, bool, str]:
    q = rule.quality
    if q.standard is not None:
        if quality_score is None:
            raise InputError(
                f"shared savings: the quality standard is a score of {_pct(q.standard)}, "
                "so the year needs a quality_score"
            )
        met = quality_score >= q.standard
        why = (
            f"quality score {_pct(quality_score)} {'≥' if met else '<'} standard {_pct(q.standard)}"
        )
    else:
        if standard_met is None:
            raise InputError(
                "shared savings: the payer determines the quality standard, so the year needs "
                "quality_standard_met (true/false)"
            )
        met = standard_met
        why = f"quality standard {'met' if met else 'not met'} (as determined by the payer)"
    if met:
        return rule.sharing_rate, True, why
    if q.sliding_scale:
        if q.alternative is not None:
            if quality_score is None:
                raise InputError(
                    f"shared savings: the alternative standard is a score of "
                    f"{_pct(q.alternative)}, so the year needs a quality_score"
                )
            alt = quality_score >= q.alternative
        elif alternative_met is None:
            raise InputError(
                "shared savings: the quality standard was not met, and under the sliding "
                "scale whether the payer's alternative standard was met decides what is "
                "shared, so the year needs alternative_quality_standard_met (true/false)"
            )
        else:
            alt = alternative_met
        if alt:
            if quality_score is None:
                raise InputError("shared savings: the sliding scale needs a quality_score")
            return (
                rule.sharing_rate * quality_score,
                False,
                why
                + f"; alternative standard met: sliding scale {_pct(rule.sharing_rate)} × {quality_score}",
            )
        return Decimal(0), False, why + "; alternative standard not met"
    return Decimal(0), False, why


def population_fields_lacking(rule: SharedSavingsRule, county: CountyYear) -> dict[str, str]:
    """The population table's fields a year settled under ``rule`` needs and lacks, each
    with why, all at once (so a user adds every column in one pass, not one error at a
    time).

    ``benchmark_per_capita_fen`` when the payer gives the benchmark; ``quality_score``
    when the standard is a score; ``quality_standard_met`` when the payer determines it;
    and under the sliding scale, when the standard is not met (or not known to be),
    ``alternative_quality_standard_met`` when the payer determines the alternative one
    (it decides between sharing and not: never taken as missed; asked for beside an
    unknown standard, for the case it is missed, rather than in a second error), and
    ``quality_score`` when the alternative is a score or is said to be met (the scale
    multiplies by the score).

    Parameters
    ----------
    rule : SharedSavingsRule
        The rule set's shared-savings part the year is settled under.
    county : CountyYear
        The county's population facts for the year.

    Returns
    -------
    dict of str to str
        Each lacking field with why it is needed; empty when nothing lacks.

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> list(population_fields_lacking(load_rules("mssp").shared_savings,
    ...                                CountyYear(year=2018, insured_population=10_000)))
    ['benchmark_per_capita_fen', 'quality_standard_met', 'alternative_quality_standard_met']
    """
    q = rule.quality
    lacking: dict[str, str] = {}
    if rule.benchmark_method == "given" and county.benchmark_per_capita_fen is None:
        lacking["benchmark_per_capita_fen"] = (
            "the payer gives the benchmark per capita: in fen, or in yuan as "
            "benchmark_per_capita_yuan"
        )
    score = county.quality_score
    if q.standard is not None:
        if score is None:
            lacking["quality_score"] = f"the quality standard is a score of {_pct(q.standard)}"
        met: bool | None = None if score is None else score >= q.standard
        missed = f"if the quality score is below the standard of {_pct(q.standard)}"
    else:
        met = county.quality_standard_met
        if met is None:
            lacking["quality_standard_met"] = (
                "the payer determines whether the quality standard was met: true or false"
            )
        missed = "if the quality standard was not met"
    if not q.sliding_scale or met is True:
        return lacking
    if q.alternative is not None:
        if score is None:
            lacking.setdefault(
                "quality_score",
                f"the alternative standard is a score of {_pct(q.alternative)}, and the "
                "sliding scale shares at the sharing rate × the quality score",
            )
        return lacking
    alternative = county.alternative_quality_standard_met
    if alternative is None:
        # asked for with the standard when that is unknown too, not in a second error
        # once the standard is given as missed; never taken as missed
        decides = (
            "between sharing at the sharing rate × the quality score and sharing nothing: "
            "true or false"
        )
        lacking["alternative_quality_standard_met"] = (
            "the quality standard was not met, and under the sliding scale whether the "
            f"payer's alternative standard was met decides {decides}"
            if met is False
            else f"{missed}, whether the payer's alternative standard was met decides, under "
            f"the sliding scale, {decides} (a year meeting the standard may leave it empty)"
        )
    elif alternative and score is None:
        lacking["quality_score"] = (
            "the alternative standard is met, and the sliding scale shares at the sharing "
            "rate × the quality score"
        )
    return lacking


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
    final, met, why = _final_sharing_rate(
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
        AuditStep("savings rate", "savings / benchmark", value=f"{rate * 100:.4f}%"),
        AuditStep("minimum savings rate", f"for {assigned:,} people", value=f"{msr * 100:.4f}%"),
        AuditStep("final sharing rate", why, value=f"{final * 100:.4f}%"),
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
                f"min({format_yuan(savings)} × {_pct(final)}, cap {_pct(rule.savings_cap)} × benchmark "
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
            how = f"1 − {_pct(final)}, bounded to [{_pct(rule.loss_rate_min)}, {_pct(rule.loss_rate_max)}]"
        loss_cap = apply_rate(benchmark, rule.loss_cap)
        steps.append(AuditStep("minimum loss rate", "", value=f"{mlr * 100:.4f}%"))
        steps.append(AuditStep("shared loss rate", how, value=f"{loss_rate * 100:.4f}%"))
        if savings < 0 and -rate >= mlr:
            losses = min(apply_rate(-savings, loss_rate), loss_cap)
            outcome = "losses shared"
            steps.append(
                AuditStep(
                    "shared losses",
                    f"min({format_yuan(-savings)} × {_pct(loss_rate)}, cap {_pct(rule.loss_cap)} × "
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
class BlendedPayment:
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
                "per year (Deqing's blended payment, seed 004).",
            ),
        )


def blended_primary_care_payment(
    fee: FamilyPhysicianFee, *, fee_for_service_fen: int, registered: int
) -> BlendedPayment:
    """Deqing's blended payment (seed 004): FFS plus ``registered × fee``.

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
    return BlendedPayment(
        fee_for_service_fen,
        registered,
        fee.per_member_per_year_fen,
        registered * fee.per_member_per_year_fen,
    )
