"""Close a simulated year with :mod:`ihms.payment`: what the balance buys next year.

At each year end the run hands its accounts (:class:`~ihms.sim.results.YearAccounts`) to a
:class:`YearEndSettlement`. It turns them into the payment engine's spending and
population tables, settles the year under the payment rules of the regime in force
(``ihms.payment.settle_year`` — the simulator never computes a budget or a balance
itself) when it is a whole year of the reform (``YearAccounts.settled``: the year a
reform began within is its baseline, not settled, as the demo has it,
:func:`ihms.sim.regime.first_settled_year`) and returns the amount the distribution assigns to health promotion, which
raises next year's promotion intensity. Under Sanming's rules a balance funds health
promotion; under the "other areas" rules a balance may only go to institutional
development, and fee for service has no budget and so no balance (Zhong et al. 2023, Table 1).

While the run is under way the tables the indicators are computed from do not exist
yet, so the in-run settlement treats the annual assessment as passed (recorded on each
settlement record) and, under shared savings gated on quality, the quality standard as
met (:data:`ASSUMED_QUALITY_SCORE`); the report settles the years again from the finished
tables, with the scorecards' indicator values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from ihms.errors import InputError
from ihms.payment import (
    PaymentRules,
    PopulationTable,
    Registrations,
    SettlementRecord,
    SpendingTable,
    settle_year,
    settlement_inputs,
)
from ihms.payment.registrations import UNATTRIBUTED
from ihms.sim._codes import regime_rules
from ihms.sim._parsed import builtin_rules

if TYPE_CHECKING:  # pragma: no cover
    from ihms.sim.results import YearAccounts

__all__ = [
    "ASSUMED_QUALITY_SCORE",
    "HEALTH_PROMOTION",
    "YearEndSettlement",
    "population_table",
    "resident_population",
    "settled_population",
    "spending_table",
]

#: The balance use (payment rules' ``balance_uses`` key) that funds health promotion.
HEALTH_PROMOTION = "health_promotion"

#: The quality score the in-run settlement gives a year whose shared savings are gated on
#: quality: no indicator exists while the run is under way, so, as the assessment is taken
#: as passed, the quality standard is taken as met (a full score).
ASSUMED_QUALITY_SCORE = Decimal(1)


def spending_table(accounts: Sequence[YearAccounts]) -> SpendingTable:
    """The payment engine's spending table for the closed years (one row per institution
    and year; hospitals outside the county as ``outside_county``)."""
    frames = [a.by_institution.assign(year=a.year) for a in accounts]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return SpendingTable.from_frame(frame, source="simulated spending")


def resident_population(accounts: YearAccounts) -> int:
    """The county's resident (total) population of a closed year: the mean of its
    resident-months (``YearAccounts.population``) rounded half up, exactly as the run
    rounds the insured and :func:`ihms.payment.population_from_store` counts residents.

    The mean is a float of resident-months over the year's months (at most 12), so the
    fraction with a denominator of at most 12 nearest it is the exact mean; rounding that
    fraction, not the float, keeps 9.5 at 10 whatever the float's last digit.
    """
    mean = Fraction(accounts.population).limit_denominator(12)
    return (2 * mean.numerator + mean.denominator) // (2 * mean.denominator)


def population_table(
    accounts: Sequence[YearAccounts], *, quality_score: Decimal | None = None
) -> PopulationTable:
    """The payment engine's population table: insured residents, all residents
    (:func:`resident_population`, what a budget on ``budget.population: residents`` reads)
    and family-physician registrations per closed year (means over the year's months),
    and, when given, the quality score (0-1) of every year and whether it meets the
    standard — what shared savings gated on quality read."""
    columns = {
        "year": [a.year for a in accounts],
        "insured_population": [a.insured_population for a in accounts],
        "resident_population": [resident_population(a) for a in accounts],
        "family_physician_registered": [a.family_physician_registered for a in accounts],
    }
    if quality_score is not None:
        columns["quality_score"] = [str(quality_score)] * len(accounts)
        columns["quality_standard_met"] = [True] * len(accounts)
    frame = pd.DataFrame(columns)
    table = PopulationTable.from_frame(frame, source="simulated population")
    # the fee is paid on member-months, as from the store; the run does not tally the
    # institution holding each contract, so its fee is pooled
    return table.with_registrations(
        {
            a.year: Registrations({UNATTRIBUTED: a.family_physician_months})
            for a in accounts
            if len(a.family_physician_months) == 12
        }
    )


def settled_population(accounts: Sequence[YearAccounts], rules: PaymentRules) -> PopulationTable:
    """The population table the simulator settles ``rules`` on: :func:`population_table`,
    with the quality standard taken as met (:data:`ASSUMED_QUALITY_SCORE`) when ``rules``
    share savings, which are gated on quality; no indicator of quality exists in the run."""
    quality = ASSUMED_QUALITY_SCORE if rules.shared_savings is not None else None
    return population_table(accounts, quality_score=quality)


#: How far above the MSR table's first band the expected insured population must be: who
#: is insured is drawn at random (a binomial spread of about 0.25 % at 5,000 people).
ASSIGNABLE_MARGIN = 0.01


def check_assignable(
    rules: PaymentRules,
    insured: Mapping[int, float],
    *,
    residents: int | None,
    from_year: int,
    insured_share: float,
    option: str,
) -> None:
    """Refuse, before any simulating, a county too small for ``rules``' minimum savings
    rate table (its first band's population; MSSP requires 5,000 assigned people, 42
    CFR 425.110): the settlement would stop the run at its first settled year.

    The table is read with the assigned population, which the settlement takes as the
    year's insured residents (``insured_population``), not all residents: ``insured`` is
    the expected insured population by year (``CountySimulation.expected_insured``), checked
    for each year from ``from_year`` (the first settled year,
    :func:`ihms.sim.regime.first_settled_year`) on, with :data:`ASSIGNABLE_MARGIN` for
    the random draw of who is insured.
    """
    rule = rules.shared_savings
    if rule is None or not rule.msr_table:
        return
    smallest = min(band.low_n for band in rule.msr_table)
    settled = {y: n for y, n in insured.items() if y >= from_year}
    if not settled:
        return
    year = min(settled, key=settled.__getitem__)
    expected = settled[year]
    needed = smallest * (1 + ASSIGNABLE_MARGIN)
    if expected >= needed:
        return
    who = "the county's residents" if residents is None else f"{residents:,} residents"
    relation = "fewer than" if expected < smallest else "too close to"
    advice = (
        f"simulate at least {math.ceil(residents * needed / expected):,} residents"
        if residents is not None
        else "the county is too small for these rules"
    )
    raise InputError(
        f"{option}: {who} give about {round(expected):,} insured residents in {year} "
        f"(population.insured_share {insured_share:g}); the assigned population of shared "
        f"savings is the insured residents, not all residents, and it is {relation} the "
        f"{smallest:,} assigned people the minimum savings rate table of rules "
        f"{rules.name!r} starts at (checked with a {ASSIGNABLE_MARGIN:.0%} margin for the "
        f"draw of who is insured); {advice}"
    )


class YearEndSettlement:
    """Settle each simulated year under the rules of the regime in force.

    Parameters
    ----------
    rules
        Payment rules by regime name (default: the built-in rule set of the same name).

    Attributes
    ----------
    records
        The settlement record of each year settled, by year.
    """

    def __init__(self, rules: dict[str, PaymentRules] | None = None) -> None:
        self.rules = dict(rules or {})
        self.records: dict[int, SettlementRecord] = {}
        self._closed: list[YearAccounts] = []

    def rules_for(self, regime: str) -> PaymentRules:
        """The rules ``regime``'s years are settled by.

        Parameters
        ----------
        regime
            A regime name (``sanming``); its rules as given to the constructor, else the
            regime's built-in rule set (:func:`~ihms.sim._codes.regime_rules`: ``deqing``
            is settled by ``deqing-shared-savings``).
        """
        if regime not in self.rules:
            self.rules[regime] = builtin_rules(regime_rules(regime))
        return self.rules[regime]

    def __call__(self, accounts: YearAccounts) -> int:
        """Settle ``accounts.year`` when it is a whole year of the reform
        (``accounts.settled``); return the fen its balance gives health promotion."""
        self._closed.append(accounts)
        if not accounts.settled:
            return 0
        rules = self.rules_for(accounts.regime)
        inputs = settlement_inputs(
            rules,
            accounts.year,
            spending=spending_table(self._closed),
            population=settled_population(self._closed, rules),
            assume_assessment_passed=True,
        )
        record = settle_year(rules, inputs)
        self.records[accounts.year] = record
        return int(record.distribution.allocations.get(HEALTH_PROMOTION, 0))
