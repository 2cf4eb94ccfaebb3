"""The report's closing "Use it on your county" commands exist as written: each names a
real command and only options that command takes (demo review, session 23, 10)."""

from __future__ import annotations

import shlex

import pytest
from typer.main import get_command

from ihms.cli.main import app
from ihms.demo import STEPS, DemoContext
from ihms.demo._next import STEPS_ON_YOUR_COUNTY, next_sections


def _resolve(words: list[str]):
    """The command the words name, and the words after it."""
    command = get_command(app)
    while words and words[0] in getattr(command, "commands", {}):
        command, words = command.commands[words[0]], words[1:]
    return command, words


@pytest.mark.parametrize("row", STEPS_ON_YOUR_COUNTY, ids=[r[0] for r in STEPS_ON_YOUR_COUNTY])
def test_each_command_names_a_command_and_its_options(row):
    words = shlex.split(row[1])
    assert words[0] == "ihms"
    command, rest = _resolve(words[1:])
    assert not hasattr(command, "commands"), f"{row[1]!r} names a group, not a command"
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    given = [w for w in rest if w.startswith("--")]
    assert set(given) <= options, f"{row[1]!r}: no option(s) {set(given) - options}"


def test_a_misspelt_option_would_be_caught():
    # the check above can fail: an option the command lacks is found
    command, _ = _resolve(["data", "check"])
    options = {o for p in command.params for o in p.opts}
    assert "--sytem" not in options and "--system" in options


def test_the_section_closes_the_report_and_lists_every_step(tmp_path):
    assert STEPS[-1].key == "next"
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    (section,) = next_sections(ctx)
    (table,) = section.tables()
    assert list(table.table.frame.index) == [r[0] for r in STEPS_ON_YOUR_COUNTY]
