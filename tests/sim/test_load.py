import pytest
import yaml

from ihms.errors import ConfigError, InputError
from ihms.sim import CountySimulation, load_sim_config, with_overrides
from ihms.sim.load import config_from_mapping
from ihms.system import parse_system


@pytest.fixture
def raw(example_path):
    return yaml.safe_load(example_path.read_text(encoding="utf-8"))["simulation"]


def _error(data) -> str:
    with pytest.raises(ConfigError) as info:
        config_from_mapping(data, where="county.yaml")
    return str(info.value)


def test_example_loads(youxi_config, example_path):
    # seed 002: IMPM implemented in Youxi in October 2017; study months Feb 2016-Nov 2019.
    assert youxi_config.reform.date == "2017-10"
    assert youxi_config.reform.regime == "sanming"
    assert (youxi_config.study_window.start, youxi_config.study_window.end) == (
        "2016-02",
        "2019-11",
    )
    assert youxi_config.county == str(example_path.parent.resolve() / "youxi.yaml")


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
    # the key and the rest of the message apart (review 22s M3: was key 'simulation')
    assert "key 'simulation.reform.date': 2021-03 is outside the period" in _error(raw)


def test_reform_badly_written(raw):
    # Oct 2017 is read as --reform reads it (tests/sim/test_config_months.py)
    raw["reform"]["date"] = "autumn 2017"
    assert (
        "expected a month such as 2017-10, 2017/10, 2017.10, 2017m10, 2017年10月, Oct 2017 or 201710"
        in _error(raw)
    )


def test_typo_suggests_nearest_key(raw):
    raw["population"]["birth_rte"] = raw["population"].pop("birth_rate")
    msg = _error(raw)
    # one typo, one problem: the required key is not also reported missing (walkthroughs 17)
    assert (
        "unknown key 'simulation.population.birth_rte'; did you mean 'birth_rate'? (required)"
        in msg
    )
    assert "is required" not in msg
    assert "1 problem(s)" in msg


def test_a_missing_key_without_a_near_miss_stays_missing(raw):
    raw["population"]["colour"] = raw["population"].pop("birth_rate")
    msg = _error(raw)
    assert "key 'simulation.population.birth_rate' is required" in msg
    assert "unknown key 'simulation.population.colour'" in msg and "(required)" not in msg


def test_shares_must_add_up(raw):
    raw["illness"]["severity"]["60+"]["mild"] = 0.9
    assert "severity.60+ must add up to 1" in _error(raw)


def test_outside_hospital_shares_must_add_up(raw):
    raw["geography"]["outside"]["FJ-PH"]["share"] = 0.9  # with SM-FH 0.4 -> 1.3
    msg = _error(raw)
    assert "simulation.geography" in msg
    assert "must add up to 1, got 1.3 (FJ-PH 0.9, SM-FH 0.4)" in msg


def test_year_mapping_must_cover_period(raw):
    del raw["family_physician"]["registration"][2018]
    assert "missing [2018]" in _error(raw)


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


def _system_without_grid_consortium(example_path):
    text = (example_path.parent / "youxi.yaml").read_text(encoding="utf-8")
    served = "grids: [G01, G02, G03, G04, G05, G06, G07, G08, G09, G10, G11, G12, G13, G14, G15]"
    assert served in text
    return parse_system(text.replace(served, served.replace(", G15", "")), source="youxi.yaml")


def test_grid_without_consortium_is_refused_before_work(youxi_config, example_path):
    system = _system_without_grid_consortium(example_path)
    called = []
    # the grid by name, not a Python list (sim review finding 7)
    with pytest.raises(ConfigError, match=r"grid 'G15' has no county medical community"):
        CountySimulation(youxi_config, residents=500, system=system).run(
            progress=lambda *a: called.append(a)
        )
    assert called == []  # nothing simulated
    # fee for service pays no consortium, so the same county runs
    CountySimulation(youxi_config, residents=300, system=system, regime="fee-for-service").run()


def test_unknown_outside_hospital(youxi_config, youxi_system):
    geo = youxi_config.geography.model_copy(
        update={
            "outside": {
                "FJ-PX": youxi_config.geography.outside["FJ-PH"].model_copy(update={"share": 1.0})
            }
        }
    )
    config = youxi_config.model_copy(update={"geography": geo})
    with pytest.raises(ConfigError, match=r"key 'simulation\.geography\.outside' names 'FJ-PX'"):
        CountySimulation(config, residents=300, system=youxi_system).run()


def test_simulation_section_inside_a_county_file(tmp_path, example_path):
    county = (example_path.parent / "youxi.yaml").read_text(encoding="utf-8")
    sim = yaml.safe_load(example_path.read_text(encoding="utf-8"))["simulation"]
    del sim["county"]
    combined = tmp_path / "county.yaml"
    combined.write_text(county + "\n" + yaml.safe_dump({"simulation": sim}), encoding="utf-8")
    config = load_sim_config(combined)
    assert config.county == str(combined)
    assert config.reform.date == "2017-10"


def test_county_file_finds_its_simulation_file(example_path):
    # `ihms sim run --config examples/youxi.yaml`: the parameters are in youxi_sim.yaml.
    assert load_sim_config(example_path.parent / "youxi.yaml") == load_sim_config(example_path)


