"""Whole-file writes: a file is written beside its place and renamed into it, so a
process stopped while writing leaves the earlier file (or none), never half of one."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_text_whole"]


def write_text_whole(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a hidden ``.<name>.tmp`` beside it,
    removed whatever happens."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
