"""A table that renders itself: the return type of every ``summary()`` in ihms.

Results objects (an ITS fit, a settlement, an agreement report) return a
:class:`SummaryTable` from ``summary()``. It holds a :class:`pandas.DataFrame` plus a
title and notes, and renders as text, HTML (also in Jupyter) and a rich table, the way
lifelines' and statsmodels' summaries do. The report layer calls these renderers; it
never formats numbers itself.

How cells are formatted (one rule for text, HTML and rich):

- **Column by column.** A column is formatted as a whole, so every number in it shows
  the same number of decimals (rows are never upcast to float along the way).
- **Integers** (integer dtype, or a float column whose values are all whole numbers)
  print with thousands separators and no decimals: ``1,300,000`` — except in the
  columns a table names in ``decimal_columns`` (statistics: a kappa of 1 is ``1.0000``).
- **Floats** print in plain digits with thousands separators and ``digits`` decimals;
  a column whose every non-zero value is at least 1,000 in magnitude (money, person-
  years) shows at most 2 decimals. Scientific notation is kept for the values plain
  digits cannot show: non-zero values that would round to zero (a p-value of 1e-12)
  and magnitudes of 1e15 or more.
- **Decimals** (exact money) print exactly, padded to the most decimals in the column.
- **Row by row** in the columns a table gives ``row_decimals``: a long table whose rows
  measure different things (an indicator's count, a rate) shows each row with its own
  decimals, whatever else the column holds.
- **Identifiers** print without separators: a column (or the index) whose name's last
  word is one of ``year``, ``month``, ``quarter``, ``week``, ``fold``, ``seed``, ``id``,
  ``code``, ``batch``, ``wave`` (so ``year``, ``fiscal_year``, ``unit id``, but not
  ``resident-years``), ``年``/``年份``/``年度``, and any column the caller lists in
  ``id_columns``. Index labels are always identifiers.
- **p-values** (columns a summary hands :func:`format_p`) print with three decimals,
  as Stata's and statsmodels' coefficient tables print ``P>|t|``, and one below 0.001
  (0 included, where the test's tail underflows) as ``<0.001``, never as ``0``,
  ``0.000`` or ``7.1e-36``; one that three decimals would round onto a significance
  level (0.01, 0.05, 0.10, or the α the table decides with) shows the decimals that
  tell its side (``0.0504``, ``0.0496``). The numbers themselves (``to_frame``,
  ``--json``) stay exact.
- **Missing** values (``None``, ``NaN``, ``pd.NA``, ``NaT``) print as an em dash ``—``.

The rich rendering never cuts a number or an identifier: a column is never narrower
than its longest number or word, and text wraps at spaces. A table too wide for the
console first takes its ``short_headers`` (``se`` for ``std_error``), then drops the
box for two spaces between columns (as Stata and statsmodels print), then puts its
``stack_under`` columns on a second line of each row (an interval under coef and
standard error), and only then on a third where several go under one column; only a table that fits none of these is split into column blocks,
each repeating the columns that name a row — the index (or first column) and the text
and identifier columns that lead the table, or its ``key_columns`` — as far as the
widest other column leaves room, the way pandas wraps a wide frame.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from ihms._table_layout import fold_label
from ihms._table_layout import layout as console_layout

__all__ = [
    "CONVENTIONAL_ALPHAS",
    "MISSING",
    "SummaryTable",
    "format_number",
    "format_p",
    "is_id_name",
    "p_text",
]

MISSING = "—"
"""What every renderer prints for a missing value (None, NaN, pd.NA, NaT)."""

_ID_WORDS = frozenset(
    {"year", "month", "quarter", "week", "fold", "seed", "id", "code", "batch", "wave"}
)
_ID_NAMES_ZH = frozenset({"年", "年份", "年度", "编码", "代码"})
_QUALIFIER = re.compile(r"(\s*[(（][^()（）]*[)）])+\s*$")
_BIG = 1e15  # plain digits beyond this are absurd (and past float's exact integers)


def is_id_name(name: object) -> bool:
    """True if a column called ``name`` holds identifiers (years, ids, codes, folds).

    The last word of the name decides, a closing parenthesis left aside: ``year``,
    ``fiscal_year``, ``unit id`` and ``Year (calendar)`` are identifiers,
    ``resident-years``, ``id count`` and ``Deqing 2016 (seed)`` are not.
    """
    text = str(name).strip().lower()
    # a closing parenthesis qualifies the name, it does not name the column: "Year
    # (calendar)" holds years, "Deqing 2016 (seed)" a figure the seed paper reports
    head = _QUALIFIER.sub("", text).strip() or text
    if head in _ID_NAMES_ZH:
        return True
    words = [w for w in re.split(r"[^0-9a-z]+", head) if w]
    return bool(words) and words[-1] in _ID_WORDS


def _holds_identifiers(values: Sequence[object]) -> bool:
    """False for a column with a number that is not whole: identifiers are whole
    numbers or text, so such a column is a measurement, whatever its name."""
    return not any(_is_number(v) and not _is_whole(v) for v in values if not _is_missing(v))


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes are values, not missing
        return False


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating, Decimal)) and not isinstance(
        value, (bool, np.bool_)
    )


def _is_whole(value: object) -> bool:
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and float(value).is_integer()


def _label(value: object) -> str:
    """An identifier or index label: numbers without separators, dates as dates."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, tuple):
        return " / ".join(_label(v) for v in value)
    if _is_number(value) and _is_whole(value) and abs(float(value)) < _BIG:
        return str(int(value))
    if isinstance(value, (pd.Timestamp, datetime)):
        return _datetime(value)
    return str(value) if not _is_number(value) else format_number(value)


