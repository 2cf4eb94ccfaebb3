"""Reading a corpus metadata sheet (CSV or XLSX) the way researchers keep it.

Column names may be English or Chinese; these are recognised (case and spaces
ignored):

==============  =====================================================
field           accepted headers
==============  =====================================================
id              id, doc_id, 编号, 序号, 文件编号
file            file, filename, path, 文件, 文件名, 文件路径
title           title, 标题, 政策名称, 文件名称, 政策标题
issuer          issuer, issuing body, 发文机关, 发布机构, 发文单位, 颁布主体, 发布主体
doc_number      doc_number, document number, 发文字号, 文号
level           level, 层级, 政策层级, 级别, 政策级别
date            date, 日期, 发布日期, 成文日期, 发文日期, 发布时间
nature          nature, 性质, 政策性质, 文种
orientation     orientation, 导向, 政策导向, 政策类别
source_url      url, source_url, source url, 链接, 网址, 原文链接
region          region, 地区, 省份
source          source, database, 来源, 检索来源, 数据库
==============  =====================================================

Other columns are kept as extra metadata. CSV files may be UTF-8 or GBK (Excel in a
Chinese locale saves GBK). Every bad cell is reported, with its row as Excel shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ihms._layout import is_unnamed, title_lines
from ihms._width import fold_width
from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.policy.extract import parse_date

__all__ = [
    "SHEET_COLUMNS",
    "MetadataRow",
    "check_sheet_path",
    "read_metadata_sheet",
    "read_sheets",
    "read_table_file",
    "table_sheet",
    "unread_columns_note",
]

SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "编号", "序号", "文件编号"),
    "file": ("file", "filename", "file name", "path", "文件", "文件名", "文件路径"),
    "title": ("title", "标题", "政策名称", "文件名称", "政策标题"),
    "issuer": (
        "issuer",
        "issuing body",
        "发文机关",
        "发布机构",
        "发文单位",
        "颁布主体",
        "发布主体",
    ),
    "doc_number": ("doc_number", "document number", "docno", "发文字号", "文号"),
    "level": ("level", "层级", "政策层级", "级别", "政策级别"),
    "date": ("date", "日期", "发布日期", "成文日期", "发文日期", "发布时间"),
    "nature": ("nature", "性质", "政策性质", "文种"),
    "orientation": ("orientation", "导向", "政策导向", "政策类别"),
    "source_url": ("url", "source_url", "source url", "链接", "网址", "原文链接"),
    "region": ("region", "地区", "省份"),
    "source": ("source", "database", "来源", "检索来源", "数据库"),
}
_ALIASES = {
    alias.replace(" ", "").lower(): key for key, al in SHEET_COLUMNS.items() for alias in al
}


@dataclass(frozen=True)
class MetadataRow:
    """One sheet row: ``row`` as Excel numbers it, recognised ``values``, ``extra``."""

    row: int
    values: dict[str, object]
    extra: dict[str, str] = field(default_factory=dict)


def read_table_file(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    expected: str = "",
    columns: tuple[str, ...] = (),
    notes: list[str] | None = None,
    merged: str = "keep",
    label: str | None = None,
):
    """Read a CSV (UTF-8 or GBK, detected) or XLSX file into a DataFrame of strings.

    ``expected`` describes the columns the caller needs, for the message about an
    empty file. A workbook's sheet is ``sheet`` when given, else the one sheet holding
    data, else the one of them whose first row names any of ``columns`` (case and
    spaces ignored): a 说明 sheet before the table is common (:func:`table_sheet`).

    Read as ``ihms data import`` reads a table: title lines above the header (a
    reviewer's ``第一轮筛选结果（张伟）`` merged over the columns, or blank rows left where
    a title was deleted: :func:`ihms._layout.title_lines` with ``blank``) are left out,
    their count in ``attrs["title_lines"]`` so that rows keep the file's numbers
    (:func:`ihms._layout.first_row`), and data import's note saying so is appended
    to ``notes``. A workbook's cells read as the CSV Excel saves holds them (a date cell
    as ``2019-05-01``); with ``merged="fill"`` a merged range below the header gives its
    value to every row it covers, with a note (:func:`ihms._sheets.read_sheet`).
    ``label`` is what the notes and the messages on the header call the table (default:
    the file's name).

    Raises
    ------
    InputError
        Missing file, empty file, unsupported suffix, unreadable workbook.
    """
    import pandas as pd

    from ihms._decode import read_csv
    from ihms._layout import title_note
    from ihms._sheets import read_sheet
    from ihms._statfiles import cells_as_text

    path = Path(path)
    notes = [] if notes is None else notes
    label = label or path.name
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    read: list[str] = []
    if suffix == ".csv":
        try:
            frame = read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                titles="skip",
                blank_above=True,
                name=path.name,
            )
        except pd.errors.EmptyDataError:
            raise InputError(
                f"{path}: the file is empty; expected a header row "
                f"({expected or 'the column names'}) and one row per record"
            ) from None
        titled = frame.attrs.get("title_lines", 0)
        blank = frame.attrs.get("title_blank", False)
    elif suffix in (".xlsx", ".xlsm"):
        if sheet is None:
            sheet = table_sheet(path, columns)
        elif isinstance(sheet, int):
            sheet = str(sheet + 1)  # pandas counts sheets from 0, read_sheet from 1
        raw, titled, _ = read_sheet(path, sheet=sheet, titles="skip", label=label, merged=merged)
        read = list(raw.attrs.get("notes", ()))
        blank = raw.attrs.get("title_blank", False)
        frame = cells_as_text(raw.infer_objects())
    else:
        raise InputError(f"{path}: expected a .csv or .xlsx file, got {suffix or '(none)'!r}")
    frame = _without_trailing_blanks(frame)
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_header(frame, label)
    notes.extend([title_note(label, titled, blank=blank)] * bool(titled) + read)
    frame.attrs["title_lines"] = titled
    return frame


def table_sheet(path: Path, columns: tuple[str, ...] = ()) -> str:
    """The sheet of workbook ``path`` holding the table: the only visible sheet with
    cells, else the only one of those whose first row names any of ``columns`` (case
    and spaces ignored). Several or none of them is an InputError naming the sheets."""
    import openpyxl

    def norm(name: object) -> str:
        return "".join(str(name).split()).lower()

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or renamed file raises zip, XML or key errors
        raise InputError(f"{path.name}: cannot be read as an Excel file ({exc})") from None
    try:
        heads = {}
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            rows = ws.iter_rows(values_only=True)
            first = next((r for r in rows if any(str(v or "").strip() for v in r)), None)
            if first is not None:
                # the header may stand below a title (ihms._layout.title_lines)
                top = [first, *(r for _, r in zip(range(7), rows, strict=False))]
                header = top[title_lines(top)]
                heads[ws.title] = {norm(v) for v in header if v is not None}
        names = list(book.sheetnames)
    finally:
        book.close()
    if len(heads) <= 1:
        return next(iter(heads), names[0])
    wanted = {norm(c) for c in columns}
    holding = [name for name, head in heads.items() if head & wanted]
    if len(holding) == 1:
        return holding[0]
    listed = ", ".join(map(repr, heads))
    named = ", ".join(columns[:-1]) + f" or {columns[-1]}" if len(columns) > 1 else "".join(columns)
    if not columns:
        why = "which one is the table cannot be told"
    elif holding:
        why = f"{', '.join(map(repr, holding))} each have a column {named}"
    else:
        why = f"none has a column {named}"
    raise InputError(
        f"{path.name}: {len(heads)} sheets hold data ({listed}); {why}: keep the table on "
        "a sheet of its own in the workbook, or save that sheet as CSV"
    )


def _check_header(frame, label: str) -> None:
    """A header of blanks (pandas calls them 'Unnamed: 0', ...): blank rows above a
    one-column table, which :func:`ihms._layout.title_lines` cannot tell from a title
    (blank rows above a wider header are left out). Say so instead of naming those."""
    names = [str(c) for c in frame.columns]
    if names and all(c.startswith("Unnamed:") for c in names) and not frame.empty:
        raise InputError(
            f"{label}: the first row is blank; the column names must be on row 1 "
            "(delete the empty rows above them)"
        )


def _without_trailing_blanks(frame):
    """``frame`` without the wholly blank rows ending it. A CSV is read with
    ``skip_blank_lines=False`` so that an empty line inside it stays a row of blanks:
    the readers skip such rows, and the rows below keep the file's numbers (position
    + 2), which pandas' skipping would shift one up for each empty line above."""
    from ihms.stats._cells import blank_rows

    filled = (~blank_rows(frame)).nonzero()[0]
    return frame.iloc[: int(filled[-1]) + 1 if len(filled) else 0]


