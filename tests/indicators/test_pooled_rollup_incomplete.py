"""A month one county lacks leaves a tier's and a consortium's value empty too, as the
city's, the province's and the total's (test_city_rollup_incomplete.py): every level
pooling counties follows one rule, read off the roll-up's own mapping
(``Dimensions.counties_of``). Worked by hand.

The data are ``test_empty_periods_by_county.py``'s two counties of 2016 (c1: CH, THC1,
THC2, VC1, grids g1 and g2; c2: THC3, grid g3; PH in ``out``, a district without grids,
so not judged) with two consortia added from 2016:

* ``ug``, an urban medical group: members CH (c1) and THC3 (c2), grids g1 (c1) and g3
  (c2) — it sums both counties, through its institutions and through its residents;
* ``sa``, a specialist alliance: members THC3 (c2) and PH (``out``), no grids — it sums
  c2 alone (and PH, whose county is not judged).

Each county's months with encounters: c1 lacks January and September, c2 March to June,
August and November, the store July, October and December. February is the only month
both counties have.

Outpatient and emergency visits (o1 CH June, o2 THC1 June, o3 CH June emergency, o4 PH
June, q1 THC3 January, q2 THC3 February, q4 PH September):

* tier primary_centre (THC1, THC2 of c1; THC3 of c2): January was 1 (q1 alone, c1's
  centres unknown) and June 1 (o2 alone, THC3 unknown) — each one county's visits
  passed off as the tier's. Now empty in every month either county lacks; February
  keeps q2: 1.
* tier secondary (CH, c1 alone): empty in c1's months only; June o1 + o3 = 2 stays,
  though c2 lacks June (the tier counts none of c2's records).
* tier tertiary (PH, ``out``, a county without residents: its records are both
  counties' residents' visits, test_bare_county.py): empty in every month either county
  lacks; February a true 0.
* consortium ug: June was 2 (o1, o3 at CH; THC3's June unknown): empty; February q2: 1.
* consortium sa: through PH it counts both counties' residents' visits, so it is empty
  in every month either lacks (June was o4 alone: 1; January q1 = 1, September q4 = 1);
  February q2 = 1.

Hospitalization rate of ug's residents (g1: r1-r6, g3: r11, r12; 8 residents all year,
so an average population of (8 + 8) / 2 = 8 every month): May was i1 (r3 of g1 at CH)
over 8, 12.50 per 100, with g3's stays unknown (c2 lacks May): now the numerator and
value are empty and the population 8 stays. February: 0 stays over 8, a true 0.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

from .test_empty_periods import row
from .test_empty_periods_by_county import (
    C1_LACKS,
    C2_LACKS,
    STORE_LACKS,
    TWO_COUNTIES,
    missing,
    two_counties,
)

CONSORTIA = TWO_COUNTIES.replace(
    "consortia:\n",
    "consortia:\n"
    "  - {id: ug, name: Urban group, type: urban_medical_group, integration: half,\n"
    "     lead: CH, members: [CH, THC3], grids: [g1, g3], start_year: 2016}\n"
    "  - {id: sa, name: Specialist alliance, type: specialist_alliance,\n"
    "     integration: flexible, lead: PH, members: [PH, THC3], start_year: 2016}\n",
)
VISITS = "outpatient_emergency_visits"
MONTHS = tuple(201600 + m for m in range(1, 13))
EITHER_LACKS = tuple(sorted({*C1_LACKS, *C2_LACKS, *STORE_LACKS}))
C1_OR_STORE = tuple(sorted(C1_LACKS + STORE_LACKS))
C2_OR_STORE = tuple(sorted(C2_LACKS + STORE_LACKS))


def consortia_of_two_counties():
    return two_counties(CONSORTIA)


@pytest.fixture(scope="module")
def data():
    return consortia_of_two_counties()


def test_a_tier_is_empty_in_a_month_one_of_its_counties_lacks(data):
    r = compute(data, indicators=[VISITS], level="tier", period="month")
    # both counties have February alone
    assert tuple(k for k in MONTHS if k != 201602) == EITHER_LACKS
    assert missing(r, VISITS, "primary_centre") == EITHER_LACKS
    assert row(r, VISITS, "2016-02", "primary_centre")["numerator"] == 1  # q2
    assert missing(r, VISITS, "secondary") == C1_OR_STORE
    assert row(r, VISITS, "2016-06", "secondary")["numerator"] == 2  # o1, o3
    assert missing(r, VISITS, "village_clinic") == C1_OR_STORE
    # PH's county has no extract of its own: PH counts both counties' residents
    assert missing(r, VISITS, "tertiary") == EITHER_LACKS
    assert row(r, VISITS, "2016-02", "tertiary")["numerator"] == 0


def test_a_consortium_is_judged_by_the_counties_it_sums(data):
    r = compute(
        data, indicators=[VISITS, "hospitalization_rate"], level="consortium", period="month"
    )
    assert missing(r, VISITS, "ug") == EITHER_LACKS
    assert row(r, VISITS, "2016-02", "ug")["numerator"] == 1  # q2 at THC3
    assert missing(r, VISITS, "sa") == EITHER_LACKS  # THC3 of c2, PH of both
    assert row(r, VISITS, "2016-02", "sa")["numerator"] == 1  # q2 at THC3
    # its residents: g1 of c1 and g3 of c2
    assert missing(r, "hospitalization_rate", "ug") == EITHER_LACKS
    may = row(r, "hospitalization_rate", "2016-05", "ug")
    assert pd.isna(may["numerator"]) and pd.isna(may["value"])
    assert may["denominator"] == 8  # the population is known: it stays
    february = row(r, "hospitalization_rate", "2016-02", "ug")
    assert february["numerator"] == 0 and february["denominator"] == 8
    assert february["value"] == 0


def test_a_tier_of_the_kept_counties_is_judged_by_them_alone(data):
    # --county c2: the centres of c1 are not counted, so the months c1 lacks do not matter
    r = compute(data, indicators=[VISITS], level="tier", period="month", counties=["c2"])
    assert missing(r, VISITS, "primary_centre") == C2_OR_STORE
    assert row(r, VISITS, "2016-01", "primary_centre")["numerator"] == 1  # q1


def test_a_tiers_year_is_kept_and_the_note_says_it_lacks_the_months(data):
    # no county lacks the whole year: primary_centre's 2016 is o2 (THC1), q1 and q2
    # (THC3) = 3, too low by the months each county lacks, which the notes name
    r = compute(data, indicators=[VISITS], level="tier", period="year")
    assert row(r, VISITS, "2016", "primary_centre")["numerator"] == 3
    notes = [n for n in empty_period_notes(r) if n.startswith("encounters: none for county")]
    assert len(notes) == 2
    assert "c1 in 2 more of the period's months (2016-01, 2016-09)" in notes[0]
    assert "those of the tiers and consortia holding its institutions or grids and" in notes[0]
    by_month = compute(data, indicators=[VISITS], level="tier", period="month")
    (c2,) = [n for n in empty_period_notes(by_month) if "none for county c2" in n]
    assert "(2016-03 to 2016-06, 2016-08, 2016-11)" in c2
    assert "the tiers and consortia holding its institutions or grids, and the" in c2
