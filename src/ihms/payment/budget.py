"""The global budget of a year: population-based (Sanming) or history-based (the ratchet).

Both are pure functions of the rules and the year's facts, so a simulator can call them
for every simulated year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import ConfigError, InputError
from ihms.payment._audit import AuditStep, steps_frame
from ihms.payment.money import (
    apply_rate,
    fen_to_yuan,
    format_rate,
    format_yuan,
    round_fen,
    yuan_column,
)
from ihms.payment.rules import BudgetRule, PaymentRules
from ihms.payment.tables import CountyYear, YearSpending
from ihms.summary import SummaryTable

__all__ = ["BudgetResult", "PastYear", "budgets_summary", "global_budget", "trended_per_capita"]


@dataclass(frozen=True)
class PastYear:
    """A previous year's facts, for history-based budgets and benchmarks."""

    year: int
    insured_population: int
    spending: YearSpending


@dataclass(frozen=True)
class BudgetResult(SummaryHtml):
    """A year's global budget with its working.

    ``pooled_fund_fen = private_reserve_fen + risk_adjustment_fen + global_budget_fen``
    holds exactly.
    """

    year: int
    method: str
    insured_population: int
    premium_fen: int | None
    pooled_fund_fen: int
    private_reserve_fen: int
    risk_adjustment_fen: int
    global_budget_fen: int
    steps: tuple[AuditStep, ...]
    #: The population the premium was multiplied by (``budget.population``): ``insured``
    #: or ``residents``; a history-based budget is always on the insured.
    population: str = "insured"
    #: The county's resident population when the budget was set on it, else None.
    resident_population: int | None = None

    def __repr__(self) -> str:
        # the generated repr printed every step's working
        return brief_repr(
            self,
            year=self.year,
            method=self.method,
            # named when it is not the default, as a rule file names it
            population=None if self.population == "insured" else self.population,
            insured_population=self.insured_population,
            resident_population=self.resident_population,
            global_budget_fen=self.global_budget_fen,
        )

    def summary(self) -> SummaryTable:
        return SummaryTable(
            steps_frame(self.steps).drop(columns="amount_fen").set_index("step"),
            title=f"Global budget {self.year} ({self.method}-based): "
            f"{format_yuan(self.global_budget_fen)} yuan",
            notes=("Money in yuan; every amount is exact to the fen.",),
        )

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "method": self.method,
            "population": self.population,
            "insured_population": self.insured_population,
            "resident_population": self.resident_population,
            "premium_fen": self.premium_fen,
            "pooled_fund_fen": self.pooled_fund_fen,
            "private_reserve_fen": self.private_reserve_fen,
            "risk_adjustment_fen": self.risk_adjustment_fen,
            "global_budget_fen": self.global_budget_fen,
        }


def budgets_summary(results: Sequence[BudgetResult]) -> SummaryTable:
    """Several years' global budgets in one table, a row per year: the population the
    premium was multiplied by, the premium (a population-based budget), and the pooled
    fund with its parts, in exact Decimal yuan (each year's working:
    :meth:`BudgetResult.summary`).

    Parameters
    ----------
    results : sequence of BudgetResult
        The years' budgets (:func:`global_budget`), in the order the rows take.

    Raises
    ------
    InputError
        ``results`` is empty.

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> from ihms.payment.tables import CountyYear
    >>> rules = load_rules("sanming")
    >>> table = budgets_summary([global_budget(rules, county=CountyYear(y, 100)) for y in (2017, 2018)])
    >>> table.to_frame()["Global budget (yuan)"].tolist()  # 100 × 630.00, 710.00, less 8%
    [Decimal('57960.00'), Decimal('65320.00')]
    """
    if not results:
        raise InputError("budgets_summary: expected at least one year's budget, got none")
    columns: dict[str, list] = {}
    methods = sorted({b.method for b in results})
    if len(methods) > 1:
        columns["Method"] = [b.method for b in results]
    columns["Insured population"] = [b.insured_population for b in results]
    if any(b.resident_population is not None for b in results):
        columns["Resident population"] = [b.resident_population for b in results]
    if any(b.premium_fen is not None for b in results):
        columns["Premium (yuan)"] = [
            None if b.premium_fen is None else fen_to_yuan(b.premium_fen) for b in results
        ]
    for name, fens in (
        ("Pooled fund", [b.pooled_fund_fen for b in results]),
        ("Private reserve", [b.private_reserve_fen for b in results]),
        ("Risk-adjustment fund", [b.risk_adjustment_fen for b in results]),
        ("Global budget", [b.global_budget_fen for b in results]),
    ):
        columns[f"{name} (yuan)"] = yuan_column(fens)
    years = [b.year for b in results]
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    based = f" ({methods[0]}-based)" if len(methods) == 1 else ""
    return SummaryTable(
        pd.DataFrame(columns, index=pd.Index(years, name="Year")),
        title=f"Global budgets {span}{based}",
        notes=(
            "Money in yuan, exact to the fen; pooled fund = private reserve + risk-adjustment "
            "fund + global budget.",
        ),
        short_headers={
            "Insured population": "Insured",
            "Resident population": "Residents",
            "Premium (yuan)": "Premium",
            "Pooled fund (yuan)": "Pool (yuan)",
            "Private reserve (yuan)": "Private (yuan)",
            "Risk-adjustment fund (yuan)": "Risk fund (yuan)",
            "Global budget (yuan)": "Budget (yuan)",
        },
    )


