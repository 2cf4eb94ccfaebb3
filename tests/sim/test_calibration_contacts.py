"""Seed 002's Table 4 visits read as the county's 诊疗人次 (every outpatient contact), set
beside the model's, which counts them about twice (a preventive stream tuned to Table 4
besides its illness visits and follow-ups): shown figures that depart, with the reason.

Golden figures from Zhong et al. 2023, Table 4: number of healthcare outpatient visits
(10k) 134.2 (2016) and 254.6 (2019); hospitals' share 49.2 % (2016). So 49.2 % of
1,342,000 is 660,264 county-hospital visits in 2016, 55,022 a month, the level Table 3's
terms (county hospitals' outpatient and emergency visits per month: pre-reform slope
578.3, level change -2470.3, slope change -459.9) carry to about 767,000 in 2019 against
Table 4's 30.8 % of 2,546,000 = 784,168.
"""

import pandas as pd
import pytest

from ihms.sim._calibration_zh import departure_zh
from ihms.sim._words_zh import said_cell
from ihms.sim.calibrate import TARGETS, calibration_of
from ihms.sim.targets import _CH_LEVEL, _CONTACTS

TABLE_4_TOTAL = {2016: 134.2, 2019: 254.6}  # 10,000s
TABLE_4_HOSPITAL_SHARE_2016 = 49.2  # %
# 49.2 % x 1,342,000 / 12, rounded to the visit
CH_MONTH_2016 = 55_022.0
CONTACT_TYPES = ("outpatient", "emergency", "chronic_followup", "preventive")


def test_the_figures_are_table_4_read_as_all_outpatient_contacts():
    by_key = {t.key: t for t in TARGETS}
    assert round(TABLE_4_HOSPITAL_SHARE_2016 / 100 * TABLE_4_TOTAL[2016] * 1e4 / 12) == (
        CH_MONTH_2016
    )
    for year, value in TABLE_4_TOTAL.items():
        t = by_key[f"outpatient_contacts_{year}"]
        assert (t.value, t.year, t.indicator, t.rule) == (
            value,
            year,
            "outpatient_contacts",
            "shown",
        )
        assert t.scaled and t.per == 1e4 and t.tier is None
        assert t.source == "Zhong et al. 2023, Table 4" and t.note == _CONTACTS
    ch = by_key["ch_visits_month_2016"]
    assert (ch.value, ch.year, ch.indicator, ch.tier) == (
        CH_MONTH_2016,
        2016,
        "outpatient_emergency_visits",
        "secondary",
    )
    assert ch.rule == "shown" and ch.scaled and ch.per == 12 and ch.note == _CH_LEVEL
    # shown and not fitted: the tuning never sees them
    assert not any(by_key[k].fitted for k in ("outpatient_contacts_2016", "ch_visits_month_2016"))
    # the notes name the reading and its arithmetic
    for words in ("诊疗人次", "3.75 and 7.0 a resident", "660,264", "767,311", "784,168"):
        assert words in _CONTACTS
    for words in ("诊疗人次", "49.2 % of 134.2", "55,022 a month", "Table 3"):
        assert words in _CH_LEVEL


@pytest.fixture(scope="module")
def checked(small_run, small_tables):
    return calibration_of(small_run, small_run.sink.dataset(validate=False))


def test_the_contacts_are_every_outpatient_contact_of_the_county(checked, small_run, small_tables):
    enc, inst = small_tables["encounters"], small_tables["institutions"]
    county = inst.loc[inst["county_id"] == small_run.county, "institution_id"]
    enc = enc[enc["institution_id"].isin(county)]
    year = pd.to_datetime(enc["date"]).dt.year
    scale = checked.details["scale"]
    for y in TABLE_4_TOTAL:
        n = int((enc["type"].isin(CONTACT_TYPES) & (year == y)).sum())
        assert checked.frame.loc[f"outpatient_contacts_{y}", "simulated"] == pytest.approx(
            n * scale / 1e4
        )
    tier = enc["institution_id"].map(inst.set_index("institution_id")["tier"])
    ch = enc[(tier == "secondary") & enc["type"].isin(["outpatient", "emergency"]) & (year == 2016)]
    assert checked.frame.loc["ch_visits_month_2016", "simulated"] == pytest.approx(
        len(ch) * scale / 12
    )


def test_the_model_departs_and_says_why(checked):
    frame = checked.frame
    # about twice Table 4's count (2.1 in 2016 at 80,000 residents) and less than half
    # the county hospitals' level (0.45): far outside ±10 % at any size
    assert frame.loc["outpatient_contacts_2016", "ratio"] > 1.5
    assert frame.loc["outpatient_contacts_2019", "ratio"] > 1.3
    assert frame.loc["ch_visits_month_2016", "ratio"] < 0.6
    keys = ["outpatient_contacts_2016", "outpatient_contacts_2019", "ch_visits_month_2016"]
    assert frame.loc[keys, "within"].isna().all()  # shown, never gated
    assert set(keys) <= set(checked.departures) and set(keys) <= set(checked.held_out)
    notes = checked.summary().notes
    (contacts,) = [n for n in notes if n.startswith("Outpatient contacts per year")]
    assert "Outpatient contacts per year (10,000s) 2019: simulated" in contacts
    assert contacts.endswith(f" — {_CONTACTS}.")
    (ch,) = [n for n in notes if n.startswith("CH outpatient+emergency visits per month 2016")]
    assert ch.endswith(f"against 55,022.00 (Zhong et al. 2023, Table 4) — {_CH_LEVEL}.")


def test_the_figures_and_reasons_are_said_in_chinese():
    assert said_cell("Outpatient contacts per year (10,000s) 2016") == "诊疗人次（万人次） 2016年"
    assert said_cell("CH outpatient+emergency visits per month 2016") == (
        "县级医院月均门急诊人次 2016年"
    )
    said = departure_zh(
        "CH outpatient+emergency visits per month 2016: simulated 24,579.68 against 55,022.00 "
        f"(Zhong et al. 2023, Table 4) — {_CH_LEVEL}."
    )
    assert said is not None and said.startswith("县级医院月均门急诊人次 2016年：模拟值 24,579.68")
    assert "月均55022人次" in said and "表3未列水平值" in said
    said = departure_zh(
        "Outpatient contacts per year (10,000s) 2016: simulated 277.56 against 134.20 "
        f"(Zhong et al. 2023, Table 4) — {_CONTACTS}."
    )
    assert said is not None and "诊疗人次" in said and "784168" in said
