"""Which ``FILE-notes.csv`` a table written by :func:`ihms._statfiles.write_stat_file`
keeps its notes in, and whether another data file of the same stem may own it."""

from __future__ import annotations

from pathlib import Path

from ihms.errors import InputError

__all__ = ["check_notes_owner", "notes_beside"]


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


def check_notes_owner(path: Path, *, where: str) -> None:
    """Refuse notes for ``path`` that would replace a ``FILE-notes.csv`` a data file of
    another format beside it may own (``r.csv``'s notes, then ``r.parquet`` with notes;
    a command checks before its work, :func:`write_stat_file` again)."""
    beside = notes_beside(path)
    others = _sharing(path) if path.suffix.lower() != ".xlsx" and beside.exists() else []
    if others:
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
