"""Tables written for the statistics packages researchers use: SPSS ``.sav``, Stata
``.dta``, Excel ``.xlsx``, ``.csv`` and ``.parquet``, with variable and value labels where
the format keeps them.

One writer for every command that hands data on (``ihms policy dataset``, ``ihms
indicators compute --out``): the file appears whole or not at all (written beside the
target, then renamed), Stata files are version 118 (Stata 14+, UTF-8, so Chinese labels
and texts survive), and a monthly period becomes a Stata ``%tm`` date so ``tsset`` and
``itsa`` work on it directly.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ihms._atomic import NotPlaced, make_folder, staged
from ihms._layout import as_observations
from ihms._stat_dates import (
    STATA_PERIODS,
    spss_period_formats,
    spss_periods,
    stata_clock,
    stata_dates,
)
from ihms._stat_missing import (
    MISSING_CELLS,
    MISSING_CODES,
    take_missing_codes,
    valid_value_labels,
)
from ihms._stat_notes_file import _our_notes, check_notes_owner, notes_beside, notes_of_another
from ihms.errors import InputError

__all__ = [
    "SHOWN_BY_PERIOD",
    "STAT_FORMATS",
    "cells_as_text",
    "check_notes_owner",
    "notes_beside",
    "notes_frame",
    "read_stat_table",
    "stata_clock",
    "stata_month",
    "write_stat_file",
]

STAT_FORMATS = (".sav", ".dta", ".xlsx", ".csv", ".parquet")
#: Stata allows 80 characters in a variable or data label.
_STATA_LABEL = 80
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: The key of :func:`read_stat_table`'s ``attrs`` naming, for a table of records, the
#: SPSS columns shown by a period (``WKYR``, ``QYR``, ``MOYR``) read as the days they
#: hold (``{column: format}``).
SHOWN_BY_PERIOD = "shown_by_period"
#: ``attrs`` key of the Stata ``float`` (float32) variables of a ``.dta`` read.
FLOAT32 = "float32"
#: ``frame.attrs`` key: ``{column: {code: label}}`` of the labelled columns left as codes.
CODE_LABELS = "code_labels"


def stata_month(period: str) -> pd.Timestamp:
    """The first day of a ``YYYY-MM`` period (written as a Stata ``%tm`` date).

    Examples
    --------
    >>> stata_month("2017-10")
    Timestamp('2017-10-01 00:00:00')
    """
    m = _MONTH.match(str(period))
    if not m:
        raise InputError(f"expected a month such as 2017-10, got {period!r}")
    return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)


def _clip(text: str, n: int = _STATA_LABEL) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _clip_bytes(text: str, n: int) -> str:
    """At most ``n`` UTF-8 bytes, cut between characters and marked with ``…`` (SPSS
    counts label lengths in bytes: 120 for a value label, 256 for a variable label)."""
    if len(text.encode("utf-8")) <= n:
        return text
    out = ""
    for ch in text:
        if len((out + ch + "…").encode("utf-8")) > n:
            break
        out += ch
    return out + "…"


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding whole numbers as integers, missing kept (``3``, not ``3.0``)."""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_float_dtype(col) and (col.dropna() % 1 == 0).all():
            out[c] = col.astype("Int64")
    return out


def notes_frame(notes: Sequence[str], *, tables: Sequence[str] | None = None) -> pd.DataFrame:
    """``notes`` one per row (column ``note``), for an .xlsx sheet or
    :func:`notes_beside`'s file; ``tables``, one per note, first names the table each
    is a note of (column ``table``), for a file holding several tables' notes."""
    if tables is None:
        return pd.DataFrame({"note": list(notes)})
    return pd.DataFrame({"table": list(tables), "note": list(notes)})


