"""A grid served by two consortia counts in both consortia's per-resident indicators,
and the results say so (session 22 review D, MEDIUM 4). Worked from the tiny county of
tests/indicators/conftest.py with a second, semi-tight consortium on g1."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from tests.indicators.conftest import TINY_YAML, tiny_frames
from tests.indicators.test_compute import value
from tests.system.test_grid_overlap import SECOND

from ihms.data import Dataset, Period, structural_tables
from ihms.indicators import compute
from ihms.system import parse_system


@pytest.fixture
def shared() -> Dataset:
    frames = tiny_frames()
    frames.update(structural_tables(parse_system(TINY_YAML + SECOND, source="tiny.yaml")))
    return Dataset.from_frames(frames, period=Period(date(2016, 1, 1), date(2017, 12, 31)))


def test_a_shared_grids_residents_count_in_both_consortia_and_a_note_says_so(shared):
    r = compute(shared, indicators=["hospitalization_rate"], level="consortium", period="year")
    # 2017: g1's residents r1-r6 present all year -> (6 + 6) / 2 = 6 in umg; cmc adds
    # g2's r7-r10 at the start, r7-r9 at the end -> 6 + 3.5 = 9.5. g1 counts in both.
    assert value(r, "hospitalization_rate", "umg", 2017).denominator == 6
    assert value(r, "hospitalization_rate", "cmc", 2017).denominator == 9.5
    assert (
        "grid 'g1' is served by 2 consortia in 2017 (cmc, umg): the consortium rows of "
        "hospitalization_rate count its residents in each of them, so summing those rows "
        "counts them twice"
    ) in r.notes


def test_no_note_without_a_shared_grid_or_below_the_consortium_level(shared, tiny_dataset):
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], level="consortium")
    assert not [n for n in r.notes if "served by" in n]
    r = compute(shared, indicators=["hospitalization_rate"], level="grid")
    assert not [n for n in r.notes if "served by" in n]


#: an urban group led by the provincial hospital, outside the county, serving g2
LED_FROM_OUTSIDE = """
  - {id: umg-ph, name: Provincial group, type: urban_medical_group, integration: half,
     lead: PH, members: [PH, THC2], grids: [g2], start_year: 2016}
"""


def test_a_consortium_with_members_outside_its_grids_county_is_noted():
    # session 22 review D, LOW 9: an urban group led by a city hospital set all of the
    # hospital's 1,500 beds against the 3 residents of the one grid it serves in the
    # county, as the definition says, and nothing warned against comparing the row
    # with a county community's. 2016: (1,000 + 20) beds / 4 residents of g2 at the end
    frames = tiny_frames()
    frames.update(structural_tables(parse_system(TINY_YAML + LED_FROM_OUTSIDE, source="t.yaml")))
    ph = frames["resources"].iloc[[0, 3]].assign(institution_id="PH", beds=1000)
    frames["resources"] = pd.concat([frames["resources"], ph], ignore_index=True)
    data = Dataset.from_frames(frames, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    r = compute(data, indicators=["beds_per_1000", "hospitalization_rate"], level="consortium")
    row = value(r, "beds_per_1000", "umg-ph", 2016)
    assert (row.numerator, row.denominator) == (1020, 4)
    assert (
        "consortium 'umg-ph' has members outside the county of its grids (PH in out; its "
        "grids lie in c1): the consortium rows of beds_per_1000 set those members' whole "
        "figures against its grids' residents, so they do not compare with a county "
        "consortium's"
    ) in r.notes
    assert not [n for n in r.notes if n.startswith("consortium 'cmc'")]
    r = compute(data, indicators=["beds_per_1000"], level="county")
    assert not [n for n in r.notes if "outside the county of its grids" in n]
