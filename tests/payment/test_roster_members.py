"""A roster member at an institution that is not a consortium member in the year, or
on a base salary of 0, is refused before anything is settled or posted (payment review
2026-11-25, finding 6: the ledger held ``institution:CH99 -236,565.00`` for an
institution the settlement paid nothing, and a member "on no base salary" took a full
share of the pool; the audit passed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.payment import StaffRoster, load_rules, settlement_inputs

runner = CliRunner()
HEADER = "staff_id,role,institution_id,base_salary_fen,weight\n"


def _settle(example_dir: Path, staff: Path, *extra: str):
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population", "indicators")]
    return runner.invoke(
        app, ["payment", "settle", *files, f"--staff={staff}", "--year", "2018", *extra]
    )


def test_a_member_at_a_non_member_institution_is_refused_before_posting(example_dir, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text(
        HEADER + "DR-CH02-A,doctor,CH02,18000000,1\nDR-CH01-A,doctor,CH99,21000000,1\n",
        encoding="utf-8",
    )
    ledger = tmp_path / "l.sqlite"
    out = tmp_path / "s.csv"
    r = _settle(example_dir, staff, "--ledger", str(ledger), "--out", str(out))
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert (
        f"column 'institution_id' of {staff} row 3: staff 'DR-CH01-A' works at 'CH99', which "
        f"has no consortium spending in {example_dir / 'spending.csv'} for 2018"
    ) in said
    assert "expected one of the members with spending in" in said
    assert "CH01, CH02, CH03, THC01" in said and "(27 in all)" in said
    assert not ledger.exists() and not out.exists()  # nothing half-written


def test_the_library_refuses_it_in_settlement_inputs(youxi):
    frame = pd.DataFrame(
        {
            "staff_id": ["A"],
            "role": ["doctor"],
            "institution_id": ["THC99"],
            "base_salary_fen": ["100"],
        }
    )
    roster = StaffRoster.from_frame(frame, source="r.csv")
    tables = {**youxi, "staff": roster}
    with pytest.raises(DataError) as info:
        settlement_inputs(load_rules("sanming"), 2018, **tables)
    (problem,) = info.value.problems
    assert problem.startswith("column 'institution_id' of r.csv row 2: staff 'A' works at")


@pytest.mark.parametrize(
    ("column", "cell"), [("base_salary_fen", "0"), ("base_salary_yuan", "0.00")]
)
def test_a_base_salary_of_0_is_refused(column, cell):
    frame = pd.DataFrame(
        {
            "staff_id": ["A", "B"],
            "role": ["doctor", "doctor"],
            "institution_id": ["CH01", "CH01"],
            column: ["100", cell],
        }
    )
    with pytest.raises(DataError) as info:
        StaffRoster.from_frame(frame, source="r.csv")
    (problem,) = info.value.problems
    assert problem.startswith(f"column '{column}' of r.csv row 3: expected a base salary above 0")


def test_the_cli_refuses_a_base_salary_of_0_before_posting(example_dir, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text(HEADER + "DR-CH01-B,doctor,CH01,0,1\n", encoding="utf-8")
    ledger = tmp_path / "l.sqlite"
    r = _settle(example_dir, staff, "--ledger", str(ledger))
    assert r.exit_code == 2
    assert "row 2: expected a base salary above 0, got 0" in " ".join(r.output.split())
    assert not ledger.exists()


@pytest.mark.parametrize("command", ["settle", "distribute", "compare"])
def test_the_refusal_comes_before_any_note(example_dir, tmp_path, command):
    # session 29's closing note: the CLI noted "institution_id 'CH99' (staff DR-CH01-A)
    # has no consortium spending … check the id", then refused the same roster
    staff = tmp_path / "staff.csv"
    staff.write_text(HEADER + "DR-CH01-A,doctor,CH99,21000000,1\n", encoding="utf-8")
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population", "indicators")]
    r = runner.invoke(app, ["payment", command, *files, f"--staff={staff}", "--year", "2018"])
    assert r.exit_code == 2, r.output
    assert "staff 'DR-CH01-A' works at 'CH99'" in " ".join(r.output.split())
    assert "note:" not in r.output