def write_stat_file(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    variable_labels: Mapping[str, str] | None = None,
    value_labels: Mapping[str, Mapping[int, str]] | None = None,
    monthly: Sequence[str] = (),
    periods: Mapping[str, str] | None = None,
    days: Sequence[str] = (),
    label: str = "",
    variables_sheet: pd.DataFrame | None = None,
    formats: Sequence[str] = STAT_FORMATS,
    option: str = "",
    notes: Sequence[str] = (),
    notes_sheet: str = "notes",
) -> Path:
    """Write ``frame`` in the format its suffix names.

    Parameters
    ----------
    variable_labels, value_labels
        Labels kept by ``.sav`` and ``.dta`` (value labels: integer codes only).
    monthly
        Datetime columns holding months: Stata ``%tm``, SPSS ``MOYR``.
    periods
        Datetime columns holding each period's first day, by Stata's letter for them:
        ``"q"`` quarters (Stata ``%tq``, SPSS ``QYR``), ``"h"`` half-years and ``"w"``
        weeks (Stata ``%th``, ``%tw``; SPSS has no such format: give text instead).
    days
        Datetime columns holding days: Stata ``%td``, SPSS ``DATE11``.
    label
        The file's own label (Stata data label, SPSS file label).
    variables_sheet
        For ``.xlsx``: a second sheet, ``variables``, describing the columns.
    formats
        The suffixes allowed here.
    option
        The option the path came from, for the error message (``--out``).
    notes
        What a reader must know about the values, one per row (column ``note``): an
        ``.xlsx`` gets them on a sheet ``notes``, any other format beside it as
        ``FILE-notes.csv``, as the ``--out`` of the payment commands writes a further
        table (``FILE-<table>.csv``; ``notes_sheet`` names the sheet); none given, no such sheet or file, and a
        ``FILE-notes.csv`` an earlier write left beside ``path`` is removed (only one
        this function wrote: its header the single column ``note``; and kept when a
        data file of another format has the same stem and the notes may be that
        file's, :func:`ihms._stat_notes_file.notes_of_another`), so no
        earlier run's notes describe other numbers; for the same reason notes that
        would replace such a file's are refused, naming both. The data file and its
        notes are written beside their places and renamed in together
        (:func:`ihms._atomic.staged`): when either cannot be replaced (open in Stata or
        Excel) the other is put back, so nothing changes, and the error names the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    where = f"{option} {path}" if option else str(path)
    if suffix not in formats:
        raise InputError(
            f"{where}: expected a file name ending in {', '.join(formats)}; "
            f"got {suffix or 'no suffix'!r}"
        )
    if path.is_dir():
        raise InputError(f"{where} is a folder; give a file name ending in {suffix}")
    _check_periods(periods or {}, suffix)
    variable_labels = dict(variable_labels or {})
    value_labels = {c: dict(v) for c, v in (value_labels or {}).items()}
    dated = {c: f"t{letter}" for c, letter in (periods or {}).items()}
    dated |= dict.fromkeys(monthly, "tm") | dict.fromkeys(days, "td")
    noted = notes_frame(notes)
    beside = notes_beside(path) if suffix != ".xlsx" else None
    if notes:
        check_notes_owner(path, where=where, notes=[str(n) for n in notes])
    # whose the notes beside are, told before the write changes path's time
    kept_for = notes_of_another(path) if beside is not None and not notes else []
    make_folder(path, where=where)
    try:
        with staged(path, beside if notes else None) as (tmp, beside_tmp):
            if suffix == ".sav":
                _write_sav(frame, tmp, variable_labels, value_labels, dated, label)
            elif suffix == ".dta":
                _write_dta(frame, tmp, variable_labels, value_labels, dated, label)
            elif suffix == ".xlsx":
                _write_xlsx(frame, tmp, variables_sheet, noted if notes else None, notes_sheet)
            elif suffix == ".parquet":
                frame.to_parquet(tmp, index=False)
            else:
                _whole_numbers(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
            if beside_tmp is not None:
                noted.to_csv(beside_tmp, index=False, encoding="utf-8-sig")
        if beside is not None and not notes and _our_notes(beside) and not kept_for:
            beside.unlink()  # an earlier write's notes, of other numbers
    except NotPlaced as exc:  # nothing changed, unless exc.left says what did
        what = "" if exc.failed == path else f": its notes {exc.failed} cannot be replaced"
        said = "nothing was changed" if exc.left is None else exc.left
        raise InputError(f"{where}: cannot be written{what} ({exc.reason}); {said}") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be written ({exc.strerror or exc})") from None
    except Exception as exc:
        # pyreadstat raises its own error for a path it cannot open
        if type(exc).__name__ != "PyreadstatError":
            raise
        raise InputError(f"{where}: cannot be written ({exc})") from None
    return path


def _write_xlsx(frame, tmp, variables_sheet, noted, notes_sheet="notes") -> None:
    with pd.ExcelWriter(tmp, engine="openpyxl") as xlsx:
        _whole_numbers(frame).to_excel(xlsx, sheet_name="data", index=False)
        if variables_sheet is not None:
            variables_sheet.to_excel(xlsx, sheet_name="variables", index=False)
        if noted is not None:
            noted.to_excel(xlsx, sheet_name=notes_sheet, index=False)


#: SPSS's date format of each Stata period ``write_stat_file`` writes to .sav (``tm``,
#: ``tq``; SPSS has none for half-years or Stata's weeks), and of a day (``td``).
SAV_FORMATS = {"tm": "MOYR8", "tq": "QYR8", "td": "DATE11"}

#: The period letters ``write_stat_file`` takes, in words.
_PERIOD_WORDS = {letter: words for _, letter, _, words in STATA_PERIODS.values()}


def _check_periods(periods: Mapping[str, str], suffix: str) -> None:
    """Refuse, before anything is written, a period letter that is not Stata's or that
    the format has no date format for (SPSS: quarters only)."""
    accepted = ", ".join(f"{k} ({v})" for k, v in _PERIOD_WORDS.items())
    for column, letter in periods.items():
        if letter not in _PERIOD_WORDS:
            raise InputError(
                f"parameter 'periods': column {column!r}: expected {accepted}, got {letter!r}"
            )
        if suffix == ".sav" and f"t{letter}" not in SAV_FORMATS:
            raise InputError(
                f"parameter 'periods': column {column!r}: SPSS has a date format for quarters "
                f"only, not {_PERIOD_WORDS[letter]}; write them as text or to .dta"
            )


def _write_sav(frame, path, variable_labels, value_labels, dated, label) -> None:
    import pyreadstat

    measure = {c: "nominal" for c in value_labels}
    measure |= {
        c: "scale"
        for c in frame.columns
        if c not in value_labels
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    }
    data = frame.copy()
    for c in data.columns:
        if pd.api.types.is_bool_dtype(data[c]):
            data[c] = data[c].astype(int)
    # SPSS shows a date by its format: MOYR a month, QYR a quarter
    formats = {c: SAV_FORMATS[kind] for c, kind in dated.items()}
    for c in data.columns:  # SPSS shows F8.2 otherwise: codes as 3.00, years as 2015.00
        col = data[c]
        if c not in formats and pd.api.types.is_numeric_dtype(col):
            whole = col.dropna()
            if (whole % 1 == 0).all():
                biggest = int(whole.abs().max()) if len(whole) else 0
                formats[c] = f"F{len(str(biggest)) + bool((whole < 0).any())}.0"
    pyreadstat.write_sav(
        data,
        str(path),
        file_label=_clip_bytes(label, 64),
        column_labels={
            c: None if variable_labels.get(c) is None else _clip_bytes(variable_labels[c], 256)
            for c in data.columns
        },
        variable_value_labels={
            c: {k: _clip_bytes(v, 120) for k, v in m.items()} for c, m in value_labels.items()
        },
        variable_measure=measure,
        variable_format=formats,
    )


def _write_dta(frame, path, variable_labels, value_labels, dated, label) -> None:
    data = frame.copy()
    strings = [
        c
        for c in data.columns
        if not pd.api.types.is_numeric_dtype(data[c])
        and not pd.api.types.is_datetime64_any_dtype(data[c])
    ]
    for c in strings:
        data[c] = data[c].fillna("").astype(str)
    for c in data.columns:
        if pd.api.types.is_bool_dtype(data[c]):
            data[c] = data[c].astype("int8")
    long = [c for c in strings if len(data) and data[c].str.len().max() > 2045]
    data.to_stata(
        path,
        write_index=False,
        version=118,
        data_label=_clip(label) or None,
        variable_labels={c: _clip(v) for c, v in variable_labels.items() if c in data.columns},
        value_labels={c: {float(k): v for k, v in m.items()} for c, m in value_labels.items()},
        convert_strl=long,
        convert_dates=dict(dated),
    )


def read_stat_table(
    path: Path,
    *,
    records: bool = False,
    labelled: Collection[str] = (),
    panel: str | None = None,
) -> pd.DataFrame:
    """A Stata ``.dta``, SPSS ``.sav`` or Parquet file as the CSV reader's text cells
    (:func:`cells_as_text`): Stata's ``%tm`` months as ``YYYY-MM``, ``%td`` days (also
    ``%-td``, a display such as ``%tdDD/NN/CCYY`` and Stata 9's ``%d``) as ISO dates,
    ``%tq``, ``%th`` and ``%tw`` periods as ``2019Q1``, ``2019H1`` and ``2019w1``;
    SPSS's ``MOYR`` months as ``2019-01``, ``QYR`` quarters and ``WKYR`` weeks as
    Stata's (:func:`ihms._stat_dates.spss_periods`), its other dates as ISO days
    (pyreadstat gives them as dates); whole numbers without ``.0``, missing as ``""``.
    Every reader of these files reads here (the statistics commands' tables, ``ihms
    data import``), so a file is read one way. A date column of months' first days
    (an Excel or Parquet one) stays days, as in a CSV. ``records`` (``ihms data
    import``'s tables of records) reads Stata ``%tc`` and ``%tC`` date-times (``%tC``
    counts leap seconds) as ISO date-times; else they are days when all are midnights;
    and SPSS's ``MOYR``, ``QYR`` and ``WKYR`` columns as the days they hold (SPSS keeps
    a day whatever format shows it; no week-53 check), named in
    ``attrs[SHOWN_BY_PERIOD]``.
    ``panel`` names the unit column of a panel, within whose units the SPSS week-53
    check looks.

    Value labels are applied to the columns named in ``labelled`` only (a table's
    closed vocabularies: sex stored as 1/2 labelled 女/男 reads as 女/男); elsewhere a
    labelled variable gives its codes. For each labelled column of ``labelled`` that
    has labels, ``frame.attrs["value_labels"]`` holds its labels (``{column: {code:
    label}}``, codes as text) and ``frame.attrs["unlabelled"]`` the positions of the
    rows whose code has no label (kept as the code). Stata's extended missing values
    (``.a``–``.z``) and SPSS's user-missing values are missing (``""``), as the
    packages' analyses treat them, their labels left out of ``value_labels``;
    ``frame.attrs["missing_codes"]`` holds what they were, per column (each code as the
    package writes it, its label, its cells), for
    :func:`ihms._stat_missing.missing_code_notes`, and ``frame.attrs["missing_cells"]``
    where each was; ``frame.attrs[FLOAT32]`` the Stata ``float`` variables (single
    precision, whose cells are the float's digits). A damaged file is an
    :class:`InputError`. Rows are numbered as observations, from 1
    (:func:`ihms._layout.as_observations`), as the packages number them."""
    suffix = path.suffix.lower()
    value_labels: dict = {}
    shown_by_period: dict = {}
    missing: dict = {}
    missing_cells: dict = {}
    single: list[str] = []  # Stata float (float32) variables, about 7 digits
    try:
        if suffix in (".dta", ".sav"):
            import pyreadstat

            if suffix == ".dta":
                frame, meta = pyreadstat.read_dta(
                    str(path), disable_datetime_conversion=True, user_missing=True
                )
            else:
                frame, meta = pyreadstat.read_sav(
                    str(path), extra_date_formats=["MOYR"], user_missing=True
                )
            frame, missing, missing_cells = take_missing_codes(frame, meta, suffix)
            if suffix == ".dta":
                frame = stata_dates(frame, meta.original_variable_types, times=records)
                single = [c for c, t in meta.readstat_variable_types.items() if t == "float"]
            else:
                formats = meta.original_variable_types
                frame = spss_periods(frame, formats, panel=panel, records=records)
                if records:
                    shown_by_period = spss_period_formats(formats)
            value_labels = valid_value_labels(meta, suffix)
        else:
            frame = pd.read_parquet(path)
    except InputError as exc:  # a column the file holds but ihms cannot read (%tb)
        raise InputError(f"file {str(path)!r}: {exc}") from None
    except Exception as exc:  # each reader raises its own types for a damaged file
        kind = {".dta": "a Stata", ".sav": "an SPSS"}.get(suffix, "a Parquet")
        raise InputError(f"file {str(path)!r}: cannot be read as {kind} file ({exc})") from exc
    cells = cells_as_text(frame)
    # every labelled column's labels, by code as text, for messages and for a value given
    # by its label (its fit --treated 甲县 on codes 1/2/3); applied only to ``labelled``
    cells.attrs[CODE_LABELS] = {
        c: {_code_text(code): str(label) for code, label in labels.items()}
        for c, labels in value_labels.items()
        if labels and c not in labelled
    }
    wanted = {c: value_labels[c] for c in labelled if value_labels.get(c)}
    cells = _apply_value_labels(cells, wanted) if wanted else cells
    cells.attrs[MISSING_CODES] = missing
    cells.attrs[MISSING_CELLS] = missing_cells
    cells.attrs[SHOWN_BY_PERIOD] = shown_by_period
    cells.attrs[FLOAT32] = single
    return as_observations(cells)


def _apply_value_labels(cells: pd.DataFrame, value_labels: Mapping) -> pd.DataFrame:
    """``cells`` with the codes of ``value_labels``' columns read as their labels."""
    cells = cells.copy()
    shown: dict[str, dict[str, str]] = {}
    unlabelled: dict[str, tuple[int, ...]] = {}
    for col, labels in value_labels.items():
        # codes as cells_as_text writes them: 1.0 as "1"
        texts = {_code_text(code): str(label) for code, label in labels.items()}
        values = cells[col]
        known = values.isin(list(texts))
        unknown = ~known & (values != "")
        cells[col] = values.map(texts).where(known, values)
        shown[col] = texts
        if unknown.any():
            unlabelled[col] = tuple(int(i) for i in unknown.to_numpy().nonzero()[0])
    cells.attrs["value_labels"] = shown
    cells.attrs["unlabelled"] = unlabelled
    return cells


def _code_text(code: object) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as the CSV reader gives them: dates (an ``.xlsx``'s date cells, a
    ``.parquet``'s or SPSS ``DATETIME`` datetimes) as ISO days, a month's first day too
    (``2016-01-01``, not ``2016-01``: ITS writes its predictions back as the column
    wrote them, and reads a column of quarters' first days as quarters), a date-time
    not at midnight with its time of day (``2018-03-01 14:35:00``, the clock of a
    time-zone-aware column; a record's date is its day, an ITS month the month it falls
    in), whole numbers without ``.0``, missing as ``""``. Months a package marks as
    months (Stata ``%tm``, SPSS ``MOYR``) are ``YYYY-MM`` before this
    (:mod:`ihms._stat_dates`)."""
    out = pd.DataFrame(index=frame.index)
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_datetime64_any_dtype(col):
            # the time was dropped: an encounter at 14:35 read as its midnight
            timed = col.notna() & (col != col.dt.normalize())
            out[c] = col.dt.strftime("%Y-%m-%d")
            if timed.any():
                out.loc[timed, c] = col[timed].dt.strftime("%Y-%m-%d %H:%M:%S")
        elif pd.api.types.is_float_dtype(col) and (col.dropna() % 1 == 0).all():
            out[c] = col.astype("Int64").astype(str)
        else:
            out[c] = col.astype(str)
        out[c] = out[c].where(col.notna(), "")
    return out
