"""A table that renders itself: the return type of every ``summary()`` in ihms.

Results objects (an ITS fit, a settlement, an agreement report) return a
:class:`SummaryTable` from ``summary()``. It holds a :class:`pandas.DataFrame` plus a
title and notes, and renders as text, HTML (also in Jupyter) and a rich table, the way
lifelines' and statsmodels' summaries do. The report layer calls these renderers; it
never formats numbers itself.

How cells are formatted (one rule for text, HTML and rich) is told in
:mod:`ihms.summary._cells`: column by column, integers with thousands separators,
floats with a table's ``digits``, exact Decimals, identifiers without separators,
p-values as Stata prints them, missing values as an em dash ``—``.

The rich rendering never cuts a number or an identifier: a column is never narrower
than its longest number or word, and text wraps at spaces. A table too wide for the
console first takes its ``short_headers`` (``se`` for ``std_error``), then drops the
box for two spaces between columns (as Stata and statsmodels print) — these three
tried again with Chinese row labels folded where Chinese text may fold, to 12 cells or
more — then puts its ``stack_under`` columns on a second line of each row (an interval under coef and
standard error), and only then on a third where several go under one column; only a table that fits none of these is split into column blocks,
each repeating the columns that name a row — the index (or first column) and the text
and identifier columns that lead the table, or its ``key_columns`` — as far as the
widest other column leaves room, the way pandas wraps a wide frame. A table of more
rows than the console's row cap (:mod:`ihms._table_rows`: 60, ``IHMS_MAX_ROWS``) shows
its first and last 20 with a row of ``⋮`` between and a note, and so does a notebook's
``_repr_html_`` (the same rows: :func:`ihms._table_rows.kept_rows`); ``to_text()`` and
``to_html()`` keep every row. A title wider than its table folds at phrase boundaries
(:mod:`ihms._title_fold`: 滞后 1 阶 and a bracketed term that fits a line kept whole),
and a note under a Chinese table by the same phrases as a paragraph is filled
(:mod:`ihms._note_fold`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ihms._note_fold import fold_note
from ihms._table_layout import chrome, fold_label
from ihms._table_layout import layout as console_layout
from ihms._table_rows import ELIDED, kept_rows, max_rows, rows_note
from ihms._words import said
from ihms.summary._cells import (
    CONVENTIONAL_ALPHAS,
    MISSING,
    _float,
    _format_values,
    _holds_identifiers,
    _is_missing,
    _is_number,
    _label,
    format_number,
    format_p,
    is_id_name,
    p_text,
)
from ihms.summary._html import indent_style, inline_html, zh_marked

__all__ = [
    "CONVENTIONAL_ALPHAS",
    "MISSING",
    "SummaryTable",
    "format_number",
    "format_p",
    "is_id_name",
    "p_text",
]


@dataclass(frozen=True, eq=False)
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
        Optional per-column formatter, e.g. ``{"p": "{:.3f}".format}``; it is called on
        present values only (missing ones print as :data:`MISSING`). Other columns follow
        the rules of the module docstring with ``digits`` decimals.
    digits
        Decimals of float columns.
    show_index
        Show the index as the first column.
    id_columns
        Columns that hold identifiers (printed without thousands separators) beyond
        those :func:`is_id_name` recognises by name.
    short_headers
        Shorter headers (``{"std_error": "se"}``) for a console too narrow for the
        table with its full ones; the index's header is looked up too. Text, HTML and
        wide consoles keep the full headers.
    stack_under
        Columns that, in a console too narrow otherwise, go on a second line under
        another (``{"95% CI low": "coef"}``): each row takes two lines, every number
        stays. Several columns under one take a line each, in this mapping's order.
    decimal_columns
        Columns of statistics that show ``digits`` decimals even when every value is
        whole (a kappa of exactly 1 as ``1.0000``, as Stata prints it, not ``1``).
    key_columns
        The columns after the index (or, without it, from the first) that name a
        row — its period, county, role. A table too wide for the console is split
        into column blocks that each repeat the index and these, as far as the widest
        other column leaves room. By default: the text and identifier columns that
        lead the frame (none if every column is text).
    fold_to_save_blocks
        In a console too narrow for one block, fold a long label column (to 16 cells
        or more, at ``_`` and ``-``) when that takes fewer column blocks: a label
        repeated in every block then leaves room for two figures where one fitted.
    row_decimals
        Decimals row by row (one per row, in the frame's order) of a column whose rows
        measure different things: a count ``250`` beside a rate ``145.00``.
    lang
        The language of the words the rendering adds: a column block's "(continued)"
        (``"zh"``: 续表, for a table built in Chinese; :mod:`ihms._words`).
    """

    frame: pd.DataFrame
    title: str = ""
    notes: Sequence[str] = field(default_factory=tuple)
    formats: Mapping[str, Callable[[object], str]] = field(default_factory=dict)
    digits: int = 4
    show_index: bool = True
    id_columns: Sequence[str] = field(default_factory=tuple)
    short_headers: Mapping[str, str] = field(default_factory=dict)
    stack_under: Mapping[str, str] = field(default_factory=dict)
    decimal_columns: Sequence[str] = field(default_factory=tuple)
    key_columns: Sequence[str] | None = None
    fold_to_save_blocks: bool = False
    row_decimals: Mapping[str, Sequence[int]] = field(default_factory=dict)
    lang: str = "en"

    def __post_init__(self) -> None:
        for name, decimals in self.row_decimals.items():
            if len(decimals) != len(self.frame):
                raise ValueError(
                    f"row_decimals: {name!r} gives {len(decimals)} decimals for "
                    f"{len(self.frame)} rows"
                )
        if self.key_columns is None:
            return
        keys = [str(c) for c in self.key_columns]
        leading = [str(c) for c in self.frame.columns[: len(keys)]]
        if keys != leading:
            wrong = next(k for k, c in zip(keys, [*leading, None], strict=False) if k != c)
            raise ValueError(
                f"key_columns: {wrong!r} is not where a key column goes; expected the "
                f"first columns of the frame in order, {leading!r}"
            )

    def to_frame(self) -> pd.DataFrame:
        """A copy of the numbers, unformatted."""
        return self.frame.copy()

    def _column(self, name: object, values: list) -> tuple[list[str], bool]:
        """Formatted cells of one column and whether it is numeric (right-aligned)."""
        fmt = self.formats.get(str(name))
        present = [v for v in values if not _is_missing(v)]
        numeric = bool(present) and all(_is_number(v) for v in present)
        if fmt is not None:
            return [MISSING if _is_missing(v) else fmt(v) for v in values], numeric
        if (decimals := self.row_decimals.get(str(name))) is not None:
            cells = [
                MISSING if _is_missing(v) else _float(float(v), d, self.digits)  # type: ignore[arg-type]
                for v, d in zip(values, decimals, strict=True)
            ]
            return cells, numeric
        id_like = self._is_id_column(name, values)
        decimal = str(name) in {str(c) for c in self.decimal_columns}
        return _format_values(values, self.digits, id_like=id_like, decimal=decimal), numeric

    def _is_id_column(self, name: object, values: Sequence[object]) -> bool:
        named = is_id_name(name) or str(name) in {str(c) for c in self.id_columns}
        return named and _holds_identifiers(values)

    def _key_count(self, numeric: list[bool]) -> int:
        """How many leading columns of :meth:`_cells` name a row (the index, or the
        first column, and the ``key_columns``); without ``key_columns``, those followed
        by the text and identifier columns that lead the frame, unless that is every
        column (a table of text alone names its rows by its first)."""
        frame = self.frame
        shift = 1 if self.show_index else 0  # the index is column 0 of the cells
        if self.key_columns is not None:
            return max(1, shift + len(self.key_columns))
        keys = 1
        for pos in range(1 - shift, len(frame.columns)):
            name, values = frame.columns[pos], frame.iloc[:, pos].tolist()
            if numeric[pos + shift] and not self._is_id_column(name, values):
                return keys
            keys += 1
        return 1

    def _cells(self) -> tuple[list[str], list[list[str]], list[bool]]:
        """Header, rows of formatted cells, and which columns are numeric."""
        frame = self.frame
        header = [str(c) for c in frame.columns]
        columns, numeric = [], []
        for pos, name in enumerate(frame.columns):
            cells, is_num = self._column(name, frame.iloc[:, pos].tolist())
            columns.append(cells)
            numeric.append(is_num)
        if self.show_index:
            names = [n for n in frame.index.names if n is not None]
            header = [" / ".join(str(n) for n in names), *header]
            columns = [[_label(v) for v in frame.index.tolist()], *columns]
            numeric = [False, *numeric]
        if columns:
            rows = [list(r) for r in zip(*columns, strict=True)]
        else:
            rows = [[] for _ in range(len(frame))]
        return header, rows, numeric

    def to_text(self) -> str:
        """Plain-text rendering with aligned columns (numbers right, text left)."""
        header, rows, numeric = self._cells()
        widths = [len(h) for h in header]
        for r in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]

        def line(cells: list[str]) -> str:
            out = [
                c.rjust(w) if num else c.ljust(w)
                for c, w, num in zip(cells, widths, numeric, strict=True)
            ]
            return "  ".join(out).rstrip()

        rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
        parts = []
        if self.title:
            parts.append(self.title)
        parts += [rule, line(header), rule, *(line(r) for r in rows), rule]
        parts += list(self.notes)
        return "\n".join(parts)

    __str__ = to_text

    def to_html(self, *, table_class: str = "ihms-table", max_rows: int = 0, via: str = "") -> str:
        """HTML ``<table>`` with a caption and notes; numbers right-aligned, text left.

        ``max_rows`` above 0 caps the rows as the console does (a notebook's
        ``_repr_html_``, :class:`ihms._repr.SummaryHtml`): the first and last 20, the
        group rows the last fall under, a row of ``⋮`` where rows are left out, and a
        note saying so, whose ways to every row are reached by ``via`` from the object
        shown (``"summary()."`` for a result); 0 (reports, files) keeps every row.

        Parameters
        ----------
        table_class
            The ``class`` attribute of the ``<table>`` element.
        max_rows
            A table of more rows has its middle cut (see above); 0 shows every row.
        via
            The attribute path, from the object a notebook shows, that the cut-rows note
            says leads to the whole table (``"summary()."``); unused when ``max_rows``
            is 0 or nothing is cut.
        """
        header, rows, numeric = self._cells()
        notes = list(self.notes)
        labels = [r[0] for r in rows] if header and not numeric[0] else []
        if capped := kept_rows(labels, len(rows), max_rows):
            kept, cut, groups = capped
            notes.insert(0, rows_note(self.lang, len(rows), *cut, groups, via=via))
            elided = []
            for n, i in enumerate(kept):
                if n and i != kept[n - 1] + 1:  # a row of ⋮ where rows are left out
                    elided.append([ELIDED] * len(header))
                elided.append(rows[i])
            rows = elided
        out = [f'<table class="{table_class}">']
        if self.title:
            out.append(f"<caption>{zh_marked(html.escape(self.title))}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{zh_marked(html.escape(h))}</th>" for h in header))
        out.append("</tr></thead><tbody>")
        for r in rows:
            tds = []
            for c, num in zip(r, numeric, strict=True):
                if num:
                    tds.append(f"<td>{html.escape(c)}</td>")
                else:  # a sub-row's leading spaces as an indent: HTML drops them
                    text, style = indent_style(c)
                    tds.append(f'<td class="label"{style}>{zh_marked(html.escape(text))}</td>')
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</tbody>")
        if notes:
            span = len(header)
            shown_notes = "<br>".join(inline_html(n) for n in notes)
            out.append(
                f'<tfoot><tr><td colspan="{span}" class="note">{shown_notes}</td></tr></tfoot>'
            )
        out.append("</table>")
        return "".join(out)

    def _repr_html_(self) -> str:
        # in a notebook, rows capped as in the console (IHMS_MAX_ROWS, 60): thousands of
        # indicator rows made a page of megabytes
        return self.to_html(max_rows=max_rows())

    def __rich_console__(self, console, options):
        """Rich tables that fit ``options.max_width`` without cutting a number or a word
        (:func:`ihms._table_layout.layout` chooses how); more rows than the row cap
        (:mod:`ihms._table_rows`: 60, ``IHMS_MAX_ROWS``) are shown as the first and the
        last 20 with a row of ``⋮`` between and a note saying so; when the last begin
        under a group row left out, it follows the ``⋮`` (:func:`ihms._table_rows.group_rows`)."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        header, rows, numeric = self._cells()
        total = len(rows)
        kept = list(range(total))  # the rows shown, by their place in the table
        labels = [r[0] for r in rows] if header and not numeric[0] else []
        # every cell formatted as in the whole table, the widths taken from the rows shown
        if capped := kept_rows(labels, total, max_rows()):
            kept = capped[0]
            rows = [rows[i] for i in kept]
        layout = console_layout(
            header,
            rows,
            numeric,
            options.max_width,
            short_headers=self.short_headers,
            stack_under=self.stack_under,
            keys=self._key_count(numeric),
            fold_to_save_blocks=self.fold_to_save_blocks,
        )
        compact = {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False}
        style = {**compact, "collapse_padding": True} if layout.compact else {}
        blocks = layout.blocks
        for b, (columns, widths) in enumerate(blocks):
            first = b == 0
            title = (
                self.title
                if first or not self.title
                else said(self.lang, "continued", title=self.title)
            )
            # folded at phrase boundaries to the table's width, where rich would fold it
            width = sum(widths) + chrome(len(columns), layout.compact)
            table = Table(title=_folded_title(console, title, width) if title else None, **style)
            for j, w in zip(columns, widths, strict=True):
                justify = "right" if layout.numeric[j] else "left"
                table.add_column(layout.header[j], justify=justify, width=w, overflow="fold")
            for i, r in enumerate(layout.rows):
                if i and kept[i] != kept[i - 1] + 1:  # every block leaves out the same rows
                    table.add_row(*[ELIDED] * len(columns), style="dim")
                cells = [r[j] for j in columns]
                if not layout.numeric[0]:  # a label wider than its column folds, hanging
                    cells[0] = fold_label(cells[0], widths[0])
                table.add_row(*cells)
            if not first:
                yield Text("")
            yield table
        # below the table, not as its caption: a caption wraps to the table's width, so a
        # long note under a narrow table stood as a tall column of two-word lines
        said_cut = (rows_note(self.lang, total, *capped[1], capped[2]),) if capped else ()
        for note in (*said_cut, *self.notes):
            note = fold_note(note, options.max_width, lang=self.lang)  # Chinese by phrase
            yield Text(note, style="table.caption", justify="left", overflow="fold")


def _folded_title(console, title: str, width: int):
    """``title`` as a rich table shows it (``table.title`` style, markup read), folded
    to ``width`` cells at phrase boundaries (:func:`ihms._title_fold.title_breaks`):
    rich folds a title at spaces only, inside a phrase (滞后 / 1 阶)."""
    from rich.text import Text

    from ihms._title_fold import title_breaks

    text = console.render_str(title, style="table.title", highlight=False)
    if not (breaks := title_breaks(text.plain, width)):
        return text
    lines = text.divide([i for pair in breaks for i in pair])[::2]
    for line in lines:  # the style on the whole title, not again on each line
        line.style = ""
    folded = Text("\n").join(lines)
    folded.style = text.style
    return folded
