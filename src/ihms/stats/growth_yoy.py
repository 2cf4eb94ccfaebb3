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

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms._repr import brief_repr
from ihms.errors import DataError, InputError, did_you_mean, format_location
from ihms.stats._plain import is_missing, plain
from ihms.summary import SummaryTable

__all__ = ["GrowthSeries", "growth_series"]

Frequency = Literal["year", "month"]
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_COLUMNS = {
    "year": ["yoy_change", "yoy_growth", "yoy_points"],
    "month": [
        "yoy_change",
        "yoy_growth",
        "yoy_points",
        "mom_change",
        "mom_growth",
        "mom_points",
    ],
}


def _period_key(value: Any, frequency: Frequency) -> int | None:
    """An ordinal for the period: the year itself, or ``12 * year + month - 1``."""
    if is_missing(value) or isinstance(value, bool):
        return None
    if frequency == "year":
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return int(value) if float(value).is_integer() else None
        match = _YEAR.match(unicodedata.normalize("NFKC", str(value)).strip())
        return int(match.group(1)) if match else None
    if isinstance(value, pd.Period):
        return 12 * value.year + value.month - 1 if value.freqstr.startswith("M") else None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return 12 * value.year + value.month - 1
    match = _MONTH.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return 12 * int(match.group(1)) + int(match.group(2)) - 1


def _period_label(key: int, frequency: Frequency) -> int | str:
    return key if frequency == "year" else f"{key // 12}-{key % 12 + 1:02d}"


def _value(value: Any) -> tuple[float | None, bool, bool]:
    """``(number, written with a % sign, bad)``; an empty cell is ``(None, False, False)``.

    Spreadsheet forms are read: thousands separators (``1,347.5``), full-width digits
    and a trailing per cent sign (``50.8%``).
    """
    if is_missing(value):
        return None, False, False
    if isinstance(value, bool):
        return None, False, True
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return (number, False, False) if np.isfinite(number) else (None, False, True)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if text == "":
        return None, False, False
    percent = text.endswith("%")
    try:
        number = float(text[:-1] if percent else text)
    except ValueError:
        return None, False, True
    return (number, percent, False) if np.isfinite(number) else (None, False, True)


@dataclass(frozen=True, eq=False)
class GrowthSeries:
    """Period-on-period growth of one or more indicator series.

    Attributes
    ----------
    frame
        One row per indicator and period, in the order of the periods: ``indicator``,
        ``period`` (a year, or ``YYYY-MM``), ``value``, ``yoy_change`` (value minus the
        previous year's), ``yoy_growth`` (a fraction; missing for rate indicators),
        ``yoy_points`` (percentage points; rate indicators only), for monthly series the
        same three ``mom_*`` columns against the previous month, and ``index`` (the
        fixed-base index, base period = 100; missing for rate indicators).
    frequency
        ``"year"`` or ``"month"``.
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

    def __repr__(self) -> str:
        return brief_repr(
            self,
            indicators=self.frame["indicator"].nunique(),
            periods=self.frame["period"].nunique(),
            frequency=self.frequency,
            notes=len(self.notes),
        )

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`frame` (growths as fractions, changes in percentage points)."""
        return self.frame.copy()

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
        words = {"yoy": "year-on-year", "mom": "month-on-month"}
        for prefix in ("yoy", "mom") if self.frequency == "month" else ("yoy",):
            show[f"{prefix}_growth"] = f"{words[prefix]} growth"
            show[f"{prefix}_points"] = f"{words[prefix]} change (pp)"
        show["index"] = f"index ({self.base_period} = 100)"
        kept = {k: v for k, v in show.items() if k in ("period", "value") or frame[k].notna().any()}
        shown = frame.set_index("indicator")[list(kept)].rename(columns=kept)
        formats: dict[str, Any] = {"value": _value_cell}
        for name in kept.values():
            if name.endswith("growth"):
                formats[name] = "{:+.1%}".format
            elif name.endswith("(pp)"):
                formats[name] = "{:+.1f} pp".format
            elif name.startswith("index"):
                formats[name] = "{:.1f}".format
        notes = ["Growth = value / value of the previous period - 1."]
        if self.rates:
            notes.append(f"Rates and shares change in percentage points: {', '.join(self.rates)}.")
        periods = frame["period"].tolist()  # years, or zero-padded YYYY-MM: both sort
        span = f"{min(periods)}–{max(periods)}" if periods else ""
        title = (
            "Year-on-year growth"
            if self.frequency == "year"
            else "Year-on-year (same month) and month-on-month growth"
        )
        return SummaryTable(
            shown, title=f"{title}, {span}", notes=tuple(notes) + self.notes, formats=formats
        )


