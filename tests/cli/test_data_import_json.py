"""``data import --json`` on failure gives ``problem_details`` as ``data check --json``
does (review of the data import, 2026-11-25, finding 13: a pipeline running the import
could not read the problems field by field)."""

from __future__ import annotations

import json

from tests.data.conftest import FILES
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_import_json_gives_problem_details(tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "cli-test-key-0123456789")
    csv_folder = tmp_path / "export"
    csv_folder.mkdir()
    for name, text in FILES.items():
        (csv_folder / name).write_text(text, encoding="utf-8")
    enc = csv_folder / "encounters.csv"
    enc.write_text(enc.read_text(encoding="utf-8").replace("2016-04-01", "2016-13-01"))
    args = ["data", "import", str(csv_folder), "--system", "examples/youxi.yaml"]
    result = runner.invoke(app, [*args, "--store", str(tmp_path / "x.duckdb"), "--json"])
    assert result.exit_code == 2
    got = json.loads(result.stdout)
    (detail,) = got["problem_details"]
    assert (detail["file"], detail["row"], detail["column"]) == ("encounters.csv", 3, "date")
    assert detail["value"] == "2016-13-01" and detail["message"] == got["problems"][0]
    assert not (tmp_path / "x.duckdb").exists()