def test_county_file_without_simulation_parameters(tmp_path, example_path):
    lone = tmp_path / "county.yaml"
    lone.write_text(
        (example_path.parent / "youxi.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"county_sim\.yaml"):
        load_sim_config(lone)


def test_a_tuned_value_that_is_no_number_names_its_entry(raw):
    # was a bare "ValueError: could not convert string to float: 'abc'"
    raw["calibration"]["tuned"]["healthcare.growth_per_year"] = "abc"
    msg = _error(raw)
    assert "county.yaml" in msg and "'simulation.calibration.tuned'" in msg
    assert "entry 'healthcare.growth_per_year': expected a number, got 'abc'" in msg


def test_a_tuned_value_out_of_bounds_names_the_calibration_entry(raw):
    # the file's own healthcare.growth_per_year (0.2) is valid; the calibration block's
    # value replaces it, so the message points there, not at the key above
    raw["calibration"]["tuned"]["healthcare.growth_per_year"] = -5
    msg = _error(raw)
    assert (
        "county.yaml: key 'simulation.calibration.tuned' entry 'healthcare.growth_per_year'" in msg
    )
    assert "greater than -1, got -5" in msg


def test_every_bad_tuned_entry_is_listed_in_one_error(raw):
    # a path naming no parameter stopped the load there: the out-of-range value below it
    # (a probability of 5) and the bad seed came only at the next try, one by one
    raw["calibration"]["tuned"]["illness.trend_per_yeer"] = 0.05
    raw["calibration"]["tuned"]["admission.probability.moderate.township_health_centre"] = 5.0
    raw["seed"] = "twenty"
    msg = _error(raw)
    assert msg.startswith("county.yaml: the simulation section has 3 problem(s):")
    assert (
        "county.yaml: key 'simulation.calibration.tuned': no numeric parameter "
        "'illness.trend_per_yeer'" in msg
    )
    assert (
        "county.yaml: key 'simulation.calibration.tuned' entry "
        "'admission.probability.moderate.township_health_centre': Input should be less than "
        "or equal to 1, got 5.0" in msg
    )
    assert "county.yaml: key 'simulation.seed'" in msg


def test_a_tuned_value_that_is_no_number_is_listed_once(raw):
    # the calibration block's own check repeated it as "...tuned.healthcare.growth_per_year:
    # Input should be a valid number"
    raw["calibration"]["tuned"]["healthcare.growth_per_year"] = "abc"
    raw["calibration"]["tuned"]["illness.trend_per_year"] = "high"
    msg = _error(raw)
    assert msg.startswith("county.yaml: the simulation section has 2 problem(s):")
    assert "entry 'illness.trend_per_year': expected a number, got 'high'" in msg


def test_a_mistyped_key_of_a_tier_mapping_is_named_with_the_allowed_keys(raw):
    # was "key '...capability.mild.village_clinc.[key]': Input should be ..."
    raw["careseeking"]["capability"]["mild"]["village_clinc"] = raw["careseeking"]["capability"][
        "mild"
    ].pop("village_clinic")
    msg = _error(raw)
    assert (
        "county.yaml: unknown key 'simulation.careseeking.capability.mild.village_clinc': a key "
        "should be 'village_clinic', 'township_health_centre', 'county_hospital' or 'outside'"
    ) in msg
    assert "[key]" not in msg


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_bad_value_in_a_file_names_its_line(tmp_path, example_path):
    # the line is counted in the written file itself (1-based, as an editor shows it)
    text = example_path.with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    text = text.replace("male_share: 0.512", "male_share: 1.512")
    text = text.replace("birth_rate:", "birth_rte:", 1)
    text = text.replace("county: youxi.yaml", f"county: {example_path.resolve()}", 1)
    bad = tmp_path / "sim.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sim_config(bad)
    msg = str(info.value)
    assert f"{bad} line {_line_of(text, 'male_share: 1.512')}: key " in msg
    assert f"{bad} line {_line_of(text, 'birth_rte:')}: unknown key " in msg
    assert "did you mean 'birth_rate'" in msg


def test_a_missing_key_names_the_line_of_its_section(tmp_path, example_path):
    text = example_path.with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    text = text.replace("    male_share: 0.512\n", "")
    text = text.replace("county: youxi.yaml", f"county: {example_path.resolve()}", 1)
    bad = tmp_path / "sim.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sim_config(bad)
    assert f"{bad} line {_line_of(text, '  population:')}: key " in str(info.value)


def test_bad_yaml_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("simulation:\n  seed: 1\n   block_size: [8\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sim_config(bad)
    assert f"{bad} line 3" in str(info.value)


def test_arguments_of_the_wrong_kind_are_named(youxi_config):
    # a user walk (session 32): a path gave "'str' object has no attribute 'county'",
    # seed="7" a TypeError from deep inside, a regime typo no "did you mean"
    with pytest.raises(ConfigError, match=r"parameter 'config': expected a SimulationConfig "
                       r"\(load_sim_config\(path\)\), got str"):  # fmt: skip
        CountySimulation("examples/youxi_sim.yaml", residents=1000)
    with pytest.raises(ConfigError, match=r"parameter 'seed': .*got str '7' \(write 7"):
        with_overrides(youxi_config, seed="7")
    with pytest.raises(ConfigError, match=r"parameter 'regime': .*did you mean 'sanming'"):
        with_overrides(youxi_config, regime="sanmign")
