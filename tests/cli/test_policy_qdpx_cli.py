"""``ihms policy qdpx export|import``: exit codes, output and bad input."""

import json
import zipfile

import pandas as pd
import pytest
from tests.policy.test_qdpx import TALENT, _hand_file, _selection, _tiny
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.coding import codings, import_codings

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", "qdpx", *map(str, args)])


def said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def study(tmp_path):
    """The one-document project of tests/policy/test_qdpx.py, paragraph 2 coded by alice."""
    path = tmp_path / "study.sqlite"
    with _tiny(path) as p:
        seg = list(p.segments()["id"])[1]
        import_codings(p, pd.DataFrame({"segment_id": [seg], "tools": ["人才建设"]}), coder="alice")
    return path


def test_export_then_import_round_trip(study, tmp_path):
    out = tmp_path / "study.qdpx"
    result = run("export", study, out, "--lang", "zh", "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert (written["documents"], written["users"], written["selections"]) == (1, ["alice"], 1)
    assert zipfile.is_zipfile(out)
    result = run("import", study, out, "--coder", "bob", "--json")
    assert result.exit_code == 0, result.output
    read = json.loads(result.output)
    assert (read["user"], read["answers"], read["added"]) == ("alice", 1, 1)
    from ihms.policy.project import Project

    with Project(study) as p:
        frame = codings(p)
    by_coder = frame.groupby("coder_id")["value"].apply(list).to_dict()
    assert by_coder == {"alice": ["talent_construction"], "bob": ["talent_construction"]}


def test_tables_without_json(study, tmp_path):
    out = tmp_path / "study.qdpx"
    assert "selections" in said(run("export", study, out, "--no-codings"))
    path = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 45, 51, TALENT))
    result = run("import", study, path, "--coder", "li")
    # 6 of paragraph 3's 21 characters: under the default half, so nothing to import
    assert result.exit_code == 2 and "no selection covers 50% of any segment" in said(result)
    result = run("import", study, path, "--coder", "li", "--min-overlap", "0.25")
    assert result.exit_code == 0, result.output
    assert "codings added" in said(result) and "Li Wei" in said(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("export", "{study}", "{tmp}/x.qdpx", "--no-codings", "--coder", "alice"),
            "exclude each other",
        ),
        (("export", "{study}", "{tmp}/x.qdpx", "--coder", "nobody"), "unknown coder"),
        (
            ("export", "{study}", "{tmp}/x.qdpx", "--lang", "fr"),
            "parameter 'lang': expected 'en' or 'zh'",
        ),
        (("export", "{study}", "{tmp}/x.xlsx"), "named *.qdpx"),
        (("export", "{tmp}/missing.sqlite", "{tmp}/x.qdpx"), "does not exist"),
        (("import", "{study}", "{tmp}/not.qdpx", "--coder", "li"), "not a zip archive"),
        (("import", "{study}", "{tmp}/absent.qdpx", "--coder", "li"), "does not exist"),
        (
            ("import", "{study}", "{hand}", "--coder", "li", "--min-overlap", "2"),
            "min_overlap must be",
        ),
        (("import", "{study}", "{hand}", "--coder", "li", "--user", "Zhang"), "no user 'Zhang'"),
    ],
)
def test_bad_input_exits_2_with_a_message(study, tmp_path, args, message):
    (tmp_path / "not.qdpx").write_text("plain text", encoding="utf-8")
    hand = _hand_file(tmp_path, _selection("e0000000-0000-4000-8000-000000000001", 20, 40, TALENT))
    filled = [a.format(study=study, tmp=tmp_path, hand=hand) for a in args]
    result = run(*filled)
    assert result.exit_code == 2, result.output
    assert message in said(result)
    assert not (tmp_path / "x.qdpx").exists()


def test_reconciled_asked_of_a_project_not_reconciled_is_refused(study, tmp_path):
    out = tmp_path / "study.qdpx"
    result = run("export", study, out, "--reconciled")
    assert result.exit_code == 2
    assert "nothing is reconciled yet to export (run `ihms policy reconcile` first)" in said(result)
    assert not out.exists()
    plain = run("export", study, out, "--json")  # by default: only what there is
    assert plain.exit_code == 0 and json.loads(plain.output)["users"] == ["alice"]


def test_the_reconciled_user_comes_back_as_the_reconciliation(study, tmp_path):
    from ihms.policy.project import Project
    from ihms.policy.reconcile import reconcile

    with Project(study) as p:
        seg = list(p.segments()["id"])[1]
        import_codings(p, pd.DataFrame({"segment_id": [seg], "tools": ["人才建设"]}), coder="bob")
        reconcile(p, coders=["alice", "bob"])
    out = tmp_path / "study.qdpx"
    assert run("export", study, out).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    _tiny(fresh).close()
    no_coder = run("import", fresh, out, "--user", "alice")
    assert no_coder.exit_code == 2 and "name the coder to file user 'alice'" in said(no_coder)
    for coder in ("alice", "bob"):
        assert run("import", fresh, out, "--user", coder, "--coder", coder).exit_code == 0
    result = run("import", fresh, out, "--user", "reconciled")
    assert result.exit_code == 0, result.output
    assert "the project's reconciliation (decisions)" in said(result)
    assert "decisions added" in said(result)
    with Project(fresh) as p:
        assert list(p.coders()["id"]) == ["alice", "bob"]
        assert p.query("SELECT segment_id, value, method, decided_by FROM decisions") == [
            (seg, '["talent_construction"]', "agreement", "agreement of alice, bob")
        ]
