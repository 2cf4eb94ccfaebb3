"""Average annual (geometric) growth rates and their difference from a reference rate.

The average annual growth rate between ``start_year`` and ``end_year`` is

    AAGR = (end / start) ** (1 / (end_year - start_year)) - 1,

the constant yearly rate that turns the start value into the end value. Jia et al. 2021
(Table 2) reports it for township health centres' capacity indicators over 2016–2018
next to the national average growth rate; :func:`growth_table` builds that table from
indicator values by year.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import DataError, IhmsWarning, InputError, format_location
from ihms.stats._cells import (
    blank_rows,
    column_names,
    normal_text,
    read_value,
    row_where,
    suppressed_hint,
)
from ihms.stats._growth_periods import period_key
from ihms.stats._growth_read import (
    RATE_UNITS,
    columns_hint,
    indicator_name,
    percent_read,
    rate_names,
    unit_of,
)
from ihms.stats._growth_results import GrowthResult, GrowthTable
from ihms.stats._growth_years import beyond_table, common_span, years_with_values
from ihms.stats._plain import is_missing

__all__ = [
    "GrowthResult",
    "GrowthTable",
    "annual_growth",
    "average_annual_growth_rate",
    "growth_table",
]


def _check_years(start_year: float, end_year: float) -> float:
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, numbers.Real) or not math.isfinite(year):
            raise InputError(f"parameter '{name}': expected a year, got {year!r}")
    if end_year <= start_year:
        raise InputError(
            f"parameters 'start_year' and 'end_year': expected end_year after start_year, "
            f"got {start_year} and {end_year}"
        )
    return float(end_year - start_year)


def average_annual_growth_rate(
    start_value: float,
    end_value: float,
    *,
    start_year: float,
    end_year: float,
    indicator: str = "value",
) -> float:
    """Geometric average annual growth rate, as a fraction (0.252 = 25.2% a year).

    Parameters
    ----------
    start_value, end_value
        Values in ``start_year`` and ``end_year``; both must be > 0.
    start_year, end_year
        The period; ``end_year - start_year`` is the number of years compounded.
    indicator
        Name used in error messages.

    Examples
    --------
    Jia et al. 2021, Table 2: GPs per 10,000 people 1.04 (2016) → 1.63 (2018), printed 25.2%.

    >>> round(average_annual_growth_rate(1.04, 1.63, start_year=2016, end_year=2018), 3)
    0.252
    """
    years = _check_years(start_year, end_year)
    for label, year, value in (("start", start_year, start_value), ("end", end_year, end_value)):
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"indicator {indicator!r}, year {year}: expected a number, got {value!r}"
            ) from exc
        if not math.isfinite(number) or number <= 0:
            raise InputError(
                f"indicator {indicator!r}, year {year} ({label} value): expected a value > 0 "
                f"for a growth rate, got {value!r}"
            )
    return (float(end_value) / float(start_value)) ** (1.0 / years) - 1.0


def annual_growth(
    start_value: float,
    end_value: float,
    *,
    start_year: float,
    end_year: float,
    reference: float | None = None,
    indicator: str = "value",
) -> GrowthResult:
    """Average annual growth rate of one indicator and its difference from ``reference``.

    Parameters
    ----------
    start_value, end_value, start_year, end_year, indicator
        As :func:`average_annual_growth_rate`.
    reference
        Reference annual growth rate as a fraction (0.213 for 21.3%), or None.

    Examples
    --------
    >>> r = annual_growth(1.04, 1.63, start_year=2016, end_year=2018, reference=0.213)
    >>> round(100 * r.difference, 1)
    3.9
    """
    rate = average_annual_growth_rate(
        start_value, end_value, start_year=start_year, end_year=end_year, indicator=indicator
    )
    ref = _reference_value(reference, indicator)
    return GrowthResult(
        indicator=str(indicator),
        start_year=start_year,
        end_year=end_year,
        start_value=float(start_value),
        end_value=float(end_value),
        growth_rate=rate,
        reference_rate=ref,
        difference=rate - ref,
    )


def _whole(year: float | None) -> float | None:
    """A whole year as an int (2016, not 2016.0, in tables and JSON)."""
    return int(year) if year is not None and float(year).is_integer() else year


def _reference_value(reference: Any, indicator: str) -> float:
    if reference is None or is_missing(reference):
        return float("nan")
    try:
        value = float(reference)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"reference rate of {indicator!r}: expected a number (a fraction, 0.213 for "
            f"21.3%), got {reference!r}"
        ) from exc
    if not math.isfinite(value) or value <= -1:
        raise InputError(
            f"reference rate of {indicator!r}: expected a finite fraction > -1, got {reference!r}"
        )
    return value


def growth_table(
    data: pd.DataFrame,
    *,
    year_col: str = "year",
    value_col: str = "value",
    indicator_col: str | None = None,
    start_year: float | None = None,
    end_year: float | None = None,
    reference: Mapping[str, float] | float | None = None,
    source: str | None = None,
    rates: Collection[str] | Mapping[str, str] | bool = (),
    rate_unit: str = "percent",
) -> GrowthTable:
    """Average annual growth rate of every indicator in a long table of values by year.

    Parameters
    ----------
    data
        One row per indicator and year (not modified). Values are read as every growth
        table reads them (``1,234.5``, full-width digits, ``12.5%`` as 12.5); a wholly
        empty row is skipped.
    year_col, value_col
        Column names of the year and the value.
    indicator_col
        Column naming the indicator; without it the table is one indicator named
        after ``value_col``.
    start_year, end_year
        The period (default: the first and last year in the table). Every indicator
        needs a value in both years.
    reference
        Reference (e.g. national) growth rates as fractions: a mapping by indicator,
        or one number for all. Indicators without one get NaN.
    source
        File name used in error messages.
    rates, rate_unit
        Indicators that are rates or shares (True: all), besides those written with a
        per cent sign (``52.1%``), and how they are written (``"percent"``: 52.1, or
        ``"fraction"``: 0.521): their change is in percentage points a year
        (``points_per_year``), not a growth rate, as :func:`growth_series` gives it.
        A mapping names each rate's own unit (``{"bed_ratio": "fraction",
        "primary_share": "percent"}``); ``rate_unit`` is then the unit of the others.

    Raises
    ------
    DataError
        Listing every problem: missing columns, non-numeric or missing values and years,
        duplicate indicator-years, values <= 0 (naming indicator and year), indicators
        without a value in the start or end year.
    """
    where = source or "data"
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{where}: expected a pandas DataFrame, got {type(data).__name__}")
    roles = {"year_col": year_col, "value_col": value_col}
    roles |= {"indicator_col": indicator_col} if indicator_col else {}
    needed = list(roles.values())
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise DataError(
            f"{where}: missing column(s) {', '.join(absent)}; the table has "
            f"{column_names(data.columns)}" + columns_hint(data.columns, needed),
            [
                f"{where}: expected a column named '{c}' (parameter '{role}')"
                for role, c in roles.items()
                if c in absent
            ],
        )
    names = data[indicator_col].tolist() if indicator_col else [value_col] * len(data)
    problems: list[str] = []
    values: dict[tuple[str, float], tuple[int, float]] = {}
    seen: dict[tuple[str, float], tuple[Any, int]] = {}  # -> (row as named, position)
    written: dict[str, str] = {}
    percent: set[str] = set()  # indicators with a value written 52.1%
    # a share may be <= 0: dropped if one; so may a year the rate does not use
    nonpositive: list[tuple[str, float, str, str]] = []  # and the value's place in Chinese
    all_years: set[float] = set()  # with or without a value: the period's default span
    blank = blank_rows(data)  # the ,,, lines at the end of an Excel export: no values
    for i, (name, year, value) in enumerate(
        zip(names, data[year_col].tolist(), data[value_col].tolist(), strict=True)
    ):
        if blank[i]:
            continue
        row = row_where(data, i, source)
        year_f = _year_or_none(year)
        value_f, pct, _ = read_value(value)  # as every growth mode reads it: 1,234.5, 12.5%
        if is_missing(name) or name == "":
            problems.append(
                f"{format_location(file=source, row=row, field=indicator_col)}: "
                "expected an indicator name, got an empty cell"
            )
            continue
        if year_f is None:
            problems.append(
                f"{format_location(file=source, row=row, field=year_col)}: "
                f"expected a year such as 2019 or 2019年, got {year!r}"
            )
            continue
        name = indicator_name(name, written)
        label = (
            f"indicator {str(name)!r}, year {year_f:g} "
            f"({format_location(file=source, row=row, field=value_col)})"
        )
        all_years.add(year_f)
        if value_f is None and (is_missing(value) or str(value).strip() == ""):
            pass  # an empty cell: only the period's first and last years must have values
        elif value_f is None:
            problems.append(f"{label}: expected a number, got {value!r}")
        elif value_f <= 0:
            problems.append(f"{label}: expected a value > 0 for a growth rate, got {value!r}")
            at = f"{source} " if source else ""
            at += (f"第 {row} 行，" if row is not None else "") + f"列 '{value_col}'"
            said_zh = f"指标 {str(name)!r}，{year_f:g} 年（{at}）：数值 {value!r} ≤ 0"
            nonpositive.append((str(name), year_f, problems[-1], said_zh))
        value_f = percent_read(value_f, pct, str(name), rates, rate_unit, percent)
        key = (str(name), year_f)
        if key in seen:
            problems.append(
                f"{label}: a second value for the same year (first in row {seen[key][0]})"
            )
            continue
        seen[key] = (row, i)
        if value_f is not None:
            values[key] = (row, value_f)
    years = sorted(all_years)
    first = _whole(start_year if start_year is not None else (years[0] if years else None))
    last = _whole(end_year if end_year is not None else (years[-1] if years else None))
    # no row read: the rows' own problems say why; "no usable values" and every
    # indicator of the reference "unknown" would only repeat them
    unread = not all_years and bool(problems)
    if first is None or last is None:
        if not unread:
            problems.append(f"{where}: no usable values")
    elif beyond := beyond_table(
        (start_year, first), (end_year, last), years, format_location(file=source, field=year_col)
    ):
        problems += beyond  # one message, not "no value for 2014" for every indicator
    else:
        try:
            _check_years(first, last)
        except InputError as exc:
            problems.append(str(exc))
    indicators = list(dict.fromkeys(written.values()))
    rated = rate_names(rates, indicators, percent, problems)
    shares = {text for name, _, text, _ in nonpositive if name in rated}  # a share may be 0
    # the geometric rate reads the first and last years only: a 0 between them is noted
    unused = {
        text
        for _, year, text, _ in nonpositive
        if first is not None and last is not None and year not in (first, last)
    } - shares
    in_zh = {text: zh for _, _, text, zh in nonpositive}
    for text in sorted(unused, key=problems.index):
        warnings.warn(
            IhmsWarning(
                text.replace("expected a value > 0 for a growth rate", "a value <= 0")
                + f"; not used: the average annual rate reads only {first:g} and {last:g}",
                zh=f"{in_zh[text]}；未使用：年均增长率只用 {first:g} 年和 {last:g} 年的数值",
            ),
            stacklevel=2,
        )
    problems[:] = [text for text in problems if text not in shares | unused]
    if rate_unit not in RATE_UNITS:
        problems.append(
            f"parameter 'rate_unit': expected 'percent' or 'fraction', got {rate_unit!r}"
        )
    refs = _references(reference, indicators, [] if unread else problems)
    rows = []
    if not problems:
        for name in indicators:
            valued = sorted(y for n, y in values if n == name)
            for year in (first, last):
                if (name, float(year)) not in values:
                    found = seen.get((name, float(year)))  # an empty cell, perhaps suppressed
                    hint = "" if found is None else suppressed_hint(data, [found[1]], [found[0]])
                    problems.append(
                        f"indicator {name!r}: no value for year {year:g} in {where} (column "
                        f"'{value_col}'); {years_with_values(year, valued)}{hint}"
                    )
            if problems:
                continue
            start_v, end_v = values[(name, float(first))][1], values[(name, float(last))][1]
            if name in rated:  # a share: points a year, no growth rate (as --yoy)
                scale = 100.0 if unit_of(name, rates, rate_unit) == "fraction" else 1.0
                points, rate = scale * (end_v - start_v) / (last - first), math.nan
            else:
                points = math.nan
                rate = average_annual_growth_rate(
                    start_v, end_v, start_year=first, end_year=last, indicator=name
                )
            row = (name, first, last, start_v, end_v, rate, refs[name], rate - refs[name])
            rows.append((*row, points))
    if problems:
        raise DataError(
            f"{where}: {len(problems):,} problem(s) in the growth data"
            + common_span(values, indicators, start_year, end_year, (first, last)),
            problems,
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "start_year",
            "end_year",
            "start_value",
            "end_value",
            "growth_rate",
            "reference_rate",
            "difference",
            "points_per_year",
        ],
    )
    return GrowthTable(frame=frame, start_year=first, end_year=last, rates=tuple(rated))


def _year_or_none(value: Any) -> float | None:
    """A year as the year-on-year mode reads it (2019, 2019年, 2019.0), else a number
    (a year given as 2016.5 by a caller)."""
    key = period_key(value, "year")
    return float(key) if key is not None else _number_or_none(value)


def _number_or_none(value: Any) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _references(
    reference: Mapping[str, float] | float | None, indicators: list[str], problems: list[str]
) -> dict[str, float]:
    out = dict.fromkeys(indicators, float("nan"))
    if reference is None:
        return out
    if isinstance(reference, Mapping):
        # an indicator however its name's blanks and width were typed (indicator_name)
        known = {normal_text(name): name for name in indicators}
        unknown = [k for k in reference if normal_text(k) not in known]
        if unknown:
            problems.append(
                f"parameter 'reference': no indicator named {unknown!r} (indicators: {indicators})"
            )
        items = [
            (known[normal_text(k)], v) for k, v in reference.items() if normal_text(k) in known
        ]
    else:
        items = [(name, reference) for name in indicators]
    for name, value in items:
        try:
            out[name] = _reference_value(value, name)
        except InputError as exc:
            problems.append(str(exc))
    return out
