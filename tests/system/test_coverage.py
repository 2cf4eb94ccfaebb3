from __future__ import annotations

import pytest

from ihms.errors import InputError
from ihms.system import (
    Affiliation,
    Consortium,
    ConsortiumType,
    County,
    Grid,
    Institution,
    Integration,
    Ownership,
    System,
    Tier,
    coverage,
    load_system,
)


def _hospital(iid, county, grid=None, tier=Tier.SECONDARY):
    return Institution(iid, iid, tier, Affiliation.COUNTY, Ownership.PUBLIC, county, grid)


def national_system(cities, active_cities, counties, active_counties):
    """A system with seed 001's national counts: each active city runs one fully
    integrated urban medical group in one district grid, each active county one fully
    integrated county medical community."""
    all_counties, grids, insts, consortia = [], [], [], []
    for c in range(cities):
        all_counties.append(County(f"d{c}", f"District {c}", f"city{c}", kind="district"))
        if c < active_cities:
            grids.append(Grid(f"dg{c}", "grid", f"d{c}", {2019: 1}))
            insts.append(_hospital(f"dh{c}", f"d{c}", f"dg{c}"))
            consortia.append(
                Consortium(
                    f"umg{c}",
                    "group",
                    ConsortiumType.URBAN_MEDICAL_GROUP,
                    Integration.FULL,
                    f"dh{c}",
                    (f"dh{c}",),
                    (f"dg{c}",),
                )
            )
    for k in range(counties):
        all_counties.append(County(f"k{k}", f"County {k}", f"city{k % cities}"))
        if k < active_counties:
            grids.append(Grid(f"kg{k}", "grid", f"k{k}", {2019: 1}))
            insts.append(_hospital(f"kh{k}", f"k{k}", f"kg{k}"))
            consortia.append(
                Consortium(
                    f"cmc{k}",
                    "community",
                    ConsortiumType.COUNTY_MEDICAL_COMMUNITY,
                    Integration.FULL,
                    f"kh{k}",
                    (f"kh{k}",),
                    (f"kg{k}",),
                )
            )
    # every county is studied (coverage counts within the study counties)
    return System(
        "China",
        tuple(all_counties),
        tuple(grids),
        tuple(insts),
        tuple(consortia),
        study_counties=tuple(c.id for c in all_counties),
    )


def test_active_cities_and_counties_as_seed_001_counts_them():
    # seed 001, section 1.3: fully integrated programmes in 118 of 293 prefecture-level
    # cities and 567 of 1,335 counties (end of 2019 / 2018).
    cov = coverage(national_system(293, 118, 1335, 567))
    assert (cov.cities_active, cov.cities) == (118, 293)
    assert (cov.counties_active, cov.counties) == (567, 1335)
    # seed 001 prints 40.27 % for the cities (118 / 293 = 0.402730).
    assert round(100 * cov.share_cities_active, 2) == 40.27
    # 567 / 1,335 = 0.424719 -> 42.47 %. (Seed 001 prints 42.27 %, which its own
    # counts do not give; we report the share of the counts.)
    assert round(100 * cov.share_counties_active, 2) == 42.47


def test_worked_example_population_grids_and_hospitals():
    counties = (County("c1", "C1", "city"),)
    grids = (
        Grid("g1", "G1", "c1", {2017: 700, 2018: 700}),
        Grid("g2", "G2", "c1", {2017: 300, 2018: 300}),
    )
    insts = (
        _hospital("CH", "c1", "g1"),
        _hospital("CH2", "c1", "g2"),
        Institution(
            "THC", "THC", Tier.PRIMARY_CENTRE, Affiliation.COUNTY, Ownership.PUBLIC, "c1", "g1"
        ),
    )
    cmc = Consortium(
        "cmc",
        "cmc",
        ConsortiumType.COUNTY_MEDICAL_COMMUNITY,
        Integration.FULL,
        "CH",
        ("CH", "THC"),
        ("g1",),
        start_year=2018,
    )
    system = System("s", counties, grids, insts, (cmc,))
    cov = coverage(system, year=2018)
    # g1 (700 of 1,000 residents) is served; g2 is not.
    assert (cov.population_covered, cov.population) == (700, 1000)
    assert cov.share_population_covered == pytest.approx(0.7, rel=1e-12)
    assert cov.grids_uncovered == ("g2",)
    # CH2 is a hospital in no consortium: 1 of 2 hospitals not involved.
    assert cov.hospitals_not_involved == ("CH2",)
    assert cov.share_hospitals_not_involved == pytest.approx(0.5, rel=1e-12)
    assert (cov.institutions_covered, cov.institutions) == (2, 3)
    # before the consortium starts nothing is covered
    assert coverage(system, year=2017).population_covered == 0
    # a year the grids give no population for is refused, not counted as 0 residents
    with pytest.raises(InputError, match="the grids give populations for 2017–2018, got 2016"):
        coverage(system, year=2016)
    text = cov.summary().to_text()
    assert "Grids with no consortium: g2" in text


def test_youxi_fully_covered_from_2017():
    youxi = load_system("examples/youxi.yaml")
    assert coverage(youxi, year=2016).population_covered == 0
    cov = coverage(youxi, year=2019)
    assert cov.population_covered == cov.population == 363_000
    assert cov.counties_active == cov.counties == 1
    assert cov.consortia_by_type == {"county_medical_community": 1, "specialist_alliance": 1}


def test_a_year_outside_the_system_is_refused_not_zero():
    youxi = load_system("examples/youxi.yaml")
    with pytest.raises(InputError, match="the system covers 2016–2019, got 1990"):
        coverage(youxi, year=1990)
