"""Errors name the file, key and line where the problem is (user review 22s, M3).

The review: a bad ``geography.outside`` in the simulation config was blamed on the county
file, with no line; a county file's error dropped its folder; checks across keys
(``family_physician.registration`` missing a year, ``reform.date`` outside the period)
named only ``key 'simulation'``, no line; ``sim calibrate`` refusing another county's
window did not say what to do instead.
"""

import shutil

import pytest

from ihms.errors import ConfigError
from ihms.sim import load_sim_config
from ihms.sim.calibrate import check_study_window
from ihms.sim.run import load_county


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _copy(tmp_path, example_path, *replacements):
    shutil.copy(example_path.with_name("youxi.yaml"), tmp_path / "youxi.yaml")
    text = example_path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "sim.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _error(path) -> str:
    with pytest.raises(ConfigError) as info:
        load_sim_config(path)
    return str(info.value)


def test_a_missing_registration_year_names_its_key_and_line(tmp_path, example_path):
    path, text = _copy(
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
        "for every year of the period; missing [2018, 2019]" in _error(path)
    )


def test_a_reform_outside_the_period_names_its_key_and_line(tmp_path, example_path):
    path, text = _copy(
        tmp_path, example_path, ('reform: {date: "2017-10"', 'reform: {date: "2023-01"')
    )
    line = _line_of(text, 'reform: {date: "2023-01"')
    assert f"{path} line {line}: key 'simulation.reform.date': 2023-01 is outside" in _error(path)


def test_an_unknown_outside_hospital_is_the_simulation_configs_key(tmp_path, example_path):
    path, text = _copy(tmp_path, example_path, ("FJ-PH: {km: 160", "CAP-XX: {km: 160"))
    line = _line_of(text, "CAP-XX:")
    assert (
        f"{path} line {line}: key 'simulation.geography.outside': names 'CAP-XX', which the "
        f"county file {tmp_path / 'youxi.yaml'} lacks" in _error(path)
    )


def test_a_county_files_error_keeps_the_folder_it_was_named_with(
    tmp_path, example_path, monkeypatch
):
    (tmp_path / "bad").mkdir()
    county = example_path.with_name("youxi.yaml").read_text(encoding="utf-8")
    (tmp_path / "bad" / "youxi.yaml").write_text(
        county.replace("ihms_system: 1", "ihms_system: 1\nnonsense_key: 1", 1), encoding="utf-8"
    )
    config = load_sim_config(example_path).model_copy(
        update={"county": str(tmp_path / "bad" / "youxi.yaml")}
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_county(config)
    assert str(info.value).startswith("bad/youxi.yaml")


def test_calibrate_refusing_another_window_says_what_to_do_instead():
    with pytest.raises(ConfigError) as info:
        check_study_window(("2018-01", "2021-12"), where="hexi_sim.yaml")
    text = " ".join(str(info.value).split())
    assert "got 2018-01 … 2021-12" in text
    assert "calibrates to Youxi's published figures only" in text
    assert "ihms indicators compute --store" in text
