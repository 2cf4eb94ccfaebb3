"""Analyses of one segmentation scheme at a time. After ``policy segment --scheme clause``
on a paragraph-segmented project both schemes' segments are kept; the tables, trend,
data set, QDPX export and agreement of both would count each text once per scheme
(session 20, F1), so each refuses without ``scheme`` as the coding sheet does, naming
the schemes, their segments and the option to pass, from one shared check. A project
of one scheme needs no ``scheme``."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.agreement import coder_agreement
from ihms.policy.coding import import_codings
from ihms.policy.coding_export import export_codings
from ihms.policy.dataset import analysis_dataset
from ihms.policy.qdpx import export_qdpx, import_qdpx
from ihms.policy.reconcile import coded_data

runner = CliRunner()


def _add_clauses(project) -> tuple[int, int]:
    """Segment the paragraph project into clauses too: (paragraphs, clauses)."""
    paragraphs = len(project.segments(scheme="paragraph"))
    project.segment("clause")
    clauses = len(project.segments(scheme="clause"))
    assert paragraphs and clauses
    return paragraphs, clauses


def test_coded_data_refuses_two_schemes_naming_each_and_the_option(coded_project):
    before = coded_data(coded_project)  # one scheme: as it always worked
    paragraphs, clauses = _add_clauses(coded_project)
    with pytest.raises(InputError) as err:
        coded_data(coded_project)
    said = str(err.value)
    assert f"clause ({clauses:,} segments) and paragraph ({paragraphs:,} segments)" in said
    assert "--scheme clause or --scheme paragraph" in said and "scheme='clause'" in said
    # the same words as the coding sheet's refusal: one check, not two
    with pytest.raises(InputError) as sheet:
        export_codings(coded_project, coded_project.path.with_suffix(".xlsx"))
    tail = said.split(": ", 1)[1].split(";")[0]
    assert tail in str(sheet.value)
    after = coded_data(coded_project, scheme="paragraph")
    assert len(after.segments) == len(before.segments)
    assert len(after.long) == len(before.long)


def test_the_data_set_refuses_too(coded_project, tmp_path):
    _add_clauses(coded_project)
    with pytest.raises(InputError, match="--scheme clause or --scheme paragraph"):
        analysis_dataset(coded_project)
    assert len(analysis_dataset(coded_project, scheme="paragraph").frame)


def test_tables_and_trend_on_the_command_line(coded_project, tmp_path):
    _, clauses = _add_clauses(coded_project)
    path = str(coded_project.path)
    coded_project.close()
    out = tmp_path / "tables"
    refused = runner.invoke(app, ["policy", "tables", path, "--out", str(out), "--format", "csv"])
    assert refused.exit_code != 0
    text = " ".join(refused.output.split())
    assert f"clause ({clauses:,} segments)" in text and "--scheme clause" in text
    assert not out.exists()
    trend = runner.invoke(app, ["policy", "trend", path, "tools", "--json"])
    assert trend.exit_code != 0 and "--scheme" in trend.output
    ok = runner.invoke(
        app,
        ["policy", "tables", path, "--out", str(out), "--format", "csv", "--scheme", "paragraph"],
    )
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(app, ["policy", "trend", path, "tools", "--scheme", "paragraph", "--json"])
    assert ok.exit_code == 0, ok.output


def test_qdpx_export_and_import_refuse_with_the_same_words(coded_project, tmp_path):
    export_qdpx(coded_project, tmp_path / "one.qdpx")  # one scheme: no scheme needed
    paragraphs, clauses = _add_clauses(coded_project)
    both = f"clause ({clauses:,} segments) and paragraph ({paragraphs:,} segments)"
    with pytest.raises(InputError) as err:
        export_qdpx(coded_project, tmp_path / "two.qdpx")
    assert both in str(err.value) and "--scheme clause" in str(err.value)
    assert not (tmp_path / "two.qdpx").exists()
    with pytest.raises(InputError) as err:
        import_qdpx(coded_project, tmp_path / "one.qdpx", coder="again", user="coder_a")
    assert both in str(err.value)
    export_qdpx(coded_project, tmp_path / "two.qdpx", scheme="paragraph")


def _code_clauses(project, n: int) -> list[str]:
    """Both example coders code the first ``n`` clause entries' policy tools."""
    clauses = list(project.segments(scheme="clause")["id"][:n])
    answers = {"coder_a": ["人才建设", "-", "人才建设"], "coder_b": ["人才建设", "人才建设", "-"]}
    for coder, said in answers.items():
        sheet = pd.DataFrame({"segment_id": clauses, "tools": said[:n]})
        import_codings(project, sheet, coder=coder)
    return clauses


def test_agreement_of_codings_on_one_scheme_needs_no_scheme(coded_project):
    before = coder_agreement(coded_project)
    _add_clauses(coded_project)  # clause entries, none coded: nothing is mixed
    after = coder_agreement(coded_project)
    assert after.table.equals(before.table)


def test_agreement_refuses_codings_on_two_schemes_or_computes_the_one_named(coded_project):
    before = coder_agreement(coded_project)
    coded = coded_project.query(
        "SELECT count(DISTINCT segment_id) FROM codings WHERE coder_id IN ('coder_a','coder_b')"
    )[0][0]
    _add_clauses(coded_project)
    _code_clauses(coded_project, 3)
    with pytest.raises(InputError) as err:
        coder_agreement(coded_project)
    said = str(err.value)
    assert (
        f"the codings compared lie on segments of 2 schemes, clause (3 segments) and "
        f"paragraph ({coded:,} segments)" in said
    )
    assert "--scheme clause or --scheme paragraph" in said
    assert coder_agreement(coded_project, scheme="paragraph").table.equals(before.table)
    clause = coder_agreement(coded_project, scheme="clause", dimensions=["tools"])
    # three clause entries, tools: the coders agree on the first (人才建设 = talent
    # building) only, 1 of 3 units
    assert clause.row("tools")["n_units"] == 3
    assert clause.row("tools")["percent_agreement"] == pytest.approx(100 / 3, rel=1e-12)
    with pytest.raises(InputError, match="no codings on clause segments"):
        coder_agreement(coded_project, scheme="clause", dimensions=["stakeholders"])


def test_agreement_scheme_on_the_command_line(coded_project):
    _add_clauses(coded_project)
    _code_clauses(coded_project, 3)
    path = str(coded_project.path)
    coded_project.close()
    refused = runner.invoke(app, ["policy", "agreement", path])
    assert refused.exit_code != 0
    assert "--scheme clause" in " ".join(refused.output.split())
    ok = runner.invoke(
        app, ["policy", "agreement", path, "--scheme", "clause", "--dimension", "tools", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    rows = json.loads(ok.output)["rows"]
    assert next(r for r in rows if r["dimension"] == "tools" and not r["category"])["n_units"] == 3
