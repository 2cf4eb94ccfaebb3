"""``ihms indicators``: the catalogue, one definition, and computing it on the store
or on the Parquet folder exported from it (``--parquet``, on DuckDB or Spark).

Everything ``compute`` writes or prints has small cells suppressed (``--min-cell``,
default 5): counts of people or events from 1 to 4 are hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ihms._words import check_lang, said
from ihms.cli._common import (
    IhmsGroup,
    console,
    lang_option,
    note,
    print_json,
    print_path,
    writes_every_row,
)
from ihms.cli._indicator_notes import (
    computed_elsewhere,
    file_notes,
    omitted_notes,
    suppression_note,
    units_note,
)
from ihms.cli._indicator_out import _json_rows, _write
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
LangOpt = lang_option("The tables' titles, headers, indicator names, units and notes")


@app.command("list")
def list_(json: JsonOpt = False, lang: LangOpt = "en") -> None:
    """Every indicator of the catalogue."""
    import pandas as pd

    from ihms.indicators import CATALOGUE
    from ihms.summary import SummaryTable

    check_lang(lang)
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
    table = SummaryTable(
        pd.DataFrame(rows).set_index("id"), title=f"Indicator catalogue ({len(rows)})"
    )
    if lang == "zh":
        from ihms.cli._indicator_zh import catalogue_zh

        table = catalogue_zh(table)
    console.print(table)


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
    indicator: Annotated[str, typer.Argument(help="Indicator id.")],
    json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """One indicator's definition."""
    import pandas as pd

    from ihms.indicators import CATALOGUE
    from ihms.summary import SummaryTable

    check_lang(lang)
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
    table = SummaryTable(frame, title=f"{ind['id']}: {ind['name_en']} ({ind['name_zh']})")
    if lang == "zh":
        from ihms.cli._indicator_zh import definition_zh

        table = definition_zh(table, ind)
    console.print(table)


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


def _note_suppressed(frame: pd.DataFrame, min_cell: int, lang: str = "en") -> None:
    """Say on stderr how many cells were suppressed: their value is empty in the file,
    which a user would otherwise read as a month without data."""
    n = int(frame["suppressed"].sum()) if len(frame) else 0
    if n and lang == "zh":
        from ihms.indicators._words_zh import suppressed_count_zh

        note(suppressed_count_zh(n, min_cell), lang)
    elif n:
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
    lang: LangOpt = "en",
) -> None:
    """Compute indicators from the store, with small cells suppressed.

    With --parquet, from the Parquet folder of `ihms data export` instead (its
    dataset.json gives the period), on DuckDB or, with --engine spark, on PySpark.

    An indicator whose records are missing (an empty follow-ups table, say) is left out
    and the notes say why; one named with --indicator is an error.
    """
    from ihms.indicators.results import empty_period_notes, row_decimals
    from ihms.summary import SummaryTable

    check_lang(lang)
    lang = "en" if json else lang  # --json is language-neutral; its notes on stderr too
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
    from ihms.cli._indicator_zh import outside_years_zh  # loads pandas: not at CLI start

    for text in empty_period_notes(results):
        # a month without encounters is the extract's gap, not one without care
        in_zh = outside_years_zh(text) if lang == "zh" else None
        if in_zh is None:
            note(text)
        else:
            note(in_zh, lang)
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
        _note_suppressed(frame, min_cell, lang)
    if out is not None:
        notes = file_notes(results, frame, level, period, min_cell, population, lang)
        _write(frame, out, catalogue=results.catalogue, notes=notes, lang=lang)
        print_path(said(lang, "rows written to", rows=len(frame)), out)
        if not json:  # the JSON carries them
            for text in omitted_notes(results, lang):
                console.print(text)
    if json:
        print_json(_json_rows(frame, results.omitted, results.catalogue))
        return
    if out is None:
        # 'unit' is the level's unit (a county, a tier ...), not what the value is measured
        # in; the value before its parts, so that a table split at the console's width
        # shows it in the first block
        elsewhere = computed_elsewhere(frame, level, period, lang, results.catalogue)
        shown = frame[
            ["indicator", "period", "unit", "value", "numerator", "denominator", "suppressed"]
        ]
        if not (frame["level"] != level).any():
            shown = shown.rename(columns={"unit": level})  # every row is at the level asked
        notes = (
            units_note(results.catalogue, shown["indicator"].unique(), lang),
            *elsewhere,
            suppression_note(min_cell, lang),
            *omitted_notes(results, lang),
        )
        table = SummaryTable(
            shown.set_index("indicator"),
            title=f"Indicators by {level} and {period}",
            notes=notes,
            digits=2,
            # one format per indicator: a count's 250 printed 250.00 beside a rate
            row_decimals=row_decimals(shown, results.catalogue),
            formats={"suppressed": lambda v: "yes" if v else "no"},
            fold_to_save_blocks=True,  # 2 blocks at 80 columns, not 4: the id repeats in each
        )
        if lang == "zh":
            from ihms.cli._indicator_zh import results_zh

            table = results_zh(table, results.catalogue, level, period)
        console.print(table)
