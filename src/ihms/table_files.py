"""A :class:`~ihms.summary.SummaryTable` written to a file for a paper or for reading
back, laid out as ``ihms policy tables`` lays out its workbook (one sheet per table:
title, header, rows, notes below; :mod:`ihms.policy.tables_export` builds its sheets
with the helpers here), for every command whose ``--out`` writes one table
(``ihms policy agreement``, ``ihms agreement``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ihms.errors import InputError
from ihms.summary import SummaryTable

__all__ = ["unique_sheet_name", "write_summary_table"]


def unique_sheet_name(name: str, used: set[str], *, fallback: str = "table") -> str:
    """A sheet name Excel accepts for ``name``: none of ``[]:*?/\\``, at most 31
    characters, and unique ignoring case among ``used`` (lower-cased names, to which
    the result is added): two names alike in their first 31 characters get ``_2``,
    ``_3`` ... in place of their last ones, so neither sheet overwrites the other.

    Examples
    --------
    >>> used = set()
    >>> unique_sheet_name("coder_" + "a" * 30, used), unique_sheet_name("coder_" + "a" * 31, used)
    ('coder_aaaaaaaaaaaaaaaaaaaaaaaaa', 'coder_aaaaaaaaaaaaaaaaaaaaaaa_2')
    """
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or fallback
    out, k = base, 2
    while out.lower() in used:
        suffix = f"_{k}"
        out, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


def _title_and_header(ws, title: str, header: Sequence[str]) -> None:
    """A sheet's first rows as a journal prints a table: its title, then its header, bold."""
    from openpyxl.styles import Font

    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(header))
    for cell in ws[2]:
        cell.font = Font(bold=True)


def _append_notes(ws, notes: Sequence[str]) -> None:
    """The table's notes below it, one per row in the first column."""
    for note in notes:
        ws.append([note])


def _widths(ws, labels: Sequence[str], n_columns: int) -> None:
    """The label column as wide as its labels, the others as their headers (row 2)."""
    ws.column_dimensions["A"].width = max(12, min(60, max(map(len, labels), default=0) + 2))
    for col in ws.iter_cols(min_col=2, max_col=n_columns, min_row=2, max_row=2):
        ws.column_dimensions[col[0].column_letter].width = max(
            10, min(40, len(str(col[0].value)) + 2)
        )


def _number_format(table: SummaryTable, column) -> str | None:
    """Excel's number format for a column the table prints at a fixed number of
    decimals: its formatter's (``"{:.1f}%".format``: ``0.0"%"``; a growth rate's
    ``+0.0%``; a change in points ``+0.0" pp"``) or, for a statistic
    (``decimal_columns``), the table's ``digits`` (3: ``0.000``)."""
    fmt = (table.formats or {}).get(str(column))
    if fmt is None:
        decimal = str(column) in {str(c) for c in table.decimal_columns}
        return "0." + "0" * table.digits if decimal and table.digits else None
    try:
        shown = str(fmt(0.5))
    except (TypeError, ValueError):
        return None
    m = re.fullmatch(r"0\.(\d+)(%?)", shown)
    if m:
        return "0." + "0" * len(m.group(1)) + ('"%"' if m.group(2) else "")
    # a fraction printed in per cent (``"{:.1%}"``: 0.5 -> 50.0%, growth's +50.0%): the
    # cell holds the fraction and Excel shows it as the table does
    m = re.fullmatch(r"(\+?)50\.(\d+)%", shown)
    if not m:
        # a change in percentage points (``points_cell``: +0.5 pp): the cell holds the
        # points, Excel shows them with the unit
        m = re.fullmatch(r"\+0\.(\d+) pp", shown)
        pp = f'0.{"0" * len(m.group(1))}" pp"' if m else None
        return f"+{pp};-{pp};{pp}" if pp else None
    pct = "0." + "0" * len(m.group(2)) + "%"
    return f"+{pct};-{pct};{pct}" if m.group(1) else pct


def write_summary_table(table: SummaryTable, path: str | Path, *, sheet: str) -> Path:
    """Write ``table`` whole or not at all (beside ``path``, then renamed): an ``.xlsx``
    laid out as :func:`export_tables` lays out its sheets — one sheet named ``sheet``
    with the title, the header, the rows (numbers as numbers, shown to the decimals the
    table prints) and the notes below — or a ``.csv`` (UTF-8 with BOM, for Excel) of the
    rows alone, as :func:`export_tables` writes its CSVs, to be read back as a table.

    Raises
    ------
    InputError
        ``path`` names neither an ``.xlsx`` nor a ``.csv`` file.
    """
    from ihms._atomic import staged

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"{path}: expected a .xlsx or .csv file name")
    frame = table.frame.reset_index() if table.show_index else table.frame
    with staged(path) as (tmp,):
        if suffix == ".csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            _write_summary_xlsx(table, frame, tmp, sheet)
    return path


def _write_summary_xlsx(table: SummaryTable, frame: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = unique_sheet_name(sheet, set())
    _title_and_header(ws, table.title, [str(c) for c in frame.columns])
    formats = {c: _number_format(table, c) for c in frame.columns}
    for values in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v.item() if hasattr(v, "item") else v for v in values])
        for cell, column in zip(ws[ws.max_row], frame.columns, strict=True):
            if isinstance(cell.value, int | float):
                cell.alignment = Alignment(horizontal="right")
                if formats.get(column) and isinstance(cell.value, float):
                    cell.number_format = formats[column]
    _append_notes(ws, table.notes)
    _widths(ws, [str(v) for v in frame.iloc[:, 0]], len(frame.columns))
    wb.save(str(path))
