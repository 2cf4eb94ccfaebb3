"""Seasonal adjustment of a monthly or quarterly series by the ratio-to-moving-average
method (a quarterly series: a centred 2x4 moving average, indices keyed by quarter 1-4;
statsmodels' ``seasonal_decompose(period=4)`` on the same quarters).

The classical multiplicative decomposition (Zhong et al. 2023 handles seasonality this way):

1. trend: the centred 2x12 moving average,
   ``T_t = (y_{t-6}/2 + y_{t-5} + ... + y_{t+5} + y_{t+6}/2) / 12``, defined from the
   7th to the 7th-last month;
2. ratios ``y_t / T_t``;
3. each calendar month's raw index is the mean of its ratios;
4. indices are normalised to mean 1 over the twelve months;
5. adjusted ``y_t / index[month of t]``.

Given ``breaks`` (an interrupted series' interruptions), step 3 leaves out the ratios
whose moving average straddles one — the 13 months from ``t - 6`` to ``t + 6`` holding
both sides — because the average smooths the level change across them: the months
before it read low and those after it high, and with an interruption in January the
adjusted series lost about a sixth of a level change (200 seeded series of 48 months:
84 for a change of 100, with those ratios left out 101).

Indices are keyed by calendar month (1 = January), never by position: a series that
starts in February gives February's index to February. Where the definitions coincide
(a series starting in any month, ``period=12``), the indices equal the seasonal
component of statsmodels' ``seasonal_decompose(model="multiplicative")``, which keys
by position from the first observation.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms._stat_dates import period_edge
from ihms._warnings import caller_stacklevel
from ihms.errors import InputError, StatisticalWarning
from ihms.summary import SummaryTable

__all__ = ["SeasonalAdjustment", "ratio_to_moving_average"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, eq=False)
class SeasonalAdjustment(SummaryHtml):
    """The result of :func:`ratio_to_moving_average`.

    Attributes
    ----------
    indices
        Seasonal index of each calendar month, indexed 1..12 (a quarterly series: each
        quarter, 1..4), mean 1.
    observed, trend, ratios, adjusted
        Series on the input's monthly (or quarterly) :class:`pandas.PeriodIndex`;
        ``trend`` and ``ratios`` are NaN for the first and last six months (two
        quarters); ``ratios`` also where the moving average straddles a break.
    left_out
        How many ratios were left out because their moving average straddles a break.
    """

    indices: pd.Series
    observed: pd.Series
    trend: pd.Series
    ratios: pd.Series
    adjusted: pd.Series
    left_out: int = 0

    def __repr__(self) -> str:
        months = self.observed.index
        return brief_repr(
            self,
            series=self.observed.name,
            months=f"{months[0]}..{months[-1]}" if len(months) else "none",
            n=len(months),
        )

    @property
    def period(self) -> int:
        """12 for a monthly series, 4 for a quarterly one."""
        return len(self.indices)

    @property
    def _names(self) -> tuple[str, ...]:
        return _MONTHS if self.period == 12 else ("Q1", "Q2", "Q3", "Q4")

    @property
    def factors(self) -> pd.Series:
        """The index of each period's season (``observed / adjusted``), on the periods."""
        index = self.observed.index
        season = index.month if self.period == 12 else index.quarter
        return pd.Series(
            self.indices.reindex(season).to_numpy(), index=self.observed.index, name="index"
        )

    @property
    def method(self) -> str:
        return f"ratio to centred 2x{self.period} moving average"

    def indices_text(self) -> str:
        """``Jan 0.951, Feb 0.876, ...`` (``Q1 0.850, ...``): the indices for a note."""
        return ", ".join(f"{self._names[m - 1]} {v:.3f}" for m, v in self.indices.items())

    def summary(self) -> SummaryTable:
        season = self.factors.index.month if self.period == 12 else self.factors.index.quarter
        unit = self.indices.index.name
        frame = pd.DataFrame(
            {
                "index": self.indices.to_numpy(),
                "ratios averaged": self.ratios.groupby(season)
                .count()
                .reindex(range(1, self.period + 1), fill_value=0)
                .to_numpy(),
            },
            index=pd.Index(self._names, name=unit),
        )
        return SummaryTable(
            frame,
            title=f"Seasonal indices ({self.method}, mean 1)",
            notes=(
                f"{len(self.observed)} {unit}s from {self.observed.index[0]} to "
                f"{self.observed.index[-1]}; adjusted = observed / index of its {unit}.",
                *self.left_out_note(),
            ),
            formats={"ratios averaged": "{:.0f}".format},
        )

    def left_out_note(self) -> tuple[str, ...]:
        """The sentence on the ratios left out at a break (none when there were none)."""
        if not self.left_out:
            return ()
        return (
            f"{self.left_out} ratio(s) left out of the indices: their moving average "
            "straddles an interruption.",
        )

    def to_dict(self) -> dict:
        return {
            "left_out": self.left_out,
            "indices": {int(m): float(v) for m, v in self.indices.items()},
            "adjusted": {str(p): float(v) for p, v in self.adjusted.items()},
        }


