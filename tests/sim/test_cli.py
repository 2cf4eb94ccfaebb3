import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_sim_run_writes_a_store_and_json(tmp_path, example_path):
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
    assert set(summary["settlements"]) == {"2017", "2018", "2019"}
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["seed"] == 3
    with Store(out / "ihms.duckdb", read_only=True) as store:
        assert store.info().row_counts["encounters"] > 1000


def test_sim_run_parquet_and_table(tmp_path, example_path):
    out = tmp_path / "o"
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path.parent / "youxi.yaml"),
            "--residents",
            "800",
            "--out",
            str(out),
            "--format",
            "parquet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "admissions" in result.output
    assert pq.read_table(out / "tables" / "encounters.parquet").num_rows > 500


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
    assert "outside the period" in _flat(result.output)
    assert not (tmp_path / "o").exists()
    result = runner.invoke(app, ["sim", "run", "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in _flat(result.output)
    result = runner.invoke(app, ["sim", "run", "--config", str(example_path), "--format", "csv"])
    assert result.exit_code == 2
    assert "expected duckdb or parquet" in _flat(result.output)


def test_calibrate_exit_code_follows_the_verdict(example_path):
    result = runner.invoke(
        app, ["sim", "calibrate", "--config", str(example_path), "--residents", "3000", "--json"]
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert result.exit_code == (0 if report["passed"] else 1)
    keys = {row["key"] for row in report["figures"]}
    assert {
        "hospitalization_rate_2016",
        "ch_visits_slope_change",
        "diabetes_control_rate_2019",
    } <= keys


def test_compare_prints_regimes_and_writes_figure(tmp_path, example_path):
    fig = tmp_path / "cmp.png"
    result = runner.invoke(
        app,
        [
            "sim",
            "compare",
            "--config",
            str(example_path),
            "--residents",
            "1200",
            "--figure",
            str(fig),
        ],
    )
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    for word in (
        "fee-for-service",
        "sanming",
        "other-areas",
        "Global budget",
        "Hypertension control",
    ):
        assert word in text
    assert fig.stat().st_size > 1000
