from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ihms.data import Store, data_gaps
from ihms.data._synthetic_resources import _resources
from ihms.data.synthetic import synthetic_dataset, synthetic_system
from ihms.indicators import compute

# seed 002, Table 2 (Youxi, per 1,000 residents): the resource columns behind each ratio
TABLE_2 = {
    "physicians_per_1000": (
        ("gps", "specialists"),
        {2016: 1.54, 2017: 1.73, 2018: 2.25, 2019: 2.34},
    ),
    "nurses_per_1000": (("nurses",), {2016: 1.83, 2017: 2.01, 2018: 2.32, 2019: 2.63}),
    "beds_per_1000": (("beds",), {2016: 4.16, 2017: 4.42, 2018: 4.53, 2019: 4.80}),
}


def test_valid_deterministic_and_follows_the_grids(youxi):
    a = synthetic_dataset(youxi, seed=11, scale=0.01)  # validated on construction
    b = synthetic_dataset(youxi, seed=11, scale=0.01, validate=False)
    for name in a.tables:
        assert a.table(name).equals(b.table(name)), name
    res = a.to_pandas("residents")
    # year-end population at 1 % of each grid, e.g. G01 2019: 76,289 -> 763
    end_2019 = res[
        (res["entry_date"].isna() | (res["entry_date"] <= pd.Timestamp("2019-12-31")))
        & res["exit_date"].isna()
    ]
    assert (end_2019["grid_id"] == "G01").sum() == round(76289 * 0.01)
    assert len(end_2019) == sum(round(g.population[2019] * 0.01) for g in youxi.grids)
    other = synthetic_dataset(youxi, seed=12, scale=0.01, validate=False)
    assert not other.table("encounters").equals(a.table("encounters"))


def test_synthetic_system_size():
    system = synthetic_system()
    assert len(system.institutions) == 436
    assert sum(g.population[2019] for g in system.grids) == 1_000_000
    assert not system.problems()


def test_registrations_are_dated_while_present(youxi):
    data = synthetic_dataset(youxi, seed=11, scale=0.005)  # validated on construction
    res = data.to_pandas("residents")
    when = res["fp_registered_date"]
    assert (when.notna() == res["fp_registered"]).all()
    reg = res[res["fp_registered"]]
    since = reg["fp_registered_date"]
    # from three years before the period (2016-01-01) to its end, after arrival and birth
    assert since.min() >= pd.Timestamp("2013-01-01")
    assert since.max() <= pd.Timestamp("2019-12-31")
    assert not (since < reg["entry_date"]).any()
    assert not (since.dt.year < reg["birth_year"]).any()
    assert not (since >= reg["exit_date"]).any()
    # and they spread over those years (rising registration), not all on one day
    assert since.dt.year.nunique() == 7


COUNTED = ["beds", "gps", "specialists", "nurses"]
MONEY = [
    "revenue_fen",
    "medical_income_fen",
    "consultation_income_fen",
    "expense_fen",
    "personnel_cost_fen",
]
YEARS = (2016, 2017, 2018, 2019)


def _resource_notes(data) -> list[str]:
    return [note for note in data_gaps(data) if note.startswith("resources:")]


def test_every_open_institution_has_its_resources_row(youxi):
    # examples/youxi.yaml gives no resources for the village clinics, the CDC and the
    # two hospitals outside the county; the data must still have a row for each
    data = synthetic_dataset(youxi, seed=11, scale=0.01, validate=False)
    assert _resource_notes(data) == []
    res = data.to_pandas("resources")
    open_years = {(i.id, y) for i in youxi.institutions for y in YEARS if i.active_in(y)}
    assert set(zip(res["institution_id"], res["year"].astype(int), strict=True)) == open_years
    # and so does the multi-county system, whose clinics, CDCs and tertiary hospitals
    # carry none either
    system = synthetic_system(counties=1, grids_per_county=2, population_per_grid=2_000)
    assert _resource_notes(synthetic_dataset(system, seed=1, scale=0.1, validate=False)) == []


