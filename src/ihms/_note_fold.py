"""Where a note under a table folds: as a paragraph is filled, line by line, between
Chinese characters as well as at spaces, never inside the phrases a title keeps whole
(:func:`ihms._title_fold.phrase_words`: a number and the words beside it, 滞后 11 阶,
and a short bracketed term, （alpha = 0.05）). A console wraps at spaces only, so a
Chinese sentence went whole to the next line, leaving a short ragged one above it; and
filled character by character, ``its lags --lang zh`` at 60 columns read 选定滞后 over
11 阶（alpha = 0.05）.
"""

from __future__ import annotations

from ihms._cjk_fold import HAS_CJK, note_units
from ihms._title_fold import joined_words, phrase_words

__all__ = ["fold_note"]

#: a bracketed term in a note kept on one line when it takes at most this share of it:
#: a wider one moved whole to the next line would leave the line above it ragged
_TERM_SHARE = 2


def fold_note(text: str, width: int, *, lang: str) -> str:
    """``text`` with each line that holds Chinese and is wider than ``width`` cells
    folded between Chinese characters as well as at spaces, no line beginning with
    closing punctuation (，。；）) or ending with opening (（), and in a Chinese table's
    notes never breaking a number from the words beside it (滞后 11 阶, 第 1 阶, 2016年)
    nor a bracketed term of at most half a line. Lines without Chinese are left for the
    console to wrap; an English table's notes keep the number rules out (English prose
    holding a Chinese term, 诊疗人次, chains ``simulated 278.83 against 134.20 (Zhong``
    into one unbreakable run and reads raggeder for them).

    Parameters
    ----------
    text
        The note, its lines apart.
    width
        The console's width in cells.
    lang
        The table's language, ``"zh"`` or ``"en"``.

    >>> print(fold_note("共 212 条文本，来自 31 份政策文件。", 16, lang="zh"))
    共 212 条文本，
    来自 31 份政策文
    件。
    >>> print(fold_note("依 Breusch-Godfrey 检验选定滞后 11 阶（alpha = 0.05）。", 30, lang="zh"))
    依 Breusch-Godfrey 检验选定
    滞后 11 阶（alpha = 0.05）。
    """
    from rich.cells import cell_len

    out: list[str] = []
    for para in text.split("\n"):
        if cell_len(para) <= width or not HAS_CJK.search(para):
            out.append(para)
            continue
        body = para.lstrip()
        line = para[: len(para) - len(body)]  # an indent stays
        if lang == "zh":
            pieces = _pieces(note_units(body), width)
        else:  # as before: at spaces and between Chinese characters alone
            pieces = [(gap, word) for word, gap in _spaced(note_units(body, numbers=False))]
        for gap, piece in pieces:
            if not line.strip() or cell_len(line + gap + piece) <= width:
                line += gap + piece
            else:
                out.append(line.rstrip())
                line = piece
        out.append(line.rstrip())
    return "\n".join(out)


def _pieces(units: list[str], width: int) -> list[tuple[str, str]]:
    """``units`` as the pieces a note's line is filled with, each with the spaces
    before it: a phrase :func:`phrase_words` keeps together as one piece; one wider
    than a line without its bracketed terms kept whole, then word by word (as
    :func:`ihms._cjk_fold.note_units` cut it)."""
    from rich.cells import cell_len

    words, gaps, kept = phrase_words(units, width // _TERM_SHARE)
    by_number = phrase_words(units, 0)[2]  # no bracketed term is 0 cells wide
    pieces: list[tuple[str, str]] = []
    for group in _groups(kept):
        text = joined_words(words, gaps, group[0], group[-1] + 1)
        if cell_len(text) <= width:
            pieces.append((gaps[group[0]], text))
            continue
        for part in _groups([by_number[k] for k in group], group):
            text = joined_words(words, gaps, part[0], part[-1] + 1)
            if cell_len(text) <= width:
                pieces.append((gaps[part[0]], text))
            else:
                pieces.extend((gaps[k], words[k]) for k in part)
    return pieces


def _spaced(units: list[str]) -> list[tuple[str, str]]:
    """``units``' words, each with the spaces before it."""
    words, gaps, _ = phrase_words(units, 0)
    return list(zip(words, gaps, strict=True))


def _groups(kept: list[bool], at: list[int] | None = None) -> list[list[int]]:
    """The indices (``at``, or 0, 1, ...; consecutive, so each group is a span of
    words) of ``kept``'s runs: each starts where a line may break before it."""
    at = list(range(len(kept))) if at is None else at
    groups: list[list[int]] = []
    for i, k in enumerate(at):
        if i and kept[i]:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups
