"""Stop-word files: one word per line, ``#`` comments, ``!word`` to take a word off the
list (as NVivo's stop-word list and KH Coder's force-ignore list are kept: a plain text
file a researcher edits)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ihms._decode import read_text
from ihms._warnings import caller_stacklevel
from ihms.errors import IhmsWarning, InputError

__all__ = ["StopListText", "apply_stopwords", "count_entries", "parse_stopwords", "read_stopwords"]

_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass(frozen=True)
class StopListText:
    """A stop list held as text rather than in a file (a coding project's own,
    :mod:`ihms.policy.project_stopwords`); ``label`` names it in messages."""

    label: str
    text: str


def parse_stopwords(text: str, where: str) -> list[tuple[str, bool, int]]:
    """``(word, stopped, line number)`` of a stop list's text; ``where`` names it in
    errors (``stop-word file 'mine.txt'``)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        at = f"{where} line {number}"
        stopped = not line.startswith("!")
        word = line if stopped else line[1:].strip()
        if not word:
            raise InputError(f"{at}: expected a word after '!', got {raw.strip()!r}")
        if len(word.split()) > 1:
            raise InputError(
                f"{at}: expected one word per line, got {line!r} (a jieba dictionary "
                "line, with a frequency and a tag, goes in a user dictionary: --user-dict)"
            )
        out.append((word, stopped, number))
    return out


def _label(source: str | Path | StopListText) -> str:
    if isinstance(source, StopListText):
        return source.label
    return f"stop-word file {str(source)!r}"


def _entries(source: str | Path | StopListText) -> list[tuple[str, bool, int]]:
    """``(word, stopped, line number)`` of one file or stop list."""
    if isinstance(source, StopListText):
        return parse_stopwords(source.text, source.label)
    path = Path(source)
    if not path.is_file():
        raise InputError(f"stop-word file {str(path)!r} does not exist")
    return parse_stopwords(read_text(path, name=f"stop-word file {path}"), _label(path))


def count_entries(source: str | Path | StopListText) -> int:
    """How many words a stop list stops or takes off (its non-comment lines)."""
    return len(_entries(source))


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
    return [(w, s) for p in paths for w, s, _ in _entries(p)]


def apply_stopwords(stop: Iterable[str], paths: Sequence[str | Path | StopListText]) -> set[str]:
    """``stop`` changed by the files' (or stop lists') entries, in order (a later line
    wins); taking off a word that is not on the list warns
    (:class:`~ihms.errors.IhmsWarning`) — a list kept across ihms versions may name a word
    the built-in list no longer has."""
    out = set(stop)
    for p in paths:
        for word, stopped, number in _entries(p):
            if stopped:
                out.add(word)
            elif word in out:
                out.discard(word)
            else:
                warnings.warn(
                    IhmsWarning(
                        f"{_label(p)} line {number}: {word!r} is not a stop word; "
                        "'!' takes a word off the list",
                        zh=f"{_label(p)} 第 {number} 行：{word!r} 不在停用词表中；"
                        "'!' 用于从表中去掉一个词",
                    ),
                    stacklevel=caller_stacklevel(),
                )
    return out