def read_sheets(path: str | Path, *, expected: str = "", notes: list[str] | None = None) -> list:
    """``[(label, frame)]`` for every sheet of an XLSX workbook that holds data (label
    ``"file.xlsx, sheet 'Sheet1'"``), or the one table of a CSV file (label its name).
    Each sheet's notes (a title left out above its header …) are appended to ``notes``.

    Raises
    ------
    InputError
        As :func:`read_table_file`.
    """
    import pandas as pd

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return [(path.name, read_table_file(path, expected=expected, notes=notes))]
    try:
        book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from None
    out = []
    for name, frame in book.items():
        if len(frame.columns) and not frame.empty:
            # read again as every sheet is: below its title lines, if any
            label = f"{path.name}, sheet {name!r}"
            frame = read_table_file(path, sheet=name, expected=expected, label=label, notes=notes)
            if not frame.empty:
                out.append((label, frame))
    return out


def unread_columns_note(rows: list[MetadataRow], label: str) -> str:
    """A note naming the sheet's columns ihms keeps only as extra metadata, each near an
    accepted header pointed at it (a misspelt 发布日起 is otherwise silently not a date);
    ``""`` when every filled column is read."""
    unread = list(dict.fromkeys(col for row in rows for col in row.extra))
    if not unread:
        return ""
    accepted = [alias for aliases in SHEET_COLUMNS.values() for alias in aliases]
    near = [f"{c!r}{hint}" for c in unread if (hint := did_you_mean(c, accepted))]
    return (
        f"{label}: column(s) {', '.join(map(repr, unread))} are not fields ihms reads "
        "(kept as extra metadata)" + ("; " + "; ".join(near) if near else "")
    )


