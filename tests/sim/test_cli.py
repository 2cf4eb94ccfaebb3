import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_sim_run_writes_tables_and_json(tmp_path, example_path):
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path),
            "--residents",
            "1500",
            "--out",
            str(out),
            "--regime",
            "other-areas",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["regime"] == "other-areas"
    assert summary["seed"] == 3
    assert set(summary["per_year"]) == {"2016", "2017", "2018", "2019"}
    assert pq.read_table(out / "tables" / "encounters").num_rows > 1000


def test_sim_run_prints_summary(tmp_path, example_path):
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path),
            "--residents",
            "800",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "admissions" in result.output
    assert "Tables written to" in result.output


def test_sim_run_bad_input_exits_2(tmp_path, example_path):
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path),
            "--reform",
            "2030-01",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "outside the period" in " ".join(result.output.split())
    assert not (tmp_path / "o" / "tables").exists()
    result = runner.invoke(app, ["sim", "run", "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in " ".join(result.output.split())
