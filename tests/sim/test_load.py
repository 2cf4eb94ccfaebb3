import copy

import pytest
import yaml

from ihms.errors import ConfigError, InputError
from ihms.sim import load_sim_config, with_overrides
from ihms.sim.load import config_from_mapping


@pytest.fixture
def raw(example_path):
    return yaml.safe_load(example_path.read_text(encoding="utf-8"))["simulation"]


def _error(data) -> str:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(data, where="county.yaml")
    return str(info.value)


def test_example_loads_with_seed_002_table_2_figures(youxi_config):
    # seed 002 Table 2: resident population (10,000) 35.8, 36.1, 36.2, 36.3 and the
    # share aged 60+ 14.9, 15.3, 15.9, 16.6 %.
    assert youxi_config.population.total == {2016: 358000, 2017: 361000, 2018: 362000, 2019: 363000}
    assert youxi_config.population.share_60_plus == {
        2016: 0.149,
        2017: 0.153,
        2018: 0.159,
        2019: 0.166,
    }
    # seed 002: IMPM implemented in Youxi in October 2017.
    assert youxi_config.reform.date == "2017-10"
    assert youxi_config.reform.regime == "sanming"


def test_share_out_of_range_names_key_and_value(raw):
    raw["population"]["male_share"] = 1.5
    msg = _error(raw)
    assert "simulation.population.male_share" in msg
    assert "1.5" in msg
    assert "county.yaml" in msg


def test_every_problem_is_reported_at_once(raw):
    raw["population"]["insured_share"] = -0.1
    raw["costs"]["log_sd"] = 7
    msg = _error(raw)
    assert "insured_share" in msg and "log_sd" in msg
    assert "2 problem(s)" in msg


def test_reform_outside_period(raw):
    raw["reform"]["date"] = "2021-03"
    assert "reform.date 2021-03 is outside the period" in _error(raw)


def test_reform_badly_written(raw):
    raw["reform"]["date"] = "Oct 2017"
    assert "YYYY-MM" in _error(raw)


def test_grid_without_consortium(raw):
    raw["geography"]["grids"] = {"youxi": 20, "north": 3}
    assert "grid(s) ['north'] have no consortium serving them" in _error(raw)


def test_grid_with_two_fully_integrated_consortia(raw):
    second = copy.deepcopy(raw["geography"]["consortia"][0])
    second["id"] = "rival"
    raw["geography"]["consortia"].append(second)
    assert "served by two fully integrated consortia" in _error(raw)


def test_integrated_regime_needs_consortium_by_reform(raw):
    raw["geography"]["consortia"][0]["start"] = "2018-06"
    assert "has no consortium until 2018-06" in _error(raw)
    raw["reform"]["regime"] = "fee-for-service"
    config_from_mapping(raw)  # fee for service needs no consortium


def test_typo_suggests_nearest_key(raw):
    raw["population"]["birth_rte"] = raw["population"].pop("birth_rate")
    msg = _error(raw)
    assert "unknown key 'simulation.population.birth_rte'" in msg
    assert "did you mean 'birth_rate'" in msg


def test_shares_must_add_up(raw):
    raw["illness"]["severity"]["60+"]["mild"] = 0.9
    assert "severity.60+ must add up to 1" in _error(raw)


def test_year_mapping_must_cover_period(raw):
    del raw["population"]["total"][2018]
    assert "population.total needs a value for every year of the period; missing [2018]" in _error(
        raw
    )


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_sim_config(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("simulation: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sim_config(bad)


def test_overrides_are_validated(youxi_config):
    assert with_overrides(youxi_config, regime="other-areas").reform.regime == "other-areas"
    with pytest.raises(InputError, match="expected one of"):
        with_overrides(youxi_config, regime="capitation")
    with pytest.raises(ConfigError, match="outside the period"):
        with_overrides(youxi_config, reform="2015-06")
