"""Worked examples: every expected value is worked out by hand from tests/indicators/conftest.py."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period
from ihms.errors import InputError
from ihms.indicators import CATALOGUE, compute


def value(results, indicator, unit, period):
    rows = results.select(indicators=[indicator], units=[unit], periods=[period])
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_primary_care_share_of_healthcare_visits(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "healthcare_visits_primary_share",
            "healthcare_visits_hospital_share",
            "healthcare_visits",
        ],
        level="total",
        period="year",
    )
    # 2016: 10 preventive visits; VC1 3 + THC1 2 + THC2 2 = 7 in primary care -> 70 %,
    # CH 3 at a hospital -> 30 %.
    row = value(r, "healthcare_visits_primary_share", "total", 2016)
    assert (row.numerator, row.denominator) == (7, 10)
    assert row.value == pytest.approx(70.0, rel=1e-12)
    assert value(r, "healthcare_visits_hospital_share", "total", 2016).value == pytest.approx(
        30.0, rel=1e-12
    )
    # 2017: VC1 1 + THC2 1 = 2 primary out of 5 (CH 2, PH 1 hospitals) -> 40 %.
    assert value(r, "healthcare_visits_primary_share", "total", 2017).value == pytest.approx(
        40.0, rel=1e-12
    )
    assert value(r, "healthcare_visits", "total", 2017).numerator == 5


def test_outpatient_contacts_count_every_ambulatory_encounter(tiny_dataset):
    # 诊疗人次: 2016 has 10 preventive visits (p1-p10) and 4 outpatient and emergency
    # visits (o1-o4) = 14, the stays i1-i3 not counted; 2017 has p11-p15 and o5-o6 = 7.
    # At tier level the county hospital CH: p6-p8, o1, o3 in 2016 = 5.
    r = compute(tiny_dataset, indicators=["outpatient_contacts"], level="total", period="year")
    assert value(r, "outpatient_contacts", "total", 2016).value == 14
    assert value(r, "outpatient_contacts", "total", 2017).value == 7
    r = compute(
        tiny_dataset, indicators=["outpatient_contacts"], level="institution", period="year"
    )
    assert value(r, "outpatient_contacts", "CH", 2016).value == 5


def test_primary_share_of_outpatient_contacts(tiny_dataset):
    # Table 4's primary-care share read over 诊疗人次: 2016's 14 contacts have 7 preventive
    # visits at VC1, THC1, THC2 and o2 (THC1) in primary care -> 8 / 14; 2017's 7 have
    # p11 (VC1), THC2's preventive visit and o5 (VC1) -> 3 / 7. In county c1 in 2017 PH's
    # preventive visit belongs to 'out': 3 of 6 -> 50 %.
    share = "outpatient_contacts_primary_share"
    for level, unit, year, counts in (
        ("total", "total", 2016, (8, 14)),
        ("total", "total", 2017, (3, 7)),
        ("county", "c1", 2017, (3, 6)),
    ):
        r = compute(tiny_dataset, indicators=[share], level=level, period="year")
        row = value(r, share, unit, year)
        assert (row.numerator, row.denominator) == counts
        assert row.value == pytest.approx(100 * counts[0] / counts[1], rel=1e-12)


def test_county_level_counts_only_institutions_in_the_county(tiny_dataset):
    r = compute(
        tiny_dataset, indicators=["healthcare_visits_primary_share"], level="county", period="year"
    )
    # 2017 in county c1: PH's visit belongs to county 'out' -> 2 primary of 4 = 50 %.
    assert value(r, "healthcare_visits_primary_share", "c1", 2017).value == pytest.approx(
        50.0, rel=1e-12
    )
    assert value(r, "healthcare_visits_primary_share", "out", 2017).value == pytest.approx(
        0.0, abs=0
    )


def test_hospitalization_rate_uses_the_average_population(tiny_dataset):
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], level="total", period="year")
    # 2016: stays i1, i2, i3 = 3. Population at the start (2015-12-31): r1-r8 and r10 = 9
    # (r9 arrives 2016-03-15); at the end (2016-12-31): 10. Average (9 + 10) / 2 = 9.5,
    # so 3 / 9.5 x 100 = 31.58 (it was 3 / 10 = 30 % on the year-end population alone).
    row = value(r, "hospitalization_rate", "total", 2016)
    assert (row.numerator, row.denominator) == (3, 9.5)
    assert row.value == pytest.approx(300 / 9.5, rel=1e-12)
    # 2017: i4, i5 = 2; start 10, end 9 (r10 left on 2017-07-01) -> 9.5 -> 21.05 (was
    # 2 / 9 = 22.22 on the year-end population).
    row = value(r, "hospitalization_rate", "total", 2017)
    assert (row.numerator, row.denominator) == (2, 9.5)
    assert row.value == pytest.approx(200 / 9.5, rel=1e-12)


def test_monthly_population_follows_entry_and_exit(tiny_dataset):
    r = compute(tiny_dataset, indicators=["hospitalization_rate"], level="grid", period="month")
    # g2 residents at month ends: end of January and February 2016: r7, r8, r10 = 3 (r9
    # arrives 2016-03-15); end of March 2016: 4; end of June 2017: 4; end of July 2017: 3
    # (r10 left 2017-07-01). Averages of the month's start (the previous month's end) and
    # end: February 2016 (3 + 3) / 2 = 3, March 2016 (3 + 4) / 2 = 3.5, June 2017
    # (4 + 4) / 2 = 4, July 2017 (4 + 3) / 2 = 3.5.
    den = {
        p: value(r, "hospitalization_rate", "g2", p).denominator
        for p in ("2016-02", "2016-03", "2017-06", "2017-07")
    }
    assert den == {"2016-02": 3, "2016-03": 3.5, "2017-06": 4, "2017-07": 3.5}
    # May 2016 in g1: r3's stay (2016-05-10) -> 1 over (6 + 6) / 2 = 6 residents.
    assert value(r, "hospitalization_rate", "g1", "2016-05").value == pytest.approx(
        100 / 6, rel=1e-12
    )


def test_cost_per_visit_by_tier_in_yuan(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "cost_per_outpatient_visit",
            "cost_per_hospitalization",
            "outpatient_emergency_visits",
        ],
        level="tier",
        period="year",
    )
    # County hospital 2016: o1 20,000 + o3 30,000 fen over 2 visits = 250.00 yuan.
    row = value(r, "cost_per_outpatient_visit", "secondary", 2016)
    assert (row.numerator, row.denominator) == (50000, 2)
    assert row.value == pytest.approx(250.0, rel=1e-12)
    # County hospital 2016 stays: i1 500,000 fen -> 5,000 yuan.
    assert value(r, "cost_per_hospitalization", "secondary", 2016).value == pytest.approx(
        5000.0, rel=1e-12
    )
    assert value(r, "outpatient_emergency_visits", "tertiary", 2016).numerator == 1


def test_outside_county_shares_by_grid(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "outpatient_outside_county_share",
            "inpatient_outside_county_share",
            "thc_hospitalization_share",
        ],
        level="grid",
        period="year",
    )
    # 2016 outpatient: g1 residents r1 (CH), r2 (THC1) -> 0 of 2 outside; g2 residents
    # r7 (CH), r8 (PH) -> 1 of 2 = 50 %.
    assert value(r, "outpatient_outside_county_share", "g1", 2016).value == pytest.approx(
        0.0, abs=0
    )
    assert value(r, "outpatient_outside_county_share", "g2", 2016).value == pytest.approx(
        50.0, rel=1e-12
    )
    # 2016 stays of g2 residents: i3 at PH -> 1 of 1 outside; g1: i1 CH, i2 THC1 -> 0 of 2.
    assert value(r, "inpatient_outside_county_share", "g2", 2016).value == pytest.approx(
        100.0, rel=1e-12
    )
    # THC share of g1's 2016 stays: i2 at THC1 -> 1 of 2 = 50 %.
    assert value(r, "thc_hospitalization_share", "g1", 2016).value == pytest.approx(50.0, rel=1e-12)


def test_insurance_shares_use_settled_claims(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=["insurance_inside_county_share", "insurance_primary_care_share"],
        level="total",
        period="year",
    )
    # 2016 insurance for residents: inside the county o1 10,000 + o2 2,500 + o3 12,000 +
    # i1 settled 280,000 (claim c1 replaces 300,000) + i2 70,000 = 374,500; outside o4
    # 20,000 + i3 1,000,000. Total 1,394,500.
    row = value(r, "insurance_inside_county_share", "total", 2016)
    assert (row.numerator, row.denominator) == (374500, 1394500)
    assert row.value == pytest.approx(100 * 374500 / 1394500, rel=1e-12)
    # Primary care: o2 2,500 + i2 70,000 = 72,500.
    assert value(r, "insurance_primary_care_share", "total", 2016).numerator == 72500


def test_hearts_control_and_standardized_management(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=[
            "hypertension_management_rate",
            "hypertension_control_rate",
            "diabetes_management_rate",
            "diabetes_control_rate",
        ],
        level="total",
        period="year",
    )
    # Hypertension 2017, managed = r1 (4 follow-ups), r2 (2), r3 (5), r7 (1).
    # Four or more follow-ups: r1, r3 -> 2 of 4 = 50 %.
    row = value(r, "hypertension_management_rate", "total", 2017)
    assert (row.numerator, row.denominator) == (2, 4)
    # Last measurement: r1 145/92 no; r2 140/80 no (140 is not below 140); r3 128/82 yes
    # (its December visit took no reading, so September's counts); r7 138/95 no
    # (95 is not below 90) -> 1 of 4 = 25 %.
    row = value(r, "hypertension_control_rate", "total", 2017)
    assert (row.numerator, row.denominator) == (1, 4)
    assert row.value == pytest.approx(25.0, rel=1e-12)
    # 2016: only r1, one follow-up at 130/80 -> controlled 1 of 1, standard 0 of 1.
    assert value(r, "hypertension_control_rate", "total", 2016).value == pytest.approx(
        100.0, rel=1e-12
    )
    assert value(r, "hypertension_management_rate", "total", 2016).value == pytest.approx(
        0.0, abs=0
    )
    # Diabetes 2017: r4 4 follow-ups, last 6.9 < 7.0 -> standard and controlled; r8 3
    # follow-ups, last 7.0 (not below 7.0) -> neither. 1 of 2 each.
    assert value(r, "diabetes_management_rate", "total", 2017).value == pytest.approx(
        50.0, rel=1e-12
    )
    assert value(r, "diabetes_control_rate", "total", 2017).value == pytest.approx(50.0, rel=1e-12)
    # No diabetic follow-ups in 2016: no denominator, no value.
    assert math.isnan(value(r, "diabetes_control_rate", "total", 2016).value)


def test_thc_capacity(tiny_dataset):
    ids = [
        "thc_average_length_of_stay",
        "thc_bed_occupancy_rate",
        "thc_disease_spectrum_ambulatory",
        "thc_disease_spectrum_inpatient",
        "thc_gp_specialist_ratio",
        "thc_nurse_doctor_ratio",
        "thc_beds_per_institution",
        "thc_gps_per_10k",
    ]
    r = compute(
        tiny_dataset,
        indicators=[i for i in ids if i != "thc_gps_per_10k"],
        level="total",
        period="year",
    )
    # THC stays 2016: i2, 4 days at THC1 -> ALOS 4.
    assert value(r, "thc_average_length_of_stay", "total", 2016).value == pytest.approx(
        4.0, rel=1e-12
    )
    # Occupancy 2016: 4 bed-days over (10 + 20 beds) x 366 days (leap year) x 100.
    row = value(r, "thc_bed_occupancy_rate", "total", 2016)
    assert (row.numerator, row.denominator) == (4, 30 * 366)
    assert row.value == pytest.approx(400 / 10980, rel=1e-12)
    # Ambulatory spectrum 2016: THC1 saw J06 (1 group); THC2 saw no ambulatory
    # diagnosis, so the average is over THC1 alone -> 1.
    row = value(r, "thc_disease_spectrum_ambulatory", "total", 2016)
    assert (row.numerator, row.denominator) == (1, 1)
    # 2017: no THC saw an ambulatory diagnosis -> no value.
    assert math.isnan(value(r, "thc_disease_spectrum_ambulatory", "total", 2017).value)
    assert value(r, "thc_disease_spectrum_inpatient", "total", 2017).value == pytest.approx(
        1.0, rel=1e-12
    )
    # GPs / specialists at THCs: (3 + 1) / (2 + 3) = 0.8; nurses / doctors 9 / 9 = 1.
    assert value(r, "thc_gp_specialist_ratio", "total", 2016).value == pytest.approx(0.8, rel=1e-12)
    assert value(r, "thc_nurse_doctor_ratio", "total", 2016).value == pytest.approx(1.0, rel=1e-12)
    # Beds per THC: 30 beds over the 2 THCs operating -> 15.
    assert value(r, "thc_beds_per_institution", "total", 2016).value == pytest.approx(
        15.0, rel=1e-12
    )
    c = compute(tiny_dataset, indicators=["thc_gps_per_10k"], level="county", period="year")
    # County c1 2016: 4 THC GPs per 10 residents x 10,000 = 4,000.
    assert value(c, "thc_gps_per_10k", "c1", 2016).value == pytest.approx(4000.0, rel=1e-12)


def test_referral_direction_follows_tiers(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=["referrals_up", "referrals_down"],
        level="institution",
        period="year",
    )
    # x1 CH -> PH (secondary to tertiary) up in 2016; x2 VC1 -> THC1 up and x3 CH -> THC1
    # down in 2017.
    assert value(r, "referrals_up", "CH", 2016).numerator == 1
    assert value(r, "referrals_up", "VC1", 2017).numerator == 1
    assert value(r, "referrals_down", "CH", 2017).numerator == 1
    assert value(r, "referrals_down", "CH", 2016).numerator == 0


def test_tertiary_shares(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=["tertiary_outpatient_share", "tertiary_institution_share"],
        level="total",
        period="year",
    )
    # 2016 outpatient: o4 at PH of 4 visits -> 25 %; institutions: PH of 5 -> 20 %.
    assert value(r, "tertiary_outpatient_share", "total", 2016).value == pytest.approx(
        25.0, rel=1e-12
    )
    assert value(r, "tertiary_institution_share", "total", 2016).value == pytest.approx(
        20.0, rel=1e-12
    )


def test_whole_catalogue_falls_back_to_allowed_levels(tiny_dataset):
    r = compute(tiny_dataset, level="institution", period="month")
    f = r.to_frame()
    # off_pathway_referrals needs the system file's pathway (no system given: left out)
    assert set(f["indicator"]) == set(CATALOGUE.ids()) - {"off_pathway_referrals"}
    levels = f.groupby("indicator")["level"].first()
    assert levels["hospitalization_rate"] == "grid"
    assert levels["outpatient_emergency_visits"] == "institution"
    assert levels["thc_gps_per_10k"] == "grid"
    periods = f.groupby("indicator")["period_type"].first()
    assert periods["hypertension_control_rate"] == "year"
    assert periods["hospitalizations"] == "month"
    # 24 months of CH hospitalizations, with zero months filled in
    ch = r.select(indicators=["hospitalizations"], units=["CH"])
    assert len(ch) == 24
    assert ch["numerator"].sum() == 2


def test_named_indicator_at_a_level_it_does_not_allow_is_an_error(tiny_dataset):
    with pytest.raises(
        InputError,
        match=r"hospitalization_rate.*levels total, province, city, county, grid, consortium",
    ):
        compute(tiny_dataset, indicators=["hospitalization_rate"], level="institution")
    with pytest.raises(InputError, match="did you mean 'hospitalizations'"):
        compute(tiny_dataset, indicators=["hospitalisations"])
    with pytest.raises(InputError, match="parameter 'level': expected one of"):
        compute(tiny_dataset, level="prefecture")


def _money(tables, **columns):
    """The tiny county's resources with money columns (CH, THC1, THC2 x 2016, 2017)."""
    res = tables["resources"]
    for name, values in columns.items():
        res[name] = pd.array(values, dtype="Int64")
    return Dataset.from_frames(tables, period=Period(date(2016, 1, 1), date(2017, 12, 31)))


