"""Indicators whose records are missing are left out of the results, with the reason.

Worked on the tiny county of ``conftest.py``: the catalogue's 38 indicators, of which
four count follow-ups (the chronic-disease management and control rates) and two
count referrals (up and down).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ihms.data import Dataset, Period, Store
from ihms.indicators import CATALOGUE, IndicatorTables, compute

from .conftest import tiny_dataset_of_2016, tiny_frames

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))
CHRONIC = [
    "hypertension_management_rate",
    "hypertension_control_rate",
    "diabetes_management_rate",
    "diabetes_control_rate",
]

REFERRALS = [
    "referrals_up",
    "referrals_down",
    "referrals_up_received",
    "referrals_down_received",
    "off_pathway_referrals",
    "referral_down_up_ratio",
]


# the tiny county's stay i3 at PH carries referred_from_id CH
MARK = (
    "the encounters carry 1 referral mark (referred_from_id 1, referred_to_id 0), which no "
    "indicator reads: the referral counts read only the referrals table; to have them "
    "counted, write one referrals row per referral (from_institution_id, "
    "to_institution_id, date; a referral marked at both ends is one row)"
)


def _without(*tables: str) -> Dataset:
    frames = tiny_frames()
    for name in tables:
        del frames[name]
    return Dataset.from_frames(frames, period=PERIOD)


def test_empty_record_tables_leave_their_indicators_out_with_the_reason():
    r = compute(_without("followups", "referrals", "claims"), level="county")
    assert len(CATALOGUE) == 50
    # 50 - 4 counting follow-ups - 6 counting referrals = 40; the insurance shares stay
    # (encounters without claims keep their own amounts)
    assert len(r.indicators) == 40
    assert "insurance_inside_county_share" in r.indicators
    assert [(o.indicator, o.reason, o.tables) for o in r.omitted] == [
        *[(i, "table followups has no rows", ("followups",)) for i in CHRONIC],
        *[(i, f"table referrals has no rows; {MARK}", ("referrals",)) for i in REFERRALS],
    ]
    notes = r.summary().notes
    assert (
        "Not computed, table followups has no rows: hypertension_management_rate, "
        "hypertension_control_rate, diabetes_management_rate, diabetes_control_rate."
    ) in notes
    assert (
        f"Not computed, table referrals has no rows; {MARK}: referrals_up, referrals_down, "
        "referrals_up_received, referrals_down_received, off_pathway_referrals, "
        "referral_down_up_ratio."
    ) in notes
    # suppression keeps the list
    assert r.suppress(5).omitted == r.omitted


def test_no_encounters_is_not_zero_admissions():
    # Without encounters the hospitalization rate was 0 per 100 residents (0 stays
    # over a population the register gives): a table the extract lacks is not a county
    # without care. Beds per 1,000 residents count no encounter and stay.
    r = compute(
        _without("encounters", "claims"),
        indicators=["hospitalization_rate", "beds_per_1000", "hospitalizations"],
        level="county",
    )
    assert r.indicators == ["beds_per_1000"]
    assert [str(o) for o in r.omitted] == [
        "hospitalization_rate: table encounters has no rows",
        "hospitalizations: table encounters has no rows",
    ]


def test_an_absent_table_is_named_and_not_queried():
    with Store(":memory:") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        store.backend.raw_sql("DROP TABLE followups")
        tables = IndicatorTables.from_backend(store.backend, PERIOD)
        r = compute(tables, indicators=["hypertension_control_rate", "referrals_up"])
    assert [str(o) for o in r.omitted] == ["hypertension_control_rate: table followups is absent"]
    assert r.indicators == ["referrals_up"]


def test_an_indicator_no_unit_has_records_for_is_left_out():
    # The tiny county's consortium runs from 2017: in a data set of 2016 alone no
    # consortium has records, though the tables have rows.
    r = compute(
        tiny_dataset_of_2016(),
        indicators=["outpatient_emergency_visits"],
        level="consortium",
    )
    assert r.frame.empty
    assert [str(o) for o in r.omitted] == [
        "outpatient_emergency_visits: no consortium has records for it in the period"
    ]


def test_rows_carry_the_measure_unit():
    r = compute(
        _without(),
        indicators=["cost_per_outpatient_visit", "hospitalization_rate"],
        level="county",
    )
    f = r.to_frame()
    # 'unit' stays the place (the county, and the provincial hospital's for the cost);
    # 'measure_unit' is what the value is measured in, from the catalogue
    assert set(f["unit"]) == {"c1", "out"}
    units = dict(zip(f["indicator"], f["measure_unit"], strict=False))
    assert units == {
        "cost_per_outpatient_visit": CATALOGUE["cost_per_outpatient_visit"].unit,
        "hospitalization_rate": CATALOGUE["hospitalization_rate"].unit,
    }
    assert units["cost_per_outpatient_visit"] == "yuan per visit"
    assert list(f.columns)[-1] == "measure_unit"


def test_an_absent_claims_table_leaves_the_encounters_their_own_amounts():
    # Claims are not a table whose records an indicator counts: without any (an extract
    # or a Spark session that has no claims table) the encounters' own amounts stand,
    # as with an empty one. An absent table raised ibis' TableNotFound instead.
    ids = ["insurance_inside_county_share", "hospitalizations"]
    with Store(":memory:") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        store.backend.raw_sql("DELETE FROM claims")
        empty = compute(store, indicators=ids, level="total")
        store.backend.raw_sql("DROP TABLE claims")
        absent = compute(store, indicators=ids, level="total")
    assert absent.omitted == ()
    pd.testing.assert_frame_equal(absent.frame, empty.frame, check_exact=True)
    # 2016 insurance paid, with r3's stay at its own 300,000 fen (settled at 280,000,
    # tests/indicators/test_compute.py): o1 10,000 + o2 2,500 + o3 12,000 + o4 20,000 +
    # i1 300,000 + i2 70,000 + i3 1,000,000 = 1,414,500; outside the county (PH) o4 and
    # i3, 1,020,000; inside 394,500.
    row = absent.select(indicators=["insurance_inside_county_share"], periods=["2016"]).iloc[0]
    assert (row.numerator, row.denominator) == (394500, 1414500)


def test_the_reason_names_every_table_lacking_and_how():
    with Store(":memory:") as store:
        store.write(Dataset.from_frames(tiny_frames(), period=PERIOD))
        store.backend.raw_sql("DELETE FROM claims")
        store.backend.raw_sql("DELETE FROM encounters")
        store.backend.raw_sql("DELETE FROM residents")
        ids = ["hospitalization_rate", "referrals_up"]
        both_empty = compute(store, indicators=ids, level="county")
        store.backend.raw_sql("DROP TABLE residents")
        one_absent = compute(store, indicators=[*ids, "beds_per_1000"], level="county")
    assert [(o.indicator, o.reason, o.tables) for o in both_empty.omitted] == [
        (
            "hospitalization_rate",
            "tables encounters and residents have no rows",
            ("encounters", "residents"),
        )
    ]
    assert [(o.indicator, o.reason, o.tables) for o in one_absent.omitted] == [
        (
            "hospitalization_rate",
            "table encounters has no rows; table residents is absent",
            ("encounters", "residents"),
        ),
        ("beds_per_1000", "table residents is absent", ("residents",)),
    ]
    assert one_absent.indicators == both_empty.indicators == ["referrals_up"]
    # as plain data, ready for JSON
    assert one_absent.omitted[0].to_dict() == {
        "indicator": "hospitalization_rate",
        "reason": "table encounters has no rows; table residents is absent",
        "tables": ["encounters", "residents"],
    }
