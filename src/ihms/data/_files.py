"""Reading a folder's table files, untyped: one file per table, CSV, Parquet, Excel,
Stata or SPSS.

:func:`read_folder` finds the files named after the schema's tables and reads them as
text (CSV) or as written (Parquet); :func:`ihms.data.io.read_tables` then types and
checks them. Wholly empty rows are left out here, before any check sees them, and each
table's :class:`~ihms.data.RowLabels` keeps the file's row numbers and the rows left out.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from ihms._column_hints import yuan_name
from ihms._decode import read_csv
from ihms._layout import (
    as_observations,
    first_row,
    grouped_header,
    grouped_header_message,
    summary_message,
    summary_rows,
)
from ihms._listing import first_of
from ihms._sheets import read_sheet
from ihms._stat_missing import missing_code_cells, missing_code_notes
from ihms._statfiles import FLOAT32, SHOWN_BY_PERIOD, read_stat_table
from ihms.data._coerce import is_blank
from ihms.data._folder_meta import TABLE_FORMATS
from ihms.data._sex_codes import SEX
from ihms.data._table_coerce import MAX_ROWS_PER_CHECK
from ihms.data.dataset import RowLabels
from ihms.data.schema import SCHEMAS
from ihms.errors import DataError, InputError, Problem
from ihms.stats._cells import blank_rows

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap

__all__ = ["TABLE_FORMATS", "drop_empty_rows", "read_folder"]

# TABLE_FORMATS (ihms.data._folder_meta): the file formats a table is read from (a known
# table in any other format, such as ``residents.xls``, is an error rather than skipped).
# An ``.xlsx`` sheet is read with its cells as Excel holds them (text stays text, a date
# cell is a date), which is what Excel would write to CSV, real dates kept.
#: Formats read as a statistics package wrote them (:func:`ihms._statfiles.read_stat_table`,
#: the statistics commands' reader): cells as text, then checked as a CSV's are.
STAT_PACKAGE_FORMATS = (".dta", ".sav")


def read_folder(
    folder: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    columns: ColumnMap | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, RowLabels]]:
    """Read ``<table>.csv`` / ``.parquet`` / ``.xlsx`` / ``.dta`` / ``.sav`` files of a
    folder, untyped.

    A file named after a table in another format (``followups.xls``) is a problem, so
    no table is silently left out; other files (``README.md``, a codebook workbook)
    are ignored.

    CSV files are read as text, without the title and blank lines a sheet may have
    above its header (counted in the labels' ``title_lines``, and rows numbered as the
    file numbers them); empty cells become nulls during coercion. Wholly empty rows
    (the ``,,,`` lines a spreadsheet leaves after its data, blank lines) are left out
    (:func:`drop_empty_rows`) and named in the table's :class:`~ihms.data.RowLabels`,
    whose row numbers stay the file's. A total or note row below the records (``合计``,
    ``注：…``, :func:`ihms._layout.summary_rows`) is a problem naming it: summed in, a
    total would count every record twice. Such a row, and a statistics file's row whose
    code has no value label, is refused in the table's labels (``refused``, the rows
    ``refused_rows``), not here: :meth:`ihms.data.Dataset.from_frames` names it with the
    cells it cannot read and checks the other rows. A workbook's sheet is chosen by
    :func:`ihms._sheets.choose_sheet`. A Stata ``.dta`` or SPSS ``.sav`` file is read as the statistics commands read it
    (:func:`ihms._statfiles.read_stat_table`: cells as text, Stata ``%td`` dates as ISO
    days), its rows numbered from 1 as the packages number observations, and checked as
    a CSV's cells are. The value labels of a closed vocabulary's column (sex 1/2
    labelled 女/男) are read in place of the codes, noted (:func:`value_label_notes`);
    a code there without a label is a problem naming its row (refused, as above). Other labelled columns
    keep their codes (an id, a count, a yes/no read as 0/1). Stata's extended missing
    values (``.a``) and SPSS's user-missing values are empty cells, each column's
    codes, labels and counts noted (:func:`ihms._stat_missing.missing_code_notes`).

    Parameters
    ----------
    folder
        The folder of table files.
    encoding
        Encoding of every CSV file; by default each file's is told
        (:func:`ihms._decode.read_csv`: UTF-8 with or without BOM, UTF-16, GBK, GB18030,
        Big5).
    sheet
        Sheet name or number for every workbook; by default the sheet named after the
        table, else the only sheet with data.
    columns
        The column map the frames are renamed by afterwards (not here): which of a
        statistics file's columns are a closed vocabulary's or required, under the
        file's own names.

    Returns
    -------
    tuple of dict
        The frames (cells as text) and, per table, its :class:`~ihms.data.RowLabels`.

    Raises
    ------
    InputError
        ``folder`` is not a folder.
    DataError
        Every problem of every file (an unknown or doubled table, a table in a format
        not read, an unreadable or empty file), each naming its file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(not_a_folder(folder))
    frames: dict[str, pd.DataFrame] = {}
    labels: dict[str, RowLabels] = {}
    problems = []
    given: dict[str, str] = {}  # the file each table was read from
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if path.name.startswith(".") or not path.is_file():
            continue
        name = path.stem
        if suffix not in TABLE_FORMATS:
            if name in SCHEMAS:
                # a table ihms would need, in a format it does not read: never skip it
                problems.append(
                    Problem(
                        f"{path.name}: table '{name}' must be a "
                        f"{', '.join(TABLE_FORMATS[:-1])} or {TABLE_FORMATS[-1]} file, "
                        f"got {suffix or 'a file without extension'} (save it as "
                        f"{name}.csv, UTF-8, one header row)",
                        file=path.name,
                    )
                )
            continue
        if name not in SCHEMAS:
            close = difflib.get_close_matches(name, list(SCHEMAS), n=1)
            if suffix == ".xlsx" and not close:
                continue  # a workbook of notes or a codebook beside the tables
            hint = (
                f"; did you mean '{close[0]}{suffix}'?"
                if close
                else "; a table's file is named after the table (encounters.csv, claims.xlsx, "
                f"...): {', '.join(SCHEMAS)}"
            )
            problems.append(Problem(f"{path.name}: no table called '{name}'{hint}", file=path.name))
            continue
        if name in given:
            problems.append(
                Problem(
                    f"{path.name}: table '{name}' is given twice (also {given[name]}); keep "
                    "one file per table",
                    file=path.name,
                )
            )
            continue
        given[name] = path.name
        notes: tuple[str, ...] = ()
        held: dict[str, dict[int, str]] = {}
        # rows refused as a whole, named and left out of the checks of the others
        refused: list[str] = []
        refused_at: set[int] = set()  # by position in the file's rows read
        package = {".dta": "Stata", ".sav": "SPSS"}.get(suffix, "")
        try:
            if suffix == ".csv":
                if not path.stat().st_size:
                    problems.append(
                        Problem(
                            f"{path.name}: the file is empty; expected a header row naming "
                            f"the columns of table '{name}' (see `ihms data schema`)",
                            file=path.name,
                            expected="a header row",
                        )
                    )
                    continue
                frame = _read_table_csv(path, encoding)
                titled = frame.attrs.get("title_lines", 0)
            elif suffix == ".xlsx":
                frame, titled, _ = read_sheet(
                    path, sheet=sheet, table=name, titles="skip", label=path.name,
                    merged="refuse",
                )  # fmt: skip
                frame.attrs["title_lines"] = titled
                notes = tuple(frame.attrs.get("notes", ()))
            elif suffix in STAT_PACKAGE_FORMATS:
                vocabularies = [c.name for c in SCHEMAS[name].columns if c.allowed is not None]
                if columns is not None:
                    vocabularies = sorted(columns.file_names(name, vocabularies))
                # observations numbered as Stata's `list` and SPSS's Data View number them
                frame = read_stat_table(path, records=True, labelled=vocabularies)
                titled = 0
                notes, unlabelled = value_label_notes(path.name, frame)
                notes += missing_code_notes(path.name, frame) + period_format_notes(
                    path.name, frame
                )
                # a required column as the file may name it: total_cost_fen or _yuan;
                # and sex, whose cells of sex not known are counted by the code held
                required = {
                    n
                    for c in SCHEMAS[name].columns
                    if c.required or (name, c.name) == SEX
                    for n in (c.name, yuan_name(c.name))
                    if n is not None
                }
                if columns is not None:
                    required = columns.file_names(name, required)
                held = missing_code_cells(path.name, frame, required)
                refused += unlabelled
                refused_at.update(
                    p for rows in frame.attrs.get("unlabelled", {}).values() for p in rows
                )
            else:
                frame, titled = (
                    as_observations(
                        zoned_as_text(whole_float_ids(pd.read_parquet(path), name, columns))
                    ),
                    0,
                )
        except InputError as exc:
            said = exc.args[0] if exc.args else None  # a Problem keeps its row or column
            row, column = (said.row, said.column) if isinstance(said, Problem) else (None, None)
            problems.append(Problem(str(exc), file=path.name, row=row, column=column))
            continue
        except (OSError, ValueError, pa.ArrowException) as exc:
            problems.append(Problem(f"{path.name}: cannot read it ({exc})", file=path.name))
            continue
        first = first_row(frame)  # a CSV's or sheet's line, a statistics file's observation
        frames[name], skipped = drop_empty_rows(frame, first_row=first)
        # a position past the empty rows left out (a refused row is not empty)
        refused_at = {p - sum(1 for n in skipped if n < p + first) for p in refused_at}
        label = RowLabels(
            path.name,
            first_row=first,
            skipped=skipped,
            title_lines=titled,
            title_blank=bool(frame.attrs.get("title_blank", False)),
            notes=notes,
            package=package,
            missing_codes={c: {r + first: t for r, t in h.items()} for c, h in held.items()},
            float32=frozenset(frame.attrs.get(FLOAT32, ())),
        )
        for pos, kind, text in summary_rows(frames[name]):
            at = label.row(pos)
            said = summary_message(f"{path.name} row {at}", kind, text)
            refused.append(Problem(said, file=path.name, row=at, value=text))
            refused_at.add(pos)
        for pos in header_again(frames[name]):
            at = label.row(pos)
            said = (
                f"{path.name} row {at}: repeats the header (files joined one after the "
                "other, each with its header?): delete the row"
            )
            refused.append(Problem(said, file=path.name, row=at, expected="a record"))
            refused_at.add(pos)
        labels[name] = replace(
            label, refused=tuple(refused), refused_rows=tuple(sorted(refused_at))
        )
    if problems:
        raise DataError(f"{len(problems)} problem(s) in {folder}", problems)
    return frames, labels


