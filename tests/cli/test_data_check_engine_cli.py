"""``ihms data check DIR --engine duckdb|spark``: a Parquet folder checked by queries of
the engine, not read into memory (user review 22k, MEDIUM 2: the only validating path
was the single-process import). The checks are those ``indicators compute --parquet``
runs (``tests/indicators/test_parquet_checks.py``); here the command around them. The
tiny county of ``tests/indicators/conftest.py``, exported by the store; the same on
PySpark is in ``tests/indicators/test_spark.py``.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
from tests.indicators.test_parquet_folder import exported, exported_template  # noqa: F401  (the fixture)
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_a_clean_folder_is_checked_on_duckdb(exported):  # noqa: F811
    _, folder = exported
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["ok"], out["engine"], out["period"]) == (True, "duckdb", "2016-01-01 to 2017-12-31")
    encounters = pq.read_metadata(folder / "encounters.parquet").num_rows
    assert out["rows"]["encounters"] == encounters > 0
    assert "active years" in out["notes"][0]  # what the engine's checks leave out
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb"])
    assert result.exit_code == 0 and "no problems found" in " ".join(result.output.split())


def test_a_bad_row_is_named_by_file_row_and_column(exported):  # noqa: F811
    _, folder = exported
    path = folder / "encounters.parquet"
    t = pq.read_table(path)
    cost = t.column("total_cost_fen").to_pylist()
    cost[2] = -5
    t = t.set_column(t.schema.get_field_index("total_cost_fen"), "total_cost_fen", pa.array(cost))
    pq.write_table(t, path)
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    assert result.exit_code == 2, result.output
    out = json.loads(result.stdout)
    assert out["ok"] is False and "on duckdb" in out["error"]
    assert any(
        "column 'total_cost_fen' of encounters.parquet row 3: expected an amount ≥ 0 fen" in p
        for p in out["problems"]
    ), out["problems"]
    # the same problem's pieces, as plain data check gives them (review 28, finding 8)
    (found,) = [d for d in out["problem_details"] if d["column"] == "total_cost_fen"]
    assert (found["file"], found["row"], found["value"]) == ("encounters.parquet", 3, -5)
    assert [d["message"] for d in out["problem_details"]] == out["problems"]


def test_options_for_reading_tables_are_refused_with_engine(exported):  # noqa: F811
    _, folder = exported
    args = ["data", "check", str(folder), "--engine", "duckdb", "--start", "2016-01-01"]
    result = runner.invoke(app, [*args, "--end", "2016-12-31", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert "--start" in error and "--end" in error and "dataset.json" in error
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duck", "--json"])
    assert result.exit_code == 2 and "duckdb, spark" in json.loads(result.stdout)["error"]
