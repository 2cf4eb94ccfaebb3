"""``ihms trend``, ``ihms growth`` and ``ihms agreement``: thin wrappers over
:mod:`ihms.stats`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms.cli._common import console, print_json
from ihms.cli._stats_options import GROWTH_OPTIONS, TREND_OPTIONS, as_options
from ihms.errors import InputError

__all__ = ["agreement", "growth", "trend"]

_CSV = typer.Argument(exists=True, dir_okay=False, readable=True)


def _halfwidth(text: str) -> str:
    """Full-width digits, commas, points and per cent signs (a Chinese input method's
    ８３，９０ or 21.3％) as their ASCII forms."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).replace("、", ",")


def _numbers(text: str, option: str) -> list[float]:
    parts = [p.strip() for p in _halfwidth(text).split(",")]
    try:
        return [float(p) for p in parts]
    except ValueError:
        raise InputError(
            f"option '{option}': expected comma-separated numbers, got {text!r}"
        ) from None


def _rate(text: str, option: str) -> float:
    """A rate as a fraction, accepting ``0.213`` or ``21.3%``. A bare number beyond ±1
    (``21.3``) is refused: it is almost always a percentage with its sign left off, and
    read as a fraction it would be 2,130 %."""
    raw = _halfwidth(text).strip()
    try:
        rate = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise InputError(
            f"option '{option}': expected a rate such as 0.213 or 21.3%, got {text!r}"
        ) from None
    if not raw.endswith("%") and abs(rate) > 1:
        raise InputError(
            f"option '{option}': {text!r} as a fraction is a rate of {rate:.0%}; write "
            f"{raw}% for per cent (or {rate / 100:g}), or {rate:.0%} if that is meant"
        )
    return rate


