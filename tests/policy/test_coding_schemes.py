"""A coding sheet of one segmentation scheme: after ``policy segment --scheme clause``
on a paragraph-segmented project, the project holds both schemes' segments (the
paragraphs are kept: they may carry codings), and a sheet of both lists every text
twice, interleaved (session 19 user review, F9). Without ``scheme`` the export refuses
and names the schemes; a project of one scheme exports as before."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.coding_export import export_codings


def test_a_project_of_two_schemes_needs_the_scheme_named(project, tmp_path):
    paragraphs = len(project.segments(scheme="paragraph"))
    project.segment("clause")
    clauses = len(project.segments(scheme="clause"))
    assert paragraphs and clauses
    project.add_coder("alice")
    out = tmp_path / "sheet.xlsx"
    with pytest.raises(InputError) as err:
        export_codings(project, out, coders=["alice"])
    said = str(err.value)
    assert f"clause ({clauses} segments) and paragraph ({paragraphs} segments)" in said
    assert "--scheme clause" in said and "scheme=" in said
    assert not out.exists()
    sheet = pd.read_excel(export_codings(project, out, coders=["alice"], scheme="clause"))
    assert len(sheet) == clauses


def test_the_cli_refuses_too_and_segment_says_the_other_scheme_is_kept(project, tmp_path):
    runner = CliRunner()
    path = str(project.path)
    project.close()
    done = runner.invoke(app, ["policy", "segment", path, "--scheme", "clause"])
    assert done.exit_code == 0, done.output
    assert "paragraph segments are kept" in " ".join(done.output.split())
    out = tmp_path / "sheet.csv"
    refused = runner.invoke(app, ["policy", "codes", "export", path, str(out), "--coder", "x"])
    assert refused.exit_code != 0
    assert "--scheme" in refused.output and not out.exists()
    ok = runner.invoke(
        app, ["policy", "codes", "export", path, str(out), "--coder", "x", "--scheme", "clause"]
    )
    assert ok.exit_code == 0, ok.output
