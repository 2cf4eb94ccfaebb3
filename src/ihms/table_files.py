"""Tables (:class:`~ihms.summary.SummaryTable`) written to a file for a paper or for reading
back, laid out as ``ihms policy tables`` lays out its workbook (one sheet per table:
title, header, rows, notes below; :mod:`ihms.policy.tables_export` builds its sheets
with the helpers here): :func:`write_tables_xlsx`, a sheet per table, for the
``ihms payment`` commands' ``--out`` (:mod:`ihms.cli._payment_out`), and
:func:`write_summary_table`, one table as a sheet or a CSV, for every command whose
``--out`` writes one table (``ihms policy agreement``, ``ihms agreement``, ``ihms growth``,
``ihms its batch``, ``ihms system off-pathway``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, localcontext
from pathlib import Path

import pandas as pd

from ihms.errors import InputError
from ihms.summary import SummaryTable

__all__ = ["unique_sheet_name", "write_summary_table", "write_tables_xlsx"]


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
    of one sheet named ``sheet`` (:func:`write_tables_xlsx`) or a ``.csv`` (UTF-8 with
    BOM, for Excel) of the rows alone, as :func:`export_tables` writes its CSVs, to be
    read back as a table.

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
    if suffix == ".xlsx":
        return write_tables_xlsx([(sheet, table)], path)
    frame = table.frame.reset_index() if table.show_index else table.frame
    with staged(path) as (tmp,):
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    return path


def write_tables_xlsx(tables: Sequence[tuple[str, SummaryTable]], path: str | Path) -> Path:
    """Write ``tables`` (``(sheet, table)`` pairs) to the workbook ``path``, whole or not
    at all (beside it, then renamed): a sheet per table, named as given (made one Excel
    takes, :func:`unique_sheet_name`), laid out as ``ihms policy tables`` lays out its
    sheets — the title and the header in bold, the rows (the index as the first column
    when the table shows it), the notes below, one per row.

    A number is a number cell, right-aligned, shown as the table prints it: a Decimal
    thousands separated with as many decimals as its column's Decimals hold (yuan:
    ``#,##0.00``), a whole number among them alike; a float to the decimals the table
    prints its column with (:func:`_number_format`); any other integer as it is (a count,
    a year, an id). A missing value is an empty cell. Excel holds a number as a double,
    15 significant digits: every amount under 10 trillion yuan reads back to the fen; a
    Decimal a double cannot give back is written as its digits in text, exact (a CSV
    keeps every digit of any amount).

    Raises
    ------
    InputError
        ``path`` is not an ``.xlsx`` file name, or ``tables`` is empty.
    """
    from ihms._atomic import staged

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: expected a .xlsx file name")
    if not tables:
        raise InputError(f"{path}: no tables to write")
    with staged(path) as (tmp,):
        _write_xlsx(tables, tmp)
    return path


def _to_the_fen(value: Decimal) -> bool:
    """Whether a double (what Excel holds: 15 significant digits) gives ``value`` back
    to the fen — every amount under 10 trillion yuan; a quotient's digits past the 15th
    are no amount's."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 4)
        fen = Decimal("0.01")
        return Decimal(repr(float(value))).quantize(fen) == value.quantize(fen)


def _cell(value: object) -> object:
    """A cell's value for openpyxl: a Decimal as a number when a double gives it back
    to the fen, else as its digits in text (never a number a fen off); a numpy number as
    Python's; a missing value (None, NaN, NaT, NA) empty."""
    if isinstance(value, str | bool):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return value if _to_the_fen(value) else f"{value:f}"
    if value is None or (not isinstance(value, Sequence) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _decimal_format(values: Sequence[object]) -> str | None:
    """Excel's format for a column of Decimals: thousands separated, as many decimals
    as its cells hold (yuan: 2, ``#,##0.00``); None for a column without one."""
    places = [-v.as_tuple().exponent for v in values if isinstance(v, Decimal) and v.is_finite()]
    if not places:
        return None
    most = max(0, *places)
    return "#,##0" + ("." + "0" * most if most else "")


def _write_xlsx(tables: Sequence[tuple[str, SummaryTable]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, table in tables:
        ws = wb.create_sheet(unique_sheet_name(name, used))
        frame = table.frame.reset_index() if table.show_index else table.frame
        _title_and_header(ws, table.title, [str(c) for c in frame.columns])
        exact = [_decimal_format(frame.iloc[:, j].tolist()) for j in range(frame.shape[1])]
        printed = [_number_format(table, column) for column in frame.columns]
        for values in frame.itertuples(index=False):
            ws.append([_cell(v) for v in values])
            for cell, raw, amounts, shown in zip(
                ws[ws.max_row], values, exact, printed, strict=True
            ):
                value = cell.value
                if isinstance(raw, Decimal) and isinstance(value, str):  # beyond a double
                    cell.alignment = Alignment(horizontal="right")
                if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                    continue
                cell.alignment = Alignment(horizontal="right")
                # an integer outside a column of amounts as it is: a year, not 2018.0
                fmt = amounts or (None if isinstance(value, int) else shown)
                if fmt:
                    cell.number_format = fmt
        _append_notes(ws, table.notes)
        _widths(ws, [str(v) for v in frame.iloc[:, 0]], len(frame.columns))
    wb.save(str(path))
