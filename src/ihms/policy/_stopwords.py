"""Stop-word files: one word per line, ``#`` comments, ``!word`` to take a word off the
list (as NVivo's stop-word list and KH Coder's force-ignore list are kept: a plain text
file a researcher edits)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from ihms._decode import read_text
from ihms.errors import IhmsWarning, InputError

__all__ = ["apply_stopwords", "read_stopwords"]

_COMMENT = re.compile(r"(^|\s)#.*$")


def _entries(path: Path) -> list[tuple[str, bool, int]]:
    """``(word, stopped, line number)`` of one file."""
    if not path.is_file():
        raise InputError(f"stop-word file {str(path)!r} does not exist")
    out = []
    text = read_text(path, name=f"stop-word file {path}")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        where = f"stop-word file {str(path)!r} line {number}"
        stopped = not line.startswith("!")
        word = line if stopped else line[1:].strip()
        if not word:
            raise InputError(f"{where}: expected a word after '!', got {raw.strip()!r}")
        if len(word.split()) > 1:
            raise InputError(
                f"{where}: expected one word per line, got {line!r} (a jieba dictionary "
                "line, with a frequency and a tag, goes in a user dictionary: --user-dict)"
            )
        out.append((word, stopped, number))
    return out


def read_stopwords(paths: Sequence[str | Path]) -> list[tuple[str, bool]]:
    """The entries of stop-word files in order: ``(word, True)`` adds ``word`` to the
    stop list, ``(word, False)`` (a line ``!word``) takes it off.

    A file is UTF-8, GBK or GB18030 text, one word per line; ``#`` starts a comment (a
    whole line, or after a space); blank lines are skipped.

    Raises
    ------
    InputError
        A missing file, or a line that is not one word (naming the file and line).
    """
    return [(w, s) for p in paths for w, s, _ in _entries(Path(p))]


def apply_stopwords(stop: Iterable[str], paths: Sequence[str | Path]) -> set[str]:
    """``stop`` changed by the files' entries, in order (a later line wins); taking off a
    word that is not on the list warns (:class:`~ihms.errors.IhmsWarning`) — a list kept
    across ihms versions may name a word the built-in list no longer has."""
    out = set(stop)
    for p in paths:
        for word, stopped, number in _entries(Path(p)):
            if stopped:
                out.add(word)
            elif word in out:
                out.discard(word)
            else:
                warnings.warn(
                    f"stop-word file {str(p)!r} line {number}: {word!r} is not a stop word; "
                    "'!' takes a word off the list",
                    IhmsWarning,
                    stacklevel=3,
                )
    return out
