"""``ihms indicators show`` names an indicator's source study as ``indicators list``
does: under "source", cited by author and year."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_show_names_the_source_study_as_list_does():
    # the catalogue's key is `seed` (kept in --json for scripts); the table a user reads
    # says "source", as `indicators list` does, beside the study's citation, since
    # "seed" is also the random seed of a run
    result = runner.invoke(app, ["indicators", "show", "hospitalizations"], terminal_width=200)
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip(): line
        for line in result.output.splitlines()
        if line.count("│") >= 3
    }
    assert "seed" not in rows
    assert "Zhong et al. 2023, Table 3" in rows["source"]
    shown = json.loads(
        runner.invoke(app, ["indicators", "show", "hospitalizations", "--json"]).output
    )
    assert shown["seed"].startswith("Zhong et al. 2023, Table 3")
