"""The table modes of ``ihms growth``: which options each takes, and the library call
each makes over the CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ihms.cli._common import note, read_csv_arg
from ihms.cli._stats_options import GROWTH_OPTIONS, as_options, note_blank_rows
from ihms.errors import InputError

__all__ = [
    "GROWTH_COLUMN_OPTIONS",
    "MODE_NAMES",
    "MODE_OPTIONS",
    "PERIOD_MISSING",
    "catalogue_rates",
    "choose_mode",
    "refuse_foreign",
    "run_mode",
]

#: GROWTH_OPTIONS with the column parameters a missing column's message names
#: ('value_col' is among GROWTH_OPTIONS).
GROWTH_COLUMN_OPTIONS: tuple[tuple[str, str], ...] = (
    ("(parameter 'year_col')", "(option '--year-col')"),
    ("(parameter 'period_col')", "(option '--period-col', default --year-col or 'month')"),
    ("(parameter 'indicator_col')", "(option '--indicator-col')"),
    *GROWTH_OPTIONS,
)

#: What a missing value is in a growth table (the note naming NA cells says it).
PERIOD_MISSING = "a period without a value: its growths are missing"

# what each mode is called in messages, and its own options (shared ones are not listed)
MODE_NAMES = {
    "average": "the average annual rate",
    "yoy": "--yoy",
    "cumulative": "--cumulative",
    "aggregate": "--to",
    "real": "--prices/--price-col",
}
MODE_OPTIONS: dict[str, set[str]] = {
    "average": {"--start", "--end", "--start-year", "--end-year", "--reference",
                "--reference-col", "--indicator", "--rate", "--rate-unit"},
    "yoy": {"--rate", "--rate-unit", "--base-period", "--period-col", "--by"},
    "cumulative": {"--given", "--period-col", "--by", "--rate"},
    "aggregate": {"--ratio", "--ratio-scale", "--rate", "--rate-unit", "--base-period",
                  "--period-col", "--by"},
    "real": {"--price-col", "--price-base", "--price-name", "--price-period-col",
             "--prices-sheet", "--period-col", "--by"},
}  # fmt: skip


def choose_mode(*, yoy: bool, by: str | None, cumulative: bool, to: str | None, real: bool) -> str:
    """The mode the flags ask for; two of --cumulative, --to and prices are refused."""
    asked = [m for m, on in (("cumulative", cumulative), ("aggregate", to), ("real", real)) if on]
    if len(asked) > 1:
        raise InputError(
            f"growth: {' and '.join(MODE_NAMES[m] for m in asked)} are separate tables; "
            "give one of them"
        )
    if asked:
        return asked[0]
    return "yoy" if yoy or by is not None else "average"


def refuse_foreign(mode: str, given: dict[str, Any]) -> None:
    """Refuse options (``{"--rate": value}``, None or empty when not given) that belong
    only to other modes, naming the mode they need."""
    foreign = []
    for option, value in given.items():
        if value is None or value == [] or value is False or option in MODE_OPTIONS[mode]:
            continue
        owners = [MODE_NAMES[m] for m in MODE_OPTIONS if option in MODE_OPTIONS[m]]
        foreign.append(f"{option} belongs to {' or '.join(owners)}")
    if foreign:
        raise InputError(f"growth: {'; '.join(foreign)}; not to {MODE_NAMES[mode]}")


def _ratios(texts: list[str]) -> dict[str, tuple[str, str]]:
    ratios: dict[str, tuple[str, str]] = {}
    for text in texts:
        rate, equals, parts = text.partition("=")
        numerator, slash, denominator = parts.partition("/")
        if not (equals and slash and rate.strip() and numerator.strip() and denominator.strip()):
            raise InputError(
                f"option '--ratio': expected RATE=NUMERATOR/DENOMINATOR (readmission_rate="
                f"readmissions/discharges), got {text!r}"
            )
        ratios[rate.strip()] = (numerator.strip(), denominator.strip())
    return ratios


def catalogue_rates(
    data, indicator_col: str | None, rates, table: Path, rate_unit: str = "percent"
) -> dict[str, str]:
    """Each rate's unit: ``rates`` (--rate) in ``rate_unit`` (--rate-unit), and the
    indicators an ihms indicator table (``ihms indicators compute --out``) measures in
    per cent (``measure_unit`` '%') in per cent whatever ``rate_unit`` says: shares,
    whose change is in percentage points (and whose 0 is a value, not a growth base),
    said in a note."""
    units = dict.fromkeys(rates or [], rate_unit)
    if indicator_col is None or "measure_unit" not in data.columns:
        return units
    shares = data.loc[data["measure_unit"].astype(str).str.strip() == "%", indicator_col]
    shares = [str(i) for i in dict.fromkeys(shares.dropna())]
    added = [name for name in shares if name not in units]
    if added:
        note(
            f"{table}: read as shares (measure_unit %), their changes in percentage "
            f"points: {', '.join(added)}"
        )
    overruled = [name for name in shares if units.get(name, "percent") != "percent"]
    if overruled:
        note(
            f"{table}: read in per cent (measure_unit %), not as --rate-unit "
            f"{rate_unit}: {', '.join(overruled)}"
        )
    return units | dict.fromkeys(shares, "percent")


def _note_suppressed(data, table: Path, value_cols: list[str]) -> None:
    """Name the empty values an indicator table (``ihms indicators compute --out``)
    flags ``suppressed``: small counts, not months without data, whose growths the
    notes below call missing."""
    from ihms.stats._cells import first_row, suppressed_hint
    from ihms.stats._plain import is_missing

    empty = sorted(
        {
            i
            for col in value_cols
            if col in data.columns
            for i, v in enumerate(data[col].tolist())
            if is_missing(v) or str(v).strip() == ""
        }
    )
    hint = suppressed_hint(data, empty, [i + first_row(data) for i in empty])
    if hint:
        note(f"{table}: {hint.removeprefix('; ')}")


def run_mode(mode: str, table: Path, options: dict[str, Any]):
    """The library call of a table mode over ``table`` (read as text: the library reads
    numbers as a spreadsheet writes them)."""
    encoding = options.get("encoding")
    data = read_csv_arg(
        table, sheet=options.get("sheet"), encoding=encoding, missing=PERIOD_MISSING, titles="skip"
    )
    note_blank_rows(data, table)
    _note_suppressed(data, table, options["value_cols"])
    options = {
        **options,
        "rates": catalogue_rates(
            data, options["indicator_col"], options["rates"], table, options["rate_unit"]
        ),
    }
    common = {
        "value_col": options["value_cols"][0]
        if len(options["value_cols"]) == 1
        else options["value_cols"],
        "indicator_col": options["indicator_col"],
        "period_col": options["period_col"],
        "source": str(table),
    }
    by = options["by"]
    with as_options(GROWTH_COLUMN_OPTIONS):
        if mode == "yoy":
            from ihms.stats.growth_yoy import growth_series

            return growth_series(
                data,
                frequency=by or "year",
                rates=options["rates"],
                rate_unit=options["rate_unit"],
                base_period=options["base_period"],
                **common,
            )
        if mode == "cumulative":
            from ihms.stats.growth_cumulative import cumulative_growth

            return cumulative_growth(
                data, frequency=by or "month", given=options["given"], rates=options["rates"],
                **common,
            )  # fmt: skip
        if mode == "aggregate":
            from ihms.stats.growth_aggregate import aggregate_periods

            totals = aggregate_periods(
                data,
                to=options["to"],
                frequency=by or "month",
                rates=options["rates"],
                ratios=_ratios(options["ratios"]),
                scale=options["ratio_scale"],
                **common,
            )
            # the ratios' unit follows from --ratio-scale unless --rate-unit was typed
            unit = options["rate_unit"] if options["rate_unit"] != "percent" else None
            return totals.growth(rate_unit=unit, base_period=options["base_period"])
        from ihms.stats.growth_real import comparable_growth

        prices = options["prices"]
        index = (
            None
            if prices is None
            else read_csv_arg(
                prices,
                sheet=options.get("prices_sheet"),
                sheet_flag="--prices-sheet",
                encoding=encoding,
                missing="a period without a price index",
                titles="skip",
            )
        )
        if index is not None:
            note_blank_rows(index, prices)
        return comparable_growth(
            data,
            prices=index,
            price_col=options["price_col"] or "index",
            price_base=options["price_base"],
            price_name=options["price_name"],
            price_period_col=options["price_period_col"],
            frequency=by or "year",
            price_source=None if prices is None else str(prices),
            **common,
        )
