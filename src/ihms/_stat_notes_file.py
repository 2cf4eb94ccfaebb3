"""Which ``FILE-notes.csv`` a table written by :func:`ihms._statfiles.write_stat_file`
keeps its notes in, and whether another data file of the same stem may own it.

Every format but ``.xlsx`` keeps its notes in ``FILE-notes.csv``, so ``r.csv``,
``r.dta``, ``r.parquet`` and ``r.sav`` share ``r-notes.csv``. Which of them wrote it is
read from the modification times: a data file and its notes are written one after the
other into hidden files and renamed in together (:func:`ihms._atomic.staged`; a rename
keeps the time), so the notes are at most :data:`_TOGETHER` seconds newer than the data
file they describe, and never older. The notes are ``FILE``'s own when ``FILE`` was
written with them so and every other data file of the stem is newer than the notes (it
was written after them, without notes of its own) or older than ``FILE`` (its notes, if
any, were replaced by ``FILE``'s). Running the same ``--out r.dta`` again therefore
replaces its own notes although an ``r.csv`` written later without notes sits beside
it; notes for ``r.parquet`` while ``r.csv`` (written with them) is there are refused.
When the times cannot tell (a folder copied without its times, a data file edited
since, two writes within the same second on a file system that keeps whole seconds),
the notes are taken as possibly another file's: refused, never replaced.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ihms.errors import InputError

__all__ = ["check_notes_owner", "notes_beside", "notes_of_another"]


def notes_beside(path: Path) -> Path:
    """Where the notes of a table written to ``path`` go in a format without sheets:
    ``FILE-notes.csv`` beside it (:func:`write_stat_file`'s, and ``--out FILE.csv`` of
    the payment commands)."""
    return path.with_name(f"{path.stem}-notes.csv")


#: The formats whose notes go to ``FILE-notes.csv``: another of them under the same stem
#: may own the notes file.
_NOTED_SUFFIXES = (".csv", ".parquet", ".dta", ".sav")


def _sharing(path: Path) -> list[Path]:
    """The data files of another format beside ``path`` with the same stem, any of which
    may own ``FILE-notes.csv`` (``r.csv`` with notes, then ``r.dta`` without)."""
    own = path.suffix.lower()
    found = (path.with_suffix(s) for s in _NOTED_SUFFIXES if s != own)
    return [p for p in found if p.is_file()]


#: The most seconds a notes file is written after its data file in one write (FAT keeps
#: times to 2 s; the notes are written the moment the data file is closed).
_TOGETHER = 2.0


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def notes_of_another(path: Path) -> list[Path]:
    """The data files of another format beside ``path`` that may own the
    ``FILE-notes.csv`` beside it, as the module docstring tells: none when there is no notes file, no other
    data file of the stem, or the notes are ``path``'s own (written with it, and with no
    other); else every other data file of the stem."""
    beside = notes_beside(path)
    if path.suffix.lower() == ".xlsx" or not beside.exists():
        return []
    others = _sharing(path)
    if not others:
        return []
    noted, own = _mtime(beside), _mtime(path)
    if noted is None or own is None or not 0 <= noted - own <= _TOGETHER * 1e9:
        return others  # path was not written with them
    times = [_mtime(o) for o in others]
    if all(t is not None and (t > noted or t < own) for t in times):
        return []
    return others


def _holds(beside: Path, notes: Sequence[str]) -> bool:
    """Whether the notes file ``beside`` holds exactly ``notes`` (its one column
    ``note``, row by row): replacing it with them loses nothing."""
    try:
        with beside.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return rows == [["note"], *([str(n)] for n in notes)]


def check_notes_owner(path: Path, *, where: str, notes: Sequence[str] | None = None) -> None:
    """Refuse ``notes`` for ``path`` that would replace a ``FILE-notes.csv`` a data file
    of another format beside it may own (``r.csv``'s notes, then ``r.parquet`` with other
    notes; :func:`write_stat_file` checks); ``path``'s own notes are replaced
    (:func:`notes_of_another`), and so are notes that are word for word the ones to be
    written (the same result written as ``r.csv`` and ``r.parquet``: both files' notes)."""
    beside = notes_beside(path)
    others = notes_of_another(path)
    if others and (notes is None or not _holds(beside, notes)):
        names = " and ".join(str(p) for p in others)
        raise InputError(
            f"{where}: its notes would replace {beside}, which may be the notes of {names} "
            "beside it (every format but .xlsx keeps its notes in FILE-notes.csv); write "
            f"to another file name, or remove {names} or {beside} first"
        )


def _our_notes(path: Path) -> bool:
    """Whether ``path`` is a notes file :func:`write_stat_file` wrote: a file (no link)
    whose header is the single column ``note`` (a user's own ``FILE-notes.csv`` of
    other columns is left alone)."""
    if not path.is_file() or path.is_symlink():
        return False
    try:
        with path.open(encoding="utf-8-sig") as f:
            return f.readline().rstrip("\r\n") == "note"
    except (OSError, UnicodeDecodeError):
        return False
