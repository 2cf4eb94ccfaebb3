import numpy as np
import pytest

from ihms.errors import ConfigError
from ihms.sim import layout_from_system
from ihms.sim.population import n_blocks, plan_population, population_targets, sample_residents

# seed 002 Table 2: resident population (10,000) and share aged 60+ (%), 2016-2019.
TABLE_2 = {
    2016: (358_000, 0.149),
    2017: (361_000, 0.153),
    2018: (362_000, 0.159),
    2019: (363_000, 0.166),
}


def test_targets_are_table_2(youxi_system):
    targets = population_targets(youxi_system, [2016, 2017, 2018, 2019])
    for year, (total, share) in TABLE_2.items():
        assert targets[year][0] == total
        assert targets[year][1] == pytest.approx(share, abs=5e-4)  # Table 2 prints 0.1 %


def test_plan_reproduces_table_2(youxi_config, youxi_system):
    plan = plan_population(youxi_config, population_targets(youxi_system, [2016, 2017, 2018, 2019]))
    for year, (total, share) in plan.year_end().items():
        assert total == pytest.approx(TABLE_2[year][0], rel=1e-4)
        assert share == pytest.approx(TABLE_2[year][1], abs=6e-4)


def test_plan_scales_counts_not_structure(youxi_config, youxi_system):
    targets = population_targets(youxi_system, [2016, 2017, 2018, 2019])
    full = plan_population(youxi_config, targets)
    tenth = plan_population(youxi_config, targets, scale=0.1)
    assert tenth.n_slots == pytest.approx(full.n_slots / 10, abs=1)
    for year in TABLE_2:
        assert tenth.year_end()[year][1] == pytest.approx(full.year_end()[year][1], abs=1e-9)


def test_sampled_residents_follow_the_plan(youxi_config, youxi_system):
    targets = population_targets(youxi_system, [2016, 2017, 2018, 2019])
    plan = plan_population(youxi_config, targets, scale=0.25)
    layout = layout_from_system(youxi_system, youxi_config)
    months = np.arange(len(plan.months))
    year = plan.months.astype("datetime64[Y]").astype(int) + 1970
    total = np.zeros(len(months))
    old = np.zeros(len(months))
    grids = np.zeros(len(layout.grid_ids))
    for b in range(n_blocks(plan, youxi_config.block_size)):
        res = sample_residents(plan, youxi_config, layout.village_weight, block=b)
        present = res.present(months)
        total += present.sum(axis=1)
        old += (present & ((year[:, None] - res.birth_year[None, :]) >= 60)).sum(axis=1)
        grids += np.bincount(layout.village_grid[res.village], minlength=len(grids))
        assert np.all(res.exit > res.entry)
        assert not np.any(res.died & (res.exit > len(months)))
    for y, (pop, share) in TABLE_2.items():
        last = np.flatnonzero(year == y)[-1]
        # about 90,000 residents: sampling error of a share is ~0.1 percentage points
        assert total[last] == pytest.approx(pop / 4, rel=0.01)
        assert old[last] / total[last] == pytest.approx(share, abs=0.004)
    assert grids / grids.sum() == pytest.approx(layout.grid_weight, abs=0.005)


def test_block_is_a_pure_function_of_seed_and_index(youxi_config, youxi_system):
    targets = population_targets(youxi_system, [2016, 2017, 2018, 2019])
    plan = plan_population(youxi_config, targets, scale=0.05)
    layout = layout_from_system(youxi_system, youxi_config)
    a = sample_residents(plan, youxi_config, layout.village_weight, block=1)
    b = sample_residents(plan, youxi_config, layout.village_weight, block=1)
    c = sample_residents(plan, youxi_config, layout.village_weight, block=0)
    assert np.array_equal(a.birth_year, b.birth_year) and np.array_equal(a.exit, b.exit)
    assert not np.array_equal(a.birth_year, c.birth_year)
    assert a.resident_id[0] == youxi_config.block_size


def test_unreachable_targets_are_a_config_error(youxi_config):
    targets = {
        2016: (358_000, 0.149),
        2017: (361_000, 0.40),
        2018: (362_000, 0.159),
        2019: (363_000, 0.166),
    }
    with pytest.raises(ConfigError, match="no demography"):
        plan_population(youxi_config, targets)
