"""The chronic-disease management and control rates follow the rule of the counts over
encounters: a year a county's extract lacks is empty for the units counting its
residents, not a rate of the other counties' patients. Worked by hand.

The tiny county c1's 2016-2017 (``conftest.tiny_frames``) beside a second county, c2
(grid g3, centre THC3), whose extract holds 2016 alone: residents r11 (hypertensive)
and r12 (diabetic); encounter q1 (r11 at THC3, 2016-01-05); follow-ups of r11 for
hypertension at THC3 on 2016-02-01, 05-01, 08-01 and 11-01 (the last 130/80) and of
r12 for diabetes on 2016-03-01 (6.0 mmol/L). c2 has no encounter in 2017: it lacks the
year.

Hypertension, by ``test_compute.test_hearts_control_and_standardized_management``'s
arithmetic for c1: 2016 r1 (1 follow-up day, 130/80), 2017 r1 (4 days, last 145/92),
r2 (2, 140/80), r3 (5, 128/82), r7 (1, 138/95) -> management 2 of 4, control 1 of 4.
c2 2016: r11, 4 days, 130/80 -> managed and controlled, 1 of 1.

* total 2016: management r11 of r1, r11 = 1 of 2 = 50 %; control 2 of 2 = 100 %.
* total 2017: was c1's 2 of 4 = 50 % passed off as the total's; now empty.
* c2 2017 (and g3's): was 0 of 0; now numerator and denominator empty.
* c1 2017 and the county medical community (c1's grids, from 2017) keep 2 of 4.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Dataset, Period
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

from .conftest import _d, tiny_frames
from .test_empty_periods_by_county import TWO_COUNTIES, with_c2

MANAGED, CONTROLLED = "hypertension_management_rate", "hypertension_control_rate"
IDS = [MANAGED, CONTROLLED, "diabetes_management_rate", "diabetes_control_rate"]


def c2_lacking_2017(system: str = TWO_COUNTIES) -> Dataset:
    """The two counties' 2016-2017, c2's extract without 2017, with the delivery system
    of ``system`` (YAML: the two counties', or one adding counties or consortia)."""
    frames = with_c2(tiny_frames(), system)
    res = frames["residents"]
    r11, r12 = (res["resident_id"] == r for r in ("r11", "r12"))
    res.loc[r11, ["hypertension", "diabetes"]] = [True, False]
    res.loc[r12, ["hypertension", "diabetes"]] = [False, True]
    enc = frames["encounters"]
    q1 = enc[enc["encounter_id"] == "o2"].copy()
    q1["encounter_id"], q1["resident_id"], q1["institution_id"] = "q1", "r11", "THC3"
    q1["date"] = pd.to_datetime(["2016-01-05"])
    frames["encounters"] = pd.concat([enc, q1], ignore_index=True)
    fu = frames["followups"]
    new = fu.iloc[[0, 0, 0, 0, 0]].copy()
    new["followup_id"] = ["h1", "h2", "h3", "h4", "d1"]
    new["resident_id"] = ["r11"] * 4 + ["r12"]
    new["institution_id"] = "THC3"
    new["date"] = pd.to_datetime(
        ["2016-02-01", "2016-05-01", "2016-08-01", "2016-11-01", "2016-03-01"]
    )
    new["condition"] = ["hypertension"] * 4 + ["diabetes"]
    new["systolic_mmhg"] = [130.0] * 4 + [None]
    new["diastolic_mmhg"] = [80.0] * 4 + [None]
    new["fasting_glucose_mmol_l"] = [None] * 4 + [6.0]
    frames["followups"] = pd.concat([fu, new], ignore_index=True)
    return Dataset.from_frames(frames, period=Period(_d("2016-01-01"), _d("2017-12-31")))


@pytest.fixture(scope="module")
def data():
    return c2_lacking_2017()


def cell(r, indicator, unit, year):
    f = r.select(indicators=[indicator], units=[unit])
    return f.loc[f["period_key"] == year].iloc[0]


def test_the_total_is_empty_in_a_year_one_county_lacks(data):
    r = compute(data, indicators=IDS, level="total", period="year")
    # c2 lacks 2017 (and 2016's months after January: its year is kept, said too low)
    assert r.county_empty_periods["c2"]["year"] == (2017,)
    assert "year" not in r.county_empty_periods["c1"]  # c1 lacks January 2016 alone
    for ind in IDS:
        y2017 = cell(r, ind, "total", 2017)
        assert pd.isna(y2017["numerator"]) and pd.isna(y2017["denominator"]), ind
    managed = cell(r, MANAGED, "total", 2016)
    assert (managed["numerator"], managed["denominator"], managed["value"]) == (1, 2, 50.0)
    controlled = cell(r, CONTROLLED, "total", 2016)
    assert (controlled["numerator"], controlled["denominator"]) == (2, 2)


def test_the_county_lacking_the_year_is_empty_and_the_other_kept(data):
    r = compute(data, indicators=[MANAGED], level="county", period="year")
    c2 = cell(r, MANAGED, "c2", 2017)
    assert pd.isna(c2["numerator"]) and pd.isna(c2["denominator"])  # was 0 of 0
    c1 = cell(r, MANAGED, "c1", 2017)
    assert (c1["numerator"], c1["denominator"], c1["value"]) == (2, 4, 50.0)
    assert cell(r, MANAGED, "c2", 2016)["numerator"] == 1
    grids = compute(data, indicators=[MANAGED], level="grid", period="year")
    assert pd.isna(cell(grids, MANAGED, "g3", 2017)["denominator"])
    cmc = compute(data, indicators=[MANAGED], level="consortium", period="year")
    assert cell(cmc, MANAGED, "cmc", 2017)["numerator"] == 2  # c1's grids alone


def test_the_note_names_the_year(data):
    r = compute(data, indicators=[MANAGED], level="county", period="year")
    (note,) = [n for n in empty_period_notes(r) if "none for county c2" in n]
    assert f"those by year ({MANAGED}) are left empty for them in 2017" in note
