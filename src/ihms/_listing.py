"""Naming the first few of many in a message.

Errors and notes name what they are about (the missing months, the undated documents)
but a list of thousands helps nobody; every such message names the first ``limit`` and
counts the rest the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["first_of", "in_words"]


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
