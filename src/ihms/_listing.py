"""Naming the first few of many in a message.

Errors and notes name what they are about (the missing months, the undated documents)
but a list of thousands helps nobody; every such message names the first ``limit`` and
counts the rest the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["first_of"]


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
