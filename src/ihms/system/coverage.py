"""How much of a delivery system the consortia cover, as Gao et al. 2022 measures it.

Gao et al. 2022 (section 1.3) judges the consortium programme by its reach: the share of
prefecture-level cities running a fully integrated urban medical group (118 of 293,
40.27%), the share of counties running a fully integrated county medical community (567
of 1,335), and the hospitals left out. :func:`coverage` computes the same shares for a
:class:`~ihms.system.System`, plus the population and grids no consortium serves.

Everything is counted within the system's study counties
(:attr:`~ihms.system.System.study_counties`): the counties a file lists only to place
the hospitals outside that its consortia refer to are not part of the area covered, and
their hospitals are not among its institutions. A city counts when one of its urban
districts is studied (urban medical groups are built in districts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.sources import GAO_2022
from ihms.summary import SummaryTable
from ihms.system.model import ConsortiumType, System, Tier

__all__ = ["Coverage", "coverage"]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


@dataclass(frozen=True)
class Coverage(SummaryHtml):
    """Coverage of a system by its consortia in one year (or over all years).

    Attributes
    ----------
    year
        The year looked at; ``None`` counts every consortium whatever its years.
    population, population_covered, population_in_full
        Grid population in ``year``; the part living in grids served by at least one
        consortium (of any integration degree); the part served by a fully integrated
        one.
    grids, grids_uncovered
        Number of grids of the study counties, and the ids of those no consortium
        serves.
    institutions, institutions_covered, institutions_in_full
        Active institutions of the study counties; those in at least one consortium;
        those in a fully integrated one.
    hospitals, hospitals_not_involved
        Active tertiary and secondary hospitals of the study counties, and the ids of
        those in no consortium.
    cities, cities_active
        Prefecture-level cities with a studied urban district, and those where a fully
        integrated urban medical group serves a grid.
    counties, counties_active
        Studied counties (kind ``"county"``), and those where a fully integrated county
        medical community serves a grid.
    consortia_by_type
        Number of consortia of each type.
    """

    year: int | None
    population: int
    population_covered: int
    population_in_full: int
    grids: int
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
    def population_uncovered(self) -> int:
        """Residents of grids no consortium serves (DOMAIN section 1)."""
        return self.population - self.population_covered

    @property
    def share_population_in_full(self) -> float:
        return _share(self.population_in_full, self.population)

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
        """Every count, and every share :meth:`summary` shows (in percent) as a fraction
        0–1 under ``share_*`` (NaN where the whole is 0; ``--json`` prints null)."""
        return {
            "year": self.year,
            "population": self.population,
            "population_covered": self.population_covered,
            "share_population_covered": self.share_population_covered,
            "population_in_full": self.population_in_full,
            "share_population_in_full": self.share_population_in_full,
            "population_uncovered": self.population_uncovered,
            "share_population_uncovered": _share(self.population_uncovered, self.population),
            "grids": self.grids,
            "grids_uncovered": list(self.grids_uncovered),
            "share_grids_uncovered": _share(len(self.grids_uncovered), self.grids),
            "institutions": self.institutions,
            "institutions_covered": self.institutions_covered,
            "share_institutions_covered": self.share_institutions_covered,
            "institutions_in_full": self.institutions_in_full,
            "share_institutions_in_full": _share(self.institutions_in_full, self.institutions),
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

    def summary(self, lang: str = "en") -> SummaryTable:
        """The shares as a table.

        Parameters
        ----------
        lang
            ``"en"``, or ``"zh"``: the title, headers, rows and notes in Chinese
            (:mod:`ihms.system._words_zh`), every figure the same.

        Raises
        ------
        InputError
            Another language.
        """
        from ihms._words import check_lang

        check_lang(lang)
        rows = [
            ("Population covered by a consortium", self.population_covered, self.population),
            (
                "Population covered by a fully integrated consortium",
                self.population_in_full,
                self.population,
            ),
            ("Population in no consortium's grid", self.population_uncovered, self.population),
            ("Grids with no consortium", len(self.grids_uncovered), self.grids),
            ("Institutions in a consortium", self.institutions_covered, self.institutions),
            (
                "Institutions in a fully integrated consortium",
                self.institutions_in_full,
                self.institutions,
            ),
            ("Hospitals not involved", len(self.hospitals_not_involved), self.hospitals),
        ]
        if self.cities:
            rows.append(
                ("Active cities (full urban medical group)", self.cities_active, self.cities)
            )
        if self.counties:
            rows.append(
                (
                    "Active counties (full county medical community)",
                    self.counties_active,
                    self.counties,
                )
            )
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
            f"Shares as {GAO_2022} (section 1.3) computes them: active units over all units, "
            "within the study counties.",
        ]
        if self.grids_uncovered:
            notes.append("Grids with no consortium: " + ", ".join(self.grids_uncovered))
        if self.hospitals_not_involved:
            notes.append("Hospitals not involved: " + ", ".join(self.hospitals_not_involved))
        year = "all years" if self.year is None else str(self.year)
        table = SummaryTable(
            frame,
            title=f"Consortium coverage ({year})",
            notes=tuple(notes),
            digits=2,
            decimal_columns=("share (%)",),  # 100.00 in every file, not 100 in some
        )
        if lang == "zh":
            from ihms.system._words_zh import coverage_zh

            return coverage_zh(table, self)
        return table


def coverage(system: System, *, year: int | None = None) -> Coverage:
    """Coverage of ``system``'s study counties by its consortia in ``year``.

    Parameters
    ----------
    system
        The delivery system.
    year
        The year looked at; ``None`` counts every consortium and institution whatever
        their years, with the population of the last year (of the period, else of the
        grids' figures).

    Raises
    ------
    InputError
        If ``year`` lies outside the period (or, without a period, outside the years the
        grids give populations for).
    """
    known = system.years or system.population_years
    if year is not None and known and year not in known:
        where = "the system covers" if system.years else "the grids give populations for"
        raise InputError(f"parameter 'year': {where} {known[0]}–{known[-1]}, got {year}")
    pop_year = year if year is not None else (known[-1] if known else None)
    study = set(system.study_counties)
    consortia = [c for c in system.consortia if year is None or c.active_in(year)]
    institutions = [
        i for i in system.institutions if i.county in study and (year is None or i.active_in(year))
    ]
    grids = [g for g in system.grids if g.county in study]

    served = {g for c in consortia if c.type.serves_grid for g in c.grids}
    served_full = {
        g for c in consortia if c.type.serves_grid and c.fully_integrated for g in c.grids
    }

    def residents(ids: set[str] | None) -> int:
        if pop_year is None:
            return 0
        return sum(g.population.get(pop_year, 0) for g in grids if ids is None or g.id in ids)

    in_any = {m for c in consortia for m in c.members}
    in_full = {m for c in consortia if c.fully_integrated for m in c.members}
    hospitals = [i for i in institutions if i.tier in (Tier.TERTIARY, Tier.SECONDARY)]

    county_of_grid = {g.id: g.county for g in grids}
    studied = [c for c in system.counties if c.id in study]
    city_of_district = {c.id: c.city for c in studied if c.kind == "district"}
    active_counties: set[str] = set()
    active_cities: set[str] = set()
    for c in consortia:
        if not c.fully_integrated:
            continue
        counties = {county_of_grid[g] for g in c.grids if g in county_of_grid}
        if c.type is ConsortiumType.COUNTY_MEDICAL_COMMUNITY:
            active_counties |= counties
        elif c.type is ConsortiumType.URBAN_MEDICAL_GROUP:
            active_cities |= {city_of_district[k] for k in counties if k in city_of_district}
    county_ids = {c.id for c in studied if c.kind == "county"}

    return Coverage(
        year=year,
        population=residents(None),
        population_covered=residents(served),
        population_in_full=residents(served_full),
        grids=len(grids),
        grids_uncovered=tuple(g.id for g in grids if g.id not in served),
        institutions=len(institutions),
        institutions_covered=sum(1 for i in institutions if i.id in in_any),
        institutions_in_full=sum(1 for i in institutions if i.id in in_full),
        hospitals=len(hospitals),
        hospitals_not_involved=tuple(i.id for i in hospitals if i.id not in in_any),
        cities=len(set(city_of_district.values())),
        cities_active=len(active_cities),
        counties=len(county_ids),
        counties_active=len(active_counties & county_ids),
        consortia_by_type=Counter(c.type.value for c in consortia),
    )
