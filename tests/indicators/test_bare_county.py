"""A county holding institutions but no grids has no extract of its own: its
institutions' records are the visits of the other counties' residents, carried in their
extracts. So such a unit counts every judged county's records and is empty in a month
any of them lacks; and a county of that kind without a single encounter at its
institutions in the period has no data at all, so its units are empty in every month,
with a note saying why. Worked by hand.

The data are ``test_empty_periods_by_county.py``'s two counties of 2016 (c1: CH, THC1,
THC2, VC1, grids g1, g2; c2: THC3, grid g3; PH in ``out``, a district without grids)
with a third county, c3 (of kind county, city Other), holding a county hospital CH3 and
no grid: its extract was never given, and no resident of c1 or c2 went to CH3.

Each county's months with encounters: c1 lacks January and September, c2 March to June,
August and November, the store July, October and December; February is the only month
both have.

Outpatient and emergency visits at PH: o4 (r8 of c1, June) and q4 (r12 of c2,
September). January was a true 0 at PH though c1 lacks January (its residents' visits
there unknown): now PH, ``out`` and the tertiary tier (PH alone) are empty in every month
either county lacks; February stays a true 0 (both extracts have it, no visit to PH).
CH3, c3 and every unit summing CH3 (the secondary tier of CH and CH3, the province of c1,
c2 and c3, the total) are empty in all twelve months.
"""

from __future__ import annotations

import pytest

from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

from .test_empty_periods import row
from .test_empty_periods_by_county import STORE_LACKS, TWO_COUNTIES, missing, two_counties
from .test_pooled_rollup_incomplete import C1_OR_STORE, EITHER_LACKS, MONTHS

VISITS = "outpatient_emergency_visits"
THREE_COUNTIES = TWO_COUNTIES.replace(
    "  - {id: out,",
    "  - {id: c3, name: County three, city: Other}\n  - {id: out,",
).replace(
    "  - {id: PH,",
    "  - {id: CH3, name: Hospital three, tier: secondary, affiliation: county, county: c3}\n"
    "  - {id: PH,",
)
STORE_MONTHS = tuple(k for k in MONTHS if k not in STORE_LACKS)


@pytest.fixture(scope="module")
def data():
    return two_counties(THREE_COUNTIES)


def test_a_hospital_of_a_county_without_an_extract_follows_every_extract():
    two = two_counties()
    r = compute(two, indicators=[VISITS], level="institution", period="month")
    assert missing(r, VISITS, "PH") == EITHER_LACKS
    assert row(r, VISITS, "2016-02", "PH")["numerator"] == 0  # both extracts: a true 0
    assert row(r, VISITS, "2016-09", "CH")["numerator"] is not None
    by_county = compute(two, indicators=[VISITS], level="county", period="month")
    assert missing(by_county, VISITS, "out") == EITHER_LACKS
    # PH's own county is not named as lacking a month: it has no extract to lack one
    assert set(by_county.county_empty_periods) == {"c1", "c2"}


def test_a_county_without_any_data_is_empty_in_every_month(data):
    r = compute(data, indicators=[VISITS], level="institution", period="month")
    assert missing(r, VISITS, "CH3") == MONTHS
    assert missing(r, VISITS, "CH") == C1_OR_STORE  # c1's hospital: c1's months alone
    counties = compute(data, indicators=[VISITS], level="county", period="month")
    assert missing(counties, VISITS, "c3") == MONTHS
    assert missing(counties, VISITS, "out") == EITHER_LACKS
    assert counties.county_empty_periods["c3"] == {"month": STORE_MONTHS}


def test_every_unit_summing_it_is_empty_too(data):
    tiers = compute(data, indicators=[VISITS], level="tier", period="month")
    assert missing(tiers, VISITS, "secondary") == MONTHS  # CH and CH3
    assert missing(tiers, VISITS, "tertiary") == EITHER_LACKS  # PH
    for level in ("province", "total"):
        r = compute(data, indicators=[VISITS], level=level, period="month")
        assert missing(r, VISITS, level) == MONTHS
    # the city of c1 and c2 holds none of c3's units
    cities = compute(data, indicators=[VISITS], level="city", period="month")
    assert missing(cities, VISITS, "City") == EITHER_LACKS
    # kept counties: c1's total counts none of CH3's records
    kept = compute(data, indicators=[VISITS], level="total", period="month", counties=["c1"])
    assert missing(kept, VISITS, "total") == C1_OR_STORE


def test_the_note_says_why(data):
    r = compute(data, indicators=[VISITS], level="county", period="month")
    notes = empty_period_notes(r)
    (c3,) = [n for n in notes if n.startswith("county c3")]
    assert c3.startswith(
        "county c3 (County three) has institutions but no grids (no residents in the "
        "data), so no extract of its own, and no encounter at its institutions in the "
        "period: the data say nothing of them"
    )
    kept = compute(data, indicators=[VISITS], level="county", period="month", counties=["c1"])
    assert not [n for n in kept.notes if n.startswith("county c3")]  # not kept: no advice
    (c1,) = [n for n in notes if "none for county c1" in n]
    assert "the institutions of counties without residents in the data" in c1