def value_label_notes(file: str, frame: pd.DataFrame) -> tuple[tuple[str, ...], list[str]]:
    """What :func:`ihms._statfiles.read_stat_table` read by value labels (a note per
    column) and one problem per row whose code has no label, naming the labels there
    are (a code read as itself would only be refused later as an unknown name, without
    saying that the file's labels lack it)."""
    labels = frame.attrs.get("value_labels", {})
    notes = tuple(
        f"{file}: column '{col}' read by its value labels ({_labels_text(texts)})"
        for col, texts in labels.items()
    )
    problems = []
    for col, rows in frame.attrs.get("unlabelled", {}).items():
        for pos in rows[:MAX_ROWS_PER_CHECK]:
            problems.append(
                Problem.at(
                    f"{frame[col].iloc[pos]} has no value label (the file labels "
                    f"{_labels_text(labels[col])}); label it (Stata: label define; SPSS: "
                    "VALUE LABELS) or recode it",
                    file=file,
                    row=pos + first_row(frame),
                    column=col,
                    value=frame[col].iloc[pos],
                    expected=f"a labelled code ({_labels_text(labels[col])})",
                )
            )
        if len(rows) > MAX_ROWS_PER_CHECK:
            problems.append(
                Problem(
                    f"{file}: {len(rows) - MAX_ROWS_PER_CHECK:,} more rows whose '{col}' code "
                    "has no value label",
                    file=file,
                    column=col,
                )
            )
    return notes, problems


