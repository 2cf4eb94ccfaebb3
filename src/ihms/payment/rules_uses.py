"""What a kept balance is used for (:class:`BalanceUses`), and the look-up of a value a
rule file gives by year (:func:`for_year`), which the premium's ``by_year_yuan`` and a
balance use's shares by year both go through.

A use's share is one fraction for every year (``staff_incentive: 16%``) or one for each
year, as the premium's ``by_year_yuan`` is (``staff_incentive: {2018: 16%, 2019: 20%}``).
Every use given by year names the same years, and each year's shares add up to 100 %;
settling a year no use by year names is refused, naming the rule file, key and year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from ihms.errors import ConfigError
from ihms.payment._frozen import _Frozen
from ihms.payment.scoring import check_fraction

__all__ = ["STAFF_INCENTIVE", "BalanceUses", "balance_use_label", "for_year"]

#: The balance use whose amount becomes the staff salary incentive pool.
STAFF_INCENTIVE = "staff_incentive"

ZERO = Decimal(0)

T = TypeVar("T")


def for_year(
    by_year: Mapping[int, T], year: int, key: str, what: str, *, add: str | None = None
) -> T:
    """The value a rule's ``by_year`` map gives for ``year``: that year's own, never a
    neighbour's (a year the map does not name is refused, not carried on from the last
    one). The one rule for every value a rule file gives by year: the premium's and the
    family-physician fee's ``by_year_yuan`` and a balance use's shares.

    Parameters
    ----------
    by_year : Mapping[int, T]
        The rule's values by year.
    year : int
        The year settled or budgeted.
    key, what : str
        The rule's key (``premium``) and what it gives (``amount``), for the message.
    add : str, optional
        How a value is written (``<yuan>``), for the message to end with
        ``add 2020: <yuan> to it``.

    Raises
    ------
    ConfigError
        ``year`` is not in ``by_year``; the message lists the years given.
    """
    if year in by_year:
        return by_year[year]
    known = ", ".join(str(y) for y in sorted(by_year))
    hint = f"; add {year}: {add} to it" if add else ""
    raise ConfigError(f"{key}: no {what} for {year} (rules give {known}){hint}")


def balance_use_label(name: str) -> str:
    """A balance use as a reader sees it: ``staff_incentive`` -> ``Staff incentive``.

    Rule files name uses by keys of their own choosing; tables show them in words.
    """
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


Share = Decimal | Mapping[int, Decimal]


@dataclass(frozen=True)
class BalanceUses:
    """What a kept balance (or shared savings) is used for, as shares adding up to 1.

    Each share is a fraction for every year or a mapping year → fraction. The order is
    the priority order for the largest-remainder rounding. ``origin`` (the rule file) is
    what a year no share is given for is refused with; it is not part of the rules.
    ``shares`` is kept as a tuple of pairs, each share by year a read-only copy of the
    mapping given (assigning to it raises TypeError), so no share escapes the checks.
    """

    shares: tuple[tuple[str, Share], ...]
    origin: str = field(default="rules", compare=False, repr=False)

    def __post_init__(self) -> None:
        # read-only copies, checked: no share escapes the check afterwards
        shares = tuple(
            (name, _Frozen(share, f"BalanceUses share {name!r}"))
            if isinstance(share, Mapping)
            else (name, share)
            for name, share in self.shares
        )
        object.__setattr__(self, "shares", shares)
        if not self.shares:
            raise ConfigError("balance_uses: give at least one use")
        names = [n for n, _ in self.shares]
        if len(set(names)) != len(names):
            raise ConfigError(f"balance_uses: duplicate use in {names}")
        years = self.years
        for name, share in self.shares:
            if not isinstance(share, Mapping):
                check_fraction(share, f"balance_uses.{name}")
                continue
            missing = [y for y in years if y not in share]
            if missing:
                given = ", ".join(map(str, years))
                raise ConfigError(
                    f"balance_uses.{name}: no share for {', '.join(map(str, missing))} (the "
                    f"uses given by year give shares for {given}; give each the same years)"
                )
            for year, value in share.items():
                check_fraction(value, f"balance_uses.{name}[{year}]")
        for year in years or (None,):
            self._check_total(year)

    def _check_total(self, year: int | None) -> None:
        shares = self._resolved(year)
        total = sum((s for _, s in shares), ZERO)
        if total != 1:
            listed = ", ".join(f"{n} {s * 100}%" for n, s in shares)
            which = "shares" if year is None else f"shares for {year}"
            raise ConfigError(
                f"balance_uses: {which} must add up to 100%, got {total * 100}% ({listed})"
            )

    @property
    def years(self) -> tuple[int, ...]:
        """The years the uses given by year name (empty when every share is for every year)."""
        return tuple(sorted({y for _, s in self.shares if isinstance(s, Mapping) for y in s}))

    def _resolved(self, year: int | None) -> tuple[tuple[str, Decimal], ...]:
        out = []
        for name, share in self.shares:
            if isinstance(share, Mapping):
                if year is None:
                    raise ConfigError(f"key 'balance_uses.{name}': shares by year; give the year")
                share = for_year(share, year, f"key 'balance_uses.{name}'", "share")
            out.append((name, share))
        return tuple(out)

    def for_year(self, year: int) -> tuple[tuple[str, Decimal], ...]:
        """Each use's share (a fraction) in ``year``, in the rule file's order.

        Parameters
        ----------
        year : int
            The year settled; a use given by year gives its share for that year.

        Raises
        ------
        ConfigError
            A use given by year has no share for ``year``; the message names the rule
            file, the key and the year.
        """
        return self._named(year)

    def _named(self, year: int | None) -> tuple[tuple[str, Decimal], ...]:
        """:meth:`_resolved`, a missing year's message starting with the rule file."""
        try:
            return self._resolved(year)
        except ConfigError as exc:
            raise ConfigError(f"{self.origin}: {exc}") from None

    def share_of(self, name: str, year: int | None = None) -> Decimal:
        """The share (a fraction, not %) of the use ``name``; zero for a use not listed.

        Parameters
        ----------
        name : str
            A use's name as in the rule file's ``balance_uses`` section.
        year : int, optional
            The year; needed when the uses are given by year.
        """
        return dict(self._named(year)).get(name, ZERO)
