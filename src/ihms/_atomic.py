"""Whole-file writes: a file is written beside its place and renamed into it, so a
process stopped while writing leaves the earlier file (or none), never half of one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from ihms._run_folders import working_folder
from ihms.errors import InputError

__all__ = [
    "NotPlaced",
    "check_folder",
    "check_replaceable",
    "make_folder",
    "staged",
    "staged_set",
    "staging_folder",
    "swap_folders",
    "write_text_whole",
]


def check_folder(path: str | Path, *, where: str) -> None:
    """Refuse ``path`` (an InputError starting with ``where``, the option it came from)
    when its folder cannot be made: a file stands where one of its folders would be.
    A missing folder is no error: the writers make it (:func:`make_folder`), as
    ``ihms indicators compute --out`` does; a command checks this before its work, so
    nothing is written (not even a folder) when one output cannot be."""
    for folder in Path(path).parents:  # the nearest first; stop at the first that exists
        if folder.exists():
            if not folder.is_dir():
                raise InputError(
                    f"{where}: {str(folder)!r} is a file, not a folder; choose another path"
                )
            return


def make_folder(path: str | Path, *, where: str) -> None:
    """Make the folder of the file ``path`` (and its parents) unless it exists; an
    InputError starting with ``where`` when it cannot be made."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{where}: cannot create its folder ({exc.strerror or exc})") from None


