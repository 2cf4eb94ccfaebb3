"""Cell parsers shared by the payment input tables, each returning the parsed value or
raising ValueError (:class:`ihms.payment._collector.Collector` turns that into a problem
naming file, row and column), and :func:`read_frame`, which reads a table's file."""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ihms._arguments import wrong_kind
from ihms._decode import read_csv
from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, InputError, format_location

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and value.strip() == ""


_INT_TEXT = re.compile(r"[+-]?\d+")


#: What a yuan cell must hold (the data layer's rule: :func:`ihms.data._coerce.yuan_to_fen`,
#: thousands separators as ``ihms data import`` reads them, :func:`ihms.stats._cells.ungrouped`).
YUAN_EXPECTED = (
    "an amount in yuan >= 0 with at most two decimal places (1234.57 or 1,234.57: digits, "
    "thousands separators only in groups of three, no 元)"
)


def read_yuan(cells: pd.Series, where: str) -> tuple[pd.Series, pd.Series, str | None]:
    """``(fen, refused, note)`` of a column of amounts in yuan, read as ``ihms data
    import`` reads them (:func:`ihms.data._coerce.coerce` with ``thousands``): thousands
    separators in groups of three are read, with a note naming the column (``where``);
    ``1,23`` is refused. A fen column takes no separators: a grouped amount is yuan."""
    from ihms.data._coerce import coerce, thousands_note

    fen, bad = coerce(cells, "yuan", thousands=True)
    grouped = thousands_note(cells, "yuan", "", "")
    note = None if grouped is None else grouped.described(where)
    return fen, bad, note


def parse_int(value: Any) -> int:
    """An integer from an int, an integral float (a Parquet float column) or text of
    digits with an optional sign. Text with a decimal point (even ``.0``), an exponent or
    thousands separators is refused, as ``ihms data check`` refuses it: ``"380,000.00"``
    in a fen column is yuan, not fen."""
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
        if isinstance(value, int):
            return value
    if isinstance(value, float):
        # past 2^53 a float is no longer every whole number: the one meant is unknown
        if not value.is_integer() or abs(value) > 2**53:
            raise ValueError("not a whole number")
        return int(value)
    text = str(value).strip()
    if not _INT_TEXT.fullmatch(text):
        raise ValueError("not a whole number")
    return int(text)


def parse_count(value: Any) -> int:
    """A count (:func:`parse_int`) that may be written with thousands separators in
    groups of three, as every other reader of counts takes them (``228,500``, full-width
    ``２２８，５００`` too: :func:`ihms.stats._cells.ungrouped`); ``228,50`` is refused. A
    fen column keeps :func:`parse_int`: an amount with separators is yuan."""
    if isinstance(value, str):
        from ihms.stats._cells import normal_text, ungrouped

        text = normal_text(value)
        value = ungrouped(text) or text
    return parse_int(value)


def parse_rate(text: str) -> Decimal:
    """A rate written as a fraction (``"0.16"``) or a percentage (``"16%"``, or with the
    full-width ``％`` a Chinese keyboard types), exact: ``"16%"`` → ``Decimal('0.16')``.
    What a rule file's rates, ``--quality-score`` and the population table's
    ``quality_score`` (:func:`parse_score`) are read with; the caller checks the range.

    Raises
    ------
    ValueError
        ``text`` is no number, with or without ``%``.
    """
    t = text.strip().replace("％", "%")
    try:
        return Decimal(t[:-1].strip()) / 100 if t.endswith("%") else Decimal(t)
    except InvalidOperation:
        raise ValueError(f"expected a number or a percentage like '16%', got {text!r}") from None


#: What a quality score must be (the population table's ``quality_score``).
SCORE_EXPECTED = "a score between 0 and 1, as a fraction (0.92) or a percentage (92%)"


