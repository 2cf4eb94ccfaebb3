"""The family-physician fee of a year: pro rata by registered member-months, period by
period of the fee schedule, and split over the institutions holding the contracts.

For each period of the year at one fee (:meth:`FamilyPhysicianFee.periods`)::

    member-months = Σ over its months of the registered members (month-end counts from
                    a data store; else the year's count × the period's months)
    amount        = member-months × fee per member per year / 12, rounded half up to
                    the fen (rule 1 of :mod:`ihms.payment.money`)

The year's fee is the sum of its periods' amounts (so the working adds up to the fen).
When the data say which institution holds each contract, each period's amount is split
over the institutions by their member-months by largest remainder (rule 2); the part
whose institution is not known, and the whole fee when none is, goes to one account.
A fee the same all year at the year's count is ``registered × fee`` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ihms.errors import ConfigError, InputError
from ihms.payment._audit import AuditStep
from ihms.payment.fee_schedule import FamilyPhysicianFee, FeePeriod
from ihms.payment.money import allocate, format_yuan, round_fen
from ihms.payment.population import CountyYear
from ihms.payment.registrations import UNATTRIBUTED, Registrations

__all__ = ["POOLED_FEE_ACCOUNT", "FamilyPhysicianFeeResult", "FeeLine", "family_physician_fee"]

#: The ledger account of a fee whose receiving institution is not known.
POOLED_FEE_ACCOUNT = "primary_care:family_physician_fee"


@dataclass(frozen=True)
class FeeLine:
    """One period of the year at one fee: its member-months and amount (fen)."""

    period: FeePeriod
    member_months: int
    amount_fen: int
    by_institution_fen: Mapping[str, int]


@dataclass(frozen=True)
class FamilyPhysicianFeeResult:
    """The year's family-physician fee, its periods and where it goes."""

    year: int
    lines: tuple[FeeLine, ...]
    registrations: Registrations
    steps: tuple[AuditStep, ...]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def by_institution_fen(self) -> dict[str, int]:
        """``institution → fen`` for the institutions known to hold contracts (the rest
        of :attr:`total_fen` is pooled, :data:`POOLED_FEE_ACCOUNT`)."""
        out: dict[str, int] = {}
        for line in self.lines:
            for inst, fen in line.by_institution_fen.items():
                if inst != UNATTRIBUTED:
                    out[inst] = out.get(inst, 0) + fen
        return dict(sorted(out.items()))


def _registrations(county: CountyYear, rules_name: str) -> Registrations:
    if county.family_physician_members is not None:
        return county.family_physician_members
    if county.family_physician_registered is None:
        raise InputError(
            f"population {county.year}: family_physician_registered is not given, but rules "
            f"{rules_name!r} pay a family-physician fee per registered resident "
            "(add the column to the population table)"
        )
    return Registrations.year_count(county.family_physician_registered)


def _period_working(reg: Registrations, period: FeePeriod, mm: int) -> str:
    fee = format_yuan(period.per_member_per_year_fen)
    if reg.monthly:
        counted = f"{mm:,} registered member-months (month-end counts)"
    else:
        each = reg.member_months(1, 1)
        counted = (
            f"{each:,} registered (the year's count) × {period.months} months = "
            f"{mm:,} member-months"
        )
    return f"{counted} × {fee} per member per year ({period.basis}) / 12, rounded half up"


def family_physician_fee(
    fee: FamilyPhysicianFee,
    county: CountyYear,
    *,
    rules_name: str = "rules",
    fee_for_service_fen: int | None = None,
) -> FamilyPhysicianFeeResult:
    """The year's fee, pro rata by registered member-months (module docstring).

    Parameters
    ----------
    fee : FamilyPhysicianFee
        The rules' fee (one amount, by year, or a dated schedule).
    county : CountyYear
        The year's population row: its ``family_physician_members`` (month-end counts
        by institution) or else its ``family_physician_registered``.
    rules_name : str
        For messages.
    fee_for_service_fen : int, optional
        Primary care's fee-for-service payment: adds the blended payment's step.

    Raises
    ------
    InputError
        No registrations for the year.
    ConfigError
        The rules give no fee for some month of the year.

    >>> from ihms.payment.tables import CountyYear
    >>> fee = FamilyPhysicianFee(from_month={"2019-01": 10_000, "2019-07": 12_000})
    >>> county = CountyYear(2019, 1_000, family_physician_registered=100)
    >>> [line.amount_fen for line in family_physician_fee(fee, county).lines]
    [500000, 600000]
    """
    year = county.year
    reg = _registrations(county, rules_name)
    try:
        periods = fee.periods(year)
    except ConfigError as exc:
        raise ConfigError(f"rules {rules_name!r}: {exc}") from None
    lines: list[FeeLine] = []
    steps: list[AuditStep] = []
    whole_year = len(periods) == 1
    for period in periods:
        mm = reg.member_months(period.first_month, period.last_month)
        amount = round_fen(Fraction(mm * period.per_member_per_year_fen, 12))
        weights = [
            (inst, reg.member_months(period.first_month, period.last_month, inst))
            for inst in sorted(reg.by_institution)
        ]
        split = allocate(amount, weights) if amount else dict.fromkeys(reg.by_institution, 0)
        lines.append(FeeLine(period, mm, amount, split))
        if not whole_year:
            steps.append(
                AuditStep(
                    f"family-physician fee {period.label(year)} ({period.months} months)",
                    _period_working(reg, period, mm),
                    amount_fen=amount,
                )
            )
    total = sum(line.amount_fen for line in lines)
    if whole_year and not reg.monthly:
        # the working of a fee unchanged all year at the year's count, as it always read
        working = (
            f"{reg.member_months(1, 1):,} registered × "
            f"{format_yuan(periods[0].per_member_per_year_fen)} per year"
        )
    elif whole_year:
        working = _period_working(reg, periods[0], lines[0].member_months)
    else:
        working = " + ".join(format_yuan(line.amount_fen) for line in lines)
    steps.append(AuditStep("family-physician fee", working, amount_fen=total))
    steps += _receiving_steps(lines, reg)
    if fee_for_service_fen is not None:
        steps.append(
            AuditStep(
                "blended primary-care payment",
                f"fee for service {format_yuan(fee_for_service_fen)} + fee {format_yuan(total)}",
                amount_fen=fee_for_service_fen + total,
            )
        )
    return FamilyPhysicianFeeResult(year, tuple(lines), reg, tuple(steps))


def _receiving_steps(lines: list[FeeLine], reg: Registrations) -> list[AuditStep]:
    if not reg.attributed:
        return [
            AuditStep(
                "family-physician fee: who receives it",
                "",
                value=(
                    "not known (the data name no institution holding the contracts): "
                    f"the whole fee goes to one account, {POOLED_FEE_ACCOUNT}"
                ),
            )
        ]
    how = "its member-months' share of each period's amount (largest remainder)"
    out = []
    for inst in sorted(reg.by_institution, key=lambda i: (i == UNATTRIBUTED, i)):
        fen = sum(line.by_institution_fen.get(inst, 0) for line in lines)
        mm = reg.member_months(1, 12, inst)
        if inst == UNATTRIBUTED:
            label = f"family-physician fee, institution not known ({POOLED_FEE_ACCOUNT})"
        else:
            label = f"family-physician fee to {inst}"
        out.append(AuditStep(label, f"{mm:,} member-months: {how}", amount_fen=fen))
    return out
