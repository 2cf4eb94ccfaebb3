"""The family-physician fee of a rule set: a fee per registered member per year that may
change from one year to the next, or within a year (Deqing's blended payment, Jia et al.
2021).

A rule file gives it in one of three forms (``family_physician_fee:``)::

    per_member_per_year_yuan: 110                        # the same fee every year
    by_year_yuan: {2019: 110, 2020: 120}                 # a fee for each year
    per_member_per_year_yuan: {2019-01: 100, 2019-07: 120}  # from each month on

A schedule's month is read as ihms reads a month anywhere (:func:`month_key`): ``2019-07``,
``2019年7月``, ``2019/7``, ``2019.07``, ``2019m7``, ``Jul 2019``, ``201907`` or the date
``2019-07-01``.

Every amount is a fee *per member per year*; within a year the fee is charged pro rata by
registered member-months (:mod:`ihms.payment.family_physician`). A dated schedule keeps
each amount from its month until the next one (the last one until the rules change);
``by_year_yuan`` has an amount only for the years it names, looked up as the premium's
``by_year_yuan`` is (:func:`ihms.payment.rules_uses.for_year`: a year not named is
refused, never given a neighbouring year's fee).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ihms._months import read_dotted
from ihms.errors import ConfigError
from ihms.payment._month_text import either_month, read_month
from ihms.payment.money import format_yuan
from ihms.payment.rules_uses import for_year

__all__ = ["FEE_FORMS", "FamilyPhysicianFee", "FeePeriod", "month_key"]

#: The forms a rule file may give the fee in, for error messages.
FEE_FORMS = (
    "per_member_per_year_yuan: 110 (the same fee every year), "
    "by_year_yuan: {2019: 110, 2020: 120} (a fee for each year) or "
    "per_member_per_year_yuan: {2019-01: 100, 2019-07: 120} (each amount from that month on)"
)


def month_key(text: str) -> tuple[int, int]:
    """``(year, month)`` of a schedule's month, read by the one month reader
    (:func:`ihms.payment._month_text.read_month`: ``2019-07``, ``2019年7月``, ``2019/7``,
    ``2019.07``, ``2019m7``, ``Jul 2019``, ``201907``, a date on the first of the month);
    anything else raises ValueError naming the forms.

    Examples
    --------
    >>> month_key("2019-07"), month_key("2019年7月"), month_key("201907")
    ((2019, 7), (2019, 7), (2019, 7))
    """
    return read_month(text)


@dataclass(frozen=True)
class FeePeriod:
    """Months ``first_month``–``last_month`` (1–12) of a year at one fee per member per
    year (fen); ``basis`` says where the fee comes from in the rules."""

    first_month: int
    last_month: int
    per_member_per_year_fen: int
    basis: str

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    def label(self, year: int) -> str:
        """``2019-01 to 2019-06`` (or ``2019`` for the whole year)."""
        if self.first_month == 1 and self.last_month == 12:
            return str(year)
        return f"{year}-{self.first_month:02d} to {year}-{self.last_month:02d}"


@dataclass(frozen=True)
class FamilyPhysicianFee:
    """Per-member-per-year fee (fen) for each resident registered with a family physician,
    paid on top of fee for service (Deqing's blended primary-care payment, Jia et al. 2021).

    Give exactly one of ``per_member_per_year_fen`` (every year), ``by_year``
    (``year → fen``) or ``from_month`` (a month → fen, each from that month on; the month
    ``"2019-07"`` or any form :func:`month_key` reads; ``"2019.1"`` is read as a rule
    file's is, October beside ``"2019.09"`` and January beside ``"2019.10"`` or
    ``"2019.2"``, else refused: :func:`ihms._months.read_dotted`).

    >>> fee = FamilyPhysicianFee(from_month={"2019-01": 10_000, "2019-07": 12_000})
    >>> [(p.first_month, p.last_month, p.per_member_per_year_fen) for p in fee.periods(2019)]
    [(1, 6, 10000), (7, 12, 12000)]
    """

    per_member_per_year_fen: int | None = None
    by_year: Mapping[int, int] = field(default_factory=dict)
    from_month: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        given = [
            self.per_member_per_year_fen is not None,
            bool(self.by_year),
            bool(self.from_month),
        ]
        if sum(given) != 1:
            raise ConfigError(f"family_physician_fee: give the fee in one form: {FEE_FORMS}")
        amounts = {
            "per_member_per_year": self.per_member_per_year_fen,
            **{f"by_year[{y}]": v for y, v in self.by_year.items()},
            **{f"per_member_per_year[{m}]": v for m, v in self.from_month.items()},
        }
        for where, fen in amounts.items():
            if fen is not None and fen < 0:
                raise ConfigError(f"family_physician_fee.{where}: expected >= 0, got {fen} fen")
        _months_read(self.from_month)  # refused here, not at the first settlement

    def periods(self, year: int) -> tuple[FeePeriod, ...]:
        """The year's months grouped by the fee in force, in order.

        Parameters
        ----------
        year : int
            The settlement year.

        Raises
        ------
        ConfigError
            The rules give no fee for some month of ``year`` (a year ``by_year`` does not
            name, or months before a dated schedule's first month).
        """
        if self.per_member_per_year_fen is not None:
            return (FeePeriod(1, 12, self.per_member_per_year_fen, "the same every year"),)
        if self.by_year:
            # the premium's rule: the year's own amount, a year not named refused
            fen = for_year(
                self.by_year, year, "family_physician_fee.by_year_yuan", "fee", add="<yuan>"
            )
            return (FeePeriod(1, 12, fen, f"by_year_yuan {year}"),)
        months = _months_read(self.from_month)
        changes = sorted((key, m, self.from_month[m]) for key, m in months.items())
        first = changes[0][0]
        if first > (year, 1):
            raise ConfigError(
                f"family_physician_fee.per_member_per_year_yuan starts at {changes[0][1]}, so "
                f"{year}-01 has no fee; give the fee in force on {year}-01 too "
                f"({{{year}-01: <yuan>, ...}})"
            )
        # the fee in force on the year's first day, then each change within the year
        starts = [(1, [c for c in changes if c[0] <= (year, 1)][-1])]
        starts += [(c[0][1], c) for c in changes if c[0][0] == year and c[0][1] > 1]
        out = []
        for i, (mon, ((y, m), _, fen)) in enumerate(starts):
            last = starts[i + 1][0] - 1 if i + 1 < len(starts) else 12
            out.append(FeePeriod(mon, last, fen, f"{format_yuan(fen)} from {y}-{m:02d}"))
        return tuple(out)


def _months_read(from_month: Mapping[str, int]) -> dict[tuple[int, int], str]:
    """``from_month``'s months as read, (year, month) → the key as given: read afresh by
    :meth:`FamilyPhysicianFee.periods`, so a change to the mapping counts, not ignored."""
    # 2019.1 is October beside 2019.09, as in a rule file (ihms._months.read_dotted)
    dotted = read_dotted([repr(m) if isinstance(m, float) else m for m in from_month])
    spelt: dict[tuple[int, int], str] = {}
    for pos, month in enumerate(from_month):
        if pos in dotted.unsettled:
            year = dotted.months[pos][0]  # type: ignore[index]
            why = (
                f"Excel and YAML keep {year}.10 typed as a number as {year}.1, and the "
                "schedule's other months do not tell which"
            )
            raise ConfigError(
                f"family_physician_fee: {either_month(f'month {month!r}', year, why)}"
            )
        try:
            key = month_key(dotted.cells[pos])
        except ValueError as exc:
            raise ConfigError(f"family_physician_fee: {exc}") from None
        if key in spelt:  # 2019-07 and 2019年7月: which fee holds?
            raise ConfigError(
                f"family_physician_fee: month {key[0]}-{key[1]:02d} given twice (as "
                f"{spelt[key]!r} and {month!r}): give each month once"
            )
        spelt[key] = month
    return spelt
