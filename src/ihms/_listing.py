"""Naming the first few of many in a message.

Errors and notes name what they are about (the missing months, the undated documents)
but a list of thousands helps nobody; every such message names the first ``limit`` and
counts the rest the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["first_of", "in_words", "nearest_listed"]


def first_of(items: Iterable[object], limit: int = 10, *, sep: str = ", ") -> str:
    """The first ``limit`` items joined by ``sep``, then ``" and N more"`` past them.

    Examples
    --------
    >>> first_of(["a", "b", "c"], 2)
    'a, b and 1 more'
    >>> first_of(range(3))
    '0, 1, 2'
    >>> first_of(map(str, range(1234)), 1)
    '0 and 1,233 more'
    """
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, got {limit!r}")
    items = [str(item) for item in items]
    more = len(items) - limit
    return sep.join(items[:limit]) + (f" and {more:,} more" if more > 0 else "")


def in_words(items: Iterable[object]) -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> in_words([2017]), in_words(["x", "y"]), in_words([2017, 2018, 2019])
    ('2017', 'x and y', '2017, 2018 and 2019')
    """
    words = [str(item) for item in items]
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def nearest_listed(value: object, ids: list[str | None], *, cutoff: float = 0.6) -> str:
    """`` — did you mean 'QS-THC1'?`` for the one listed id nearest ``value``
    (:class:`difflib.SequenceMatcher`'s ratio, at least ``cutoff`` as the system file's
    names are matched), or all those equally near (`` — the nearest listed: 'QS-THC1',
    'QS-THC2' or 'QS-THC3'``: which one was meant is not picked); "" when none is near
    or the list is past 5,000 ids (:func:`~ihms.errors.did_you_mean`'s bound).

    Examples
    --------
    >>> nearest_listed("QS-THC9", ["QS-CH1", "QS-THC1", "QS-THC2", "QS-THC3"])
    " — the nearest listed: 'QS-THC1', 'QS-THC2' or 'QS-THC3'"
    >>> nearest_listed("QS-THC01", ["QS-CH1", "QS-THC1", "QS-THC2"]), nearest_listed("PROVH", ["QS-CH1"])
    (" — did you mean 'QS-THC1'?", '')
    """
    ids = sorted({str(v) for v in ids if v is not None})
    if not ids or len(ids) > 5000:
        return ""
    matcher = difflib.SequenceMatcher(b=str(value), autojunk=False)
    scores = {}
    for candidate in ids:
        matcher.set_seq1(candidate)
        scores[candidate] = matcher.ratio()
    best = max(scores.values())
    if best < cutoff:
        return ""
    near = [f"{c!r}" for c in ids if scores[c] == best]
    if len(near) == 1:
        return f" — did you mean {near[0]}?"
    shown = in_words(near) if len(near) <= 3 else first_of(near, 3)
    return (
        f" — the nearest listed: {shown.replace(' and ', ' or ', 1) if len(near) <= 3 else shown}"
    )
