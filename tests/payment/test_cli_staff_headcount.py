"""``--staff-headcount``: how many staff the incentive pool is for; a roster listing
fewer is noted on stderr and in ``--json``'s ``notes`` (review P #2). Figures as in
``test_incentive_checks`` (examples/payment, sanming, 2018: pool 787,671.89 yuan;
Youxi's 1,911 health personnel, seed 002 Table 2: 412.18 yuan a head)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _run(command, example_dir, *extra):
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population")]
    files += [f"--{t}={example_dir / f'{t}.csv'}" for t in ("indicators", "staff")]
    return runner.invoke(app, ["payment", command, *files, "--year", "2018", *extra])


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("command", ["settle", "distribute", "scorecard"])
def test_a_short_roster_is_noted_in_json(command, example_dir):
    result = _run(command, example_dir, "--staff-headcount", "1911", "--json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    (short,) = [n for n in notes if "the headcount given" in n]
    assert "787,671.89 yuan is for 1,911 staff" in short
    assert "412.18 yuan a head" in short
    assert "412.18 yuan a head" in " ".join(result.stderr.split())


@pytest.mark.usefixtures("former_sanming_rules")
def test_without_a_headcount_the_large_incentive_is_noted(example_dir):
    result = _run("distribute", example_dir)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "DR-THC03-A 116,708.37 yuan on a base salary of 105,000.00 (1.11 ×)" in text
    assert "--staff-headcount" in text


def test_a_headcount_of_zero_is_refused(example_dir):
    result = _run("settle", example_dir, "--staff-headcount", "0")
    assert result.exit_code == 2
    assert "--staff-headcount" in result.output
