"""Tables of a policy document as paragraphs, one per row (``tables="rows"``).

A division-of-responsibilities table (任务 | 牵头单位 | 配合单位 | 完成时限), a fee schedule
or an appraisal scorecard carries policy content, so a researcher may want its rows
coded. Each row becomes one line of text, which segmentation then treats as one
paragraph:

* cells are joined with ``；`` and, when the table has a header row, each cell is
  prefixed with its column's name: ``任务：推进家庭医生签约服务；牵头单位：省卫生健康委``.
  Segments are coded one at a time (a coding sheet row, a machine coder's input), so a
  row must carry its column names to be understood; the header row itself is then not
  a paragraph of its own. Neither ``|`` nor tabs nor runs of spaces are used: the
  cleaner drops lines split that way as table debris and site menus
  (:mod:`ihms.policy.clean`).
* the paragraphs and line breaks inside one cell are joined with ``、`` (a list of
  units, one per line, is the usual case), or directly after sentence punctuation, so
  a row never spans two lines.
* a cell ending in a colon names the next one (``发文机关： | 国务院办公厅``, as on the
  information tables of government sites): the two are joined without ``；``.
* a merged cell's text appears once, in the first row and column it covers (word
  counts and the cooperation network must not count a 牵头单位 merged over three rows
  three times); empty cells and empty rows are left out; a row that is a single cell
  across the table (a caption or a section row) is written as it stands.
* a table inside a cell is read the same way, its rows following the row that holds it.

The header is the first row with two or more filled cells when the file marks it
(Word's "repeat as header row", HTML ``<th>``/``<thead>``) or when it reads as column
names: every filled cell short (≤ 20 characters), no sentence punctuation, not a bare
number, not ending in a colon (a ``标题： | …`` key-value table has no header).

The header goes on over the rows below it that the file marks too, and over a row that
reads as column names and either subdivides a group header above it (two or more of its
cells under one merged cell: ``2020年目标`` over ``城市 | 农村``) or sits beside a header
cell merged down into it (``指标`` over both header rows); it never takes the last row
with text. A column's names in those rows are joined top to bottom with ``·``
(:data:`HEADER_JOINER`), a name merged down over several rows once:
``指标：家庭医生签约率；2020年目标·城市：30%``. The middle dot (间隔号) is what Chinese
typography puts between the levels of one name (《三国志·蜀书》), it is not one of
the separators above, and neither the cleaner nor segmentation splits on it. A cell across several columns is named by the names they share (a cell
across ``城市 | 农村`` is ``2020年目标``), else by its first column's.

A table typed without merging shows the same two-row header with blanks instead:
``指标 | 2020年 | | 2021年 |`` over `` | 人数 | 占比 | 人数 | 占比``. Read conservatively,
such a second row joins the header only when neither row is marked or merged, it reads
as column names, the first row is blank over columns it names (each blank then takes
the name on its left: ``2020年·占比``) and every row of data below holds numbers there;
any other table reads as before.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BLOCK_TAGS",
    "HEADER_JOINER",
    "Cell",
    "Row",
    "cell_text",
    "html_data_tables",
    "is_layout_table",
    "table_paragraphs",
]

CELL_SEPARATOR = "；"
LABEL_SEPARATOR = "："
#: Joins the names of a column in several header rows: ``2020年目标·城市``.
HEADER_JOINER = "·"
_PART_SEPARATOR = "、"
_ENDS_PART = tuple("。；;！？!?，,、：:")
_HEADER_CELL_CHARS = 20
_NOT_A_NAME = re.compile(r"[。；;！？!?，,]")
_NUMBER = re.compile(r"[-+]?[\d.,，]+\s*[%％‰]?")
_NO_VALUE = frozenset({"-", "—", "–", "/", "－"})
# A table cell holding a paragraph of this many characters is page layout, not data.
_LAYOUT_CELL_CHARS = 100
#: HTML elements that end a line of text.
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
              "section", "article", "blockquote", "pre")  # fmt: skip
_HTML_PARAGRAPHS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote")
_PLACEHOLDER = "ihms-table"


@dataclass(frozen=True)
class Cell:
    """A cell's text (one line), its first grid column and how many columns it spans."""

    text: str
    col: int
    span: int = 1


