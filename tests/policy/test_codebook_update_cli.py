"""``ihms policy codebook PROJECT --update FILE``: a project takes a new version of its
codebook (an edited definition, a new category, the built-in one of a later ihms) while
its codings keep the version they were made with."""

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def said(result) -> str:
    return " ".join(result.output.split())


def _edited(project, tmp_path, old: str, new: str):
    text = project.codebook().text
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_edited_codebook_becomes_the_next_version(coded_project, tmp_path):
    path = coded_project.path
    edited = _edited(coded_project, tmp_path, "en: Talent construction", "en: Talent development")
    result = run("codebook", path, "--update", edited, "--note", "clearer label")
    assert result.exit_code == 0, result.output
    assert "codebook version 2 stored (was 1)" in said(result)
    shown = run("codebook", path)
    assert "Talent development" in shown.output and "Talent construction" not in shown.output
    # the codings made before keep version 1, the note is kept with version 2
    assert coded_project.query("SELECT DISTINCT codebook_version FROM codings") == [(1,)]
    assert coded_project.query("SELECT note FROM codebooks WHERE version=2") == [("clearer label",)]
    again = run("codebook", path, "--update", edited, "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == {"project": str(path), "version": 2, "previous": 2}


def test_a_codebook_that_would_orphan_codings_is_refused_and_nothing_stored(
    coded_project, tmp_path
):
    broken = _edited(coded_project, tmp_path, "key: talent_construction", "key: talent")
    result = run("codebook", coded_project.path, "--update", broken)
    assert result.exit_code == 2
    assert "use category 'talent_construction', which the new codebook lacks" in said(result)
    assert coded_project.codebook_version == 1


def test_going_back_to_an_earlier_text_is_refused_with_the_way_out(coded_project, tmp_path):
    edited = _edited(coded_project, tmp_path, "en: Talent construction", "en: Talent development")
    assert run("codebook", coded_project.path, "--update", edited).exit_code == 0
    back = run("codebook", coded_project.path, "--update", "6d")
    assert back.exit_code == 2
    assert "is version 1's text, and the project is at version 2" in said(back)
    assert "change it (a definition, a keyword) to store it as a new version" in said(back)
    assert coded_project.codebook_version == 2


def test_update_needs_a_project_and_not_out(coded_project, tmp_path):
    alone = run("codebook", "6d", "--update", "symbiosis")
    assert alone.exit_code == 2
    assert "--update stores a codebook in a project: 6d is not one" in said(alone)
    both = run("codebook", coded_project.path, "--update", "6d", "--out", tmp_path / "x.yaml")
    assert both.exit_code == 2 and "give one of them" in said(both)
    assert not (tmp_path / "x.yaml").exists()


def test_a_note_without_update_is_refused_not_dropped(coded_project):
    # review 22a L4: --note alone showed the codebook and dropped the note, exit 0
    result = run("codebook", coded_project.path, "--note", "clearer label")
    assert result.exit_code == 2
    assert "--note goes with --update" in said(result)
    assert coded_project.codebook_version == 1
