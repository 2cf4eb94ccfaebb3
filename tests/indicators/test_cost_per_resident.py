"""Cost per resident and insurance fund spending per insured resident (人均医疗费用,
参保人均基金支出; DOMAIN.md §4, user review 22k), worked by hand on the example "two
counties of one city" (``test_city_rollup.py``: conftest's tiny county c1 and c2 added).

2016, the encounters of each county's residents wherever treated:

* c1: preventive p1-p10, 10 x 1,000 fen; o1-o4, 20,000 + 5,000 + 30,000 + 60,000; i1-i3,
  500,000 + 100,000 + 2,000,000: 2,725,000 fen over the average population
  (9 + 10) / 2 = 9.5 (r9 enters 2016-03-15): 286,842.1 fen = 2,868.42 yuan.
  Insurance: o1-o4 10,000 + 2,500 + 12,000 + 20,000; i1 as settled by its claim
  280,000 (not 300,000), i2 70,000, i3 1,000,000: 1,394,500 fen over 9.5 insured:
  1,467.89 yuan.
* c2: q1 1,000 + q2 50,000 = 51,000 fen over (4 + 4) / 2 = 4: 127.50 yuan. Insurance
  500 + 30,000 = 30,500 fen over the 3 insured residents (r14 is not): 101.67 yuan.
* City: 2,776,000 fen / 13.5 = 2,056.30 yuan; insurance 1,425,000 fen / 12.5 = 1,140.00
  yuan.
"""

from __future__ import annotations

import pytest

from ihms.indicators import CATALOGUE, compute

from .test_city_rollup import _cell, two_county_dataset

IDS = ["cost_per_resident", "insurance_paid_per_insured"]


@pytest.fixture(scope="module")
def two_counties():
    return two_county_dataset()


def test_cost_and_insurance_per_resident_by_county(two_counties):
    r = compute(two_counties, indicators=IDS, level="county")
    c1 = _cell(r, "cost_per_resident", "c1")
    assert (c1["numerator"], c1["denominator"]) == (2_725_000, 9.5)
    assert c1["value"] == pytest.approx(2_725_000 / 9.5 / 100)
    assert (c1["numerator_unit"], c1["denominator_unit"]) == ("fen", None)
    c2 = _cell(r, "cost_per_resident", "c2")
    assert (c2["numerator"], c2["denominator"], c2["value"]) == (51_000, 4, 127.5)
    paid = _cell(r, "insurance_paid_per_insured", "c1")
    assert (paid["numerator"], paid["denominator"]) == (1_394_500, 9.5)
    paid = _cell(r, "insurance_paid_per_insured", "c2")
    assert (paid["numerator"], paid["denominator"]) == (30_500, 3)
    assert paid["value"] == pytest.approx(305 / 3)


def test_summed_over_the_city(two_counties):
    r = compute(two_counties, indicators=IDS, level="city")
    cost = _cell(r, "cost_per_resident", "City")
    assert (cost["numerator"], cost["denominator"]) == (2_776_000, 13.5)
    paid = _cell(r, "insurance_paid_per_insured", "City")
    assert (paid["numerator"], paid["denominator"], paid["value"]) == (1_425_000, 12.5, 1140.0)


def test_definitions_name_their_population():
    assert "hospitalization rate" in CATALOGUE["cost_per_resident"].description
    assert "insured" in CATALOGUE["insurance_paid_per_insured"].denominator.describe()


def test_grid_populations_cannot_count_the_insured(two_counties):
    # the system file gives grid populations, not insured residents: the spending per
    # insured resident is left out, not divided by every resident
    from ihms.system import parse_system

    from .test_city_rollup import TWO_COUNTY_YAML

    system = parse_system(TWO_COUNTY_YAML, source="two.yaml")
    r = compute(two_counties, indicators=IDS, system=system, population="grids")
    assert [o.indicator for o in r.omitted] == ["insurance_paid_per_insured"]
    assert "insured" in r.omitted[0].reason
    # c2's grid g3 has 4 residents at both ends of 2016 in the file
    assert _cell(r, "cost_per_resident", "c2")["denominator"] == 4


def test_the_uninsured_residents_payments_stay_out_of_the_numerator(two_counties):
    # Numerator and denominator cover the same people (review, finding 4). r14 of c2 is
    # not insured in the register (insurance lapsed, say), yet the fund paid 1,500 fen of
    # his visit q4 (THC3, 2016-08-01, 4,000 fen). Worked by hand: c2's insured residents
    # r11-r13 drew q1 500 + q2 30,000 = 30,500 fen, over their average of 3: 101.67
    # yuan; counting q4 too would give 32,000 / 3 = 106.67 yuan per insured resident,
    # r14's payment spread over people who do not include him. The cost per resident
    # counts everyone: 51,000 + 4,000 = 55,000 fen over 4.
    import pandas as pd

    from ihms.data import Dataset

    encounters = two_counties.to_pandas("encounters")
    q4 = encounters[encounters["encounter_id"] == "q1"].assign(
        encounter_id="q4",
        resident_id="r14",
        date=pd.Timestamp("2016-08-01"),
        total_cost_fen=4_000,
        insurance_paid_fen=1_500,
        out_of_pocket_fen=2_500,
    )
    frames = {name: two_counties.to_pandas(name) for name in two_counties.tables}
    frames["encounters"] = pd.concat([encounters, q4], ignore_index=True)
    data = Dataset.from_frames(frames, period=two_counties.period)
    r = compute(data, indicators=IDS, level="county")
    paid = _cell(r, "insurance_paid_per_insured", "c2")
    assert (paid["numerator"], paid["denominator"]) == (30_500, 3)
    assert paid["value"] == pytest.approx(305 / 3)
    cost = _cell(r, "cost_per_resident", "c2")
    assert (cost["numerator"], cost["denominator"]) == (55_000, 4)
