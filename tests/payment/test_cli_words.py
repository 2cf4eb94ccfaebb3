"""A message says what to change in the words of whoever reads it: a library user passes
``assume_assessment_passed=True`` and ``indicators=``; a command-line user gives
``--assume-passed`` and ``--indicators`` and never sees the Python names."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import (
    CountyYear,
    PopulationTable,
    SettlementInputs,
    SpendingTable,
    StaffRoster,
    YearSpending,
    load_rules,
    settle_year,
    settlement_inputs,
)

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TABLES = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]


def flat(result) -> str:
    return " ".join(result.output.split())


def test_the_library_names_its_argument():
    spending = YearSpending(2018, {"CH01": 900_000})
    with pytest.raises(InputError) as err:
        settle_year(load_rules("sanming"), SettlementInputs(CountyYear(2018, 1_000), spending))
    assert "(assume_assessment_passed=True)" in str(err.value)
    assert "--assume-passed" not in str(err.value)


@pytest.mark.parametrize("command", ["settle", "distribute"])
def test_the_command_line_names_its_option(command):
    r = runner.invoke(app, ["payment", command, "--year", "2018", *TABLES])
    assert r.exit_code == 2
    assert "or assume the assessment passed (--assume-passed)" in flat(r)
    assert "assume_assessment_passed" not in r.output


def test_compare_names_its_option():
    r = runner.invoke(app, ["payment", "compare", "--year", "2018", *TABLES])
    assert r.exit_code == 2
    assert "(--assume-passed)" in flat(r) and "assume_assessment_passed" not in r.output


def test_a_roster_without_values_names_the_option_or_the_argument():
    staff = ["--staff", str(EX / "staff.csv"), "--assume-passed"]
    r = runner.invoke(app, ["payment", "settle", "--year", "2018", *TABLES, *staff])
    assert r.exit_code == 2
    assert "give them with the roster (--indicators)" in flat(r)
    assert "parameter" not in r.output
    with pytest.raises(InputError, match=r"the roster \(parameter 'indicators'\)"):
        settlement_inputs(
            load_rules("sanming"),
            2018,
            spending=SpendingTable.read(EX / "spending.csv"),
            population=PopulationTable.read(EX / "population.csv"),
            staff=StaffRoster.read(EX / "staff.csv"),
            assume_assessment_passed=True,
        )
