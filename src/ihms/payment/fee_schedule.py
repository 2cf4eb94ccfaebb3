"""The family-physician fee of a rule set: a fee per registered member per year that may
change from one year to the next, or within a year (Deqing's blended payment, Jia et al.
2021).

A rule file gives it in one of three forms (``family_physician_fee:``)::

    per_member_per_year_yuan: 110                        # the same fee every year
    by_year_yuan: {2019: 110, 2020: 120}                 # a fee for each year
    per_member_per_year_yuan: {2019-01: 100, 2019-07: 120}  # from each month on

A schedule's months are read once, by :func:`read_fee_months` (for a rule file and for
:class:`FamilyPhysicianFee` alike), as ihms reads a month anywhere: ``2019-07``,
``2019年7月``, ``2019/7``, ``2019.07``, ``2019m7``, ``Jul 2019``, ``201907`` or the date
``2019-07-01``; the schedule keeps each as ``2019-07``, so two schedules that name the
same months compare equal however they were spelt.

Every amount is a fee *per member per year*; within a year the fee is charged pro rata by
registered member-months (:mod:`ihms.payment.family_physician`). A dated schedule keeps
each amount from its month until the next one (the last one until the rules change);
``by_year_yuan`` has an amount only for the years it names, looked up as the premium's
``by_year_yuan`` is (:func:`ihms.payment.rules_uses.for_year`: a year not named is
refused, never given a neighbouring year's fee).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ihms._months import read_dotted
from ihms.errors import ConfigError
from ihms.payment._frozen import _Frozen
from ihms.payment._month_text import either_month, read_month
from ihms.payment.money import format_yuan
from ihms.payment.rules_uses import for_year

__all__ = ["CODE_FORMS", "FEE_FORMS", "FamilyPhysicianFee", "FeePeriod", "read_fee_months"]

#: The forms a rule file may give the fee in, for error messages.
FEE_FORMS = (
    "per_member_per_year_yuan: 110 (the same fee every year), "
    "by_year_yuan: {2019: 110, 2020: 120} (a fee for each year) or "
    "per_member_per_year_yuan: {2019-01: 100, 2019-07: 120} (each amount from that month on)"
)

#: The same forms as :class:`FamilyPhysicianFee`'s arguments, for its own messages: a fee
#: built in code is told its arguments (fen), a rule file its keys (yuan).
CODE_FORMS = (
    "per_member_per_year_fen=11_000 (the same fee every year), "
    "by_year={2019: 11_000, 2020: 12_000} (fen for each year) or "
    "from_month={'2019-01': 10_000, '2019-07': 12_000} (fen from each month on)"
)

# a schedule's month as it keeps it (and as a rule file's arrives, already read)
_KEPT = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def read_fee_months(
    keys: Iterable[Any],
    *,
    where: str = "",
    error: type[Exception] = ConfigError,
    in_code: bool = False,
) -> list[str]:
    """A fee schedule's months, each as ``2019-07``, in the order given: the one reader
    of a schedule's keys, for a rule file (``error=ValueError`` in its pydantic model) and
    for :class:`FamilyPhysicianFee`.

    A key is a month in any form :func:`ihms.payment._month_text.read_month` reads
    (``2019-07``, ``2019年7月``, ``2019/7``, ``2019.07``, ``2019m7``, ``Jul 2019``,
    ``201907``), or a date on the first of a month. ``2019.1`` is read by the dotted-month
    rule (:func:`ihms._months.read_dotted`): October beside ``2019.09``, January beside
    ``2019.10`` or ``2019.2``, else refused, as money is at stake. A month given twice
    (``2019-07`` and ``2019m7``) is refused: which fee holds is not guessed.

    Parameters
    ----------
    keys : Iterable
        The schedule's keys as given (text; YAML's integers, floats and dates too).
    where : str, default ""
        What each message starts with (``"family_physician_fee: "``).
    error : type of Exception, default ConfigError
        The class raised (a pydantic validator needs a ValueError).
    in_code : bool, default False
        The keys are :class:`FamilyPhysicianFee`'s ``from_month``: the messages name its
        arguments (:data:`CODE_FORMS`), not a rule file's keys (:data:`FEE_FORMS`).

    Raises
    ------
    Exception
        ``error``, naming the key, what was expected and the forms the fee takes.

    Examples
    --------
    >>> read_fee_months(["2019年1月", "Jul 2019", "2019.1", "2019.09"])
    ['2019-01', '2019-07', '2019-10', '2019-09']
    """
    keys = list(keys)
    # YAML and Excel keep 2019.10 typed as a number as 2019.1: the schedule's months
    # tell October from January as a month column's do
    dotted = read_dotted([repr(k) if isinstance(k, float) else k for k in keys])
    out: list[str] = []
    spelt: dict[str, Any] = {}
    for pos, key in enumerate(keys):
        try:
            if pos in dotted.unsettled:
                year = dotted.months[pos][0]  # type: ignore[index]
                why = (
                    f"YAML and Excel keep {year}.10 typed as a number as {year}.1, and the "
                    "schedule's other months do not tell which"
                )
                raise ValueError(either_month(f"month {key!r}", year, why))
            month = _month_text(dotted.cells[pos], in_code)
        except ValueError as exc:
            forms = CODE_FORMS if in_code else FEE_FORMS
            raise error(f"{where}{exc}; the fee may be given as {forms}") from None
        if month in spelt:  # 2019-7 and 2019-07-01 are one month: which fee holds?
            raise error(
                f"{where}month {month} given twice (as {str(spelt[month])!r} and "
                f"{str(key)!r}): give each month once"
            )
        spelt[month] = key
        out.append(month)
    return out


def _month_text(key: Any, in_code: bool) -> str:
    """One key as ``2019-07``; ValueError saying what it is instead (in a rule file's
    words, or in :class:`FamilyPhysicianFee`'s when ``in_code``)."""
    if isinstance(key, datetime.date):  # YAML's 2019-07-01
        if key.day != 1:
            raise ValueError(
                f"month {key.isoformat()}: a fee changes from the first of a month; "
                f"write {key.year}-{key.month:02d}"
            )
        return f"{key.year}-{key.month:02d}"
    if isinstance(key, int) and not isinstance(key, bool) and 1000 <= key <= 9999:
        by_year = f"by_year={{{key}: <fen>}}" if in_code else f"by_year_yuan: {{{key}: <yuan>}}"
        raise ValueError(
            f"month {key}: a year, not a month; for a fee by year write {by_year}, or the "
            f"month {key}-01 here"
        )
    year, month = read_month(str(key))
    return f"{year}-{month:02d}"


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
    ``"2019-07"`` or any form :func:`read_fee_months` reads; ``"2019.1"`` is read as a
    rule file's is, October beside ``"2019.09"`` and January beside ``"2019.10"`` or
    ``"2019.2"``, else refused: :func:`ihms._months.read_dotted`).

    The fee is a value, as the rules holding it are: ``by_year`` and ``from_month`` are
    read-only copies of the mappings given (assigning to them raises TypeError, so no
    amount escapes the check for a negative fee), and ``from_month`` keeps each month as
    ``2019-07``, so a schedule written ``{"2019.1": ...}`` beside ``"2019.09"`` equals one
    written ``{"2019-10": ...}``.

    >>> fee = FamilyPhysicianFee(from_month={"2019-01": 10_000, "2019年7月": 12_000})
    >>> fee.from_month
    {'2019-01': 10000, '2019-07': 12000}
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
            raise ConfigError(f"family_physician_fee: give the fee in one form: {CODE_FORMS}")
        # named by the arguments (a rule file's model refuses its negative yuan by key)
        amounts = {
            "per_member_per_year_fen": self.per_member_per_year_fen,
            **{f"by_year[{y}]": v for y, v in self.by_year.items()},
            **{f"from_month[{m}]": v for m, v in self.from_month.items()},
        }
        for where, fen in amounts.items():
            if fen is not None and fen < 0:
                raise ConfigError(f"family_physician_fee.{where}: expected >= 0, got {fen} fen")
        keys = list(self.from_month)
        if not all(isinstance(k, str) and _KEPT.fullmatch(k) for k in keys):
            # a rule file's schedule arrives read (2019-07 each); read here, once, else
            where = "family_physician_fee.from_month: "
            keys = read_fee_months(keys, where=where, in_code=True)
        months = dict(zip(keys, self.from_month.values(), strict=True))
        object.__setattr__(self, "from_month", _Frozen(months, "FamilyPhysicianFee.from_month"))
        object.__setattr__(self, "by_year", _Frozen(self.by_year, "FamilyPhysicianFee.by_year"))

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
        changes = sorted(((int(m[:4]), int(m[5:])), m, fen) for m, fen in self.from_month.items())
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
