"""Year-to-date cumulative figures (累计) and their year-on-year growth (累计同比).

Monthly reports (医保 fund income, outpatient visits) print, for each month ``m`` of a
year, the total from January to ``m`` and its growth on January to ``m`` of the year
before. From monthly (or quarterly) values:

- **cumulative** (累计): ``sum(value[year, 1..m])``;
- **cumulative growth** (累计同比): ``cumulative[year, m] / cumulative[year - 1, m] - 1``.

A cumulative figure needs every period from the start of its year: a month missing in
either year leaves the figure (and so the comparison) missing, and a note names the
month — it is never summed over fewer months. Tables that already hold cumulative
figures (``given="cumulative"``) are read as they are, and each period's own value is
the difference of two consecutive cumulative figures; a combined period as reports print
January and February (``2016年1-2月``) is the figure at its last month, the months before
it not reported alone (a note says so). A rate cannot be summed, so rate indicators are
refused: give their numerator and denominator as indicators instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms.errors import InputError, format_location
from ihms.stats._cells import first_row, normal_text
from ihms.stats._growth_periods import PER_YEAR, Frequency, period_label, rate_cell, value_cells
from ihms.stats._growth_read import (
    PeriodResult,
    exact_sum,
    raise_problems,
    ranges,
    rate_names,
    read_series,
)
from ihms.stats._plain import is_missing, plain
from ihms.summary import SummaryTable

__all__ = ["CumulativeGrowth", "cumulative_growth"]

_COLUMNS = [
    "indicator",
    "period",
    "value",
    "yoy_growth",
    "cumulative",
    "cumulative_from",
    "cumulative_change",
    "cumulative_growth",
]


@dataclass(frozen=True, eq=False, repr=False)
class CumulativeGrowth(PeriodResult):
    """Year-to-date cumulative figures and their growth on the same span a year before.

    Attributes
    ----------
    frame
        One row per indicator and period: ``indicator``, ``period``, ``value`` (the
        period's own value, 当月/当季), ``yoy_growth`` (that value on the same period a
        year before), ``cumulative`` (累计, from the first period of the year),
        ``cumulative_from`` (the first period summed), ``cumulative_change`` and
        ``cumulative_growth`` (累计同比, a fraction). Missing where a period is missing.
    frequency
        ``"month"`` or ``"quarter"``.
    given
        ``"period"`` (the table held each period's value) or ``"cumulative"``.
    notes
        Every figure left missing and the period whose value it lacks.
    """

    frame: pd.DataFrame
    frequency: Frequency
    given: str
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """``frequency``, ``given``, ``notes`` and ``rows`` (records)."""
        return {
            "frequency": self.frequency,
            "given": self.given,
            "notes": list(self.notes),
            "rows": plain(self.frame),
        }

    def summary(self) -> SummaryTable:
        """Cumulative figures and growths in percent, as monthly reports print them."""
        names = {
            "period": self.frequency,
            "value": "value",
            "yoy_growth": "year-on-year growth",
            "cumulative": "cumulative (year to date)",
            "cumulative_growth": "cumulative year-on-year growth",
        }
        shown = self.frame.set_index("indicator")[list(names)].rename(columns=names)
        pct = rate_cell
        return SummaryTable(
            shown,
            title=f"Year-to-date cumulative figures and their growth, by {self.frequency}",
            notes=(
                "Cumulative = sum from the first "
                f"{self.frequency} of the year; its growth compares the same span a year "
                "before (累计同比).",
                *self.notes,
            ),
            formats={
                "value": value_cells(shown["value"]),
                "cumulative (year to date)": value_cells(shown["cumulative (year to date)"]),
                "year-on-year growth": pct,
                "cumulative year-on-year growth": pct,
            },
        )


def cumulative_growth(
    data: pd.DataFrame,
    *,
    period_col: str | None = None,
    value_col: str | Sequence[str] = "value",
    indicator_col: str | None = None,
    frequency: Literal["month", "quarter"] = "month",
    given: Literal["period", "cumulative"] = "period",
    rates: Collection[str] = (),
    source: str | None = None,
) -> CumulativeGrowth:
    """Year-to-date cumulative figures (累计) and their year-on-year growth (累计同比).

    Parameters
    ----------
    data
        Long (with ``indicator_col``) or wide (several ``value_col``) table of monthly
        or quarterly values. Not modified. An empty cell is a missing period.
    period_col, value_col, indicator_col, source
        As :func:`ihms.stats.growth_series`.
    frequency
        ``"month"`` or ``"quarter"``.
    given
        ``"period"``: each row holds the period's own value (当月). ``"cumulative"``:
        each row holds the year-to-date figure as reports print it (1–3月累计).
    rates
        Indicators that are rates: refused (a rate cannot be summed). Values written
        with a per cent sign are refused too.

    Raises
    ------
    DataError
        Listing every problem: those of :func:`ihms.stats.growth_series` (bad periods
        or values, a quarter in a monthly table, duplicates) and rate indicators.

    Examples
    --------
    National household survey (国家统计局, quarterly releases), per-capita disposable
    income, yuan: 2018 Q1 7,815 and H1 14,063; 2019 Q1 8,493 and H1 15,294, the
    first-half growth printed +8.8 %.

    >>> table = pd.DataFrame({"quarter": ["2018Q1", "2018Q2", "2019Q1", "2019Q2"],
    ...                       "value": [7815, 14063, 8493, 15294]})
    >>> result = cumulative_growth(table, frequency="quarter", given="cumulative")
    >>> round(100 * float(result.frame["cumulative_growth"].iloc[-1]), 1)
    8.8
    """
    where = source or "data"
    if given not in ("period", "cumulative"):
        raise InputError(
            f"parameter 'given': expected 'period' (each {frequency}'s own value) or "
            f"'cumulative' (year-to-date figures), got {given!r}"
        )
    notes: list[str] = []
    if given == "cumulative" and frequency == "month":
        data = _combined_months(data, period_col or frequency, source, notes)
    problems: list[str] = []
    if given != "cumulative" and frequency == "month":
        _combined_needs_cumulative(data, period_col or frequency, source, problems)
    read = read_series(
        data,
        period_col=period_col or frequency,
        value_col=value_col,
        indicator_col=indicator_col,
        frequency=frequency,
        source=source,
        problems=problems,
        frequencies=("month", "quarter"),
    )
    for name in rate_names(rates, list(read.values), read.percent_written, problems):
        problems.append(
            f"indicator {name!r} is a rate or share: a rate cannot be summed over the "
            "year; give its numerator and denominator as indicators and divide the "
            "cumulative figures"
        )
    raise_problems(where, read, problems)
    notes.extend(read.notes)
    rows: list[list[Any]] = []
    for name, values in read.values.items():
        rows.extend(_indicator_rows(name, values, frequency, given, notes))
    return CumulativeGrowth(
        frame=pd.DataFrame(rows, columns=_COLUMNS),
        frequency=frequency,
        given=given,
        notes=tuple(notes),
    )


_COMBINED = re.compile(r"(\d{4})\s*年\s*0?1\s*月?\s*[-–—~～至到]\s*(\d{1,2})\s*月份?")


def _combined_cells(data: pd.DataFrame, period_col: str) -> dict[int, str]:
    """``{position: "YYYY-MM"}`` of the cells written as a period from January to a
    month (``2016年1-2月`` -> ``2016-02``)."""
    if period_col not in data.columns:
        return {}
    found = {}
    for i, cell in enumerate(data[period_col].tolist()):
        match = None if is_missing(cell) else _COMBINED.fullmatch(normal_text(cell).strip())
        if match and 2 <= int(match.group(2)) <= 12:
            found[i] = f"{match.group(1)}-{int(match.group(2)):02d}"
    return found


def _combined_months(
    data: pd.DataFrame, period_col: str, source: str | None, notes: list[str]
) -> pd.DataFrame:
    """``data`` with each year-to-date period written from January to a month
    (``2016年1-2月``) read as that month (a copy; ``data`` is not modified), and a note
    for each: the months before it have no figure of their own."""
    found = _combined_cells(data, period_col)
    if not found:
        return data
    cells = data[period_col].tolist()
    out = data.copy()
    out[period_col] = [found.get(i, cell) for i, cell in enumerate(cells)]
    first = first_row(data)
    by_end: dict[int, list[int]] = {}  # the last month of the combined period -> rows
    for i, month in found.items():
        by_end.setdefault(int(month[5:]), []).append(i)
    for end, rows in sorted(by_end.items()):
        shown = ", ".join(str(i + first) for i in rows[:5]) + (" ..." if len(rows) > 5 else "")
        where = format_location(file=source, field=period_col)
        months = "January" if end == 2 else f"January to month {end - 1}"
        notes.append(
            f"{where} row(s) {shown} ({cells[rows[0]]}, ...): January-to-month-{end} "
            f"periods read as the year-to-date figure at month {end}; {months} has no "
            f"figure of its own, so its cumulative figure and growth, and month {end}'s "
            "own value, are missing"
        )
    return out


def _combined_needs_cumulative(
    data: pd.DataFrame, period_col: str, source: str | None, problems: list[str]
) -> None:
    """A problem naming the January-to-month periods (``2016年1-2月``) of a table read
    as each month's own value: they are year-to-date figures, read with
    ``given="cumulative"``."""
    first = first_row(data)
    rows = [i + first for i in _combined_cells(data, period_col)]
    if rows:
        where = format_location(file=source, field=period_col)
        shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        problems.append(
            f"{where} row(s) {shown}: a January-to-month period such as 2016年1-2月 is a "
            "year-to-date figure, not a month's own value: read the table with --given "
            "cumulative (given='cumulative'), which takes it as the figure at its last month"
        )


def _indicator_rows(
    name: str,
    values: dict[int, float | None],
    frequency: Frequency,
    given: str,
    notes: list[str],
) -> list[list[Any]]:
    per = PER_YEAR[frequency]
    label = lambda key: period_label(key, frequency)  # noqa: E731
    present = {k for k, v in values.items() if v is not None}
    missing_for: dict[int, set[int]] = {}  # a missing period -> the figures it blanks
    # before the table's first year nothing is a gap; a first year begun late is one
    origin = min(present) - min(present) % per if present else 0

    def lack(key: int, blanked: int) -> None:
        if key >= origin:
            missing_for.setdefault(key, set()).add(blanked)

    def cumulative(key: int) -> float:
        start = key - key % per
        if given == "cumulative":
            if key in present:
                return values[key]  # type: ignore[return-value]
            lack(key, key)
            return np.nan
        lacking = [k for k in range(start, key + 1) if k not in present]
        for k in lacking:
            lack(k, key)
        return np.nan if lacking else exact_sum([values[k] for k in range(start, key + 1)])  # type: ignore[misc]

    def own(key: int) -> float:
        if given == "period" or key % per == 0:
            return np.nan if key not in present else values[key]  # type: ignore[return-value]
        if key in present and key - 1 in present:
            return values[key] - values[key - 1]  # type: ignore[operator]
        return np.nan

    rows = []
    for key in sorted(values):
        now, before = cumulative(key), cumulative(key - per)
        value, last_year = own(key), own(key - per)
        change = now - before
        growth = now / before - 1 if before > 0 else np.nan
        if np.isfinite(before) and before <= 0 and np.isfinite(now):
            notes.append(
                f"indicator {name!r}, {label(key)}: cumulative growth missing — the "
                f"cumulative figure a year before is {before:g} (a growth needs a base > 0)"
            )
        yoy = value / last_year - 1 if last_year > 0 else np.nan
        start = key - key % per
        rows.append([name, label(key), value, yoy, now, label(start), change, growth])
    by_blanked: dict[tuple[int, ...], list[int]] = {}  # gaps blanking the same figures
    for gap in sorted(missing_for):
        by_blanked.setdefault(tuple(sorted(missing_for[gap])), []).append(gap)
    for blanked, gaps in by_blanked.items():
        notes.append(
            f"indicator {name!r}: no value for {ranges(gaps, label)}, so no cumulative "
            f"figure for {ranges(blanked, label)} (a cumulative figure is never summed over "
            f"fewer {frequency}s), nor a cumulative growth where one of them is compared"
        )
    return rows
