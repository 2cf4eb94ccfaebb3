"""One sheet of an Excel workbook as a table: which sheet, its title lines, its header.

Every reader of ``.xlsx`` files (``ihms data import``, the statistics commands' tables)
reads here, so a workbook is read one way. A workbook often holds more than its data: a
说明 sheet first, last year's figures beside this year's. Reading the first sheet
regardless once fitted a series to the wrong year without a word, so the sheet is
chosen, never guessed: the one named (``--sheet``, by name or number), else the one
named after the table when the reader has a table name, else the workbook's only
sheet with anything in it; several sheets with cells and none named is an error listing
them. Hidden and very hidden sheets (a lookup table, last year's figures tucked away)
are left out of that choice, as Excel leaves them out of the tabs a user sees, with a
note naming them; ``--sheet`` still reads one, with a note that it is hidden. A
workbook ihms wrote (:func:`ihms._statfiles.write_stat_file`: a sheet ``data`` beside
its ``notes`` and ``variables`` sheets) is read at ``data``, its layout, not a guess.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ihms._layout import (
    blank_title,
    duplicate_names,
    grouped_header,
    grouped_header_message,
    summary_kind,
    title_lines,
    title_message,
)
from ihms.errors import InputError, did_you_mean

__all__ = ["IHMS_COMPANION_SHEETS", "choose_sheet", "fill_merged", "merged_below", "read_sheet"]

#: The sheets :func:`ihms._statfiles.write_stat_file` writes beside its ``data`` sheet.
IHMS_COMPANION_SHEETS = frozenset({"notes", "variables"})


def _has_cells(sheet: Any) -> bool:
    """Whether a worksheet (read-only) holds any filled cell; stops at the first."""
    for row in sheet.iter_rows(values_only=True):
        for cell in row:
            if cell is not None and str(cell).strip():
                return True
    return False


def choose_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    table: str | None = None,
    label: str | None = None,
    notes: list[str] | None = None,
    flag: str = "--sheet",
) -> str:
    """The name of the sheet of ``path`` to read (see the module's docstring).

    ``sheet`` is a sheet's name, or its number counting from 1 (in the workbook's order,
    hidden sheets counted) when no sheet has that name; ``table`` a name that picks the
    sheet of that name when ``sheet`` is not given; ``label`` the file as messages name
    it. Notes on hidden sheets (left out of the choice, or the one named) are appended
    to ``notes``; ``flag`` is the option the messages tell the user to name a sheet with.
    """
    import openpyxl

    label = label or f"file {str(path)!r}"
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or renamed file raises zip, XML or key errors
        told = _not_a_workbook(path) or f"cannot be read as an Excel file ({exc})"
        raise InputError(f"{label}: {told}") from exc
    notes = [] if notes is None else notes
    try:
        names = list(book.sheetnames)
        hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
        if sheet is not None:
            wanted = str(sheet).strip()
            if wanted not in names and wanted.isdigit() and 1 <= int(wanted) <= len(names):
                wanted = names[int(wanted) - 1]
            if wanted in names:
                if wanted in hidden:
                    notes.append(f"{label}: sheet {wanted!r} is hidden in the workbook")
                return wanted
            raise InputError(
                f"{label}: no sheet {wanted!r}; the workbook's sheets are "
                f"{', '.join(map(repr, names))} (give a name, or a number from 1 to "
                f"{len(names)}){did_you_mean(wanted, names)}"
            )
        if table is not None and table in names and table not in hidden:
            return table
        filled = [name for name in names if name not in hidden and _has_cells(book[name])]
        tucked = [name for name in hidden if _has_cells(book[name])]
    finally:
        book.close()
    if tucked:
        notes.append(
            f"{label}: hidden sheet{'s' if len(tucked) > 1 else ''} "
            f"{', '.join(map(repr, tucked))} left out (give {flag} to read one)"
        )
    if not filled and tucked:
        raise InputError(
            f"{label}: only hidden sheets hold data ({', '.join(map(repr, tucked))}); "
            f"name the one to read with {flag}"
        )
    if "data" in filled and set(filled) - {"data"} <= IHMS_COMPANION_SHEETS:
        return "data"
    if len(filled) > 1:
        raise InputError(
            f"{label}: {len(filled)} sheets hold data ({', '.join(map(repr, filled))}); "
            f"which one is the table cannot be told: name it with {flag}"
            + (f" (or name the sheet '{table}')" if table else "")
        )
    visible = [name for name in names if name not in hidden]
    return filled[0] if filled else (visible or names)[0]


def _not_a_workbook(path: Path) -> str:
    """What a file named ``.xlsx`` that is no workbook (a zip) holds, if it can be told:
    nothing, an Excel 97-2003 workbook, or text (a CSV renamed); else ``""``."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return ""
    if not head:
        return "the file is empty (0 bytes): save the workbook again"
    if head.startswith(b"PK"):
        return ""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "an Excel 97-2003 (.xls) workbook named .xlsx: open it in Excel and save it as "
            ".xlsx (Excel Workbook), or as .csv"
        )
    if b"\x00" not in head.lstrip(b"\xff\xfe\xef\xbb\xbf")[:512:2]:
        return "text, not an Excel workbook (a CSV file renamed .xlsx?): name it .csv"
    return ""


