"""Residents of unknown sex (schema 1.3: sex optional, null = not known) through the
commands: a HIS register whose sex column holds GB/T 2261.1-2003's 9 (未说明的性别) and a
blank cell imports with one note, exports to Parquet with the nulls, and that folder
passes ``data check --engine duckdb`` and imports back (session 31: the import was
refused, "a value is required; the file holds GB/T 2261.1 code 9 ... here")."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from tests.data.conftest import FILES
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
NOTE = (
    "column 'sex' of residents.csv: read as coded by GB/T 2261.1-2003 (人的性别代码): "
    "2 女性 → F ×1; sex not known for 2 residents, left empty (no indicator reads sex): "
    "9 未说明的性别 ×1, blank ×1"
)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "cli-test-key-0123456789")
    out = tmp_path / "his"
    out.mkdir()
    for name, text in FILES.items():
        if name == "residents.csv":  # F, M, F → 2, 9, blank
            text = text.replace(",1950,F,", ",1950,2,").replace(",1960,M,", ",1960,9,")
            text = text.replace(",1985,F,", ",1985,,")
        (out / name).write_text(text, encoding="utf-8")
    return out


def test_unknown_sex_imports_exports_and_passes_the_engine_check(folder, tmp_path):
    store = tmp_path / "ihms.duckdb"
    system = ["--system", "examples/youxi.yaml"]
    result = runner.invoke(
        app, ["data", "import", str(folder), *system, "--store", str(store), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["rows"]["residents"] == 3
    assert [n for n in out["notes"] if "sex" in n] == [NOTE]
    parquet = tmp_path / "parquet"
    args = ["data", "export", "--store", str(store), "--out", str(parquet)]
    result = runner.invoke(app, [*args, "--format", "parquet"])
    assert result.exit_code == 0, result.output
    residents = pq.read_table(parquet / "residents.parquet")
    assert residents.schema.field("sex").nullable
    assert sorted(residents.column("sex").to_pylist(), key=str) == ["F", None, None]
    result = runner.invoke(app, ["data", "check", str(parquet), "--engine", "duckdb", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
    result = runner.invoke(app, ["data", "check", str(parquet), "--json"])
    assert result.exit_code == 0, result.output
    # the exported folder imports back, the nulls noted as blank
    again = tmp_path / "again.duckdb"
    result = runner.invoke(app, ["data", "import", str(parquet), "--store", str(again), "--json"])
    assert result.exit_code == 0, result.output
    notes = [n for n in json.loads(result.stdout)["notes"] if "sex" in n]
    assert notes == [
        "column 'sex' of residents.parquet: sex not known for 2 residents, left empty (no "
        "indicator reads sex): blank ×2"
    ]
