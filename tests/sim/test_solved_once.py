"""What every run of one county works out the same (the population plan's solve, the
resources table's beds and staff) is worked out once and handed to each run as its own:
the same as working it out again, and a change one run's caller makes reaches no other."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.errors import ConfigError
from ihms.sim import population, resources
from ihms.sim.population import plan_population, population_targets
from ihms.sim.resources import institution_resources

YEARS = [2016, 2017, 2018, 2019]


def _plan(config, system, scale):
    return plan_population(config, population_targets(system, YEARS), scale=scale)


def _arrays(plan):
    return {k: np.array(v, copy=True) for k, v in vars(plan).items() if isinstance(v, np.ndarray)}


def test_a_plan_solved_before_is_the_plan_solved_again(youxi_config, youxi_system, monkeypatch):
    kept = _arrays(_plan(youxi_config, youxi_system, 0.01))
    monkeypatch.setattr(population, "_SOLVED", {})  # nothing kept: solved again
    fresh = _arrays(_plan(youxi_config, youxi_system, 0.01))
    assert kept.keys() == fresh.keys() and len(kept) >= 6
    for name, values in kept.items():
        np.testing.assert_array_equal(values, fresh[name], err_msg=name)


def test_each_plan_is_its_own(youxi_config, youxi_system):
    first = _plan(youxi_config, youxi_system, 0.01)
    before = _arrays(first)
    for values in vars(first).values():
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            values *= 0  # a caller changing its plan in place
    again = _arrays(_plan(youxi_config, youxi_system, 0.01))
    for name, values in before.items():
        np.testing.assert_array_equal(values, again[name], err_msg=name)
    # another size of the same county: the same solve, scaled
    twice = _plan(youxi_config, youxi_system, 0.02)
    np.testing.assert_allclose(twice.expected_total, 2 * again["expected_total"], rtol=1e-12)


def test_a_demography_out_of_reach_is_refused_every_time(youxi_config):
    # 60+ from 14.9 % to 40 % in a year (tests/sim/test_population.py): not kept, refused again
    targets = {2016: (358_000, 0.149), 2017: (361_000, 0.40), 2018: (362_000, 0.159)}
    targets[2019] = (363_000, 0.166)
    for _ in range(2):
        with pytest.raises(ConfigError, match="no demography"):
            plan_population(youxi_config, targets)


def _resources(run, system, config):
    return institution_resources(
        system, run.layout, config, revenue_fen=run.tally.revenue_fen, scale=4000 / 358_000
    )


def test_the_resources_table_built_before_is_the_one_built_again(
    small_run, youxi_system, youxi_config, monkeypatch
):
    kept = _resources(small_run, youxi_system, youxi_config)
    # what the table is built from, changed in place by whoever got it
    built = resources._beds_and_staff(
        youxi_system, (2016, 2017, 2018, 2019), youxi_config.seed, 4000 / 358_000
    )
    built.loc[:, "beds"] = pd.array([0] * len(built), dtype="Int64")
    again = _resources(small_run, youxi_system, youxi_config)
    monkeypatch.setattr(resources, "_BUILT", {})  # nothing kept: built again
    fresh = _resources(small_run, youxi_system, youxi_config)
    pd.testing.assert_frame_equal(kept, fresh)
    pd.testing.assert_frame_equal(again, fresh)
    assert fresh["beds"].sum() > 0
