"""The simulated county's resources: every open institution has its row, and seed 002
Table 2's capacity indicators come out as numbers close to the published figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ihms.data import Store, data_gaps
from ihms.indicators import compute
from ihms.sim.resources import institution_resources

# seed 002, Table 2 (also the header of examples/youxi.yaml, whose head counts and beds
# reproduce them): per 1,000 residents, 2016 / 2017 / 2018 / 2019.
TABLE_2 = {
    "physicians_per_1000": {2016: 1.54, 2017: 1.73, 2018: 2.25, 2019: 2.34},
    "nurses_per_1000": {2016: 1.83, 2017: 2.01, 2018: 2.32, 2019: 2.63},
    "beds_per_1000": {2016: 4.16, 2017: 4.42, 2018: 4.53, 2019: 4.80},
}
COUNTED = ["beds", "gps", "specialists", "nurses"]


@pytest.fixture(scope="module")
def capacity(small_run):
    with Store(":memory:") as store:
        store.write(small_run.sink.dataset(validate=False))
        frames = {
            level: compute(store, indicators=list(TABLE_2), level=level, period="year").to_frame()
            for level in ("county", "grid")
        }
    return frames


def test_table_2_capacity_is_close_to_the_published_figures(capacity, small_run):
    county = capacity["county"]
    county = county[county["unit"] == small_run.county]
    values = county.assign(year=county["period"].astype(int)).set_index(["indicator", "year"])
    values = values["value"]
    for indicator, by_year in TABLE_2.items():
        for year, published in by_year.items():
            value = float(values.loc[(indicator, year)])
            # a 4,000-resident county: within 10 % of the published ratio (head counts
            # are whole numbers, the population a sample)
            assert value == pytest.approx(published, rel=0.10), (indicator, year)


def test_every_grid_has_a_capacity_figure(capacity, small_run):
    grids = capacity["grid"]
    grids = grids[grids["unit"].isin(small_run.layout.grid_ids)]
    assert len(grids) == len(TABLE_2) * 4 * len(small_run.layout.grid_ids)
    assert grids["value"].notna().all()


def test_village_clinics_and_public_health_have_no_beds_physicians_or_nurses(
    small_run, youxi_system
):
    res = small_run.resources.set_index(["institution_id", "year"])
    for inst in youxi_system.institutions:
        if inst.tier.value not in ("village_clinic", "public_health"):
            continue
        for year in (2016, 2017, 2018, 2019):
            if not inst.active_in(year):
                assert (inst.id, year) not in res.index
                continue
            row = res.loc[(inst.id, year)]
            assert [int(row[c]) for c in COUNTED] == [0, 0, 0, 0], (inst.id, year)
            # their health personnel are not modelled
            assert pd.isna(row["health_workers"])


def test_scaled_head_counts_keep_the_county_totals(small_run, youxi_system, youxi_config):
    scale = 4000 / 358_000  # the run's first-year population / the county file's
    res = institution_resources(
        youxi_system,
        small_run.layout,
        youxi_config,
        revenue_fen=small_run.tally.revenue_fen,
        scale=scale,
    )
    youxi = {inst.id for inst in youxi_system.institutions if inst.county == "youxi"}
    res_youxi = res[res["institution_id"].isin(youxi)]
    for year in (2016, 2017, 2018, 2019):
        for col in ("beds", "gps", "specialists", "nurses", "health_workers"):
            full = sum(
                getattr(inst.resources[year], col) or 0
                for inst in youxi_system.institutions
                if year in inst.resources and inst.id in youxi
            )
            got = int(res_youxi.loc[res_youxi["year"] == year, col].sum())
            # the county file's total times the scale, rounded half up
            assert got == math.floor(full * scale + 0.5), (year, col)
    # the smallest THC keeps a share: beds of THC17 in 2016 are 16, 16 x 0.011 = 0.18,
    # which rounded on its own would be 0 (and so would every THC's)
    thc = res[res["institution_id"].str.startswith("YX-THC")]
    assert thc.groupby("year")["beds"].sum().gt(0).all()


OUTSIDE = ("FJ-PH", "SM-FH")  # examples/youxi.yaml: the tertiary hospitals outside Youxi


def test_every_institution_the_run_sees_has_its_resources(small_run):
    # the hospitals outside the county included: no institution-year without its row
    gaps = data_gaps(small_run.sink.dataset(validate=False))
    assert not [g for g in gaps if "no row for" in g], gaps
    res = small_run.resources.set_index(["institution_id", "year"])
    for i, inst in enumerate(small_run.layout.institution_ids):
        for yi, year in enumerate(small_run.layout.years):
            if small_run.layout.open_years[i, yi]:
                assert (inst, year) in res.index, (inst, year)


def test_outside_hospitals_are_sized_as_tertiary_hospitals_money_unknown(small_run):
    res = small_run.resources
    scale = 4000 / 358_000  # the run's first-year population / the county file's
    for inst in OUTSIDE:
        rows = res[res["institution_id"] == inst].sort_values("year")
        assert rows["year"].tolist() == [2016, 2017, 2018, 2019]
        beds = rows["beds"].astype(int)
        # one size over the years; a tertiary hospital of 1,000 to 3,000 beds (the
        # synthetic data's range, ihms.data._synthetic_resources) at the run's scale,
        # its county's total rounded half up
        assert beds.nunique() == 1
        assert math.floor(1000 * scale + 0.5) <= beds.iloc[0] <= math.floor(3000 * scale + 0.5)
        assert (rows["gps"] + rows["specialists"] > 0).all()
        assert (rows["nurses"] > 0).all()
        # what Youxi's residents paid is not the hospital's revenue: left unknown
        for col in ("revenue_fen", "medical_income_fen", "personnel_cost_fen"):
            assert rows[col].isna().all(), col


def test_outside_hospitals_sizes_follow_the_seed(small_config, youxi_system, small_run):
    def outside(config):
        res = institution_resources(
            youxi_system,
            small_run.layout,
            config,
            revenue_fen=small_run.tally.revenue_fen,
            scale=4000 / 358_000,
        )
        return res[res["institution_id"].isin(OUTSIDE)].reset_index(drop=True)

    first = outside(small_config)
    # the run's table is the function's for the run's seed, and a call repeats it
    run_rows = small_run.resources
    run_rows = run_rows[run_rows["institution_id"].isin(OUTSIDE)].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, run_rows)
    pd.testing.assert_frame_equal(first, outside(small_config))
    other = outside(small_config.model_copy(update={"seed": small_config.seed + 1}))
    assert not first[["beds", "nurses"]].equals(other[["beds", "nurses"]])


def test_tertiary_share_of_beds_at_total_level(small_run):
    with Store(":memory:") as store:
        store.write(small_run.sink.dataset(validate=False))
        got = compute(store, indicators=["tertiary_bed_share"], level="total").to_frame()
    res = small_run.resources
    for year in (2016, 2017, 2018, 2019):
        rows = res[res["year"] == year]
        tertiary = int(rows.loc[rows["institution_id"].isin(OUTSIDE), "beds"].sum())
        # seed 001 Table 3: the tertiary hospitals' beds over all the data's beds, in %
        expected = 100 * tertiary / int(rows["beds"].sum())
        value = float(got.loc[got["period"] == str(year), "value"].iloc[0])
        assert value == pytest.approx(expected, rel=1e-12), year


def test_an_outside_hospitals_size_does_not_depend_on_the_other_institutions(youxi_system):
    import dataclasses

    from ihms.sim.resources import _outside

    years = (2016, 2017, 2018, 2019)
    first = _outside(youxi_system, years, 7).set_index(["institution_id", "year"])
    assert set(first.index.get_level_values(0)) == set(OUTSIDE)
    # the file's institutions listed backwards, and then without its other outside
    # hospital and its village clinics: each hospital keeps its size
    backwards = dataclasses.replace(youxi_system, institutions=youxi_system.institutions[::-1])
    for inst in OUTSIDE:
        fewer = dataclasses.replace(
            youxi_system,
            institutions=tuple(
                i
                for i in youxi_system.institutions
                if i.tier.value != "village_clinic" and (i.id == inst or i.id not in OUTSIDE)
            ),
        )
        for system in (backwards, fewer):
            got = _outside(system, years, 7).set_index(["institution_id", "year"])
            pd.testing.assert_frame_equal(got.loc[[inst]], first.loc[[inst]])


def test_the_columns_declared_unrecorded_are_the_empty_ones(small_run, youxi_system):
    from ihms.sim.resources import SIMULATED_MONEY, UNRECORDED

    res = small_run.resources
    # the CDC charges for no visit of the run: it has no money
    charging = {i.id for i in youxi_system.institutions if i.tier.value != "public_health"}
    county = res[~res["institution_id"].isin(OUTSIDE) & res["institution_id"].isin(charging)]
    # what the run's dataset.json says it never records is empty in every row, and the
    # money it does record is there for every county institution-year that charges
    for col in UNRECORDED["resources"]:
        assert res[col].isna().all(), col
    for col in SIMULATED_MONEY:
        assert county[col].notna().all(), col
    assert small_run.sink.dataset(validate=False).unrecorded == UNRECORDED