def _value_cell(value: float) -> str:
    """A level as tables print it: large levels whole with separators (1,367,480), others
    to two decimals (17.13), small magnitudes (a rate given as a fraction) to four
    significant digits."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.4g}"


def _check_options(
    data: Any,
    frequency: Any,
    rate_unit: Any,
    value_col: str | Sequence[str],
    indicator_col: str | None,
    where: str,
) -> list[str]:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{where}: expected a pandas DataFrame, got {type(data).__name__}")
    if frequency not in ("year", "month"):
        raise InputError(f"parameter 'frequency': expected 'year' or 'month', got {frequency!r}")
    if rate_unit not in ("percent", "fraction"):
        raise InputError(
            f"parameter 'rate_unit': expected 'percent' (50.8 for 50.8%) or 'fraction' "
            f"(0.508), got {rate_unit!r}"
        )
    columns = [value_col] if isinstance(value_col, str) else list(value_col)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise InputError(f"parameter 'value_col': expected column name(s), got {value_col!r}")
    if indicator_col is not None and len(columns) > 1:
        raise InputError(
            "parameters 'indicator_col' and 'value_col': a long table has one value column "
            f"(with an indicator column), a wide one several value columns; got {columns}"
        )
    return columns


def growth_series(
    data: pd.DataFrame,
    *,
    period_col: str | None = None,
    value_col: str | Sequence[str] = "value",
    indicator_col: str | None = None,
    frequency: Frequency = "year",
    rates: Collection[str] | bool = (),
    rate_unit: Literal["percent", "fraction"] = "percent",
    base_period: Any = None,
    source: str | None = None,
) -> GrowthSeries:
    """Year-on-year (and month-on-month) growth of every indicator in a table.

    Parameters
    ----------
    data
        Long (one row per indicator and period, with ``indicator_col``) or wide (one
        row per period, one column per indicator in ``value_col``). Not modified. An
        empty value cell is a gap.
    period_col
        Column of the periods (default ``"year"`` or ``"month"``): whole years
        (``2019``, ``"2019年"``), or months (``"2019-03"``, ``"2019/3"``, ``"2019年3月"``,
        dates).
    value_col
        The value column, or several (a wide table: each column an indicator).
    indicator_col
        Column naming the indicator in a long table.
    frequency
        ``"year"``: growth on the previous year. ``"month"``: growth on the same month
        of the previous year and on the previous month.
    rates
        Indicators that are rates or shares, whose change is given in percentage points
        (``True``: all). An indicator whose values are written with a per cent sign
        (``"50.8%"``) is one too.
    rate_unit
        How rate indicators are written: ``"percent"`` (50.8) or ``"fraction"`` (0.508).
    base_period
        Base of the fixed-base index (default: the first period of the table).
    source
        File name used in error messages.

    Raises
    ------
    DataError
        Listing every problem: missing columns, unreadable periods or values, the same
        indicator and period twice, unknown names in ``rates``, a base period that is
        not in the table.

    Examples
    --------
    Health technical personnel (卫生技术人员, 10,000 persons), national statistical
    communiqués 2020 and 2021: 1,015.4 → 1,067.8 → 1,124.2, printed +5.2 % and +5.3 %.

    >>> table = pd.DataFrame({"year": [2019, 2020, 2021], "value": [1015.4, 1067.8, 1124.2]})
    >>> [round(100 * g, 1) for g in growth_series(table).frame["yoy_growth"].iloc[1:]]
    [5.2, 5.3]
    """
    where = source or "data"
    columns = _check_options(data, frequency, rate_unit, value_col, indicator_col, where)
    period_col = period_col or frequency
    needed = [period_col, *columns] + ([indicator_col] if indicator_col else [])
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise DataError(
            f"{where}: missing column(s) {absent}; the table has {list(data.columns)}",
            [
                f"{where}: expected a column named '{c}'" + did_you_mean(c, data.columns)
                for c in absent
            ],
        )
    problems: list[str] = []
    series: dict[str, dict[int, float | None]] = {}
    percent_written: set[str] = set()
    seen: dict[tuple[str, int], int] = {}
    names = data[indicator_col].tolist() if indicator_col else None
    periods = data[period_col].tolist()
    for column in columns:
        for i, (period, value) in enumerate(zip(periods, data[column].tolist(), strict=True)):
            row = i + 2
            name = names[i] if names is not None else column
            if is_missing(name) or str(name).strip() == "":
                problems.append(
                    f"{format_location(file=source, row=row, field=indicator_col)}: "
                    "expected an indicator name, got an empty cell"
                )
                continue
            name = str(name)
            key = _period_key(period, frequency)
            if key is None:
                expected = (
                    "a whole year such as 2019"
                    if frequency == "year"
                    else ("a month such as 2019-03")
                )
                problems.append(
                    f"{format_location(file=source, row=row, field=period_col)}: "
                    f"expected {expected}, got {period!r}"
                )
                continue
            number, percent, bad = _value(value)
            label = f"indicator {name!r}, {frequency} {_period_label(key, frequency)}"
            if bad:
                problems.append(
                    f"{format_location(file=source, row=row, field=column)} ({label}): "
                    f"expected a number, got {value!r}"
                )
                continue
            if (name, key) in seen:
                problems.append(
                    f"{format_location(file=source, row=row)} ({label}): a second value for "
                    f"the same {frequency} (first in row {seen[(name, key)]:,})"
                )
                continue
            seen[(name, key)] = row
            if percent:
                percent_written.add(name)
                number = number / 100 if rate_unit == "fraction" else number  # type: ignore[operator]
            series.setdefault(name, {})[key] = number
    indicators = list(series)
    rate_names = _rate_names(rates, indicators, percent_written, problems)
    all_keys = sorted({k for values in series.values() for k in values})
    base = all_keys[0] if base_period is None and all_keys else None
    if base_period is not None:
        base = _period_key(base_period, frequency)
        if base is None or base not in all_keys:
            problems.append(
                f"parameter 'base_period': expected a {frequency} of the table "
                f"({_span(all_keys, frequency)}), got {base_period!r}"
            )
    if not all_keys and not problems:
        problems.append(f"{where}: no rows")
    if problems:
        raise DataError(f"{where}: {len(problems):,} problem(s) in the series", problems)
    notes: list[str] = []
    rows = []
    for name in indicators:
        rows.extend(
            _indicator_rows(
                name, series[name], frequency, name in rate_names, rate_unit, base, notes
            )  # type: ignore[arg-type]
        )
    frame = pd.DataFrame(
        rows, columns=["indicator", "period", "value", *_COLUMNS[frequency], "index"]
    )
    if frequency == "year":
        frame["period"] = frame["period"].astype("int64")
    order = [r for r in rate_names if r in indicators]
    return GrowthSeries(
        frame=frame,
        frequency=frequency,
        base_period=_period_label(base, frequency),  # type: ignore[arg-type]
        rates=tuple(order),
        notes=tuple(notes),
    )


def _span(keys: list[int], frequency: Frequency) -> str:
    if not keys:
        return "none"
    return f"{_period_label(keys[0], frequency)}–{_period_label(keys[-1], frequency)}"


def _rate_names(
    rates: Collection[str] | bool, indicators: list[str], percent: set[str], problems: list[str]
) -> list[str]:
    if rates is True:
        return list(indicators)
    if rates is False or rates is None:
        chosen: list[str] = []
    elif isinstance(rates, str):
        chosen = [rates]
    else:
        chosen = [str(r) for r in rates]
    for name in chosen:
        if name not in indicators:
            problems.append(
                f"parameter 'rates': no indicator named {name!r}"
                + (did_you_mean(name, indicators) or f" (indicators: {indicators})")
            )
    return [n for n in indicators if n in chosen or n in percent]


def _indicator_rows(
    name: str,
    values: dict[int, float | None],
    frequency: Frequency,
    is_rate: bool,
    rate_unit: str,
    base: int,
    notes: list[str],
) -> list[list[Any]]:
    label = lambda key: _period_label(key, frequency)  # noqa: E731
    valued = sorted(k for k, v in values.items() if v is not None)
    first = valued[0] if valued else None
    lags = {"yoy": 1 if frequency == "year" else 12}
    if frequency == "month":
        lags["mom"] = 1
    words = {"yoy": "year-on-year", "mom": "month-on-month"}
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
                gaps.setdefault(key - lag, []).append(f"{words[prefix]} of {label(key)}")
            if current is not None and prev is not None:
                change = current - prev
                if is_rate:
                    points = points_scale * change
                elif prev > 0:
                    growth = current / prev - 1
                else:
                    notes.append(
                        f"indicator {name!r}, {label(key)}: {words[prefix]} growth missing — "
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
