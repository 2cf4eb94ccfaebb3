"""Where a table's title folds: at phrase boundaries, in English and Chinese.

rich wraps a title to its table's width at spaces, and cuts a word wider than that
anywhere. A Chinese title has few spaces and they sit inside its phrases, so it broke
between 滞后 and 0 阶 (``its fit --lang zh`` at 70 columns), or cut a run of characters
mid-word. Here a title folds, as a reader would break it, at a space between Latin
words or after a clause's punctuation （，：；） or a closing bracket, never inside a
number and the words either side of it (滞后 1 阶, lag 1) nor inside a bracketed term
that fits a line (（H0：无序列相关）); only a phrase wider than a line folds at a space
beside Chinese (OLS 回归), then between its Chinese characters
(:func:`ihms._cjk_fold.cjk_units`' places), and only one wider still at the spaces
beside a number or inside its brackets. An English title with neither numbers nor
brackets folds where rich folds it. The phrases (:func:`phrase_words`) are also where a
Chinese note under a table may not fold (:mod:`ihms._note_fold`).
"""

from __future__ import annotations

import re
from itertools import pairwise

from ihms._cjk_fold import CLAUSE_ENDS, CLOSING, HANZI, HAS_CJK, OPENING, cjk_units

__all__ = ["fold_title", "joined_words", "phrase_words", "title_breaks"]

_CLAUSE_END = set(CLAUSE_ENDS + CLOSING)  # a line may end after these
_OPEN, _CLOSE = set(OPENING + "("), set(CLOSING + ")")
_ENDS = _CLAUSE_END | _CLOSE | set(",;:")  # a number glues to no word across these
_OPENING = re.compile("[" + re.escape("".join(_OPEN)) + "]")
_CLOSING = re.compile("[" + re.escape("".join(_CLOSE)) + "]")
_SEPARATED = re.compile("[" + re.escape("".join(_OPEN | _ENDS)) + "]")
_NUMBER = re.compile(r"[^\sA-Za-z\u2e80-\u9fff]*\d[^\sA-Za-z\u2e80-\u9fff]*")
_PHRASE, _SPACE, _CHARACTER, _KEPT = 1, 2, 3, 4  # where a title breaks: first to last


def title_breaks(title: str, width: int) -> list[tuple[int, int]] | None:
    """The places ``title`` folds at to fit ``width`` cells, as ``(start, end)``
    character offsets: each line ends at a start, the next begins at its end (the
    spaces between are dropped). None where a word is wider than a line (rich cuts it,
    as before) or a line begins or ends with spaces."""
    from rich.cells import cell_len

    out: list[tuple[int, int]] = []
    at = 0
    for para in title.split("\n"):
        if cell_len(para) > width:
            if para != para.strip() or (found := _para_breaks(para, width)) is None:
                return None
            out.extend((at + start, at + end) for start, end in found)
        at += len(para) + 1
    return out


def fold_title(title: str, width: int) -> str:
    """``title`` with a line break at each of :func:`title_breaks`' places.

    >>> print(fold_title("中断时间序列分析：住院人次（OLS 回归，Newey-West 标准误，滞后 1 阶）", 44))
    中断时间序列分析：住院人次
    （OLS 回归，Newey-West 标准误，滞后 1 阶）
    >>> print(fold_title("中断时间序列分析：住院人次（OLS 回归，Newey-West 标准误，滞后 1 阶）", 36))
    中断时间序列分析：
    住院人次（OLS 回归，
    Newey-West 标准误，滞后 1 阶）
    >>> print(fold_title("Interrupted time series: visits (OLS with Newey-West, lag 1)", 40))
    Interrupted time series: visits
    (OLS with Newey-West, lag 1)
    """
    breaks = title_breaks(title, width) or []
    ends = [0, *(i for pair in breaks for i in pair), len(title)]
    return "\n".join(title[ends[k] : ends[k + 1]] for k in range(0, len(ends), 2))


def _para_breaks(para: str, width: int) -> list[tuple[int, int]] | None:
    """:func:`title_breaks` of one line of a title, wider than ``width``."""
    words, gaps, kept = phrase_words(cjk_units(para), width)
    ranks = _ranks(words, gaps, kept)
    # phrases first; a phrase wider than a line is cut at its next rank of gaps
    cuts = [k for k in range(1, len(words)) if ranks[k] <= _PHRASE]
    for rank in (_SPACE, _CHARACTER, _KEPT):
        bounds = [0, *cuts, len(words)]
        for a, b in pairwise(bounds):
            if _width(words, gaps, a, b) > width:
                cuts.extend(k for k in range(a + 1, b) if ranks[k] == rank)
        cuts.sort()
    bounds = [0, *cuts, len(words)]
    if any(_width(words, gaps, a, b) > width for a, b in pairwise(bounds)):
        return None  # a word wider than a line: rich cuts it, as it did
    starts = [0]  # each word's offset in ``para``
    for k in range(1, len(words)):
        starts.append(starts[-1] + len(words[k - 1]) + len(gaps[k]))
    # greedy: a line takes as many pieces as fit, as rich takes words
    breaks, first = [], 0
    for k, end in pairwise(bounds[1:]):
        if _width(words, gaps, first, end) > width:
            breaks.append((starts[k] - len(gaps[k]), starts[k]))
            first = k
    return breaks