def parse_score(value: Any) -> Decimal:
    """A quality score between 0 and 1 from a table cell, read as :func:`parse_rate`
    reads ``--quality-score``: ``0.92``, ``"92%"`` and ``"92 %"`` are the same score; a
    Parquet float as written (``0.92`` → ``Decimal('0.92')``). No thousands separators:
    ``"0,92"`` is a decimal comma, not 92 (:func:`score_hint` says so).

    Raises
    ------
    ValueError
        No number, not finite, or outside [0, 1].
    """
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    text = repr(value) if isinstance(value, float) else str(value)
    score = parse_rate(text)
    if not score.is_finite() or not 0 <= score <= 1:
        raise ValueError("not between 0 and 1")
    return score


def score_hint(value: Any) -> str:
    """What a refused quality score was probably meant as: a bare ``92`` a percentage,
    ``0,92`` a decimal comma, ``92,5`` both; ``9,200`` no score at all (commas in groups
    of three are thousands separators wherever ihms reads a number,
    :func:`ihms.stats._cells.ungrouped`: 9200 of something); ``""`` when nothing likely
    (a bare ``1.5`` is no likely percentage: only 2 to 100 are taken as one)."""
    from ihms.stats._cells import ungrouped

    text = str(value).strip()
    dotted = text.replace(",", ".")
    try:
        if "," in text:
            return f" (write the decimal point as '.': {parse_score(dotted)})"
    except ValueError:
        pass  # out of range with the point too: perhaps a percentage (92,5)
    number = ungrouped(text)
    if number is not None:
        return (
            f" ({text} is {number} written with a thousands separator: a count or an "
            "amount, not a score)"
        )
    try:
        number = parse_rate(dotted)
    except ValueError:
        return ""
    if number.is_finite() and 2 <= number <= 100 and not text.endswith(("%", "％")):
        return f" (if {text} is a percentage, write {dotted}% or {(number / 100).normalize()})"
    return ""


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a boolean")
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not finite")
        return Decimal(repr(value))
    text = str(value).strip()
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    dec = Decimal(text.replace(",", ""))
    if not dec.is_finite():
        raise ValueError("not finite")
    return dec


#: The table files the payment tables read, as every other ihms reader reads them.
TABLE_SUFFIXES = (".csv", ".xlsx", ".dta", ".sav", ".parquet")


def read_frame(path: str | Path, table: str | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, GBK or GB18030, as
    :func:`ihms._decode.read_csv` tells; every column as text so money stays exact), an
    Excel ``.xlsx`` sheet (:func:`ihms._sheets.read_sheet`, the data import's reader:
    cells as Excel holds them, a number shown as a percentage as the text shown; the
    sheet named ``table`` when there is one, else the only sheet with data), a Stata
    ``.dta`` or SPSS ``.sav`` file (:func:`ihms._statfiles.read_stat_table`: text cells,
    their missing-value codes a note) or a Parquet file. Title lines above the header of
    a CSV or a sheet (a title merged over the columns, a unit line, blank lines:
    :func:`ihms._layout.title_lines`) are left out with the note ``ihms data import``
    gives (an :class:`~ihms.errors.IhmsWarning`), counted in ``attrs["title_lines"]``
    so that :func:`file_row` numbers rows as the file does; total or note rows below
    the data are refused, naming their rows."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a {_suffixes()} file")
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    suffix = p.suffix.lower()
    if suffix not in (*TABLE_SUFFIXES, ".pq", ".txt", ""):
        raise InputError(f"{p}: expected a {_suffixes()} file, got {suffix!r}")
    try:
        if suffix in (".parquet", ".pq"):
            from ihms._layout import as_observations

            frame = as_observations(pd.read_parquet(p))
        elif suffix == ".xlsx":
            frame = _read_sheet(p, table)
        elif suffix in (".dta", ".sav"):
            from ihms._stat_missing import missing_code_notes
            from ihms._statfiles import read_stat_table

            frame = read_stat_table(p)
            for text in missing_code_notes(str(p), frame):
                warnings.warn(text, IhmsWarning, stacklevel=caller_stacklevel())
        else:
            # an empty line is a row: skipped, it would shift every row below it one up
            # and never be refused as the blank row it is
            frame = read_csv(
                p,
                name=str(p),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                titles="skip",
                blank_above=True,
            )
    except InputError:
        raise
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        raise InputError(f"{p}: cannot read the table ({exc})") from None
    if titled := frame.attrs.get("title_lines", 0):
        from ihms._layout import title_note

        blank = frame.attrs.get("title_blank", False)
        warnings.warn(
            title_note(str(p), titled, blank=blank), IhmsWarning, stacklevel=caller_stacklevel()
        )
    _refuse_summary_rows(frame, str(p))
    return _without_blank_rows(frame, str(p))


