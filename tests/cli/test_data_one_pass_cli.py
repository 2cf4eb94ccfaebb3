"""``ihms data import`` and ``data check`` name the unreadable cells and the checks of
the rows read in one run, and write nothing."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SYSTEM = ["--system", "examples/youxi.yaml", "--start", "2016", "--end", "2019"]


def _folder(tmp_path):
    folder = tmp_path / "his"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "resident_id,birth_year,sex,grid_id,insured,fp_registered,hypertension,diabetes\n"
        "A,1950,F,G01,true,false,false,false\n",
        encoding="utf-8",
    )
    (folder / "encounters.csv").write_text(
        "encounter_id,resident_id,institution_id,date,type,total_cost_yuan,insurance_paid_yuan,out_of_pocket_yuan\n"
        "E1,A,YX-CH01,2016/02/31,outpatient,100,0,100\n"
        "E2,A,NOWHERE,2016-02-01,outpatient,100,0,100\n"
        "E3,A,YX-CH01,2016-02-01,outpatient,100,0,100\n",
        encoding="utf-8",
    )
    (folder / "claims.csv").write_text(
        "claim_id,encounter_id,settled_date,insurance_paid_yuan,out_of_pocket_yuan\n"
        "C1,E3,2016-02-03,150,0\n"
        "C2,E1,2016-02-03,1x0,0\n",
        encoding="utf-8",
    )
    return folder


def test_import_names_both_kinds_of_problem_in_one_run_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "cli-test-key-0123456789")
    folder, store = _folder(tmp_path), tmp_path / "ihms.duckdb"
    result = runner.invoke(app, ["data", "import", str(folder), "--store", str(store), *SYSTEM])
    assert result.exit_code == 2, result.output
    assert not store.exists()
    checked = runner.invoke(app, ["data", "check", str(folder), *SYSTEM, "--json"])
    got = json.loads(checked.stdout)
    assert got["error"] == (
        "4 problem(s) in the data set: 2 reading its cells, 2 in the checks of the rows "
        "read; the 2 row(s) with unreadable cells get those checks once their cells are "
        "mended"
    )
    problems = got["problems"]
    assert problems[0].startswith("column 'date' of encounters.csv row 2: expected a date")
    assert problems[1].startswith(
        "column 'insurance_paid_yuan' of claims.csv row 3: expected yuan with at most two"
    )
    assert problems[2].startswith(
        "column 'institution_id' of encounters.csv row 3: unknown institution 'NOWHERE'"
    )
    assert problems[3] == (
        "column 'insurance_paid_yuan' of claims.csv row 2: claims of encounter 'E3' pay "
        "150.00 yuan from insurance, more than its total cost 100.00 yuan"
    )
