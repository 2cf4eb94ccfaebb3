"""A table that renders itself: the return type of every ``summary()`` in ihms.

Results objects (an ITS fit, a settlement, an agreement report) return a
:class:`SummaryTable` from ``summary()``. It holds a :class:`pandas.DataFrame` plus a
title and notes, and renders as text, HTML (also in Jupyter) and a rich table, the way
lifelines' and statsmodels' summaries do. The report layer calls these renderers; it
never formats numbers itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["SummaryTable", "format_number"]


def format_number(value: object, digits: int = 4) -> str:
    """Format one cell: integers with thousands separators, floats to ``digits``
    significant decimals, missing values as an empty string."""
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        if np.isinf(value):
            return "inf" if value > 0 else "-inf"
        if abs(value) >= 1e6 or (value != 0 and abs(value) < 10**-(digits)):
            return f"{value:.{digits}g}"
        return f"{value:,.{digits}f}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


@dataclass(frozen=True)
class SummaryTable:
    """A titled table with notes.

    Parameters
    ----------
    frame
        The numbers. Its index is shown as the first column unless ``show_index`` is
        False.
    title
        One line shown above the table.
    notes
        Lines shown below the table (method, caveats, sources).
    formats
        Optional per-column formatter, e.g. ``{"p": "{:.3f}".format}``; other columns use
        :func:`format_number` with ``digits``.
    """

    frame: pd.DataFrame
    title: str = ""
    notes: Sequence[str] = field(default_factory=tuple)
    formats: Mapping[str, Callable[[object], str]] = field(default_factory=dict)
    digits: int = 4
    show_index: bool = True

    def to_frame(self) -> pd.DataFrame:
        """A copy of the numbers, unformatted."""
        return self.frame.copy()

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        frame = self.frame
        header = [str(c) for c in frame.columns]
        if self.show_index:
            header = [str(frame.index.name or ""), *header]
        rows = []
        for idx, row in frame.iterrows():
            cells = []
            for col, value in row.items():
                fmt = self.formats.get(str(col))
                if fmt is not None and not (isinstance(value, float) and np.isnan(value)):
                    cells.append(fmt(value))
                else:
                    cells.append(format_number(value, self.digits))
            if self.show_index:
                cells = [str(idx), *cells]
            rows.append(cells)
        return header, rows

    def to_text(self) -> str:
        """Plain-text rendering with aligned columns."""
        header, rows = self._cells()
        widths = [len(h) for h in header]
        for r in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]

        def line(cells: list[str]) -> str:
            first, *rest = cells
            out = [first.ljust(widths[0])]
            out += [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
            return "  ".join(out)

        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        parts = []
        if self.title:
            parts.append(self.title)
        parts += [rule, line(header), rule, *(line(r) for r in rows), rule]
        parts += list(self.notes)
        return "\n".join(parts)

    __str__ = to_text

    def to_html(self, *, table_class: str = "ihms-table") -> str:
        """HTML ``<table>`` with a caption and notes; numbers right-aligned."""
        header, rows = self._cells()
        out = [f'<table class="{table_class}">']
        if self.title:
            out.append(f"<caption>{html.escape(self.title)}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header))
        out.append("</tr></thead><tbody>")
        for r in rows:
            tds = []
            for i, c in enumerate(r):
                cls = ' class="label"' if (i == 0 and self.show_index) else ""
                tds.append(f"<td{cls}>{html.escape(c)}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</tbody>")
        if self.notes:
            span = len(header)
            notes = "<br>".join(html.escape(n) for n in self.notes)
            out.append(f'<tfoot><tr><td colspan="{span}" class="note">{notes}</td></tr></tfoot>')
        out.append("</table>")
        return "".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __rich__(self):  # pragma: no cover - exercised through the CLI
        from rich.table import Table

        header, rows = self._cells()
        table = Table(title=self.title or None, caption="\n".join(self.notes) or None)
        for i, h in enumerate(header):
            table.add_column(h, justify="left" if (i == 0 and self.show_index) else "right")
        for r in rows:
            table.add_row(*r)
        return table
