"""``ihms indicators``: the catalogue, one definition, and computing it on the store
or on the Parquet folder exported from it (``--parquet``, on DuckDB or Spark).

Everything ``compute`` writes or prints has small cells suppressed (``--min-cell``,
default 5): counts of people or events from 1 to 4 are hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ihms.cli._common import IhmsGroup, console, note, print_json, print_path, writes_every_row
from ihms.cli._indicator_notes import (
    computed_elsewhere,
    file_notes,
    suppression_note,
    units_note,
)
from ihms.cli._indicator_sources import check_source, cli_texts, computed, county_ids, system_of
from ihms.errors import InputError, did_you_mean

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="Indicators: the DHIS2-style catalogue, computed by period and unit.",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@app.command("list")
def list_(json: JsonOpt = False) -> None:
    """Every indicator of the catalogue."""
    import pandas as pd

    from ihms.indicators import CATALOGUE
    from ihms.summary import SummaryTable

    rows = [
        {
            "id": i.id,
            "name": i.name_en,
            "名称": i.name_zh,
            "unit": i.unit,
            "periods": ", ".join(i.periods),
            "levels": ", ".join(i.levels),
            "source": i.seed,
        }
        for i in CATALOGUE
    ]
    if json:
        print_json([i.to_dict() for i in CATALOGUE])
        return
    console.print(
        SummaryTable(pd.DataFrame(rows).set_index("id"), title=f"Indicator catalogue ({len(rows)})")
    )


def current_ids(ids: list[str], *, option: str, doing: str) -> list[str]:
    """``ids`` with a former indicator id (``INDICATOR_ALIASES``) read as the id it now
    has, each with a note on stderr naming it; an id given under both names once."""
    from ihms.payment.indicator_values import INDICATOR_ALIASES

    out: list[str] = []
    for given in ids:
        current = INDICATOR_ALIASES.get(given, given)
        if current != given:
            note(
                f"{option}{given} is the former id of {current}; {doing} {current} (use that "
                "id from now on)"
            )
        if current not in out:
            out.append(current)
    return out


@app.command()
def show(
    indicator: Annotated[str, typer.Argument(help="Indicator id.")], json: JsonOpt = False
) -> None:
    """One indicator's definition."""
    import pandas as pd

    from ihms.indicators import CATALOGUE
    from ihms.summary import SummaryTable

    (indicator,) = current_ids([indicator], option="", doing="showing")
    ind = CATALOGUE[indicator].to_dict()
    if json:
        print_json(ind)
        return
    # `seed` is the catalogue's key (kept in --json); shown as `list` shows it
    frame = pd.DataFrame(
        [
            ("source" if k == "seed" else k, ", ".join(v) if isinstance(v, list) else v)
            for k, v in ind.items()
        ],
        columns=["field", "value"],
    ).set_index("field")
    console.print(SummaryTable(frame, title=f"{ind['id']}: {ind['name_en']} ({ind['name_zh']})"))


_LABELS = {
    "indicator": "Indicator id (ihms indicators show ID)",
    "period_type": "Period type: month or year",
    "period": "Period (YYYY-MM or YYYY)",
    "period_key": "Period as a number (YYYYMM or YYYY)",
    "time": "Time for tsset: Stata monthly date (%tm; missing for yearly rows) or year",
    "year": "Year of the period",
    "level": "Level of disaggregation",
    "unit": "Unit id",
    "unit_name": "Unit name",
    "numerator": "Numerator (count or sum)",
    "denominator": "Denominator",
    "numerator_unit": "fen where the numerator is a sum of money (1 yuan = 100 fen)",
    "denominator_unit": "fen where the denominator is a sum of money (1 yuan = 100 fen)",
    "value": "Value = numerator / denominator x factor, in the indicator's unit",
    "measure_unit": "What the value is measured in (the catalogue's unit)",
    "suppressed": "1 = suppressed: a count, or a share's rest, below --min-cell",
}


