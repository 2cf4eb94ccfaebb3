"""Where a line of Chinese text may fold in a console: between Chinese characters, never
before closing punctuation （）， or after opening, nor inside a number and the character
it is read with (2016年, 表4, √10倍). A console wraps at spaces only, or cuts anywhere
(总额预算（元 over a lone ）); :mod:`ihms._table_layout` folds a table's Chinese
headers, cells and row labels here, and :mod:`ihms._note_fold` each note under a table.
"""

from __future__ import annotations

import re

__all__ = [
    "CJK",
    "CLAUSE_ENDS",
    "CLOSING",
    "HANZI",
    "HAS_CJK",
    "OPENING",
    "PIECE",
    "cjk_units",
    "fold_header",
    "note_units",
]

CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # Chinese characters and full-width forms
HAS_CJK = re.compile(rf"[{CJK}]")
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # characters, not punctuation
PIECE = re.compile(rf"[{CJK}]|[^\s{CJK}]+|\s+")  # a character, a word or a run of spaces


#: Chinese punctuation, one set for every fold (a header's, a note's, a title's): a
#: clause's end, closing brackets and opening ones
CLAUSE_ENDS = "，。；：、！？"
CLOSING = "）」』》〉"
OPENING = "（「『《〈"

#: what may not begin a line of a note (closing punctuation, also English) or end one
_NO_START = set(CLAUSE_ENDS + CLOSING + "％…—" + ",.;:)!?%")
_NO_END = set(OPENING + "(")

#: closing and opening punctuation of Chinese text, and the signs a number is read with
_CJK_NO_START = set(CLAUSE_ENDS + CLOSING + "％…～")
_CJK_NO_END = set(OPENING + "～√≤≥")


def cjk_units(line: str) -> list[str]:
    """A line of Chinese cut where it may fold: between Chinese characters and at
    spaces (each run of spaces a unit of its own), but never before closing punctuation
    （）， or after opening, nor between a number and the character next to it (2016年,
    表4, √10倍, 0～1), so a header or label never starts a line with ）, nor reads √1
    over 0倍内."""
    return _glued(line, _CJK_NO_START, _CJK_NO_END, numbers=HAS_CJK)


def note_units(line: str, *, numbers: bool = True) -> list[str]:
    """A line of a note under a table cut where it may fold (:mod:`ihms._note_fold`):
    as :func:`cjk_units`, but with the punctuation of text that mixes Chinese and
    English (, ; ) and ( glued as ， ； ） and （ are, and — never starting a line),
    and a number glued to a Chinese character beside it (2016年) but not to its
    punctuation (干预时点：2017-10 folds after ：, 0.001 before （H0）; without
    ``numbers``, to neither."""
    return _glued(line, _NO_START, _NO_END, numbers=HANZI if numbers else None)


def _glued(
    line: str, no_start: set[str], no_end: set[str], *, numbers: re.Pattern | None
) -> list[str]:
    """``line`` cut into characters, words and runs of spaces (``PIECE``), a piece
    glued to the one before it when it begins with a character of ``no_start``, the one
    before ends with one of ``no_end``, or a digit meets a character ``numbers``
    matches; never across spaces. :func:`note_units` and :func:`cjk_units` cut here."""
    units: list[str] = []
    for piece in PIECE.findall(line):
        last = units[-1] if units else ""
        glue = last and not last.isspace() and not piece.isspace()
        digit = last[-1:].isdigit() or piece[0].isdigit()
        number = numbers and digit and bool(numbers.match(last[-1:]) or numbers.match(piece[0]))
        if glue and (piece[0] in no_start or last[-1] in no_end or number):
            units[-1] += piece
        else:
            units.append(piece)
    return units


def fold_header(text: str, width: int) -> str:
    """A table header's lines holding Chinese and wider than ``width`` cells folded at
    the places :func:`cjk_units` allows (a console would cut 总额预算（元） as 总额预算（元
    over a lone ）); other lines, and English headers, as they are. A line's indent (a
    category under its dimension) starts each line it folds into.

    >>> print(fold_header("总额预算（元）", 12))
    总额预算
    （元）
    """
    from rich.cells import cell_len

    out: list[str] = []
    for line in text.split("\n"):
        if cell_len(line) <= width or not HAS_CJK.search(line):
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        room = max(width - cell_len(indent), 1)
        out.extend(indent + part for part in _folded_line(body, room))
    return "\n".join(out)


def _folded_line(line: str, width: int) -> list[str]:
    """A line of :func:`fold_header`'s, its indent taken off, as the lines it folds
    into at ``width`` cells."""
    from rich.cells import cell_len

    out: list[str] = []
    # at spaces first, as the console wraps; a word wider than a line by its units
    current = ""
    for word in line.split(" "):
        joined = f"{current} {word}" if current else word
        if cell_len(joined) <= width or not current:
            current = joined
        else:
            out.append(current)
            current = word
        if cell_len(current) > width:
            parts = [""]
            for unit in cjk_units(current):
                if parts[-1] and cell_len(parts[-1] + unit) > width:
                    parts.append(unit)
                else:
                    parts[-1] += unit
            out.extend(parts[:-1])
            current = parts[-1]
    out.append(current)
    return out
