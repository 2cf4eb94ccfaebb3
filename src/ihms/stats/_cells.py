"""Cells of the statistical tables as spreadsheets write them: numbers (``1,347.5``,
full-width ``１２．５``, ``50.8%``), wholly empty rows (the ``,,,`` lines an Excel export
leaves at the end), and one message for a column that is bad in many rows.

Every reader of :mod:`ihms.stats` (growth, interrupted time series, codings) reads its
cells here, so a value one command accepts is accepted by all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ihms._listing import first_of
from ihms._width import fold_width
from ihms.stats._plain import is_missing

__all__ = [
    "MANY",
    "blank_rows",
    "column_problems",
    "mixed_percent",
    "normal_text",
    "read_value",
    "summary_hint",
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
        if not _GROUPED.fullmatch(digits):
            return None, False, True
        digits = digits.replace(",", "")
    if not _NUMBER.fullmatch(digits):
        return None, False, True
    number = float(digits)
    return (number, percent, False) if np.isfinite(number) else (None, False, True)


def summary_hint(cell: Any) -> str:
    """Words to add after a time or period cell that starts a spreadsheet's total or note
    row (``合计``, ``注：…``; :func:`ihms._layout.summary_kind`), else ``""``: the
    message then says what the row is and to delete it.

    Examples
    --------
    >>> summary_hint("合计"), summary_hint("2019-13")
    (' (a total row: delete it, the totals are computed)', '')
    """
    from ihms._layout import summary_kind

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
