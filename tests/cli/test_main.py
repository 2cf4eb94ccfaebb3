import typer
from typer.testing import CliRunner

from ihms.cli._common import IhmsGroup, cli_help, to_jsonable
from ihms.cli.main import app
from ihms.errors import InputError

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("ihms ")


def _raising(error: Exception) -> typer.Typer:
    """An app whose command ``fit`` raises ``error`` (two commands, so ``fit`` is a
    subcommand as in ihms)."""
    broken = typer.Typer(cls=IhmsGroup)

    @broken.command()
    def fit() -> None:
        raise error

    @broken.command()
    def other() -> None:
        pass

    return broken


def test_input_error_becomes_message_and_exit_code_2():
    error = InputError("column 'y' of data.csv row 3: expected a number, got 'abc'")
    result = runner.invoke(_raising(error), ["fit"])
    assert result.exit_code == 2
    assert "expected a number, got 'abc'" in result.output
    assert "Traceback" not in result.output


def test_brackets_in_a_message_are_printed_not_read_as_markup():
    error = InputError("codebook: dimensions[2] [tools].kind: Field required [bold]")
    result = runner.invoke(_raising(error), ["fit"])
    assert result.exit_code == 2
    assert "dimensions[2] [tools].kind: Field required [bold]" in result.output


def test_to_jsonable_handles_numpy_nan_and_decimal():
    from decimal import Decimal

    import numpy as np

    out = to_jsonable({"a": np.float64("nan"), "b": np.int64(3), "c": Decimal("1.10")})
    assert out == {"a": None, "b": 3, "c": "1.10"}


def test_to_jsonable_gives_pandas_missing_values_as_null():
    # an Int64 column's missing cell is pd.NA (the ledger audit's expected_fen of an
    # account no settlement books), a datetime column's NaT
    import json

    import pandas as pd

    frame = pd.DataFrame(
        {
            "fen": pd.array([1, None], dtype="Int64"),
            "day": pd.to_datetime(["2018-01-01", None]),
        }
    )
    out = to_jsonable({"rows": frame, "na": pd.NA, "nat": pd.NaT})
    assert out == {
        "rows": [{"fen": 1, "day": "2018-01-01 00:00:00"}, {"fen": None, "day": None}],
        "na": None,
        "nat": None,
    }
    json.dumps(out)


def test_an_os_error_becomes_message_and_exit_code_2(tmp_path):
    broken = typer.Typer(cls=IhmsGroup)
    target = tmp_path / "out" / "report.html.part"

    @broken.command()
    def write() -> None:
        raise PermissionError(13, "Permission denied", str(target))

    @broken.command()
    def other() -> None:
        pass

    result = runner.invoke(broken, ["write"])
    assert result.exit_code == 2
    # the path as the user gave it (without the atomic write's .part), and the reason
    squeeze = lambda text: "".join(text.split())  # noqa: E731 - undo rich's wrapping
    assert squeeze(f"{tmp_path / 'out' / 'report.html'}: Permission denied") in squeeze(
        result.output
    )
    assert ".part" not in result.output
    assert "Traceback" not in result.output


def test_the_cli_starts_without_loading_pandas():
    # `ihms --help` and every command's parsing run before any work; loading pandas at
    # import made each invocation ~1.5 s slower (measured: 3.9 s -> 0.5 s for --help).
    import subprocess
    import sys

    code = "import sys, ihms.cli.main; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_commands_long_help_flows_as_paragraphs():
    # rich help keeps a docstring's line breaks: `sim run --help` printed its wrapped
    # second paragraph ragged, with reStructuredText's ``double quotes``
    result = runner.invoke(app, ["sim", "run", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "``" not in result.output
    assert "`summary.json` in `--out` records the period and where the tables are; a" in (
        result.output
    )
    assert cli_help("One.\n\nTwo\n  lines ``x``.\n\n\nThree.") == "One.\n\nTwo lines `x`.\n\nThree."


def test_every_argument_and_option_has_help_text():
    """`ihms <command> --help` explains every argument and option (walk16 found
    `ihms agreement`'s CODINGS file listed with no words)."""
    import typer.main

    def undocumented(command, path):
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from undocumented(sub, [*path, name])
            return
        for param in command.params:
            if param.name != "help" and not getattr(param, "help", None):
                yield f"{' '.join(path)} {param.name}"

    assert list(undocumented(typer.main.get_command(app), ["ihms"])) == []
