"""Demo step, payment part: which population Sanming's budget is set on, and why.

Seed 002 words the budget as "the county's total population multiplied by the annual
fixed insurance premium". ihms multiplies the premium by the insured residents: the
premium is what each insured resident's contribution and government subsidy bring into
the insurance fund, the budget is that fund less the insurer's reserves, and the
consortium pays for insured residents' care only, so a budget over every resident would
hand out money the fund never pooled. The report says so and, where the county's
resident population is known, what counting every resident would have added to each
year's budget (the budget worked with :func:`ihms.payment.global_budget` on the resident
population instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from ihms._listing import in_words
from ihms.demo._payment_text import million
from ihms.payment import CountyYear, PaymentRules, SettlementRecord, global_budget

__all__ = ["SEED_WORDS", "basis_text", "residents_by_year"]

#: Seed 002, "The payment policies for IHC in IMPM".
SEED_WORDS = "the county's total population multiplied by the annual fixed insurance premium"


def residents_by_year(simulation, examples: Path | None) -> dict[int, int]:
    """The county's residents by year: the simulated county's (mean over the year's
    months, rounded half up) when ``simulation`` has its accounts, else the
    ``resident_population`` column of ``examples``' population table when given; else
    none."""
    accounts = getattr(simulation, "accounts", None)
    if accounts:
        return {
            a.year: int(Decimal(str(a.population)).quantize(Decimal(1), ROUND_HALF_UP))
            for a in accounts
        }
    if examples is None:
        return {}
    frame = pd.read_csv(examples / "population.csv")
    if "resident_population" not in frame:
        return {}
    known = frame.dropna(subset=["resident_population"])
    return {
        int(y): int(n) for y, n in zip(known["year"], known["resident_population"], strict=True)
    }


def basis_text(
    rules: PaymentRules,
    records: Mapping[int, SettlementRecord],
    residents: Mapping[int, int],
) -> str:
    """The sentences saying which population the budget is set on and why, and what
    every resident would have added to each settled year's budget."""
    text = (
        f"Seed 002 words Sanming's budget as “{SEED_WORDS}”. ihms counts the insured "
        "residents instead (the first row of the table): the premium is what each insured "
        "resident's contribution and government subsidy bring into the insurance fund, the "
        "budget is that fund less the insurer's reserves, and the consortium pays only for "
        "insured residents' care, so a budget over every resident would hand out money the "
        "fund never pooled."
    )
    years = [y for y in sorted(records) if y in residents and records[y].budget is not None]
    if not years:
        return text
    more = {}
    for y in years:
        rec = records[y]
        whole = global_budget(rules, county=CountyYear(y, residents[y]))
        more[y] = whole.global_budget_fen - rec.budget.global_budget_fen
    last = years[-1]
    insured, everyone = records[last].inputs.county.insured_population, residents[last]
    share = Decimal(insured * 100) / Decimal(everyone)
    added = in_words([f"{million(fen)} in {y}" for y, fen in more.items()])
    return text + (
        f" In this county {insured:,} of its {everyone:,} residents were insured in {last} "
        f"({share.quantize(Decimal('0.1'), ROUND_HALF_UP)} %); a budget over every resident "
        f"would have been higher by {added}."
        if all(fen > 0 for fen in more.values())
        else ""
    )
