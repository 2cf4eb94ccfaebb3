"""Where ihms segments lie in their document's text, and how much of a segment a
selection made in another program covers.

ihms stores a segment's text, not its offsets: a segment is the document's lines,
stripped, joined by ``\\n`` (paragraphs also drop stray one-character lines and join a
bare numbered heading to its paragraph). :func:`segment_spans` finds each segment again:
segments are located in reading order, line by line, each line searched from where the
previous one ended and accepted only where it starts a line of the document (nothing
but spaces before it on that line). The span runs from the first line's first character
to the last line's last one. A segment whose lines cannot be found that way is
reported, never dropped.

Texts a QDA program wrote back may differ from ihms's in whitespace only (``\\r\\n``
line breaks, a trailing newline, indentation). Positions are therefore compared in
*non-whitespace characters*: :class:`NonSpace` turns an offset in a text into the number
of non-whitespace characters before it, so an offset in the program's text and one in
the document's text meet on the same scale whenever the two texts have the same
characters apart from whitespace (which :func:`fingerprint` checks).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Sequence

__all__ = ["NonSpace", "covered", "fingerprint", "first_difference", "segment_spans"]


_INVISIBLE = frozenset("\ufeff\u200b")  # a byte-order mark, a zero-width space


def _blank(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _stripped(text: str) -> str:
    return "".join(ch for ch in text if not _blank(ch))


def fingerprint(text: str) -> str:
    """SHA-256 of the text without whitespace (nor byte-order marks, zero-width spaces)."""
    return hashlib.sha256(_stripped(text).encode("utf-8")).hexdigest()


def first_difference(a: str, b: str, *, context: int = 12) -> str:
    """Where two texts first differ, ignoring whitespace: ``'…' vs '…'`` at character k."""
    sa, sb = _stripped(a), _stripped(b)
    k = next(
        (i for i, (x, y) in enumerate(zip(sa, sb, strict=False)) if x != y), min(len(sa), len(sb))
    )
    return (
        f"at non-space character {k:,} ({len(sa):,} vs {len(sb):,} in all): "
        f"{sa[k : k + context]!r} vs {sb[k : k + context]!r}"
    )


class NonSpace:
    """Offsets in ``text`` as counts of the non-whitespace characters before them."""

    def __init__(self, text: str) -> None:
        self.positions = [i for i, ch in enumerate(text) if not _blank(ch)]

    def index(self, offset: int) -> int:
        return bisect_left(self.positions, offset)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.index(start), self.index(end)


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


def _find_line(text: str, line: str, cursor: int) -> int:
    pos = text.find(line, cursor)
    while pos != -1 and not _at_line_start(text, pos):
        pos = text.find(line, pos + 1)
    return pos


def segment_spans(
    text: str, segments: Sequence[tuple[str, str]]
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """``[start, end)`` code-point offsets of each segment in its document's ``text``.

    Parameters
    ----------
    segments
        ``(segment id, segment text)`` in reading order.

    Returns
    -------
    spans, missing
        Spans by segment id, and the ids of segments that could not be located.
    """
    spans: dict[str, tuple[int, int]] = {}
    missing: list[str] = []
    cursor = 0
    for seg_id, seg_text in segments:
        lines = [ln.strip() for ln in seg_text.split("\n") if ln.strip()]
        at, start, end = cursor, None, None
        for line in lines:
            pos = _find_line(text, line, at)
            if pos == -1:
                start = None
                break
            start = pos if start is None else start
            at = end = pos + len(line)
        if start is None or end is None:
            missing.append(seg_id)
            continue
        spans[seg_id] = (start, end)
        cursor = end
    return spans, missing


def covered(intervals: Sequence[tuple[int, int]], span: tuple[int, int]) -> int:
    """How many positions of ``span`` the union of ``intervals`` covers (half-open)."""
    total = 0
    reach = span[0]
    for lo, hi in sorted(intervals):
        lo, hi = max(lo, reach), min(hi, span[1])
        if hi > lo:
            total += hi - lo
            reach = hi
    return total