def read_metadata_sheet(path: str | Path, *, notes: list[str] | None = None) -> list[MetadataRow]:
    """Read and validate a metadata sheet; see the module docstring for columns.

    Read as ``ihms data import`` reads a table: title lines above the header (a list's
    title merged over its columns) are left out with its note, and rows keep the file's
    numbers; a workbook's merged cells below the header give their value to every row
    they cover (a 层级 merged over three documents), with a note naming them; a date
    typed in full-width digits (``２０１９年５月１５日``) reads as its ASCII form.

    Parameters
    ----------
    path
        The sheet, ``.xlsx`` or ``.csv``.
    notes
        A list that gets the notes on reading it (title lines, merged cells).

    Returns
    -------
    list of MetadataRow
        One per filled row, with the file's row number, the recognised columns' values
        (``date`` as :class:`datetime.date`) and the other columns' text.

    Raises
    ------
    DataError
        Unparseable dates, dates after today, duplicate ids, duplicate recognised
        columns, neither a file nor an id column — every problem with its row and
        column.
    """
    from ihms.stats._cells import first_row as sheet_first_row

    path = Path(path)
    notes = [] if notes is None else notes
    frame = _metadata_frame(path, notes)
    first_row = sheet_first_row(frame)  # the file's number of its first record
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for col in frame.columns:
        key = _ALIASES.get(col.replace(" ", "").lower())
        if key is None:
            continue
        if key in mapping.values():
            other = next(c for c, k in mapping.items() if k == key)
            problems.append(f"{path.name}: columns {other!r} and {col!r} both mean {key!r}")
            continue
        mapping[col] = key
    if "file" not in mapping.values() and "id" not in mapping.values():
        problems.append(
            f"{path.name}: no 'file' or 'id' column (accepted headers: "
            f"{', '.join(SHEET_COLUMNS['file'] + SHEET_COLUMNS['id'])}); got "
            f"{[c for c in frame.columns if not is_unnamed(c)]}"
        )
    rows: list[MetadataRow] = []
    seen_ids: dict[str, int] = {}
    today = dt.date.today()
    for i, record in enumerate(frame.to_dict(orient="records")):
        excel_row = i + first_row
        values: dict[str, object] = {}
        extra: dict[str, str] = {}
        for col, raw in record.items():
            cell = "" if raw is None else str(raw).strip()
            key = mapping.get(col)
            if key is None:
                if cell:
                    extra[col] = cell
                continue
            if key == "date" and cell:
                where = format_location(file=path.name, row=excel_row, field=col)
                try:
                    values[key] = parse_date(fold_width(cell))  # ２０１９年 as data import reads it
                except ValueError:
                    problems.append(
                        f"{where}: expected a date such as 2017-04-26 or 2017年4月26日, "
                        f"got {cell!r}"
                    )
                    continue
                if values[key] > today:
                    problems.append(
                        f"{where}: expected the release date of a published policy (on or "
                        f"before today, {today.isoformat()}), got {cell!r}"
                    )
                continue
            values[key] = cell
        if not any(values.values()) and not extra:
            continue  # blank line
        doc_id = values.get("id")
        if doc_id:
            if doc_id in seen_ids:
                where = format_location(file=path.name, row=excel_row, field="id")
                problems.append(f"{where}: id {doc_id!r} repeats row {seen_ids[doc_id]}")
            seen_ids[str(doc_id)] = excel_row
        rows.append(MetadataRow(excel_row, values, extra))
    if problems:
        raise DataError(f"metadata sheet {path}: {len(problems):,} problem(s)", problems)
    return rows


def _metadata_frame(path: Path, notes: list[str]):
    """The metadata sheet as :func:`read_table_file` reads it, merged cells below the
    header filled (a 层级 merged over the documents it holds for)."""
    columns = SHEET_COLUMNS["id"] + SHEET_COLUMNS["file"]
    return read_table_file(path, columns=columns, notes=notes, merged="fill")


def check_sheet_path(path: str | Path) -> Path:
    """``path`` if a sheet can be written there: a ``.xlsx`` or ``.csv`` name in an
    existing folder.

    Parameters
    ----------
    path
        The sheet's file name; not created here.

    Raises
    ------
    InputError
        Another suffix, or a folder that does not exist.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise InputError(
            f"{path}: expected a .xlsx or .csv file name, got {path.suffix or '(no suffix)'!r}"
        )
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {str(path.parent)!r} does not exist")
    return path
