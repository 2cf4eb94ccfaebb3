"""Where ``ihms indicators compute`` reads from: the store or an exported Parquet folder
(``--store`` / ``--parquet``, ``--engine``), and the delivery-system file (``--system``,
``--population``), each checked before any computing; then the computing itself
(:func:`computed`), and the results' hints in the command's words (:func:`cli_texts`)."""

from __future__ import annotations

from pathlib import Path

from ihms.cli._common import console
from ihms.errors import InputError


def check_source(store: Path | None, parquet: Path | None, engine: str) -> Path:
    """The store or folder to read: one of --store and --parquet; spark reads a folder."""
    from ihms.data.store import DEFAULT_STORE
    from ihms.indicators._parquet import check_engine

    check_engine(engine, option="option '--engine'")
    if store is not None and parquet is not None:
        raise InputError(
            "--store and --parquet: give one, the store or the folder exported from it"
        )
    if parquet is not None:
        return parquet
    if engine == "spark":
        raise InputError(
            "--engine spark reads the Parquet folder of a store (--parquet DIR), not the "
            "DuckDB store: ihms data export --out DIR --format parquet first"
        )
    return store if store is not None else Path(DEFAULT_STORE)


def system_of(path: Path | None, population: str):
    """The system file ``--system`` names, read (before any computing); ``--population``
    checked against it."""
    from ihms.indicators._system_file import check_population

    # the library's check, before the file is read (None stands for a file to come)
    check_population(
        population,
        path,
        option="--population",
        system_option="--system FILE",
    )
    if path is None:
        return None
    from ihms.system import load_system

    return load_system(path)


def county_ids(values: list[str] | None) -> list[str] | None:
    """The county ids of ``--county`` (repeatable, each may be ``c1,c2``), or None when
    not given; an empty one is refused. The data check that each is a county of the
    data (``compute(counties=)``)."""
    if values is None:
        return None
    ids = [part.strip() for value in values for part in value.split(",")]
    if not all(ids):
        raise InputError(f"--county: expected county ids separated by commas, got {values!r}")
    return ids


def computed(
    source: Path,
    folder: bool,
    engine: str,
    indicator,
    level: str,
    period: str,
    system=None,
    population: str = "register",
    counties=None,
    *,
    include_districts: bool = False,
):
    """The indicators of the store, or of the exported folder on ``engine``."""
    from contextlib import ExitStack

    from ihms.cli._store import read_store
    from ihms.indicators import compute as compute_indicators
    from ihms.indicators._parquet import ParquetFolder

    with ExitStack() as stack:
        if folder:
            with console.status(f"starting {engine}" if engine == "spark" else "reading"):
                data = stack.enter_context(ParquetFolder(source, engine=engine))
        else:
            data = stack.enter_context(read_store(source))
        status = stack.enter_context(console.status("computing"))
        try:
            return compute_indicators(
                data,
                indicators=indicator,
                level=level,
                period=period,
                progress=lambda what: status.update(f"computing: {what}"),
                system=system,
                population=population,
                counties=counties,
                include_districts=include_districts,
            )
        except InputError as error:  # the library's parameter, as the command names it
            text = str(error)
            if text.startswith("counties: "):
                raise InputError("--county: " + text.removeprefix("counties: ")) from None
            raise


def cli_texts(results):
    """``results`` with the library's hints in its notes and omission reasons replaced
    by the command's options (``--system FILE``, ``--population grids``)."""
    from dataclasses import replace

    from ihms.indicators._system_file import for_cli

    omitted = tuple(replace(o, reason=for_cli(o.reason)) for o in results.omitted)
    return replace(results, omitted=omitted, notes=tuple(for_cli(n) for n in results.notes))