FEE = ["thc_consultation_fee_share", "thc_personnel_cost_share"]


def test_money_never_recorded_is_missing_not_zero(tiny_tables):
    # Revenue and personnel cost are recorded, consultation fees and expense are not
    # (the county simulator's resources): both shares are unknown, not 0 %.
    data = _money(
        tiny_tables,
        revenue_fen=[9000, 1000, 3000] * 2,
        personnel_cost_fen=[4000, 400, 600] * 2,
    )
    r = compute(data, indicators=FEE, level="total", period="year")
    for ind in FEE:
        for year in (2016, 2017):
            row = value(r, ind, "total", year)
            assert math.isnan(row.value)
    row = value(r, "thc_consultation_fee_share", "total", 2016)
    assert pd.isna(row.numerator) and row.denominator == 4000  # THC1 + THC2 revenue
    row = value(r, "thc_personnel_cost_share", "total", 2016)
    assert row.numerator == 1000 and pd.isna(row.denominator)


def test_sum_over_partly_missing_money_is_missing(tiny_tables):
    # THC1 reports consultation fees (100 fen of 1,000), THC2 does not (null in 2016,
    # 500 in 2017): the THC total of 2016 is unknown, THC1's own share is 10 %;
    # 2017: (100 + 500) / (1,000 + 3,000) = 15 %.
    data = _money(
        tiny_tables,
        revenue_fen=[9000, 1000, 3000] * 2,
        consultation_income_fen=[900, 100, None, 900, 100, 500],
    )
    ind = ["thc_consultation_fee_share"]
    total = compute(data, indicators=ind, level="total", period="year")
    assert math.isnan(value(total, ind[0], "total", 2016).value)
    assert value(total, ind[0], "total", 2017).value == pytest.approx(15.0, rel=1e-12)
    by_inst = compute(data, indicators=ind, level="institution", period="year")
    assert value(by_inst, ind[0], "THC1", 2016).value == pytest.approx(10.0, rel=1e-12)
    assert math.isnan(value(by_inst, ind[0], "THC2", 2016).value)


