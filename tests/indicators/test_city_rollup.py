"""City and province roll-ups, and keeping some counties, worked by hand.

The worked example ("two counties of one city") is the tiny county of ``conftest.py``
(county c1 of the city ``City``; the provincial hospital PH in county ``out`` of
``Capital``) with a second county c2 of ``City`` added: grid g3, township health centre
THC3, four residents r11-r14 present throughout (r14 not insured), and their visits:

====  ====  =====  ==========  ==========  =========  =========
id    who   where  date        type        cost fen   insurance
====  ====  =====  ==========  ==========  =========  =========
q1    r11   THC3   2016-06-05  outpatient      1,000        500
q2    r12   THC3   2016-07-01  inpatient      50,000     30,000
q3    r13   THC3   2017-05-01  outpatient      2,000      1,000
====  ====  =====  ==========  ==========  =========  =========

2016 by hand, from conftest's rows and these:

* outpatient and emergency visits at the institutions: c1 o1 (CH, 20,000), o2 (THC1,
  5,000), o3 (CH, 30,000): 3 visits, 55,000 fen; c2 q1: 1 visit, 1,000 fen; out o4
  (PH, 60,000): 1 visit.
  City = (55,000 + 1,000) / (3 + 1) = 14,000 fen = 140.00 yuan (the mean of the
  counties' 183.33 and 10.00 would be 96.67); Capital = 600.00 yuan; province = c1 and
  c2, the counties (县), without the capital's district ``out`` (市辖区): 56,000 / 4 =
  140.00 yuan; with its districts 116,000 / 5 = 23,200 fen = 232.00 yuan.
* residents' admissions, wherever treated: c1 i1, i2, i3 = 3 over the average
  population (9 + 10) / 2 = 9.5 (r9 enters 2016-03-15); c2 q2 = 1 over (4 + 4) / 2 = 4.
  City = 4 / 13.5 x 100 = 29.6296... (the mean of 31.58 and 25.00 would be 28.29).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period, structural_tables
from ihms.errors import InputError
from ihms.indicators import compute
from ihms.system import parse_system

from .conftest import TINY_YAML, tiny_frames

TWO_COUNTY_YAML = (
    TINY_YAML.replace(
        "  - {id: out,",
        "  - {id: c2, name: County two, city: City}\n  - {id: out,",
    )
    .replace(
        "institutions:\n",
        "  - {id: g3, name: Grid three, county: c2, population: {2016: 4, 2017: 4}}\n"
        "institutions:\n",
    )
    .replace(
        "consortia:\n",
        "  - {id: THC3, name: Centre three, tier: primary_centre, affiliation: county, "
        "county: c2, grid: g3}\nconsortia:\n",
    )
)


def two_county_dataset() -> Dataset:
    frames = tiny_frames()
    structure = structural_tables(parse_system(TWO_COUNTY_YAML, source="two.yaml"))
    frames.update(structure)
    residents = pd.DataFrame(
        {
            "resident_id": ["r11", "r12", "r13", "r14"],
            "birth_year": [1960, 1962, 1970, 1980],
            "sex": ["F", "M", "F", "M"],
            "grid_id": ["g3"] * 4,
            "insured": [True, True, True, False],
            "fp_registered": [False] * 4,
            "hypertension": [False] * 4,
            "diabetes": [False] * 4,
            "entry_date": [None] * 4,
            "exit_date": [None] * 4,
        }
    )
    frames["residents"] = pd.concat([frames["residents"], residents], ignore_index=True)
    resources = pd.DataFrame(
        {
            "institution_id": ["THC3", "THC3"],
            "year": [2016, 2017],
            "beds": [5, 5],
            "gps": [1, 1],
            "specialists": [1, 1],
            "nurses": [1, 1],
        }
    )
    frames["resources"] = pd.concat([frames["resources"], resources], ignore_index=True)
    enc = frames["encounters"]
    new = pd.DataFrame(
        [
            ("q1", "r11", "THC3", "2016-06-05", "outpatient", "J06", 1000, 500, 500, None, None),
            ("q2", "r12", "THC3", "2016-07-01", "inpatient", "J18", 50000, 30000, 20000, 3, None),
            ("q3", "r13", "THC3", "2017-05-01", "outpatient", "J06", 2000, 1000, 1000, None, None),
        ],
        columns=enc.columns,
    )
    new["date"] = pd.to_datetime(new["date"])
    frames["encounters"] = pd.concat([enc, new], ignore_index=True)
    period = Period(date(2016, 1, 1), date(2017, 12, 31))
    return Dataset.from_frames(frames, period=period)


@pytest.fixture(scope="module")
def two_counties() -> Dataset:
    return two_county_dataset()


def _cell(results, indicator: str, unit: str, period: str = "2016") -> pd.Series:
    frame = results.to_frame()
    row = frame[
        (frame["indicator"] == indicator) & (frame["unit"] == unit) & (frame["period"] == period)
    ]
    assert len(row) == 1, row
    return row.iloc[0]


def test_city_sums_numerators_and_denominators(two_counties):
    r = compute(
        two_counties,
        indicators=["cost_per_outpatient_visit", "hospitalization_rate"],
        level="city",
    )
    city = _cell(r, "cost_per_outpatient_visit", "City")
    assert (city["numerator"], city["denominator"]) == (56_000, 4)
    assert city["value"] == pytest.approx(140.00)
    assert city["level"] == "city" and city["unit_name"] == "City"
    capital = _cell(r, "cost_per_outpatient_visit", "Capital")
    assert (capital["numerator"], capital["denominator"]) == (60_000, 1)
    rate = _cell(r, "hospitalization_rate", "City")
    assert (rate["numerator"], rate["denominator"]) == (4, 13.5)
    assert rate["value"] == pytest.approx(400 / 13.5)
    # a per-resident rate has no row for a city without residents in the data
    frame = r.to_frame()
    rates = frame[frame["indicator"] == "hospitalization_rate"]
    assert set(rates["unit"]) == {"City"}


def test_province_is_its_counties_and_districts_on_request(two_counties):
    # review of the roll-up, finding 3. A health statistics yearbook (中国卫生健康统计年鉴)
    # gives county-level figures over 县 and 县级市, the urban districts (市辖区) apart; a
    # county extract holds a capital's district only for the hospitals its residents
    # went to, seen through their visits alone. So the province is the data's counties
    # (kind county) by default, and the districts are added when asked for.
    ids = ["cost_per_outpatient_visit", "hospitalization_rate"]
    r = compute(two_counties, indicators=ids, level="province")
    cell = _cell(r, "cost_per_outpatient_visit", "province")
    assert (cell["numerator"], cell["denominator"]) == (56_000, 4)
    assert cell["value"] == pytest.approx(140.00)
    assert cell["unit_name"] == "Province (counties)"
    (note,) = [n for n in r.notes if "district" in n]
    assert note == (
        "province: the counties (县, kind county) of the data, without its 1 district "
        "(市辖区): out (Capital district), as a health statistics yearbook gives county "
        "figures; include_districts=True counts them"
    )
    both = compute(two_counties, indicators=ids, level="province", include_districts=True)
    cell = _cell(both, "cost_per_outpatient_visit", "province")
    assert (cell["numerator"], cell["denominator"]) == (116_000, 5)
    assert cell["value"] == pytest.approx(232.00)
    assert cell["unit_name"] == "Province (counties and districts)"
    assert not [n for n in both.notes if "district" in n]
    # the district has no residents: the residents' rates are the same either way, the
    # worked 4 stays over 13.5 of the city test
    for results in (r, both):
        rate = _cell(results, "hospitalization_rate", "province")
        assert (rate["numerator"], rate["denominator"]) == (4, 13.5)


def test_districts_are_asked_for_at_the_province_only(two_counties):
    # a city (地市) holds its districts, as the yearbook's figures by city do
    with pytest.raises(InputError, match=r"include_districts.*province.*got level 'city'"):
        compute(
            two_counties,
            indicators=["cost_per_outpatient_visit"],
            level="city",
            include_districts=True,
        )


def test_stocks_per_resident_stay_by_county_at_city_level(two_counties):
    # beds per 1,000 counts a county's own institutions over its residents; summed over
    # a city or province it would set the capital's hospital beds against residents of
    # other counties, so its definition (no total level) keeps it by county
    r = compute(two_counties, level="city")
    frame = r.to_frame()
    beds = frame[frame["indicator"] == "beds_per_1000"]
    assert set(beds["level"]) == {"county"}
    assert set(frame[frame["indicator"] == "hospitalizations"]["level"]) == {"city"}


def test_kept_counties_alone_are_counted(two_counties):
    # without the capital's district, the province is City's two counties:
    # 56,000 fen over 4 visits (the worked example above)
    assert _province_outpatient_cost(two_counties, ["c1", "c2"]) == (56_000, 4)
    r = compute(
        two_counties, indicators=["cost_per_outpatient_visit"], level="institution", counties=["c2"]
    )
    frame = r.to_frame()
    assert set(frame["unit"]) == {"THC3"}
    assert _cell(r, "cost_per_outpatient_visit", "THC3")["numerator"] == 1_000
    # residents' admissions of c2 only: q2 over (4 + 4) / 2
    r = compute(two_counties, indicators=["hospitalization_rate"], level="total", counties=["c2"])
    cell = _cell(r, "hospitalization_rate", "total")
    assert (cell["numerator"], cell["denominator"]) == (1, 4)


def test_unknown_county_ids_are_refused_by_name(two_counties):
    with pytest.raises(InputError, match=r"'c9', 'zz'.*c1, c2, out") as info:
        compute(two_counties, indicators=["hospitalizations"], counties=["c1", "c9", "zz"])
    assert "'c1'" not in str(info.value).split("(")[0]


def test_study_names_the_counties_the_data_describe(two_counties):
    # counties.study: c1 and c2 true, the capital's district false; the province of the
    # study counties is 56,000 fen over 4 visits, as test_kept_counties_alone_are_counted
    assert _province_outpatient_cost(two_counties, ["study"]) == (56_000, 4)
    # with an id beside it, the union: the capital's district too (116,000 over 5),
    # counted as a district is at the province, when districts are included
    assert _province_outpatient_cost(two_counties, ["study", "out"]) == (56_000, 4)
    assert _province_outpatient_cost(two_counties, ["study", "out"], districts=True) == (
        116_000,
        5,
    )
    # data marking no study county: said so, not an empty result
    counties = two_counties.to_pandas("counties").assign(study=False)
    with pytest.raises(InputError, match="'study' names the study counties; the data mark none"):
        _province_outpatient_cost(two_counties.replace(counties=counties), ["study"])


def _province_outpatient_cost(data, counties: list[str], *, districts: bool = False) -> tuple:
    """The province's 2016 cost per outpatient visit over ``counties`` (with their
    districts when ``districts``): (fen, visits)."""
    r = compute(
        data,
        indicators=["cost_per_outpatient_visit"],
        level="province",
        counties=counties,
        include_districts=districts,
    )
    cell = _cell(r, "cost_per_outpatient_visit", "province")
    return cell["numerator"], cell["denominator"]
