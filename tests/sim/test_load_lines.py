"""The lines of the problems a simulation file's ``calibration: tuned:`` entries and its
``county:`` key have, as every other key's (``ihms.system._messages.Locator``): the
line is counted in the written file itself (1-based, as an editor shows it)."""

import shutil

import pytest

from ihms.errors import ConfigError
from ihms.sim import load_sim_config
from ihms.system import load_system


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _written(tmp_path, example_path, *replacements, county=True):
    text = example_path.with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    if county:
        text = text.replace("county: youxi.yaml", f"county: {example_path.resolve()}", 1)
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "sim.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _problems(path) -> str:
    with pytest.raises(ConfigError) as info:
        load_sim_config(path)
    return str(info.value)


def test_bad_tuned_entries_name_their_lines(tmp_path, example_path):
    # was "sim.yaml: key 'simulation.calibration.tuned' entry ...": no line, where an
    # out-of-bounds tuned value had one
    path, text = _written(
        tmp_path,
        example_path,
        (
            "regimes.sanming.ch_admission_factor: 0.984",
            "regimes.sanming.ch_admission_factr: 0.984",
        ),
        (
            "regimes.fee-for-service.ch_admission_drift_per_year: -0.0844",
            "regimes.fee-for-service.ch_admission_drift_per_year: lots",
        ),
    )
    msg = _problems(path)
    assert msg.startswith(f"{path}: the simulation section has 2 problem(s):")
    misspelt = _line_of(text, "ch_admission_factr:")
    assert (
        f"{path} line {misspelt}: key 'simulation.calibration.tuned': no numeric parameter "
        "'regimes.sanming.ch_admission_factr'" in msg
    )
    no_number = _line_of(text, "drift_per_year: lots")
    assert (
        f"{path} line {no_number}: key 'simulation.calibration.tuned' entry "
        "'regimes.fee-for-service.ch_admission_drift_per_year': expected a number, got 'lots'"
        in msg
    )


def test_a_county_file_that_is_not_there_is_named_with_the_line_of_county(tmp_path, example_path):
    # was found only when the run read it, as "nowhere.yaml: cannot read the file: no such
    # file", naming neither the simulation file nor its key
    path, text = _written(
        tmp_path, example_path, ("county: youxi.yaml", "county: nowhere.yaml"), county=False
    )
    msg = _problems(path)
    line = _line_of(text, "county: nowhere.yaml")
    assert (
        f"{path} line {line}: key 'simulation.county': no county file "
        f"{tmp_path / 'nowhere.yaml'} (a relative path is read from this file's folder)" in msg
    )


def test_a_missing_county_file_is_listed_with_the_other_problems(tmp_path, example_path):
    path, text = _written(
        tmp_path,
        example_path,
        ("county: youxi.yaml", "county: nowhere.yaml"),
        ("male_share: 0.512", "male_share: 1.512"),
        county=False,
    )
    msg = _problems(path)
    assert msg.startswith(f"{path}: the simulation section has 2 problem(s):")
    assert f"{path} line {_line_of(text, 'male_share: 1.512')}: key " in msg


def test_a_county_key_in_a_county_files_section_names_its_line(tmp_path, example_path):
    county = example_path.with_name("youxi.yaml").read_text(encoding="utf-8")
    section = example_path.with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    text = county + "\n" + section
    path = tmp_path / "county.yaml"
    path.write_text(text, encoding="utf-8")
    msg = _problems(path)
    line = _line_of(text, "county: youxi.yaml")
    assert (
        f"{path} line {line}: key 'simulation.county': a county file's simulation section "
        "describes that county; remove the key" in msg
    )


def test_an_empty_county_is_named_with_its_line(tmp_path, example_path):
    # was taken, "" read as the file's own folder, and refused only by the run
    path, text = _written(
        tmp_path, example_path, ("county: youxi.yaml", 'county: ""'), county=False
    )
    line = _line_of(text, 'county: ""')
    assert (
        f"{path} line {line}: key 'simulation.county': expected the path of the county "
        "file, got ''" in _problems(path)
    )


def test_a_county_files_section_has_the_same_lines_in_the_system_loader(tmp_path, example_path):
    # `ihms system check` (load_system) on a county file with its own section: was one
    # problem at the line of `simulation:`, its keys' problems with no line, and a
    # `county:` key in the section not refused at all; now the same lines as `sim run`
    county = example_path.with_name("youxi.yaml").read_text(encoding="utf-8")
    section = example_path.with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    text = county + "\n" + section.replace("male_share: 0.512", "male_share: 1.512", 1)
    path = tmp_path / "county.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_system(path)
    lines = [p.removeprefix("  - ") for p in str(info.value).splitlines()[1:]]
    sim_lines = [p.removeprefix("  - ") for p in _problems(path).splitlines()[1:]]
    assert lines == [p.replace(str(path), path.name, 1) for p in sim_lines]
    assert lines == [
        f"county.yaml line {_line_of(text, 'county: youxi.yaml')}: key 'simulation.county': "
        "a county file's simulation section describes that county; remove the key",
        f"county.yaml line {_line_of(text, 'male_share: 1.512')}: key "
        "'simulation.population.male_share': Input should be less than or equal to 1, "
        "got 1.512",
    ]


