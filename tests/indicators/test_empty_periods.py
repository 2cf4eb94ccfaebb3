"""A period without a single encounter in the data is missing, not 0.

The tiny county's 2016 (``conftest.tiny_dataset_of_2016``, worked by hand below) has
encounters in February (p1-p3), March (p4, p5), April (p6-p8), May (p9, p10, i1), June
(o1-o4), August (i2) and November (i3): none at all in January, July, September, October
and December. A month with encounters but none of the kind counted (February has no
outpatient visit) is a true 0; a month with none at all is a month the data lack, so the
indicators reading encounters are left empty there, as the compute-time note says.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from tests.indicators.conftest import tiny_dataset_of_2016, tiny_frames

from ihms.data import Dataset, Period, Store
from ihms.data.gaps import simulated_no_encounter
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes

EMPTY_2016 = [201601, 201607, 201609, 201610, 201612]


def row(results, indicator: str, period: str, unit: str = "c1") -> pd.Series:
    f = results.to_frame()
    hit = f[(f["indicator"] == indicator) & (f["period"] == period) & (f["unit"] == unit)]
    assert len(hit) == 1, (indicator, period, unit)
    return hit.iloc[0]


@pytest.fixture(scope="module")
def by_month():
    ids = ["outpatient_emergency_visits", "cost_per_outpatient_visit", "hospitalization_rate"]
    return compute(tiny_dataset_of_2016(), indicators=ids, level="county", period="month")


def test_a_count_in_a_month_without_any_encounter_is_missing(by_month):
    jan = row(by_month, "outpatient_emergency_visits", "2016-01")
    assert pd.isna(jan["numerator"]) and pd.isna(jan["value"]) and pd.isna(jan["denominator"])
    # February has encounters (p1-p3, preventive) but no outpatient visit: a true 0
    feb = row(by_month, "outpatient_emergency_visits", "2016-02")
    assert feb["numerator"] == 0 and feb["value"] == 0
    # June: o1 (CH), o2 (THC1), o3 (CH, emergency); o4 is at PH, outside county c1
    assert row(by_month, "outpatient_emergency_visits", "2016-06")["numerator"] == 3


def test_a_rate_over_encounters_in_such_a_month_has_no_numerator_or_denominator(by_month):
    jan = row(by_month, "cost_per_outpatient_visit", "2016-01")
    assert pd.isna(jan["numerator"]) and pd.isna(jan["denominator"]) and pd.isna(jan["value"])
    feb = row(by_month, "cost_per_outpatient_visit", "2016-02")
    assert feb["numerator"] == 0 and feb["denominator"] == 0 and pd.isna(feb["value"])
    # June: (20,000 + 5,000 + 30,000) fen / 3 visits = 183.33 yuan
    jun = row(by_month, "cost_per_outpatient_visit", "2016-06")
    assert jun["value"] == pytest.approx(55000 / 3 / 100, rel=1e-12)


def test_a_population_denominator_stays_known(by_month):
    # residents of c1 at the end of December 2015 and of January 2016: r1-r8 and r10
    # (r9 arrives 2016-03-15), so the average population is 9; the stays are unknown
    jan = row(by_month, "hospitalization_rate", "2016-01")
    assert pd.isna(jan["numerator"]) and pd.isna(jan["value"])
    assert jan["denominator"] == 9
    feb = row(by_month, "hospitalization_rate", "2016-02")
    assert feb["numerator"] == 0 and feb["value"] == 0


def test_every_empty_month_is_missing_and_listed(by_month):
    f = by_month.select(indicators=["outpatient_emergency_visits"], units=["c1"])
    missing = f.loc[f["numerator"].isna(), "period_key"].tolist()
    assert missing == EMPTY_2016
    assert by_month.empty_periods == {"month": tuple(EMPTY_2016)}


def test_a_referral_count_is_judged_by_the_encounters():
    # referrals_up counts referrals: x1 (CH -> PH, 2016-11-19) is up. January has no
    # encounter: the extract lacks it, so the count is empty, not 0; February has
    # encounters and no referral: a true 0 (test_referrals_incomplete.py)
    r = compute(tiny_dataset_of_2016(), indicators=["referrals_up"], level="county", period="month")
    assert pd.isna(row(r, "referrals_up", "2016-01")["numerator"])
    assert row(r, "referrals_up", "2016-02")["numerator"] == 0
    assert row(r, "referrals_up", "2016-11")["numerator"] == 1
    assert r.empty_periods == {"month": tuple(EMPTY_2016)}


def test_a_year_without_any_encounter_is_missing():
    frames = tiny_frames()
    enc = frames["encounters"]
    frames["encounters"] = enc[enc["date"].dt.year == 2016]
    frames["claims"] = frames["claims"].iloc[:0]
    data = Dataset.from_frames(frames, period=Period.parse("2016-01-01", "2017-12-31"))
    r = compute(data, indicators=["hospitalizations"], level="county", period="year")
    # 2016 stays in county c1: i1 (CH) and i2 (THC1); i3 is at PH, outside it
    assert row(r, "hospitalizations", "2016")["numerator"] == 2
    y2017 = row(r, "hospitalizations", "2017")
    assert pd.isna(y2017["numerator"]) and pd.isna(y2017["value"])
    # the months 2017 lacks are named too (the yearly values of 2016 lack five)
    assert r.empty_periods["year"] == (2017,)
    assert r.empty_periods["month"][:5] == tuple(EMPTY_2016)
    whole, partly = empty_period_notes(r)
    assert whole.startswith(
        "encounters: none in 2017; the indicators reading encounters by year "
        "(hospitalizations) are left empty there, not 0"
    )
    assert partly.startswith("encounters: none in 5 months of 2016 (2016-01, 2016-07,")


def test_the_note_names_the_empty_months_and_why(by_month):
    (note,) = empty_period_notes(by_month)
    assert note.startswith(
        "encounters: none in 5 of the period's 12 months (2016-01, 2016-07, 2016-09 to "
        "2016-10, 2016-12); the indicators by month over encounters are left empty there "
        "(value, and numerator and denominator where they read encounters), not 0 — a month "
        "without a single encounter is one the extract lacks"
    )
    (simulated,) = empty_period_notes(replace(by_month, producer="ihms.sim"))
    # the same words `ihms data import` gives a simulation's store (data.gaps)
    assert simulated.endswith(f"— {simulated_no_encounter('ihms.sim')}")


def test_yearly_values_note_the_months_they_lack():
    r = compute(tiny_dataset_of_2016(), indicators=["hospitalizations"], period="year")
    assert row(r, "hospitalizations", "2016")["numerator"] == 2  # i1 (CH), i2 (THC1)
    (note,) = empty_period_notes(r)
    assert note.startswith(
        "encounters: none in 5 months of 2016 (2016-01, 2016-07, 2016-09 to 2016-10, "
        "2016-12); the yearly values of hospitalizations lack them"
    )


def test_the_summary_carries_the_note(by_month):
    notes = by_month.summary().notes
    assert any(n.startswith("encounters: none in 5 of the period's 12 months") for n in notes)


def test_a_simulations_summary_says_it_simulated_none_there(tmp_path):
    # review R2.5: summary() used to give a program's data the extract's advice
    made = replace(tiny_dataset_of_2016(), producer="ihms.sim")
    from_dataset = compute(made, indicators=["outpatient_emergency_visits"], period="month")
    path = tmp_path / "sim.duckdb"
    with Store(path) as store:
        store.write(made)
    with Store(path, read_only=True) as store:
        from_store = compute(store, indicators=["outpatient_emergency_visits"], period="month")
    for results in (from_dataset, from_store):
        assert results.producer == "ihms.sim"
        (note,) = [n for n in results.summary().notes if n.startswith("encounters:")]
        assert note.endswith(f"— {simulated_no_encounter('ihms.sim')}")
        assert "extract" not in note


def test_the_engines_own_rows_spare_the_query_when_every_month_has_records(monkeypatch):
    # February to June 2016: preventive visits in February to May (p1-p10), outpatient
    # ones in June (o1-o4). Counting both, the engine's monthly rows show every month,
    # so no query looks for empty ones; counting outpatient visits alone, they show
    # June only, and the query finds February to May have encounters (true zeros).
    from ihms.indicators import _empty

    frames = {n: f for n, f in tiny_frames().items()}
    enc = frames["encounters"]
    frames["encounters"] = enc[(enc["date"] >= "2016-02-01") & (enc["date"] <= "2016-06-30")]
    frames["claims"] = frames["claims"].iloc[:0]
    for name in ("followups", "referrals"):
        frames[name] = frames[name].iloc[:0]
    frames["resources"] = frames["resources"][frames["resources"]["year"] == 2016]
    data = Dataset.from_frames(frames, period=Period.parse("2016-02-01", "2016-06-30"))
    queries = []
    real = _empty._sources.county_encounter_months  # PH's county `out`: by institution
    monkeypatch.setattr(
        _empty._sources, "county_encounter_months", lambda *a: queries.append(1) or real(*a)
    )
    ids = ["outpatient_emergency_visits", "healthcare_visits"]
    both = compute(data, indicators=ids, level="county", period="month")
    assert both.empty_periods == {} and queries == []
    alone = compute(data, indicators=ids[:1], level="county", period="month")
    assert alone.empty_periods == {} and queries == [1]
    assert row(alone, "outpatient_emergency_visits", "2016-03")["numerator"] == 0
