"""Growth at comparable prices (按可比价格, 扣除价格因素): money series deflated by a
price index such as the consumer price index (CPI).

With nominal growth ``g`` of a money value and price inflation ``p`` over the same
span, the real growth is

    real = (1 + g) / (1 + p) - 1,

as the statistical communiqués print it ("名义增长8.7%，扣除价格因素，实际增长6.5%").
The price index comes in one of the two forms yearbooks print:

- ``price_base="previous"``: the same period a year before = 100 (上年=100, a chain
  index; the CPI of 2018 is 102.1), so ``p = index / 100 - 1``;
- ``price_base=<period>``: a fixed base (2015 = 100), so ``p = index[t] /
  index[t - 1 year] - 1``, and the value at base-period prices is ``100 * value /
  index``.

An index that cannot be on base 100 is refused: a chain index outside 50–200, or a
fixed-base index below 10, is a percentage change (2.0) or a fraction (1.02) given in
place of the index (102.0).

A period without a price index, or without last year's value, has no real growth and
a note says so. The average annual real growth (年均实际增长) over a span of years
needs every year's real growth in it; neither average exists when the first or last
value is <= 0 (a note says so, as :func:`ihms.stats.average_annual_growth_rate`
refuses such a value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.stats._cells import blank_rows, column_names, first_row
from ihms.stats._growth_periods import (
    EXAMPLE,
    PER_YEAR,
    Frequency,
    period_key,
    period_label,
    rate_cell,
    read_value,
    value_cells,
)
from ihms.stats._growth_read import PeriodResult, raise_problems, ranges, rate_names, read_series
from ihms.stats._plain import is_missing, plain
from ihms.summary import SummaryTable

__all__ = ["ComparableGrowth", "comparable_growth"]

_PCT = rate_cell


@dataclass(frozen=True, eq=False, repr=False)
class ComparableGrowth(PeriodResult):
    """Nominal and real (comparable-price) growth of money series.

    Attributes
    ----------
    frame
        One row per indicator and period: ``indicator``, ``period``, ``value``,
        ``price_index`` (as given), ``nominal_growth``, ``inflation`` (price growth on
        the same period a year before), ``real_growth`` (fractions) and
        ``real_value`` (at base-period prices; fixed-base indices only).
    average
        Years only, one row per indicator: ``start``, ``end``, ``average_nominal_growth``
        and ``average_real_growth`` (年均增长, geometric), missing when a year's growth
        is missing.
    frequency
        ``"year"``, ``"quarter"`` or ``"month"``.
    price_base
        ``"previous"`` (same period a year before = 100) or the base period.
    price_name
        What deflated the values (shown in the summary).
    notes
        Every growth left missing and why.
    """

    frame: pd.DataFrame
    average: pd.DataFrame
    frequency: Frequency
    price_base: int | str
    price_name: str
    notes: tuple[str, ...]

    def _repr_options(self) -> dict[str, Any]:
        return {"price_base": self.price_base}

    def to_dict(self) -> dict[str, Any]:
        """The options, ``notes``, ``rows`` and ``average`` (records)."""
        return {
            "frequency": self.frequency,
            "price_base": plain(self.price_base),
            "price_name": self.price_name,
            "method": "real = (1 + nominal) / (1 + inflation) - 1",
            "notes": list(self.notes),
            "rows": plain(self.frame),
            "average": plain(self.average),
        }

    def summary(self) -> SummaryTable:
        """Nominal and real growth side by side, stating which is which."""
        names = {
            "period": self.frequency,
            "value": "value (current prices)",
            "price_index": "price index",
            "nominal_growth": "nominal growth",
            "inflation": "price change",
            "real_growth": "real growth (comparable prices)",
        }
        if self.frame["real_value"].notna().any():
            names["real_value"] = f"value at {self.price_base} prices"
        shown = self.frame.set_index("indicator")[list(names)].rename(columns=names)
        base = (
            "same period a year before = 100"
            if self.price_base == "previous"
            else f"{self.price_base} = 100"
        )
        notes = [
            f"Deflated by {self.price_name} ({base}): real growth = (1 + nominal growth) / "
            "(1 + price change) - 1 (按可比价格, 扣除价格因素).",
        ]
        for row in self.average.dropna(subset=["start"]).itertuples():
            notes.append(
                f"{row.indicator}: average annual growth {row.start}–{row.end} "
                f"nominal {_pct_or_dash(row.average_nominal_growth)}, real "
                f"{_pct_or_dash(row.average_real_growth)}."
            )
        return SummaryTable(
            shown,
            title="Growth at current and at comparable prices",
            notes=(*notes, *self.notes),
            formats={
                names["value"]: value_cells(shown[names["value"]]),
                "price index": "{:.1f}".format,
                "nominal growth": _PCT,
                "price change": _PCT,
                "real growth (comparable prices)": _PCT,
                **(
                    {names["real_value"]: value_cells(shown[names["real_value"]])}
                    if "real_value" in names
                    else {}
                ),
            },
        )


def _pct_or_dash(value: float) -> str:
    return "—" if value is None or not np.isfinite(value) else _PCT(value)


def comparable_growth(
    data: pd.DataFrame,
    *,
    prices: pd.DataFrame | None = None,
    price_col: str = "index",
    price_base: Any = "previous",
    price_name: str = "the price index",
    period_col: str | None = None,
    price_period_col: str | None = None,
    value_col: str | Sequence[str] = "value",
    indicator_col: str | None = None,
    frequency: Frequency = "year",
    source: str | None = None,
    price_source: str | None = None,
) -> ComparableGrowth:
    """Nominal and real growth of every money indicator, deflated by a price index.

    Parameters
    ----------
    data
        Long (with ``indicator_col``) or wide (several ``value_col``) table of money
        values by period. Not modified.
    prices
        A table of the price index by period; None: ``price_col`` is a column of
        ``data`` (the same on every row of a period).
    price_col
        The index column.
    price_base
        ``"previous"``: the index is the same period a year before = 100 (上年=100, as
        yearbooks print the CPI: 102.1). A period (2015): a fixed-base index, 100 in
        that period.
    price_name
        What the index is (``"CPI"``), for the summary.
    period_col, price_period_col
        Period columns of ``data`` and ``prices`` (default: ``frequency``'s name;
        ``price_period_col`` defaults to ``period_col``).
    value_col, indicator_col, frequency, source
        As :func:`ihms.stats.growth_series`.
    price_source
        File name of ``prices`` for error messages.

    Raises
    ------
    DataError
        Listing every problem: those of :func:`ihms.stats.growth_series`, values written
        as rates (%), an index that is not a number > 0, a chain index outside 50–200
        or a fixed-base index below 10 (a percentage change, 2.0, or a fraction, 1.02,
        given in place of the index, 102.0), a period priced twice (two different
        indices), a fixed base period whose index is not 100.

    Examples
    --------
    National statistics (国家统计局, 2017 household survey release): per-capita
    disposable income 23,821 (2016) → 25,974 yuan (2017), "比上年增长9.0%，扣除价格因素，
    实际增长7.3%"; CPI 2017 = 101.6 (上年=100).

    >>> income = pd.DataFrame({"year": [2016, 2017], "value": [23821, 25974],
    ...                        "cpi": [102.0, 101.6]})
    >>> row = comparable_growth(income, price_col="cpi").frame.iloc[1]
    >>> round(100 * float(row["nominal_growth"]), 1), round(100 * float(row["real_growth"]), 1)
    (9.0, 7.3)
    """
    where = source or "data"
    period_col = period_col or frequency
    fixed = price_base != "previous"
    base_key = period_key(price_base, frequency) if fixed else None
    if fixed and base_key is None:
        raise InputError(
            f"parameter 'price_base': expected 'previous' (same period a year before = "
            f"100) or the base period of a fixed-base index, {EXAMPLE[frequency]}, got "
            f"{price_base!r}"
        )
    if prices is not None and not isinstance(prices, pd.DataFrame):
        raise InputError(
            f"parameter 'prices': expected a pandas DataFrame, got {type(prices).__name__}"
        )
    problems: list[str] = []
    read = read_series(
        data,
        period_col=period_col,
        value_col=value_col,
        indicator_col=indicator_col,
        frequency=frequency,
        source=source,
        problems=problems,
    )
    for name in rate_names((), list(read.values), read.percent_written, problems):
        problems.append(
            f"indicator {name!r} is written as a rate (%): only money values are deflated"
        )
    # the base the index is on, for the range check of every index
    on_base = period_label(base_key, frequency) if fixed else None
    if prices is None:
        index = _read_index(data, period_col, price_col, frequency, source, problems, on_base)
    else:
        index = _read_index(
            prices,
            price_period_col or period_col,
            price_col,
            frequency,
            price_source,
            problems,
            on_base,
        )
    if fixed and base_key in index and abs(index[base_key] - 100) > 0.05:
        problems.append(
            f"parameter 'price_base': the index of the base period {price_base} is "
            f"{index[base_key]:g} in {price_source or where}, expected 100"
        )
    raise_problems(where, read, problems)
    notes: list[str] = list(read.notes)
    rows: list[list[Any]] = []
    averages: list[list[Any]] = []
    for name, values in read.values.items():
        rows.extend(_indicator_rows(name, values, index, frequency, fixed, notes))
        if frequency == "year":
            averages.append(_average(name, rows, notes))
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "period",
            "value",
            "price_index",
            "nominal_growth",
            "inflation",
            "real_growth",
            "real_value",
        ],
    )
    average = pd.DataFrame(
        averages,
        columns=["indicator", "start", "end", "average_nominal_growth", "average_real_growth"],
    )
    return ComparableGrowth(
        frame=frame,
        average=average,
        frequency=frequency,
        price_base=period_label(base_key, frequency) if fixed else "previous",  # type: ignore[arg-type]
        price_name=str(price_name),
        notes=tuple(notes),
    )


def _read_index(
    table: pd.DataFrame,
    period_col: str,
    price_col: str,
    frequency: Frequency,
    source: str | None,
    problems: list[str],
    on_base: Any = None,
) -> dict[int, float]:
    """The index by period key; ``on_base`` is the fixed base period (None: a chain
    index, the same period a year before = 100)."""
    where = source or "data"
    absent = [c for c in (period_col, price_col) if c not in table.columns]
    if absent:
        raise DataError(
            f"{where}: missing column(s) {', '.join(absent)} for the price index; the table "
            f"has {column_names(table.columns)}",
            [
                f"{where}: expected a column named '{c}'" + did_you_mean(c, table.columns)
                for c in absent
            ],
        )
    index: dict[int, float] = {}
    row_of: dict[int, int] = {}
    blank = blank_rows(table)  # the ,,, lines at the end of an Excel export: no index
    first = first_row(table)
    for i, (period, cell) in enumerate(
        zip(table[period_col].tolist(), table[price_col].tolist(), strict=True)
    ):
        if blank[i]:
            continue
        row = i + first
        key = period_key(period, frequency)
        if key is None:
            problems.append(
                f"{format_location(file=source, row=row, field=period_col)}: expected "
                f"{EXAMPLE[frequency]}, got {period!r}"
            )
            continue
        if is_missing(cell) or str(cell).strip() == "":
            continue
        number, percent, bad = read_value(cell)
        if bad or percent or number is None or number <= 0:
            problems.append(
                f"{format_location(file=source, row=row, field=price_col)}: expected a price "
                f"index > 0 (such as 102.1), got {cell!r}"
            )
            continue
        if implausible := _off_base(number, on_base):
            problems.append(
                f"{format_location(file=source, row=row, field=price_col)}: {implausible}"
            )
            continue
        if key in index and index[key] != number:
            problems.append(
                f"{format_location(file=source, row=row, field=price_col)}: a second price "
                f"index for {period_label(key, frequency)}, {number:g} (first {index[key]:g} "
                f"in row {row_of[key]})"
            )
            continue
        row_of.setdefault(key, row)
        index[key] = number
    return index


# A chain index (上年=100) outside this range means prices halved or more than doubled
# in a year: yearbook CPIs run about 95-110, so such a value is a 涨幅 (2.0 for +2 %) or a
# factor (1.02) given in place of the index (102.0). A fixed-base index below FIXED_LOW
# (prices at a tenth of the base period's) is refused for the same reason.
CHAIN_RANGE = (50.0, 200.0)
FIXED_LOW = 10.0


def _off_base(number: float, on_base: Any) -> str | None:
    """Why ``number`` cannot be an index on base 100 (None: it can)."""
    hint = ": a percentage change (2.0) or a fraction (1.02)?"
    if on_base is None:
        low, high = CHAIN_RANGE
        if low <= number <= high:
            return None
        return (
            "expected an index with the same period a year before = 100, such as 102.0 for "
            f"a rise of 2%, got {number:g}{hint if number < low else ''} (an index outside "
            f"{low:g}–{high:g} is refused)"
        )
    if number >= FIXED_LOW:
        return None
    return (
        f"expected an index with {on_base} = 100, such as 102.0 for prices 2% above "
        f"{on_base}, got {number:g}{hint} (an index below {FIXED_LOW:g} is refused)"
    )


def _indicator_rows(
    name: str,
    values: dict[int, float | None],
    index: dict[int, float],
    frequency: Frequency,
    fixed: bool,
    notes: list[str],
) -> list[list[Any]]:
    lag = PER_YEAR[frequency]
    label = lambda key: period_label(key, frequency)  # noqa: E731
    valued = sorted(k for k, v in values.items() if v is not None)
    unpriced: list[int] = []
    rows = []
    for key in sorted(values):
        value, before = values[key], values.get(key - lag)
        nominal = inflation = real = real_value = np.nan
        if value is not None and before is not None and before > 0:
            nominal = value / before - 1
        elif value is not None and before is not None:
            notes.append(
                f"indicator {name!r}, {label(key)}: growth missing — the base value in "
                f"{label(key - lag)} is {before:g} (a growth rate needs a base > 0)"
            )
        price = index.get(key, np.nan)
        if fixed:
            if key in index and key - lag in index:
                inflation = index[key] / index[key - lag] - 1
            if value is not None and key in index:
                real_value = 100.0 * value / index[key]
        elif key in index:
            inflation = index[key] / 100.0 - 1
        if np.isfinite(nominal):
            real = (1 + nominal) / (1 + inflation) - 1
            if not np.isfinite(inflation):
                unpriced.append(key)
        elif value is not None and valued and key - lag >= valued[0] and before is None:
            notes.append(
                f"indicator {name!r}: no value for {label(key - lag)}, so no growth for "
                f"{label(key)} (not computed over a longer span)"
            )
        rows.append([name, label(key), value, price, nominal, inflation, real, real_value])
    if unpriced:
        needs = "its index and the index a year before" if fixed else "its index"
        notes.append(
            f"indicator {name!r}: no real growth for {ranges(unpriced, label)} — the price "
            f"index lacks the period ({needs} are needed)"
        )
    return rows


def _average(name: str, rows: list[list[Any]], notes: list[str]) -> list[Any]:
    mine = [r for r in rows if r[0] == name and r[2] is not None and np.isfinite(r[2])]
    if len(mine) < 2:
        return [name, np.nan, np.nan, np.nan, np.nan]
    start, end = mine[0][1], mine[-1][1]
    years = end - start
    for year, value in ((start, mine[0][2]), (end, mine[-1][2])):
        if value <= 0:  # as average_annual_growth_rate refuses it: no rate exists
            notes.append(
                f"indicator {name!r}: no average annual growth {start}–{end} — the value in "
                f"{year} is {value:g} (expected a value > 0 for a growth rate)"
            )
            return [name, start, end, np.nan, np.nan]
    nominal = float((mine[-1][2] / mine[0][2]) ** (1 / years) - 1)
    span = [r for r in rows if r[0] == name and start < r[1] <= end]
    reals = [r[6] for r in span]
    if len(span) == years and all(np.isfinite(reals)):
        real = float(np.prod([1 + g for g in reals]) ** (1 / years) - 1)
    else:
        real = np.nan
        notes.append(
            f"indicator {name!r}: no average annual real growth {start}–{end} — a year's "
            "real growth is missing"
        )
    return [name, start, end, nominal, real]