def trended_per_capita(
    year: int,
    history: Sequence[PastYear],
    *,
    years: int,
    growth: Decimal,
    amount: str,
    what: str,
) -> tuple[Fraction, list[AuditStep]]:
    """Mean per-capita amount of the ``years`` years before ``year``, each trended forward
    to ``year`` at ``growth`` a year: ``mean_j (amount_{t-j} / pop_{t-j} × (1+g)^j)``.

    ``amount`` names what is taken from each year's spending: ``charged``,
    ``consortium``, ``private`` or ``total``.
    """
    by_year = {p.year: p for p in history}
    needed = [year - j for j in range(1, years + 1)]
    missing = [y for y in needed if y not in by_year]
    if missing:
        raise InputError(
            f"the {what} for {year} needs spending and population for "
            f"{', '.join(map(str, sorted(missing)))}, which the inputs do not have"
        )
    g = Fraction(Decimal(1) + growth)
    total = Fraction(0)
    steps = []
    for j, y in enumerate(needed, start=1):
        past = by_year[y]
        if past.insured_population <= 0:
            raise InputError(
                f"the {what} for {year}: insured population of {y} is {past.insured_population}"
            )
        fen = _amount(past.spending, amount)
        pc = Fraction(fen, past.insured_population) * g**j
        total += pc
        steps.append(
            AuditStep(
                f"{what}: per capita {y}",
                f"{format_yuan(fen)} / {past.insured_population:,} × (1 + {format_rate(growth)})^{j}",
                # hundredths of a fen, half up: yuan to 4 decimals, exactly
                value=f"{Decimal(round_fen(pc * 100)).scaleb(-4):,.4f} yuan",
            )
        )
    mean = total / years
    return mean, steps


def _amount(spending: YearSpending, amount: str) -> int:
    if amount == "consortium":
        return spending.consortium_total
    if amount == "charged":
        return spending.consortium_total + spending.outside_county
    if amount == "private":
        return spending.private
    if amount == "total":
        return spending.consortium_total + spending.outside_county + spending.private
    raise ValueError(amount)


