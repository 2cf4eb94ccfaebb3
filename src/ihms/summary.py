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
  print with thousands separators and no decimals: ``1,300,000``.
- **Floats** print in plain digits with thousands separators and ``digits`` decimals;
  a column whose every non-zero value is at least 1,000 in magnitude (money, person-
  years) shows at most 2 decimals. Scientific notation is kept for the values plain
  digits cannot show: non-zero values that would round to zero (a p-value of 1e-12)
  and magnitudes of 1e15 or more.
- **Decimals** (exact money) print exactly, padded to the most decimals in the column.
- **Identifiers** print without separators: a column (or the index) whose name's last
  word is one of ``year``, ``month``, ``quarter``, ``week``, ``fold``, ``seed``, ``id``,
  ``code``, ``batch``, ``wave`` (so ``year``, ``fiscal_year``, ``unit id``, but not
  ``resident-years``), ``年``/``年份``/``年度``, and any column the caller lists in
  ``id_columns``. Index labels are always identifiers.
- **Missing** values (``None``, ``NaN``, ``pd.NA``, ``NaT``) print as an em dash ``—``.

The rich rendering never cuts a number or an identifier: a column is never narrower
than its longest number or word, and text wraps at spaces. A table too wide for the
console first takes its ``short_headers`` (``se`` for ``std_error``), then drops the
box for two spaces between columns (as Stata and statsmodels print), then puts its
``stack_under`` columns on a second line of each row (an interval under coef and
standard error), and only then on a third where several go under one column; only a table that fits none of these is split into column blocks,
each repeating the first (label) column, the way pandas wraps a wide frame.
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

__all__ = ["MISSING", "SummaryTable", "format_number", "is_id_name"]

MISSING = "—"
"""What every renderer prints for a missing value (None, NaN, pd.NA, NaT)."""

_ID_WORDS = frozenset(
    {"year", "month", "quarter", "week", "fold", "seed", "id", "code", "batch", "wave"}
)
_ID_NAMES_ZH = frozenset({"年", "年份", "年度", "编码", "代码"})
_BIG = 1e15  # plain digits beyond this are absurd (and past float's exact integers)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def is_id_name(name: object) -> bool:
    """True if a column called ``name`` holds identifiers (years, ids, codes, folds).

    The last word of the name decides: ``year``, ``fiscal_year`` and ``unit id`` are
    identifiers, ``resident-years`` and ``id count`` are not.
    """
    text = str(name).strip().lower()
    if text in _ID_NAMES_ZH:
        return True
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w]
    return bool(words) and words[-1] in _ID_WORDS


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


def _numbers(values: list, digits: int) -> list[str]:
    """Format a column of numbers (none missing) with one rule for the whole column."""
    if any(isinstance(v, Decimal) for v in values) and all(
        isinstance(v, (Decimal, int, np.integer)) for v in values
    ):
        exact = [Decimal(int(v)) if not isinstance(v, Decimal) else v for v in values]
        exponents = [d.as_tuple().exponent for d in exact if d.is_finite()]
        decimals = max([0, *(-e for e in exponents if isinstance(e, int))])
        return [f"{d:,.{decimals}f}" if d.is_finite() else str(d) for d in exact]
    floats = np.array([float(v) for v in values])
    finite = floats[np.isfinite(floats)]
    if all(isinstance(v, (int, np.integer)) for v in values) or (
        np.all(finite == np.round(finite)) and np.all(np.abs(finite) < _BIG) and finite.size
    ):
        return [
            f"{int(v):,}" if np.isfinite(float(v)) else _float(float(v), 0, digits) for v in values
        ]
    nonzero = np.abs(finite[finite != 0])
    decimals = min(digits, 2) if nonzero.size and nonzero.min() >= 1000 else digits
    return [_float(float(v), decimals, digits) for v in values]


def _format_values(values: Sequence[object], digits: int, *, id_like: bool = False) -> list[str]:
    """Format one column's values; see the module docstring for the rules."""
    out = [MISSING] * len(values)
    present = [(i, v) for i, v in enumerate(values) if not _is_missing(v)]
    if not present:
        return out
    idx, vals = zip(*present, strict=True)
    if id_like:
        cells = [_label(v) for v in vals]
    elif all(_is_number(v) for v in vals):
        cells = _numbers(list(vals), digits)
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


def _min_width(cell: str, numeric: bool) -> int:
    """Narrowest a cell may get: a number whole, text down to its longest word."""
    from rich.cells import cell_len

    lines = cell.split("\n")
    if numeric:
        return max(cell_len(line) for line in lines)
    words = [cell_len(t) for t in _TOKEN.findall(cell)]
    # a line's indent (a category under its dimension) stays with its first word
    for line in lines:
        if first := _TOKEN.search(line):
            words.append(cell_len(line[: first.end()]))
    return max(words, default=0)


def _widths(
    header: list[str], rows: list[list[str]], numeric: list[bool], whole_header: bool = False
) -> tuple[list[int], list[int]]:
    """Each column's natural width and the least it may get (:func:`_min_width`); with
    ``whole_header`` a header's lines are never folded (stacked headers: line k of a
    header names line k of its cells)."""
    from rich.cells import cell_len

    natural = [
        max(cell_len(line) for c in [header[j], *(r[j] for r in rows)] for line in c.split("\n"))
        or 1
        for j in range(len(header))
    ]
    least = [
        max(
            [
                _min_width(header[j], whole_header),
                *(_min_width(r[j], numeric[j]) for r in rows),
            ],
            default=1,
        )
        or 1
        for j in range(len(header))
    ]
    return natural, least


