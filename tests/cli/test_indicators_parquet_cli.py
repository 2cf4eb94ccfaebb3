"""``ihms indicators compute --parquet DIR [--engine duckdb|spark]``: the exported folder
gives what its store gives (same --json, same --out), and a wrong combination of options,
a folder that is not an export or an engine that cannot start says what to do. The
Spark run of the command is in tests/indicators/test_spark.py (its one JVM)."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
from tests.indicators.conftest import tiny_frames
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Dataset, Period, Store

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("parquet-cli")
    with Store(root / "tiny.duckdb") as store:
        store.write(
            Dataset.from_frames(tiny_frames(), period=Period.parse("2016-01-01", "2017-12-31"))
        )
        store.export(root / "shared")
    return root / "tiny.duckdb", root / "shared"


def _compute(*args: str):
    return runner.invoke(app, ["indicators", "compute", *args])


def test_the_folder_prints_and_writes_what_the_store_does(exported, tmp_path):
    store, folder = exported
    common = ["--level", "institution", "--period", "month", "--min-cell", "1"]
    on_store = _compute("--store", str(store), *common, "--json")
    on_folder = _compute("--parquet", str(folder), "--engine", "duckdb", *common, "--json")
    assert on_store.exit_code == 0, on_store.output
    assert on_folder.exit_code == 0, on_folder.output
    rows = json.loads(on_folder.stdout)
    assert rows == json.loads(on_store.stdout)
    assert sum(r["numerator"] or 0 for r in rows) > 0
    # --out: the same file
    a, b = tmp_path / "store.csv", tmp_path / "folder.csv"
    assert _compute("--store", str(store), "--out", str(a)).exit_code == 0
    result = _compute("--parquet", str(folder), "--out", str(b))
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_csv(b), pd.read_csv(a))


def test_store_and_parquet_together_are_refused(exported):
    store, folder = exported
    result = _compute("--store", str(store), "--parquet", str(folder))
    assert result.exit_code == 2
    assert "--store and --parquet: give one" in flat(result.output)


def test_spark_on_a_store_asks_for_the_export(exported):
    result = _compute("--store", str(exported[0]), "--engine", "spark")
    assert result.exit_code == 2
    assert "--engine spark reads the Parquet folder of a store (--parquet DIR)" in flat(
        result.output
    )
    assert "ihms data export --out DIR --format parquet" in flat(result.output)


def test_an_unknown_engine_is_refused(exported):
    result = _compute("--parquet", str(exported[1]), "--engine", "sprak")
    assert result.exit_code == 2
    assert "expected one of duckdb, spark, got 'sprak'" in flat(result.output)
    assert "did you mean 'spark'" in flat(result.output)


def test_the_store_given_as_the_folder_is_told_apart(exported):
    result = _compute("--parquet", str(exported[0]))
    assert result.exit_code == 2
    assert f"{exported[0]}: a file, not a folder; expected the folder `ihms data export" in flat(
        result.output
    )
    assert "a DuckDB store is read as the store: --store" in flat(result.output)


def test_a_folder_that_is_not_an_export_is_named(tmp_path):
    (tmp_path / "tables").mkdir()
    result = _compute("--parquet", str(tmp_path / "tables"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'tables'}: no dataset.json; expected the folder" in flat(result.output)


def test_without_pyspark_the_extra_is_named(exported, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    result = _compute("--parquet", str(exported[1]), "--engine", "spark")
    assert result.exit_code == 2
    assert "install ihms[spark] (uv sync --extra spark / pip install 'ihms[spark]')" in flat(
        result.output
    )
    assert "Traceback" not in result.output


def test_without_java_the_runtime_is_named_not_the_gateway(exported, monkeypatch):
    # PySpark alone ends in [JAVA_GATEWAY_EXITED]; the check runs before the JVM would
    pytest.importorskip("pyspark")
    monkeypatch.setenv("JAVA_HOME", "/nonexistent")
    result = _compute("--parquet", str(exported[1]), "--engine", "spark")
    assert result.exit_code == 2
    text = flat(result.output)
    assert "the spark engine needs a Java 17 (or later) runtime" in text
    assert "JAVA_HOME is /nonexistent, which has no bin/java" in text
    assert "JAVA_GATEWAY_EXITED" not in text


def test_the_help_names_the_extra():
    # rich read "[spark]" in the option's help as markup and printed "(the  extra"
    result = runner.invoke(app, ["indicators", "compute", "--help"], env={"COLUMNS": "200"})
    assert "duckdb, or spark (ihms[spark] and Java 17+; reads --parquet)" in flat(result.output)