def period_format_notes(file: str, frame: pd.DataFrame) -> tuple[str, ...]:
    """A note per SPSS column shown by a period (``WKYR``, ``QYR``, ``MOYR``) that
    :func:`ihms._statfiles.read_stat_table` read as the days it holds, with its first
    days: the user sees a record's date read as a day, not as the week SPSS shows."""
    notes = []
    for col, fmt in frame.attrs.get(SHOWN_BY_PERIOD, {}).items():
        days = [d for d in dict.fromkeys(frame[col]) if d]
        notes.append(
            f"{file}: column '{col}' is shown by SPSS's {fmt} format (a date by its period); "
            f"its cells are read as the days they hold ({first_of(days, 3)})"
        )
    return tuple(notes)


def _labels_text(texts: dict[str, str]) -> str:
    return first_of((f"{code} {label}" for code, label in texts.items()), 8)


def _read_table_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    """A table's CSV file as text. A file whose header has no comma but tabs (Excel's
    "Unicode text", UTF-16 with tabs) or semicolons is read with that separator rather
    than as one column named after the whole header line."""
    # blank lines are rows too (read as empty cells), so rows keep the file's numbers
    options = {
        "encoding": encoding,
        "name": path.name,
        "dtype": str,
        "keep_default_na": False,
        "skip_blank_lines": False,
    }
    frame = read_csv(path, titles="skip", blank_above=True, **options)
    header = str(frame.columns[0]) if frame.shape[1] == 1 else ""
    for sep in ("\t", ";"):
        if sep in header:
            frame = read_csv(path, sep=sep, titles="skip", blank_above=True, **options)
            break
    _refuse_nul(frame, path.name)
    # a workbook's header over two rows, saved as CSV: the group row read as the header
    rows = [list(frame.columns), *frame.head(1).to_numpy().tolist()]
    if grouped_header(rows, 0):
        first = frame.attrs.get("title_lines", 0) + 1
        raise InputError(grouped_header_message(path.name, rows, 0, first=first))
    return frame


