"""A month one county's extract lacks is missing for that county's units, not 0.

The tiny county's 2016 (``conftest.tiny_dataset_of_2016``) beside a second county, c2
(grid g3, centre THC3, residents r11 and r12), worked by hand. c2's encounters: q1
(r11, THC3, 2016-01-05, outpatient), q2 (r12, THC3, 2016-02-05, outpatient) and q4 (r12
at PH, outside both counties, 2016-09-05, outpatient).

A county's months are those with an encounter at one of its institutions or of one of
its residents (at PH, in ``out``, say):

* the store: Jan (q1), Feb, Mar, Apr, May, Jun, Aug, Sep (q4), Nov — none in Jul, Oct,
  Dec;
* c1: Feb (p1-p3), Mar (p4, p5), Apr (p6-p8), May (p9, p10, i1), Jun (o1-o3), Aug (i2),
  Nov (i3: r7 of c1 at PH) — it lacks Jan and Sep beside the store's three;
* c2: Jan, Feb, Sep — it lacks Mar to Jun, Aug and Nov beside the store's three.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from tests.indicators.conftest import TINY_YAML, _d, tiny_dataset_of_2016
from tests.indicators.test_empty_periods import row

from ihms.data import Dataset, Period, structural_tables
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes
from ihms.system import parse_system

C1_LACKS = (201601, 201609)
C2_LACKS = (201603, 201604, 201605, 201606, 201608, 201611)
STORE_LACKS = (201607, 201610, 201612)

TWO_COUNTIES = TINY_YAML.replace(
    "  - {id: out,",
    "  - {id: c2, name: County two, city: City}\n  - {id: out,",
).replace(
    "institutions:\n",
    "  - {id: g3, name: Grid three, county: c2, population: {2016: 2, 2017: 2}}\n"
    "institutions:\n"
    "  - {id: THC3, name: Centre three, tier: primary_centre, affiliation: county, "
    "county: c2, grid: g3}\n",
)


def two_counties(system: str = TWO_COUNTIES) -> Dataset:
    """The two counties' 2016, with the delivery system of ``system`` (YAML: the two
    counties', or one adding consortia)."""
    one = tiny_dataset_of_2016()
    frames = with_c2({name: one.to_pandas(name) for name in one.tables}, system)
    enc = frames["encounters"]
    new = enc[enc["encounter_id"] == "o2"].iloc[[0, 0, 0]].copy()  # an outpatient visit
    new["encounter_id"] = ["q1", "q2", "q4"]
    new["resident_id"] = ["r11", "r12", "r12"]
    new["institution_id"] = ["THC3", "THC3", "PH"]
    new["date"] = pd.to_datetime(["2016-01-05", "2016-02-05", "2016-09-05"])
    frames["encounters"] = pd.concat([enc, new], ignore_index=True)
    return Dataset.from_frames(frames, period=Period(_d("2016-01-01"), _d("2016-12-31")))


def with_c2(frames: dict[str, pd.DataFrame], system: str) -> dict[str, pd.DataFrame]:
    """``frames`` with the structure of ``system`` (YAML), c2's residents r11 and r12 (in
    g3; r1's and r2's attributes) and THC3's resources (THC2's)."""
    frames.update(structural_tables(parse_system(system, source="two.yaml")))
    res = frames["residents"]
    extra = res.iloc[:2].copy()
    extra["resident_id"], extra["grid_id"] = ["r11", "r12"], ["g3", "g3"]
    frames["residents"] = pd.concat([res, extra], ignore_index=True)
    resources = frames["resources"]
    thc3 = resources[resources["institution_id"] == "THC2"].assign(institution_id="THC3")
    frames["resources"] = pd.concat([resources, thc3], ignore_index=True)
    return frames


@pytest.fixture(scope="module")
def data() -> Dataset:
    return two_counties()


def visits(data, level):
    ids = ["outpatient_emergency_visits"]
    if level != "institution":  # stays of residents: no institution has residents
        ids.append("hospitalization_rate")
    return compute(data, indicators=ids, level=level, period="month")


def missing(results, indicator, unit) -> tuple[int, ...]:
    f = results.select(indicators=[indicator], units=[unit])
    return tuple(f.loc[f["numerator"].isna(), "period_key"])


