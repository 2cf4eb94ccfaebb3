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
    value_col: Annotated[str, typer.Option(help="Value column of TABLE.")] = "value",
    indicator_col: Annotated[
        str | None, typer.Option(help="Indicator column of TABLE (one table, many rows).")
    ] = None,
    reference_col: Annotated[
        str | None, typer.Option(help="Column of TABLE with each indicator's reference rate.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Average annual (geometric) growth rate against a reference rate.

    Either one indicator from --start-year/--end-year/--start/--end, or every indicator
    of TABLE (long form: one row per indicator and year).
    """
    from ihms.stats.growth import annual_growth, growth_table

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
                value_col=value_col,
                indicator_col=indicator_col,
                start_year=start_year,
                end_year=end_year,
                reference=refs,
                source=str(table),
            )
    if json:
        print_json(result.to_dict())
    else:
        console.print(result.summary())


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
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Inter-coder agreement per dimension and category.

    Percent agreement, Cohen's kappa (2 coders) or Fleiss' kappa (more) and
    Krippendorff's alpha, from a CSV with one row per unit and coder.
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
        source=str(codings),
    )
    if json:
        print_json(report.to_dict())
    else:
        console.print(report.summary())
