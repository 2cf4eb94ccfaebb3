"""``ihms growth``: growth rates as yearbooks and monthly reports print them — average
annual growth against a reference rate, year-on-year growth by year, quarter or month,
year-to-date cumulative growth, totals of months or quarters, and growth at comparable
prices. Thin wrappers over :mod:`ihms.stats`; the table modes are in
:mod:`ihms.cli._growth_modes`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms._words import said
from ihms.cli._common import (
    check_table_path,
    console,
    encoding_option,
    halfwidth,
    lang_option,
    print_json,
    print_path,
    read_csv_arg,
    sheet_option,
    writes_every_row,
)
from ihms.cli._growth_modes import (
    GROWTH_COLUMN_OPTIONS,
    MODE_NAMES,
    PERIOD_MISSING,
    catalogue_rates,
    choose_mode,
    refuse_foreign,
    run_mode,
)
from ihms.cli._notes import notes_on_stderr
from ihms.cli._stats_options import GROWTH_OPTIONS, as_options, note_blank_rows
from ihms.errors import InputError

__all__ = ["growth"]

# TABLE's sheet; the price index (--prices) is read with the same encoding
_SheetOpt = sheet_option("TABLE when it is an .xlsx file")
_EncodingOpt = encoding_option("TABLE and --prices when CSV")
_LangOpt = lang_option("The table's title, headers and notes (and --out's)")


def _rate(text: str, option: str) -> float:
    """A rate as a fraction, accepting ``0.213`` or ``21.3%``. A bare number beyond ±1
    (``21.3``) is refused: it is almost always a percentage with its sign left off, and
    read as a fraction it would be 2,130 %."""
    from ihms.stats._cells import read_value

    raw = halfwidth(text).strip()
    number, percent, bad = read_value(raw)
    if bad or number is None:
        raise InputError(f"option '{option}': expected a rate such as 0.213 or 21.3%, got {text!r}")
    rate = number / 100 if percent else number
    if not percent and abs(rate) > 1:
        raise InputError(
            f"option '{option}': {text!r} as a fraction is a rate of {rate:.0%}; write "
            f"{raw}% for per cent (or {rate / 100:g}), or {rate:.0%} if that is meant"
        )
    return rate


@writes_every_row("--out FILE")
def growth(
    table: Annotated[
        Path | None,
        typer.Argument(
            # a missing file or a folder is refused by the reader, in its words (as `its`)
            help="CSV (or .xlsx, .dta, .sav, .parquet) of values by year (omit to give "
            "--start/--end values).",
        ),
    ] = None,
    start_year: Annotated[int | None, typer.Option(help="First year of the period.")] = None,
    end_year: Annotated[int | None, typer.Option(help="Last year of the period.")] = None,
    start: Annotated[float | None, typer.Option(help="Value in the first year.")] = None,
    end: Annotated[float | None, typer.Option(help="Value in the last year.")] = None,
    reference: Annotated[
        str | None, typer.Option(help="Reference annual rate, e.g. 0.213 or 21.3%.")
    ] = None,
    indicator: Annotated[str, typer.Option(help="Name of the indicator.")] = "value",
    year_col: Annotated[str, typer.Option(help="Year column of TABLE.")] = "year",
    value_col: Annotated[
        list[str] | None,
        typer.Option(
            help="Value column of TABLE (default 'value'); with --yoy repeat it for a wide "
            "table, one column per indicator."
        ),
    ] = None,
    indicator_col: Annotated[
        str | None, typer.Option(help="Indicator column of TABLE (one table, many rows).")
    ] = None,
    reference_col: Annotated[
        str | None, typer.Option(help="Column of TABLE with each indicator's reference rate.")
    ] = None,
    yoy: Annotated[
        bool,
        typer.Option(
            "--yoy",
            help="Year-on-year growth (比上年增长/同比) of every period instead of the "
            "average annual rate; with --by month also month-on-month (环比).",
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            help="Periods of TABLE: 'year' (default), 'quarter' (2019Q1, 2019年第一季度) or "
            "'month'; with --yoy growth on the same period a year before and on the "
            "previous one (环比)."
        ),
    ] = None,
    period_col: Annotated[
        str | None,
        typer.Option(help="With --yoy: period column (default --year-col, or 'month')."),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            help="An indicator that is a rate or share, its change given in percentage "
            "points (a year, for the average annual rate; repeat for several; values "
            "written 50.8% are rates anyway)."
        ),
    ] = None,
    rate_unit: Annotated[
        str, typer.Option(help="Rates (--rate) written as 'percent' (50.8) or 'fraction'.")
    ] = "percent",
    base_period: Annotated[
        str | None,
        typer.Option(help="With --yoy: base of the fixed-base index (default the first period)."),
    ] = None,
    cumulative: Annotated[
        bool,
        typer.Option(
            "--cumulative",
            help="Year-to-date cumulative figures (累计) and their year-on-year growth "
            "(累计同比), from --by month (default) or quarter values; a missing month in "
            "either year leaves the comparison missing.",
        ),
    ] = False,
    given: Annotated[
        str,
        typer.Option(
            help="With --cumulative: TABLE holds each period's own value ('period') or "
            "year-to-date figures ('cumulative', as monthly reports print them)."
        ),
    ] = "period",
    to: Annotated[
        str | None,
        typer.Option(
            help="Sum --by month (default) or quarter values to 'quarter' or 'year' first, "
            "then year-on-year growth of the totals (flows only; rates need --ratio)."
        ),
    ] = None,
    ratio: Annotated[
        list[str] | None,
        typer.Option(
            help="With --to: RATE=NUMERATOR/DENOMINATOR, a rate of the summed parts "
            "(repeat for several)."
        ),
    ] = None,
    ratio_scale: Annotated[
        float,
        typer.Option(
            help="With --ratio: 100 for per cent, 1 for a fraction (a change in "
            "percentage points needs one of them)."
        ),
    ] = 100.0,
    prices: Annotated[
        Path | None,
        typer.Option(
            help="CSV of a price index by period (CPI) to deflate by: nominal and real "
            "growth at comparable prices (按可比价格).",
        ),
    ] = None,
    price_col: Annotated[
        str | None,
        typer.Option(help="Price index column of --prices (default 'index'), or of TABLE."),
    ] = None,
    price_base: Annotated[
        str,
        typer.Option(
            help="'previous': the index is the same period a year before = 100 (上年=100, "
            "as yearbooks print the CPI); or the base period of a fixed-base index (2015)."
        ),
    ] = "previous",
    price_name: Annotated[
        str, typer.Option(help="What the price index is, for the output (e.g. CPI).")
    ] = "the price index",
    price_period_col: Annotated[
        str | None, typer.Option(help="Period column of --prices (default as TABLE's).")
    ] = None,
    prices_sheet: Annotated[
        str | None,
        typer.Option(
            help="Sheet of --prices when it is an .xlsx file, by name or number; default: "
            "the only sheet with data (--sheet is TABLE's)."
        ),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Also write the table (.xlsx: with its title and notes; or .csv); growth "
            "rates as fractions (0.252 for 25.2%), differences and changes in percentage "
            "points (3.9 for +3.9 pp)."
        ),
    ] = None,
    sheet: _SheetOpt = None,
    encoding: _EncodingOpt = None,
    lang: _LangOpt = "en",
) -> None:
    """Growth rates as yearbooks and monthly reports print them.

    Average annual (geometric) growth against a reference rate: one indicator from
    --start-year/--end-year/--start/--end, or every indicator of TABLE (long form: one
    row per indicator and year); a rate or share (--rate, or written 52.1%) changes in
    percentage points a year instead. With --yoy (or --by): growth on the same period a year
    before (同比) and, for quarters and months, on the previous one (环比); rates and
    shares (--rate) in percentage points; a fixed-base index. With --cumulative:
    year-to-date figures and their growth (累计同比). With --to quarter|year: months or
    quarters summed first. With --prices or --price-col: nominal and real growth at
    comparable prices. A missing period never gives a growth over a longer span: the
    growth is missing and a note says why.
    """
    from ihms._words import check_lang
    from ihms.stats.growth import annual_growth, growth_table

    check_lang(lang)
    mode = choose_mode(
        yoy=yoy,
        by=by,
        cumulative=cumulative,
        to=to,
        real=prices is not None or price_col is not None,
    )
    refuse_foreign(
        mode,
        {
            "--start": start,
            "--end": end,
            "--start-year": start_year,
            "--end-year": end_year,
            "--reference": reference,
            "--reference-col": reference_col,
            "--indicator": None if indicator == "value" else indicator,
            "--by": by,
            "--period-col": period_col,
            "--rate": rate,
            "--rate-unit": None if rate_unit == "percent" else rate_unit,
            "--base-period": base_period,
            "--given": None if given == "period" else given,
            "--ratio": ratio,
            "--ratio-scale": None if ratio_scale == 100.0 else ratio_scale,
            "--price-base": None if price_base == "previous" else price_base,
            "--price-name": None if price_name == "the price index" else price_name,
            "--price-period-col": price_period_col,
            "--prices-sheet": prices_sheet,
        },
    )
    if out is not None:  # before the work, as agreement and indicators check it
        check_table_path(out, option="option '--out'", create=True)
    if prices_sheet is not None and prices is None:
        raise InputError("growth: --prices-sheet names a sheet of --prices; give --prices")
    if mode != "average":
        if table is None:
            raise InputError(f"growth {MODE_NAMES[mode]}: give a CSV table")
        frequency = by or ("year" if mode in ("yoy", "real") else "month")
        options = {
            "by": by,
            "period_col": period_col or (year_col if frequency == "year" else frequency),
            "value_cols": value_col or ["value"],
            "indicator_col": indicator_col,
            "rates": rate or [],
            "rate_unit": rate_unit,
            "base_period": base_period,
            "given": given,
            "to": to,
            "ratios": ratio or [],
            "ratio_scale": ratio_scale,
            "prices": prices,
            "price_col": price_col,
            "price_base": price_base,
            "price_name": price_name,
            "price_period_col": price_period_col,
            "prices_sheet": prices_sheet,
            "sheet": sheet,
            "encoding": encoding,
        }
        _print(run_mode(mode, table, options), json, out, lang)
        return
    if value_col is not None and len(value_col) > 1:
        raise InputError(
            f"growth: one --value-col for the average annual rate, got {value_col}; for "
            "several indicators give the long form (one row per indicator and year: "
            "--indicator-col, --year-col, --value-col), or run once per column (a wide "
            "table with several --value-col is read by --yoy)"
        )
    value_col_name = value_col[0] if value_col else "value"
    ref = None if reference is None else _rate(reference, "--reference")
    shown = None  # the result the tables show, when its default name is said in lang
    if table is None:
        missing = [
            name
            for name, value in (
                ("--start-year", start_year),
                ("--end-year", end_year),
                ("--start", start),
                ("--end", end),
            )
            if value is None
        ]
        if rate or rate_unit != "percent":
            raise InputError(
                "growth: --rate and --rate-unit name indicators of TABLE; without TABLE "
                "--start/--end give a growth rate (a share's change in points is "
                "(end - start) / years)"
            )
        if missing:
            raise InputError(
                f"growth: without TABLE, also give {', '.join(missing)} (or give a CSV table)"
            )
        with as_options(GROWTH_OPTIONS):
            result = annual_growth(
                start,  # type: ignore[arg-type]
                end,  # type: ignore[arg-type]
                start_year=start_year,  # type: ignore[arg-type]
                end_year=end_year,  # type: ignore[arg-type]
                reference=ref,
                indicator=indicator,
            )
        if indicator == "value":  # no name given: 指标值 in a Chinese table and its file
            from dataclasses import replace  # (--json keeps English)

            shown = replace(result, indicator=said(lang, "value name"))
    else:
        given = [n for n, v in (("--start", start), ("--end", end)) if v is not None]
        if given:
            raise InputError(f"growth: {' and '.join(given)} cannot be combined with TABLE")
        data = read_csv_arg(
            table, sheet=sheet, encoding=encoding, missing=PERIOD_MISSING, titles="skip"
        )
        note_blank_rows(data, table)
        refs = (
            ref
            if reference_col is None
            else _reference_column(data, table, reference_col, indicator_col)
        )
        with as_options(GROWTH_COLUMN_OPTIONS), notes_on_stderr():
            result = growth_table(
                data,
                year_col=year_col,
                value_col=value_col_name,
                indicator_col=indicator_col,
                start_year=start_year,
                end_year=end_year,
                reference=refs,
                source=str(table),
                rates=catalogue_rates(data, indicator_col, rate, table, rate_unit),
                rate_unit=rate_unit,
            )
    _print(result, json, out, lang, shown)


growth.repeat_hints = {  # type: ignore[attr-defined]
    "--reference": "for a reference rate per indicator put the rates in a column of TABLE "
    "(--reference-col), or run the command once for each"
}


def _print(result, json: bool, out: Path | None = None, lang: str = "en", shown=None) -> None:
    """``result`` as JSON (English) or its table in ``lang``, and its table in ``lang`` to
    ``out``: a report, read back by no command; ``shown`` the result the tables show, if
    not ``result`` (a default name said in ``lang``)."""
    from ihms.cli._stats_zh import in_lang

    # the table only where it is printed or written (--json alone prints neither)
    table = None if json and out is None else in_lang((shown or result).summary(), lang)
    if out is not None:
        from ihms._atomic import make_folder
        from ihms._sheet_names import sheet_name
        from ihms.table_files import write_summary_table

        make_folder(out, where=f"option '--out': {out}")  # as indicators compute --out
        write_summary_table(table, out, sheet=sheet_name(lang, "growth"))
    if json:
        print_json(result.to_dict())
    else:
        console.print(table)
        if out is not None:
            print_path(said(lang, "wrote the table"), out)


def _reference_column(data, path: Path, column: str, indicator_col: str | None) -> dict:
    """Each indicator's reference rate from a column (the same on all its rows)."""
    from ihms.stats._cells import first_row

    if column not in data.columns:
        raise InputError(f"{path}: no column '{column}' (option --reference-col)")
    names = data[indicator_col] if indicator_col else None
    refs: dict[str, float] = {}
    first = first_row(data)
    for i, value in enumerate(data[column].tolist()):
        if value is None or (isinstance(value, float) and value != value) or value in ("", "-"):
            continue
        name = str(names.iloc[i]) if names is not None else "value"
        rate = _rate(str(value), f"--reference-col ({path} row {i + first})")
        if name in refs and refs[name] != rate:
            raise InputError(
                f"column '{column}' of {path} row {i + first}: indicator {name!r} has two "
                f"reference rates, {refs[name]} and {rate}"
            )
        refs[name] = rate
    return refs