def _chrome(k: int, compact: bool) -> int:
    """Borders and padding of a k-column rich table: boxed (``│ a │ b │``), or compact
    (two spaces between columns, no edges, as Stata and statsmodels print)."""
    return 2 * (k - 1) if compact else 3 * k + 1


@dataclass(frozen=True)
class _Layout:
    """How a table is drawn in a console: its header, rows and which columns are
    numeric (changed by stacking), whether compact, and per block the columns (each
    block led by column 0) and their widths."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    compact: bool
    blocks: list[tuple[list[int], list[int]]]


def _stacked(
    header: list[str], rows: list[list[str]], numeric: list[bool], under: Mapping[str, str]
) -> tuple[list[str], list[list[str]], list[bool]]:
    """Each column named in ``under`` moved to a line below the column it names, header
    and cells (``coef`` over ``95% CI low``); several under one go in ``under``'s order."""
    pos = {h: j for j, h in enumerate(header)}
    moved = {pos[c]: pos[u] for c, u in under.items() if c in pos and u in pos and u not in under}
    below: dict[int, list[int]] = {}
    for c, u in moved.items():
        below.setdefault(u, []).append(c)
    keep = [j for j in range(len(header)) if j not in moved]

    def stack(cells: list[str]) -> list[str]:
        return ["\n".join([cells[j], *(cells[c] for c in below.get(j, []))]) for j in keep]

    # every header as deep as the deepest, blank lines below: line k of a header stands
    # over line k of its cells whichever way the header row is aligned
    heads = stack(header)
    depth = max((h.count("\n") for h in heads), default=0)
    heads = [h + "\n" * (depth - h.count("\n")) for h in heads]
    return heads, [stack(r) for r in rows], [numeric[j] for j in keep]


def _layout(
    header: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    max_width: int,
    table: SummaryTable,
) -> _Layout:
    """The first layout that fits ``max_width`` in one block, words and numbers whole:
    boxed with the full headers; then with the table's short headers; then compact
    (no rules between columns); then compact with its stacked columns, one under each
    column before several. Failing all,
    boxed column blocks (:func:`_column_blocks`) with the short headers."""
    tries = [(header, rows, numeric, False, False)]
    if table.short_headers:
        header = [table.short_headers.get(h, h) for h in header]
        tries.append((header, rows, numeric, False, False))
    tries.append((header, rows, numeric, True, False))
    if table.stack_under:
        short = {table.short_headers.get(c, c): table.short_headers.get(u, u)
                 for c, u in table.stack_under.items()}  # fmt: skip
        two_lines: dict[str, str] = {}  # rows of two lines before rows of three
        for c, u in short.items():
            if u not in two_lines.values():
                two_lines[c] = u
        if two_lines != short:
            tries.append((*_stacked(header, rows, numeric, two_lines), True, True))
        tries.append((*_stacked(header, rows, numeric, short), True, True))
    for h, r, num, compact, whole in tries:
        natural, least = _widths(h, r, num, whole)
        if not h or sum(least) + _chrome(len(h), compact) <= max_width:
            return _Layout(h, r, num, compact, _column_blocks(natural, least, max_width, compact))
    natural, least = _widths(header, rows, numeric)
    return _Layout(header, rows, numeric, False, _column_blocks(natural, least, max_width, False))


def _column_blocks(
    natural: list[int], least: list[int], max_width: int, compact: bool
) -> list[tuple[list[int], list[int]]]:
    """Split columns into blocks that fit ``max_width``, each led by column 0, and give
    each column a width: its natural width, columns shrunk (widest first) down to their
    ``least`` when the block would not fit otherwise."""
    n = len(natural)
    if n == 0:
        return []
    groups: list[list[int]] = [[0]]
    for j in range(1, n):
        block = groups[-1]
        if (
            len(block) > 1
            and sum(least[i] for i in [*block, j]) + _chrome(len(block) + 1, compact) > max_width
        ):
            groups.append([0, j])
        else:
            block.append(j)
    out = []
    for block in groups:
        widths = [natural[j] for j in block]
        excess = sum(widths) + _chrome(len(block), compact) - max_width
        while excess > 0:
            slack = [w - least[j] for w, j in zip(widths, block, strict=True)]
            k = max(range(len(block)), key=lambda i: (slack[i] > 0, widths[i]))
            if slack[k] <= 0:
                break
            widths[k] -= 1
            excess -= 1
        out.append((block, widths))
    return out


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
        id_like = is_id_name(name) or str(name) in {str(c) for c in self.id_columns}
        return _format_values(values, self.digits, id_like=id_like), numeric

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
        (:func:`_layout` chooses how)."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        header, rows, numeric = self._cells()
        layout = _layout(header, rows, numeric, options.max_width, self)
        compact = {"box": box.SIMPLE_HEAD, "show_edge": False, "pad_edge": False}
        style = {**compact, "collapse_padding": True} if layout.compact else {}
        blocks = layout.blocks
        for b, (columns, widths) in enumerate(blocks):
            first, last = b == 0, b == len(blocks) - 1
            title = self.title if first else (f"{self.title} (continued)" if self.title else "")
            table = Table(
                title=title or None,
                caption=("\n".join(self.notes) or None) if last else None,
                **style,
            )
            for j, w in zip(columns, widths, strict=True):
                justify = "right" if layout.numeric[j] else "left"
                table.add_column(layout.header[j], justify=justify, width=w, overflow="fold")
            for r in layout.rows:
                table.add_row(*(r[j] for j in columns))
            if not first:
                yield Text("")
            yield table
