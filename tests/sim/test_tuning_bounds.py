"""A tuned parameter set outside the bounds the tuning searches (session 35's review, A3).

Loading and running such a config works but warns, naming the file, line, key, value and
bounds (the calibration does not vouch for its fit there); ``--tune`` from it starts at
the nearest bound, says so, and writes a value within the bounds.
"""

from __future__ import annotations

import warnings

import pytest
import yaml
from tests.sim.test_cli_tune import _Checked
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import IhmsWarning
from ihms.sim import load_sim_config
from ihms.sim.load import config_from_mapping, outside_tuning_bounds
from ihms.sim.targets import TARGETS
from ihms.sim.tune import TUNED, apply_tuned, tune

runner = CliRunner()
MILD = "regimes.sanming.ch_mild_attraction"  # tuned within -3 to 4 (ihms.sim.tune.TUNED)
TREND = "illness.trend_per_year"  # tuned within -0.05 to 0.15; the config allows to 0.5


def _copy(tmp_path, example_path, *edits: tuple[str, str], block: bool = True):
    text = example_path.read_text(encoding="utf-8")
    text = text.replace("county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}")
    if not block:  # the calibration block is the file's end
        text = text[: text.index("\n  calibration:\n")] + "\n"
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "my_sim.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path, text):
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_the_committed_example_is_within_the_bounds(example_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)
        config = load_sim_config(example_path)
    assert outside_tuning_bounds(config) == []
    # every bound lies within what the config itself allows, so each can be written
    assert {p.path for p in TUNED} >= {MILD, TREND}


def test_a_written_value_outside_the_bounds_loads_with_a_warning(tmp_path, example_path):
    path = _copy(
        tmp_path, example_path, ("trend_per_year: 0.04", "trend_per_year: 0.3"), block=False
    )
    with pytest.warns(IhmsWarning) as caught:
        config = load_sim_config(path)
    assert config.illness.trend_per_year == 0.3  # used as written
    (message,) = [str(w.message) for w in caught]
    assert message.startswith(f"{path} line {_line(path, '    trend_per_year: 0.3')}: ")
    assert f"key 'simulation.{TREND}' is 0.3, outside the bounds the calibration searched" in (
        message
    )
    assert "(-0.05 to 0.15)" in message and "not vouched for" in message
    assert caught[0].filename == __file__  # points at the caller's line, not at ihms


def test_a_tuned_value_outside_the_bounds_is_named_at_its_line_in_the_block(tmp_path, example_path):
    entry = f"      {MILD}: 1.8651"
    path = _copy(tmp_path, example_path, (entry, f"      {MILD}: 5.0"))
    with pytest.warns(IhmsWarning, match=r"\(-3 to 4\)") as caught:
        config = load_sim_config(path)
    assert config.regimes["sanming"].ch_mild_attraction == 5.0
    (message,) = [str(w.message) for w in caught]
    assert message.startswith(f"{path} line {_line(path, f'      {MILD}: 5.0')}: ")
    assert f"key 'simulation.{MILD}' is 5" in message


def test_tuning_starts_from_the_nearest_bound_and_says_so(youxi_config):
    data = apply_tuned(youxi_config.model_dump(exclude={"calibration"}), {MILD: 5.0})
    start = config_from_mapping(data)
    param = next(p for p in TUNED if p.path == MILD)
    published = {t.key: t.value for t in TARGETS}
    with pytest.warns(IhmsWarning, match=r"starts at 5, outside the bounds searched \(-3 to 4\)"):
        res = tune(start, lambda cfg: published, parameters=(param,), max_evaluations=1)
    assert res.start[MILD] == pytest.approx(4.0, abs=1e-6)
    assert -3.0 <= res.tuned[MILD] <= 4.0


def test_calibrate_tune_from_such_a_config_goes_on_and_records_its_budget(
    tmp_path, example_path, monkeypatch
):
    import ihms.sim.calibrate

    monkeypatch.setattr(ihms.sim.calibrate, "calibrate", lambda cfg, **_: _Checked(cfg))
    entry = f"      {MILD}: 1.8651"
    path = _copy(tmp_path, example_path, (entry, f"      {MILD}: 5.0"))
    args = ["sim", "calibrate", "--config", str(path), "--tune", "--evaluations", "3", "--json"]
    result = runner.invoke(app, [*args, "--tune-residents", "1000"])
    assert result.exit_code == 0, result.output
    assert "infeasible" not in result.output
    flat = " ".join(result.stderr.split())
    assert f"note: {path} line" in flat and f"'simulation.{MILD}' is 5, outside" in flat
    assert f"'simulation.{MILD}' starts at 5, outside the bounds searched (-3 to 4)" in flat
    block = yaml.safe_load(path.read_text(encoding="utf-8"))["simulation"]["calibration"]
    assert -3.0 <= block["tuned"][MILD] <= 4.0
    assert block["run"]["evaluations"] == 3 and block["run"]["evaluation_budget"] == 3
