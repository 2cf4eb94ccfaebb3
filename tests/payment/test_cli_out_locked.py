"""``ihms payment … --out FILE.csv`` when one file of the set cannot be replaced (the
notes CSV open in Excel, which locks it on Windows): the set is new or as it was, never
part of each (review of session 29's diff, finding 2: FILE.csv was the new run's beside
an earlier run's FILE-notes.csv)."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _settle(example_dir, out, *extra):
    files = [
        f"--{t}={example_dir / f'{t}.csv'}"
        for t in ("spending", "population", "indicators", "staff")
    ]
    return runner.invoke(app, ["payment", "settle", *files, "--out", str(out), *extra])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_locked_notes_file_leaves_the_whole_earlier_set(tmp_path, example_dir, monkeypatch):
    out = tmp_path / "s.csv"
    # the earlier run: 2019, with its working (s-working.csv), in Chinese
    first = _settle(example_dir, out, "--year", "2019", "--steps", "--lang", "zh")
    assert first.exit_code == 0, first.output
    earlier = _files(tmp_path)
    assert {"s.csv", "s-assessment.csv", "s-working.csv", "s-notes.csv"} <= set(earlier)
    replace = os.replace

    def locked(src, dst, *args, **kwargs):  # s-notes.csv open in a program that locks it
        if Path(dst).name == "s-notes.csv" or Path(src).name == "s-notes.csv":
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    result = _settle(example_dir, out, "--year", "2018")
    monkeypatch.undo()
    assert result.exit_code == 2
    # every file as the earlier run left it: its tables, notes, working and record; no
    # hidden file of this run left behind
    assert _files(tmp_path) == earlier
    said = " ".join(result.output.split())
    assert "s-notes.csv cannot be replaced (Permission denied); no file was changed" in said


def test_a_set_that_goes_in_whole_leaves_no_kept_file(tmp_path, example_dir):
    out = tmp_path / "s.csv"
    for year in ("2018", "2019"):
        assert _settle(example_dir, out, "--year", year).exit_code == 0
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert hidden == [".payment-s.ihms-files"]


def test_a_folder_in_the_set_refuses_before_the_ledger_is_posted(tmp_path, example_dir):
    # review of diff 31b, L2: with a folder at s-notes.csv the ledger was posted, then
    # the command failed saying "no file was changed"
    out = tmp_path / "s.csv"
    (tmp_path / "s-notes.csv").mkdir()
    ledger = tmp_path / "l.sqlite"
    result = _settle(example_dir, out, "--year", "2018", "--ledger", str(ledger))
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "a folder stands in its place); nothing was changed" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s-notes.csv"]  # no ledger made


def test_a_file_locked_after_posting_says_the_ledger_was_posted(tmp_path, example_dir, monkeypatch):
    out = tmp_path / "s.csv"
    replace = os.replace

    def locked(src, dst, *args, **kwargs):
        if Path(dst).name == "s.csv":
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    ledger = tmp_path / "l.sqlite"
    result = _settle(example_dir, out, "--year", "2018", "--ledger", str(ledger))
    monkeypatch.undo()
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"no file was changed, but the ledger {ledger} was posted" in said