def read_sheet(
    path: Path,
    *,
    sheet: str | None = None,
    table: str | None = None,
    titles: str = "refuse",
    label: str | None = None,
    percent: bool = False,
    flag: str = "--sheet",
    merged: str = "keep",
) -> tuple[Any, int, str]:
    """``(frame, title lines, sheet name)``: the chosen sheet (:func:`choose_sheet`) with
    its cells as Excel holds them (text stays text, a date cell is a date) under its
    header. Lines above the header (a title, a unit line, blank lines:
    :func:`ihms._layout.title_lines`) are an InputError naming them, or with
    ``titles="skip"`` are left out and counted; a header naming a column twice is an
    InputError naming both, and so is a header over two rows (a group row above the
    column names, :func:`ihms._layout.grouped_header`). With ``percent``, a number shown as a percentage (format
    ``0.0%``) is the text Excel shows and writes to CSV (0.125 as ``"12.5%"``), so a
    rate reads on the same scale from the workbook as from its CSV. The frame's
    ``attrs["notes"]`` holds the notes on hidden sheets (:func:`choose_sheet`, which
    ``flag`` is passed to). With ``merged="fill"``, a merged range below the header (a
    hand-kept list's 层级 merged over the rows it holds for) gives its value to every
    cell it covers, which otherwise read as empty (:func:`fill_merged`), with a note
    naming the ranges; with ``merged="refuse"`` (the data import's records: which row
    a merged diagnosis or patient belongs to is not guessed) such a range is an
    InputError naming the sheet and each range (:func:`merged_below`)."""
    import pandas as pd

    label = label or f"file {str(path)!r}"
    notes: list[str] = []
    name = choose_sheet(path, sheet=sheet, table=table, label=label, notes=notes, flag=flag)
    try:
        # text as typed: pandas' default read a cell "NA" or "NULL" as empty, so the data
        # import took it as not recorded where its CSV was refused naming the marker
        raw = pd.read_excel(
            path, sheet_name=name, header=None, dtype=object, keep_default_na=False, na_values=[""]
        )
    except Exception as exc:  # a damaged workbook raises zip, XML or value errors
        raise InputError(f"{label}: cannot be read as an Excel file ({exc})") from exc
    if not len(raw):
        raise InputError(f"{label}: sheet {name!r} is empty; expected a header row")
    if raw.isna().to_numpy().any():
        _errors_as_text(path, name, raw)  # first: a formula whose result is #N/A has one
        _refuse_uncomputed(path, name, raw, label)
    if percent:
        _percent_as_text(path, name, raw)
    rows = raw.head(8).to_numpy().tolist()
    titled = title_lines(rows, blank=True)  # blank lines above the header too
    if titled and titles != "skip":
        raise InputError(title_message(f"{label} (sheet {name!r})", rows, titled))
    if grouped_header(rows, titled):
        # which row is the header is not guessed: the group row may hold the unit (元)
        raise InputError(grouped_header_message(f"{label} (sheet {name!r})", rows, titled))
    held = merged_below(path, name, below=titled) if merged == "refuse" else []
    # a note or total merged across its row (注：… over A7:F7) is told as one: delete it
    held = [ref for ref in held if not _summary_line(raw, ref)]
    if held:
        raise InputError(
            f"{label} (sheet {name!r}): merged cells {', '.join(held)} below the header; a "
            "merged cell holds its value in its first cell only, so the other rows it "
            "covers would read as empty (and Excel kept only the first value when the "
            "cells were merged): unmerge them and give every row its own value (Excel: "
            "select, Merge & Center off, then fill each row)"
        )
    if merged == "fill" and (filled := fill_merged(path, name, raw, below=titled)):
        notes.append(
            f"{label} (sheet {name!r}): merged cells {', '.join(filled)} give their value "
            "to every cell they cover"
        )
    header = [
        f"Unnamed: {i}" if pd.isna(cell) or not str(cell).strip() else str(cell).strip()
        for i, cell in enumerate(raw.iloc[titled].tolist())
    ]
    if message := duplicate_names(label, header):
        raise InputError(message)
    frame = raw.iloc[titled + 1 :].reset_index(drop=True)
    frame.columns = header
    frame.attrs["notes"] = notes
    frame.attrs["title_blank"] = blank_title(rows, titled)
    return frame, titled, name


