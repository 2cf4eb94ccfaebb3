"""What a user sees of a run at a prompt: one line each, not the county's arrays."""

from __future__ import annotations

import ihms.sim.run
from ihms.sim import CountySimulation, SimulationResults, YearAccounts


def test_a_run_and_its_parts_repr_in_one_line(small_run, small_config):
    text = repr(small_run)
    # before: the generated repr printed the config, the system, the layout's arrays and
    # every settlement record, ~450,000 characters over ~2,200 lines for 2,000 residents
    assert "\n" not in text and len(text) < 250
    assert text.startswith("<SimulationResults: county='youxi', regime='sanming'")
    assert f"residents={small_run.residents}" in text
    assert f"settled={tuple(small_run.settlements)}" in text
    layout = repr(small_run.layout)
    assert "\n" not in layout and f"institutions={len(small_run.layout.institution_ids)}" in layout
    year = small_run.accounts[0]
    assert repr(year).startswith(f"<YearAccounts: year={year.year}, regime='sanming'")
    assert f"insurance_fen={year.insurance_fen}" in repr(year)
    sim = CountySimulation(small_config, residents=4000, seed=7)
    assert "object at 0x" not in repr(sim) and "seed=7, residents=4000" in repr(sim)


def test_results_classes_are_still_importable_from_the_run_module():
    # they moved to ihms.sim.results; code that imported them from ihms.sim.run still runs
    assert ihms.sim.run.SimulationResults is SimulationResults
    assert ihms.sim.run.YearAccounts is YearAccounts
