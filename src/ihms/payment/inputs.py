"""Assemble a year's :class:`~ihms.payment.settlement.SettlementInputs` from tables."""

from __future__ import annotations

from ihms.errors import InputError
from ihms.payment.budget import PastYear
from ihms.payment.rules import PaymentRules
from ihms.payment.settlement import SettlementInputs
from ihms.payment.tables import IndicatorValues, PopulationTable, SpendingTable, StaffRoster

__all__ = ["CONSORTIUM_SUBJECT", "history_years_needed", "past_years", "settlement_inputs"]

#: Subject under which the indicator values table holds the consortium's own indicators.
CONSORTIUM_SUBJECT = "consortium"


def history_years_needed(rules: PaymentRules) -> int:
    """How many previous years the rules read (0 for population-based budgets and FFS)."""
    if rules.budget is not None and rules.budget.method == "history":
        return rules.budget.history_years
    if rules.shared_savings is not None and rules.shared_savings.benchmark_method == "history":
        return rules.shared_savings.history_years
    return 0


def past_years(
    rules: PaymentRules, year: int, *, spending: SpendingTable, population: PopulationTable
) -> tuple[PastYear, ...]:
    """The previous years the rules read for ``year`` (most recent first)."""
    history = []
    for j in range(1, history_years_needed(rules) + 1):
        y = year - j
        try:
            history.append(
                PastYear(y, population.for_year(y).insured_population, spending.for_year(y))
            )
        except InputError as exc:
            raise InputError(
                f"rules {rules.name!r} set {year}'s budget from previous years' spending: {exc}"
            ) from None
    return tuple(history)


def settlement_inputs(
    rules: PaymentRules,
    year: int,
    *,
    spending: SpendingTable,
    population: PopulationTable,
    indicators: IndicatorValues | None = None,
    staff: StaffRoster | None = None,
    assume_assessment_passed: bool = False,
) -> SettlementInputs:
    """The inputs for settling ``year`` under ``rules`` from validated tables.

    Only the previous years the rules need are included, so a change to an older year
    does not change this year's input digest.

    Raises
    ------
    InputError
        The year (or a needed previous year) has no spending or population data.
    """
    year_spending = spending.for_year(year)
    county = population.for_year(year)
    history = past_years(rules, year, spending=spending, population=population)
    assessment = None
    staff_values = {}
    if indicators is not None:
        given = indicators.for_subject(year, CONSORTIUM_SUBJECT)
        assessment = dict(given) if given else None
        if staff is not None:
            staff_values = {
                m.staff_id: dict(indicators.for_subject(year, m.staff_id)) for m in staff.members
            }
    return SettlementInputs(
        county=county,
        spending=year_spending,
        history=history,
        assessment_values=assessment,
        staff=staff.members if staff is not None else (),
        staff_values=staff_values,
        assume_assessment_passed=assume_assessment_passed,
    )