@dataclass(frozen=True)
class Row:
    """The cells that start in one row (merged continuations left out), whether the
    file marks the row as a header, and the paragraphs of tables nested in its cells."""

    cells: tuple[Cell, ...]
    header: bool = False
    nested: tuple[str, ...] = ()


def cell_text(parts: Sequence[str]) -> str:
    """One line from a cell's paragraphs and line breaks.

    Examples
    --------
    >>> cell_text(["省卫生健康委", " 省医保局 ", "", "省财政厅"])
    '省卫生健康委、省医保局、省财政厅'
    >>> cell_text(["1.完善制度。", "2.加强考核。"])
    '1.完善制度。2.加强考核。'
    """
    out = ""
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        if out and not out.endswith(_ENDS_PART):
            out += _PART_SEPARATOR
        out += part
    return out


def _filled(row: Row) -> list[Cell]:
    return [c for c in row.cells if c.text]


def _is_column_names(row: Row) -> bool:
    cells = _filled(row)
    return len(cells) >= 2 and all(
        len(c.text) <= _HEADER_CELL_CHARS
        and not _NOT_A_NAME.search(c.text)
        and not c.text.endswith((":", "："))
        and not _NUMBER.fullmatch(c.text)
        for c in cells
    )


def _covers(cell: Cell, col: int) -> bool:
    return cell.col <= col < cell.col + cell.span


def _merged_down(block: Sequence[Row], row: Row) -> bool:
    """Whether a filled cell of the header rows ``block`` runs down into ``row``: ``row``
    has no cell in a column (before its last one) where the rows above have none either,
    up to a header cell with text (Word's ``vMerge``, HTML's ``rowspan``)."""
    present = {col for c in row.cells for col in range(c.col, c.col + c.span)}
    for col in range(max(present, default=-1)):
        if col in present:
            continue
        for above in reversed(block):
            cell = next((c for c in above.cells if _covers(c, col)), None)
            if cell is not None:
                if cell.text:
                    return True
                break
    return False


def _continues_header(block: Sequence[Row], row: Row, columns: int, *, marks: bool) -> bool:
    """Whether ``row`` is one more header row under the header rows ``block``: the file
    marks it as it marks all of them (if ``marks``: the file marks rows as headers, not
    every row), or it reads as column names and subdivides a group header of the row
    above (two or more of its cells under one merged cell) or sits beside a header cell
    merged down into it."""
    if marks and row.header and all(r.header for r in block):
        return True
    if not _is_column_names(row):
        return False
    groups = [g for g in block[-1].cells if g.text and 1 < g.span < columns]
    under = [sum(1 for c in _filled(row) if _covers(g, c.col)) for g in groups]
    return any(n >= 2 for n in under) or _merged_down(block, row)


def _is_value(text: str) -> bool:
    """A number, a percentage, or a dash or slash for none."""
    return bool(_NUMBER.fullmatch(text)) or text in _NO_VALUE


