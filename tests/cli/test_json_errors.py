"""Every command's ``--json`` errors: one JSON object on stdout and exit code 2, as
``ihms data check --json`` has always done; without ``--json`` the error stays the
one-line message on stderr, word for word."""

import json
from typing import Annotated

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from ihms.cli._common import IhmsGroup
from ihms.cli.main import app
from ihms.errors import DataError, InputError

runner = CliRunner()


def _json_commands():
    """Every ``ihms`` command with a ``--json`` flag, as its words on the command line."""

    def walk(command, words):
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in sorted(subcommands.items()):
                yield from walk(sub, [*words, name])
        elif any("--json" in getattr(p, "opts", ()) for p in command.params):
            yield words

    return list(walk(get_command(app), []))


def test_the_sweep_finds_the_json_commands():
    found = {" ".join(words) for words in _json_commands()}
    # each spelling of the parameter (json, json_out, json_) and each nesting depth
    assert {"payment settle", "its fit", "sim run", "policy autocode table apply"} <= found
    assert len(found) > 40


@pytest.mark.parametrize("words", _json_commands(), ids=" ".join)
def test_every_json_command_answers_a_usage_error_in_json(words):
    result = runner.invoke(app, [*words, "--json", "--zzqxwvk"])
    assert result.exit_code == 2
    got = json.loads(result.stdout)
    assert got == {
        "ok": False,
        "error": "No such option: --zzqxwvk",
        "problems": ["No such option: --zzqxwvk"],
    }


def test_payment_settle_json_error_has_the_plain_text_words():
    args = ["payment", "settle", "--year", "2024"]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 2 and plain.stdout == ""
    message = plain.stderr.removeprefix("error: ").strip()
    assert message == "give --spending and --population, or --store (a file replaces its table)"
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"ok": False, "error": message, "problems": [message]}
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        [
            "its",
            "fit",
            "no-such.csv",
            "--outcome",
            "y",
            "--time",
            "t",
            "--interruption=3",
            "--json",
        ],
        ["sim", "run", "--config", "no-such-config.yaml", "--json"],
        ["system", "check", "no-such-system.yaml", "--json"],
    ],
    ids=["its fit (json_out)", "sim run (json_)", "system check"],
)
def test_input_errors_of_other_groups_are_json_too(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    got = json.loads(result.stdout)
    assert got["ok"] is False and "no-such" in got["error"]


def test_a_value_after_double_dash_is_not_the_flag():
    result = runner.invoke(app, ["system", "check", "--", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--json" in result.stderr


def _raising(error: Exception) -> typer.Typer:
    broken = typer.Typer(cls=IhmsGroup)

    @broken.command()
    def fit(json: Annotated[bool, typer.Option("--json")] = False) -> None:
        raise error

    @broken.command()
    def other() -> None:
        pass

    return broken


def test_data_error_lists_its_problems():
    error = DataError(
        "2 problem(s) in claims.csv",
        ["claims.csv row 3, column 'cost': expected a number ≥ 0, got '-1'", "row 4: empty"],
    )
    result = runner.invoke(_raising(error), ["fit", "--json"])
    assert result.exit_code == 2
    got = json.loads(result.stdout)
    assert got.pop("problem_details") == [
        {"file": None, "row": None, "column": None, "value": None, "expected": None,
         "message": p}
        for p in error.problems
    ]  # fmt: skip
    assert got == {
        "ok": False,
        "error": "2 problem(s) in claims.csv",
        "problems": list(error.problems),
    }


def test_a_message_of_several_lines_keeps_each_line():
    error = InputError("--rules 'x': no such rule set\nbuilt-in: sanming, other-areas")
    result = runner.invoke(_raising(error), ["fit", "--json"])
    got = json.loads(result.stdout)
    assert got["error"] == "--rules 'x': no such rule set"
    assert got["problems"] == ["--rules 'x': no such rule set", "built-in: sanming, other-areas"]


def test_an_unwritable_path_is_a_json_error():
    error = PermissionError(13, "Permission denied", "/out/report.html.part")
    result = runner.invoke(_raising(error), ["fit", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "/out/report.html: Permission denied"
    plain = runner.invoke(_raising(error), ["fit"])
    assert plain.stdout == "" and "/out/report.html: Permission denied" in plain.stderr
