"""The tables the statistics commands take as a file argument (``ihms its``,
``ihms growth``, ``ihms trend``, ``ihms agreement``): CSV in any encoding ihms reads,
Stata, SPSS, Excel and Parquet, all as text cells, with repeated column names refused
as the CSV reader refuses them. A sheet's title lines above the header are left out
with the note ``ihms data import`` prints (``its``, ``growth``, ``trend``: their row
numbers count them, :func:`ihms.stats._cells.first_row`) or refused (``agreement``)."""

from __future__ import annotations

from pathlib import Path

from ihms.errors import InputError

__all__ = ["BINARY_SUFFIXES", "read_data_table"]

#: The files read as a statistics package or Excel wrote them, not as text.
BINARY_SUFFIXES = (".dta", ".sav", ".xlsx", ".parquet")


def read_data_table(
    path: Path,
    *,
    what: str = "series",
    sheet: str | None = None,
    encoding: str | None = None,
    sheet_flag: str = "--sheet",
    panel: str | None = None,
    titles: str = "refuse",
):
    """A table given on the command line (ITS's series, growth's values, agreement's
    codings) as text cells: a CSV decoded as every ihms reader decodes (UTF-8 with or
    without BOM, GBK/GB18030, ..., or ``encoding``: ``--encoding``, as ``ihms data
    import`` takes it), or a Stata ``.dta``, SPSS ``.sav``, Excel ``.xlsx`` or
    ``.parquet`` file (a Stata ``%tm`` or SPSS ``MOYR`` month as ``YYYY-MM``, other dates as ISO days, as a CSV holds them); an empty cell is ``""``.
    ``what`` names the table in the advice to re-save it. Notes on an ``.xlsx``'s hidden
    sheets, and on a Stata or SPSS file's missing-value codes (read as empty), are
    printed on stderr. ``sheet_flag`` is the option that names this file's
    sheet (``--prices-sheet`` for growth's price index): messages name it, not
    ``--sheet``. ``panel`` names the unit column of a panel (ITS's ``--group``):
    an SPSS week 53 beside week 52 is then refused within a unit only.

    Title lines above the header of a CSV or a sheet (``2016–2019年门诊量`` merged over
    the columns, a unit line: :func:`ihms._layout.title_lines`) are an InputError naming
    them, or with ``titles="skip"`` are left out, as ``ihms data import`` leaves them,
    with its note (:func:`ihms._layout.title_note`); the frame's
    ``attrs["title_lines"]`` then counts them, so rows keep the file's numbers. A
    ``.dta``, ``.sav`` or ``.parquet`` file's rows are its observations, numbered from 1
    as Stata and SPSS show them (:func:`ihms._layout.first_row`)."""
    import pandas as pd

    from ihms._decode import read_csv
    from ihms._statfiles import cells_as_text, read_stat_table

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
        raise InputError(
            f"{sheet_flag} {sheet!r}: only an .xlsx workbook has sheets, got {str(path)!r}"
        )
    if encoding is not None and suffix in BINARY_SUFFIXES:
        raise InputError(
            f"--encoding {encoding!r}: only a CSV file is decoded, got {str(path)!r} (a "
            f"{suffix} file holds its own encoding)"
        )
    if suffix == ".xlsx":
        from ihms._sheets import read_sheet

        # cells as Excel holds them: pandas' default parses text again, so a month
        # typed as text "2019.10" became the number 2019.1 (January) and "001" 1
        frame, titled, _ = read_sheet(
            path, sheet=sheet, percent=True, flag=sheet_flag, titles=titles
        )
        for text in frame.attrs.get("notes", ()):
            _note_in_lang(text)
        blank = frame.attrs.get("title_blank", False)
        return _titled(cells_as_text(frame.infer_objects()), titled, path, blank=blank)
    if suffix in BINARY_SUFFIXES:
        from ihms._stat_missing import missing_code_notes

        frame = read_stat_table(path, panel=panel)
        for text in missing_code_notes(str(path), frame):
            _note_in_lang(text)
        return frame
    try:
        frame = read_csv(
            path,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            titles=titles,
            blank_above=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"file {str(path)!r}: cannot be read as CSV ({exc})") from exc
    count, blank = frame.attrs.get("title_lines", 0), frame.attrs.get("title_blank", False)
    return _titled(frame, count, path, blank=blank)


def _titled(frame, count: int, path: Path, *, blank: bool = False):
    """``frame`` with its count of title lines left out (``attrs["title_lines"]``, which
    the row numbers of messages add) and the note saying so."""
    if count:
        from ihms._layout import title_note
        from ihms.cli._common import note
        from ihms.cli._notes import _command_lang

        frame.attrs["title_lines"] = count
        lang = _command_lang()  # the command's --lang: 注：… under zh
        note(title_note(str(path), count, blank=blank, lang=lang), lang)
    return frame


def _note_in_lang(text: str) -> None:
    """A reader's note in the command's ``--lang``: its Chinese under ``zh`` where
    :func:`ihms.data._notes_zh.note_zh` reads it, else as written."""
    from ihms.cli._common import note
    from ihms.cli._notes import _command_lang
    from ihms.data._notes_zh import note_zh

    lang = _command_lang()
    note((note_zh(text) if lang == "zh" else None) or text, lang)
