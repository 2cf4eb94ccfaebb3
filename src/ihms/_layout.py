"""How a spreadsheet lays a table out around its data: title lines above the header,
and total and note rows below the records.

A health commission's sheet often starts with its title (``2019年尤溪县医共体门诊统计表``,
maybe a unit line ``单位：元``) and ends with ``合计`` and ``注：…`` rows. Read as they
stand, the title becomes the only column name and the total row a record, so every
reader of people's tables asks here first: :func:`title_lines` finds the lines above
the header, :func:`summary_rows` the total and note rows, and :func:`title_message` /
:func:`summary_message` word what was found, naming the file and its rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ihms._listing import first_of
from ihms._width import fold_width
from ihms.errors import Problem

__all__ = [
    "FIRST_OBSERVATION",
    "OBSERVATIONS",
    "as_observations",
    "duplicate_names",
    "first_row",
    "grouped_header",
    "grouped_header_message",
    "is_unnamed",
    "summary_kind",
    "summary_message",
    "summary_rows",
    "title_lines",
    "title_message",
    "title_note",
]

#: The number of a statistics file's first record: Stata's ``list`` (``_n``) and SPSS's
#: Data View number observations from 1, and a .dta, .sav or Parquet file has no
#: header row a user sees.
FIRST_OBSERVATION = 1
#: The ``attrs`` key marking a table read from a ``.dta``, ``.sav`` or Parquet file, whose
#: records :func:`first_row` numbers as observations (set by :func:`as_observations`).
OBSERVATIONS = "observations"

#: How far down a header is looked for: a title, a subtitle, a unit line and blank lines.
_MAX_TITLE_LINES = 6
#: A header cell pandas made up for an empty one.
_UNNAMED = re.compile(r"^Unnamed: \d+(?:_level_\d+)?$")
#: The words a total row starts with: 合计, 总计, 小计 (a subtotal is no record either),
#: with or without blanks between the characters (``合　计``), and English Total/Sum.
_TOTAL = re.compile(
    r"^(?:全\S{0,4})?(?:合\s*计|总\s*计|小\s*计)|^(?:grand\s+|sub)?total\b|^sum\b", re.I
)
#: A note: 注：, 注1., 备注, 说明：, 数据来源：, 资料来源：, Note:, Source:. 注 alone must be
#: followed by a colon, a number or 、 (注射室 is a place, not a note).
_NOTE = re.compile(
    r"^(?:注\s*[:：0-9一二三四五、.]|备注|(?:填表|填报)?说明\s*[:：]|(?:数据|资料)?来源\s*[:：]"
    r"|notes?\s*:|source\s*:)",
    re.I,
)


def _filled(cell: Any) -> str:
    """A cell as stripped, width-folded text; "" for an empty or missing one."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    text = fold_width(str(cell)).strip()
    return "" if text in ("nan", "NaN", "<NA>", "NaT", "None") else text


def title_lines(rows: Sequence[Sequence[Any]], *, blank: bool = False) -> int:
    """How many of a table's first ``rows`` (its header first) stand above the real
    header: lines with at most one filled cell (a title, a unit line, a blank line)
    before the first line with two or more; a title is in the first cell (a merged
    title's text is). 0 when the first line is the header, when no line below has two
    filled cells (a one-column table), or when the lines above are all blank (no title:
    a reader says its first row is blank) unless ``blank`` counts blank lines above
    the header as title lines (the readers of data tables and of the policy sheets,
    which skip them with a note).

    Examples
    --------
    >>> title_lines([["2019年门诊统计表", ""], ["单位：人次", ""], ["month", "visits"]])
    2
    >>> title_lines([["month", "visits"], ["2019-01", "10"]]), title_lines([["x"], ["1"]])
    (0, 0)
    >>> title_lines([["", "value"], ["0", "12"]]), title_lines([["", ""], ["month", "visits"]])
    (0, 0)
    >>> title_lines([[], ["", ""], ["month", "visits"]], blank=True)
    2
    """
    titled = blank
    for number, row in enumerate(rows[: _MAX_TITLE_LINES + 1]):
        filled = [i for i, cell in enumerate(row) if _named(cell)]
        if len(filled) >= 2:
            # only blank lines above: no title, unless blank lines count as title lines
            return number if titled else 0
        if filled and filled[0] != 0:
            return 0  # ",value" (pandas' index column unnamed) is a header, not a title
        titled = titled or bool(filled)
    return 0


def _named(cell: Any) -> bool:
    text = _filled(cell)
    return bool(text) and not _UNNAMED.match(text)


def is_unnamed(name: Any) -> bool:
    """Whether a column name is one pandas made up for an empty header cell
    (``Unnamed: 2``): never shown to a user, who sees an empty cell."""
    return bool(_UNNAMED.match(str(name)))


#: A cell a record holds rather than a header: a number or a date, in digits.
_VALUE = re.compile(r"^[-+]?[0-9][0-9,.:/\s年月日-]*$")