def _width(words: list[str], gaps: list[str], a: int, b: int) -> int:
    """The cells ``words[a:b]`` take on one line, with the spaces between them."""
    from rich.cells import cell_len

    return cell_len(joined_words(words, gaps, a, b))


def joined_words(words: list[str], gaps: list[str], a: int, b: int) -> str:
    """``words[a:b]`` on one line, with the spaces between them (``gaps[k]`` the
    spaces before ``words[k]``, as :func:`phrase_words` gives them)."""
    return "".join(gaps[k] + words[k] if k > a else words[k] for k in range(a, b))


def _ranks(words: list[str], gaps: list[str], kept: list[bool]) -> list[int]:
    """How readily a title breaks before each word: at a space between Latin words,
    after a clause's end or a closing bracket (``_PHRASE``); at a space beside a
    Chinese character (``_SPACE``); between Chinese characters, or before a bracket
    that qualifies the word before it, 健康促进强度（0～1） (``_CHARACTER``); inside a
    phrase :func:`phrase_words` keeps together (``_KEPT``)."""
    ranks = [0]
    for k in range(1, len(words)):
        before, after = words[k - 1], words[k]
        # a space beside Chinese (OLS 回归) sets Latin apart more often than a phrase
        latin = not HAS_CJK.match(before[-1]) and not HAS_CJK.match(after[0])
        if kept[k]:
            ranks.append(_KEPT)
        elif (gaps[k] and latin) or before[-1] in _CLAUSE_END:
            ranks.append(_PHRASE)
        else:
            ranks.append(_SPACE if gaps[k] else _CHARACTER)
    return ranks


def phrase_words(units: list[str], room: int) -> tuple[list[str], list[str], list[bool]]:
    """``units`` (a line cut where it may fold: :func:`ihms._cjk_fold.cjk_units`) as
    words, the spaces before each (none between Chinese characters) and whether each
    is kept with the word before it: a number with the words either side of it across
    a space (滞后 1 阶, lag 1, = 0.05）; not across ，or ), and on its Chinese side the
    two characters before it, a Chinese word's usual length: 选定滞后 11 阶 breaks
    before 滞后, not inside it), and a bracketed term no wider than ``room`` cells.
    Titles and the notes under tables (:mod:`ihms._note_fold`) fold by these phrases.

    >>> phrase_words(["选", "定", "滞", "后", " ", "11", " ", "阶"], 40)[2]
    [False, False, False, True, True, True]
    """
    words: list[str] = []  # the units no break falls inside, spaces apart
    gaps: list[str] = []
    gap = ""
    for unit in units:
        if unit.isspace():
            gap = unit
        else:
            words.append(unit)
            gaps.append(gap)
            gap = ""
    from rich.cells import cell_len

    kept = [False] * len(words)
    for k, word in enumerate(words):  # 滞后 1 阶, lag 1, n = 212 rows; not across ，or )
        if k and gaps[k] and words[k - 1][-1] not in _ENDS and _is_number(word):
            kept[k] = True
            # 滞后 1 阶: the character before 后 too, where both are a word's
            if k > 1 and not gaps[k - 1] and all(HANZI.fullmatch(w) for w in words[k - 2 : k]):
                kept[k - 1] = True
        if k + 1 < len(words) and gaps[k + 1] and _is_number(word, ends=True):
            kept[k + 1] = True
    for a, b in _bracketed(words):  # the term alone: not what is glued about it (。)
        before = len(re.split(_OPENING, words[a], maxsplit=1)[0])
        after = len(re.split(_CLOSING, words[b][::-1], maxsplit=1)[0])
        term = joined_words(words, gaps, a, b + 1)[before : -after or None]
        if cell_len(term) <= room:
            for g in range(a + 1, b + 1):
                kept[g] = True
    return words, gaps, kept


def _is_number(word: str, *, ends: bool = False) -> bool:
    """Whether ``word`` begins (or with ``ends``, ends) with a number, and the signs
    about it (0.05, <0.001, 95%, (10,000): 46，and 0.05）：1-11 are numbers either
    side of their punctuation, and 1,000 one number either way."""
    parts = _SEPARATED.split(word if ends else word.lstrip("".join(_OPEN)))
    core = parts[-1] if ends else parts[0]
    return bool(_NUMBER.fullmatch(core)) and not HAS_CJK.search(core)


def _bracketed(words: list[str]) -> list[tuple[int, int]]:
    """The first and last word of each bracketed term."""
    spans, stack = [], []
    for k, word in enumerate(words):
        for ch in word:
            if ch in _OPEN:
                stack.append(k)
            elif ch in _CLOSE and stack:
                spans.append((stack.pop(), k))
    return spans
