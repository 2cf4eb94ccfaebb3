"""Monthly counts the simulator caps are counted and said, and the trends that drive them
are bounded (review of the county simulator, 2026-11-25, finding 4: a trend of 9.0 a year
was accepted and its outpatient visits flattened at 4 episodes a resident-month without
a word)."""

import math

import numpy as np
import pytest

import ihms.sim.episodes as episodes
from ihms.errors import ConfigError
from ihms.sim import CountySimulation, MemorySink
from ihms.sim.load import config_from_mapping
from ihms.sim.rng import capped_poisson_counts, poisson_counts


def test_capped_counts_are_the_draws_beyond_the_cap():
    # Poisson(1): P(0) = e^-1 = 0.3679, P(<= 1) = 2 e^-1 = 0.7358, P(<= 2) = 2.5 e^-1 =
    # 0.9197, P(<= 3) = 8/3 e^-1 = 0.9810, P(<= 4) = 65/24 e^-1 = 0.9963
    u = np.array([0.1, 0.5, 0.74, 0.95, 0.99])
    counts, capped = capped_poisson_counts(u, np.ones(5), most=1)
    assert counts.tolist() == [0, 1, 1, 1, 1]
    assert capped == 3  # 0.74, 0.95 and 0.99 lie beyond P(<= 1)
    assert poisson_counts(u, np.ones(5), most=15).tolist() == [0, 1, 2, 3, 4]
    assert math.isclose(8 / 3 * math.exp(-1), 0.9810, abs_tol=1e-4)
    assert capped_poisson_counts(u, np.ones(5), most=15)[1] == 0


def test_the_committed_rates_are_not_capped(small_run):
    assert small_run.capped_counts() == {
        "illness_episodes": 0,
        "preventive_visits": 0,
        "extra_revisits": 0,
        "note": None,
    }
    assert not any("cut short" in n for n in small_run.summary().notes)


def test_a_run_that_reaches_the_cap_says_how_many_resident_months(
    small_config, youxi_system, monkeypatch
):
    monkeypatch.setattr(episodes, "EPISODE_SLOTS", 1)
    results = CountySimulation(small_config, residents=1000, system=youxi_system).run(
        sink=MemorySink()
    )
    capped = results.capped_counts()
    assert capped["illness_episodes"] > 0
    assert capped["preventive_visits"] == capped["extra_revisits"] == 0
    (note,) = [n for n in results.summary().notes if "cut short" in n]
    assert note.startswith(
        f"Counts cut short by the simulator's cap: {capped['illness_episodes']:,} "
        "resident-months of illness episodes (at most 1 a month) drew more than the cap allows"
    )


@pytest.mark.parametrize("key", ["illness.trend_per_year", "healthcare.growth_per_year"])
def test_a_trend_above_fifty_percent_a_year_is_refused(youxi_config, key):
    data = youxi_config.model_dump()
    data.pop("calibration")
    section, name = key.split(".")
    data[section][name] = 0.5  # at the bound: accepted
    config_from_mapping(data)
    data[section][name] = 9.0
    with pytest.raises(ConfigError) as info:
        config_from_mapping(data)
    assert f"key 'simulation.{key}': Input should be less than or equal to 0.5, got 9.0" in str(
        info.value
    )


def test_the_trend_bound_holds_youxis_published_growth_twice_over(youxi_config):
    # Zhong et al. 2023, Table 4: healthcare visits (10,000s) 134.2, 202.3, 190.6, 254.6 in
    # 2016-2019. The average, (254.6 / 134.2) ** (1 / 3) - 1 = 0.238, fits under the bound
    # twice over; the single year 2016 -> 2017, 202.3 / 134.2 - 1 = +50.7 %, is above it,
    # but the bound is on the trend compounded over the run (the reform's step is
    # promotion.healthcare_effect): +50 % a year from 134.2 gives 134.2 * 1.5 ** 3 = 452.9
    # in 2019, 78 % above the published 254.6.
    average = (254.6 / 134.2) ** (1 / 3) - 1
    assert round(average, 3) == 0.238
    data = youxi_config.model_dump()
    data.pop("calibration")
    data["healthcare"]["growth_per_year"] = 2 * average
    assert config_from_mapping(data).healthcare.growth_per_year == pytest.approx(0.4759, abs=1e-4)


def test_three_capped_counts_are_listed_as_a_list_in_either_language():
    # a run that cut all three streams short: "A, B and C" (was "A and B and C"), 、 and 和
    from ihms.sim._notes_zh import said_note
    from ihms.sim.episodes import capped_note

    note = capped_note(3, 1200, 5)
    assert note.startswith(
        "Counts cut short by the simulator's cap: 3 resident-months of illness episodes "
        "(at most 15 a month), 1,200 resident-months of preventive visits (at most 15 a "
        "month) and 5 episodes of extra primary-care revisits (at most 12 an episode) drew"
    )
    assert said_note(note).startswith(
        "模拟器上限截断的计数：3 个居民月的疾病发作（每月至多 15 次）、1,200 个居民月的健康门诊"
        "（每月至多 15 次）和 5 次发作的基层额外复诊（每次发作至多 12 次）超过上限"
    )
