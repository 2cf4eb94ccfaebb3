"""Monthly or quarterly values summed to quarters or years, for growth on those periods.

Flows (visits, discharges, spending, fund income) add up: a quarter is the sum of its
three months, a year of its twelve months or four quarters. A period with a part
missing gets no total — and a note names the missing part — rather than a total over
fewer months. A rate or share cannot be summed: rate indicators are refused unless
their numerator and denominator are indicators of the table (``ratios``), in which case
the period's rate is ``scale * sum(numerator) / sum(denominator)``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.stats._growth_periods import PER_YEAR, Frequency, period_label, value_cells
from ihms.stats._growth_read import (
    PeriodResult,
    exact_sum,
    raise_problems,
    ranges,
    rate_names,
    read_series,
)
from ihms.stats._plain import plain
from ihms.stats.growth_yoy import GrowthSeries, growth_series
from ihms.summary import SummaryTable

__all__ = ["AggregatedSeries", "aggregate_periods"]

# Names that read as an average or a rate (cost_per_visit, bed_occupancy_rate, 次均费用,
# 住院率): summed, they give no period's value, so the totals get a note (names only
# hint; a rate given as such is refused outright).
_NOT_A_FLOW = re.compile(
    r"(^|[_\s.-])(per|rate|ratio|share|avg|average|mean|pct|percent)([_\s.-]|$)|[率均比]"
    r"|percentage|proportion",
    re.IGNORECASE,
)


@dataclass(frozen=True, eq=False, repr=False)
class AggregatedSeries(PeriodResult):
    """Indicator totals by quarter or year.

    Attributes
    ----------
    frame
        One row per indicator and period: ``indicator``, ``period`` (``2019Q1`` or
        2019), ``value`` (missing where a part is missing), ``parts`` (how many of the
        period's months or quarters had a value).
    frequency
        What the periods are now: ``"quarter"`` or ``"year"``.
    source_frequency
        What they were: ``"month"`` or ``"quarter"``.
    rates
        Indicators computed as ratios of two summed indicators.
    notes
        Every total left missing and the part it lacks.
    scale
        What the rates are per: 100 (per cent), 1 (a fraction) or another base such
        as 1000 (per mille).
    """

    frame: pd.DataFrame
    frequency: Frequency
    source_frequency: Frequency
    rates: tuple[str, ...]
    notes: tuple[str, ...]
    scale: float = 100.0

    def to_dict(self) -> dict[str, Any]:
        """``frequency``, ``source_frequency``, ``rates``, ``notes`` and ``rows``."""
        return {
            "frequency": self.frequency,
            "source_frequency": self.source_frequency,
            "rates": list(self.rates),
            "notes": list(self.notes),
            "rows": plain(self.frame),
        }

    def summary(self) -> SummaryTable:
        """The totals, one row per indicator and period."""
        shown = self.frame.set_index("indicator").rename(columns={"period": self.frequency})
        return SummaryTable(
            shown,
            title=f"{self.source_frequency.capitalize()}ly values summed to {self.frequency}s",
            notes=(
                f"A {self.frequency} is the sum of its {self.source_frequency}s; a "
                f"{self.frequency} with one missing has no total.",
                *self.notes,
            ),
            formats={"value": value_cells(shown["value"])},
        )

    def growth(
        self, *, rate_unit: Literal["percent", "fraction"] | None = None, base_period: Any = None
    ) -> GrowthSeries:
        """:func:`ihms.stats.growth_series` of the totals; this object's notes come first.

        The rates' change is in percentage points, so their unit follows from
        ``scale``: 100 is ``rate_unit="percent"``, 1 is ``"fraction"``; rates per
        another base (per mille) are refused here — their totals stand, but a change in
        percentage points of them would have to be rescaled.

        Parameters
        ----------
        rate_unit
            None (the default) follows ``scale``; if given, it must agree with it.
        base_period
            As :func:`~ihms.stats.growth_series` takes it.

        Raises
        ------
        InputError
            Rates per a base other than 100 or 1, or a ``rate_unit`` that contradicts
            ``scale``.
        """
        if self.rates:
            unit = {100.0: "percent", 1.0: "fraction"}.get(float(self.scale))
            if unit is None:
                raise InputError(
                    f"rates {', '.join(map(repr, self.rates))} are per {self.scale:g} "
                    "(parameter 'scale'): their change in percentage points needs them per "
                    "100 (per cent) or per 1 (a fraction)"
                )
            if rate_unit is not None and rate_unit != unit:
                raise InputError(
                    f"parameter 'rate_unit': the rates are per {self.scale:g}, so "
                    f"{unit!r}; got {rate_unit!r}"
                )
            rate_unit = unit
        result = growth_series(
            self.frame,
            period_col="period",
            indicator_col="indicator",
            frequency=self.frequency,
            rates=list(self.rates),
            rate_unit=rate_unit or "percent",
            base_period=base_period,
        )
        return dataclasses.replace(result, notes=self.notes + result.notes)


def aggregate_periods(
    data: pd.DataFrame,
    *,
    to: Literal["quarter", "year"],
    frequency: Literal["month", "quarter"] = "month",
    period_col: str | None = None,
    value_col: str | Sequence[str] = "value",
    indicator_col: str | None = None,
    rates: Collection[str] = (),
    ratios: Mapping[str, tuple[str, str]] | None = None,
    scale: float = 100.0,
    source: str | None = None,
) -> AggregatedSeries:
    """Sum monthly (or quarterly) values of every indicator to quarters or years.

    Parameters
    ----------
    data
        Long (with ``indicator_col``) or wide (several ``value_col``) table. Not modified.
    to
        ``"quarter"`` or ``"year"``.
    frequency
        The table's periods: ``"month"`` or ``"quarter"``.
    period_col, value_col, indicator_col, source
        As :func:`ihms.stats.growth_series`.
    rates
        Indicators that are rates or shares (values written with % are too): refused
        unless ``ratios`` computes them.
    ratios
        ``{rate: (numerator, denominator)}``: the rate of a period is ``scale *
        sum(numerator) / sum(denominator)``; numerator and denominator are indicators
        of the table. A rate's own values in the table, if any, are not used.
    scale
        100 for a rate in percent, 1 for a fraction, 1000 for per mille.

    Raises
    ------
    DataError
        Listing every problem: those of :func:`ihms.stats.growth_series`, a rate
        without a ratio, a ratio naming an indicator the table lacks.

    Examples
    --------
    >>> months = pd.DataFrame({"month": ["2019-01", "2019-02", "2019-03", "2019-04"],
    ...                        "visits": [310, 280, 330, 300]})
    >>> aggregate_periods(months, to="quarter", value_col="visits").frame["value"].tolist()
    [920.0, nan]
    """
    where = source or "data"
    if to not in ("quarter", "year") or PER_YEAR[to] >= PER_YEAR[frequency]:
        raise InputError(
            f"parameter 'to': expected a longer period than {frequency!r} ('quarter' or "
            f"'year'), got {to!r}"
        )
    if not isinstance(scale, (int, float)) or not np.isfinite(scale) or scale <= 0:
        raise InputError(f"parameter 'scale': expected a number > 0, got {scale!r}")
    problems: list[str] = []
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
    ratios = dict(ratios or {})
    indicators = list(read.values)
    for rate, pair in ratios.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            problems.append(
                f"parameter 'ratios': expected (numerator, denominator) for {rate!r}, got {pair!r}"
            )
            continue
        for part in pair:
            if part not in read.values:
                problems.append(
                    f"parameter 'ratios': rate {rate!r} needs indicator {part!r}, which the "
                    f"table lacks (indicators: {indicators})"
                )
    named = [r for r in rates if r not in ratios]
    for name in rate_names(named, indicators, read.percent_written, problems):
        if name not in ratios:
            problems.append(
                f"indicator {name!r} is a rate or share: a rate cannot be summed to a "
                f"{to}; give its numerator and denominator (parameter 'ratios')"
            )
    raise_problems(where, read, problems)
    notes: list[str] = list(read.notes)
    totals: dict[str, dict[int, float]] = {}
    rows: list[list[Any]] = []
    parts = {part for pair in ratios.values() for part in pair}  # flows by their role
    for name, values in read.values.items():
        if name in ratios:
            continue
        if name not in parts and _NOT_A_FLOW.search(str(name)):
            notes.append(
                f"indicator {name!r} reads as an average or a rate: its {to} total is a sum "
                "of its values, not the period's value (for that, give its numerator and "
                "denominator: parameter 'ratios', --ratio)"
            )
        totals[name] = _totals(name, values, frequency, to, notes, rows)
    for rate, (numerator, denominator) in ratios.items():
        for key in sorted(set(totals[numerator]) | set(totals[denominator])):
            top = totals[numerator].get(key, np.nan)
            bottom = totals[denominator].get(key, np.nan)
            value = scale * top / bottom if bottom > 0 else np.nan
            if np.isfinite(bottom) and bottom <= 0:
                notes.append(
                    f"rate {rate!r}, {period_label(key, to)}: no rate — {denominator!r} "
                    f"sums to {bottom:g}"
                )
            parts = min(_parts(rows, numerator, key, to), _parts(rows, denominator, key, to))
            rows.append([rate, period_label(key, to), value, parts])
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value", "parts"])
    if to == "year":
        frame["period"] = frame["period"].astype("int64")
    return AggregatedSeries(
        frame=frame,
        frequency=to,
        source_frequency=frequency,
        rates=tuple(ratios),
        notes=tuple(notes),
        scale=float(scale),
    )


def _parts(rows: list[list[Any]], name: str, key: int, to: str) -> int:
    label = period_label(key, to)  # type: ignore[arg-type]
    return next((r[3] for r in rows if r[0] == name and r[1] == label), 0)


def _totals(
    name: str,
    values: dict[int, float | None],
    frequency: Frequency,
    to: Frequency,
    notes: list[str],
    rows: list[list[Any]],
) -> dict[int, float]:
    size = PER_YEAR[frequency] // PER_YEAR[to]
    label = lambda key: period_label(key, frequency)  # noqa: E731
    out: dict[int, float] = {}
    for group in sorted({k // size for k in values}):
        keys = range(group * size, (group + 1) * size)
        present = [k for k in keys if values.get(k) is not None]
        lacking = [k for k in keys if values.get(k) is None]
        out[group] = exact_sum([values[k] for k in keys]) if not lacking else np.nan  # type: ignore[misc]
        if lacking:
            notes.append(
                f"indicator {name!r}: no value for {ranges(lacking, label)}, so no total "
                f"for {period_label(group, to)}"
            )
        rows.append([name, period_label(group, to), out[group], len(present)])
    return out