def file_row(frame: pd.DataFrame, pos: int) -> int:
    """The row of the file that holds ``frame``'s record at position ``pos`` (0-based),
    numbered by the one rule of every ihms reader (:func:`ihms._layout.first_row`, as
    the data import and the statistics commands count them): in a CSV or a sheet as a
    spreadsheet numbers it (the header is row 1 and the first record row 2, lower by the
    title lines :func:`read_frame` left out above the header), in a ``.dta``, ``.sav``
    or Parquet file the observation number, from 1, as Stata's ``list`` and SPSS's Data
    View show it. Empty lines are rows (:func:`read_frame` keeps them), so every message
    names the row the user sees.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": ["2018", "2019"]})
    >>> file_row(frame, 1)
    3
    >>> frame.attrs["title_lines"] = 1  # 2023年…结算表 above the header
    >>> file_row(frame, 1)
    4
    """
    from ihms._layout import first_row

    return first_row(frame) + pos


def _suffixes() -> str:
    return ", ".join(TABLE_SUFFIXES[:-1]) + f" or {TABLE_SUFFIXES[-1]}"


#: Stands for the option naming a sheet, which the payment commands do not have.
_NO_OPTION = "\x00sheet"


def _read_sheet(path: Path, table: str | None) -> pd.DataFrame:
    """The workbook's table sheet, as the data import chooses it (the one named after
    the table, else the only one with data); the messages say to name the sheet so,
    the payment commands having no ``--sheet``."""
    from ihms._sheets import read_sheet

    name = table or "the table"
    said = f"name the table's sheet '{name}'"
    try:
        frame, titled, _ = read_sheet(
            path, table=table, titles="skip", percent=True, label=str(path), flag=_NO_OPTION
        )
    except InputError as exc:
        text = str(exc).replace(f"name it with {_NO_OPTION} (or name the sheet '{name}')", said)
        # only hidden sheets hold data: a hidden sheet is not read by its name either
        raise InputError(text.replace(f"read with {_NO_OPTION}", "read by unhiding it")) from None
    for text in frame.attrs.get("notes", ()):
        text = text.replace(f"give {_NO_OPTION} to read one", "unhide one to read it")
        warnings.warn(text, IhmsWarning, stacklevel=caller_stacklevel())
    frame.attrs["title_lines"] = titled
    return frame


#: The class reading each table, named in the message refusing a DataFrame for a path.
_TABLE_CLASSES = {
    "spending": "SpendingTable",
    "population": "PopulationTable",
    "indicators": "IndicatorValues",
    "staff": "StaffRoster",
}


