"""Cells of the statistical tables as spreadsheets write them: numbers (``1,347.5``,
full-width ``１２．５``, ``50.8%``), wholly empty rows (the ``,,,`` lines an Excel export
leaves at the end), and one message for a column that is bad in many rows.

Every reader of :mod:`ihms.stats` (growth, interrupted time series, codings) reads its
cells here, so a value one command accepts is accepted by all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ihms._layout import first_row
from ihms._listing import first_of
from ihms._width import fold_width
from ihms.stats._plain import is_missing

__all__ = [
    "MANY",
    "MISSING_MARKERS",
    "blank_rows",
    "column_names",
    "column_problems",
    "first_row",
    "marked_missing",
    "missing_marker",
    "missing_note",
    "mixed_percent",
    "normal_text",
    "read_value",
    "row_where",
    "several_indicators",
    "summary_hint",
    "suppressed_hint",
    "ungrouped",
]

# More bad cells than this in one column are one message, not one per row.
MANY = 3


#: A number as a spreadsheet writes it once folded and without separators: ASCII digits
#: only (``float`` alone would also take ``1_000`` and another script's digits).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Thousands separators only in groups of three from the decimal point: ``1,347.5`` and
#: ``12,345,678``, never ``1,2,3`` (a list), ``12,5`` or ``0,123`` (decimal commas: no
#: number grouped in thousands starts with a group of 0), which are bad.
_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?")


#: What programs write in a cell for a value not there, compared in lower case once
#: folded: R's and pandas' ``NA`` (``<NA>``, ``NaN``, ``None``), ``N/A``, SQL's ``NULL``,
#: Stata's ``.`` and Excel's ``#N/A`` (a lookup that found nothing). Every reader asks
#: here: the statistics tables read them as missing where a table may miss a value
#: (growth, agreement) and refuse them where it may not (ITS), naming the cells either
#: way; the data import refuses them (``data._coerce.placeholder_reason``).
MISSING_MARKERS = frozenset({"na", "n/a", "#n/a", "null", "nan", "none", "<na>", "nil", "."})


def ungrouped(text: str) -> str | None:
    """``text`` without its thousands separators when they stand in groups of three
    from the decimal point (``1,234,567.5`` is ``1234567.5``), else None: ``1,23``,
    ``12,5`` and ``0,123`` (a decimal comma, or a typo) and ``1,2,3`` (a list) are
    ambiguous and left for the caller to refuse. Every reader of numbers asks here (the
    statistics tables and ``ihms data import``), so they take the same cells.

    Examples
    --------
    >>> ungrouped("1,234,567.5"), ungrouped("-12,345"), ungrouped("1,23"), ungrouped("0,123")
    ('1234567.5', '-12345', None, None)
    """
    return text.replace(",", "") if _GROUPED.fullmatch(text) else None


def normal_text(value: Any) -> str:
    """A cell as text with full-width forms made half-width and no outer blanks:
    ``"２０２２年１月 "`` is ``"2022年1月"``.

    Only width is folded (:func:`ihms._width.fold_width`, not NFKC): superscripts,
    circled digits and fractions stay what they are (``"10²"``, ``"①"``, ``"½"``), so a
    reader refuses them as numbers.

    Examples
    --------
    >>> normal_text("１２．５％"), normal_text("\u3000１，２３４"), normal_text("10²")
    ('12.5%', '1,234', '10²')
    """
    return fold_width(str(value)).strip()


def read_value(value: Any) -> tuple[float | None, bool, bool]:
    """``(number, written with a % sign, bad)``; an empty cell is ``(None, False, False)``.

    Spreadsheet forms are read: thousands separators in groups of three (``1,347.5``;
    ``1,2,3`` and a decimal comma ``12,5`` are bad, not 123 and 125), full-width digits
    and a trailing per cent sign (``50.8%``, read as 50.8). Digits are ASCII once
    full-width forms are folded: ``10²``, ``①`` and ``½`` are not numbers.

    Examples
    --------
    >>> read_value("１２．５")
    (12.5, False, False)
    >>> read_value("1,347.5%")
    (1347.5, True, False)
    >>> read_value("n/a"), read_value("10²"), read_value("12,5")
    ((None, False, True), (None, False, True), (None, False, True))
    """
    if is_missing(value):
        return None, False, False
    if isinstance(value, bool):
        return None, False, True
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return (number, False, False) if np.isfinite(number) else (None, False, True)
    text = normal_text(value)
    if text == "":
        return None, False, False
    percent = text.endswith("%")
    digits = text[:-1] if percent else text
    if "," in digits:
        plain = ungrouped(digits)
        if plain is None:
            return None, False, True
        digits = plain
    if not _NUMBER.fullmatch(digits):
        return None, False, True
    number = float(digits)
    return (number, percent, False) if np.isfinite(number) else (None, False, True)


def missing_marker(value: Any) -> bool:
    """Whether a cell is written as a missing value (:data:`MISSING_MARKERS`); an empty
    cell is not a marker.

    Examples
    --------
    >>> missing_marker("#N/A"), missing_marker(" ｎａ "), missing_marker(""), missing_marker("NAN1")
    (True, True, False, False)
    """
    return isinstance(value, str) and normal_text(value).lower() in MISSING_MARKERS


def marked_missing(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[tuple[int, str]]]]:
    """``frame`` with its empty cells and the cells written as a missing value
    (:func:`missing_marker`) missing (NaN), and per column the ``(row, cell)`` of the
    markers, rows numbered as every reader numbers them (:func:`first_row`: 2 under a
    one-line header, a statistics file's observations from 1).

    Examples
    --------
    >>> out, found = marked_missing(pd.DataFrame({"code": ["a", "NA", ""], "u": ["1", "2", "3"]}))
    >>> out["code"].tolist(), found
    (['a', nan, nan], {'code': [(3, 'NA')]})
    """
    found: dict[str, list[tuple[int, str]]] = {}
    out = frame.copy()
    for column in frame.columns:
        cells = frame[column]
        if not (cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype)):
            continue
        marked = cells.map(missing_marker).to_numpy(dtype=bool)
        empty = cells.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
        if marked.any():
            rows = np.flatnonzero(marked)
            first = first_row(frame)
            found[str(column)] = [(int(i) + first, str(cells.iloc[i]).strip()) for i in rows]
        if marked.any() or empty.any():
            out[column] = cells.mask(marked | empty)
    return out, found


def missing_note(source: Any, found: dict[str, list[tuple[int, str]]], meaning: str) -> str:
    """The note naming the cells :func:`marked_missing` read as missing: ``meaning`` says
    what a missing value is in that table.

    Examples
    --------
    >>> print(missing_note("c.csv", {"code": [(3, "NA"), (5, "#N/A")]}, "a unit the coder did not code"))
    c.csv: 2 cells written as a missing value read as missing (a unit the coder did not code): column 'code' rows 3, 5 ('NA', '#N/A')
    """
    count = sum(len(cells) for cells in found.values())
    parts = []
    for column, cells in found.items():
        rows = [row for row, _ in cells]
        shown = first_of([repr(c) for c in dict.fromkeys(cell for _, cell in cells)], 3)
        word = "row" if len(rows) == 1 else "rows"
        parts.append(f"column {column!r} {word} {first_of(rows, 5)} ({shown})")
    cells_word = "cell" if count == 1 else "cells"
    return (
        f"{source}: {count:,} {cells_word} written as a missing value read as missing "
        f"({meaning}): {'; '.join(parts)}"
    )


#: ISO 8601 weeks (``2017W40``, ``2017-W40``, ``2017-W40-1``): weeks from a Monday,
#: which are not Stata's ``2017w40`` (week 1 from 1 January).
_ISO_WEEK = re.compile(r"^\d{4}-?W\d{2}(?:-?[1-7])?$", re.ASCII)


def summary_hint(cell: Any) -> str:
    """Words to add after a time or period cell that starts a spreadsheet's total or note
    row (``合计``, ``注：…``; :func:`ihms._layout.summary_kind`) or that looks like an ISO
    week, else ``""``: the message then says what the row is and to delete it, or which
    weeks ihms reads.

    Examples
    --------
    >>> summary_hint("合计"), summary_hint("2019-13")
    (' (a total row: delete it, the totals are computed)', '')
    """
    from ihms._layout import summary_kind

    if isinstance(cell, str) and _ISO_WEEK.match(cell.strip()):
        return " (looks like an ISO week, from a Monday: not read; Stata weeks are 2017w40)"

    kind = summary_kind([cell])
    if kind == "a total row":
        return " (a total row: delete it, the totals are computed)"
    return " (a note: delete it)" if kind else ""


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """A mask of the rows whose every cell is empty (missing, or only blanks).

    A table read with ``keep_default_na=False`` holds ``""`` there; one read with the
    defaults holds NaN. A row with any cell filled is not blank.

    Examples
    --------
    >>> blank_rows(pd.DataFrame({"a": ["1", "", None], "b": ["", " ", float("nan")]}))
    array([False,  True,  True])
    """
    if frame.shape[1] == 0:
        return np.ones(len(frame), dtype=bool)
    empty = np.ones(len(frame), dtype=bool)
    for column in range(frame.shape[1]):
        cells = frame.iloc[:, column]
        missing = cells.isna().to_numpy()
        if cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype):
            text = cells.astype(str).str.strip().to_numpy()
            missing = missing | (text == "")
        empty &= missing
    return empty


def column_names(columns: Any) -> str:
    """Column names as a message lists them: ``片段, 编码员甲`` (not a Python list)."""
    return ", ".join(map(str, columns))


def column_problems(
    where: Callable[[Any], str], rows: Sequence[Any], shown: Sequence[str], expected: str
) -> list[str]:
    """The problems of one column's bad cells: one per cell (``where`` row N: expected
    ..., got ...) up to :data:`MANY`, else one naming the first rows and how many.

    ``where`` gives the location of a row (of the column alone for None), ``rows`` the
    bad rows in order and ``shown`` how each bad cell is shown.

    Examples
    --------
    >>> where = lambda row: "column 'x'" + ("" if row is None else f" row {row}")
    >>> column_problems(where, [2, 3, 4, 5], ["'a'", "'a'", "'b'", "'a'"], "a number")
    ["column 'x': expected a number in 4 rows (rows 2, 3, 4, 5), got 'a', 'b'"]
    """
    if len(rows) <= MANY:
        return [
            f"{where(row)}: expected {expected}, got {cell}"
            for row, cell in zip(rows, shown, strict=True)
        ]
    return [
        f"{where(None)}: expected {expected} in {len(rows):,} rows (rows "
        f"{first_of(rows, 5)}), got {first_of(dict.fromkeys(shown), 3)}"
    ]


def mixed_percent(where: str, percent_rows: Sequence[Any], plain: Sequence[tuple[Any, Any]]) -> str:
    """The problem of a column (or an indicator) whose values are written partly with a
    % sign and partly without: ``12.5%`` is read as 12.5, so ``0.131`` beside it is
    either 0.131% or a share (13.1%), and which cannot be told. ``plain`` holds the
    ``(row, cell)`` of the values without the sign.

    Examples
    --------
    >>> print(mixed_percent("column 'rate' of t.csv", [2, 4], [(3, "0.131")]))
    column 'rate' of t.csv: 2 values are written with a % sign (rows 2, 4) and 1 without (row 3: '0.131'); a plain number beside 12.5% may be a share (0.125 = 12.5%) or a per cent: write every value one way (all with %, or all as shares)
    """
    rows, cells = [row for row, _ in plain], [str(cell).strip() for _, cell in plain]
    return (
        f"{where}: {len(percent_rows):,} value{'s are' if len(percent_rows) != 1 else ' is'} "
        f"written with a % sign (row{'s' if len(percent_rows) != 1 else ''} "
        f"{first_of(percent_rows, 5)}) and {len(plain):,} without "
        f"(row{'s' if len(plain) != 1 else ''} {first_of(rows, 5)}: "
        f"{first_of([repr(c) for c in dict.fromkeys(cells)], 3)}); a plain number beside "
        "12.5% may be a share (0.125 = 12.5%) or a per cent: write every value one way "
        "(all with %, or all as shares)"
    )


def several_indicators(data: pd.DataFrame) -> str:
    """What to do with a long table holding several indicators in an ``indicator``
    column (``ihms indicators compute --out`` writes one): a series is one indicator's
    rows. Empty when the table has no such column or one indicator."""
    if "indicator" not in data.columns:
        return ""
    ids = [str(v) for v in pd.unique(data["indicator"].dropna())]
    if len(ids) < 2:
        return ""
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    return (
        f"the table holds {len(ids)} indicators (column 'indicator': {shown}) — keep one "
        "indicator's rows (ihms indicators compute -i ID writes one)"
    )


#: How a table of ``ihms indicators compute --out`` flags a suppressed cell in its
#: ``suppressed`` column: a bool (Parquet, .xlsx), its text in a CSV, 1 in .dta/.sav.
_SUPPRESSED = frozenset({"true", "1", "1.0", "yes"})


def suppressed_hint(frame: pd.DataFrame, positions: Sequence[int], rows: Sequence[Any]) -> str:
    """``"; rows 5, 9 were suppressed by ihms indicators ..."`` for the empty cells at
    ``positions`` (shown as ``rows``) that the table's ``suppressed`` column flags, else
    ``""``: a small count left empty by ``ihms indicators compute`` is no gap in the
    data, and ``--min-cell 1`` gives it back."""
    if "suppressed" not in frame.columns:
        return ""
    flags = frame["suppressed"].to_numpy()
    flagged = [
        row
        for pos, row in zip(positions, rows, strict=True)
        if not is_missing(flags[pos]) and normal_text(flags[pos]).lower() in _SUPPRESSED
    ]
    if not flagged:
        return ""
    one = len(flagged) == 1
    return (
        f"; {'row' if one else 'rows'} {first_of(flagged, 5)} {'was' if one else 'were'} "
        "suppressed by ihms indicators (small counts, suppressed = True): "
        f"ihms indicators compute --min-cell 1 restores {'it' if one else 'them'} for an "
        "analysis inside the bureau"
    )


def row_where(
    frame: pd.DataFrame, position: int, source: str | None, positions: Any = None
) -> int | Hashable:
    """The row at ``position`` of ``frame`` as a message names it, the one rule of the
    statistics readers (ITS, agreement, growth): a table read from a file (``source``
    given) by the file's row, as a spreadsheet counts it (the header in row 1, or below
    the title lines the reader left out: :func:`first_row`); an in-memory DataFrame by
    its index label, which ``df.loc`` takes. ``positions`` maps ``frame``'s rows to the
    caller's table when it is a selection.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1, 2]}, index=[10, 11])
    >>> row_where(frame, 1, None), row_where(frame, 1, "x.csv")
    (11, 3)
    """
    if source is None:
        label = frame.index[position]
        return label.item() if isinstance(label, np.generic) else label  # 5, not np.int64(5)
    return int(position if positions is None else positions[position]) + first_row(frame)