def _unmarked_two_rows(head: Row, row: Row, below: Sequence[Row]) -> Row | None:
    """``head`` with each blank cell named as the filled cell on its left, when ``row``
    is a second header row the file neither marks nor merges; else ``None``.

    Conservative, it takes the shape a table typed without merging has
    (``指标 | 2020年 | | 2021年 |`` over `` | 人数 | 占比 | 人数 | 占比``) and nothing else:
    neither row marked and no cell merged in either (the merged shapes are read above);
    ``row`` column names; every column named in one row at least; ``head`` blank over
    one or more columns that ``row`` names, each after a filled cell of ``head`` or
    before the first (a blank corner, whose name in ``row`` names the rows); and the
    rows below with two or more filled cells (at least one) holding values
    (:func:`_is_value`) in every column ``row`` names under a filled cell of ``head``.
    """
    if head.header or row.header or not _is_column_names(row):
        return None
    cells = (*head.cells, *row.cells)
    if any(c.span > 1 for c in cells):
        return None
    top = {c.col: c.text for c in head.cells}
    sub = {c.col: c.text for c in row.cells}
    if set(top) != set(sub) or any(not top[col] and not sub[col] for col in top):
        return None
    if not any(not top[col] and sub[col] for col in top):
        return None
    data = [r for r in below if len(_filled(r)) >= 2]
    # the columns under the groups (not a blank corner's: it names the rows)
    first = min(col for col, text in top.items() if text)
    values = {col for col, text in sub.items() if text and col >= first}
    # numbers below the sub-headers, at least one: an empty column proves nothing
    below_values = [c.text for r in data for c in _filled(r) if c.col in values]
    if not below_values or not all(_is_value(text) for text in below_values):
        return None
    group, filled = "", []
    for c in head.cells:
        group = c.text or group
        filled.append(Cell(group, c.col))
    return Row(tuple(filled))


def _header(rows: Sequence[Row], start: int, columns: int) -> tuple[int, dict[int, tuple]]:
    """The header rows from ``start`` (how many; 0 if none) and each column's names in
    them, top to bottom. A header never takes the last row with text."""

    def text_after(i: int) -> bool:
        return any(_filled(r) or r.nested for r in rows[i:])

    head = rows[start]
    if not text_after(start + 1) or not (head.header or _is_column_names(head)):
        return 0, {}
    # a table whose every row is marked (every cell a <th>) marks no header
    marks = not all(r.header for r in rows[start:] if _filled(r))
    end = start + 1
    while text_after(end + 1) and _continues_header(
        rows[start:end], rows[end], columns, marks=marks
    ):
        end += 1
    block = list(rows[start:end])
    if end == start + 1:
        filled = _unmarked_two_rows(head, rows[end], rows[end + 1 :])
        if filled is not None:
            block = [filled, rows[end]]
            end += 1
    names: dict[int, tuple] = {}
    for row in block:
        for c in row.cells:
            name = c.text.rstrip(":：")
            for col in range(c.col, c.col + c.span):
                have = names.get(col, ())
                if name and (not have or have[-1] != name):
                    names[col] = (*have, name)
    return end - start, names


def _label(cell: Cell, names: dict[int, tuple]) -> str:
    """A cell's column name: the header names shared by every column it covers (a cell
    across a group takes the group's name), else its first column's."""
    shared = names.get(cell.col, ())
    for col in range(cell.col + 1, cell.col + cell.span):
        other = names.get(col, ())
        k = 0
        while k < min(len(shared), len(other)) and shared[k] == other[k]:
            k += 1
        shared = shared[:k]
    return HEADER_JOINER.join(shared or names.get(cell.col, ()))


def table_paragraphs(rows: Sequence[Row]) -> list[str]:
    """The paragraphs of one table, one per row that has text, in row order.

    Examples
    --------
    >>> head = Row((Cell("任务", 0), Cell("牵头单位", 1)))
    >>> body = Row((Cell("推进家庭医生签约服务", 0), Cell("省卫生健康委", 1)))
    >>> table_paragraphs([head, body])
    ['任务：推进家庭医生签约服务；牵头单位：省卫生健康委']

    Two header rows, a group over its sub-headers:

    >>> head = [Row((Cell("指标", 0), Cell("2020年目标", 1, 2))),
    ...         Row((Cell("城市", 1), Cell("农村", 2)))]
    >>> table_paragraphs([*head, Row((Cell("签约率", 0), Cell("30%", 1), Cell("25%", 2)))])
    ['指标：签约率；2020年目标·城市：30%；2020年目标·农村：25%']
    """
    columns = max((c.col + c.span for r in rows for c in r.cells), default=0)
    start = next((i for i, r in enumerate(rows) if len(_filled(r)) >= 2), None)
    n_header, names = (0, {}) if start is None else _header(rows, start, columns)
    out: list[str] = []
    for i, row in enumerate(rows):
        if n_header and start <= i < start + n_header:
            out.extend(row.nested)
            continue
        parts: list[str] = []
        for c in _filled(row):
            label = _label(c, names) if c.span < columns else ""
            text = f"{label}{LABEL_SEPARATOR}{c.text}" if label else c.text
            if parts and parts[-1].endswith((":", "：")):
                parts[-1] += text  # a key-value table: 发文机关： | 国务院办公厅
            else:
                parts.append(text)
        if parts:
            out.append(CELL_SEPARATOR.join(parts))
        out.extend(row.nested)
    return out