def _check_options(level: str, period: str, out: Path | None) -> None:
    """Refuse a level, period or output file the command cannot use."""
    from ihms._statfiles import STAT_FORMATS
    from ihms.indicators.catalogue import LEVELS, PERIODS

    for option, value, allowed in (("--level", level, LEVELS), ("--period", period, PERIODS)):
        if value not in allowed:
            raise InputError(
                f"option '{option}': expected one of {', '.join(allowed)}, got {value!r}"
                + did_you_mean(value, allowed)
            )
    if out is not None and out.suffix.lower() not in STAT_FORMATS:
        raise InputError(
            f"--out {out}: expected a file name ending in {', '.join(STAT_FORMATS)}; "
            f"got {out.suffix or 'no suffix'!r}"
        )
    if out is not None:
        from ihms._atomic import check_folder

        # made when written, after the computing; whether its notes may replace those of
        # r.csv beside r.dta is known only then (the same notes may: write_stat_file)
        check_folder(out, where=f"--out {out}")


def _is_count(indicator) -> bool:
    """A count (no denominator, a whole factor): its value is a whole number."""
    from ihms.indicators.results import shown_decimals

    return shown_decimals(indicator)["value"] == 0


def _counts_only(frame: pd.DataFrame, catalogue) -> bool:
    """Whether every indicator of ``frame`` is a count."""
    ids = frame["indicator"].unique()
    return len(ids) > 0 and all(_is_count(catalogue[i]) for i in ids)


def _whole_counts(frame: pd.DataFrame, suffix: str, catalogue) -> pd.DataFrame:
    """Counts and sums as integer columns, missing kept (nullable ``Int64``): the
    numerator always, the denominator when every one is whole, the value when every
    indicator is a count. An average population's half keeps the denominator a float
    column in Parquet, Stata and SPSS (one type per column); a CSV or workbook then gets
    its whole ones as integers cell by cell."""
    import pandas as pd

    frame = frame.assign(numerator=frame["numerator"].astype("Int64"))
    if _counts_only(frame, catalogue):
        frame = frame.assign(value=frame["value"].round().astype("Int64"))
    elif suffix in (".csv", ".xlsx") and len(frame):
        # a count's 22250 beside a rate's 17.1, not 22250.0: cell by cell
        count = {i: _is_count(catalogue[i]) for i in frame["indicator"].unique()}
        cells = [
            None if pd.isna(v) else round(v) if count[i] else float(v)
            for i, v in zip(frame["indicator"], frame["value"], strict=True)
        ]
        frame = frame.assign(value=pd.Series(cells, index=frame.index, dtype=object))
    den = frame["denominator"].astype("Float64")
    whole = (den.dropna() % 1 == 0).all()
    if whole:
        return frame.assign(denominator=den.astype("Int64"))
    if suffix in (".csv", ".xlsx"):
        # 12 and 12.5, not 12.0 beside 12.5
        cells = [None if pd.isna(v) else int(v) if v % 1 == 0 else float(v) for v in den]
        return frame.assign(denominator=pd.Series(cells, index=frame.index, dtype=object))
    return frame.assign(denominator=den)


def _write(frame: pd.DataFrame, out: Path, *, catalogue=None, notes=()) -> None:
    """The long table; for Stata and SPSS also a ``time`` variable to ``tsset`` on.
    ``catalogue``: the definitions computed (default the catalogue); ``notes``: on a
    sheet ``notes`` of an .xlsx, else in ``FILE-notes.csv`` beside it."""
    import pandas as pd

    from ihms._statfiles import stata_month, write_stat_file
    from ihms.indicators import CATALOGUE

    frame = _whole_counts(frame, out.suffix.lower(), catalogue or CATALOGUE)
    monthly: list[str] = []
    if out.suffix.lower() in (".dta", ".sav") and len(frame):
        frame = frame.copy()
        at = frame.columns.get_loc("period") + 1
        months = frame["period_type"] == "month"
        if months.any():
            # a Stata variable has one format: %tm for the monthly rows; yearly
            # indicators computed beside them get no month, and 'year' serves both
            frame.insert(
                at,
                "time",
                [
                    stata_month(p) if m else pd.NaT
                    for p, m in zip(frame["period"], months, strict=True)
                ],
            )
            frame.insert(at + 1, "year", frame["period"].str[:4].astype("int64"))
            monthly = ["time"]
        else:
            frame.insert(at, "time", frame["period_key"].astype("int64"))
    write_stat_file(
        frame,
        out,
        variable_labels=_LABELS,
        monthly=monthly,
        label="ihms indicators",
        option="--out",
        notes=notes,
    )


