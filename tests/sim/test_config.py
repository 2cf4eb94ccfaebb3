"""What a user sees of a simulation config at a prompt: one line, not every parameter."""

from __future__ import annotations

import pytest

from ihms.errors import ConfigError
from ihms.sim import load_sim_config
from ihms.sim.config import SimulationConfig


def test_config_repr_is_one_line_naming_the_run(youxi_config):
    text = repr(youxi_config)
    # before: pydantic's repr printed every parameter, ~7,000 characters for Youxi
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<SimulationConfig: county=")
    assert "period='2016-01..2019-12', reform='2017-10', regime='sanming'" in text
    assert f"seed={youxi_config.seed}" in text
    assert str(youxi_config) == text
    # every parameter stays reachable
    assert youxi_config.model_dump()["illness"] == youxi_config.illness.model_dump()


def test_a_brief_repr_leaves_equality_copies_and_validation_as_they_were(youxi_config):
    again = SimulationConfig.model_validate(youxi_config.model_dump())
    assert again == youxi_config and again is not youxi_config
    assert youxi_config.model_copy(update={"seed": 7}) != youxi_config
    bad = youxi_config.model_dump() | {"seed": -1}
    with pytest.raises(ValueError, match=r"seed\n  Input should be greater than or equal to 0"):
        SimulationConfig.model_validate(bad)


def test_a_bad_config_file_still_lists_its_problems(tmp_path, example_path):
    text = example_path.read_text("utf-8").replace("seed: 20171001", "seed: -5", 1)
    assert "seed: -5" in text
    bad = tmp_path / "bad_sim.yaml"
    bad.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"key 'simulation.seed': .* got -5"):
        load_sim_config(bad)
