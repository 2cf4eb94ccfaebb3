"""Close a simulated year with :mod:`ihms.payment`: what the balance buys next year.

At each year end the run hands its accounts (:class:`~ihms.sim.results.YearAccounts`) to a
:class:`YearEndSettlement`. It turns them into the payment engine's spending and
population tables, settles the year under the payment rules of the regime in force
(``ihms.payment.settle_year`` — the simulator never computes a budget or a balance
itself) and returns the amount the distribution assigns to health promotion, which
raises next year's promotion intensity. Under Sanming's rules a balance funds health
promotion; under the "other areas" rules a balance may only go to institutional
development, and fee for service has no budget and so no balance (seed 002, Table 1).

While the run is under way the tables the indicators are computed from do not exist
yet, so the in-run settlement treats the annual assessment as passed (recorded on each
settlement record); the report settles the years again from the finished tables, with
the scorecards' indicator values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ihms.payment import (
    PaymentRules,
    PopulationTable,
    SettlementRecord,
    SpendingTable,
    load_rules,
    settle_year,
    settlement_inputs,
)

if TYPE_CHECKING:  # pragma: no cover
    from ihms.sim.results import YearAccounts

__all__ = ["HEALTH_PROMOTION", "YearEndSettlement", "population_table", "spending_table"]

#: The balance use (payment rules' ``balance_uses`` key) that funds health promotion.
HEALTH_PROMOTION = "health_promotion"


def spending_table(accounts: Sequence[YearAccounts]) -> SpendingTable:
    """The payment engine's spending table for the closed years (one row per institution
    and year; hospitals outside the county as ``outside_county``)."""
    frames = [a.by_institution.assign(year=a.year) for a in accounts]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return SpendingTable.from_frame(frame, source="simulated spending")


def population_table(accounts: Sequence[YearAccounts]) -> PopulationTable:
    """The payment engine's population table: insured residents and family-physician
    registrations per closed year (means over the year's months)."""
    frame = pd.DataFrame(
        {
            "year": [a.year for a in accounts],
            "insured_population": [a.insured_population for a in accounts],
            "family_physician_registered": [a.family_physician_registered for a in accounts],
        }
    )
    return PopulationTable.from_frame(frame, source="simulated population")


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
            built-in rule set of that name.
        """
        if regime not in self.rules:
            self.rules[regime] = load_rules(regime)
        return self.rules[regime]

    def __call__(self, accounts: YearAccounts) -> int:
        """Settle ``accounts.year``; return the fen its balance gives health promotion."""
        self._closed.append(accounts)
        if accounts.reformed == 0.0:
            return 0
        rules = self.rules_for(accounts.regime)
        inputs = settlement_inputs(
            rules,
            accounts.year,
            spending=spending_table(self._closed),
            population=population_table(self._closed),
            assume_assessment_passed=True,
        )
        record = settle_year(rules, inputs)
        self.records[accounts.year] = record
        return int(record.distribution.allocations.get(HEALTH_PROMOTION, 0))