_NUL = (
    "holds a NUL byte (\\x00), which no text has: the file is damaged, or was saved in "
    "another encoding than the one it was read in; save it again from its source as "
    "CSV UTF-8"
)


def _refuse_nul(frame: pd.DataFrame, file: str) -> None:
    """Refuse a CSV table holding a NUL byte, in its header or a cell, naming the first
    (file row and column) and how many cells in all: pandas keeps it, and it would be
    stored in an id or shown as a name that looks like another."""
    header = frame.attrs.get("title_lines", 0) + 1
    for number, name in enumerate(frame.columns, start=1):
        if "\x00" in str(name):
            shown = str(name).replace("\x00", "\\x00")
            raise InputError(
                Problem(
                    f"{file} row {header} (the header), column {number} ('{shown}'): the "
                    f"name {_NUL}",
                    row=header,
                    column=shown,
                )
            )
    found = [
        (name, frame[name].str.contains("\x00", regex=False).fillna(False).to_numpy(bool))
        for name in frame.columns
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])
    ]
    count = sum(int(hit.sum()) for _, hit in found)
    if not count:
        return
    # the first row, and in it the leftmost column (found keeps the file's order)
    row, _, name = min(
        (int(np.flatnonzero(hit)[0]), at, str(n)) for at, (n, hit) in enumerate(found) if hit.any()
    )
    more = {1: "", 2: " (1 more cell does too)"}.get(count, f" ({count - 1:,} more cells do too)")
    raise InputError(
        Problem(
            f"column '{name}' of {file} row {header + 1 + row}: the cell {_NUL}{more}",
            row=header + 1 + row,
            column=name,
        )
    )


