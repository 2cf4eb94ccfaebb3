"""A roster role the rules have no card for is refused when the roster meets the rules,
before anything is computed, naming the roster file, row, column ``role``, the staff id
and the cards the rules have (review 24 #7: the message named none of them, and came
after the settlement was computed)."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.payment import (
    IndicatorValues,
    PopulationTable,
    SpendingTable,
    StaffRoster,
    builtin_rules_text,
    rules_from_mapping,
    settlement_inputs,
)

runner = CliRunner()


def _rules_file(tmp_path):
    """The built-in sanming rules without ``other_roles``: director and doctor cards only."""
    text = builtin_rules_text("sanming")
    assert text.count("  other_roles: doctor") == 1
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("  other_roles:")]
    path = tmp_path / "county.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _roster(tmp_path, example_dir):
    text = (example_dir / "staff.csv").read_text(encoding="utf-8")
    text = text.replace("DR-CH01-B,doctor,", "DR-CH01-B,nurse,")  # row 8 of the file
    text = text.replace("DR-THC12-A,doctor,", "DR-THC12-A,pharmacist,")  # row 13
    path = tmp_path / "st2.csv"
    path.write_text(text, encoding="utf-8")
    return path


EXPECTED = [
    "column 'role' of {st} row 8: staff 'DR-CH01-B' has role 'nurse', for which rules "
    "'sanming' have no scorecard (they have director, doctor; staff_pay.other_roles may "
    "name the card for other roles)",
    "column 'role' of {st} row 13: staff 'DR-THC12-A' has role 'pharmacist', for which "
    "rules 'sanming' have no scorecard (they have director, doctor; staff_pay.other_roles "
    "may name the card for other roles)",
]


def test_refused_before_the_settlement_with_file_row_and_staff_id(tmp_path, example_dir):
    rules = rules_from_mapping(yaml.safe_load(_rules_file(tmp_path).read_text("utf-8")))
    st = _roster(tmp_path, example_dir)
    with pytest.raises(DataError) as err:
        settlement_inputs(
            rules,
            2018,
            spending=SpendingTable.read(example_dir / "spending.csv"),
            population=PopulationTable.read(example_dir / "population.csv"),
            indicators=IndicatorValues.read(example_dir / "indicators.csv"),
            staff=StaffRoster.read(st),
        )
    assert err.value.problems == [p.format(st=st) for p in EXPECTED]
    assert err.value.summary.startswith(f"{st}: 2 staff with a role rules 'sanming' do not card")


@pytest.mark.parametrize("command", ["settle", "distribute", "scorecard"])
def test_the_cli_names_them(tmp_path, example_dir, command):
    st = _roster(tmp_path, example_dir)
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    result = runner.invoke(
        app,
        ["payment", command, *files, f"--indicators={example_dir / 'indicators.csv'}",
         f"--staff={st}", f"--rules={_rules_file(tmp_path)}", "--year", "2018"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert all(p.format(st=st) in text for p in EXPECTED)