def test_each_county_is_left_empty_in_the_months_it_lacks(data):
    r = visits(data, "county")
    assert missing(r, "outpatient_emergency_visits", "c1") == tuple(sorted(C1_LACKS + STORE_LACKS))
    assert missing(r, "outpatient_emergency_visits", "c2") == tuple(sorted(C2_LACKS + STORE_LACKS))
    # c2 in January: q1 at THC3; c1 in June: o1-o3 (o4 is at PH, in `out`)
    assert row(r, "outpatient_emergency_visits", "2016-01", "c2")["numerator"] == 1
    assert row(r, "outpatient_emergency_visits", "2016-06", "c1")["numerator"] == 3
    # `out` has no grid: no extract of its own, its records (at PH) are the visits of
    # both counties' residents, so it is missing in every month either lacks
    # (test_bare_county.py); February, held by both, is a true 0 at PH
    either = tuple(sorted(C1_LACKS + C2_LACKS + STORE_LACKS))
    assert missing(r, "outpatient_emergency_visits", "out") == either
    assert row(r, "outpatient_emergency_visits", "2016-02", "out")["numerator"] == 0
    assert r.empty_periods == {"month": STORE_LACKS}
    assert r.county_empty_periods == {"c1": {"month": C1_LACKS}, "c2": {"month": C2_LACKS}}


def test_grids_and_institutions_follow_their_county(data):
    grids = visits(data, "grid")
    # stays of g2's residents: i3 (r7 at PH, November) counts for c1, so it stays
    assert row(grids, "hospitalization_rate", "2016-11", "g2")["numerator"] == 1
    assert missing(grids, "hospitalization_rate", "g2") == tuple(sorted(C1_LACKS + STORE_LACKS))
    assert missing(grids, "hospitalization_rate", "g3") == tuple(sorted(C2_LACKS + STORE_LACKS))
    # g3 in January: no stay, but q1 shows c2's extract has the month: a true 0
    assert row(grids, "hospitalization_rate", "2016-01", "g3")["numerator"] == 0
    inst = visits(data, "institution")
    assert missing(inst, "outpatient_emergency_visits", "CH") == tuple(
        sorted(C1_LACKS + STORE_LACKS)
    )
    assert missing(inst, "outpatient_emergency_visits", "THC3") == tuple(
        sorted(C2_LACKS + STORE_LACKS)
    )
    either = tuple(sorted(C1_LACKS + C2_LACKS + STORE_LACKS))
    assert missing(inst, "outpatient_emergency_visits", "PH") == either


def test_the_notes_name_each_county_and_its_months(data):
    r = visits(data, "county")
    store, c1, c2 = empty_period_notes(r)
    assert store.startswith("encounters: none in 3 of the period's 12 months (2016-07, 2016-10")
    assert c1.startswith(
        "encounters: none for county c1 in 2 more of the period's months (2016-01, "
        "2016-09), at its institutions or of its residents; the indicators by month over "
        "encounters are left empty there for its county, "
        "grids and institutions, and for its city, the province, the total, the tiers "
        "and consortia holding its institutions or grids, and the institutions of counties "
        "without residents in the data (their records are the visits of the counties' "
        "residents), whose sums would lack its records — a month without a single encounter"
    )
    assert c2.startswith("encounters: none for county c2 in 6 more of")


def test_yearly_values_of_a_county_note_the_months_they_lack(data):
    r = compute(data, indicators=["hospitalizations"], level="county", period="year")
    assert r.county_empty_periods == {"c1": {"month": C1_LACKS}, "c2": {"month": C2_LACKS}}
    notes = empty_period_notes(r)
    assert any(
        n.startswith("encounters: none for county c2 in 6 more")
        and "the yearly values of hospitalizations for its county, grids and institutions, "
        "and its city's, the province's, the total's and those of the tiers and consortia "
        "holding its institutions or grids and of the institutions of counties without "
        "residents in the data, lack them (too low)"
        in n
        for n in notes
    )


def test_a_single_county_store_has_no_county_notes():
    r = visits(tiny_dataset_of_2016(), "county")
    assert r.county_empty_periods == {}
    assert len(empty_period_notes(r)) == 1


def test_the_producer_is_kept_on_the_results(data):
    r = visits(data, "county")
    assert r.producer is None
    sim = replace(r, producer="ihms.sim")
    assert all("ihms.sim simulated no encounter there" in n for n in empty_period_notes(sim))
    assert any("ihms.sim simulated no encounter there" in n for n in sim.summary().notes)
