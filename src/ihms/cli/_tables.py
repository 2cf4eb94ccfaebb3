"""The tables the statistics commands take as a file argument (``ihms its``,
``ihms growth``, ``ihms agreement``): CSV in any encoding ihms reads, Stata, SPSS,
Excel and Parquet, all as text cells, with a sheet's title lines and repeated column
names refused as the CSV reader refuses them."""

from __future__ import annotations

from pathlib import Path

from ihms.errors import InputError

__all__ = ["BINARY_SUFFIXES", "read_data_table"]

#: The files read as a statistics package or Excel wrote them, not as text.
BINARY_SUFFIXES = (".dta", ".sav", ".xlsx", ".parquet")


def read_data_table(path: Path, *, what: str = "series", sheet: str | None = None):
    """A table given on the command line (ITS's series, growth's values, agreement's
    codings) as text cells: a CSV decoded as every ihms reader decodes (UTF-8 with or
    without BOM, GBK/GB18030, ...), or a Stata ``.dta``, SPSS ``.sav``, Excel ``.xlsx``
    or ``.parquet`` file, whose monthly dates become ``YYYY-MM``; an empty cell is
    ``""``. ``what`` names the table in the advice to re-save it."""
    import pandas as pd

    from ihms._decode import read_csv

    if path.is_dir():
        raise InputError(f"file {str(path)!r}: is a folder, expected a data file")
    if not path.is_file():
        raise InputError(f"file {str(path)!r}: not found")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".tsv", ".txt", ".json", ".jsonl", ".sas7bdat"):
        raise InputError(
            f"file {str(path)!r}: a {suffix} file is not read here; save the {what} as .csv "
            "(or .dta, .sav, .xlsx, .parquet)"
        )
    if sheet is not None and suffix != ".xlsx":
        raise InputError(f"--sheet {sheet!r}: only an .xlsx workbook has sheets, got {str(path)!r}")
    if suffix == ".xlsx":
        from ihms._sheets import read_sheet

        # cells as Excel holds them: pandas' default parses text again, so a month
        # typed as text "2019.10" became the number 2019.1 (January) and "001" 1
        return _as_text(read_sheet(path, sheet=sheet, percent=True)[0].infer_objects())
    if suffix in BINARY_SUFFIXES:
        return _as_text(_read_binary(path, suffix))
    try:
        return read_csv(
            path, dtype=str, keep_default_na=False, skip_blank_lines=False, blank_above=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"file {str(path)!r}: cannot be read as CSV ({exc})") from exc


def _read_binary(path: Path, suffix: str):
    import pandas as pd

    try:
        if suffix == ".dta":
            import pyreadstat

            frame, meta = pyreadstat.read_dta(str(path), disable_datetime_conversion=True)
            return _stata_dates(frame, meta.original_variable_types)
        if suffix == ".sav":
            import pyreadstat

            return pyreadstat.read_sav(str(path), extra_date_formats=["MOYR"])[0]
        return pd.read_parquet(path)
    except Exception as exc:  # each reader raises its own types for a damaged file
        kind = {".dta": "a Stata", ".sav": "an SPSS", ".parquet": "a Parquet"}
        raise InputError(
            f"file {str(path)!r}: cannot be read as {kind[suffix]} file ({exc})"
        ) from exc


def _stata_dates(frame, formats: dict):
    """Stata's time formats as the CSV reader would give them: ``%tm`` months as
    ``YYYY-MM``, ``%ty`` years as the year, ``%td`` days as ISO dates. Other time
    formats (``%tq``, ``%th``, ``%tw``, ``%tc``) keep Stata's own count, which is still
    evenly spaced (give the interruption in the same count)."""
    import pandas as pd

    frame = frame.copy()
    for col, fmt in formats.items():
        values = frame[col]
        if not str(fmt).startswith("%t") or not pd.api.types.is_numeric_dtype(values):
            continue
        kind = str(fmt)[2:3]
        if kind == "m":
            frame[col] = [
                None if pd.isna(v) else f"{1960 + int(v) // 12:04d}-{int(v) % 12 + 1:02d}"
                for v in values
            ]
        elif kind == "d":
            day0 = pd.Timestamp(1960, 1, 1)
            frame[col] = [
                None if pd.isna(v) else (day0 + pd.Timedelta(days=int(v))).strftime("%Y-%m-%d")
                for v in values
            ]
    return frame


def _as_text(frame):
    """Cells as the CSV reader gives them: months as ``YYYY-MM`` (a Stata ``%tm`` or SPSS
    date on the first of the month), other dates ISO, whole numbers without ``.0``,
    missing as ``""``."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_datetime64_any_dtype(col):
            days = col.dropna()
            fmt = (
                "%Y-%m"
                if (days.dt.day == 1).all() and (days.dt.normalize() == days).all()
                else "%Y-%m-%d"
            )
            out[c] = col.dt.strftime(fmt)
        elif pd.api.types.is_float_dtype(col) and (col.dropna() % 1 == 0).all():
            out[c] = col.astype("Int64").astype(str)
        else:
            out[c] = col.astype(str)
        out[c] = out[c].where(col.notna(), "")
    return out