def test_resources_of_clinics_cdc_and_outside_hospitals_are_plausible(youxi):
    res = _resources(youxi, YEARS, np.random.default_rng(5), scale=1.0)
    res = res.set_index(["institution_id", "year"])
    tier = {i.id: i.tier.value for i in youxi.institutions}
    of_tier = res.index.get_level_values("institution_id").map(tier)
    # village clinics: no curative beds, and their village doctors are neither
    # practising physicians nor registered nurses — examples/youxi.yaml's county
    # hospitals and THCs alone reproduce seed 002 Table 2's physicians and nurses per
    # 1,000 — but they are health personnel: one or two per clinic
    clinics = res[of_tier == "village_clinic"]
    assert len(clinics) == 350 + 354 + 387 + 363  # seed 002 Table 2, HCs by year
    assert (clinics[COUNTED] == 0).all().all()
    assert clinics["health_workers"].between(1, 2).all()
    # the CDC: no beds and none of Table 2's physicians or nurses; its staff 1.0 to 1.5
    # per 10,000 of the county's residents: 358,000 x 1.0 / 10,000 = 35.8 up to
    # 363,000 x 1.5 / 10,000 = 54.5 (seed 002 Table 2's population, 2016 and 2019)
    cdc = res.loc["YX-CDC"]
    assert (cdc[COUNTED] == 0).all().all()
    assert cdc["health_workers"].between(35, 55).all()
    # the tertiary hospitals outside the county: at least what China's basic standard
    # for a tertiary general hospital asks (500 beds, 0.4 nurses per bed), physicians
    # and other staff besides
    for hospital in ("FJ-PH", "SM-FH"):
        row = res.loc[hospital]
        assert (row["beds"] >= 500).all()
        assert (row["nurses"] >= 0.4 * row["beds"]).all()
        assert (row["gps"] + row["specialists"] > 0).all()
        assert (row["health_workers"] > row["gps"] + row["specialists"] + row["nurses"]).all()
        assert row["beds"].nunique() == 1  # one hospital's size, kept over the years
    # the system file's own figures are kept (YX-CH01, 2016: 655 beds, 8 + 190 physicians)
    assert res.loc[("YX-CH01", 2016), ["beds", "gps", "specialists"]].tolist() == [655, 8, 190]
    # every row has its money, and every institution some revenue
    assert res[MONEY].notna().all().all()
    assert (res["revenue_fen"] > 0).all()


def test_capacity_per_1000_residents_is_seed_002s_at_any_scale(youxi):
    scale = 0.05
    data = synthetic_dataset(youxi, seed=11, scale=scale, validate=False)
    with Store(":memory:") as store:
        store.write(data)
        frames = {
            level: compute(store, indicators=indicators, level=level, period="year").to_frame()
            for level, indicators in (
                ("county", [*TABLE_2, "tertiary_bed_share"]),
                ("consortium", list(TABLE_2)),
                ("total", ["tertiary_bed_share"]),
            )
        }
    county = frames["county"]
    values = county[county["unit"] == "youxi"].set_index(["indicator", "period"])
    for indicator, (columns, published) in TABLE_2.items():
        for year in YEARS:
            # each column's county total in the county file at 5 %, rounded half up
            # (physicians: GPs and specialists each; 2016: 102 x 0.05 = 5.1 -> 5 and
            # 449 x 0.05 = 22.45 -> 22), over the sample's year-end residents (each
            # grid's population at 5 %, rounded)
            heads = sum(
                math.floor(
                    sum(
                        getattr(i.resources[year], column)
                        for i in youxi.institutions
                        if year in i.resources
                    )
                    * scale
                    + 0.5
                )
                for column in columns
            )
            residents = sum(round(g.population[year] * scale) for g in youxi.grids)
            expected = heads / residents * 1000
            value = values.loc[(indicator, str(year)), "value"]
            assert value == pytest.approx(expected, rel=1e-12), (indicator, year)
            # whole head counts of a 5 % sample: within 3 % of seed 002 Table 2
            assert value == pytest.approx(published[year], rel=0.03), (indicator, year)
    # the consortium serves every grid and has every institution but the CDC (0
    # physicians, nurses and beds): from its start in 2017 it has the county's ratios
    cons = frames["consortium"]
    cons = cons[cons["unit"] == "youxi-ichc"].set_index(["indicator", "period"])["value"]
    for indicator in TABLE_2:
        for year in ("2017", "2018", "2019"):
            assert cons[(indicator, year)] == values.loc[(indicator, year), "value"]
    # all beds of the data set: the outside hospitals' count, so the tertiary share exists
    total = frames["total"]
    shares = total[total["indicator"] == "tertiary_bed_share"]["value"]
    assert shares.between(0, 100, inclusive="neither").all()
    assert (values.loc["tertiary_bed_share", "value"] == 0).all()  # none in the county
