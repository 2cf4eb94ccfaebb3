"""The payment engine's inputs read from a store: spending, population and scorecard
values, worked out by hand on the tiny county of ``conftest.py``."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from ihms.data import Dataset, Store
from ihms.errors import DataError, InputError
from ihms.indicators import compute
from ihms.payment import (
    ASSESSMENT_INDICATORS,
    indicator_values_from_results,
    load_rules,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)


@pytest.fixture
def store(tiny_dataset):
    s = Store(":memory:")
    s.write(tiny_dataset)
    yield s
    s.close()


def _row(table, year, inst):
    f = table.frame
    rows = f[(f["year"] == year) & (f["institution_id"] == inst)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_spending_sums_settled_amounts_by_year_and_institution(store):
    sp = spending_from_store(store)  # c1 is the only county with grids
    # 2016 at CH: o1 10,000 + o3 12,000 + i1 settled by claim c1 at 280,000 (not the
    # encounter's 300,000) + three preventive visits at 0 = 302,000 fen, 6 encounters.
    ch = _row(sp, 2016, "CH")
    assert (ch["setting"], ch["insurance_paid_fen"], ch["encounters"]) == ("consortium", 302000, 6)
    # total: 3 x 1,000 + 20,000 + 30,000 + 500,000; out of pocket: 3 x 1,000 + 10,000 +
    # 18,000 + the claim's 200,000.
    assert (ch["total_cost_fen"], ch["out_of_pocket_fen"]) == (553000, 231000)
    assert not ch["primary_care"]
    # THC1 2016: o2 2,500 + i2 70,000; p4, p5 at 0 -> 72,500 fen, 4 encounters, primary care.
    thc1 = _row(sp, 2016, "THC1")
    assert (thc1["insurance_paid_fen"], thc1["encounters"], thc1["primary_care"]) == (
        72500,
        4,
        True,
    )
    # PH stands in county 'out': o4 20,000 + i3 1,000,000.
    ph = _row(sp, 2016, "PH")
    assert (ph["setting"], ph["insurance_paid_fen"], ph["primary_care"]) == (
        "outside_county",
        1020000,
        False,
    )
    # 2017: CH o6 12,500 + i5 400,000; THC2 i4 80,000; VC1 o5 1,500; PH p15 0. The
    # consortium starts in 2017, but its members' 2016 spending is the budget's history.
    assert _row(sp, 2017, "CH")["insurance_paid_fen"] == 412500
    assert _row(sp, 2017, "THC2")["insurance_paid_fen"] == 80000
    assert _row(sp, 2017, "VC1")["insurance_paid_fen"] == 1500
    assert _row(sp, 2017, "PH")["insurance_paid_fen"] == 0
    assert set(sp.frame["year"]) == {2016, 2017}
    assert sp.frame.loc[sp.frame["year"] == 2017, "encounters"].sum() == 9


def test_spending_counts_only_the_county_residents(tiny_dataset, tiny_tables):
    frames = tiny_tables
    # a resident of another county's grid treated at CH is not charged to c1's budget
    frames["grids"] = pd.concat(
        [frames["grids"], frames["grids"].iloc[[0]].assign(grid_id="o1", county_id="out")]
    )
    extra = frames["residents"].iloc[[0]].assign(resident_id="x1", grid_id="o1")
    frames["residents"] = pd.concat([frames["residents"], extra])
    enc = frames["encounters"]
    more = enc[enc["encounter_id"] == "o1"].assign(encounter_id="ox", resident_id="x1")
    frames["encounters"] = pd.concat([enc, more])
    data = Dataset.from_frames(frames, period=tiny_dataset.period)
    with Store(":memory:") as s:
        s.write(data)
        with pytest.raises(InputError, match="residents in 2 counties"):
            spending_from_store(s)
        assert (
            _row(spending_from_store(s, county_id="c1"), 2016, "CH")["insurance_paid_fen"] == 302000
        )
        out = spending_from_store(s, county_id="out")
        assert out.frame["insurance_paid_fen"].sum() == 10000
        assert _row(out, 2016, "CH")["setting"] == "outside_county"
        with pytest.raises(InputError, match="no county 'nowhere'"):
            spending_from_store(s, county_id="nowhere")


def test_public_institution_outside_every_consortium_must_be_placed(tiny_dataset, tiny_tables):
    frames = tiny_tables
    members = frames["consortium_members"]
    frames["consortium_members"] = members[members["institution_id"] != "THC1"]
    data = Dataset.from_frames(frames, period=tiny_dataset.period)
    with Store(":memory:") as s:
        s.write(data)
        with pytest.raises(DataError, match="in no consortium") as err:
            spending_from_store(s)
        assert "institution THC1" in str(err.value)
        placed = spending_from_store(s, settings={"THC1": "private"})
        assert _row(placed, 2016, "THC1")["setting"] == "private"
        assert not _row(placed, 2016, "THC1")["primary_care"]
        with pytest.raises(InputError, match="settings: expected one of"):
            spending_from_store(s, settings={"THC1": "elsewhere"})


def test_population_is_the_mean_of_month_end_counts(store):
    pop = population_from_store(store)
    # 2016: nine residents all year, r9 from 15 March (present at 10 month-ends):
    # (9 x 12 + 10) / 12 = 9.83 -> 10.
    assert pop.for_year(2016).insured_population == 10
    # 2017: nine all year, r10 leaves on 1 July (present at the Jan-Jun month-ends):
    # (9 x 12 + 6) / 12 = 9.5 -> 10 (half up).
    assert pop.for_year(2017).insured_population == 10


def test_population_counts_insured_residents_only(tiny_dataset, tiny_tables):
    frames = tiny_tables
    frames["residents"].loc[frames["residents"]["resident_id"] == "r9", "insured"] = False
    data = Dataset.from_frames(frames, period=tiny_dataset.period)
    with Store(":memory:") as s:
        s.write(data)
        # 2016: nine all year -> 9; 2017: eight all year and r10 for six months -> 8.5 -> 9
        pop = population_from_store(s)
        assert [pop.for_year(y).insured_population for y in (2016, 2017)] == [9, 9]


def test_scorecard_values_from_yearly_indicators(store):
    results = compute(
        store, indicators=list(ASSESSMENT_INDICATORS.values()), level="consortium", period="year"
    )
    values = indicator_values_from_results(results, unit="cmc")
    got = values.for_subject(2017, "consortium")
    # 2017 healthcare visits at the consortium's members: VC1 p11 and THC2 p12 in primary
    # care, CH p13 and p14 -> 2 of 4 = 50 %, i.e. 0.5 on the scorecard.
    assert got["outpatient_contacts_primary_share"] == Decimal("0.5")
    # hypertension 2017, the last reading of the year below 140/90: r3 (128/82) of r1
    # (145/92), r2 (140/80), r3, r7 (138/95) -> 1 of 4 (tests/indicators/test_compute.py).
    assert got["hypertension_control_rate"] == Decimal("0.25")
    # diabetes 2017, the last fasting glucose below 7.0: r4 (6.9) of r4, r8 (7.0) -> 1 of 2.
    assert got["diabetes_control_rate"] == Decimal("0.5")
    # missing values are left out, not scored as zero
    assert all(v is not None for v in got.values())


def test_scorecard_values_feed_a_settlement(store):
    results = compute(
        store, indicators=list(ASSESSMENT_INDICATORS.values()), level="consortium", period="year"
    )
    rules = load_rules("sanming")
    inputs = settlement_inputs(
        rules,
        2017,
        spending=spending_from_store(store),
        population=population_from_store(store),
        indicators=indicator_values_from_results(results, unit="cmc"),
    )
    record = settle_year(rules, inputs)
    lines = {ln.indicator: ln for ln in record.assessment.lines}
    # Sanming's director scorecard: the hypertension and diabetes control rates score
    # linearly from 50 % (0) to 75 % (1), so our 25 % and 50 % score 0; the primary-care
    # share of healthcare visits from 40 % to 70 %, so 50 % scores (50 - 40) / (70 - 40)
    # = 1/3.
    assert lines["hypertension_control_rate"].value == Decimal("0.25")
    assert lines["hypertension_control_rate"].score == 0
    assert lines["diabetes_control_rate"].value == Decimal("0.5")
    assert lines["diabetes_control_rate"].score == 0
    assert lines["outpatient_contacts_primary_share"].value == Decimal("0.5")
    assert lines["outpatient_contacts_primary_share"].score == pytest.approx(Decimal(1) / 3)


def test_scorecard_values_need_yearly_results(store):
    monthly = compute(
        store, indicators=["outpatient_contacts_primary_share"], level="consortium", period="month"
    )
    with pytest.raises(InputError, match="expected yearly results"):
        indicator_values_from_results(monthly, unit="cmc")
    yearly = compute(
        store, indicators=["outpatient_contacts_primary_share"], level="consortium", period="year"
    )
    with pytest.raises(InputError, match="for unit 'nope'"):
        indicator_values_from_results(yearly, unit="nope")
