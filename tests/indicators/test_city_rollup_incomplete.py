"""A month one county lacks leaves its city's, the province's and the total's value empty
(review of the roll-up, MEDIUM 3.3; the total since session 24), worked by hand.

The data are ``test_empty_periods_by_county.py``'s: conftest's tiny county c1 in 2016
beside c2 (grid g3, centre THC3, residents r11 and r12), both counties of the city
``City``. Each county's months with encounters, at its institutions or of its residents:
c1 lacks January and September beside the store's July, October and December; c2 lacks
March to June, August and November.

By hand, January 2016: c2 has q1 (r11's outpatient visit at THC3), c1 nothing. Summed
as they were, City's outpatient and emergency visits were 1 (q1 alone) and its
hospitalization rate 0 stays over (18 + 4) / 2 = 11 residents: c1's 9 residents
(r1-r8 and r10; r9 enters in March) at both ends of the month and c2's 2 — a
denominator of both counties over a numerator of one, a rate too low by an unknown
amount. So the city's, the province's and the total's measures over encounters are empty in a
month any of their counties lacks, as the county's own are, and the population stays
(the total: every kept county, districts too; here the province's two).
February, which both counties have: c1 no outpatient visit (p1-p3 are preventive
visits), c2 q2 at THC3: City 1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

from .test_empty_periods import row
from .test_empty_periods_by_county import C1_LACKS, C2_LACKS, STORE_LACKS, missing, two_counties

IDS = ["outpatient_emergency_visits", "hospitalization_rate"]
EITHER_LACKS = tuple(sorted({*C1_LACKS, *C2_LACKS, *STORE_LACKS}))


@pytest.fixture(scope="module")
def data():
    return two_counties()


@pytest.mark.parametrize(
    ("level", "unit"), [("city", "City"), ("province", "province"), ("total", "total")]
)
def test_a_month_one_county_lacks_is_empty_for_the_city_province_and_total(data, level, unit):
    # the total sums every kept county's records as the province does (here the same
    # three grids: g1, g2 of c1 and g3 of c2), so January lacks c1's as the province's does
    r = compute(data, indicators=IDS, level=level, period="month")
    assert missing(r, "outpatient_emergency_visits", unit) == EITHER_LACKS
    assert missing(r, "hospitalization_rate", unit) == EITHER_LACKS
    january = row(r, "hospitalization_rate", "2016-01", unit)
    assert pd.isna(january["numerator"]) and pd.isna(january["value"])
    assert january["denominator"] == 11  # the population is known: it stays
    assert row(r, "outpatient_emergency_visits", "2016-02", unit)["numerator"] == 1


def test_a_city_of_the_kept_counties_is_judged_by_them_alone(data):
    # --county c2: c1's records are not counted, so the months c1 lacks do not matter
    r = compute(data, indicators=IDS, level="city", period="month", counties=["c2"])
    assert missing(r, "outpatient_emergency_visits", "City") == tuple(
        sorted(C2_LACKS + STORE_LACKS)
    )
    assert row(r, "outpatient_emergency_visits", "2016-01", "City")["numerator"] == 1


def test_the_year_stays_and_the_note_names_the_county_and_its_months(data):
    # no county lacks the whole year: the city's 2016 is kept, and the note on each
    # county's months says the yearly values of the units summing it lack them
    r = compute(data, indicators=["outpatient_emergency_visits"], level="city", period="year")
    assert not pd.isna(row(r, "outpatient_emergency_visits", "2016", "City")["numerator"])
    notes = [n for n in empty_period_notes(r) if n.startswith("encounters: none for county c1")]
    assert len(notes) == 1
    assert "(2016-01, 2016-09)" in notes[0]
    assert "its city's, the province's, the total's and those of the tiers" in notes[0]
    by_month = compute(data, indicators=IDS, level="city", period="month")
    (c1,) = [n for n in empty_period_notes(by_month) if "none for county c1" in n]
    assert (
        "left empty there for its county, grids and institutions, and for its city, the "
        "province, the total, the tiers and consortia holding its institutions or grids, "
        "and the institutions of counties without residents in the data (their records "
        "are the visits of the counties' residents), whose sums would lack its records" in c1
    )
