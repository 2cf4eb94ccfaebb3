"""Referrals received, lateral referrals, off-pathway referrals, containment and the unit
rows (session 20 user review, findings 4, 8 and 12). Every number is worked out by hand
from the tiny county of tests/indicators/conftest.py plus the two referrals added here."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes
from ihms.system import parse_system

from .conftest import TINY_YAML

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))


def value(results, indicator, unit, period):
    rows = results.select(indicators=[indicator], units=[unit], periods=[period])
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.fixture
def referred(tiny_tables) -> Dataset:
    """The tiny county with x4 PH -> THC2 (down, from the provincial hospital into c1)
    and x5 THC1 -> THC2 (lateral: two township health centres), both in 2017."""
    extra = pd.DataFrame(
        {
            "referral_id": ["x4", "x5"],
            "resident_id": ["r8", "r2"],
            "date": [date(2017, 5, 1), date(2017, 6, 1)],
            "from_institution_id": ["PH", "THC1"],
            "to_institution_id": ["THC2", "THC2"],
        }
    )
    tiny_tables["referrals"] = pd.concat([tiny_tables["referrals"], extra], ignore_index=True)
    return Dataset.from_frames(tiny_tables, period=PERIOD)


def test_referrals_received_count_under_the_receiving_institution(referred):
    ids = ["referrals_down", "referrals_down_received", "referrals_up_received"]
    r = compute(referred, indicators=ids, level="county", period="year")
    # Sent (by from_institution_id) in 2017: x3 CH -> THC1 down from c1, x4 PH -> THC2
    # down from 'out'.
    assert value(r, "referrals_down", "c1", 2017).numerator == 1
    assert value(r, "referrals_down", "out", 2017).numerator == 1
    # Received (by to_institution_id) in 2017: x3 and x4 both arrive in c1 (THC1, THC2).
    assert value(r, "referrals_down_received", "c1", 2017).numerator == 2
    assert value(r, "referrals_down_received", "out", 2017).numerator == 0
    # Up received: 2016 x1 CH -> PH arrives in 'out'; 2017 x2 VC1 -> THC1 in c1.
    assert value(r, "referrals_up_received", "out", 2016).numerator == 1
    assert value(r, "referrals_up_received", "c1", 2016).numerator == 0
    assert value(r, "referrals_up_received", "c1", 2017).numerator == 1
    i = compute(referred, indicators=["referrals_down_received"], level="institution")
    assert value(i, "referrals_down_received", "THC2", 2017).numerator == 1
    assert value(i, "referrals_down_received", "THC1", 2017).numerator == 1


def test_lateral_referrals_are_counted_in_a_note(referred):
    r = compute(referred, indicators=["referrals_up"], level="county", period="year")
    # x5 THC1 -> THC2: two primary centres, neither up nor down; one in 2017.
    notes = [n for n in empty_period_notes(r) if "lateral" in n]
    assert len(notes) == 1
    assert "1 lateral referral" in notes[0] and "2017 1" in notes[0]
    # nothing said when no indicator counts referrals
    v = compute(referred, indicators=["outpatient_emergency_visits"], level="county")
    assert not [n for n in empty_period_notes(v) if "lateral" in n]


def test_unit_rows_do_not_depend_on_the_other_indicators_asked(tiny_dataset):
    alone = compute(tiny_dataset, indicators=["referrals_up"], level="county", period="year")
    both = compute(
        tiny_dataset, indicators=["referrals_up", "referrals_down"], level="county", period="year"
    )
    # PH (county 'out') sends no referral at all in the tiny county; 'out' exists in the
    # data (it holds PH), so it has a row with a real 0 either way.
    assert set(alone.to_frame()["unit"]) == {"c1", "out"}
    up = both.select(indicators=["referrals_up"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.to_frame(), up)
    assert value(alone, "referrals_up", "out", 2016).numerator == 0


def test_a_consortium_before_its_start_year_is_missing_not_zero(tiny_dataset):
    r = compute(
        tiny_dataset, indicators=["outpatient_emergency_visits"], level="consortium", period="year"
    )
    # cmc starts in 2017: its 2016 cell is missing (o1-o3 at its future members are not
    # the consortium's), 2017 counts o5 at VC1 and o6 at CH -> 2.
    row = value(r, "outpatient_emergency_visits", "cmc", 2016)
    assert pd.isna(row.numerator) and math.isnan(row.value)
    assert value(r, "outpatient_emergency_visits", "cmc", 2017).numerator == 2
    notes = [n for n in empty_period_notes(r) if "cmc" in n]
    assert len(notes) == 1 and "2017" in notes[0]
    # by month likewise: June 2016 (o1-o3) is missing; March 2017, a month with
    # encounters (p13, p14) but no outpatient visit at cmc, a real 0
    m = compute(
        tiny_dataset, indicators=["outpatient_emergency_visits"], level="consortium", period="month"
    )
    assert pd.isna(value(m, "outpatient_emergency_visits", "cmc", "2016-06").numerator)
    assert value(m, "outpatient_emergency_visits", "cmc", "2017-03").numerator == 0


def test_containment_is_100_minus_the_outside_shares(tiny_dataset):
    ids = [
        "inpatient_within_county_share",
        "outpatient_within_county_share",
        "inpatient_outside_county_share",
    ]
    r = compute(tiny_dataset, indicators=ids, level="county", period="year")
    # c1's residents' stays in 2016: i1 (CH), i2 (THC1), i3 (PH, outside) -> 2 of 3 in the
    # county; 2017: i4 (THC2), i5 (CH) -> 2 of 2.
    row = value(r, "inpatient_within_county_share", "c1", 2016)
    assert (row.numerator, row.denominator) == (2, 3)
    assert row.value == pytest.approx(200 / 3, rel=1e-12)
    outside = value(r, "inpatient_outside_county_share", "c1", 2016).value
    assert row.value + outside == pytest.approx(100.0, rel=1e-12)
    assert value(r, "inpatient_within_county_share", "c1", 2017).value == pytest.approx(
        100.0, rel=1e-12
    )
    # outpatient and emergency 2016: o1 CH, o2 THC1, o3 CH, o4 PH (outside) -> 3 of 4.
    row = value(r, "outpatient_within_county_share", "c1", 2016)
    assert (row.numerator, row.denominator) == (3, 4)


def test_off_pathway_referrals_against_the_declared_pathway(referred):
    system = parse_system(TINY_YAML, source="tiny.yaml")
    r = compute(
        referred,
        indicators=["off_pathway_referrals"],
        level="institution",
        period="year",
        system=system,
    )
    # The pathway (ihms.system.referral_pathway, by year):
    # 2016, before cmc: CH, in no consortium, refers up to the tertiary hospitals (the
    # tier above, as THC1 and THC2 refer to the county's hospital) -> x1 CH -> PH on it
    # (it was off it while a hospital of no consortium had no target: revind review,
    # session 28, finding 2).
    # 2017, cmc (lead CH, refers_up_to PH): VC1 up = its parent THC1 -> x2 on it;
    # CH down = the centres of cmc, THC1 and THC2 -> x3 CH -> THC1 on it;
    # PH down = the lead of the consortia referring to it, CH -> x4 PH -> THC2 off it;
    # x5 is lateral and not judged.
    assert value(r, "off_pathway_referrals", "CH", 2016).numerator == 0
    assert value(r, "off_pathway_referrals", "CH", 2017).numerator == 0
    assert value(r, "off_pathway_referrals", "PH", 2017).numerator == 1
    assert value(r, "off_pathway_referrals", "VC1", 2017).numerator == 0
    assert value(r, "off_pathway_referrals", "THC1", 2017).numerator == 0
    t = compute(referred, indicators=["off_pathway_referrals"], level="total", system=system)
    assert [value(t, "off_pathway_referrals", "total", y).numerator for y in (2016, 2017)] == [0, 1]


def test_off_pathway_referrals_need_the_system_file(referred):
    r = compute(referred, level="total", period="year")  # the whole catalogue, no system
    (omission,) = [o for o in r.omitted if o.indicator == "off_pathway_referrals"]
    assert "system" in omission.reason


def test_an_institution_outside_its_active_years_is_missing_not_zero(tiny_tables):
    # VC1 opens in 2017 (its 2016 records p1-p3 and f01 taken out, as validation asks).
    inst = tiny_tables["institutions"]
    inst["active_from"] = inst["active_from"].mask(inst["institution_id"] == "VC1", 2017)
    for name in ("encounters", "followups"):
        frame = tiny_tables[name]
        early = (frame["institution_id"] == "VC1") & (frame["date"].astype(str) < "2017")
        tiny_tables[name] = frame[~early]
    data = Dataset.from_frames(tiny_tables, period=PERIOD)
    r = compute(data, indicators=["healthcare_visits"], level="institution", period="year")
    # 2016: VC1 did not operate -> missing; THC2 operated and had p9, p10 -> 2;
    # 2017: VC1's p11 -> 1.
    assert pd.isna(value(r, "healthcare_visits", "VC1", 2016).numerator)
    assert value(r, "healthcare_visits", "VC1", 2017).numerator == 1
    assert value(r, "healthcare_visits", "THC2", 2016).numerator == 2
    (note,) = [n for n in empty_period_notes(r) if "VC1" in n]
    assert "VC1 (from 2017)" in note


def test_the_catalogue_states_the_per_tier_pathway_the_count_applies(tiny_tables):
    # Session 20 review A, M5: the pathway is per tier (ihms.system.referral), not
    # "primary care up to the lead, down the reverse". In 2017 (cmc, lead CH): y1 VC1 ->
    # CH up bypasses VC1's parent centre THC1 -> off it; y2 CH -> VC1 down skips the
    # centre too (the secondary lead refers down to the centres of its grids) -> off; y3
    # THC1 -> CH up is the centre to its consortium's lead -> on it.
    from ihms.indicators import CATALOGUE

    extra = pd.DataFrame(
        {
            "referral_id": ["y1", "y2", "y3"],
            "resident_id": ["r1", "r1", "r2"],
            "date": [date(2017, 4, 1), date(2017, 4, 9), date(2017, 5, 1)],
            "from_institution_id": ["VC1", "CH", "THC1"],
            "to_institution_id": ["CH", "VC1", "CH"],
        }
    )
    tiny_tables["referrals"] = pd.concat([tiny_tables["referrals"], extra], ignore_index=True)
    data = Dataset.from_frames(tiny_tables, period=PERIOD)
    system = parse_system(TINY_YAML, source="tiny.yaml")
    r = compute(data, indicators=["off_pathway_referrals"], level="institution", system=system)
    # 2017: VC1 sent x2 (on) and y1 (off); CH sent x3 (on) and y2 (off); THC1 y3 (on).
    assert value(r, "off_pathway_referrals", "VC1", 2017).numerator == 1
    assert value(r, "off_pathway_referrals", "CH", 2017).numerator == 1
    assert value(r, "off_pathway_referrals", "THC1", 2017).numerator == 0
    text = " ".join(CATALOGUE["off_pathway_referrals"].description.split())
    for rule in (
        "a village clinic up to its parent centre",
        "a primary centre or hospital up to its consortium's lead",
        "a secondary hospital down to the primary centres of its consortium's grids",
        "a centre down to its village clinics",
    ):
        assert rule in text, rule
    assert "down the reverse" not in text
