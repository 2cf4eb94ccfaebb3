"""Seed 002's Table 4 visits are the county's 诊疗人次 (every outpatient contact): the
calibration measures them, and their primary-care share, over all outpatient contacts,
and fits the county hospitals' 2016 level of visits that reading gives (until 2026-11-26
a preventive stream was tuned to Table 4 beside the illness visits, so the model counted
the county's contacts about twice).

Golden figures from Zhong et al. 2023, Table 4: number of healthcare outpatient visits
(10k) 134.2, 202.3, 190.6, 254.6 (2016-2019); primary-care share 50.8, 63.0, 60.8,
69.2 %; so the hospitals' 49.2 % of 1,342,000 is 660,264 county-hospital visits in 2016,
55,022 a month, the level Table 3's terms (county hospitals' outpatient and emergency
visits per month: pre-reform slope 578.3, level change -2470.3, slope change -459.9)
carry to about 767,000 in 2019 against Table 4's 30.8 % of 2,546,000 = 784,168.
"""

import pandas as pd
import pytest

from ihms.sim._calibration_zh import departure_zh
from ihms.sim._words_zh import said_cell
from ihms.sim.calibrate import TARGETS, calibration_of
from ihms.sim.targets import _CH_LEVEL, _IN_2017

TABLE_4_TOTAL = {2016: 134.2, 2017: 202.3, 2018: 190.6, 2019: 254.6}  # 10,000s
TABLE_4_PRIMARY_SHARE = {2016: 50.8, 2017: 63.0, 2018: 60.8, 2019: 69.2}  # %
TABLE_4_HOSPITAL_SHARE_2016 = 49.2  # %
# 49.2 % x 1,342,000 / 12, rounded to the visit
CH_MONTH_2016 = 55_022.0
CONTACT_TYPES = ("outpatient", "emergency", "chronic_followup", "preventive")
PRIMARY_TIERS = ("village_clinic", "primary_centre")  # and township health centres


def test_table_4_is_measured_over_all_outpatient_contacts():
    by_key = {t.key: t for t in TARGETS}
    assert round(TABLE_4_HOSPITAL_SHARE_2016 / 100 * TABLE_4_TOTAL[2016] * 1e4 / 12) == (
        CH_MONTH_2016
    )
    assert TABLE_4_HOSPITAL_SHARE_2016 + TABLE_4_PRIMARY_SHARE[2016] == 100.0
    for year in TABLE_4_TOTAL:
        total = by_key[f"outpatient_contacts_{year}"]
        share = by_key[f"outpatient_contacts_primary_share_{year}"]
        assert (total.value, total.indicator, share.value, share.indicator) == (
            TABLE_4_TOTAL[year],
            "outpatient_contacts",
            TABLE_4_PRIMARY_SHARE[year],
            "outpatient_contacts_primary_share",
        )
        assert total.scaled and total.per == 1e4 and not share.scaled
        gated = year in (2016, 2019)
        for t in (total, share):
            assert t.source == "Zhong et al. 2023, Table 4" and t.tier is None
            assert (t.rule == "relative") == gated and t.fitted == gated
            assert t.note == (None if gated else _IN_2017)
    # the preventive stream is no target any more
    assert not any(t.indicator and t.indicator.startswith("healthcare_visits") for t in TARGETS)
    ch = by_key["ch_visits_month_2016"]
    assert (ch.value, ch.year, ch.indicator, ch.tier) == (
        CH_MONTH_2016,
        2016,
        "outpatient_contacts",
        "secondary",
    )
    # shown (derived, not printed), but fitted at half weight
    assert ch.rule == "shown" and ch.fit and ch.fitted and ch.scaled and ch.per == 12
    for words in ("诊疗人次", "49.2 % of 134.2", "chronic follow-ups and health examinations"):
        assert words in _CH_LEVEL


@pytest.fixture(scope="module")
def checked(small_run, small_tables):
    return calibration_of(small_run, small_run.sink.dataset(validate=False))


def test_the_contacts_are_every_outpatient_contact_of_the_county(checked, small_run, small_tables):
    enc, inst = small_tables["encounters"], small_tables["institutions"]
    county = inst.loc[inst["county_id"] == small_run.county, "institution_id"]
    enc = enc[enc["institution_id"].isin(county)]
    year = pd.to_datetime(enc["date"]).dt.year
    tier = enc["institution_id"].map(inst.set_index("institution_id")["tier"])
    scale = checked.details["scale"]
    contacts = enc["type"].isin(CONTACT_TYPES)
    for y in TABLE_4_TOTAL:
        n = int((contacts & (year == y)).sum())
        primary = int((contacts & (year == y) & tier.isin(PRIMARY_TIERS)).sum())
        frame = checked.frame
        assert frame.loc[f"outpatient_contacts_{y}", "simulated"] == pytest.approx(n * scale / 1e4)
        assert frame.loc[f"outpatient_contacts_primary_share_{y}", "simulated"] == pytest.approx(
            100 * primary / n
        )
    # like with like (session 35's review, A8): Table 4's county-hospital share counts
    # their 诊疗人次, so every contact there, chronic follow-ups with the visits
    ch = enc[(tier == "secondary") & contacts & (year == 2016)]
    visits = ch["type"].isin(["outpatient", "emergency"])
    assert 0 < visits.sum() < len(ch)  # the measure changed: follow-ups are counted too
    assert checked.frame.loc["ch_visits_month_2016", "simulated"] == pytest.approx(
        len(ch) * scale / 12
    )
    # health examinations only: a small part of the contacts (about 0.2 a resident a year
    # against Table 4's 3.75 in 2016)
    preventive = (enc["type"] == "preventive") & (year == 2016)
    assert preventive.sum() < 0.1 * (contacts & (year == 2016)).sum()


def test_the_figures_and_reasons_are_said_in_chinese():
    assert said_cell("Outpatient contacts per year (10,000s) 2016") == "诊疗人次（万人次），2016年"
    assert said_cell("Primary-care share of outpatient contacts (%) 2019") == (
        "诊疗人次基层占比（%），2019年"
    )
    assert said_cell("CH outpatient contacts per month 2016") == "县级医院月均诊疗人次，2016年"
    said = departure_zh(
        "CH outpatient contacts per month 2016: simulated 24,579.68 against 55,022.00 "
        f"(Zhong et al. 2023, Table 4) — {_CH_LEVEL}."
    )
    assert said is not None and said.startswith("县级医院月均诊疗人次，2016年：模拟值 24,579.68")
    assert "诊疗人次" in said and "慢性病随访和健康体检" in said
