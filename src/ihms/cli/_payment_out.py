"""``--out FILE`` of the ``ihms payment`` commands: the tables a command prints, written
whole or not at all (beside their places, then renamed, :mod:`ihms._atomic`).

An ``.xlsx`` holds one sheet per table laid out as ``ihms policy tables`` lays out its
workbook (:func:`ihms.table_files.write_tables_xlsx`: title, header, rows, notes below),
every note included (a file has no stderr); yuan are number cells from the tables'
exact Decimals, shown to the fen. A ``.csv`` holds a table's rows alone (UTF-8 with BOM, for
Excel; yuan written from the Decimals, so they read back exactly): the first table in
FILE, each other beside it as ``FILE-<table>.csv``, as the report names its
``<section>-<table>.csv``, and every table's notes in ``FILE-notes.csv`` (columns
``table`` and ``note``, in Chinese 表 and 注 with the tables' Chinese names;
:func:`ihms._statfiles.notes_beside` as ``indicators compute --out`` names it), so a settlement handed on as CSV keeps its caveats; the set is written
whole or not at all — a file of it that cannot be replaced (open in Excel) puts the
others back, and the error names it — and a later run's set replaces an earlier one's
(:func:`ihms._atomic.staged_set`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ihms._words import YES_NO_ZH, check_lang
from ihms.errors import InputError

if TYPE_CHECKING:  # pandas loads when a table is written, not when the CLI starts
    import pandas as pd

    from ihms.summary import SummaryTable

__all__ = [
    "OutOpt",
    "check_lang",
    "check_out",
    "exact_yuan_table",
    "in_lang",
    "payment_note",
    "say_written",
    "working_table",
    "write_payment_tables",
]

OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Also write the tables: .xlsx (a sheet per table with its title and notes, "
        "yuan as numbers to the fen) or .csv (the first table in FILE, each other in "
        "FILE-<table>.csv, the notes in FILE-notes.csv).",
    ),
]


def _where(out: Path) -> str:
    return f"option '--out': {out}"


def check_out(out: Path | None) -> None:
    """Refuse an ``--out`` the commands cannot write, before any work: a suffix other
    than ``.csv`` or ``.xlsx`` (as ``ihms its batch --out``), a folder that cannot be
    made, or a folder standing where the file would go."""
    from ihms.cli._common import check_table_path

    if out is None:
        return
    check_table_path(out, option="option '--out'", create=True)
    if out.is_dir():
        raise InputError(f"{_where(out)}: is a folder; expected a .xlsx or .csv file name")


def in_lang(table: SummaryTable, lang: str) -> SummaryTable:
    """``table`` in ``lang`` (:func:`ihms.payment._words_zh.in_lang`; English as it is)."""
    from ihms.payment._words_zh import in_lang as said

    return said(table, lang)


def payment_note(text: str, lang: str) -> None:
    """Print one of the library's English notes as a ``--lang`` note: said in Chinese
    (:func:`ihms.payment._words_zh.said_note`) under ``注：`` for ``zh``, as it is
    otherwise."""
    from ihms.cli._common import note
    from ihms.payment._words_zh import said_note

    note(said_note(text) if lang == "zh" else text, lang)


def write_payment_tables(
    out: Path,
    tables: Sequence[tuple[str, SummaryTable]],
    lang: str = "en",
    *,
    then: Callable[[], object] | None = None,
    then_did: str = "",
) -> list[Path]:
    """Write ``tables`` (``(name, table)``, the name a sheet's or a CSV's) to ``out``
    (module docstring), in ``lang`` (an .xlsx's sheets too, 结余分配（2018年）; the CSV
    files' names stay English); returns the files written.

    ``then`` (posting a settlement to a ledger) runs once the files are written beside
    their places and before they are renamed in, so a folder standing where one goes
    refuses the command before it runs; should a rename fail after it (a file opened
    meanwhile), the error adds ``then_did``, what it changed."""
    from ihms._atomic import NotPlaced, make_folder

    tables = [(name, in_lang(table, lang)) for name, table in tables]
    if lang == "zh":
        tables = [(name, _flags_said(table)) for name, table in tables]
    make_folder(out, where=_where(out))
    try:
        return _write_tables(out, tables, then or (lambda: None), lang)
    except NotPlaced as exc:  # a file of the set open elsewhere: the set is as it was
        said = exc.said
        if then is not None and not exc.before:
            said = f"{said}, but {then_did}"
        raise InputError(
            f"{_where(out)}: {exc.failed} cannot be replaced ({exc.reason}); {said}"
        ) from None


def _flags_said(table: SummaryTable) -> SummaryTable:
    """``table`` with its yes/no cells (考核合格, 预计超支) as 是/否, as the console shows
    them, not Python's True/False; a missing cell in such a column (no assessment made)
    left blank."""
    from dataclasses import replace

    import numpy as np
    import pandas as pd

    def flag(v: object) -> bool:
        return isinstance(v, bool | np.bool_)

    frame = table.frame.copy()
    for column in frame.columns:
        cells = frame[column]
        if any(map(flag, cells)) and all(flag(v) or pd.isna(v) for v in cells):
            said = [YES_NO_ZH[bool(v)] if flag(v) else "" for v in cells]
            frame[column] = pd.Series(said, index=frame.index, dtype=object)
    return replace(table, frame=frame)


def _table_name(name: str) -> str:
    """A table's name (``distribution``, ``assessment_2018``) in Chinese, for the notes
    file beside Chinese tables; one not known as it is."""
    from ihms.payment._words_zh_books import TABLE_NAMES

    base, _, year = name.rpartition("_")
    if base in TABLE_NAMES and year.isdigit():
        return f"{TABLE_NAMES[base]}（{year}年）"
    return TABLE_NAMES.get(name, name)


def _write_tables(
    out: Path,
    tables: Sequence[tuple[str, SummaryTable]],
    then: Callable[[], object],
    lang: str = "en",
) -> list[Path]:
    from ihms._atomic import staged, staged_set
    from ihms._statfiles import notes_beside, notes_frame
    from ihms.table_files import write_tables_xlsx

    if out.suffix.lower() == ".xlsx":  # its sheets named in lang; the CSV files' stay English
        sheets = [(_table_name(n) if lang == "zh" else n, t) for n, t in tables]
        with staged(out) as (tmp,):
            write_tables_xlsx(sheets, tmp)
            then()
        return [out]
    paths = [out, *(out.with_name(f"{out.stem}-{name}{out.suffix}") for name, _ in tables[1:])]
    # a CSV holds rows alone: the notes (rules, caveats) go beside them, in the same set
    noted = [(name, text) for name, table in tables for text in table.notes]
    if noted:
        paths.append(notes_beside(out))
    with staged_set(out.parent, [p.name for p in paths], record=f"payment-{out.stem}") as temps:
        for (_, table), tmp in zip(tables, temps, strict=False):
            table.to_frame().to_csv(tmp, index=table.show_index, encoding="utf-8-sig")
        if noted:
            names, texts = zip(*noted, strict=True)
            notes = notes_frame(texts, tables=names)
            if lang == "zh":  # beside Chinese tables: 表, 注 and the tables' Chinese names
                notes = notes.assign(table=notes["table"].map(_table_name))
                notes = notes.rename(columns={"table": "表", "note": "注"})
            notes.to_csv(temps[-1], index=False, encoding="utf-8-sig")
        then()
    return paths


def say_written(paths: list[Path], json: bool, lang: str = "en") -> None:
    """Say where ``--out`` wrote the tables: on stdout (in ``lang``: ``"zh"`` says it in
    :mod:`ihms._words`' words, 已写入), or on stderr beside ``--json`` (whose stdout is
    the JSON alone)."""
    from ihms._words import said as said_in
    from ihms.cli._common import note, print_path

    said = ", ".join(map(str, paths))
    if json:
        note(f"tables written to {said}")
    else:
        print_path(said_in(lang, "tables written to"), said)


def exact_yuan_table(frame: pd.DataFrame, *, title: str, notes: Sequence[str]) -> SummaryTable:
    """A table of ``frame`` (rows of ``--json``'s figures) with each ``*_fen`` column as
    ``*_yuan`` in exact Decimal yuan, a missing amount left empty: for a file, the
    figures a table printed in million yuan (rounded for display) to the fen."""
    import pandas as pd

    from ihms.payment import fen_to_yuan
    from ihms.summary import SummaryTable

    out = frame.copy()
    for name in frame.columns:
        if str(name).endswith("_fen"):
            yuan = [None if pd.isna(v) else fen_to_yuan(int(v)) for v in frame[name]]
            out[name] = pd.Series(yuan, index=frame.index, dtype=object)
            out = out.rename(columns={name: str(name).removesuffix("_fen") + "_yuan"})
    return SummaryTable(out, title=title, notes=tuple(notes), show_index=False)


def working_table(table: SummaryTable, steps: Sequence) -> SummaryTable:
    """A working's table (:meth:`~ihms.payment.SettlementRecord.audit_trail`, a budget's
    ``summary``) with each step's money beside its text result, as a number: ``amount
    (yuan)``, exact from the step's fen, empty for a count or a rate."""
    from dataclasses import replace

    import pandas as pd

    from ihms.payment import fen_to_yuan

    frame = table.frame.copy()
    amounts = [None if s.amount_fen is None else fen_to_yuan(s.amount_fen) for s in steps]
    frame["amount (yuan)"] = pd.Series(amounts, index=frame.index, dtype=object)
    said = "amount (yuan): the result's money as a number, exact to the fen."
    return replace(table, frame=frame, notes=(*table.notes, said))