def test_an_open_institution_without_a_resources_row_makes_sums_missing(tiny_tables):
    # THC2 has no resources row for 2017: the THCs' 2017 revenue is unknown, not THC1's
    # alone; 2016: (1,000 + 3,000) fen / 2 THCs = 2,000 fen = 2e-5 million yuan.
    res = tiny_tables["resources"]
    tiny_tables["resources"] = res[~((res.institution_id == "THC2") & (res.year == 2017))].copy()
    data = _money(tiny_tables, revenue_fen=[9000, 1000, 3000, 9000, 1000])
    r = compute(data, indicators=["thc_revenue_per_institution"], level="total", period="year")
    assert value(r, "thc_revenue_per_institution", "total", 2016).value == pytest.approx(
        2e-5, rel=1e-12
    )
    row = value(r, "thc_revenue_per_institution", "total", 2017)
    assert math.isnan(row.value) and pd.isna(row.numerator)


def test_engine_sum_with_a_null_value_is_missing_and_a_count_stays():
    import ibis

    from ihms.indicators._engine import aggregate
    from ihms.indicators.catalogue import Measure

    facts = ibis.memtable(
        pd.DataFrame(
            {
                "period_key": [2016, 2016, 2017, 2017],
                "institution_id": ["A", "A", "A", "B"],
                "length_of_stay_days": pd.array([3, None, 4, None], dtype="Int64"),
            }
        )
    )
    total = Measure("encounters", "sum", "length_of_stay_days")
    count = Measure("encounters", "count")
    out = aggregate(facts, ["period_key", "institution_id"], [total, count])
    out = out.set_index(["period_key", "institution_id"]).sort_index()
    # A 2016: 3 + unknown -> missing; A 2017: 4; B 2017: only unknown -> missing.
    assert pd.isna(out.loc[(2016, "A"), total.engine_key])
    assert out.loc[(2017, "A"), total.engine_key] == 4
    assert pd.isna(out.loc[(2017, "B"), total.engine_key])
    assert list(out[count.engine_key]) == [2, 1, 1]