def global_budget(
    rules: PaymentRules | BudgetRule,
    *,
    county: CountyYear,
    history: Sequence[PastYear] = (),
    charge_outside_county: bool = True,
) -> BudgetResult:
    """The consortium's global budget for ``county.year``.

    Parameters
    ----------
    rules
        Payment rules with a budget (or the budget rule itself).
    county
        The year's insured population (and its resident population, which a budget
        with ``population="residents"`` multiplies the premium by).
    history
        Previous years (needed by ``method="history"``).
    charge_outside_county
        Whether outside-county spending counts as charged spending in the history
        (taken from the rules' settlement when ``rules`` is a :class:`PaymentRules`).

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> from ihms.payment.tables import CountyYear
    >>> b = global_budget(load_rules("sanming"), county=CountyYear(2018, 100))
    >>> b.pooled_fund_fen, b.global_budget_fen  # 100 × 710.00 yuan, less 3% and 5%
    (7100000, 6532000)
    """
    if isinstance(rules, PaymentRules):
        if rules.budget is None:
            raise InputError(f"rules {rules.name!r} set no global budget ({rules.kind})")
        charge_outside_county = rules.settlement.charge_outside_county
        rule = rules.budget
    else:
        rule = rules
    year, pop = county.year, county.insured_population
    if pop < 0:
        raise InputError(f"insured population for {year} must be >= 0, got {pop}")
    steps: list[AuditStep] = []
    if rule.method == "population":
        assert rule.premium is not None
        base = _base(rule, county)
        try:
            premium = rule.premium.for_year(year)
        except ConfigError as exc:
            name = f"rules {rules.name!r}: " if isinstance(rules, PaymentRules) else ""
            raise ConfigError(f"{name}{exc}") from None
        how = (
            "given for the year"
            if year in rule.premium.by_year
            else f"{format_yuan(rule.premium.base_fen or 0)} × (1 + {format_rate(rule.premium.growth)})^"
            f"{year - (rule.premium.base_year or year)}, rounded half up"
        )
        pool = base * premium
        private = apply_rate(pool, rule.private_reserve_share)
        risk = apply_rate(pool, rule.risk_adjustment_share)
        gb = pool - private - risk
        steps += [
            AuditStep(
                f"{_BASES[rule.population]} (budget.population: {rule.population})",
                "input",
                value=f"{base:,}",
            ),
            AuditStep("premium per capita", how, amount_fen=premium),
            AuditStep("pooled fund", f"{base:,} × {format_yuan(premium)}", amount_fen=pool),
            AuditStep(
                "reserve for private hospitals",
                f"{format_yuan(pool)} × {format_rate(rule.private_reserve_share)}, rounded half up",
                amount_fen=private,
            ),
            AuditStep(
                "risk-adjustment fund",
                f"{format_yuan(pool)} × {format_rate(rule.risk_adjustment_share)}, rounded half up",
                amount_fen=risk,
            ),
            AuditStep(
                "global budget",
                f"{format_yuan(pool)} − {format_yuan(private)} − {format_yuan(risk)}",
                amount_fen=gb,
            ),
        ]
        residents = county.resident_population if rule.population == "residents" else None
        return BudgetResult(
            year,
            "population",
            pop,
            premium,
            pool,
            private,
            risk,
            gb,
            tuple(steps),
            rule.population,
            residents,
        )

    charged_what = "charged" if charge_outside_county else "consortium"
    mean_c, s1 = trended_per_capita(
        year,
        history,
        years=rule.history_years,
        growth=rule.history_growth,
        amount=charged_what,
        what="budget basis",
    )
    mean_p, s2 = trended_per_capita(
        year,
        history,
        years=rule.history_years,
        growth=rule.history_growth,
        amount="private",
        what="private reserve basis",
    )
    gross = round_fen(mean_c * pop)
    private = round_fen(mean_p * pop)
    risk = apply_rate(gross, rule.risk_adjustment_share)
    gb = gross - risk
    steps += [AuditStep("insured population", "input", value=f"{pop:,}"), *s1, *s2]
    steps += [
        AuditStep(
            "budget before risk fund",
            f"{pop:,} × mean of {rule.history_years} trended per-capita amount(s), rounded half up",
            amount_fen=gross,
        ),
        AuditStep(
            "reserve for private hospitals",
            f"{pop:,} × private per-capita basis",
            amount_fen=private,
        ),
        AuditStep(
            "risk-adjustment fund",
            f"{format_yuan(gross)} × {format_rate(rule.risk_adjustment_share)}",
            amount_fen=risk,
        ),
        AuditStep("global budget", f"{format_yuan(gross)} − {format_yuan(risk)}", amount_fen=gb),
    ]
    return BudgetResult(
        year, "history", pop, None, gross + private, private, risk, gb, tuple(steps)
    )


#: Each ``budget.population`` in the audit step's words.
_BASES = {"insured": "insured population", "residents": "resident population"}


def _base(rule: BudgetRule, county: CountyYear) -> int:
    """The population the premium is multiplied by."""
    if rule.population == "insured":
        return county.insured_population
    if county.resident_population is None:
        raise InputError(
            f"population {county.year}: the budget is set on the county's residents "
            "(budget.population: residents) but resident_population is not given: expected "
            "a whole number > 0, at least insured_population "
            f"({county.insured_population:,})"
        )
    return county.resident_population
