"""The "Examples" block under the commands' ``--help`` (:mod:`ihms.cli._examples`): shown,
80 columns wide, every line parsed by the command's own parser (a renamed option or a
file that moved fails here), and the lines of the quick commands run as written on a
copy of ``examples/`` (new-user review, session 31: no help page had an example)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner

from ihms.cli._examples import EXAMPLES
from ihms.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
ROOT_COMMAND = typer.main.get_command(app)


def command_lines(text: str) -> list[list[str]]:
    """Each ``ihms …`` command of an examples block as its arguments (``ihms`` left
    out): continued lines joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "ihms", line
            out.append(words[1:])
    return out


def _leaf(args: list[str]):
    """The click command ``args`` names and the arguments left for it (the root's
    ``--max-rows N`` passed over)."""
    command = ROOT_COMMAND
    args = list(args)
    if args[:1] == ["--max-rows"]:
        args = args[2:]
    path = []
    while getattr(command, "commands", None):
        path.append(args[0])
        command = command.commands[args.pop(0)]
    return " ".join(path), command, args


@pytest.fixture
def examples_copy(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_every_examples_block_is_a_command_and_fits_80_columns():
    for path, text in EXAMPLES.items():
        assert _leaf(path.split())[0] == path
        assert text.strip() and command_lines(text), path
        # the help pads each line by one column a side: wider lines would wrap
        assert max(cell_len(line) for line in text.splitlines()) <= 76, path


@pytest.mark.parametrize(
    "path", ["its fit", "policy init", "payment settle", "data generate", "system show"]
)
def test_help_shows_the_examples(path):
    result = runner.invoke(app, [*path.split(), "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "Examples (from the folder holding examples/):" in result.output
    # every line of the block as written (review of diff 31b, L8: the last word of the
    # first example was looked for anywhere, and "1" is in every help's "[default: 1]")
    shown = [line.strip() for line in result.output.splitlines()]
    block = [line.strip() for line in EXAMPLES[path].splitlines()]
    at = shown.index(block[0])
    assert shown[at : at + len(block)] == block


def test_a_command_without_examples_has_no_block():
    result = runner.invoke(app, ["policy", "stopwords", "--help"], terminal_width=80)
    assert result.exit_code == 0 and "Examples" not in result.output


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_every_example_parses(path, examples_copy):
    # the command's own parser: an unknown or renamed option, a missing required one,
    # a bad choice or a file the examples do not ship fails here
    made = {"out/study.sqlite", "shared/", "my6d.yaml"}  # written by earlier examples
    for args in command_lines(EXAMPLES[path]):
        name, command, rest = _leaf(args)
        assert name == path or name in EXAMPLES, args
        for word in rest:
            if word in made:
                Path(word.rstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        with command.make_context(name, list(rest)) as ctx:
            assert ctx.params is not None


def _run_all(path: str) -> None:
    for args in command_lines(EXAMPLES[path]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)


# quick ones, each on a fresh copy; the store's (data, indicators), the simulator's and
# the demo's take minutes and are parsed above only
QUICK = [
    "its fit",
    "its lags",
    "its batch",
    "trend",
    "growth",
    "agreement",
    "system check",
    "system coverage",
    "system show",
    "payment rules",
    "payment budget",
    "payment settle",
    "payment scorecard",
    "payment compare",
    "payment track",
    "indicators list",
    "indicators show",
]


@pytest.mark.parametrize("path", QUICK)
def test_quick_examples_run_as_written(path, examples_copy):
    _run_all(path)


def test_policy_examples_run_as_written_in_the_session_order(examples_copy):
    session = [
        "policy init",
        "policy codebook",
        "policy import",
        "policy screen",
        "policy segment",
        "policy codes export",
        "policy codes import",
        "policy agreement",
        "policy reconcile",
        "policy tables",
        "policy dataset",
        "policy info",
    ]
    assert {p for p in EXAMPLES if p.startswith("policy ")} == set(session)
    for path in session:
        _run_all(path)
