"""Help text with Chinese in it wrapped whole, not cut with "…", at any console width.

rich (15.0 and before) wraps a line at a space and then strips the spaces past the
width with ``Text.rstrip_end``, which counts characters where the width counts cells.
A line ending in Chinese followed by the space it broke at — ``Year-on-year growth
(比上年增长/同比)`` then ``' '`` — has fewer characters than cells, so the space stays,
the line is one cell too wide, and a table column with rich's default
``overflow="ellipsis"`` (Typer's help panels) cuts its last character for "…":
``(比上年增长/同比…``. :func:`keep_wide_lines_whole` makes ``rstrip_end`` count cells,
and only while the installed rich still counts characters.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

__all__ = ["keep_wide_lines_whole"]

_TRAILING_SPACE = re.compile(r"\s+$")


def _rstrip_end(self: Text, size: int) -> None:
    """``Text.rstrip_end`` by cells: the spaces ending the text past ``size`` cells go."""
    excess = cell_len(self.plain) - size
    if excess > 0 and (spaces := _TRAILING_SPACE.search(self.plain)) is not None:
        self.right_crop(min(len(spaces.group()), excess))


def _counts_characters() -> bool:
    line = Text("一 ")  # three cells: the space is past a width of two
    line.rstrip_end(2)
    return line.plain != "一"


def keep_wide_lines_whole() -> None:
    """Make rich strip a wrapped line's trailing spaces by cells (see the module)."""
    if _counts_characters():
        Text.rstrip_end = _rstrip_end  # type: ignore[method-assign]
