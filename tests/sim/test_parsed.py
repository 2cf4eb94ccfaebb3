"""The files a run reads are parsed once per text (``ihms.sim._parsed``): what each
reader gets is what parsing again gives, a change to it reaches no later reader, an
edited file is parsed anew, and what fails or notes something does so every time."""

from __future__ import annotations

import warnings

import pytest
import yaml
from tests.sim.test_tuning_bounds import MILD, _county_file

from ihms._yaml_once import yaml_data, yaml_node
from ihms.errors import IhmsWarning
from ihms.payment import BUILTIN_RULES, load_rules
from ihms.sim import load_sim_config
from ihms.sim._parsed import builtin_rules, county_system
from ihms.system import parse_system


def test_the_data_are_the_parse_and_a_change_to_them_reaches_no_later_reader(example_path):
    text = example_path.read_text(encoding="utf-8")
    first = yaml_data(text)
    assert first == yaml.safe_load(text)
    first["simulation"]["seed"] = -1  # a loader sets its defaults in what it is given
    first["simulation"]["regimes"].clear()
    assert yaml_data(text) == yaml.safe_load(text)
    node = yaml_node(text)
    assert node is yaml_node(text)
    assert yaml.serialize(node) == yaml.serialize(yaml.compose(text, Loader=yaml.SafeLoader))


def test_a_parse_that_fails_fails_every_time():
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            yaml_data("a: [1, 2\n")
        with pytest.raises(yaml.YAMLError):
            yaml_node("a: [1, 2\n")


def test_an_edited_config_is_read_anew(tmp_path, example_path):
    text = example_path.read_text(encoding="utf-8").replace(
        "county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}"
    )
    path = tmp_path / "my_sim.yaml"
    path.write_text(text, encoding="utf-8")
    seed = load_sim_config(path).seed
    path.write_text(text.replace(f"seed: {seed}", "seed: 7", 1), encoding="utf-8")
    assert load_sim_config(path).seed == 7


def test_a_county_file_is_parsed_once_and_is_the_system_parsing_gives(example_path):
    text = example_path.with_name("youxi.yaml").read_text(encoding="utf-8")
    system = county_system(text, "youxi.yaml")
    assert county_system(text, "youxi.yaml") is system
    assert system == parse_system(text, source="youxi.yaml")
    # the name messages give the file is part of what is kept
    assert county_system(text, "examples/youxi.yaml").source == "examples/youxi.yaml"


def test_a_county_file_with_a_section_of_its_own_notes_every_time(tmp_path, example_path):
    path = _county_file(tmp_path, example_path, f"      {MILD}: 1.8651", f"      {MILD}: 5.0")
    text = path.read_text(encoding="utf-8")
    for _ in range(2):
        with pytest.warns(IhmsWarning, match=f"key 'simulation.{MILD}' is 5, outside"):
            system = county_system(text, "county.yaml")
        assert system.extensions["simulation"].regimes["sanming"].ch_mild_attraction == 5.0


@pytest.mark.parametrize("name", BUILTIN_RULES)
def test_a_built_in_rule_set_is_loaded_once_and_notes_nothing(name):
    # kept only because loading the shipped file says nothing: a kept one would say it once
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_rules(name) == builtin_rules(name)
    assert builtin_rules(name) is builtin_rules(name)


def test_a_stand_in_for_a_built_in_rule_text_is_loaded_each_time(monkeypatch):
    from ihms.payment import _config

    shipped = _config.builtin_rules_text("sanming")
    monkeypatch.setattr(
        _config,
        "builtin_rules_text",
        lambda name: shipped.replace("title: Sanming", "title: Stand-in"),
    )
    first = builtin_rules("sanming")
    assert "Stand-in" in first.title and first is not builtin_rules("sanming")
    monkeypatch.undo()
    assert "Stand-in" not in builtin_rules("sanming").title
