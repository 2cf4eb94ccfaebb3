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


def _sexes(folder, sexes) -> None:
    path = folder / "residents.parquet"
    t = pq.read_table(path)
    column = t.schema.get_field_index("sex")
    pq.write_table(t.set_column(column, "sex", pa.array(sexes(t.column("sex").to_pylist()))), path)


def test_sex_the_import_reads_is_refused_on_the_engine_saying_what_to_run(exported):  # noqa: F811
    # session 31: the engine refused 男/女 and GB/T 2261.1's 1/2 in the import's words,
    # "expected one of F, M (男/男性/male... are read too), got '男' — did you mean '男'
    # (M)?"; the folder is read as it stands (indicators compute --parquet reads it so),
    # so the refusal says what the import reads it as and how to have it read
    _, folder = exported
    _sexes(folder, lambda sexes: ["男" if s == "M" else "女" for s in sexes])
    plain = runner.invoke(app, ["data", "check", str(folder), "--json"])
    assert plain.exit_code == 0, plain.output  # the import reads the names
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    assert result.exit_code == 2, result.output
    out = json.loads(result.stdout)
    assert "on the values as they stand: no name or code read" in out["error"]
    problems = out["problems"]
    assert problems[0].startswith(
        "column 'sex' of residents.parquet row 1: expected one of F, M, got '女', which "
        "`ihms data import` reads as F; a Parquet folder checked on an engine is read as "
        "it stands"
    ), problems
    assert "are read too" not in problems[0] and "did you mean" not in problems[0]
    assert "`ihms data import DIR`" in problems[0]
    _sexes(folder, lambda sexes: ["1" if s == "男" else "2" for s in sexes])
    assert runner.invoke(app, ["data", "check", str(folder), "--json"]).exit_code == 0
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    problems = json.loads(result.stdout)["problems"]
    assert "got '2', which `ihms data import` reads by GB/T 2261.1-2003" in problems[0]
    assert "as F, the column holding only its codes" in problems[0]
    # HL7 v2's U beside M/F (session 32): read as not known, by no standard's codes
    _sexes(folder, lambda sexes: ["M" if s == "1" else "U" for s in sexes])
    assert runner.invoke(app, ["data", "check", str(folder), "--json"]).exit_code == 0
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    problems = json.loads(result.stdout)["problems"]
    assert problems[0].startswith(
        "column 'sex' of residents.parquet row 1: expected one of F, M, got 'U', which "
        "`ihms data import` reads as empty (sex not known); a Parquet folder checked"
    ), problems


def test_a_dummy_sex_is_refused_on_the_engine_in_the_import_s_words(exported):  # noqa: F811
    _, folder = exported
    _sexes(folder, lambda sexes: ["1" if s == "M" else "0" for s in sexes])
    plain = runner.invoke(app, ["data", "check", str(folder), "--json"])
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    assert plain.exit_code == result.exit_code == 2
    (imported,) = [p for p in json.loads(plain.stdout)["problems"] if "row 1:" in p]
    on_engine = json.loads(result.stdout)["problems"][0]
    # the import's refusal word for word (its file is the one it read), then the pointer
    said = imported.split(": ", 1)[1]
    assert on_engine.startswith(f"column 'sex' of residents.parquet row 1: {said}; names "), (
        on_engine
    )
    assert "0/1 alone may as well be a dummy" in on_engine
    # held as numbers, the type is refused with the same pointer
    _sexes(folder, lambda sexes: [int(s) for s in sexes])
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem.startswith("residents.parquet: column sex is int64; expected string (GB/T")
    assert "`ihms data import DIR`" in problem


def test_a_null_sex_passes_on_the_engine(exported):  # noqa: F811
    # schema 1.3: sex is optional, null meaning not known (GB/T 2261.1's 0 and 9 are
    # imported so); before, the engine refused it as "a value is required"
    _, folder = exported
    _sexes(folder, lambda sexes: [None, *sexes[1:]])
    result = runner.invoke(app, ["data", "check", str(folder), "--engine", "duckdb", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
