"""``ihms data``: import (validated, pseudonymised), check, export, and the schema.

Imports read a folder with one file per table (``encounters.csv``, ``residents.parquet``,
...) or Synthea's CSV output, check everything, replace resident and record ids by keyed
pseudonyms and write the store (``ihms.duckdb``) in one transaction: an import with any
problem changes nothing. A store that already holds data is refused (before the tables
are read) unless ``--replace`` is given; the output then says what was replaced. The pseudonymisation key comes from ``--key-file`` or the
``IHMS_PSEUDONYM_KEY`` environment variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ihms.cli._common import (
    FolderEncodingOpt,
    FolderSheetOpt,
    IhmsGroup,
    console,
    json_error,
    print_json,
    print_path,
)

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    from ihms.summary import SummaryTable

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Data tables: import CSV / Parquet / .xlsx / Stata .dta / SPSS .sav / Synthea "
    "(validated, pseudonymised), check, export.",
)

SourceArg = Annotated[Path, typer.Argument(help="Folder of table files, or Synthea CSV output.")]
StoreOpt = Annotated[Path, typer.Option("--store", help="The project's DuckDB store.")]
SystemOpt = Annotated[
    Path | None,
    typer.Option(
        "--system",
        help="Delivery-system YAML giving the structural tables the folder lacks (those it "
        "has must list the same ids).",
    ),
]
_PERIOD_HELP = (
    " Default: the period in the folder's dataset.json (ihms sim run writes one), else "
    "the system file's."
)
StartOpt = Annotated[
    str | None,
    typer.Option("--start", help="First day (YYYY-MM-DD, YYYY-MM or YYYY)." + _PERIOD_HELP),
]
EndOpt = Annotated[
    str | None,
    typer.Option("--end", help="Last day (YYYY-MM-DD, YYYY-MM or YYYY)." + _PERIOD_HELP),
]
FormatOpt = Annotated[str, typer.Option("--format", help="auto, tables or synthea.")]
TierRuleOpt = Annotated[
    Path | None,
    typer.Option("--tier-rule", help="Synthea: YAML rule giving organisations their tier."),
]
RateOpt = Annotated[
    str,
    typer.Option(
        "--currency-rate", help="Synthea: yuan per Synthea currency unit (exact decimal)."
    ),
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        help="Column map: the files' own column names read as the schema's, per table "
        "(YAML 'encounters: {就诊日期: date, 总费用: total_cost_yuan}', or a CSV "
        "table,source,target); ~ leaves a column out; checked before the tables are "
        "read, its digest stored.",
    ),
]
RenameOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--rename",
        metavar="TABLE.SOURCE=TARGET",
        help="One column read as the schema's (repeatable; replaces the --columns entries "
        "for SOURCE and TARGET; TABLE.SOURCE= leaves the column out).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ReplaceOpt = Annotated[
    bool,
    typer.Option(
        "--replace", help="Replace the data set the store holds (else such a store is refused)."
    ),
]


def _period(start: str | None, end: str | None):
    """The period --start and --end give (None: neither given)."""
    from ihms.data import Period
    from ihms.data.dataset import parse_day
    from ihms.errors import InputError

    # a bad date is named first: "go together" would hide that --start 2022-13 is no month
    days = [
        parse_day(value, first=option == "--start", name=option)
        for option, value in (("--start", start), ("--end", end))
        if value is not None
    ]
    if len(days) == 1:
        raise InputError("--start and --end go together: give both, or neither")
    if days and days[0] > days[1]:
        raise InputError(
            f"--start {start} ({days[0]}) is after --end {end} ({days[1]}): give the first "
            "day first"
        )
    return Period(*days) if days else None


def _column_map(columns: Path | None, rename: list[str] | None):
    """The column map ``--columns`` and ``--rename`` give (None: neither), checked."""
    if columns is None and not rename:
        return None
    from ihms.data import read_column_map

    return read_column_map(columns, renames=rename or ())


def _read(source, system, period, format, tier_rule, currency_rate, encoding, sheet, column_map):
    """The folder read and checked as the options say (``period``: --start, --end)."""
    from ihms.data import read_tables

    sys_obj = None
    if system is not None:
        from ihms.system import load_system

        sys_obj = load_system(system)
    period = _period(*period)
    options = {"currency_rate": currency_rate}
    if tier_rule is not None:
        from ihms.data.adapters import TierRule

        options["tier_rule"] = TierRule.from_yaml(tier_rule)
    return read_tables(
        source,
        system=sys_obj,
        period=period,
        format=format,
        synthea_options=options,
        encoding=encoding,
        sheet=sheet,
        columns=column_map,
    )


def _counts(dataset, title: str) -> SummaryTable:
    import pandas as pd

    from ihms.summary import SummaryTable

    frame = pd.DataFrame({"rows": dataset.row_counts()}).rename_axis("table")
    notes = (f"Period {dataset.period}; {_ids(dataset)}.",)
    return SummaryTable(frame, title=title, notes=notes)


def _ids(dataset) -> str:
    """The data set's ids in words."""
    if dataset.id_scheme == "raw":
        return "ids as the source system gives them (an import pseudonymises them with the key)"
    if dataset.producer:
        return f"ids {dataset.id_scheme} (made by {dataset.producer}: kept as they are)"
    from ihms.data.io import folder_id_scheme

    source = Path(dataset.source)
    if source.is_dir() and folder_id_scheme(source) is not None:
        return f"ids {dataset.id_scheme} (an ihms export: kept as they are)"
    return f"ids {dataset.id_scheme}"