def read_mapped(
    path: str | Path, table: str, columns: ColumnMap | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`read_frame` of ``path``, its columns renamed by the entries of column map
    ``columns`` for ``table`` (``--columns``; :meth:`ihms.data.column_map.ColumnMap.apply`,
    as ``ihms data import`` applies one), and the renames (the table's column → the
    file's header) for the messages to name the column as the file heads it. What the
    map renamed or left out is warned (an :class:`~ihms.errors.IhmsWarning`).

    Raises
    ------
    DataError
        A source of the map's the file has no column of, or a target it has already.
    """
    if not isinstance(path, (str, os.PathLike)):
        kind = _TABLE_CLASSES.get(table, "table")
        raise InputError(
            wrong_kind(path, parameter="path", expected="a file path")
            + (f" (a DataFrame: {kind}.from_frame(df))" if isinstance(path, pd.DataFrame) else "")
        )
    frame = read_frame(path, table)
    renamed: dict[str, str] = {}
    if columns is not None and columns.renames.get(table):
        from ihms.data.dataset import RowLabels

        frames, labels = columns.apply({table: frame}, {table: RowLabels(str(path))})
        for text in labels[table].notes:
            warnings.warn(text, IhmsWarning, stacklevel=caller_stacklevel())
        frame, renamed = frames[table], dict(labels[table].renamed)
    if Path(path).suffix.lower() in (".dta", ".sav"):
        frame = _stored_yuan(frame, Path(path), renamed)
    return frame, renamed


def _stored_yuan(frame: pd.DataFrame, path: Path, renamed: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with each ``x_yuan`` column the statistics file stores as numbers given
    as the doubles the file holds, so that it is read as an ``.xlsx``'s number cells are
    (:func:`ihms.data._coerce.float_cell_text`: 7925.290000000001 is 7925.29 yuan).
    :func:`ihms._statfiles.read_stat_table` gives them as text, the double's shortest
    repr, which ``float`` turns back into the same double; a string variable stays text
    (typed so, as a CSV's cell)."""
    import pyreadstat

    wanted = [c for c in frame.columns if str(c).endswith("_yuan")]
    if not wanted:
        return frame
    read = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    types = read(str(path), metadataonly=True)[1].readstat_variable_types
    numeric = [c for c in wanted if types.get(renamed.get(c, c)) in ("double", "float")]
    if not numeric:
        return frame
    frame = frame.copy()
    for c in numeric:
        frame[c] = pd.to_numeric(frame[c].where(frame[c] != ""), errors="raise").astype(float)
    return frame


def _without_blank_rows(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """``frame`` without its trailing wholly blank rows (the formatted empty rows a sheet
    keeps below its data, a CSV's ``,,,`` lines: no rows); a wholly blank row with data
    below it is a DataError naming it. ``ihms data import`` reads on past such a row (its
    records keep the file's numbers through ``RowLabels.skipped``); a payment table is
    a handful of money rows numbered by :func:`file_row` in every check, and what sits
    below a blank row in one is usually another block (totals, notes, a second year's
    table)."""
    from ihms.stats._cells import blank_rows

    blank = blank_rows(frame)
    filled = (~blank).nonzero()[0]
    last = int(filled[-1]) if len(filled) else -1
    inside = [int(pos) for pos in blank.nonzero()[0] if pos < last]
    if inside:
        problems = [
            f"{format_location(file=source, row=file_row(frame, pos))}: a wholly blank row "
            f"inside the table ({_rows(file_row(frame, pos + 1), file_row(frame, last))} below it "
            f"{'hold' if last > pos + 1 else 'holds'} data): delete the row if the "
            "rows below belong to the table; if they are another block (totals, notes, "
            "another table), move them off the table's sheet"
            for pos in inside
        ]
        n = len(problems)
        raise DataError(
            f"{source}: {n} blank row{'s' if n != 1 else ''} inside the table", problems
        )
    return frame.iloc[: last + 1] if last + 1 < len(frame) else frame


def _rows(first: int, last: int) -> str:
    return f"rows {first}–{last}" if last > first else f"row {first}"


def _refuse_summary_rows(frame: pd.DataFrame, source: str) -> None:
    """A sheet's total (``合计``) and note (``注：…``) rows as one DataError naming each:
    a total read as a row would count the table twice."""
    from ihms._layout import summary_message, summary_rows

    found = summary_rows(frame)
    if found:
        problems = [
            summary_message(format_location(file=source, row=file_row(frame, pos)), kind, text)
            for pos, kind, text in found
        ]
        n = len(problems)
        raise DataError(f"{source}: {n} total or note row{'s' if n != 1 else ''}", problems)
