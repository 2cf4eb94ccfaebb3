"""``--level group`` on a project whose codebook has no category groups of answers is
an error naming the codebook and its grouped dimensions (a user walk: on a 6D project
``ihms policy agreement`` and ``tables`` printed their ordinary output)."""

from __future__ import annotations

import pytest
from tests.policy.conftest import build_example_project
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

SIX_D = (
    "option '--level': 'group' compares the groups an open dimension's answers fall in, "
    "but codebook '6d' has no category groups of answers; dimensions with groups: tools "
    "(closed: its categories fall in groups supply, demand, environment, which --level "
    "does not change); leave out --level (the default 'answer')"
)


def said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def six_d(tmp_path_factory):
    """The example 6D project, coded by two coders and reconciled."""
    return build_example_project(tmp_path_factory.mktemp("level") / "6d.sqlite", codings=True)


@pytest.mark.parametrize("command", [["agreement"], ["tables", "--out", "OUT"]])
def test_group_level_on_a_codebook_without_groups_is_an_error(six_d, tmp_path, command):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = runner.invoke(app, ["policy", args[0], str(six_d), *args[1:], "--level", "group"])
    assert result.exit_code == 2, result.output
    assert SIX_D in said(result)
    assert not (tmp_path / "out").exists()
