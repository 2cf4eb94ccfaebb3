"""``ihms._atomic.staged``: a set of files renamed in one after another is new or as it
was; when a later rename fails the files already renamed in are put back, and when
putting one back fails too the error says which file is from which write (review of
session 29's diff, finding 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ihms._atomic import NotPlaced, staged, staged_set


def _write(folder: Path, text: str, *names: str) -> None:
    with staged(*(folder / n for n in names)) as temps:
        for tmp in temps:
            tmp.write_text(f"{text} {tmp.name}", encoding="utf-8")


def _texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _tree(folder: Path) -> dict[Path, str]:
    """Every file under ``folder``, in its folders too, and its text."""
    return {p.relative_to(folder): p.read_text("utf-8") for p in folder.rglob("*") if p.is_file()}


def _refusing(monkeypatch, refuse) -> None:
    """os.replace (under Path.replace) raising PermissionError when ``refuse(src, dst)``."""
    replace = os.replace

    def fake(src, dst, *args, **kwargs):
        if refuse(Path(src), Path(dst)):
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", fake)


@pytest.mark.parametrize("links", [True, False], ids=["linked", "moved"])
def test_a_later_rename_that_fails_puts_the_earlier_files_back(tmp_path, monkeypatch, links):
    _write(tmp_path, "earlier", "a.csv", "b.csv")
    before = _texts(tmp_path)
    if not links:  # a file system without hard links: the earlier files are moved aside

        def no_link(*args, **kwargs):
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    _refusing(monkeypatch, lambda src, dst: dst.name == "c.csv")
    with pytest.raises(NotPlaced) as caught:
        _write(tmp_path, "later", "a.csv", "b.csv", "c.csv")
    assert caught.value.failed == tmp_path / "c.csv"
    assert caught.value.left is None
    assert str(caught.value).endswith(
        "c.csv: cannot be written (Permission denied); no file was changed"
    )
    # a.csv and b.csv are the earlier write's again; c.csv, new, is not left; nothing hidden
    assert _texts(tmp_path) == before


def test_a_file_that_cannot_be_put_back_is_named_with_whose_it_is(tmp_path, monkeypatch):
    _write(tmp_path, "earlier", "a.csv", "b.csv")

    def refuse(src, dst):  # c.csv locked, and a.csv's earlier file cannot go back
        return dst.name == "c.csv" or src.name == ".a.csv.ihms-old"

    _refusing(monkeypatch, refuse)
    with pytest.raises(NotPlaced) as caught:
        _write(tmp_path, "later", "a.csv", "b.csv", "c.csv")
    monkeypatch.undo()
    said = " ".join(str(caught.value).split())
    kept = tmp_path / ".a.csv.ihms-old"
    assert said == (
        f"{tmp_path / 'c.csv'}: cannot be written (Permission denied); putting the earlier "
        f"files back failed: {tmp_path / 'a.csv'} holds this write's file (its earlier one "
        f"is at {kept}); {tmp_path / 'b.csv'}, {tmp_path / 'c.csv'} are as they were"
    )
    # and so they are
    assert _texts(tmp_path) == {
        ".a.csv.ihms-old": "earlier .a.tmp.csv",
        "a.csv": "later .a.tmp.csv",
        "b.csv": "earlier .b.tmp.csv",
    }


def test_a_file_moved_aside_that_cannot_go_back_is_named_missing(tmp_path, monkeypatch):
    _write(tmp_path, "earlier", "a.csv")
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1, "no")))
    # a.csv moved aside, then its new file cannot go in, nor the earlier one back
    _refusing(monkeypatch, lambda src, dst: dst.name == "a.csv")
    with pytest.raises(
        NotPlaced, match=r"a\.csv is missing \(its earlier file is at .*\.a\.csv\.ihms-old\)"
    ):
        _write(tmp_path, "later", "a.csv")


def test_a_set_renamed_in_whole_keeps_no_earlier_file(tmp_path):
    with staged_set(tmp_path, ["a.csv", "b.csv"], record="demo") as (a, b):
        a.write_text("1"), b.write_text("1")
    with staged_set(tmp_path, ["a.csv", "b.csv"], record="demo") as (a, b):
        a.write_text("2"), b.write_text("2")
    assert _texts(tmp_path) == {".demo.ihms-files": "a.csv\nb.csv\n", "a.csv": "2", "b.csv": "2"}


def test_a_set_whose_record_cannot_be_replaced_is_as_it_was(tmp_path, monkeypatch):
    # the record (.demo.ihms-files) goes in last: a set renamed in without it would be
    # removed as stale by the next run's record
    with staged_set(tmp_path, ["a.csv"], record="demo") as (a,):
        a.write_text("1")
    before = _texts(tmp_path)
    _refusing(monkeypatch, lambda src, dst: dst.name == ".demo.ihms-files")
    with (
        pytest.raises(NotPlaced),
        staged_set(tmp_path, ["a.csv", "b.csv"], record="demo") as (a, b),
    ):
        a.write_text("2"), b.write_text("2")
    assert _texts(tmp_path) == before


def test_a_stop_between_renames_puts_the_earlier_files_back(tmp_path, monkeypatch):
    # Ctrl-C after a.csv went in: the set is as it was, and the stop goes on up
    _write(tmp_path, "earlier", "a.csv", "b.csv")
    before = _texts(tmp_path)
    replace = os.replace

    def stop(src, dst, *args, **kwargs):
        if Path(dst).name == "b.csv":
            raise KeyboardInterrupt
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", stop)
    with pytest.raises(KeyboardInterrupt):
        _write(tmp_path, "later", "a.csv", "b.csv")
    monkeypatch.undo()
    assert _texts(tmp_path) == before


def test_a_symlinked_folder_is_refused_and_left_as_it_was(tmp_path):
    # review of session 30's diff, finding 11: swap_folders renamed the link aside, left
    # it hidden (rmtree cannot remove a link) and never updated the folder it points to
    from ihms._atomic import check_replaceable, staging_folder, swap_folders
    from ihms.errors import InputError

    shared = tmp_path / "share" / "report"
    shared.mkdir(parents=True)
    (shared / "a.txt").write_text("old")
    link = tmp_path / "report"
    link.symlink_to(Path("share") / "report")
    with pytest.raises(InputError, match=r"'share/report'\); an output folder is replaced"):
        check_replaceable(link, where="out")
    new = staging_folder(link)
    (new / "a.txt").write_text("new")
    with pytest.raises(InputError, match="is a symbolic link"):
        swap_folders([(new, link)])
    assert link.is_symlink() and (link / "a.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [new.name, "report", "share"]


@pytest.mark.parametrize("links", [True, False], ids=["linked", "moved"])
def test_a_folder_where_a_file_goes_is_refused_and_nothing_changes(tmp_path, monkeypatch, links):
    # review_policy 8 (`policy tables --out` with a folder at tables.docx): the folder was
    # kept aside as an earlier file is (a directory cannot be hard-linked, so moved),
    # left hidden as .c.csv.ihms-old, and the new file put in its place
    _write(tmp_path, "earlier", "a.csv", "b.csv")
    (tmp_path / "c.csv").mkdir()
    (tmp_path / "c.csv" / "inside.txt").write_text("mine", encoding="utf-8")
    if not links:
        monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1, "no")))
    before = _tree(tmp_path)
    with pytest.raises(NotPlaced) as caught:
        _write(tmp_path, "later", "a.csv", "b.csv", "c.csv")
    assert str(caught.value) == (
        f"{tmp_path / 'c.csv'}: cannot be written (a folder stands in its place); "
        "nothing was changed"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv"]
    assert _tree(tmp_path) == before  # the earlier a.csv and b.csv, the folder with its file