def fill_merged(path: Path, name: str, raw: Any, *, below: int) -> list[str]:
    """Write into ``raw`` (sheet ``name``'s cells from A1, as :func:`read_sheet` reads
    them) each merged range's value into every cell it covers, for the ranges that start
    below row ``below`` (0-based: the header's; a title merged over the columns above it
    is no value of the records). Returns the ranges filled, each with its value
    (``"F2:F4 ('国家级')"``); a workbook without merged cells costs one open."""
    import openpyxl

    # merged ranges are not kept by a read-only workbook
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        ranges = sorted(book[name].merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    finally:
        book.close()
    filled = []
    for cells in ranges:
        top, left = cells.min_row - 1, cells.min_col - 1
        if top <= below or top >= raw.shape[0] or left >= raw.shape[1]:
            continue
        value = raw.iat[top, left]
        bottom, right = min(cells.max_row, raw.shape[0]), min(cells.max_col, raw.shape[1])
        raw.iloc[top:bottom, left:right] = value
        empty = value is None or value != value or not str(value).strip()
        filled.append(f"{cells.coord} ({'empty' if empty else repr(str(value).strip())})")
    return filled


def merged_below(path: Path, name: str, *, below: int) -> list[str]:
    """The merged ranges of sheet ``name`` that cover a row below row ``below`` (0-based:
    the header's), as Excel names them (``"F12:F13"``), read from the sheet's XML
    (openpyxl's read-only workbook does not keep them, and a full load of a large sheet
    would cost more than its reading)."""
    import re
    import zipfile
    from posixpath import join, normpath

    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = None
        for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
            named = re.search(r'\bname="([^"]*)"', tag)
            if named and _xml_text(named.group(1)) == name:
                rid = re.search(r'\br:id="([^"]*)"|:id="([^"]*)"', tag)
                break
        if rid is None:
            return []
        rel_id = rid.group(1) or rid.group(2)
        target = None
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
            if re.search(rf'\bId="{re.escape(rel_id)}"', tag):
                target = re.search(r'\bTarget="([^"]*)"', tag)
                break
        if target is None:
            return []
        where = target.group(1)
        where = where.lstrip("/") if where.startswith("/") else normpath(join("xl", where))
        sheet = book.read(where)
    refs = re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', sheet)
    held = []
    for ref in refs:
        text = ref.decode("ascii")
        _, _, _, max_row = range_boundaries(text)
        if max_row - 1 > below:
            held.append(text)
    return sorted(held, key=lambda r: range_boundaries(r)[1::-1])


def _summary_line(raw: Any, ref: str) -> bool:
    """Whether merged range ``ref`` (``A7:F7``) lies in one row of ``raw`` (the sheet
    read without a header) that is a note or total row
    (:func:`ihms._layout.summary_kind`), which the reader refuses as such."""
    from openpyxl.utils.cell import range_boundaries

    _, top, _, bottom = range_boundaries(ref)
    return (
        top == bottom and top <= len(raw) and summary_kind(raw.iloc[top - 1].tolist()) is not None
    )


def _xml_text(text: str) -> str:
    """An attribute's text with XML's escapes undone (a sheet named ``A&B``)."""
    from html import unescape

    return unescape(text)


def _sheet_cells(
    path: Path, name: str, shape: tuple[int, int], *, data_only: bool, values_only: bool = False
):
    """``(row, column, cell)`` of a sheet's cells within ``shape`` (0-based from A1),
    with their values (``data_only``) or their formulas; with ``values_only`` the cell
    is its value alone (a faster walk)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        for r, row in enumerate(book[name].iter_rows(values_only=values_only)):
            if r >= shape[0]:
                break
            for c, cell in enumerate(row[: shape[1]]):
                yield r, c, cell
    finally:
        book.close()


def _percent_as_text(path: Path, name: str, raw: Any) -> None:
    """Write into ``raw`` (the sheet's cells, from its first row and column) every number
    formatted as a percentage as the text Excel shows for it: 0.125 as ``"12.5%"``,
    every digit kept (not the format's rounding)."""
    from decimal import Decimal

    for r, c, cell in _sheet_cells(path, name, raw.shape, data_only=True):
        value = getattr(cell, "value", None)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and "%" in (getattr(cell, "number_format", "") or ""):
            shown = format(Decimal(repr(value)) * 100, "f")
            shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
            raw.iat[r, c] = f"{shown}%"


def _errors_as_text(path: Path, name: str, raw: Any) -> None:
    """Write into ``raw`` every error cell (``#N/A``, ``#DIV/0!``) as the text Excel shows,
    as its CSV holds it: pandas reads them as empty, and a lookup that found nothing
    passed as a value not recorded."""
    for r, c, cell in _sheet_cells(path, name, raw.shape, data_only=True):
        if getattr(cell, "data_type", None) == "e" and raw.iat[r, c] != raw.iat[r, c]:
            raw.iat[r, c] = str(cell.value)


def _refuse_uncomputed(path: Path, name: str, raw: Any, label: str) -> None:
    """Refuse formula cells the workbook holds no value for. A workbook a program wrote
    (openpyxl, a HIS export) and no spreadsheet saved has formulas without their
    results, which read as empty cells: a series lost its values without a word."""
    from openpyxl.utils import get_column_letter

    found = [
        f"{get_column_letter(c + 1)}{r + 1}"
        for r, c, value in _sheet_cells(path, name, raw.shape, data_only=False, values_only=True)
        if isinstance(value, str)
        and value.startswith("=")
        and raw.iat[r, c] != raw.iat[r, c]  # NaN: no value held
    ]
    if found:
        shown = ", ".join(found[:5]) + (f" and {len(found) - 5:,} more" if len(found) > 5 else "")
        raise InputError(
            f"{label} (sheet {name!r}): cells {shown} hold formulas without their results "
            "(the workbook was written by a program and never saved by Excel or WPS), which "
            "would read as empty; open and save it in Excel or WPS, or paste the values"
        )
