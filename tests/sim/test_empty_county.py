"""A county with no residents is refused before anything is simulated (review of the
county simulator, 2026-11-25, finding 1: every grid at population 0 crashed ``sim run``
and ``sim compare`` with ZeroDivisionError, and ``--json`` printed nothing)."""

import json

import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import ConfigError
from ihms.sim.population import population_targets
from ihms.system import parse_system

runner = CliRunner()


def _county(example_path, *, empty_years) -> str:
    county = yaml.safe_load(example_path.with_name("youxi.yaml").read_text(encoding="utf-8"))
    for grid in county["grids"]:
        for year in empty_years:
            grid["population"][year] = 0
            grid["aged_60_plus"][year] = 0
    return yaml.safe_dump(county, sort_keys=False, allow_unicode=True)


def _config(tmp_path, example_path, *, empty_years) -> str:
    (tmp_path / "empty.yaml").write_text(
        _county(example_path, empty_years=empty_years), encoding="utf-8"
    )
    sim = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    sim["simulation"]["county"] = "empty.yaml"
    (tmp_path / "empty_sim.yaml").write_text(
        yaml.safe_dump(sim, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return str(tmp_path / "empty_sim.yaml")


def test_population_targets_name_the_file_the_grids_and_the_empty_years(example_path):
    system = parse_system(_county(example_path, empty_years=[2018]), source="bad/empty.yaml")
    with pytest.raises(ConfigError) as info:
        population_targets(system, [2016, 2017, 2018, 2019])
    text = str(info.value)
    assert text.startswith("bad/empty.yaml: ")
    assert "have population 0 in 2018;" in text
    assert "G01" in text
    assert "positive 'population'" in text


@pytest.mark.parametrize("command", ["run", "compare"])
def test_sim_refuses_an_empty_county_as_json_with_exit_2(tmp_path, example_path, command):
    config = _config(tmp_path, example_path, empty_years=[2016, 2017, 2018, 2019])
    out = tmp_path / "out"
    args = ["sim", command, "--config", config, "--residents", "2000", "--json"]
    if command == "run":
        args += ["--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    answer = json.loads(result.stdout)
    assert answer["ok"] is False
    assert "have population 0 in 2016, 2017, 2018, 2019" in answer["error"]
    assert "empty.yaml" in answer["error"]
    assert not out.exists()
