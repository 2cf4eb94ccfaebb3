"""``ihms sim calibrate --tune --evaluations N``: the budget bounds every simulation the
tuning runs, the finite-difference Jacobian's included (a budget of 120 ran 277)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.sim.targets import TARGETS

runner = CliRunner()


class _Checked:
    """A stand-in for a calibration's results: the 2016 hospitalization rate is 10 x the
    square of the fee-for-service admission factor, every other figure the published one."""

    def __init__(self, cfg):
        factor = cfg.regimes["fee-for-service"].ch_admission_factor
        simulated = {t.key: t.value for t in TARGETS}
        simulated.update(hospitalization_rate_2016=10 * factor**2)
        self.frame = pd.DataFrame({"simulated": pd.Series(simulated)})
        self.passed = True

    def to_dict(self):
        return {"passed": True}


def test_the_tuning_budget_bounds_every_run_and_is_recorded(tmp_path, example_path, monkeypatch):
    import ihms.sim.calibrate

    runs = []

    def calibrate(cfg, *, residents=None, **_):
        runs.append(residents)
        return _Checked(cfg)

    monkeypatch.setattr(ihms.sim.calibrate, "calibrate", calibrate)
    text = example_path.read_text(encoding="utf-8")
    text = text.replace("county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}")
    config = tmp_path / "my_sim.yaml"
    config.write_text(text, encoding="utf-8")
    args = ["sim", "calibrate", "--config", str(config), "--tune", "--evaluations", "30"]
    result = runner.invoke(app, [*args, "--tune-residents", "1000", "--json"])
    assert result.exit_code == 0, result.output
    # 23 tuned parameters: the start, its Jacobian (23), a step, 5 of the next Jacobian
    assert runs.count(1000) == 30 and len(runs) == 31  # and the full-size check after
    run = yaml.safe_load(config.read_text(encoding="utf-8"))["simulation"]["calibration"]["run"]
    assert run["evaluations"] == 30
    assert run["status"].startswith("budget of 30 simulation runs spent")


def test_a_tuning_budget_below_one_run_is_refused_before_simulating(example_path, monkeypatch):
    import ihms.sim.calibrate

    monkeypatch.setattr(ihms.sim.calibrate, "calibrate", lambda *a, **k: pytest.fail("ran"))
    args = ["sim", "calibrate", "--config", str(example_path), "--tune", "--evaluations", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "--evaluations" in result.output


def test_the_help_says_what_the_budget_counts():
    result = runner.invoke(app, ["sim", "calibrate", "--help"], env={"COLUMNS": "200"})
    flat = " ".join(result.output.split())
    assert "every simulation counts, the finite-difference Jacobian's" in flat