def _json_rows(frame: pd.DataFrame, omitted, catalogue) -> list[dict]:
    """The rows, each with ``omitted`` null, then one row per indicator left out: its
    id, measure unit and the reason in ``omitted``, every other key null."""
    from ihms.cli._common import to_jsonable

    rows = to_jsonable(frame.assign(omitted=None))
    counts = {i for i in frame["indicator"].unique() if _is_count(catalogue[i])}
    for row in rows:
        # money is integer fen in --json (the payment commands' _fen keys): the frame's
        # float denominator (it can hold an average population's half) is whole for
        # every sum of money and every count, exact below 2^53
        if isinstance(row["denominator"], float) and row["denominator"].is_integer():
            row["denominator"] = int(row["denominator"])
        # a count's value is the count (times a whole factor): 3, not 3.0
        if isinstance(row["value"], float) and row["indicator"] in counts:
            row["value"] = int(row["value"])
    for o in omitted:
        blank = dict.fromkeys(frame.columns)
        unit = catalogue[o.indicator].unit
        rows.append({**blank, "indicator": o.indicator, "measure_unit": unit, "omitted": o.reason})
    return rows


def _note_suppressed(frame: pd.DataFrame, min_cell: int) -> None:
    """Say on stderr how many cells were suppressed: their value is empty in the file,
    which a user would otherwise read as a month without data."""
    n = int(frame["suppressed"].sum()) if len(frame) else 0
    if n:
        note(
            f"{n:,} cell(s) with counts from 1 to {min_cell - 1} suppressed, or with a "
            "share's rest (denominator - numerator) that small and the shares paired with "
            "it (secondary suppression): value, "
            "numerator and denominator left empty, suppressed = True; --min-cell 1 keeps "
            "them for an analysis inside the bureau"
        )


