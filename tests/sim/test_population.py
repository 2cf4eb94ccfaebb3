import numpy as np
import pytest

from ihms.errors import ConfigError
from ihms.sim.layout import synthesize_layout
from ihms.sim.load import config_from_mapping
from ihms.sim.population import n_blocks, plan_population, sample_residents

# seed 002 Table 2: resident population (10,000) and share aged 60+ (%), 2016-2019.
TABLE_2 = {
    2016: (358_000, 0.149),
    2017: (361_000, 0.153),
    2018: (362_000, 0.159),
    2019: (363_000, 0.166),
}


def test_plan_reproduces_table_2(youxi_config):
    plan = plan_population(youxi_config)
    for year, (total, share) in plan.yearly().items():
        assert total == pytest.approx(TABLE_2[year][0], rel=1e-4)
        assert share == pytest.approx(TABLE_2[year][1], abs=1e-4)


def test_plan_scales_counts_not_structure(youxi_config):
    full = plan_population(youxi_config)
    tenth = plan_population(youxi_config, scale=0.1)
    assert tenth.n_slots == pytest.approx(full.n_slots / 10, abs=1)
    for year in TABLE_2:
        assert tenth.yearly()[year][1] == pytest.approx(full.yearly()[year][1], abs=1e-9)


def test_sampled_residents_follow_the_plan(youxi_config):
    plan = plan_population(youxi_config, scale=0.25)
    layout = synthesize_layout(youxi_config)
    months = np.arange(len(plan.months))
    year = plan.months.astype("datetime64[Y]").astype(int) + 1970
    total = np.zeros(len(months))
    old = np.zeros(len(months))
    for b in range(n_blocks(plan, youxi_config.block_size)):
        res = sample_residents(plan, youxi_config, layout.village_weight, block=b)
        present = res.present(months)
        total += present.sum(axis=1)
        old += (present & ((year[:, None] - res.birth_year[None, :]) >= 60)).sum(axis=1)
        assert np.all(res.exit > res.entry)
        assert not np.any(res.died & (res.exit > len(months)))
    for y, (pop, share) in TABLE_2.items():
        sel = year == y
        # about 90,000 residents: sampling error of a share is ~0.1 percentage points
        assert total[sel].mean() == pytest.approx(pop / 4, rel=0.01)
        assert (old[sel] / total[sel]).mean() == pytest.approx(share, abs=0.004)


def test_block_is_a_pure_function_of_seed_and_index(youxi_config):
    plan = plan_population(youxi_config, scale=0.05)
    layout = synthesize_layout(youxi_config)
    a = sample_residents(plan, youxi_config, layout.village_weight, block=1)
    b = sample_residents(plan, youxi_config, layout.village_weight, block=1)
    c = sample_residents(plan, youxi_config, layout.village_weight, block=0)
    assert np.array_equal(a.birth_year, b.birth_year) and np.array_equal(a.exit, b.exit)
    assert not np.array_equal(a.birth_year, c.birth_year)
    assert a.resident_id[0] == youxi_config.block_size


def test_unreachable_targets_are_a_config_error(youxi_config):
    data = youxi_config.model_dump()
    data["population"]["share_60_plus"] = {2016: 0.149, 2017: 0.40, 2018: 0.159, 2019: 0.166}
    with pytest.raises(ConfigError, match="no demography"):
        plan_population(config_from_mapping(data))
