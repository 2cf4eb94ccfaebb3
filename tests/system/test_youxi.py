"""examples/youxi.yaml against seed 002 (Zhong et al. 2023), Table 2, year by year."""

from __future__ import annotations

import pytest

from ihms.system import ConsortiumType, Integration, Tier, load_system

YEARS = (2016, 2017, 2018, 2019)


@pytest.fixture(scope="module")
def youxi():
    return load_system("examples/youxi.yaml")


def per_1000(youxi, year, field):
    total = 0
    for inst in youxi.active_institutions(year):
        res = inst.resources.get(year)
        if res is not None:
            value = res.physicians if field == "physicians" else getattr(res, field)
            total += value or 0
    return round(1000 * total / youxi.population(year), 2)


def test_resident_population_by_year(youxi):
    # seed 002, Table 2: resident population (10,000) 35.8, 36.1, 36.2, 36.3
    assert [round(youxi.population(y) / 10_000, 1) for y in YEARS] == [35.8, 36.1, 36.2, 36.3]


def test_share_aged_60_and_over(youxi):
    # seed 002, Table 2: population aged 60 and above (%) 14.9, 15.3, 15.9, 16.6
    shares = [
        round(100 * sum(g.aged_60_plus[y] for g in youxi.grids) / youxi.population(y), 1)
        for y in YEARS
    ]
    assert shares == [14.9, 15.3, 15.9, 16.6]


def test_institution_counts(youxi):
    # seed 002, Table 2: CHs 3,3,3,3; THs 18,18,23,23; HCs 350,354,387,363
    def count(tier):
        return [len(youxi.active_institutions(y, tier=tier)) for y in YEARS]

    assert count(Tier.SECONDARY) == [3, 3, 3, 3]
    assert count(Tier.PRIMARY_CENTRE) == [18, 18, 23, 23]
    assert count(Tier.VILLAGE_CLINIC) == [350, 354, 387, 363]


def test_one_ichc_from_2017(youxi):
    # seed 002, Table 2: number of ICHC 0, 1, 1, 1
    def ichcs(year):
        return [
            c
            for c in youxi.consortia
            if c.active_in(year)
            and c.type is ConsortiumType.COUNTY_MEDICAL_COMMUNITY
            and c.integration is Integration.FULL
        ]

    assert [len(ichcs(y)) for y in YEARS] == [0, 1, 1, 1]
    ichc = ichcs(2017)[0]
    assert ichc.lead == "YX-CH01"
    assert {g.id for g in youxi.grids} == set(ichc.grids)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        # seed 002, Table 2, per 1,000 residents, 2016-2019
        ("physicians", [1.54, 1.73, 2.25, 2.34]),
        ("nurses", [1.83, 2.01, 2.32, 2.63]),
        ("beds", [4.16, 4.42, 4.53, 4.80]),
        ("health_workers", [5.96, 6.21, 5.28, 4.97]),
    ],
)
def test_resources_per_1000(youxi, field, expected):
    assert [per_1000(youxi, y, field) for y in YEARS] == expected


def test_reprs_say_what_the_system_holds_in_one_line():
    # the generated reprs printed every institution, grid and route (about 177,000 and
    # 32,000 characters for Youxi); counts from examples/youxi.yaml: 3 counties, 15
    # grids, 2 county medical communities, 416 institutions = 29 listed + 387 village
    # clinics (the largest count_by_year of each of the 15 groups, summed; 387 in 2018)
    from ihms.system import load_system, referral_pathway

    system = load_system("examples/youxi.yaml")
    assert repr(system) == (
        "<System: name='Youxi county', counties=3, grids=15, institutions=416, "
        "consortia=2, source='youxi.yaml'>"
    )
    pathway = repr(referral_pathway(system))
    assert pathway.startswith("<ReferralPathway: institutions=416, up=") and len(pathway) < 100
