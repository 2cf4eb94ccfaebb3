"""Whether a settlement's spending is of a size a county's year can have: a warning,
never a refusal (a settlement the payer wants is not blocked on a guess).

The slip it catches is common: a county's sheet is in yuan, and its amounts are typed as
whole numbers under ``insurance_paid_fen`` (or copied from a system that pays in fen
into ``insurance_paid_yuan``). Each amount is then exactly 100 times too small (too
large), every other check passes — the cells are whole, ≥ 0, paid ≤ total — and the
year settles with a balance of nearly the whole budget (an overspend of 100 budgets).

The thresholds and why (sanming's figures, ``payment/rulesets/sanming.yaml``, on Zhong
et al. 2023's rules; the example county's 2018: 609.96 yuan charged per insured person against a
678.40-yuan premium, a 2.3 % balance):

* charged spending per insured person under 1 % of the premium per insured person — a
  year spending its budget reads ≈ 1 % with the slip (0.90 % for the example), and
  nothing real comes near it: Youxi (Zhong et al. 2023) admits one resident in six each year
  (hospitalization rate 15.8–17.0 %, Table 4), so 1 % of a 640–700-yuan premium
  (≈ 7 yuan per insured person) would pay under 50 yuan per admission;
* or a balance above 50 % of the global budget — catches the slip in a year that would
  have overspent too (it reads ≈ 99 %), and no budget set on the population's needs
  (Zhong et al. 2023: "the GB of IMPM usually increases") leaves half unspent: the director's card
  gives full marks at a 3 % balance. A table covering part of the year gives such a
  balance as well, and the warning names that cause too;
* or charged spending above 10 global budgets — the reverse slip (fen under
  ``insurance_paid_yuan``); an overspend the consortium bears (Zhong et al. 2023) is a share of a
  budget, not ten of them.

On a budget set on the county's residents (``budget.population: residents``) the
balance and overspend thresholds are measured against the budget's share for the
insured (global budget × insured / residents): the other residents charge nothing, so
with 40 % of residents insured an ordinary year keeps 60 % of the whole budget.

Rules with no premium to measure against — a budget set on previous years' spending
(``other-areas``), shared savings (``deqing-shared-savings``), fee for service — read
the same slip in every year alike, so the budget or benchmark shrinks with the spending
and no ratio shows it (payment review 2026-11-25, finding 7: 6.37 yuan a head settled
without a word). They are checked against absolute figures instead:

* charged spending per insured person under 7 yuan (:data:`SPENDING_FLOOR_FEN`): the
  first threshold's 1 % of a 640–700-yuan premium, by the same reasoning (nothing real
  comes near it);
* a family-physician fee above the whole spending charged: the fee is set in the rules
  in yuan per registered resident (Jia et al. 2021's blended primary-care payment, on top
  of fee for service), so a spending table 100 times too small leaves it several times
  the cost of all the care, where a real one is a small part of it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ihms.payment.budget import BudgetResult
from ihms.payment.money import format_yuan, percent_shown, round_fen, times_shown
from ihms.payment.record import SettlementRecord

if TYPE_CHECKING:
    from ihms.payment.compare import ComparisonResult

__all__ = [
    "BALANCE_CEILING",
    "OVERSPEND_CEILING",
    "SPENDING_FLOOR",
    "SPENDING_FLOOR_FEN",
    "comparison_size_notes",
    "spending_size_notes",
]

#: Charged spending per insured person below this share of the premium is implausible.
SPENDING_FLOOR = Decimal("0.01")
#: Without a premium: charged spending per insured person below this (fen: 7 yuan, 1 % of
#: a 700-yuan premium) is implausible.
SPENDING_FLOOR_FEN = 700
#: A balance above this share of the global budget is implausible.
BALANCE_CEILING = Decimal("0.5")
#: Charged spending above this many global budgets is implausible.
OVERSPEND_CEILING = 10


def spending_size_notes(
    record: SettlementRecord,
    *,
    column: str = "insurance_paid_fen",
    source: str | None = None,
    in_yuan: bool = False,
) -> tuple[str, ...]:
    """A warning for a settlement whose spending is implausibly small or large for its
    budget (see the module docstring for the thresholds), naming the column the amounts
    were read from and the likely yuan/fen mix-up; ``()`` when it is plausible.

    Parameters
    ----------
    record
        The settled year.
    column
        The header of the spending table's insurance-paid column (``insurance_paid_fen``
        or ``insurance_paid_yuan``, or the file's own under a column map).
    source
        The spending table's file (or store), named with the column.
    in_yuan
        Whether ``column`` holds yuan (``insurance_paid_yuan``): the likely slip is then
        万元 typed as yuan (10,000 times too small) or fen typed as yuan (100 times too
        large), not yuan typed as fen.

    Examples
    --------
    >>> spending_size_notes(record)  # doctest: +SKIP
    ()
    """
    budget = record.budget
    if budget is not None and budget.global_budget_fen <= 0:
        return ()
    where = f"column {column!r}" + (f" of {source}" if source else "")
    found = _absolute_slips(record)
    if budget is None:
        return _slip_notes(found, where, in_yuan)
    # the budget's share for the insured: all of it, or on a residents' budget the
    # insured's part (the other residents charge nothing, their part is always kept)
    share_fen, whose = _insured_share(budget)
    if whose is None:
        share = Decimal(record.balance_fen) / budget.global_budget_fen
        if share > BALANCE_CEILING:
            found.append(f"the balance is {percent_shown(share, places=1)} of the global budget")
    else:
        spent = Decimal(record.charged_fen) / share_fen
        if spent < 1 - BALANCE_CEILING:
            found.append(f"the charged spending is {percent_shown(spent, places=1)} of {whose}")
    if found:
        return _slip_notes(found, where, in_yuan)
    if record.charged_fen > OVERSPEND_CEILING * share_fen:
        times = Decimal(record.charged_fen) / share_fen
        slip = (
            f"amounts in fen typed under {where} read 100 times too large (fen belong in "
            "'insurance_paid_fen')"
            if in_yuan
            else f"check that {where} holds fen and that no row is repeated"
        )
        return (
            f"Charged spending is {times_shown(times)} times {whose or 'the global budget'} in "
            f"{record.year}: "
            f"{slip}; check the column's unit.",
        )
    return ()


def _absolute_slips(record: SettlementRecord) -> list[str]:
    """What reads as spending 100 times too small: per insured person against the
    premium (1 %), or without one against :data:`SPENDING_FLOOR_FEN`; and a
    family-physician fee above all the spending charged."""
    found = []
    per_person = Decimal(record.charged_fen) / record.inputs.county.insured_population
    premium = record.budget.premium_fen if record.budget is not None else 0
    floor = SPENDING_FLOOR * premium if premium else Decimal(SPENDING_FLOOR_FEN)
    if per_person < floor:
        against = (
            f"{SPENDING_FLOOR:.0%} of the premium of {format_yuan(premium)} yuan"
            if premium
            else f"{format_yuan(SPENDING_FLOOR_FEN)} yuan (no county's whole year comes near it)"
        )
        found.append(
            f"charged spending of {format_yuan(round_fen(per_person))} yuan per insured person in "
            f"{record.year} is under {against}"
        )
    fee = record.family_physician_fee_fen
    if fee > record.charged_fen:
        found.append(
            f"the family-physician fee of {format_yuan(fee)} yuan is above all the spending "
            f"charged, {format_yuan(record.charged_fen)} yuan"
        )
    return found


def _slip_notes(found: list[str], where: str, in_yuan: bool) -> tuple[str, ...]:
    """The warning of spending read too small (``found``: what shows it), naming the
    column and the likely slip; ``()`` when nothing was found."""
    if not found:
        return ()
    slip = (
        f"amounts in 万元 (10,000 yuan) under {where} read 10,000 times too small"
        if in_yuan
        else f"amounts in yuan typed as whole numbers under {where} read 100 times too "
        "small (yuan belong in 'insurance_paid_yuan')"
    )
    said = " and ".join(found)
    return (
        f"{said[:1].upper()}{said[1:]}: {slip}; check the column's unit, and that the "
        "table covers the whole year.",
    )


def comparison_size_notes(
    result: ComparisonResult,
    *,
    column: str = "insurance_paid_fen",
    source: str | None = None,
    in_yuan: bool = False,
) -> tuple[str, ...]:
    """:func:`spending_size_notes` for a comparison (``ihms payment compare``): the
    observed spending of each compared year, under the first rule set that finds it
    implausible (``2018, rules sanming: ...``), the other rule sets that do named after
    it; the counterfactual paths, derived from the observed spending, are not checked.

    Parameters
    ----------
    result
        The comparison (:func:`ihms.payment.compare_regimes`).
    column, source, in_yuan
        The spending table's insurance-paid column, file and unit, as for
        :func:`spending_size_notes`.

    Examples
    --------
    >>> comparison_size_notes(result)  # doctest: +SKIP
    ()
    """
    from ihms.payment.compare import BASELINE

    notes = []
    for year in result.years:
        flagged = [
            (name, found)
            for name in result.rules
            if (record := result.records.get((name, BASELINE, year))) is not None
            and (
                found := spending_size_notes(record, column=column, source=source, in_yuan=in_yuan)
            )
        ]
        if not flagged:
            continue
        (name, found), others = flagged[0], [n for n, _ in flagged[1:]]
        also = f" Rules {', '.join(others)} warn of it too." if others else ""
        notes += [f"{year}, rules {name}: {text}{also}" for text in found]
    return tuple(notes)


def _insured_share(budget: BudgetResult) -> tuple[Decimal, str | None]:
    """The part of ``budget`` set for the insured, in fen (exact), and its words; the
    whole budget and None when it was set on the insured."""
    residents = budget.resident_population
    if budget.population != "residents" or not residents:
        return Decimal(budget.global_budget_fen), None
    insured = budget.insured_population
    share = Decimal(budget.global_budget_fen) * insured / residents
    return share, (
        f"the global budget's share for the {insured:,} insured "
        f"({percent_shown(Decimal(insured) / residents, places=1)} of {residents:,} residents)"
    )