def _notes(dataset) -> list[str]:
    """What the reading did (Chinese names read as codes, empty rows left out), then each
    gap that leaves indicators missing or 0."""
    from ihms.data import dataset_notes

    return dataset_notes(dataset)


def _held(store: Path, replace: bool) -> str | None:
    """What ``store`` holds (None: nothing); refused unless ``replace``."""
    from ihms.data import Store
    from ihms.errors import InputError

    if not store.exists():
        return None
    with Store(store, read_only=True) as s:
        held = s.contents()
    if held is not None and not replace:
        raise InputError(
            f"--store {store}: already holds {held}; pass --replace to replace it, or give "
            "another --store"
        )
    return held


def _write(dataset, store: Path, replace: bool) -> None:
    from ihms.data import Store

    store.parent.mkdir(parents=True, exist_ok=True)  # as --ledger / --plot elsewhere
    with Store(store) as s, console.status(f"writing {store}"):
        s.write(dataset, replace=replace)


def _print_counts(dataset, title: str) -> None:
    """The rows per table, then the notes (:func:`_notes`) and the column map used."""
    console.print(_counts(dataset, title))
    for note in _notes(dataset):
        console.print(f"[yellow]note:[/yellow] {note}.", highlight=False)
    if dataset.column_map:
        console.print(f"Column map: {dataset.column_map}.", highlight=False, soft_wrap=True)


@app.command("import")
def import_(
    source: SourceArg,
    store: StoreOpt = Path("ihms.duckdb"),
    system: SystemOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    format: FormatOpt = "auto",
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Pseudonymisation key file (else $IHMS_PSEUDONYM_KEY)."),
    ] = None,
    tier_rule: TierRuleOpt = None,
    currency_rate: RateOpt = "1",
    encoding: FolderEncodingOpt = None,
    sheet: FolderSheetOpt = None,
    columns: ColumnsOpt = None,
    rename: RenameOpt = None,
    replace: ReplaceOpt = False,
    json: JsonOpt = False,
) -> None:
    """Validate, pseudonymise and store a folder of tables (all or nothing).

    A folder written by ``ihms data export`` keeps its ids (its dataset.json says they
    are already pseudonymised or synthetic) and needs no key. A source system's own
    column names are read through ``--columns MAP`` (and ``--rename``), the map's digest
    stored with the data."""
    from ihms.data import Pseudonymiser
    from ihms.data.io import folder_id_scheme, keep_or_pseudonymise

    column_map = _column_map(columns, rename)  # a bad map: nothing read, nothing written
    replaced = _held(store, replace)  # refused before minutes of reading the tables
    exported = source.is_dir() and folder_id_scheme(source) is not None
    # a folder `ihms data export` wrote keeps its ids and needs no key
    pseudonymiser = None if exported else Pseudonymiser.from_env(key_file=key_file)
    with console.status("reading and checking the tables"):
        raw = _read(
            source,
            system,
            (start, end),
            format,
            tier_rule,
            currency_rate,
            encoding,
            sheet,
            column_map,
        )
        dataset = keep_or_pseudonymise(raw, source, pseudonymiser)
    _write(dataset, store, replace)
    if json:
        print_json(
            {
                "store": str(store),
                "period": str(dataset.period),
                "rows": dataset.row_counts(),
                "replaced": replaced,
                "notes": _notes(dataset),
                "column_map": dataset.column_map,
            }
        )
        return
    _print_counts(dataset, f"Imported into {store}")
    if replaced is not None:
        console.print(f"Replaced what {store} held before: {replaced}.", soft_wrap=True)


