"""Whole-file writes: a file is written beside its place and renamed into it, so a
process stopped while writing leaves the earlier file (or none), never half of one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["staged", "write_text_whole"]


def write_text_whole(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a hidden place beside it
    (:func:`staged`), removed whatever happens."""
    with staged(path) as (tmp,):
        tmp.write_text(text, encoding="utf-8")


@contextmanager
def staged(*paths: str | Path | None) -> Iterator[list[Path | None]]:
    """Hidden places (``.<stem>.tmp<suffix>``, the suffix kept for writers that choose a
    format by it) to write ``paths`` to; renamed into place together when the block
    ends without an error, all removed when it raises. ``None`` stays ``None``.

    Files that describe a change to something else (a figure and a record of a
    screening stored in a project) are written first and put in place only once that
    change is made, so a failure in either leaves neither.

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
    temps = [None if p is None else p.with_name(f".{p.stem}.tmp{p.suffix}") for p in finals]
    try:
        yield temps
        for tmp, final in zip(temps, finals, strict=True):
            if tmp is not None and final is not None:
                tmp.replace(final)
    finally:
        for tmp in temps:
            if tmp is not None:
                with suppress(OSError):  # never written, or its folder is not one
                    tmp.unlink()