def write_text_whole(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a hidden place beside it
    (:func:`staged`), removed whatever happens."""
    with staged(path) as (tmp,):
        tmp.write_text(text, encoding="utf-8")


class NotPlaced(InputError):
    """A file of a set :func:`staged` renames in could not be put in place.

    ``failed`` is that file and ``reason`` the system's words; ``left`` is None when
    every file of the set is as it was before (the set changed nothing), else a
    sentence saying which files hold this write's and which an earlier one's (putting
    the earlier files back failed too). ``before`` is True when it was refused before
    the ``staged`` block ran (nothing was done), False when at the renames after it
    (whatever else the block did stands: the message says only that no file changed).
    The message says both."""

    def __init__(self, failed: Path, reason: str, left: str | None, *, before=False) -> None:
        self.failed, self.reason, self.left, self.before = failed, reason, left, before
        #: what the message says was left: ``left``, or that nothing (no file) changed
        self.said = left or ("nothing was changed" if before else "no file was changed")
        super().__init__(f"{failed}: cannot be written ({reason}); {self.said}")


@contextmanager
def staged(*paths: str | Path | None) -> Iterator[list[Path | None]]:
    """Hidden places (``.<stem>.tmp<suffix>``, the suffix kept for writers that choose a
    format by it) to write ``paths`` to; renamed into place together when the block
    ends without an error, all removed when it raises. ``None`` stays ``None``.

    Files that describe a change to something else (a figure and a record of a
    screening stored in a project) are written first and put in place only once that
    change is made, so a failure in either leaves neither.

    The renames are one after another, so each earlier file is first kept beside its
    place (a hidden ``.<name>.ihms-old``, a second link to it where the file system
    allows, else the file moved there) and, when a later rename fails (a file open in a
    program that locks it), the files already renamed in are put back: the set is new
    or as it was, never part of each (:class:`NotPlaced`, naming the file that failed;
    should a file not go back, the error says which files are from which write). The
    kept files are removed once every rename succeeded.

    Examples
    --------
    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> folder = Path(scratch.name)
    >>> try:
    ...     with staged(folder / "a.csv", None) as (a, none):
    ...         _ = a.write_text("x")
    ...         raise RuntimeError("the change failed")
    ... except RuntimeError:
    ...     pass
    >>> sorted(p.name for p in folder.iterdir())
    []
    >>> with staged(folder / "a.csv") as (a,):
    ...     _ = a.write_text("x")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.csv']
    >>> scratch.cleanup()
    """
    finals = [None if p is None else Path(p) for p in paths]
    # a folder where a file goes is refused before the block: a block that changes
    # something else (a screening stored in a project) must not do it for nothing
    _refuse_folders([f for f in finals if f is not None], before=True)
    temps = [None if p is None else p.with_name(f".{p.stem}.tmp{p.suffix}") for p in finals]
    try:
        yield temps
        _put_in_place([(t, f) for t, f in zip(temps, finals, strict=True) if f is not None])
    finally:
        for tmp in temps:
            if tmp is not None:
                with suppress(OSError):  # never written, or its folder is not one
                    tmp.unlink()


class _Placing:
    """One file of :func:`_put_in_place`'s set: its earlier file kept at ``kept`` (None:
    there was none), ``moved`` when that is no second link (the place is then empty
    until the new file is renamed in), and whether the new file is in place."""

    def __init__(self, final: Path) -> None:
        self.final, self.kept, self.moved, self.placed = final, None, False, False

    def keep(self) -> None:
        if not (self.final.exists() or self.final.is_symlink()):
            return
        kept = self.final.with_name(f".{self.final.name}.ihms-old")
        with suppress(FileNotFoundError):
            kept.unlink()  # left by a write stopped before it was removed
        try:
            os.link(self.final, kept, follow_symlinks=False)
        except OSError:  # no hard links here (FAT, some shares): set the file aside
            self.final.replace(kept)
            self.moved = True
        self.kept = kept

    def put_back(self) -> None:
        if self.kept is not None and (self.placed or self.moved):
            self.kept.replace(self.final)
        elif self.kept is not None:  # a second link to the file still in place
            self.kept.unlink()
        elif self.placed:  # there was no earlier file
            self.final.unlink()

    def left(self) -> str:
        """Whose file is in place, once putting it back failed."""
        if self.kept is not None and self.moved and not self.placed:
            return f"{self.final} is missing (its earlier file is at {self.kept})"
        if self.placed and self.kept is not None:
            return f"{self.final} holds this write's file (its earlier one is at {self.kept})"
        if self.placed:
            return f"{self.final} holds this write's file (there was none before)"
        return f"{self.final} is as it was"


def _left(done: list[_Placing], stuck: list[_Placing], pairs) -> str | None:
    """Which files of ``pairs`` hold which write's, once the ``stuck`` of those ``done``
    could not be put back (None: every file is as it was)."""
    if not stuck:
        return None
    back = [p.final for p in done if p not in stuck]
    rest = [f for _, f in pairs[len(done) :]]
    said = [p.left() for p in reversed(stuck)]
    if back or rest:
        one = len(back) + len(rest) == 1
        same = ", ".join(map(str, [*back, *rest]))
        said.append(f"{same} {'is as it was' if one else 'are as they were'}")
    return "putting the earlier files back failed: " + "; ".join(said)


def _refuse_folders(finals: list[Path], *, before: bool) -> None:
    for final in finals:
        if final.is_dir() and not final.is_symlink():
            raise NotPlaced(final, "a folder stands in its place", None, before=before)


def _put_in_place(pairs: list[tuple[Path, Path]]) -> None:
    """Rename each written ``(temporary, final)`` in, all or none (:func:`staged`). A
    folder where a file goes is refused before any rename: kept aside as an earlier
    file is, it was left hidden (``.tables.docx.ihms-old``) with the new file in its
    place, or with no hard links the rename failed as ``Is a directory``."""
    _refuse_folders([final for _, final in pairs], before=False)  # one made meanwhile
    done: list[_Placing] = []
    try:
        for tmp, final in pairs:
            placing = _Placing(final)
            placing.keep()
            done.append(placing)
            tmp.replace(final)
            placing.placed = True
    except BaseException as exc:  # a stop (Ctrl-C) between renames puts them back too
        stuck = []
        for placing in reversed(done):
            try:
                placing.put_back()
            except OSError:
                stuck.append(placing)
        if not isinstance(exc, OSError):
            raise
        at = len(done) - 1 if done and not done[-1].placed else len(done)
        reason = exc.strerror or str(exc)
        raise NotPlaced(pairs[at][1], reason, _left(done, stuck, pairs)) from exc
    for placing in done:
        if placing.kept is not None:
            with suppress(OSError):  # a hidden leftover at worst, replaced next time
                placing.kept.unlink()


@contextmanager
def staged_set(
    folder: str | Path,
    names: Iterable[str | None],
    *,
    record: str,
    outputs: Iterable[str] = (),
    removed: list[Path] | None = None,
) -> Iterator[list[Path | None]]:
    """:func:`staged` for a command's set of files in ``folder``, which replaces the set
    an earlier run of the same command left there.

    A run with other options writes other files (no ``top_terms.csv`` without a
    dimension), so renaming this run's files in left the earlier run's others beside
    them. On success the files the earlier run wrote — those its record
    ``.<record>.ihms-files`` lists, and the command's fixed ``outputs`` names — that this
    run did not write are removed (added to ``removed``), and the record lists this
    run's. A file the command never writes is never touched; on failure nothing changes.

    Examples
    --------
    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> folder = Path(scratch.name)
    >>> with staged_set(folder, ["a.csv", "b.csv"], record="demo") as (a, b):
    ...     _ = a.write_text("1"), b.write_text("1")
    >>> with staged_set(folder, ["a.csv", None], record="demo") as (a, none):
    ...     _ = a.write_text("2")
    >>> sorted(p.name for p in folder.iterdir())
    ['.demo.ihms-files', 'a.csv']
    >>> scratch.cleanup()
    """
    folder = Path(folder)
    listing = folder / f".{record}.ihms-files"
    wanted = [None if n is None else folder / n for n in names]
    try:
        earlier = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        earlier = []
    # only plain names of this folder: a record edited by hand cannot reach elsewhere
    ours = {n for n in (*earlier, *outputs) if n and Path(n).name == n and not n.startswith(".")}
    with staged(*wanted, listing) as temps:
        yield temps[:-1]
        written = [p.name for p in wanted if p is not None]
        temps[-1].write_text("".join(f"{n}\n" for n in written), encoding="utf-8")
    for name in sorted(ours - set(written)):
        stale = folder / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
            if removed is not None:
                removed.append(stale)


def check_replaceable(folder: str | Path, *, where: str) -> None:
    """Refuse ``folder`` (an InputError starting with ``where``) when :func:`swap_folders`
    could not put a new folder in its place: a file stands there or where one of its
    folders would be, or it is a folder this process may not empty (no write permission,
    or immutable) or its parent one it may not write in, or it is a symbolic link (the
    link would be replaced by a folder, the folder it points to left as it was). A
    missing folder is no error. For a command to check before its work, not after it."""
    folder = Path(folder)
    check_folder(folder / "x", where=where)
    _refuse_link(folder, where=where)
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise InputError(f"{where}: {str(folder)!r} is not a folder; choose another")
        for path, what in ((folder, "write in it"), (folder.parent, "write in its folder")):
            if not os.access(path, os.W_OK | os.X_OK):
                raise InputError(
                    f"{where}: {str(folder)!r} cannot be replaced (no permission to {what}); "
                    "choose another folder"
                )


def _refuse_link(folder: Path, *, where: str) -> None:
    """An output folder that is a symbolic link is refused: renaming a new folder into
    its place would replace the link and leave the folder it points to as it was (and
    following it could empty a folder far from the output)."""
    if folder.is_symlink():
        raise InputError(
            f"{where}: {str(folder)!r} is a symbolic link (to {os.readlink(folder)!r}); an "
            "output folder is replaced whole, which would replace the link, not the folder "
            f"it points to: give that folder ({str(folder.resolve())!r}) or another"
        )


def staging_folder(final: str | Path) -> Path:
    """A new hidden folder ``.<name>-ihms<pid>-<random>`` beside ``final`` to build it in
    (:func:`ihms._run_folders.working_folder`'s naming, so a later run finds one a
    killed run left: :func:`ihms._run_folders.clear_dead_runs`), made as ``mkdir`` makes
    one (its mode from the umask, not ``mkdtemp``'s private 0700: a report folder is
    meant to be read by others)."""
    final = Path(final)
    return working_folder(final.parent, final.name, private=False)


def swap_folders(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Put each ``(staged, final)`` pair's staged folder in ``final``'s place, all or none.

    A ``final`` that is a symbolic link is refused (an InputError) before any rename.
    Each ``final`` that exists is first renamed aside (its staged folder's name ending
    ``-replaced``, found as :func:`staging_folder`'s are after a SIGKILL); when a
    rename fails, or the process is stopped (Ctrl-C) between them, those done are undone
    and the error raised, so every ``final`` is as it was (and every staged folder where
    it was). Only when all are in place are the old folders removed, as far as they can
    be. Renames within one folder: no copy, whatever the folders hold.

    Examples
    --------
    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> folder = Path(scratch.name)
    >>> (folder / "report").mkdir()
    >>> _ = (folder / "report" / "a.txt").write_text("old")
    >>> new = staging_folder(folder / "report")
    >>> _ = (new / "a.txt").write_text("new")
    >>> swap_folders([(new, folder / "report")])
    >>> (folder / "report" / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('new', ['report'])
    >>> scratch.cleanup()
    """
    from ihms._run_folders import REPLACED

    for _, final in pairs:
        _refuse_link(final, where="output folder")
    done: list[tuple[Path, Path]] = []
    aside: list[Path] = []
    try:
        for staged_dir, final in pairs:
            if final.exists() or final.is_symlink():
                old = final.with_name(f"{staged_dir.name}{REPLACED}")
                final.rename(old)
                done.append((final, old))
                aside.append(old)
            staged_dir.rename(final)
            done.append((staged_dir, final))
    except BaseException:
        for source, target in reversed(done):
            with suppress(OSError):
                target.rename(source)
        raise
    for old in aside:
        shutil.rmtree(old, ignore_errors=True)