_QUARTER_TEXT = re.compile(r"\s*\d{4}\s*[Qq]\s*[1-4]\s*")


def _periods(series: pd.Series, name: str) -> pd.PeriodIndex:
    """The series' monthly or quarterly periods."""
    index = series.index
    if isinstance(index, pd.PeriodIndex):
        if index.freqstr not in ("M", "ME") and not index.freqstr.startswith("Q"):
            raise InputError(
                f"{name}: expected a monthly or quarterly index, got frequency {index.freqstr!r}"
            )
        return index
    if isinstance(index, pd.DatetimeIndex):
        months = index.to_period("M")
        # quarter-start or quarter-end days three months apart are quarters, not months
        # with gaps (the reading ITS gives such a column: _its_days)
        steps = np.diff(months.asi8) if len(months) > 1 else np.array([3])
        edges = {period_edge(day.date()) for day in index}
        if (steps == 3).all() and len(edges) == 1 and None not in edges:
            return index.to_period("Q")
        return months
    try:
        if len(index) and all(_QUARTER_TEXT.fullmatch(str(v)) for v in index):
            return pd.PeriodIndex([pd.Period(str(v).strip(), freq="Q") for v in index], freq="Q")
        return pd.PeriodIndex([pd.Period(str(v), freq="M") for v in index], freq="M")
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"{name}: expected an index of months or quarters (PeriodIndex, DatetimeIndex or "
            f"text like 2017-10 or 2017Q3), got {index[:3].tolist()!r}"
        ) from exc


