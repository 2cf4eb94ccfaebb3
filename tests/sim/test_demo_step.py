import pandas as pd

from ihms.data import Store
from ihms.demo import STEPS, DemoContext, _sim
from ihms.payment import PopulationTable, SpendingTable


def test_demo_step_leaves_the_artefacts_later_steps_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_sim, "DEMO_RESIDENTS", 3000)
    monkeypatch.setattr(_sim, "COMPARE_RESIDENTS", 1500)
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path)
    sections = _sim.sim_sections(ctx)
    assert [s.id for s in sections] == ["simulation", "calibration", "regimes"]
    assert isinstance(ctx.artefacts["store"], Store)
    assert ctx.artefacts["store"].info().row_counts["encounters"] > 10_000
    assert isinstance(ctx.artefacts["spending"], SpendingTable)
    assert isinstance(ctx.artefacts["payment_population"], PopulationTable)
    assert ctx.artefacts["calibration"].frame["within"].notna().sum() > 0
    series = ctx.artefacts["series"]
    # the layout of examples/series/county_hospital_monthly.csv, Feb 2016 - Nov 2019
    example = pd.read_csv(_sim._config_path().parent / "series" / "county_hospital_monthly.csv")
    assert list(series.columns) == list(example.columns)
    assert list(series["month"]) == list(example["month"])
    tables = [b for s in sections for b in s.blocks if hasattr(b, "table")]
    assert {t.name for t in tables} >= {"sim_volumes", "sim_calibration", "sim_regimes"}
    # the volumes table is the library's, notes and all: one wording in one place
    (volumes,) = [t.table for t in tables if t.name == "sim_volumes"]
    assert volumes.notes == ctx.artefacts["simulation"].summary().notes
    ctx.artefacts["store"].close()


def test_step_is_registered_before_the_steps_that_read_it():
    keys = [s.key for s in STEPS]
    # payment reads the consortium's assessment values that indicators computes
    assert keys.index("sim") < keys.index("indicators") < keys.index("payment")