def grouped_header(rows: Sequence[Sequence[Any]], at: int) -> bool:
    """Whether row ``at`` of ``rows`` (the header :func:`title_lines` found) groups the
    columns the row below names: a header over two rows, the upper's cells merged over
    column groups (费用（元） over 总费用, 统筹支付, 个人自付). So it is when the row below
    names a column the header leaves empty and holds words only (a record has a number
    or a date in it), and the upper row leaves at least as many such cells empty as it
    names (a group spans columns; a header that names all but its last column is one row).
    A blank row groups nothing.

    Examples
    --------
    >>> grouped_header([["就诊信息", "", "费用（元）", ""], ["编号", "日期", "总费用", "自付"]], 0)
    True
    >>> grouped_header([["id", "", "cost"], ["V1", "note", "12.5"]], 0)
    False
    >>> grouped_header([["id", "name", "level", ""], ["V1", "Qingshan", "township", "closed"]], 0)
    False
    """
    if at + 1 >= len(rows):
        return False
    header, below = rows[at], rows[at + 1]
    named = {i for i, cell in enumerate(header) if _named(cell)}
    under = {i for i, cell in enumerate(below) if _named(cell)}
    covered = under - named  # names below an empty cell of the upper row
    if not named or not covered or len(covered) < len(named & under):
        return False  # a group spans columns: a header that names most of them is one row
    return not any(
        isinstance(below[i], (int, float)) or _VALUE.match(_filled(below[i])) for i in under
    )


def grouped_header_message(
    label: str, rows: Sequence[Sequence[Any]], at: int, *, first: int = 1
) -> str:
    """What to tell a user whose header in row ``at`` (0-based) groups the columns of
    the row below (:func:`grouped_header`); ``first`` is the file's number of ``rows[0]``."""
    header, below = rows[at], rows[at + 1]
    groups = [str(c).strip() for c in header if _named(c)]  # as the user typed them
    names = [str(c).strip() for c in below if _named(c)]
    upper, lower = at + first, at + first + 1
    width = max(i for row in (header, below) for i, c in enumerate(row) if _named(c)) + 1
    if len(names) == width:
        fix = (
            f"row {lower} names every column: delete row {upper} so that row {lower} is the header"
        )
    else:
        fix = (
            "give the table one header row naming every column (put each group's words "
            f"into its columns' names in row {lower}, then delete row {upper})"
        )
    return (
        f"{label}: rows {upper} and {lower} are a header over two rows (merged cells?): "
        f"row {upper} ({first_of(groups, 5)}) groups the columns row {lower} names "
        f"({first_of(names, 10)}); {fix}"
    )


def title_message(label: str, rows: Sequence[Sequence[Any]], count: int) -> str:
    """What to tell a user whose table has ``count`` title lines above its header."""
    title = next((_filled(c) for row in rows[:count] for c in row if _named(c)), "")
    above = "row 1" if count == 1 else f"rows 1-{count}"
    shown = f" ({title!r})" if title else " (blank)"
    return (
        f"{label}: {above}{shown} stand{'s' if count == 1 else ''} above the table's header "
        f"(row {count + 1}); delete {'it' if count == 1 else 'them'} so that the header is the "
        "first row"
    )


def title_note(label: str, count: int, *, blank: bool = False, lang: str = "en") -> str:
    """What a reader that leaves ``count`` title lines out (``titles="skip"``) says of
    them: ``ihms data import`` and the statistics commands in the same words; ``blank``
    when every one of them is blank (:func:`blank_title`), which is no title; in Chinese
    with ``lang="zh"``.

    Examples
    --------
    >>> title_note("visits.xlsx", 1)
    "visits.xlsx: row 1 above the header left out as the sheet's title"
    >>> title_note("visits.csv", 2, blank=True)
    'visits.csv: blank rows 1-2 above the header left out'
    >>> title_note("visits.xlsx", 2, lang="zh")
    'visits.xlsx：表头上方第 1–2 行为表格标题，未读入'
    >>> title_note("visits.csv", 2, blank=True, lang="zh")
    'visits.csv：表头上方第 1–2 行为空行，未读入'
    """
    if lang == "zh":
        rows = "第 1 行" if count == 1 else f"第 1–{count} 行"
        if blank:
            return f"{label}：表头上方{rows}为空行，未读入"
        return f"{label}：表头上方{rows}为表格标题，未读入"
    above = "row 1" if count == 1 else f"rows 1-{count}"
    if blank:
        return f"{label}: blank {above} above the header left out"
    return f"{label}: {above} above the header left out as the sheet's title"


def blank_title(rows: Sequence[Sequence[Any]], count: int) -> bool:
    """Whether the ``count`` lines :func:`title_lines` found above the header of
    ``rows`` are all blank (a deleted title's row, an empty line).

    Examples
    --------
    >>> blank_title([[], ["", ""], ["month", "visits"]], 2)
    True
    >>> blank_title([["2019年门诊统计表", ""], ["month", "visits"]], 1)
    False
    """
    return count > 0 and not any(_named(cell) for row in rows[:count] for cell in row)


