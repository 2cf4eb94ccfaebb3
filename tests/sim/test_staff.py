"""The simulated physicians and their scorecard activities (``ihms.sim.staff``).

The figures checked come from the county file (``examples/youxi.yaml``: each
institution's gps + specialists, seed 002 Table 2's physicians) and from the rates the
config gives (``examples/youxi_sim.yaml``, ``staff:``), not from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ihms.data import resources_table
from ihms.errors import ConfigError
from ihms.sim import CountySimulation, MemorySink, ParquetSink, layout_from_system
from ihms.sim.load import config_from_mapping
from ihms.sim.regime import behaviour
from ihms.sim.resources import institution_resources
from ihms.sim.staff import simulated_staff, staff_activities


def _full_size(config, system, regime="sanming"):
    """Roster and activities of the whole county (no residents simulated: the staff
    come from the resources alone)."""
    layout = layout_from_system(system, config)
    zero = np.zeros((len(layout.institution_ids), len(layout.years)), np.int64)
    res = institution_resources(system, layout, config, revenue_fen=zero)
    staff = simulated_staff(res, layout, config)
    acts = staff_activities(staff, system, layout, config, behaviour(config, layout, regime=regime))
    return staff, acts.to_pandas()


def test_the_staff_feature_moves_no_other_draw(small_config, small_run, youxi_system):
    # the same run without the staff section: every other table, the accounts and the
    # settlements are identical (the staff draw from their own stream)
    without = CountySimulation(
        small_config.model_copy(update={"staff": None}), residents=4000, system=youxi_system
    ).run(sink=MemorySink())
    names = set(without.sink.names())
    assert names | {"staff_activities", "staff"} == set(small_run.sink.names())
    for name in names:
        assert without.sink.table(name).equals(small_run.sink.table(name)), name
    assert without.staff is None and small_run.staff is not None
    for a, b in zip(without.accounts, small_run.accounts, strict=True):
        assert a.by_institution.equals(b.by_institution)
        assert a.insured_population == b.insured_population
    assert {y: r.to_dict() for y, r in without.settlements.items()} == {
        y: r.to_dict() for y, r in small_run.settlements.items()
    }
    # ... and the data set is then without staff activities, which the notes say
    dataset = without.sink.dataset(validate=False)
    assert dataset.table("staff_activities").num_rows == 0


def test_the_activities_obey_the_schemas_rules(small_run):
    # the data layer's validation (hosts primary care, operating, not one's own)
    dataset = small_run.sink.dataset(validate=True)
    acts = dataset.to_pandas("staff_activities")
    assert len(acts) > 0
    inst = dataset.to_pandas("institutions").set_index("institution_id")
    tier = acts["institution_id"].map(inst["tier"])
    host = acts["host_institution_id"].map(inst["tier"])
    days = acts[acts["activity"] == "thc_consultation_day"]
    # a county hospital's physicians at the township health centres; a centre's at the
    # village clinics of its own grid
    assert set(host[days.index][tier[days.index] == "secondary"]) == {"primary_centre"}
    from_centres = days[tier[days.index] == "primary_centre"]
    assert set(host[from_centres.index]) == {"village_clinic"}
    grid = inst["grid_id"]
    assert (
        from_centres["host_institution_id"].map(grid) == from_centres["institution_id"].map(grid)
    ).all()
    # sessions at one's own institution; every activity on a working day
    sessions = acts[acts["activity"] == "health_education_session"]
    assert (sessions["host_institution_id"] == sessions["institution_id"]).all()
    assert (pd.to_datetime(acts["date"]).dt.day_of_week < 5).all()


def test_the_roster_is_the_county_files_physicians(youxi_config, youxi_system):
    staff, _ = _full_size(youxi_config, youxi_system)
    # examples/youxi.yaml: YX-CH01 2016 gps 8 + specialists 190 = 198; 2019 12 + 294 = 306;
    # YX-THC01 2016 9 + 14 = 23
    per = staff.groupby(["institution_id", "year"]).size()
    assert (per["YX-CH01", 2016], per["YX-CH01", 2019], per["YX-THC01", 2016]) == (198, 306, 23)
    # every county hospital and centre of the file, and nobody else
    table = resources_table(youxi_system)
    heads = table.assign(n=table["gps"] + table["specialists"]).set_index(
        ["institution_id", "year"]
    )["n"]
    staffed = heads[heads.index.get_level_values(0).str.match(r"YX-(CH|THC)\d")]
    assert per.to_dict() == {k: int(v) for k, v in staffed.items() if v > 0}
    # the same physician from year to year: CH01's 198 of 2016 are among its 306 of 2019
    ch01 = staff[staff["institution_id"] == "YX-CH01"]
    first = set(ch01.loc[ch01["year"] == 2016, "staff_id"])
    assert first <= set(ch01.loc[ch01["year"] == 2019, "staff_id"])
    assert staff["staff_id"].str.fullmatch(r"S[0-9a-f]{12}").all()
    assert staff.groupby("year")["staff_id"].apply(lambda s: s.is_unique).all()
    # ids are the seed's: the same again, others under another seed
    again, _ = _full_size(youxi_config, youxi_system)
    assert again.equals(staff)
    other, _ = _full_size(youxi_config.model_copy(update={"seed": 7}), youxi_system)
    assert not set(other["staff_id"]) & set(staff["staff_id"])


def test_a_scaled_run_has_the_scaled_head_counts(small_run):
    # the 4,000-resident run's roster is its (scaled) resources table's physicians
    res = small_run.resources
    heads = (res["gps"].fillna(0) + res["specialists"].fillna(0)).astype(int)
    expected = {
        (i, int(y)): n
        for i, y, n in zip(res["institution_id"], res["year"], heads, strict=True)
        if n > 0 and ("-CH" in i or "-THC" in i)
    }
    assert small_run.staff.groupby(["institution_id", "year"]).size().to_dict() == expected
    assert 0 < len(small_run.staff) < 100  # about 1 % of Youxi's 550-850 physicians


def _per_physician(staff, acts, year, tier, activity):
    roster = staff[(staff["year"] == year) & (staff["tier"] == tier)]
    done = acts[(pd.to_datetime(acts["date"]).dt.year == year) & (acts["activity"] == activity)]
    return done["staff_id"].isin(roster["staff_id"]).sum() / len(roster), len(roster)


@pytest.mark.parametrize(
    ("regime", "year", "which"),
    [
        ("sanming", 2019, "sanming"),
        ("sanming", 2016, "fee-for-service"),
        ("other-areas", 2019, "other-areas"),
    ],
)
def test_the_yearly_counts_follow_the_regimes_rates(
    youxi_config, youxi_system, regime, year, which
):
    # 2016 is before the reform (the baseline's rates); 2019 after the ramp (the regime's).
    # Each physician's count is Poisson with a log-normal propensity (mean 1, sd 0.4 on
    # the log scale): variance rate + rate^2 (e^0.16 - 1); the mean of n physicians lies
    # within 4 standard errors of the configured rate.
    staff, acts = _full_size(youxi_config, youxi_system, regime=regime)
    rates = youxi_config.staff.regimes[which]
    for activity, by_tier in (
        ("health_education_session", rates.health_education_sessions),
        ("thc_consultation_day", rates.consultation_days),
    ):
        for tier, rate in by_tier.items():
            mean, n = _per_physician(staff, acts, year, tier, activity)
            se = np.sqrt((rate + rate**2 * (np.exp(0.16) - 1)) / n)
            assert abs(mean - rate) < 4 * se + 0.05, (activity, tier, mean, rate)


def test_the_tables_are_written_to_parquet(small_config, youxi_system, tmp_path):
    out = tmp_path / "tables"
    CountySimulation(small_config, residents=1000, system=youxi_system).run(sink=ParquetSink(out))
    acts = pq.read_table(out / "staff_activities.parquet")
    staff = pq.read_table(out / "simulation" / "staff.parquet").to_pandas()
    assert acts.num_rows > 0
    assert set(acts.column("staff_id").to_pylist()) <= set(staff["staff_id"])


def test_the_staff_section_is_checked(youxi_config):
    data = youxi_config.model_dump()
    del data["staff"]["regimes"]["other-areas"]
    with pytest.raises(ConfigError, match=r"staff\.regimes needs a value for each of"):
        config_from_mapping(data, where="test.yaml")
    data = youxi_config.model_dump()
    data["staff"]["regimes"]["sanming"]["consultation_days"]["county_hospital"] = 300
    with pytest.raises(ConfigError, match="consultation_days"):
        config_from_mapping(data, where="test.yaml")
    data = youxi_config.model_dump()
    del data["staff"]["regimes"]["sanming"]["health_education_sessions"]["county_hospital"]
    with pytest.raises(ConfigError, match="health_education_sessions needs a value"):
        config_from_mapping(data, where="test.yaml")