@app.command()
def check(
    source: SourceArg,
    system: SystemOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    format: FormatOpt = "auto",
    tier_rule: TierRuleOpt = None,
    currency_rate: RateOpt = "1",
    encoding: FolderEncodingOpt = None,
    sheet: FolderSheetOpt = None,
    columns: ColumnsOpt = None,
    rename: RenameOpt = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="duckdb or spark: check a Parquet folder (dataset.json and <table>.parquet) "
            "by queries of the engine, not in memory; fewer checks (see the notes).",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Check a folder of tables without storing anything (exit code 2 on problems).

    With ``--json`` the outcome is one JSON object either way: ``ok``, ``error`` (the
    problems' summary, or null), ``problems`` (each naming file, row and column),
    ``problem_details`` (each problem as ``file``, ``row``, ``column``, ``value``,
    ``expected`` and ``message``, null where the check does not know one), ``period``
    (on problems: the one given or the folder's dataset.json, else null), ``rows``,
    ``notes`` and ``column_map`` (the map used: null and empty when the tables could
    not be read). ``--engine`` checks a Parquet folder by queries of
    DuckDB or Spark instead of reading it into memory, and adds ``engine``."""
    from ihms.cli._data_check_json import checked, period_meant
    from ihms.errors import InputError

    try:
        if engine is not None:  # the folder's files, by queries of the engine
            from ihms.cli._data_engine_check import check_on_engine

            reading = dict(system=system, start=start, end=end, format=format)
            reading.update(tier_rule=tier_rule, currency_rate=currency_rate, encoding=encoding)
            reading.update(sheet=sheet, columns=columns, rename=rename)
            return check_on_engine(source, engine, json=json, reading=reading)
        column_map = _column_map(columns, rename)
        with console.status("checking the tables"):
            dataset = _read(
                source,
                system,
                (start, end),
                format,
                tier_rule,
                currency_rate,
                encoding,
                sheet,
                column_map,
            )
    except InputError as exc:
        if not json:
            raise
        failed = json_error(exc)
        period = period_meant(source, _period, start, end)
        print_json(checked(error=failed["error"], problems=failed["problems"], period=period))
        raise typer.Exit(code=2) from None
    if json:
        print_json(checked(dataset=dataset))
        return
    _print_counts(dataset, f"{source}: no problems found")


@app.command()
def generate(
    system: Annotated[
        Path, typer.Option("--system", help="Delivery-system YAML: the county to populate.")
    ],
    store: StoreOpt = Path("ihms.duckdb"),
    scale: Annotated[
        float,
        typer.Option(
            "--scale",
            min=0.0001,
            max=1.0,
            help="Residents in the data per inhabitant of the grids (0.05: one in twenty).",
        ),
    ] = 0.05,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random generator.")] = 1,
    start: Annotated[
        str | None, typer.Option("--start", help="First day. Default: the system file's period.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="Last day. Default: the system file's period.")
    ] = None,
    replace: ReplaceOpt = False,
    json: JsonOpt = False,
) -> None:
    """Store a synthetic data set for a county (made-up residents and records, synthetic ids).

    Encounters, follow-ups, referrals, the register and resources at plausible rates,
    sized by the county file's grids times --scale; for trying commands and teaching,
    not for conclusions about the county."""
    from ihms.data.synthetic import synthetic_dataset
    from ihms.errors import InputError
    from ihms.system import load_system

    period = _period(start, end)
    sys_obj = load_system(system)
    if period is None and sys_obj.period is None:
        raise InputError(f"{system}: the file gives no period; give --start and --end")
    _held(store, replace)
    with console.status("generating"):
        dataset = synthetic_dataset(sys_obj, seed=seed, scale=scale, period=period)
    _write(dataset, store, replace)
    if json:
        print_json(
            {
                "store": str(store),
                "period": str(dataset.period),
                "seed": seed,
                "scale": scale,
                "rows": dataset.row_counts(),
            }
        )
        return
    _print_counts(
        dataset, f"Synthetic data ({system.name}, scale {scale:g}, seed {seed}) in {store}"
    )


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables to.")],
    store: StoreOpt = Path("ihms.duckdb"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    table: Annotated[
        list[str] | None, typer.Option("--table", help="Table to export (repeatable).")
    ] = None,
) -> None:
    """Export the store's tables (pseudonymised or synthetic ids only)."""
    from ihms.cli._store import read_store

    with read_store(store) as s:
        written = s.export(out, format=format, tables=table)
    print_path(f"Wrote {len(written)} files to", out)


@app.command()
def schema(
    json: JsonOpt = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the data dictionary as Markdown.")
    ] = False,
) -> None:
    """The table schemas (the data dictionary)."""
    import pandas as pd

    from ihms.data import SCHEMA_VERSION, SCHEMAS, schema_markdown
    from ihms.summary import SummaryTable

    if markdown:
        typer.echo(schema_markdown())
        return
    if json:
        print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "tables": {
                    name: {
                        "description": t.description,
                        "primary_key": list(t.primary_key),
                        "columns": [
                            {
                                "name": c.name,
                                "type": c.dtype,
                                "required": c.required,
                                "unit": c.unit,
                                "allowed": list(c.allowed) if c.allowed else None,
                                "min": c.min,
                                "max": c.max,
                                "references": c.references,
                                "description": c.description,
                            }
                            for c in t.columns
                        ],
                    }
                    for name, t in SCHEMAS.items()
                },
            }
        )
        return
    rows = [
        {"table": name, "column": c.name, "type": c.dtype, "required": c.required, "unit": c.unit}
        for name, t in SCHEMAS.items()
        for c in t.columns
    ]
    console.print(
        SummaryTable(
            pd.DataFrame(rows).set_index("table"), title=f"ihms data schema {SCHEMA_VERSION}"
        )
    )