def summary_kind(row: Sequence[Any]) -> str | None:
    """``"a total row"`` or ``"a note"`` when a row's first filled cell starts as a
    spreadsheet's total (``合计``, ``总计``, ``小计``, ``Total``) or note (``注：``,
    ``数据来源：``) does, else None.

    Examples
    --------
    >>> summary_kind(["合计", "", "1234"]), summary_kind(["", "注：单位为元"])
    ('a total row', 'a note')
    >>> summary_kind(["注射室", "12"]), summary_kind(["2019", "合计"])
    (None, None)
    """
    first = next((text for text in map(_filled, row) if text), "")
    if _TOTAL.match(first):
        return "a total row"
    if _NOTE.match(first):
        return "a note"
    return None


def summary_rows(frame: Any) -> list[tuple[int, str, str]]:
    """``(position, kind, first cell)`` of a DataFrame's total and note rows
    (:func:`summary_kind`). Only rows whose first cell is empty or starts as a total or
    note can be one, so a long table of records costs one look at its first column."""
    if not len(frame.columns) or not len(frame):
        return []
    first = frame.iloc[:, 0].astype("string").str.strip().fillna("")
    maybe = first.eq("") | first.str.match(_TOTAL) | first.str.match(_NOTE)
    maybe |= ~first.str.isascii() & first.map(lambda text: summary_kind([text]) is not None)
    found = []
    for pos in maybe.to_numpy().nonzero()[0]:
        row = frame.iloc[pos].tolist()
        kind = summary_kind(row)
        if kind is not None:
            found.append((int(pos), kind, next(str(c).strip() for c in row if _filled(c))))
    return found


def summary_message(where: str, kind: str, text: str) -> str:
    """``where`` (file and row) is a total or note row: what it is and what to do."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    what = (
        "a total row, not a record: delete it (ihms adds up the records itself; a total "
        "read as data would count everything twice)"
        if kind == "a total row"
        else "a note below the table, not a record: delete it"
    )
    return f"{where}: '{shown}' is {what}"


def duplicate_names(label: str, header: Sequence[Any]) -> str | None:
    """What to tell a user whose header names a column twice (pandas would read the
    second as ``value.1`` and every reader take the first), else None.

    Examples
    --------
    >>> duplicate_names("t.csv", ["year", "value", "value "])
    "t.csv: columns 2 and 3 are both named 'value'; rename or delete one (which is meant cannot be told)"
    """
    seen: dict[str, list[int]] = {}
    for number, cell in enumerate(header, start=1):
        if _filled(cell):
            seen.setdefault(_filled(cell), []).append(number)
    twice = [(name, where) for name, where in seen.items() if len(where) > 1]
    if not twice:
        return None
    name, where = twice[0]
    columns = ", ".join(map(str, where[:-1])) + f" and {where[-1]}"
    more = f" (and {len(twice) - 1} more name(s) given twice)" if len(twice) > 1 else ""
    return Problem(
        f"{label}: columns {columns} are both named '{name}'{more}; rename or delete one "
        "(which is meant cannot be told)",
        column=name,
    )


def looks_renamed(columns: Sequence[Any]) -> bool:
    """Whether pandas may have renamed a repeated header (``value``, ``value.1``)."""
    names = {str(c) for c in columns}
    return any(re.match(r"^(.*)\.\d+$", n) and re.sub(r"\.\d+$", "", n) in names for n in names)


def as_observations(frame: Any) -> Any:
    """``frame`` (a DataFrame read from a ``.dta``, ``.sav`` or Parquet file) marked so
    that :func:`first_row` numbers its records as observations, from 1."""
    frame.attrs[OBSERVATIONS] = True
    return frame


def first_row(frame: Any) -> int:
    """The number a user sees on ``frame``'s first record, the one rule of every reader
    that names rows (payment tables, ``ihms data import``, the statistics commands, the
    policy sheets): in a CSV or a sheet the file's row, 2 under a header in row 1, more
    under the title lines a reader left out above the header (their count in
    ``frame.attrs["title_lines"]``); in a table read from a ``.dta``, ``.sav`` or Parquet
    file (:func:`as_observations`) its observation number, from 1
    (:data:`FIRST_OBSERVATION`), as Stata's ``list`` and SPSS's Data View show it.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"year": ["2019"]})
    >>> first_row(frame)
    2
    >>> frame.attrs["title_lines"] = 2  # a title and a unit line above the header
    >>> first_row(frame)
    4
    >>> first_row(as_observations(pd.DataFrame({"year": ["2019"]})))
    1
    """
    if frame.attrs.get(OBSERVATIONS):
        return FIRST_OBSERVATION
    return 2 + int(frame.attrs.get("title_lines", 0))
