"""How much of a delivery system the consortia cover, as seed 001 measures it.

Seed 001 (section 1.3) judges the consortium programme by its reach: the share of
prefecture-level cities running a fully integrated urban medical group (118 of 293,
40.27%), the share of counties running a fully integrated county medical community (567
of 1,335), and the hospitals left out. :func:`coverage` computes the same shares for a
:class:`~ihms.system.System`, plus the population and grids no consortium serves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ihms.errors import InputError
from ihms.summary import SummaryTable
from ihms.system.model import ConsortiumType, System, Tier

__all__ = ["Coverage", "coverage"]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


@dataclass(frozen=True)
class Coverage:
    """Coverage of a system by its consortia in one year (or over all years).

    Attributes
    ----------
    year
        The year looked at; ``None`` counts every consortium whatever its years.
    population, population_covered
        Grid population in ``year`` and the part living in grids served by at least one
        consortium (of any integration degree).
    grids_uncovered
        Ids of grids no consortium serves.
    institutions, institutions_covered, institutions_in_full
        Active institutions; those in at least one consortium; those in a fully
        integrated one.
    hospitals, hospitals_not_involved
        Active tertiary and secondary hospitals, and the ids of those in no consortium.
    cities, cities_active
        Prefecture-level cities, and those where a fully integrated urban medical group
        serves a grid.
    counties, counties_active
        Counties (kind ``"county"``), and those where a fully integrated county medical
        community serves a grid.
    consortia_by_type
        Number of consortia of each type.
    """

    year: int | None
    population: int
    population_covered: int
    grids_uncovered: tuple[str, ...]
    institutions: int
    institutions_covered: int
    institutions_in_full: int
    hospitals: int
    hospitals_not_involved: tuple[str, ...]
    cities: int
    cities_active: int
    counties: int
    counties_active: int
    consortia_by_type: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "consortia_by_type", MappingProxyType(dict(self.consortia_by_type))
        )

    @property
    def share_population_covered(self) -> float:
        return _share(self.population_covered, self.population)

    @property
    def share_institutions_covered(self) -> float:
        return _share(self.institutions_covered, self.institutions)

    @property
    def share_hospitals_not_involved(self) -> float:
        return _share(len(self.hospitals_not_involved), self.hospitals)

    @property
    def share_cities_active(self) -> float:
        return _share(self.cities_active, self.cities)

    @property
    def share_counties_active(self) -> float:
        return _share(self.counties_active, self.counties)

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "population": self.population,
            "population_covered": self.population_covered,
            "share_population_covered": self.share_population_covered,
            "grids_uncovered": list(self.grids_uncovered),
            "institutions": self.institutions,
            "institutions_covered": self.institutions_covered,
            "share_institutions_covered": self.share_institutions_covered,
            "institutions_in_full": self.institutions_in_full,
            "hospitals": self.hospitals,
            "hospitals_not_involved": list(self.hospitals_not_involved),
            "share_hospitals_not_involved": self.share_hospitals_not_involved,
            "cities": self.cities,
            "cities_active": self.cities_active,
            "share_cities_active": self.share_cities_active,
            "counties": self.counties,
            "counties_active": self.counties_active,
            "share_counties_active": self.share_counties_active,
            "consortia_by_type": dict(self.consortia_by_type),
        }

    def summary(self) -> SummaryTable:
        rows = [
            ("Population covered by a consortium", self.population_covered, self.population),
            ("Institutions in a consortium", self.institutions_covered, self.institutions),
            (
                "Institutions in a fully integrated consortium",
                self.institutions_in_full,
                self.institutions,
            ),
            ("Hospitals not involved", len(self.hospitals_not_involved), self.hospitals),
            ("Active cities (full urban medical group)", self.cities_active, self.cities),
            (
                "Active counties (full county medical community)",
                self.counties_active,
                self.counties,
            ),
            ("Grids with no consortium", len(self.grids_uncovered), None),
        ]
        frame = pd.DataFrame(
            [
                {
                    "measure": label,
                    "count": count,
                    "of": total,
                    "share (%)": 100 * _share(count, total) if total else float("nan"),
                }
                for label, count, total in rows
            ]
        ).set_index("measure")
        frame["of"] = frame["of"].astype("Int64")
        notes = [
            "Shares as seed 001 (section 1.3) computes them: active units over all units.",
        ]
        if self.grids_uncovered:
            notes.append("Grids with no consortium: " + ", ".join(self.grids_uncovered))
        year = "all years" if self.year is None else str(self.year)
        return SummaryTable(
            frame, title=f"Consortium coverage ({year})", notes=tuple(notes), digits=2
        )


def coverage(system: System, *, year: int | None = None) -> Coverage:
    """Coverage of ``system`` by its consortia in ``year`` (all consortia if ``None``)."""
    consortia = [c for c in system.consortia if year is None or c.active_in(year)]
    institutions = [i for i in system.institutions if year is None or i.active_in(year)]
    pop_year = year if year is not None else (system.years[-1] if system.years else None)
    if year is not None and system.years and year not in system.years:
        raise InputError(
            f"parameter 'year': the system covers {system.years[0]}–{system.years[-1]}, got {year}"
        )

    served = {g for c in consortia if c.type.serves_grid for g in c.grids}
    population = covered = 0
    for g in system.grids:
        pop = g.population.get(pop_year, 0) if pop_year is not None else 0
        population += pop
        if g.id in served:
            covered += pop
    uncovered = tuple(g.id for g in system.grids if g.id not in served)

    in_any = {m for c in consortia for m in c.members}
    in_full = {m for c in consortia if c.fully_integrated for m in c.members}
    hospitals = [i for i in institutions if i.tier in (Tier.TERTIARY, Tier.SECONDARY)]
    not_involved = tuple(i.id for i in hospitals if i.id not in in_any)

    county_of_grid = {g.id: g.county for g in system.grids}
    city_of_county = {c.id: c.city for c in system.counties}
    active_counties: set[str] = set()
    active_cities: set[str] = set()
    for c in consortia:
        if not c.fully_integrated:
            continue
        counties = {county_of_grid[g] for g in c.grids if g in county_of_grid}
        if c.type is ConsortiumType.COUNTY_MEDICAL_COMMUNITY:
            active_counties |= counties
        elif c.type is ConsortiumType.URBAN_MEDICAL_GROUP:
            active_cities |= {city_of_county[k] for k in counties if k in city_of_county}
    county_ids = {c.id for c in system.counties if c.kind == "county"}

    return Coverage(
        year=year,
        population=population,
        population_covered=covered,
        grids_uncovered=uncovered,
        institutions=len(institutions),
        institutions_covered=sum(1 for i in institutions if i.id in in_any),
        institutions_in_full=sum(1 for i in institutions if i.id in in_full),
        hospitals=len(hospitals),
        hospitals_not_involved=not_involved,
        cities=len({c.city for c in system.counties}),
        cities_active=len(active_cities),
        counties=len(county_ids),
        counties_active=len(active_counties & county_ids),
        consortia_by_type=Counter(c.type.value for c in consortia),
    )
