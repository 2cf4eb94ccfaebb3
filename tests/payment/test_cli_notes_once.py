"""``payment distribute`` and ``settle`` print each note once (session 21, user review
P): a note the command adds (an incentive above the base salary, a spending size, a
part-year settlement) on stderr, as ``compare`` and ``scorecard`` print theirs; the
settlement's own notes with its tables on stdout; ``--json`` gives every note in
``notes``. Figures: examples/payment, sanming, 2018, as in ``test_incentive_checks``
(DR-THC03-A 116,708.37 yuan on a 105,000.00 base)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

ABOVE = "Incentive above 1 × the base salary"
NO_ROSTER = "No staff roster given: the incentive pool is not shared out."


def _run(command, example_dir, *extra, staff=True):
    tables = ["spending", "population", "indicators", *(["staff"] if staff else [])]
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in tables]
    return runner.invoke(app, ["payment", command, *files, "--year", "2018", *extra])


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("command", ["distribute", "settle"])
def test_a_note_the_command_adds_is_printed_once_on_stderr(command, example_dir):
    result = _run(command, example_dir)
    assert result.exit_code == 0, result.output
    assert _flat(result.stderr).count(f"note: {ABOVE}") == 1
    assert ABOVE not in _flat(result.stdout)


@pytest.mark.parametrize("command", ["distribute", "settle"])
def test_the_settlements_own_note_is_printed_once_on_stdout(command, example_dir):
    result = _run(command, example_dir, staff=False)
    assert result.exit_code == 0, result.output
    assert _flat(result.stdout).count(NO_ROSTER) == 1
    assert NO_ROSTER not in _flat(result.stderr)


@pytest.mark.parametrize("command", ["distribute", "settle"])
def test_json_gives_every_note(command, example_dir):
    result = _run(command, example_dir, "--json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    (above,) = [n for n in notes if n.startswith(ABOVE)]
    # the settlement's note (settle_year gives it) asks for the command's option
    assert "(give --staff-headcount, the headcount the pool is for, to check" in above


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("command", ["distribute", "settle"])
def test_a_headcount_note_given_by_the_settlement_is_printed_once(command, example_dir):
    # the settlement notes the roster against --staff-headcount (settlement_inputs'
    # staff_headcount) and the command prints that note on stderr once
    result = _run(command, example_dir, "--staff-headcount", "1911")
    assert result.exit_code == 0, result.output
    assert _flat(result.stderr).count("412.18 yuan a head") == 1
    assert "412.18 yuan a head" not in _flat(result.stdout)