# Checks across keys and the county's ids name their key and line in this file (user
# review 22s, M3: was "key 'simulation'" with no line, and a bad geography.outside id
# blamed on the county file).


def _beside_youxi(tmp_path, example_path, *replacements):
    shutil.copy(example_path.with_name("youxi.yaml"), tmp_path / "youxi.yaml")
    return _written(tmp_path, example_path, *replacements, county=False)


def test_a_missing_registration_year_names_its_key_and_line(tmp_path, example_path):
    path, text = _beside_youxi(
        tmp_path,
        example_path,
        (
            "registration: {2016: 0.25, 2017: 0.30, 2018: 0.35, 2019: 0.40}",
            "registration: {2016: 0.25, 2017: 0.30}",
        ),
    )
    line = _line_of(text, "registration: {2016")
    assert (
        f"{path} line {line}: key 'simulation.family_physician.registration': needs a value "
        "for every year of the period; missing [2018, 2019]" in _problems(path)
    )


def test_a_reform_outside_the_period_names_its_key_and_line(tmp_path, example_path):
    path, text = _beside_youxi(
        tmp_path, example_path, ('reform: {date: "2017-10"', 'reform: {date: "2023-01"')
    )
    line = _line_of(text, 'reform: {date: "2023-01"')
    assert f"{path} line {line}: key 'simulation.reform.date': 2023-01 is outside" in _problems(
        path
    )


def test_an_unknown_outside_hospital_is_the_simulation_configs_key(tmp_path, example_path):
    path, text = _beside_youxi(tmp_path, example_path, ("FJ-PH: {km: 160", "CAP-XX: {km: 160"))
    line = _line_of(text, "CAP-XX:")
    assert (
        f"{path} line {line}: key 'simulation.geography.outside': names 'CAP-XX', which the "
        f"county file {tmp_path / 'youxi.yaml'} lacks" in _problems(path)
    )


def test_a_key_given_twice_is_refused_with_both_lines(tmp_path, example_path):
    # YAML keeps the last of two `male_share:` keys; the config ran on 0.6 without a word
    # where the county loader refuses the same mistake (sim review finding 3)
    path, text = _written(
        tmp_path,
        example_path,
        ("    male_share: 0.512\n", "    male_share: 0.512\n    male_share: 0.6\n"),
    )
    first = _line_of(text, "male_share: 0.512")
    message = _problems(path)
    assert (
        f"sim.yaml line {first + 1}, simulation.population: key 'male_share' is given twice "
        f"(first at line {first}); YAML would keep only the last, so merge them"
    ) in message
    assert "1 problem(s)" in message


def test_a_key_of_the_section_given_twice_is_listed_with_the_other_problems(tmp_path, example_path):
    path, text = _written(
        tmp_path,
        example_path,
        ("  seed: 20171001\n", "  seed: 20171001\n  seed: -3\n"),
    )
    message = _problems(path)
    line = _line_of(text, "seed: -3")
    assert f"sim.yaml line {line}, simulation: key 'seed' is given twice" in message
    assert "key 'simulation.seed'" in message  # the kept value is still validated
    assert "2 problem(s)" in message


def test_a_nan_parameter_is_said_to_be_no_number(tmp_path, example_path):
    # was "Input should be less than or equal to 2, got nan" (sim review finding 8)
    path, text = _written(tmp_path, example_path, ("log_sd: 0.", "log_sd: .nan #"))
    line = _line_of(text, "log_sd: .nan")
    assert (
        f"sim.yaml line {line}: key 'simulation.costs.log_sd': expected a number, got .nan"
    ) in _problems(path)


def test_problems_come_in_the_order_of_the_lines(tmp_path, example_path):
    # a misspelt section's follow-on problem (its tuned entry, at the end of the file)
    # was listed before its cause (sim review finding 8)
    path, _ = _written(tmp_path, example_path, ("  illness:\n", "  ilness:\n"))
    message = _problems(path)
    cause = message.index("unknown key 'simulation.ilness'")
    follow_on = message.index("no numeric parameter 'illness.trend_per_year'")
    assert cause < follow_on
