"""A content table as printed (:class:`ContentTable`) and how a cell is printed: ``n (p)``
as seed 000 prints it, the percentage rounded half up in decimal arithmetic to the
table's decimals — kept in every cell, so a column reads alike (``49.00`` above
``20.45``), or dropped when they are zeros, as the paper printed them (``49``).
Split from :mod:`ihms.policy.tables`, which builds the tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.summary import SummaryTable

__all__ = ["ROW_KINDS", "ContentTable", "digits_for", "format_cell", "format_percent"]

ROW_KINDS = ("group", "category", "subtotal", "total")

#: A bracketed part of a title, header or row label, with the space before it
_BRACKETED = re.compile(r" ?\(([^()]*)\)")


def full_width_brackets(text: str) -> str:
    """``text`` as Chinese writes it: its brackets full-width, without the space an
    English bracket takes (``政策文本数 (n=212，来自 31 份政策文件)，频数 (占比 %)`` →
    ``政策文本数（n=212，来自 31 份政策文件），频数（占比 %）``)."""
    return _BRACKETED.sub(r"（\1）", text)


def format_percent(n: int, total: int, digits: int, *, trailing_zeros: bool = True) -> str:
    """``100 * n / total`` rounded half up to ``digits`` decimals:
    ``format_percent(37, 42, 2) == "88.10"``; with ``trailing_zeros=False`` as seed 000
    prints it, ``"88.1"`` (and ``format_percent(15, 30, 2, trailing_zeros=False) == "50"``)."""
    step = Decimal(1).scaleb(-digits)
    if total <= 0:
        value = Decimal(0).quantize(step)
    else:
        value = (Decimal(100 * int(n)) / Decimal(int(total))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    if "." in text and not trailing_zeros:
        text = text.rstrip("0").rstrip(".")
    return text


def digits_for(digits: int | str, n: int) -> int:
    if digits == "adaptive":
        return 0 if n < 100 else 1 if n < 1000 else 2
    if isinstance(digits, int) and 0 <= digits <= 6:
        return digits
    raise InputError(f"digits must be 0–6 or 'adaptive', got {digits!r}")


def format_cell(n: int, total: int, digits: int, *, trailing_zeros: bool = True) -> str:
    """``"n (p)"`` as seed 000 prints a cell (see :func:`format_percent`)."""
    return f"{int(n)} ({format_percent(n, total, digits, trailing_zeros=trailing_zeros)})"


@dataclass(frozen=True, eq=False)
class ContentTable(SummaryHtml):
    """A table as printed, with the numbers behind it.

    Attributes
    ----------
    name
        Short id (file and sheet name), e.g. ``table7``.
    title
        Caption.
    header
        Column headers as printed (first: the row-label column).
    rows
        ``(label, kind, cells)`` per printed row; ``kind`` is ``group``, ``category``,
        ``subtotal`` or ``total``; ``cells`` are the printed strings.
    counts
        The counts behind the cells: one row per printed row, one column per data
        column (NaN for group header rows).
    notes
        Footnotes (``N/A: not applicable``, what ``n`` counts).
    bases
        The base of each cell's percentage (same shape as ``counts``; NaN where a cell
        has none), so a spreadsheet can hold the percentages as numbers; ``None`` when
        the table has no percentages to give.
    percent_digits
        Decimals the printed percentages are rounded to (the most any cell uses).
    trailing_zeros
        Whether every percentage shows ``percent_digits`` decimals (the default) or
        drops trailing zeros as seed 000 prints them.
    lang
        The language the table is in (``en`` or ``zh``), for the words an export adds:
        a spreadsheet's ``n`` and ``%`` columns and its note on the percentages. In
        ``zh`` the brackets of the title, headers and row labels are made full-width
        (``供给型（n=60）``; :func:`full_width_brackets`).
    """

    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]
    counts: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)
    bases: pd.DataFrame | None = None
    percent_digits: int = 2
    trailing_zeros: bool = True
    lang: str = "en"

    def __post_init__(self) -> None:
        # Chinese brackets in the words of a Chinese table (a cell's "n (p)" is figures)
        if self.lang == "zh":
            said = full_width_brackets
            object.__setattr__(self, "title", said(self.title))
            object.__setattr__(self, "header", tuple(said(h) for h in self.header))
            rows = tuple((said(label), kind, cells) for label, kind, cells in self.rows)
            object.__setattr__(self, "rows", rows)

    def to_frame(self) -> pd.DataFrame:
        """The printed table as strings (first column: row labels)."""
        data = [[label, *cells] for label, _, cells in self.rows]
        return pd.DataFrame(data, columns=list(self.header))

    def cell(self, row: str, column: str) -> str:
        """The printed cell at a row label and column header."""
        frame = self.to_frame().set_index(self.header[0])
        if row not in frame.index:
            raise KeyError(f"{self.name}: no row {row!r}")
        value = frame.loc[row, column]
        if isinstance(value, pd.Series):
            raise KeyError(f"{self.name}: row label {row!r} is not unique")
        return value

    def summary(self) -> SummaryTable:
        return SummaryTable(
            self.to_frame(), title=self.title, notes=self.notes, show_index=False, lang=self.lang
        )
