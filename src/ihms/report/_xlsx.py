"""One table as a tables.xlsx sheet a reader can use on its own: its title, where it
comes from and the report's note above the grid, its notes below; numbers that a table
holds as text ("350,917", "678.40 yuan") stored as numbers, the unit in a column beside;
the key columns of grouped rows filled on every row, so filters and Stata's
``import excel, cellrange(A5) firstrow`` see every row whole."""

from __future__ import annotations

import re

import pandas as pd

from ihms.summary import SummaryTable

__all__ = ["GRID_ROW", "sheet_frame", "write_sheet"]

#: The grid's header row (0-based, as pandas counts): title, source and note above it.
GRID_ROW = 4

# no leading zero (an id such as "001" stays text), thousands separated by commas in
# groups of three or not at all, a true minus or a hyphen
_NUMBER = r"[−-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?"
_CELL = re.compile(rf"^({_NUMBER})(?:\s+([^\d\s()]{{1,15}}))?$")


def _number(text: str) -> int | float:
    plain = text.replace(",", "").replace("−", "-")
    return float(plain) if "." in plain else int(plain)


def _numeric(column: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """The column with each number-as-text cell a number, and the units split off (None
    when no cell had one)."""
    values, units = [], []
    for cell in column:
        match = _CELL.match(cell.strip()) if isinstance(cell, str) else None
        values.append(_number(match[1]) if match else cell)
        units.append(match[2] if match and match[2] else None)
    unit = None if all(u is None for u in units) else pd.Series(units, index=column.index)
    return pd.Series(values, index=column.index, dtype=object), unit


def _leading_labels(frame: pd.DataFrame) -> list[str]:
    """The text columns before the first numeric one: the labels of grouped rows, which
    a table may give on a group's first row only."""
    labels = []
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]):
            break
        labels.append(str(name))
    return labels if len(labels) < len(frame.columns) else []


def sheet_frame(table: SummaryTable) -> pd.DataFrame:
    """``table``'s frame as the sheet holds it (see the module docstring)."""
    frame = table.to_frame()
    keys = [str(k) for k in (table.key_columns or _leading_labels(frame))]
    out = {}
    for name in frame.columns:
        column = frame[name]
        if str(name) in keys:
            column = column.replace("", None).ffill()
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            column, unit = _numeric(column)
            out[name] = column
            if unit is not None:
                out[f"{name} unit"] = unit
        else:
            out[name] = column
    return pd.DataFrame(out, index=frame.index)


def write_sheet(
    writer: pd.ExcelWriter, sheet: str, table: SummaryTable, *, source: str, note: str
) -> None:
    """Write ``table`` to ``sheet``: title, ``source`` and ``note`` above the grid, the
    table's notes below it."""
    frame = sheet_frame(table)
    # merged index cells read as blanks to filters and Stata: every row is written whole
    frame.to_excel(
        writer, sheet_name=sheet, index=table.show_index, startrow=GRID_ROW, merge_cells=False
    )
    ws = writer.sheets[sheet]
    for row, text in enumerate((table.title, source, note), start=1):
        if text:
            ws.cell(row=row, column=1, value=text)
    below = GRID_ROW + 1 + len(frame) + 2
    for i, text in enumerate(table.notes):
        ws.cell(row=below + i, column=1, value=text)
