"""``ihms policy screen --figure/--record`` naming a path a file cannot go to (review of
diff 31b, M1): the folder check ran when the files were renamed in, after the screening
was stored, and the error said "nothing was changed". It is refused before the work
now; a rename that fails afterwards (a file locked meanwhile) says the screening is
stored."""

import os
from pathlib import Path

from tests.cli.test_policy_cli import run, said
from tests.cli.test_policy_screen_cli import imported, study, two  # noqa: F401 (fixtures)


def _info(project) -> str:
    result = run("info", project)
    assert result.exit_code == 0, said(result)
    return result.output


def test_a_folder_at_the_figure_leaves_the_project_unchanged(study):  # noqa: F811
    work, project = study
    before = _info(project)
    (work / "prisma.png").mkdir()
    settle = ["--settle", "include-if-any", "--settle", "fulltext=include-if-any"]
    result = two(work, project, *settle, "--figure", work / "prisma.png")
    assert result.exit_code == 2
    assert "a folder stands in its place" in said(result)
    assert _info(project) == before  # no screening stored
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


def test_a_record_locked_after_the_check_says_the_screening_is_stored(study, monkeypatch):  # noqa: F811
    work, project = study
    before = _info(project)
    settle = ["--settle", "include-if-any", "--settle", "fulltext=include-if-any"]
    replace = os.replace

    def locked(src, dst, *args, **kwargs):
        if Path(dst).name == "record.xlsx":
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    result = two(work, project, *settle, "--record", work / "record.xlsx")
    monkeypatch.undo()
    assert result.exit_code == 2
    text = " ".join(said(result).split())
    assert f"the screening is stored in {project}, but" in text
    assert "no file was changed" in text and "nothing was changed" not in text
    assert _info(project) != before