def test_ratios_per_resident_leave_out_units_without_residents(tiny_tables):
    # PH stands in county 'out', which has no grid and so no residents in the data: its
    # beds give 'out' no row of beds per 1,000 residents (a ratio over nobody). VC1 gets
    # its 0-bed rows so that c1's sum exists.
    extra = pd.DataFrame(
        {
            "institution_id": ["PH", "VC1"] * 2,
            "year": [2016, 2016, 2017, 2017],
            "beds": [500, 0] * 2,
            "gps": [10, 0] * 2,
            "specialists": [90, 0] * 2,
            "nurses": [200, 0] * 2,
        }
    )
    tiny_tables["resources"] = pd.concat([tiny_tables["resources"], extra], ignore_index=True)
    data = Dataset.from_frames(tiny_tables, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    r = compute(data, indicators=["beds_per_1000"], level="county", period="year")
    assert set(r.to_frame()["unit"]) == {"c1"}
    # c1: CH 100 + THC1 10 + THC2 20 + VC1 0 = 130 beds; residents on 2016-12-31: all
    # ten (r9 arrived in March) -> 13,000 per 1,000; on 2017-12-31 nine (r10 left in
    # July) -> 130 / 9 x 1,000.
    assert value(r, "beds_per_1000", "c1", 2016).value == pytest.approx(13_000.0, rel=1e-12)
    assert value(r, "beds_per_1000", "c1", 2017).value == pytest.approx(130_000 / 9, rel=1e-12)
    # a share among institutions still has a row for 'out' (PH's 500 of its 500 beds),
    # and the total takes PH in: 500 of 130 + 500 = 630 beds
    t = compute(data, indicators=["tertiary_bed_share"], level="county", period="year")
    assert value(t, "tertiary_bed_share", "out", 2016).value == pytest.approx(100.0, rel=1e-12)
    total = compute(data, indicators=["tertiary_bed_share"], level="total", period="year")
    assert value(total, "tertiary_bed_share", "total", 2016).value == pytest.approx(
        100 * 500 / 630, rel=1e-12
    )