def _datetime(value: datetime) -> str:
    ts = pd.Timestamp(value)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else str(ts)


def _float(value: float, decimals: int, digits: int) -> str:
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    magnitude = abs(value)
    if magnitude >= _BIG or (value != 0 and round(magnitude, decimals) == 0):
        return f"{value:.{max(digits, 1)}g}"
    return f"{value + 0.0:,.{decimals}f}"  # + 0.0 turns -0.0 into 0.0


def _numbers(values: list, digits: int, *, whole_as_integers: bool = True) -> list[str]:
    """Format a column of numbers (none missing) with one rule for the whole column;
    without ``whole_as_integers`` whole-valued floats keep ``digits`` decimals."""
    if any(isinstance(v, Decimal) for v in values) and all(
        isinstance(v, (Decimal, int, np.integer)) for v in values
    ):
        exact = [Decimal(int(v)) if not isinstance(v, Decimal) else v for v in values]
        exponents = [d.as_tuple().exponent for d in exact if d.is_finite()]
        decimals = max([0, *(-e for e in exponents if isinstance(e, int))])
        return [f"{d:,.{decimals}f}" if d.is_finite() else str(d) for d in exact]
    floats = np.array([float(v) for v in values])
    finite = floats[np.isfinite(floats)]
    if whole_as_integers and (
        all(isinstance(v, (int, np.integer)) for v in values)
        or (np.all(finite == np.round(finite)) and np.all(np.abs(finite) < _BIG) and finite.size)
    ):
        return [
            f"{int(v):,}" if np.isfinite(float(v)) else _float(float(v), 0, digits) for v in values
        ]
    nonzero = np.abs(finite[finite != 0])
    decimals = min(digits, 2) if nonzero.size and nonzero.min() >= 1000 else digits
    return [_float(float(v), decimals, digits) for v in values]


def _format_values(
    values: Sequence[object], digits: int, *, id_like: bool = False, decimal: bool = False
) -> list[str]:
    """Format one column's values; see the module docstring for the rules (``decimal``:
    whole-valued numbers keep their decimals)."""
    out = [MISSING] * len(values)
    present = [(i, v) for i, v in enumerate(values) if not _is_missing(v)]
    if not present:
        return out
    idx, vals = zip(*present, strict=True)
    if id_like:
        cells = [_label(v) for v in vals]
    elif all(_is_number(v) for v in vals):
        cells = _numbers(list(vals), digits, whole_as_integers=not decimal)
    elif len(vals) > 1:  # mixed text and numbers (a row-oriented table): value by value
        cells = [_format_values([v], digits)[0] for v in vals]
    elif isinstance(vals[0], (pd.Timestamp, datetime)):
        cells = [_datetime(vals[0])]
    elif isinstance(vals[0], date):
        cells = [vals[0].isoformat()]
    else:
        cells = [str(vals[0])]
    for i, cell in zip(idx, cells, strict=True):
        out[i] = cell
    return out


