"""Every command's ``--help`` at 80 columns shows its help text whole: wrapped, never
cut with "…" (rich cut a wrapped line that ended in Chinese followed by a space)."""

from __future__ import annotations

import re

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

# a help line cut at the panel's edge: the ellipsis just before the padding and border
_CUT = re.compile(r"…\s*│\s*$")


def _commands(command, path):
    yield path
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _commands(sub, [*path, name])


COMMANDS = list(_commands(typer.main.get_command(app), []))


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "ihms" for p in COMMANDS])
def test_help_at_80_columns_cuts_no_text(path):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert [line for line in lines if _CUT.search(line)] == []


def test_growth_help_shows_its_chinese_terms_whole():
    # user walk, session 16: `ihms growth --help` at 80 columns printed
    # "Year-on-year growth (比上年增长/同比…" and "'quarter' (2019Q1, 2019年第一季度) o…"
    result = runner.invoke(app, ["growth", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    text = " ".join(result.output.replace("│", " ").split())
    for whole in ["(比上年增长/同比)", "2019年第一季度) or", "(累计同比), from --by", "(上年=100,"]:
        assert whole in text


def _option_help(path: list[str], name: str) -> str:
    command = typer.main.get_command(app)
    for part in path:
        command = command.commands[part]
    return " ".join(next(p.help for p in command.params if p.name == name).split())


@pytest.mark.parametrize("path", [["its", "fit"], ["its", "lags"], ["agreement"], ["growth"]])
def test_single_file_commands_describe_sheet_and_encoding_of_one_file(path):
    # user walk, session 16: the shared help spoke of "a folder of tables" and "the sheet
    # named after the table" on commands that read one file
    sheet, encoding = _option_help(path, "sheet"), _option_help(path, "encoding")
    for text in (sheet, encoding):
        assert "folder" not in text and "named after" not in text
    assert "only sheet with data" in sheet and "by name or number" in sheet
    assert "GBK" in encoding and "latin-1" in encoding


def test_growth_encoding_covers_its_prices_file_too():
    # the price index (--prices) is read with the same --encoding; --sheet is TABLE's
    assert "--prices" in _option_help(["growth"], "encoding")
    assert "--prices" not in _option_help(["growth"], "sheet")


@pytest.mark.parametrize("path", [["data", "import"], ["data", "check"]])
def test_folder_commands_describe_sheet_and_encoding_of_every_table(path):
    sheet, encoding = _option_help(path, "sheet"), _option_help(path, "encoding")
    assert "every .xlsx table in the folder" in sheet and "named after the table" in sheet
    assert "every CSV table in the folder" in encoding


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "ihms" for p in COMMANDS])
def test_flags_show_no_value_type(path):
    # Typer 0.29's rich help printed `--json <bool>` and `--help <bool>`, as if the flag
    # took a value (`--json true` is refused as an extra argument); its plain-text help
    # prints no type for a flag. Options that take a value keep theirs (`<path>`, `<str>`).
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert re.search(r"--help\s+Show this message", result.output)


def test_options_that_take_a_value_keep_their_type():
    result = runner.invoke(app, ["its", "fit", "--help"], terminal_width=200)
    assert re.search(r"--outcome\s+<str>", result.output)
    assert re.search(r"--level\s+<float>", result.output)