def drop_empty_rows(frame: pd.DataFrame, *, first_row: int) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """``frame`` without its wholly empty rows (every cell missing, empty or blanks), and
    the file's numbers of those rows (``first_row``: the number of the frame's first
    row). Such a row is no record: reading it would report each of its required cells
    as missing."""
    if not len(frame.columns):
        return frame, ()
    # only rows whose first cell is blank can be empty: the rest need no look
    maybe = np.flatnonzero(is_blank(frame.iloc[:, 0]).to_numpy())
    if not len(maybe):
        return frame, ()
    empty = np.zeros(len(frame), dtype=bool)
    empty[maybe] = blank_rows(frame.iloc[maybe])
    if not empty.any():
        return frame, ()
    kept = frame.loc[~empty].reset_index(drop=True)
    return kept, tuple(int(i) + first_row for i in np.flatnonzero(empty))


def not_a_folder(path: Path) -> str:
    """Why ``path`` cannot be read as a folder of tables, and what to give instead."""
    if not path.exists():
        return f"{path}: no such folder"
    return (
        f"{path}: not a folder — give the folder holding the table files, one per table "
        "and named after it (residents.csv, encounters.csv, claims.xlsx, ...)"
    )


def whole_float_ids(
    frame: pd.DataFrame, table: str, columns: ColumnMap | None = None
) -> pd.DataFrame:
    """``frame`` with each float column of an id or other text column whose values are
    all whole read as ``1001``, not ``1001.0`` (a column of ids pandas wrote as floats,
    having passed through a missing value), as a ``.dta``'s or ``.xlsx``'s are read;
    ``columns``, a column map, names them as the file does."""
    text = {c.name for c in SCHEMAS[table].columns if c.dtype == "string"}
    if columns is not None:
        text |= columns.file_names(table, text)
    for col in frame.columns:
        values = frame[col]
        if (col in text or str(col).endswith("_id")) and pd.api.types.is_float_dtype(values):
            given = values.dropna()
            if (given % 1 == 0).all() and (given.abs() < 2**53).all():
                frame[col] = values.astype("Int64").astype("string")
    return frame


def zoned_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each time-zone-aware column outside China's time (UTC+8), whose
    times are not all midnight, as text with its zone (``2019-03-07 16:00:00Z``), which
    the date reader refuses naming the zone: read as dates, a Spark column of UTC
    instants gave each evening's record the previous day. A column in UTC+8 is read by
    its clock, and one of midnights (dates stored as instants) by its day (the rule of
    :func:`zone_unclear`, which the Parquet folder reader of the indicators applies too)."""
    for col in frame.columns:
        values = frame[col]
        if zone_unclear(values):
            frame[col] = values.map(zoned_text)
    return frame


def zone_unclear(values: pd.Series) -> bool:
    """Whether a column's days depend on the time zone it is read in: time-zone-aware,
    outside China's time (UTC+8), and not all midnight."""
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        return False
    given = values.dropna()
    local = given.dt.tz_localize(None)
    # each stamp's offset from UTC, column-wide (a zone's offset may change: summer time)
    offset = local - given.dt.tz_convert("UTC").dt.tz_localize(None)
    if (offset == pd.Timedelta(hours=8)).all():
        return False
    return not (local == local.dt.normalize()).all()


def zoned_text(stamp) -> str | None:
    """A zone-aware timestamp as text with its zone (``2019-03-07 16:00:00Z``), as
    :func:`ihms.data._table_coerce.zoned_reason` reads it."""
    return None if pd.isna(stamp) else stamp.isoformat(sep=" ").replace("+00:00", "Z")


def header_again(frame: pd.DataFrame) -> list[int]:
    """The positions of the rows whose every cell is its column's name (the header of a
    second file joined below the first, as ``cat`` joins two monthly extracts)."""
    names = [str(c).strip() for c in frame.columns]
    if frame.empty or not names:
        return []
    rows = np.arange(len(frame))  # the rows still alike, narrowed column by column
    for j, name in enumerate(names):
        cells = frame.iloc[rows, j].astype("string").str.strip()
        rows = rows[cells.eq(name).fillna(False).to_numpy(dtype=bool)]
        if not len(rows):
            return []
    return [int(p) for p in rows]
