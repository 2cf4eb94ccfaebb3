"""The console's row cap (``ihms._table_rows``) through the command line: a table of
100 rows (more than the 60 printed whole) printed by ``ihms growth --yoy`` shows its
first 20 and last 20 rows, a row of ``⋮`` between and a note naming the command's ways
to every row; ``IHMS_MAX_ROWS`` and
``ihms --max-rows`` change or lift the cap, a bad value is refused naming it, and
``--json`` and ``--out`` hold every row whatever the cap."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.indicators import CATALOGUE

runner = CliRunner()

NOTE = (
    "Showing 40 of 100 rows (the first 20 and the last 20). Every row: --out FILE or "
    "--json; all of them printed: ihms --max-rows 0 … or IHMS_MAX_ROWS=0."
)


@pytest.fixture
def series(tmp_path, monkeypatch):
    """A yearly series of 100 years, 1900-1999 (value 100 to 199), and no cap set."""
    monkeypatch.delenv("IHMS_MAX_ROWS", raising=False)
    path = tmp_path / "series.csv"
    pd.DataFrame({"year": range(1900, 2000), "value": range(100, 200)}).to_csv(path, index=False)
    return path


def years_shown(output: str) -> list[int]:
    """The years of the table's rows, in the order printed (``│ value │ 1900 │ ...``)."""
    return [int(y) for y in re.findall(r"^│ value\s+│ (\d{4}) │", output, re.M)]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_long_table_shows_its_head_and_tail_and_says_so(series):
    result = runner.invoke(app, ["growth", str(series), "--yoy"])
    assert result.exit_code == 0, result.output
    assert years_shown(result.output) == [*range(1900, 1920), *range(1980, 2000)]
    # one row of ⋮ between 1919 and 1980, in every column
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "│ 1919 │" in line)
    assert re.fullmatch(r"│ ⋮\s+│\s+⋮ │\s+⋮ │\s+⋮ │\s+⋮ │", lines[at + 1])
    assert "│ 1980 │" in lines[at + 2]
    assert NOTE in flat(result.output)
    # the note comes right under the table, before the table's own notes
    assert flat(result.output).index(NOTE) < flat(result.output).index("Growth = value")


def test_the_cap_is_lifted_or_changed_by_the_variable_and_the_option(series, monkeypatch):
    every = list(range(1900, 2000))
    monkeypatch.setenv("IHMS_MAX_ROWS", "0")
    result = runner.invoke(app, ["growth", str(series), "--yoy"])
    assert years_shown(result.output) == every
    assert "⋮" not in result.output and "Showing" not in result.output
    monkeypatch.setenv("IHMS_MAX_ROWS", "7")  # the larger half on top
    result = runner.invoke(app, ["growth", str(series), "--yoy"])
    assert years_shown(result.output) == [1900, 1901, 1902, 1903, 1997, 1998, 1999]
    assert "Showing 7 of 100 rows (the first 4 and the last 3)." in flat(result.output)
    # the option wins over the variable
    result = runner.invoke(app, ["--max-rows", "0", "growth", str(series), "--yoy"])
    assert years_shown(result.output) == every
    result = runner.invoke(app, ["--max-rows", "100", "growth", str(series), "--yoy"])
    assert years_shown(result.output) == every
    # a cap above 40 prints a longer table as its first and last 20
    result = runner.invoke(app, ["--max-rows", "99", "growth", str(series), "--yoy"])
    assert years_shown(result.output) == [*range(1900, 1920), *range(1980, 2000)]
    monkeypatch.delenv("IHMS_MAX_ROWS")
    result = runner.invoke(app, ["--max-rows", "4", "growth", str(series), "--yoy"])
    assert years_shown(result.output) == [1900, 1901, 1998, 1999]
    # the cap of one run does not stay for the next
    result = runner.invoke(app, ["growth", str(series), "--yoy"])
    assert len(years_shown(result.output)) == 40


@pytest.mark.parametrize("value", ["abc", "-5", "4.5", "forty"])
def test_a_bad_variable_is_refused_naming_it(series, monkeypatch, value):
    monkeypatch.setenv("IHMS_MAX_ROWS", value)
    out = series.parent / "g.csv"
    result = runner.invoke(app, ["growth", str(series), "--yoy", "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        f"error: IHMS_MAX_ROWS={value!r}: expected a whole number, the most rows of a table "
        "printed whole (default 60; a longer one shows its first and last "
        "20), or 0 to print every row"
    ) in flat(result.output)
    assert not out.exists()  # refused before the command did its work
    result = runner.invoke(app, ["growth", str(series), "--yoy", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"].startswith(f"IHMS_MAX_ROWS={value!r}: expected")


def test_a_bad_option_is_refused():
    result = runner.invoke(app, ["--max-rows", "-1", "indicators", "list"])
    assert result.exit_code == 2
    text = flat(result.output)
    assert "Invalid value for '--max-rows': Input should be greater than or equal to 0" in text


def test_json_and_out_hold_every_row_under_the_cap(series, monkeypatch):
    monkeypatch.setenv("IHMS_MAX_ROWS", "10")
    result = runner.invoke(app, ["growth", str(series), "--yoy", "--json"])
    assert [r["period"] for r in json.loads(result.output)["rows"]] == list(range(1900, 2000))
    out = series.parent / "growth.csv"
    result = runner.invoke(
        app, ["--max-rows", "4", "growth", str(series), "--yoy", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["year"].tolist() == list(range(1900, 2000))


def test_a_command_without_a_file_option_names_json(monkeypatch):
    # the catalogue's indicators (50), whole under the default 60; `indicators list`
    # writes no file
    monkeypatch.delenv("IHMS_MAX_ROWS", raising=False)
    result = runner.invoke(app, ["indicators", "list"])
    assert result.exit_code == 0, result.output
    assert "⋮" not in result.output and "Showing" not in flat(result.output)
    result = runner.invoke(app, ["--max-rows", "30", "indicators", "list"])
    assert result.exit_code == 0, result.output
    assert (
        f"Showing 30 of {len(CATALOGUE)} rows (the first 15 and the last 15). Every row: --json; "
        "all of "
        "them printed: ihms --max-rows 0 … or IHMS_MAX_ROWS=0."
    ) in flat(result.output)


def test_output_sent_to_a_file_is_cut_and_says_so(series, tmp_path):
    # review of session 30's diff, finding 9: the README said only the terminal is cut,
    # but stdout sent to a file or a pipe is too (as pandas' display); the note in it
    # says how to get every row there (--out, --json, the lifted cap), not "in the terminal"
    printed = tmp_path / "growth.txt"
    run = "from ihms.cli.main import main; main()"
    with printed.open("w", encoding="utf-8") as f:
        done = subprocess.run(
            [sys.executable, "-c", run, "growth", str(series), "--yoy"],
            stdout=f,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
            check=False,
        )
    assert done.returncode == 0, done.stderr
    output = printed.read_text(encoding="utf-8")
    assert years_shown(output) == [*range(1900, 1920), *range(1980, 2000)]
    assert NOTE in flat(output)