def ratio_to_moving_average(
    series: pd.Series,
    *,
    name: str | None = None,
    label: str | None = None,
    breaks: Sequence[Any] = (),
) -> SeasonalAdjustment:
    """Seasonally adjust a monthly series by the ratio to its centred 2x12 moving average
    (a quarterly series: 2x4).

    Parameters
    ----------
    series
        Values on a monthly index (PeriodIndex, DatetimeIndex, or labels like
        ``"2017-10"``) or a quarterly one (PeriodIndex, labels like ``"2017Q3"``, or a
        DatetimeIndex of quarters' first, or last, days three months apart),
        consecutive periods, all values > 0. At least two full years.
    name
        How to call the series in error messages (default: its ``name``).
    label
        Instead of ``series 'name'``, the whole phrase error messages begin with, for
        callers that know where the values came from (``column 'visits' of data.csv``).
    breaks
        Periods where the series' level may jump (an interrupted series'
        interruptions): ratios whose moving average straddles one are left out of the
        indices (see the module docstring); a season with no other ratio keeps its own,
        with a :class:`~ihms.errors.StatisticalWarning`.

    Returns
    -------
    SeasonalAdjustment

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.period_range("2016-02", periods=36, freq="M")
    >>> y = pd.Series([100.0 + (10 if m.month == 2 else 0) for m in months], index=months)
    >>> res = ratio_to_moving_average(y)
    >>> float(round(res.indices[2] / res.indices[3], 4))  # February about 10% above March
    1.1
    """
    if label is None:
        label = f"series {name or series.name!r}" if (name or series.name) else "series"
    if not isinstance(series, pd.Series):
        raise InputError(f"{label}: expected a pandas Series, got {type(series).__name__}")
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    months = _periods(series, label)
    quarterly = months.freqstr.startswith("Q")
    period, unit = (4, "quarter") if quarterly else (12, "month")
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        shown = ", ".join(str(months[i]) for i in bad[:5])
        raise InputError(f"{label}: missing or non-numeric value(s) at {shown}")
    nonpos = np.flatnonzero(values <= 0)
    if len(nonpos):
        shown = ", ".join(f"{months[i]} ({values[i]:g})" for i in nonpos[:5])
        raise InputError(
            f"{label}: multiplicative seasonal adjustment needs values > 0, got {shown}"
        )
    order = np.argsort(months.asi8)
    months = months[order]
    values = values[order]
    codes = months.asi8
    if len(codes) > 1 and np.any(np.diff(codes) != 1):
        dup = [str(months[i + 1]) for i in np.flatnonzero(np.diff(codes) == 0)]
        gaps = [str(months[i]) for i in np.flatnonzero(np.diff(codes) > 1)]
        if dup:
            raise InputError(f"{label}: duplicate {unit}(s) {', '.join(dup[:5])}")
        raise InputError(
            f"{label}: missing {unit}(s) after {', '.join(gaps[:5])}; {unit}s must be consecutive"
        )
    n = len(values)
    if n < 2 * period:
        raise InputError(
            f"{label}: ratio-to-moving-average needs at least 2 full cycles "
            f"({2 * period} {unit}s), got {n} {unit}(s)"
        )
    half = period // 2
    weights = np.r_[0.5, np.ones(period - 1), 0.5] / period
    trend = np.full(n, np.nan)
    trend[half : n - half] = np.convolve(values, weights, mode="valid")
    ratios = values / trend
    season_of = (months.quarter if quarterly else months.month).to_numpy()
    straddles = np.zeros(n, dtype=bool)
    for b in breaks:
        at = pd.Period(b, freq=months.freq).ordinal
        straddles |= (codes - half < at) & (at <= codes + half)
    straddles &= np.isfinite(ratios)
    kept = np.where(straddles, np.nan, ratios)
    bare = [m for m in range(1, period + 1) if np.isnan(kept[season_of == m]).all()]
    if bare:  # too short to leave them out: those seasons keep their straddling ratios
        back = np.isin(season_of, bare)
        kept[back] = ratios[back]
        warnings.warn(
            StatisticalWarning(
                f"{label}: too short to leave out the moving averages that straddle the "
                f"interruption for {unit}(s) {', '.join(map(str, bare))}; their indices take "
                "them and understate a level change",
                zh=f"{_label_zh(label)}：序列太短，无法剔除{'第 ' if quarterly else ' '}"
                f"{'、'.join(map(str, bare))} {'季度' if quarterly else '月'}跨越干预时点的移动平均；"
                "这些季节指数计入了它们，会低估水平变化",
            ),
            stacklevel=caller_stacklevel(),
        )
    left_out = int(np.sum(np.isfinite(ratios) & np.isnan(kept)))
    ratios = kept
    raw = np.array([np.nanmean(ratios[season_of == m]) for m in range(1, period + 1)])
    indices = raw / raw.mean()
    adjusted = values / indices[season_of - 1]
    index = pd.PeriodIndex(months, freq=months.freq)
    return SeasonalAdjustment(
        indices=pd.Series(indices, index=pd.RangeIndex(1, period + 1, name=unit), name="index"),
        observed=pd.Series(values, index=index, name=series.name),
        trend=pd.Series(trend, index=index, name="trend"),
        ratios=pd.Series(ratios, index=index, name="ratio"),
        adjusted=pd.Series(adjusted, index=index, name=series.name),
        left_out=left_out,
    )


def _label_zh(label: str) -> str:
    """The series' label of the messages (``column 'y' of unit 'a' of f.csv``) in
    Chinese for a warning's ``zh``; the names in it stay as written (an " of " inside a
    quoted name is part of the name). A label of another form (a caller's) as it is."""
    found = re.fullmatch(
        rf"(column|series)(?: {_QUOTED})?(?: of (unit|series) {_QUOTED})?(?: of (.+))?",
        label,
        flags=re.DOTALL,
    )
    if found is None:
        return label
    said = _ZH_OF[found[1]] + (f" {found[2]}" if found[2] else "")
    said += f"（{_ZH_OF[found[3]]} {found[4]}）" if found[3] else ""
    return f"{found[5]} {said}" if found[5] else said


_QUOTED = r"('[^']*'|\"[^\"]*\")"


_ZH_OF = {"column": "列", "unit": "单位", "series": "序列"}