def _read_csv(path: Path, **kwargs):
    """Read a CSV decoded as the policy documents are (UTF-8 with or without BOM, then
    GBK/GB18030 checked for garbling, then charset-normalizer), so a short GBK file
    from a Chinese spreadsheet is read as Chinese."""
    import pandas as pd

    from ihms._decode import read_csv

    try:
        return read_csv(path, **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV table ({exc})") from None


def trend(
    events: Annotated[str, typer.Option(help="Events per group, comma-separated.")],
    totals: Annotated[str, typer.Option(help="Group sizes, comma-separated.")],
    scores: Annotated[
        str | None, typer.Option(help="Group scores, comma-separated (default 1..k).")
    ] = None,
    form: Annotated[
        str,
        typer.Option(help="'n': R prop.trend.test / Stata ptrend; 'n-1': Stata tabodds / SAS CMH."),
    ] = "n",
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Chi-square test for trend in proportions (Cochran–Armitage).

    Also prints the overall k × 2 chi-square and the departure from linear trend.
    """
    from ihms.stats.trend import trend_test

    with as_options(TREND_OPTIONS):
        result = trend_test(
            _numbers(events, "--events"),
            _numbers(totals, "--totals"),
            scores=None if scores is None else _numbers(scores, "--scores"),
            form=form,  # type: ignore[arg-type]
        )
    if json:
        print_json(result.to_dict())
    else:
        console.print(result.summary())


def growth(
    table: Annotated[
        Path | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="CSV of values by year (omit to give --start/--end values).",
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
        str | None, typer.Option(help="With --yoy: 'year' (default) or 'month' periods.")
    ] = None,
    period_col: Annotated[
        str | None,
        typer.Option(help="With --yoy: period column (default --year-col, or 'month')."),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            help="With --yoy: an indicator that is a rate or share, its change given in "
            "percentage points (repeat for several; values written 50.8% are rates anyway)."
        ),
    ] = None,
    rate_unit: Annotated[
        str, typer.Option(help="With --yoy: rates written as 'percent' (50.8) or 'fraction'.")
    ] = "percent",
    base_period: Annotated[
        str | None,
        typer.Option(help="With --yoy: base of the fixed-base index (default the first period)."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Average annual (geometric) growth rate against a reference rate, or with --yoy
    year-on-year growth as yearbooks print it.

    Either one indicator from --start-year/--end-year/--start/--end, or every indicator
    of TABLE (long form: one row per indicator and year). With --yoy (or --by month):
    growth on the previous year (same month last year) and, for months, on the previous
    month; rates and shares (--rate) in percentage points; a fixed-base index.
    """
    from ihms.stats.growth import annual_growth, growth_table

    if yoy or by is not None:
        given = [
            name
            for name, value in (
                ("--start", start),
                ("--end", end),
                ("--start-year", start_year),
                ("--end-year", end_year),
                ("--reference", reference),
                ("--reference-col", reference_col),
            )
            if value is not None
        ]
        if table is None or given:
            raise InputError(
                "growth --yoy: give a CSV table"
                + (f"; {', '.join(given)} belong to the average annual rate" if given else "")
            )
        _print(
            _growth_series(
                table,
                by=by or "year",
                period_col=period_col or (year_col if (by or "year") == "year" else "month"),
                value_cols=value_col or ["value"],
                indicator_col=indicator_col,
                rates=rate or [],
                rate_unit=rate_unit,
                base_period=base_period,
            ),
            json,
        )
        return
    given = [n for n, v in (("--rate", rate), ("--base-period", base_period)) if v]
    given += ["--period-col"] if period_col is not None else []
    if given:
        raise InputError(f"growth: {', '.join(given)} need --yoy")
    if value_col is not None and len(value_col) > 1:
        raise InputError(
            f"growth: one --value-col for the average annual rate, got {value_col} "
            "(several value columns need --yoy)"
        )
    value_col_name = value_col[0] if value_col else "value"
    ref = None if reference is None else _rate(reference, "--reference")
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
    else:
        given = [n for n, v in (("--start", start), ("--end", end)) if v is not None]
        if given:
            raise InputError(f"growth: {' and '.join(given)} cannot be combined with TABLE")
        data = _read_csv(table)
        refs = (
            ref
            if reference_col is None
            else _reference_column(data, table, reference_col, indicator_col)
        )
        with as_options(GROWTH_OPTIONS):
            result = growth_table(
                data,
                year_col=year_col,
                value_col=value_col_name,
                indicator_col=indicator_col,
                start_year=start_year,
                end_year=end_year,
                reference=refs,
                source=str(table),
            )
    _print(result, json)


def _print(result, json: bool) -> None:
    if json:
        print_json(result.to_dict())
    else:
        console.print(result.summary())


def _growth_series(table: Path, *, by: str, value_cols: list[str], **options):
    """``growth --yoy``: :func:`ihms.stats.growth_yoy.growth_series` over the CSV."""
    from ihms.stats.growth_yoy import growth_series

    data = _read_csv(table, dtype=str, keep_default_na=True)
    with as_options(GROWTH_OPTIONS):
        return growth_series(
            data,
            frequency=by,  # type: ignore[arg-type]
            value_col=value_cols[0] if len(value_cols) == 1 else value_cols,
            source=str(table),
            **options,
        )


def _reference_column(data, path: Path, column: str, indicator_col: str | None) -> dict:
    """Each indicator's reference rate from a column (the same on all its rows)."""
    if column not in data.columns:
        raise InputError(f"{path}: no column '{column}' (option --reference-col)")
    names = data[indicator_col] if indicator_col else None
    refs: dict[str, float] = {}
    for i, value in enumerate(data[column].tolist()):
        if value is None or (isinstance(value, float) and value != value) or value in ("", "-"):
            continue
        name = str(names.iloc[i]) if names is not None else "value"
        rate = _rate(str(value), f"--reference-col ({path} row {i + 2:,})")
        if name in refs and refs[name] != rate:
            raise InputError(
                f"column '{column}' of {path} row {i + 2:,}: indicator {name!r} has two "
                f"reference rates, {refs[name]} and {rate}"
            )
        refs[name] = rate
    return refs


def agreement(
    codings: Annotated[Path, _CSV],
    unit: Annotated[str, typer.Option(help="Unit (segment) column.")] = "unit",
    coder: Annotated[str, typer.Option(help="Coder column.")] = "coder",
    code: Annotated[str, typer.Option(help="Code column.")] = "code",
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
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Inter-coder agreement per dimension and category.

    Percent agreement, Cohen's kappa (2 coders) or Fleiss' kappa (more),
    Krippendorff's alpha (with --bootstrap, its interval), Gwet's AC1 and PABAK, from a
    CSV with one row per unit and coder.
    """
    from ihms.stats.agreement import agreement_report

    data = _read_csv(codings, dtype=str, keep_default_na=True)
    report = agreement_report(
        data,
        unit=unit,
        coder=coder,
        code=code,
        dimension=dimension,
        multi_label=True if multi_label else (multi_label_dimension or False),
        separator=separator,
        n_boot=bootstrap,
        seed=seed,
        alpha_minimum=alpha_min,
        source=str(codings),
    )
    if json:
        print_json(report.to_dict())
    else:
        console.print(report.summary())
