"""``ihms data check DIR --engine duckdb|spark``: a Parquet folder checked where it lies,
by queries of the engine (the checks ``ihms indicators compute --parquet`` runs before
computing), so a province's records need not be read into one process's memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ihms.cli._common import console, json_error, print_json
from ihms.cli._data_check_json import checked
from ihms.errors import DataError, InputError

#: What the engine's checks leave to ``ihms data check`` without ``--engine`` (which
#: reads the tables into memory): :mod:`ihms.indicators._parquet_checks`.
NOT_CHECKED = (
    "institutions' active years, records within their resident's presence, claims "
    "summed against their encounter, and the structural tables' consistency"
)

#: The defaults of the options ``data check`` reads tables with (others: None or empty).
_DEFAULTS = {"format": "auto", "currency_rate": "1"}


def check_on_engine(source: Path, engine: str, *, json: bool, reading: dict[str, Any]) -> None:
    """Check the Parquet folder ``source`` on ``engine`` and print the outcome as ``data
    check`` does (``--json``: its keys, with ``engine``); exit code 2 on problems, each
    naming Parquet file, row and column. ``reading``: the options for reading tables
    (by parameter name), refused when given: the folder is checked as it stands."""
    import typer

    try:
        _refuse_reading_options(reading)
        outcome = _checked(source, engine)
    except InputError as exc:
        if not json:
            raise
        failed = json_error(exc)
        print_json(checked(error=failed["error"], problems=failed["problems"]) | _tail(engine))
        raise typer.Exit(code=2) from None
    if json:
        print_json(outcome)
        return
    import pandas as pd

    from ihms.summary import SummaryTable

    frame = pd.DataFrame({"rows": outcome["rows"]}).rename_axis("table")
    title = f"{source}: no problems found on {engine}"
    console.print(SummaryTable(frame, title=title, notes=(f"Period {outcome['period']}.",)))
    for note in outcome["notes"]:
        console.print(f"[yellow]note:[/yellow] {note}.", highlight=False)


def _tail(engine: str) -> dict:
    return {"column_map": None, "engine": engine}


def _refuse_reading_options(reading: dict[str, Any]) -> None:
    named = [
        "--" + name.replace("_", "-")
        for name, value in reading.items()
        if value != _DEFAULTS.get(name) and value not in (None, [], ())
    ]
    if named:
        raise InputError(
            "--engine checks a Parquet folder as it stands, its dataset.json giving the "
            f"period: drop {', '.join(named)} (or drop --engine to read and check the "
            "tables in memory)"
        )


def _checked(source: Path, engine: str) -> dict:
    """The outcome of the engine's checks, as ``data check --json`` gives it."""
    from ihms.indicators._parquet import ParquetFolder, check_engine

    check_engine(engine, option="option '--engine'")
    try:
        with console.status(f"checking {source} on {engine}"):
            folder = ParquetFolder(source, engine=engine)
    except DataError as exc:
        # ParquetFolder's summary speaks of computing; here nothing was to be computed
        raise DataError(
            f"{source}: {len(exc.problems):,} problem(s) found on {engine} "
            "(the rules `ihms data import` checks, on the values as they stand: no name "
            "or code read)",
            exc.problems,
        ) from None
    with folder:
        rows = {name: int(folder.table(name).count().execute()) for name in folder.held}
        return {
            **checked(),
            "period": str(folder.period),
            "rows": rows,
            "notes": [f"checked on {engine}; not checked here: {NOT_CHECKED}"],
        } | _tail(engine)
