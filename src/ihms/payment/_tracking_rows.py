"""Helpers of :mod:`ihms.payment.tracking`: the notes and columns the review added
(claims paid on encounters still open, known late claims in the projection, the
profile's share too small to project from)."""

from __future__ import annotations

import calendar
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ihms.errors import InputError
from ihms.payment.money import format_yuan, round_fen

if TYPE_CHECKING:  # pragma: no cover
    from ihms.payment.tracking import CountyMonths

#: The name a file's one county is shown by when none is given (全县 in Chinese)
WHOLE_COUNTY = "whole county"


def _pct(value: Fraction) -> Decimal:
    """A fraction as a percentage, half up to two decimals (as the tracking shows it)."""
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def open_notes(c: CountyMonths, year: int, month: int) -> list[str]:
    """Dated by settlement: the claims paid by the month tracked on encounters whose last
    claim is settled later, by the month they were paid."""
    return [
        f"{c.county}: {paid.claims:,} claim(s) paid in {year}-{m:02d}, "
        f"{format_yuan(paid.paid_fen)} yuan by insurance, belong to encounters whose last "
        f"claim is settled after {year}-{month:02d}: dated by settlement, an encounter counts "
        "whole in the month its last claim is settled (as settle --date settled counts it), "
        "so they are not counted yet"
        for m, paid in sorted(c.open.items())
        if paid.claims
    ]


#: What the columns on late claims mean, and which projection ``over_budget`` flags.
LATE_NOTE = (
    "late to date: claims of the months' encounters not paid by the end of the month tracked, "
    "January to the month; projected with late: (to date + late to date) ÷ expected — the "
    "profile counts every claim of the previous years, and the late claims are charged to "
    "the year under encounter dating, so this is the projection over_budget flags (the "
    "same as projected when nothing is late)."
)

#: How the consortium's total row is made, when several counties are tracked.
TOTAL_NOTE = (
    "total: the counties' budgets, spending and late claims summed, and its projection the "
    "sum of the counties' projections, each from its own profile (not the summed spending "
    "projected from a pooled profile), so the total's expected share is to date ÷ that sum."
)


def with_late(row: dict, before: dict | None, expected: Fraction | None) -> dict:
    """Add to a county's ``row`` the late claims to date (``before``: the row of the month
    before, None in January) and the projection with them; ``over_budget`` flags it."""
    claims = row["late_claims"] + (before["late_to_date_claims"] if before else 0)
    fen = row["late_fen"] + (before["late_to_date_fen"] if before else 0)
    projected = None if not expected else round_fen((row["to_date_fen"] + fen) / expected)
    return _set(row, claims, fen, projected)


def total_with_late(row: dict, counties: list[dict]) -> dict:
    """The consortium's ``row``: late claims to date and the projection with them, the sums
    of the ``counties``' rows of the month."""
    projected = [r["projected_with_late_fen"] for r in counties]
    return _set(
        row,
        sum(r["late_to_date_claims"] for r in counties),
        sum(r["late_to_date_fen"] for r in counties),
        None if None in projected else sum(projected),
    )


def _set(row: dict, claims: int, fen: int, projected: int | None) -> dict:
    row.update(
        late_to_date_claims=claims,
        late_to_date_fen=fen,
        projected_with_late_fen=projected,
        projected_with_late_balance_fen=None
        if projected is None
        else row["budget_fen"] - projected,
    )
    row["over_budget"] = projected is not None and projected > row["budget_fen"]
    return row


def months_text(month: int) -> str:
    """January to ``month`` in words ("January" alone for January)."""
    name = calendar.month_name[month]
    return "January" if month == 1 else f"January to {name}"


def thin_profile(years: str, month: int, share: Fraction) -> str | None:
    """Why a profile's ``share`` of the year to ``month`` is too small to project from:
    under a quarter of the time-proportional share (month ÷ 48), or None.

    Projecting from it would multiply the spending to date by more than four times what
    the time-proportional projection does. A season of care moves a month's share far
    less than that; a small county's few large stays can halve it (the tiny test county's
    2016 put 23 % of its spending in January to June), so the line is a quarter, not a
    half: below it the share points to months missing from the previous years' data or
    to one outsized case, and the small divisor turns every fen paid early into an
    absurd year end.
    """
    even = Fraction(month, 12)
    if share >= even / 4:
        return None
    return (
        f"the previous years ({years}) put only {_pct(share)}% of their spending in "
        f"{months_text(month)}, under a quarter of the time-proportional {_pct(even)}%: "
        "projecting from it would multiply the spending to date more than four times as "
        "much (a share so small points to months missing from those years' data, or to "
        "one outsized case)"
    )


def _fen(where: str, name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            f"{where}: {name}: expected whole fen (an int), got {value!r} ({type(value).__name__})"
        )


def check_county_months(c: CountyMonths, year: int | None = None) -> None:
    """Refuse a :class:`~ihms.payment.tracking.CountyMonths` with money not in whole fen,
    negative, a month not 1 to 12, or (given the budget ``year``) a history year not
    before it, naming the county and the field."""
    where = f"{c.source}: county {c.county}"
    _fen(where, "budget_fen", c.budget_fen)
    if c.budget_fen <= 0:
        raise InputError(f"{where}: budget_fen expected a global budget > 0, got {c.budget_fen}")
    for name, by_month in [
        ("months", c.months),
        *((f"history {y}", h) for y, h in c.history.items()),
    ]:
        for month, fen in by_month.items():
            if not 1 <= month <= 12:
                raise InputError(f"{where}: {name}: month {month} is not 1 to 12")
            _fen(where, f"{name}: month {month}", fen)
            if fen < 0:
                raise InputError(f"{where}: {name}: month {month} has {fen} fen < 0")
    for what, by_month in (("late", c.late), ("open", c.open)):
        for month, late in by_month.items():
            _fen(where, f"{what} claims of month {month}", late.claims)
            _fen(where, f"{what} paid_fen of month {month}", late.paid_fen)
            if late.claims < 0 or late.paid_fen < 0:
                raise InputError(f"{where}: late claims of month {month} are negative")
    later = sorted(y for y in c.history if year is not None and y >= year)
    if later:
        raise InputError(
            f"{where}: history: {later[0]} is not a previous year of the budget year {year}"
        )
