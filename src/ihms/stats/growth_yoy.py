"""Year-on-year and month-on-month growth, percentage-point changes and fixed-base
indices of indicator series, as statistical yearbooks and communiqués print them.

For each indicator and period ``t`` of a series:

- **year-on-year growth** (比上年增长, 同比): ``value[t] / value[t - 1 year] - 1``; for a
  monthly series the same month of the previous year;
- **month-on-month growth** (环比), monthly series only: ``value[t] / value[t - 1 month] - 1``;
- **change** (比上年增减): ``value[t] - value[previous]`` in the indicator's own unit;
- **percentage points** (百分点) instead of a growth for indicators that are themselves
  rates or shares: a share going from 50.8 % to 63.0 % is +12.2 points, not +24 %;
- **fixed-base index** (定基指数): ``100 * value[t] / value[base period]``.

A growth needs both periods: when the previous year (or month) has no value the growth
is missing and a note says so — it is never computed over a longer span. A base value
of zero or below gives a missing growth (and a note) too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.stats._growth_periods import (
    PER_YEAR,
    Frequency,
    period_key,
    period_label,
    points_cell,
    rate_cell,
    value_cells,
)
from ihms.stats._growth_read import (
    RATE_UNITS,
    PeriodResult,
    raise_problems,
    rate_names,
    read_series,
    unit_of,
)
from ihms.stats._plain import plain
from ihms.summary import SummaryTable

__all__ = ["GrowthSeries", "growth_series"]

# the period-on-period (环比) prefix of each frequency; a year has none beyond its yoy
_ON_PREVIOUS = {"quarter": "qoq", "month": "mom"}
_WORDS = {"yoy": "year-on-year", "qoq": "quarter-on-quarter", "mom": "month-on-month"}
#: The summary's note on how a growth (a fraction, shown in percent) is computed.
GROWTH_NOTE = "Growth = value / value of the previous period - 1."


def _columns(frequency: Frequency) -> list[str]:
    prefixes = ["yoy"] + ([_ON_PREVIOUS[frequency]] if frequency in _ON_PREVIOUS else [])
    return [f"{p}_{kind}" for p in prefixes for kind in ("change", "growth", "points")]


@dataclass(frozen=True, eq=False, repr=False)
class GrowthSeries(PeriodResult):
    """Period-on-period growth of one or more indicator series.

    Attributes
    ----------
    frame
        One row per indicator and period, in the order of the periods: ``indicator``,
        ``period`` (a year, ``YYYYQn`` or ``YYYY-MM``), ``value``, ``yoy_change`` (value
        minus the same period's a year before), ``yoy_growth`` (a fraction; missing for
        rate indicators), ``yoy_points`` (percentage points; rate indicators only), for
        quarterly and monthly series the same three ``qoq_*`` / ``mom_*`` columns
        against the previous quarter or month (环比), and ``index`` (the fixed-base
        index, base period = 100; missing for rate indicators).
    frequency
        ``"year"``, ``"quarter"`` or ``"month"``.
    base_period
        The base of ``index``.
    rates
        Indicators that are rates or shares (changes in percentage points).
    notes
        Every growth left missing and why (a gap in the series, a base value <= 0).
    """

    frame: pd.DataFrame
    frequency: Frequency
    base_period: int | str
    rates: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """``frequency``, ``base_period``, ``rates``, ``notes`` and ``rows`` (records)."""
        return {
            "frequency": self.frequency,
            "base_period": plain(self.base_period),
            "rates": list(self.rates),
            "notes": list(self.notes),
            "rows": plain(self.frame),
        }

    def summary(self) -> SummaryTable:
        """Growths in percent (+3.8%), rate indicators in percentage points (+12.2 pp)."""
        frame = self.frame
        show = {"period": self.frequency, "value": "value"}
        prefixes = ["yoy"] + (
            [_ON_PREVIOUS[self.frequency]] if self.frequency in _ON_PREVIOUS else []
        )
        for prefix in prefixes:
            show[f"{prefix}_growth"] = f"{_WORDS[prefix]} growth"
            show[f"{prefix}_points"] = f"{_WORDS[prefix]} change (pp)"
        show["index"] = f"index ({self.base_period} = 100)"
        kept = {k: v for k, v in show.items() if k in ("period", "value") or frame[k].notna().any()}
        shown = frame.set_index("indicator")[list(kept)].rename(columns=kept)
        formats: dict[str, Any] = {"value": value_cells(shown["value"])}
        for name in kept.values():
            if name.endswith("growth"):
                formats[name] = rate_cell
            elif name.endswith("(pp)"):
                formats[name] = points_cell
            elif name.startswith("index"):
                formats[name] = "{:.1f}".format
        notes = [GROWTH_NOTE]
        if self.rates:
            notes.append(f"Rates and shares change in percentage points: {', '.join(self.rates)}.")
        periods = frame["period"].tolist()  # years, 2019Q1 or zero-padded YYYY-MM: all sort
        span = f"{min(periods)}–{max(periods)}" if periods else ""
        title = {
            "year": "Year-on-year growth",
            "quarter": "Year-on-year (same quarter) and quarter-on-quarter growth",
            "month": "Year-on-year (same month) and month-on-month growth",
        }[self.frequency]
        return SummaryTable(
            shown, title=f"{title}, {span}", notes=tuple(notes) + self.notes, formats=formats
        )


def growth_series(
    data: pd.DataFrame,
    *,
    period_col: str | None = None,
    value_col: str | Sequence[str] = "value",
    indicator_col: str | None = None,
    frequency: Frequency = "year",
    rates: Collection[str] | Mapping[str, Literal["percent", "fraction"]] | bool = (),
    rate_unit: Literal["percent", "fraction"] = "percent",
    base_period: Any = None,
    source: str | None = None,
) -> GrowthSeries:
    """Year-on-year (and quarter- or month-on-month) growth of every indicator in a table.

    Parameters
    ----------
    data
        Long (one row per indicator and period, with ``indicator_col``) or wide (one
        row per period, one column per indicator in ``value_col``). Not modified. An
        empty value cell is a gap.
    period_col
        Column of the periods (default: ``frequency``'s name): whole years (``2019``,
        ``"2019年"``), quarters (``"2019Q1"``, ``"2019-Q1"``, ``"2019年第一季度"``,
        ``"2019年1季度"``) or months (``"2019-03"``, ``"2019/3"``, ``"2019年3月"``, dates).
    value_col
        The value column, or several (a wide table: each column an indicator).
    indicator_col
        Column naming the indicator in a long table.
    frequency
        ``"year"``: growth on the previous year. ``"quarter"`` / ``"month"``: growth on
        the same quarter or month of the previous year (同比) and on the previous
        quarter or month (环比).
    rates
        Indicators that are rates or shares, whose change is given in percentage points
        (``True``: all). An indicator whose values are written with a per cent sign
        (``"50.8%"``) is one too. A mapping names each rate's own unit
        (``{"bed_ratio": "fraction", "primary_share": "percent"}``).
    rate_unit
        How rate indicators are written (those ``rates`` does not map to a unit):
        ``"percent"`` (50.8) or ``"fraction"`` (0.508).
    base_period
        Base of the fixed-base index (default: the first period of the table).
    source
        File name used in error messages.

    Raises
    ------
    DataError
        Listing every problem: missing columns, unreadable periods or values (a quarter
        in a monthly table among them), the same indicator and period twice, unknown
        names in ``rates``, a base period that is not in the table.

    Examples
    --------
    Health technical personnel (卫生技术人员, 10,000 persons), national statistical
    communiqués 2020 and 2021: 1,015.4 → 1,067.8 → 1,124.2, printed +5.2 % and +5.3 %.

    >>> table = pd.DataFrame({"year": [2019, 2020, 2021], "value": [1015.4, 1067.8, 1124.2]})
    >>> [round(100 * g, 1) for g in growth_series(table).frame["yoy_growth"].iloc[1:]]
    [5.2, 5.3]
    """
    where = source or "data"
    if rate_unit not in RATE_UNITS:
        raise InputError(
            f"parameter 'rate_unit': expected 'percent' (50.8 for 50.8%) or 'fraction' "
            f"(0.508), got {rate_unit!r}"
        )
    problems: list[str] = []
    read = read_series(
        data,
        period_col=period_col or frequency,
        value_col=value_col,
        indicator_col=indicator_col,
        frequency=frequency,
        rate_unit=rate_unit,
        rates=rates,
        source=source,
        problems=problems,
    )
    indicators = list(read.values)
    rated = rate_names(rates, indicators, read.percent_written, problems)
    all_keys = read.keys
    base = all_keys[0] if base_period is None and all_keys else None
    if base_period is not None:
        base = period_key(base_period, frequency)
        if base is None or base not in all_keys:
            problems.append(
                f"parameter 'base_period': expected a {frequency} of the table "
                f"({_span(all_keys, frequency)}), got {base_period!r}"
            )
    raise_problems(where, read, problems)
    notes: list[str] = list(read.notes)
    rows = []
    for name in indicators:
        rows.extend(
            _indicator_rows(
                name,
                read.values[name],
                frequency,
                name in rated,
                unit_of(name, rates, rate_unit),
                base,
                notes,
            )  # type: ignore[arg-type]
        )
    frame = pd.DataFrame(
        rows, columns=["indicator", "period", "value", *_columns(frequency), "index"]
    )
    if frequency == "year":
        frame["period"] = frame["period"].astype("int64")
    return GrowthSeries(
        frame=frame,
        frequency=frequency,
        base_period=period_label(base, frequency),  # type: ignore[arg-type]
        rates=tuple(r for r in rated if r in indicators),
        notes=tuple(notes),
    )


def _span(keys: list[int], frequency: Frequency) -> str:
    if not keys:
        return "none"
    return f"{period_label(keys[0], frequency)}–{period_label(keys[-1], frequency)}"


def _indicator_rows(
    name: str,
    values: dict[int, float | None],
    frequency: Frequency,
    is_rate: bool,
    rate_unit: str,
    base: int,
    notes: list[str],
) -> list[list[Any]]:
    label = lambda key: period_label(key, frequency)  # noqa: E731
    valued = sorted(k for k, v in values.items() if v is not None)
    first = valued[0] if valued else None
    lags = {"yoy": PER_YEAR[frequency]}
    if frequency in _ON_PREVIOUS:
        lags[_ON_PREVIOUS[frequency]] = 1
    gaps: dict[int, list[str]] = {}
    points_scale = 100.0 if rate_unit == "fraction" else 1.0
    base_value = values.get(base)
    if not is_rate and valued and (base_value is None or base_value <= 0):
        why = "no value" if base_value is None else f"a value of {base_value:g}"
        notes.append(
            f"indicator {name!r}: {why} in the base period {label(base)}, so no fixed-base index"
        )
    rows = []
    for key in sorted(values):
        current = values[key]
        row: list[Any] = [name, label(key), np.nan if current is None else current]
        for prefix, lag in lags.items():
            prev = values.get(key - lag)
            change = growth = points = np.nan
            if current is not None and prev is None and first is not None and key - lag >= first:
                gaps.setdefault(key - lag, []).append(f"{_WORDS[prefix]} of {label(key)}")
            if current is not None and prev is not None:
                change = current - prev
                if is_rate:
                    points = points_scale * change
                elif prev > 0:
                    growth = current / prev - 1
                else:
                    notes.append(
                        f"indicator {name!r}, {label(key)}: {_WORDS[prefix]} growth missing — "
                        f"the base value in {label(key - lag)} is {prev:g} (a growth rate "
                        "needs a base > 0)"
                    )
            row += [change, growth, points]
        index = np.nan
        if not is_rate and current is not None and base_value is not None and base_value > 0:
            index = 100.0 * current / base_value
        row.append(index)
        rows.append(row)
    for gap in sorted(gaps):
        notes.append(
            f"indicator {name!r}: no value for {label(gap)}, so these growths are missing "
            f"(not computed over a longer span): {', '.join(gaps[gap])}"
        )
    return rows
