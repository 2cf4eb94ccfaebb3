"""``ihms trend`` and ``ihms agreement``: thin wrappers over :mod:`ihms.stats`
(``ihms growth`` is :mod:`ihms.cli.growth`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import (
    FileEncodingOpt,
    FileSheetOpt,
    console,
    halfwidth,
    lang_option,
    print_json,
    read_csv_arg,
    writes_every_row,
)
from ihms.cli._stats_options import TREND_OPTIONS, as_options, note_blank_rows
from ihms.errors import InputError

__all__ = ["agreement", "trend"]

LangOpt = lang_option("The table's title, rows, headers and notes")

_CSV = typer.Argument(  # a missing file or a folder: the reader's refusal, as `its`
    help="CSV (or .xlsx, .dta, .sav, .parquet) of codings, one row per unit and coder "
    "(with --dimension, per unit, coder and dimension); with --coders, one row per unit "
    "and one column per coder.",
)

_GROUPS = typer.Argument(  # a missing file or a folder: the reader's refusal, as `its`
    help="CSV (or .xlsx, .dta, .sav, .parquet), one row per group, with --events-col and "
    "--totals-col (omit to type --events and --totals).",
)


def _numbers(text: str, option: str) -> list[float]:
    from ihms.stats._cells import read_value

    # each number read as a table's cell is (ASCII digits once width is folded: float()
    # alone took 1_000, another script's digits, nan and inf), without a per cent sign
    read = [read_value(p) for p in halfwidth(text).split(",")]
    if any(bad or percent or number is None for number, percent, bad in read):
        raise InputError(f"option '{option}': expected comma-separated numbers, got {text!r}")
    return [number for number, _, _ in read]


def trend(
    table: Annotated[Path | None, _GROUPS] = None,
    events: Annotated[str | None, typer.Option(help="Events per group, comma-separated.")] = None,
    totals: Annotated[str | None, typer.Option(help="Group sizes, comma-separated.")] = None,
    scores: Annotated[
        str | None, typer.Option(help="Group scores, comma-separated (default 1..k).")
    ] = None,
    events_col: Annotated[str | None, typer.Option(help="Events column of TABLE.")] = None,
    totals_col: Annotated[str | None, typer.Option(help="Group size column of TABLE.")] = None,
    scores_col: Annotated[
        str | None,
        typer.Option(
            help="Score column of TABLE (default: --order-col's periods counted from the "
            "first, or its other numbers as Stata's nptrend; else 1..k in order)."
        ),
    ] = None,
    order_col: Annotated[
        str | None,
        typer.Option(
            help="Column of TABLE to order the groups by (default the file's order): "
            "periods (2019, 2019Q1, 2019年第一季度, 2019-9, 2019年9月, 201909) in time "
            "order, scored by their count from the first (a period left out is a gap; "
            "2019.1 is Excel's October where its year writes 2019.09, else January, as "
            "ihms its reads it); other numbers (doses) by value, scored by it; names as text, "
            "scored 1..k."
        ),
    ] = None,
    form: Annotated[
        str,
        typer.Option(help="'n': R prop.trend.test / Stata ptrend; 'n-1': Stata tabodds / SAS CMH."),
    ] = "n",
    lang: LangOpt = "en",
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    sheet: FileSheetOpt = None,
    encoding: FileEncodingOpt = None,
) -> None:
    """Chi-square test for trend in proportions (Cochran–Armitage).

    The groups' events and sizes typed (--events, --totals) or read from TABLE's columns
    (--events-col, --totals-col, optionally --scores-col and --order-col). Also prints
    the overall k × 2 chi-square and the departure from linear trend.
    """
    from ihms._words import check_lang
    from ihms.stats.trend import trend_test

    check_lang(lang)
    typed = {"--events": events, "--totals": totals, "--scores": scores}
    columns = {
        "--events-col": events_col,
        "--totals-col": totals_col,
        "--scores-col": scores_col,
        "--order-col": order_col,
    }
    if table is not None:
        mixed = [name for name, value in typed.items() if value is not None]
        if mixed:
            raise InputError(f"trend: {' and '.join(mixed)} cannot be combined with TABLE")
        if events_col is None or totals_col is None:
            raise InputError("trend: with TABLE, give --events-col and --totals-col")
        from ihms.cli._trend_table import trend_columns

        counts, sizes, points = trend_columns(
            table,
            events_col=events_col,
            totals_col=totals_col,
            scores_col=scores_col,
            order_col=order_col,
            sheet=sheet,
            encoding=encoding,
            lang=lang,
        )
    else:
        stray = [name for name, value in columns.items() if value is not None]
        stray += [n for n, v in (("--sheet", sheet), ("--encoding", encoding)) if v is not None]
        if stray:
            raise InputError(f"trend: {' and '.join(stray)} needs TABLE")
        if events is None or totals is None:
            raise InputError("trend: give --events and --totals (or TABLE with their columns)")
        counts, sizes = _numbers(events, "--events"), _numbers(totals, "--totals")
        points = None if scores is None else _numbers(scores, "--scores")
    with as_options(TREND_OPTIONS):
        result = trend_test(counts, sizes, scores=points, form=form)  # type: ignore[arg-type]
    if json:
        print_json(result.to_dict())
    else:
        console.print(result.summary(lang=lang))


@writes_every_row("--out FILE")
def agreement(
    codings: Annotated[Path, _CSV],
    unit: Annotated[str, typer.Option(help="Unit (segment) column.")] = "unit",
    coder: Annotated[str, typer.Option(help="Coder column.")] = "coder",
    code: Annotated[str, typer.Option(help="Code column.")] = "code",
    coders: Annotated[
        str | None,
        typer.Option(
            help="A wide table: its coders' columns, comma-separated (one column per "
            "coder, one row per unit; --coder and --code then name no column)."
        ),
    ] = None,
    dimension: Annotated[
        str | None, typer.Option(help="Dimension column (one report block per dimension).")
    ] = None,
    multi_label: Annotated[
        bool, typer.Option("--multi-label", help="Every dimension holds sets of codes.")
    ] = False,
    multi_label_dimension: Annotated[
        list[str] | None,
        typer.Option(help="A dimension holding sets of codes (repeat for several)."),
    ] = None,
    separator: Annotated[
        str,
        typer.Option(
            help="Separator inside multi-label codes (its full-width form, e.g. ；, too)."
        ),
    ] = ";",
    bootstrap: Annotated[
        int,
        typer.Option(
            help="Bootstrap resamples for alpha's interval and P(alpha < --alpha-min) "
            "(0: none; KALPHA-style, 1000 or more)."
        ),
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap (same seed, same numbers).")] = 0,
    alpha_min: Annotated[
        float, typer.Option(help="Minimum acceptable alpha for P(alpha < min).")
    ] = 0.667,
    lang: LangOpt = "en",
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Also write the table (.xlsx: with its title and notes; or .csv)."),
    ] = None,
    sheet: FileSheetOpt = None,
    encoding: FileEncodingOpt = None,
) -> None:
    """Inter-coder agreement per dimension and category.

    Percent agreement, Cohen's kappa (2 coders) or Fleiss' kappa (more),
    Krippendorff's alpha (with --bootstrap, its interval), Gwet's AC1 and PABAK, from a
    CSV (or Excel .xlsx, Stata, SPSS, Parquet) file with one row per unit and coder,
    or, with --coders, one row per unit and one column per coder.
    """
    from ihms._words import check_lang
    from ihms.stats.agreement import agreement_report

    check_lang(lang)
    if out is not None:  # before the work (a bootstrap can take a while), not after it
        from ihms.cli._common import check_table_path

        check_table_path(out, option="option '--out'", create=True)
    data = read_csv_arg(
        codings,
        sheet=sheet,
        encoding=encoding,
        missing="a unit the coder did not code",
        titles="skip",
    )
    note_blank_rows(data, codings)
    report = agreement_report(
        data,
        unit=unit,
        coder=coder,
        code=code,
        coders=None if coders is None else [c.strip() for c in coders.split(",") if c.strip()],
        dimension=dimension,
        multi_label=True if multi_label else (multi_label_dimension or False),
        separator=separator,
        n_boot=bootstrap,
        seed=seed,
        alpha_minimum=alpha_min,
        source=str(codings),
    )
    if out is not None:
        from ihms._atomic import make_folder
        from ihms._sheet_names import sheet_name
        from ihms.table_files import write_summary_table

        make_folder(out, where=f"option '--out': {out}")  # as growth --out
        write_summary_table(report.summary(lang=lang), out, sheet=sheet_name(lang, "agreement"))
    if json:
        print_json(report.to_dict())
    else:
        console.print(report.summary(lang=lang))