def format_number(value: object, digits: int = 4) -> str:
    """Format one cell as a one-value column: integers (and whole floats) with thousands
    separators, floats with ``digits`` decimals, missing values as :data:`MISSING`."""
    return _format_values([value], digits)[0]


_P_DECIMALS = 3
"""Decimals every printed p-value shows (Stata's and statsmodels' ``P>|t|``)."""

CONVENTIONAL_ALPHAS = (0.01, 0.05, 0.1)
"""The significance levels a reader compares a printed p with when a table names none."""


def format_p(value: object, *, alpha: float | None = None) -> str:
    """A p-value as every ihms table prints it: three decimals, and a p below 0.001 as
    ``<0.001`` (a p whose tail underflowed to 0 is not zero, only very small).

    Where three decimals would land exactly on a significance level — ``alpha`` (the one
    the caller decides with) or one of :data:`CONVENTIONAL_ALPHAS` — while the p is not
    that level, decimals are added until the figure shows which side of it the p lies
    on: ``0.050`` would be read as significant at 5 % by some and not by others, for a
    p of 0.0504 as for one of 0.0496. A p exactly at the level prints ``0.050``, which
    ``p < alpha`` does not reject.

    >>> format_p(0.04567), format_p(0.0), format_p(7.1e-36), format_p(1.0)
    ('0.046', '<0.001', '<0.001', '1.000')
    >>> format_p(0.0504), format_p(0.0496), format_p(0.04996), format_p(0.05)
    ('0.0504', '0.0496', '0.04996', '0.050')
    >>> format_p(0.0196), format_p(0.0196, alpha=0.02)
    ('0.020', '0.0196')
    """
    if _is_missing(value):
        return MISSING
    p = float(value)  # type: ignore[arg-type]
    smallest = 10.0**-_P_DECIMALS
    if p < smallest:
        return f"<{smallest:.{_P_DECIMALS}f}"
    levels = {
        Decimal(repr(a)) for a in (*CONVENTIONAL_ALPHAS, *(() if alpha is None else (alpha,)))
    }
    digits = _P_DECIMALS
    text = f"{p:.{digits}f}"
    # rounding is monotone and each level sits on the grid, so a figure that is not the
    # level is on the p's side of it; 20 decimals tell apart any double from 0.001 up
    while Decimal(text) in levels and p not in (float(v) for v in levels) and digits < 20:
        digits += 1
        text = f"{p:.{digits}f}"
    return text


def p_text(value: float, *, alpha: float | None = None) -> str:
    """A p-value in a sentence: ``p = 0.046``, ``p < 0.001`` (as :func:`format_p`).

    >>> p_text(0.0504), p_text(1e-9)
    ('p = 0.0504', 'p < 0.001')
    """
    shown = format_p(value, alpha=alpha)
    return f"p < {shown[1:]}" if shown.startswith("<") else f"p = {shown}"


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

    def to_html(self, *, table_class: str = "ihms-table") -> str:
        """HTML ``<table>`` with a caption and notes; numbers right-aligned, text left."""
        header, rows, numeric = self._cells()
        out = [f'<table class="{table_class}">']
        if self.title:
            out.append(f"<caption>{html.escape(self.title)}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header))
        out.append("</tr></thead><tbody>")
        for r in rows:
            tds = []
            for c, num in zip(r, numeric, strict=True):
                cls = "" if num else ' class="label"'
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

    def __rich_console__(self, console, options):
        """Rich tables that fit ``options.max_width`` without cutting a number or a word
        (:func:`ihms._table_layout.layout` chooses how)."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        header, rows, numeric = self._cells()
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
            title = self.title if first else (f"{self.title} (continued)" if self.title else "")
            table = Table(title=title or None, **style)
            for j, w in zip(columns, widths, strict=True):
                justify = "right" if layout.numeric[j] else "left"
                table.add_column(layout.header[j], justify=justify, width=w, overflow="fold")
            for r in layout.rows:
                cells = [r[j] for j in columns]
                if not layout.numeric[0]:  # a label wider than its column folds, hanging
                    cells[0] = fold_label(cells[0], widths[0])
                table.add_row(*cells)
            if not first:
                yield Text("")
            yield table
        # below the table, not as its caption: a caption wraps to the table's width, so a
        # long note under a narrow table stood as a tall column of two-word lines
        for note in self.notes:
            yield Text(note, style="table.caption", justify="left", overflow="fold")
