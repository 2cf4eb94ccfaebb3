"""``ihms data check --json``: each problem's pieces apart for a script, and the period
checked for said on problems (review of session 28's indicators, finding 8)."""

from __future__ import annotations

import json

from tests.cli.test_data_cli import CHECK, _residents_and_encounters
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_problem_details_give_file_row_column_value_and_expected(tmp_path):
    folder = _residents_and_encounters(tmp_path / "bad")
    path = folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace(",100,50,50,", ",100,50,-50,"), "utf-8")
    failed = runner.invoke(app, [*CHECK, str(folder), "--json"])
    assert failed.exit_code == 2, failed.output
    got = json.loads(failed.stdout)
    # the text stays as it was: scripts reading "problems" keep working
    assert got["problems"][0].startswith("column 'out_of_pocket_fen' of encounters.csv row 2:")
    assert got["problem_details"] == [
        {
            "file": "encounters.csv",
            "row": 2,
            "column": "out_of_pocket_fen",
            "value": -50,
            "expected": "≥ 0 fen",
            "message": got["problems"][0],
        }
    ]


def test_a_problem_before_the_tables_are_read_has_its_text_only(tmp_path):
    folder = _residents_and_encounters(tmp_path / "bad")
    (folder / "residents.csv").unlink()
    failed = runner.invoke(app, [*CHECK, str(folder), "--json"])
    assert failed.exit_code == 2, failed.output
    got = json.loads(failed.stdout)
    assert [d["message"] for d in got["problem_details"]] == got["problems"]
    assert {k for d in got["problem_details"] for k, v in d.items() if v is not None} == {"message"}


def test_the_period_of_the_folders_dataset_json_is_said_on_problems(tmp_path):
    folder = _residents_and_encounters(tmp_path / "bad")
    (folder / "dataset.json").write_text(
        json.dumps({"period": {"start": "2016-01-01", "end": "2017-12-31"}}), "utf-8"
    )
    path = folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace(",100,50,50,", ",100,50,-50,"), "utf-8")
    args = ["data", "check", "--system", "examples/youxi.yaml", str(folder), "--json"]
    failed = runner.invoke(app, args)
    assert failed.exit_code == 2, failed.output
    got = json.loads(failed.stdout)
    assert (got["ok"], got["period"]) == (False, "2016-01-01 to 2017-12-31")
    plain = runner.invoke(app, args[:-1])  # without --json: the same failure
    assert plain.exit_code == 2