@app.command()
@writes_every_row("--out FILE")
def compute(
    store: Annotated[
        Path | None,
        typer.Option("--store", help="The project's DuckDB store (default ihms.duckdb)."),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            help="Instead of a store: the folder `ihms data export --format parquet` wrote.",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="duckdb, or spark (ihms\\[spark] and Java 17+; reads --parquet).",
        ),
    ] = "duckdb",
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", "-i", help="Indicator id (repeatable; default: all)."),
    ] = None,
    level: Annotated[
        str,
        typer.Option(
            "--level",
            help="total, province, city, county, grid, consortium, tier or institution.",
        ),
    ] = "county",
    county: Annotated[
        list[str] | None,
        typer.Option(
            "--county",
            help="Count only these counties' institutions and residents (id; repeatable "
            "or c1,c2; study: the study counties). The province is then their sum "
            "(their districts with --include-districts).",
        ),
    ] = None,
    include_districts: Annotated[
        bool,
        typer.Option(
            "--include-districts",
            help="With --level province: sum the districts (市辖区) with the counties (县).",
        ),
    ] = False,
    period: Annotated[str, typer.Option("--period", help="month or year.")] = "year",
    unit: Annotated[str | None, typer.Option("--unit", help="Show one unit only (id).")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the table (.csv, .parquet, .xlsx; .dta for Stata, .sav for SPSS)."
        ),
    ] = None,
    min_cell: Annotated[
        int,
        typer.Option(
            "--min-cell", min=1, help="Suppress counts below this (1 = suppress nothing)."
        ),
    ] = 5,
    system: Annotated[
        Path | None,
        typer.Option(
            "--system",
            help="The delivery-system file the data belong to: off-pathway referrals, and "
            "the register checked against its grid populations.",
        ),
    ] = None,
    population: Annotated[
        str,
        typer.Option(
            "--population",
            help="Per-resident rates over the residents register, or grids (--system's).",
        ),
    ] = "register",
    json: JsonOpt = False,
) -> None:
    """Compute indicators from the store, with small cells suppressed.

    With --parquet, from the Parquet folder of `ihms data export` instead (its
    dataset.json gives the period), on DuckDB or, with --engine spark, on PySpark.

    An indicator whose records are missing (an empty follow-ups table, say) is left out
    and the notes say why; one named with --indicator is an error.
    """
    from ihms.indicators.results import empty_period_notes, omission_notes, row_decimals
    from ihms.summary import SummaryTable

    if indicator is not None:
        indicator = current_ids(indicator, option="--indicator ", doing="computed as")
    _check_options(level, period, out)  # before computing, which takes minutes on a county
    source = check_source(store, parquet, engine)
    kept = county_ids(county)
    if include_districts and level != "province":
        raise InputError(
            f"--include-districts applies to --level province (a city holds its districts), "
            f"got --level {level}"
        )
    results = computed(
        source,
        parquet is not None,
        engine,
        indicator,
        level,
        period,
        system_of(system, population),
        population,
        kept,
        include_districts=include_districts,
    )
    results = cli_texts(results)
    named = [o for o in results.omitted if o.indicator in set(indicator or ())]
    if named:
        from ihms.indicators._system_file import (
            NO_PATHWAY,
            PATHWAY_REASON,
            REGISTER_ONLY,
            for_cli,
        )

        # a table without records wants the records; the pathway wants the system file;
        # no unit with records at the level (a consortium before its start year, say)
        # wants another level
        pathway = [o.reason == for_cli(NO_PATHWAY) for o in named]
        register = [o.reason == for_cli(REGISTER_ONLY) for o in named]
        fixes = [
            fix
            for fix, needed in (
                ("import the records", any(o.tables for o in named)),
                ("give --system FILE", any(pathway)),
                ("use --population register", any(register)),
                (
                    "ask for another --level",
                    any(
                        not o.tables and not p and not r
                        for o, p, r in zip(named, pathway, register, strict=True)
                    ),
                ),
            )
            if needed
        ]
        raise InputError(
            f"--indicator: cannot compute from {source}: "
            + "; ".join(
                f"{o.indicator} ({PATHWAY_REASON if p else o.reason})"
                for o, p in zip(named, pathway, strict=True)
            )
            + f" — {', '.join(fixes)} or leave the indicator out"
        )
    for text in empty_period_notes(results):
        note(text)  # a month without encounters is the extract's gap, not one without care
    results = results.suppress(min_cell)
    frame = results.to_frame()
    if unit is not None:
        units = frame["unit"].dropna().unique()
        frame = frame[frame["unit"] == unit]
        if frame.empty and len(units):
            raise InputError(
                f"--unit: no rows for unit {unit!r} at level {level!r}"
                + did_you_mean(unit, units, similar=False)
            )
    if out is not None or json:  # the console table says it in its notes
        _note_suppressed(frame, min_cell)
    if out is not None:
        notes = file_notes(results, frame, level, period, min_cell, population)
        _write(frame, out, catalogue=results.catalogue, notes=notes)
        print_path(f"Wrote {len(frame):,} rows to", out)
        if not json:  # the JSON carries them
            for text in omission_notes(results.omitted):
                console.print(text)
    if json:
        print_json(_json_rows(frame, results.omitted, results.catalogue))
        return
    if out is None:
        # 'unit' is the level's unit (a county, a tier ...), not what the value is measured
        # in; the value before its parts, so that a table split at the console's width
        # shows it in the first block
        elsewhere = computed_elsewhere(frame, level, period)
        shown = frame[
            ["indicator", "period", "unit", "value", "numerator", "denominator", "suppressed"]
        ]
        if not (frame["level"] != level).any():
            shown = shown.rename(columns={"unit": level})  # every row is at the level asked
        notes = (
            units_note(results.catalogue, shown["indicator"].unique()),
            *elsewhere,
            suppression_note(min_cell),
            *omission_notes(results.omitted),
        )
        console.print(
            SummaryTable(
                shown.set_index("indicator"),
                title=f"Indicators by {level} and {period}",
                notes=notes,
                digits=2,
                # one format per indicator: a count's 250 printed 250.00 beside a rate
                row_decimals=row_decimals(shown, results.catalogue),
                formats={"suppressed": lambda v: "yes" if v else "no"},
                fold_to_save_blocks=True,  # 2 blocks at 80 columns, not 4: the id repeats in each
            )
        )
