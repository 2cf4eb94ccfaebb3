"""The delivery system as frozen domain objects: institutions, grids, counties, consortia.

A :class:`System` is what ``examples/youxi.yaml`` describes (see :mod:`ihms.system.load`)
and what the county simulator and the data tables build on. It holds no behaviour (how
residents seek care, how money flows): only structure, checked against the rules of the
medical-consortium policy (Gao et al. 2022, sections 2.1-2.4):

* a grid is served by at most one *fully integrated* consortium at a time;
* hospitals affiliated with the NHC, a university or a province stay out of fully
  integrated consortia;
* a consortium's lead institution is one of its members, and every member, grid and
  county it names exists.

:meth:`System.problems` lists every violation; :func:`ihms.system.load_system` raises
them all at once as a :class:`~ihms.errors.ConfigError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ihms._repr import brief_repr
from ihms.system._enums import (
    Affiliation,
    ConsortiumType,
    CooperationForm,
    Integration,
    Ownership,
    Tier,
)
from ihms.system._resources import RESOURCE_FIELDS as RESOURCE_FIELDS  # re-exported
from ihms.system._resources import Resources

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Affiliation",
    "Consortium",
    "ConsortiumType",
    "CooperationForm",
    "CooperationLink",
    "County",
    "Grid",
    "Institution",
    "Integration",
    "Ownership",
    "Resources",
    "System",
    "Tier",
]


def _in_years(year: int, first: int | None, last: int | None) -> bool:
    """Whether ``year`` lies within ``first``..``last`` (``None``: open-ended)."""
    return (first is None or first <= year) and (last is None or year <= last)


@dataclass(frozen=True)
class County:
    """A county-level division and the prefecture-level city it belongs to.

    ``kind`` is ``"county"`` (县, where county medical communities are built) or
    ``"district"`` (市辖区, an urban district, where urban medical groups are built).
    """

    id: str
    name: str
    city: str
    name_zh: str = ""
    kind: str = "county"

    def __post_init__(self) -> None:
        if self.kind not in COUNTY_KINDS:
            raise ValueError(
                f"county {self.id!r}: kind must be one of {', '.join(COUNTY_KINDS)}, "
                f"got {self.kind!r}"
            )


COUNTY_KINDS = ("county", "district")


@dataclass(frozen=True)
class Grid:
    """A territory with a resident population: the unit a consortium serves.

    ``population`` maps year to the year-end resident population; ``aged_60_plus`` to
    the part of it aged 60 and over; ``name_zh`` the Chinese name (``"西城镇"``), as
    institutions, counties and consortia give one.
    """

    id: str
    name: str
    county: str
    population: Mapping[int, int] = field(default_factory=dict)
    aged_60_plus: Mapping[int, int] = field(default_factory=dict)
    name_zh: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "population", MappingProxyType(dict(self.population)))
        object.__setattr__(self, "aged_60_plus", MappingProxyType(dict(self.aged_60_plus)))


@dataclass(frozen=True)
class Institution:
    """A health-care institution.

    Attributes
    ----------
    id, name, name_zh
        Identifier used in every data table, and display names.
    tier, affiliation, ownership
        See :class:`Tier`, :class:`Affiliation`, :class:`Ownership`.
    county
        County where the institution stands (may lie outside the study county).
    grid
        Grid where it stands, if it stands in a gridded county.
    parent
        For a village clinic, the primary-care centre it reports to (its first
        referral step up).
    active_from, active_to
        First and last year the institution operates (``None``: open-ended).
    resources
        Yearly resources by year.
    refers_up, refers_down
        Explicit referral targets that override the pathway derived from the consortia
        (see :func:`ihms.system.referral_pathway`).
    """

    id: str
    name: str
    tier: Tier
    affiliation: Affiliation
    ownership: Ownership
    county: str
    grid: str | None = None
    name_zh: str = ""
    parent: str | None = None
    active_from: int | None = None
    active_to: int | None = None
    resources: Mapping[int, Resources] = field(default_factory=dict)
    refers_up: tuple[str, ...] = ()
    refers_down: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "resources", MappingProxyType(dict(self.resources)))

    def active_in(self, year: int) -> bool:
        """Whether the institution operates in ``year``.

        Parameters
        ----------
        year
            Calendar year.
        """
        return _in_years(year, self.active_from, self.active_to)


@dataclass(frozen=True)
class Consortium:
    """A medical consortium (医联体): a lead institution, members and (for urban groups
    and county communities) the grids it serves.

    ``refers_up_to`` names the hospitals outside the consortium it refers the cases it
    cannot treat to (the top of Gao et al. 2022's dualistic pathway).
    """

    id: str
    name: str
    type: ConsortiumType
    integration: Integration
    lead: str
    members: tuple[str, ...]
    grids: tuple[str, ...] = ()
    name_zh: str = ""
    start_year: int | None = None
    end_year: int | None = None
    refers_up_to: tuple[str, ...] = ()

    @property
    def fully_integrated(self) -> bool:
        return self.integration is Integration.FULL

    def active_in(self, year: int) -> bool:
        """Whether the consortium operates in ``year``.

        Parameters
        ----------
        year
            Calendar year.
        """
        return _in_years(year, self.start_year, self.end_year)

    def overlaps(self, other: Consortium) -> bool:
        """Whether the two consortia operate in at least one common year.

        Parameters
        ----------
        other
            The other consortium.
        """
        lo = max(self.start_year or -(10**6), other.start_year or -(10**6))
        hi = min(self.end_year or 10**6, other.end_year or 10**6)
        return lo <= hi


@dataclass(frozen=True)
class CooperationLink:
    """Technical cooperation from one institution to others (resource sinking).

    The second chain of Gao et al. 2022's dualistic pattern (section 3), beside referrals:
    specialists dispatched to township health centres (Jia et al. 2021), itinerant services,
    remote consultation, joint wards, mutual recognition of test results, training.

    Attributes
    ----------
    provider
        The institution whose resources sink (usually the higher tier).
    recipients
        The institutions that receive them.
    forms
        How (see :class:`CooperationForm`).
    start_year, end_year
        First and last year of the link (``None``: open-ended).
    """

    provider: str
    recipients: tuple[str, ...]
    forms: tuple[CooperationForm, ...]
    start_year: int | None = None
    end_year: int | None = None

    def active_in(self, year: int) -> bool:
        """Whether the link operates in ``year``.

        Parameters
        ----------
        year
            Calendar year.
        """
        return _in_years(year, self.start_year, self.end_year)


@dataclass(frozen=True)
class System:
    """A delivery system: counties, grids, institutions and consortia, over a period.

    Build one with :func:`ihms.system.load_system` (from YAML) or directly; call
    :meth:`problems` (or :meth:`check`) to test it against the consortium rules.

    Attributes
    ----------
    name, name_zh
        Display name, e.g. ``"Youxi county"``, and Chinese name (``"尤溪县"``).
    counties, grids, institutions, consortia
        The objects of the system (see :class:`County`, :class:`Grid`,
        :class:`Institution`, :class:`Consortium`).
    period
        First and last day the system is described for, if given.
    study_counties
        The counties the data describe (residents live there); institutions elsewhere
        count as "outside the county". Defaults to every county that has a grid.
    extensions
        Parsed sections registered by other parts of ihms (see
        :func:`ihms.system.register_section`), by section name.
    source
        The file the system was read from, for messages.
    cooperation
        Technical-cooperation links declared in the file (see
        :func:`ihms.system.cooperation_chain` for those the consortia imply too).
    read_as
        How the loader read names the file gives in other words (``紧密型医联体`` as
        integration ``full``), for :func:`ihms.system.system_notes`.
    """

    name: str
    counties: tuple[County, ...]
    grids: tuple[Grid, ...]
    institutions: tuple[Institution, ...]
    consortia: tuple[Consortium, ...] = ()
    period: tuple[date, date] | None = None
    study_counties: tuple[str, ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    cooperation: tuple[CooperationLink, ...] = ()
    read_as: tuple[str, ...] = ()
    name_zh: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "extensions", MappingProxyType(dict(self.extensions)))
        if not self.study_counties:
            known = {c.id for c in self.counties}
            gridded = tuple(dict.fromkeys(g.county for g in self.grids if g.county in known))
            object.__setattr__(self, "study_counties", gridded)

    def __repr__(self) -> str:  # the generated one printed every institution and grid
        return brief_repr(
            self,
            name=self.name,
            counties=len(self.counties),
            grids=len(self.grids),
            institutions=len(self.institutions),
            consortia=len(self.consortia),
            source=self.source or None,
        )

    # -- look-ups -------------------------------------------------------------------
    def institution(self, institution_id: str) -> Institution:
        """The institution with this id (``KeyError`` if none).

        Parameters
        ----------
        institution_id
            Its id.
        """
        try:
            return self._institutions_by_id[institution_id]
        except KeyError:
            raise KeyError(f"no institution {institution_id!r} in {self.name}") from None

    def grid(self, grid_id: str) -> Grid:
        """The grid with this id (``KeyError`` if none).

        Parameters
        ----------
        grid_id
            Its id.
        """
        for g in self.grids:
            if g.id == grid_id:
                return g
        raise KeyError(f"no grid {grid_id!r} in {self.name}")

    def consortium(self, consortium_id: str) -> Consortium:
        """The consortium with this id (``KeyError`` if none).

        Parameters
        ----------
        consortium_id
            Its id.
        """
        for c in self.consortia:
            if c.id == consortium_id:
                return c
        raise KeyError(f"no consortium {consortium_id!r} in {self.name}")

    @property
    def _institutions_by_id(self) -> dict[str, Institution]:
        cache = self.__dict__.get("_inst_cache")
        if cache is None:
            cache = {i.id: i for i in self.institutions}
            object.__setattr__(self, "_inst_cache", cache)
        return cache

    @property
    def years(self) -> tuple[int, ...]:
        """Years of :attr:`period` (empty when no period is set)."""
        if self.period is None:
            return ()
        return tuple(range(self.period[0].year, self.period[1].year + 1))

    @property
    def population_years(self) -> tuple[int, ...]:
        """Years for which some grid gives its population, in order."""
        return tuple(sorted({y for g in self.grids for y in g.population}))

    def active_institutions(self, year: int, *, tier: Tier | None = None) -> list[Institution]:
        """Institutions operating in ``year`` (of one tier, if given).

        Parameters
        ----------
        year
            Calendar year.
        tier
            Only institutions of this tier.
        """
        return [
            i for i in self.institutions if i.active_in(year) and (tier is None or i.tier is tier)
        ]

    def population(self, year: int, *, county: str | None = None) -> int:
        """Year-end population of the grids (of one county if given).

        Parameters
        ----------
        year
            Calendar year.
        county
            Only the grids of this county.
        """
        return sum(
            g.population.get(year, 0) for g in self.grids if county is None or g.county == county
        )

    def grid_consortia(self, grid_id: str, year: int | None = None) -> list[Consortium]:
        """Consortia serving a grid (in a year, if given).

        Parameters
        ----------
        grid_id
            The grid.
        year
            Only consortia operating in this year.
        """
        return [
            c for c in self.consortia if grid_id in c.grids and (year is None or c.active_in(year))
        ]

    def memberships(self, institution_id: str) -> list[Consortium]:
        """Consortia the institution is a member of, whatever their years.

        Parameters
        ----------
        institution_id
            The institution.
        """
        return [c for c in self.consortia if institution_id in c.members]

    def to_frame(self, what: str, year: int | None = None) -> pd.DataFrame:
        """Institutions, grids, consortia, the referral pathway or the cooperation links
        as a table, the one ``ihms system show --what WHAT --json`` prints
        (:mod:`ihms.system.frames`).

        Parameters
        ----------
        what : str
            ``"institutions"``, ``"grids"``, ``"consortia"``, ``"referrals"`` or
            ``"cooperation"``.
        year : int, optional
            Only what operates in this year (a grid's population that year); None
            lists everything the system describes.

        Returns
        -------
        pandas.DataFrame
            One row per object, indexed by its id.

        Raises
        ------
        InputError
            An unknown ``what``, or a ``year`` outside the system's years.
        """
        from ihms.system.frames import system_frame

        return system_frame(self, what, year)

    # -- rules ------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every violation of the structural rules, as messages naming the objects."""
        from ihms.system.rules import system_problems

        return system_problems(self)

    def check(self) -> System:
        """Raise :class:`~ihms.errors.ConfigError` listing every problem; return self."""
        from ihms.errors import ConfigError

        found = self.problems()
        if found:
            where = f"{self.source}: " if self.source else ""
            lines = "\n".join(f"  - {p}" for p in found)
            raise ConfigError(f"{where}{len(found)} problem(s) in the delivery system:\n{lines}")
        return self