# -- HTML ------------------------------------------------------------------------------
def _own(table, tags: tuple[str, ...]):
    """Descendants of ``table`` with one of ``tags`` that belong to it, not to a table
    nested in it."""
    return [el for el in table.iter(*tags) if next(el.iterancestors("table"), None) is table]


def is_layout_table(table) -> bool:
    """Whether a ``<table>`` lays out the page (a cell holds paragraphs of text) rather
    than holding data (short cells, one value or one ``<p>`` each, as Word exports)."""
    for cell in _own(table, ("td", "th")):
        if len(cell.text_content().strip()) >= _LAYOUT_CELL_CHARS:
            return True
        blocks = [el for el in cell.iter(*_HTML_PARAGRAPHS) if el is not cell]
        if sum(1 for el in blocks if el.text_content().strip()) >= 2:
            return True
    return False


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def _html_cell_text(cell) -> str:
    cell = copy.deepcopy(cell)
    for el in cell.iter(*BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    return cell_text(cell.text_content().split("\n"))


def _html_rows(table, nested: dict[str, list[str]]) -> list[Row]:
    """``table``'s rows on its grid: ``rowspan``/``colspan`` cells occupy the columns
    they cover, so later cells land in their true column (and under their header)."""
    taken: dict[int, set[int]] = {}
    rows = []
    for i, tr in enumerate(_own(table, ("tr",))):
        cells = []
        inner: list[str] = []
        col = 0
        own = [c for c in tr if c.tag in ("td", "th")]
        for td in own:
            while col in taken.get(i, ()):
                col += 1
            span = _span(td.get("colspan"))
            for k in range(1, _span(td.get("rowspan"))):
                taken.setdefault(i + k, set()).update(range(col, col + span))
            cells.append(Cell(_html_cell_text(td), col, span))
            for ph in td.iter(_PLACEHOLDER):
                inner.extend(nested.pop(ph.get("n"), []))
            col += span
        marked = bool(own) and (tr.getparent().tag == "thead" or all(td.tag == "th" for td in own))
        rows.append(Row(tuple(cells), marked, tuple(inner)))
    return rows


@dataclass(frozen=True)
class HtmlTables:
    """What :func:`html_data_tables` found: how many data tables (nested ones
    included), and each outermost one's placeholder element with its paragraphs."""

    count: int
    placeholders: tuple[tuple[object, tuple[str, ...]], ...]

    @property
    def rows(self) -> int:
        return sum(len(p) for _, p in self.placeholders)


def html_data_tables(root) -> HtmlTables:
    """Replace every data table under ``root`` (innermost first, layout tables kept)
    with an empty placeholder element and return their paragraphs.

    The placeholder has no text, so the page reads as if the tables were dropped; set a
    placeholder's ``text`` to its paragraphs (one per line) to read them in place.
    """
    nested: dict[str, list[str]] = {}
    count = 0
    for table in reversed(list(root.iter("table"))):
        if is_layout_table(table):
            continue
        count += 1
        paragraphs = table_paragraphs(_html_rows(table, nested))
        placeholder = table.makeelement(_PLACEHOLDER, {"n": str(count)})
        placeholder.tail = table.tail
        table.getparent().replace(table, placeholder)
        nested[str(count)] = paragraphs
    # the placeholders left are those no enclosing data table took in
    live = [(el, tuple(nested[el.get("n")])) for el in root.iter(_PLACEHOLDER)]
    return HtmlTables(count, tuple(live))
