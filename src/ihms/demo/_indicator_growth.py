"""The indicators section's year-on-year table: growth as ``ihms growth --yoy`` computes
it, held in percent with its header saying so."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ihms.indicators import CATALOGUE
from ihms.stats import growth_series
from ihms.stats.growth_yoy import GROWTH_NOTE
from ihms.summary import SummaryTable

__all__ = ["growth_in_percent", "year_on_year"]


def year_on_year(results, indicators: list[str], label: str, *, county: str) -> SummaryTable:
    """Year-on-year growth of ``indicators`` for ``county``; shares in percentage points,
    the others' growth in percent (:func:`growth_in_percent`)."""
    frame = results.to_frame()
    frame = frame[(frame["unit"] == county) & frame["indicator"].isin(indicators)]
    # growth_series keeps the order indicators first appear in: the table's
    frame = frame.sort_values("indicator", key=lambda ids: ids.map(indicators.index), kind="stable")
    names = {i: CATALOGUE[i].name_en for i in indicators}
    rows = pd.DataFrame(
        {
            "indicator": frame["indicator"].map(names),
            "year": frame["period"].astype(int),
            "value": frame["value"],
        }
    )
    shares = [names[i] for i in indicators if CATALOGUE[i].unit == "%"]
    yoy = growth_series(rows, period_col="year", indicator_col="indicator", rates=shares)
    return growth_in_percent(dataclasses.replace(yoy.summary(), title=f"{label}: year on year"))


def growth_in_percent(table: SummaryTable) -> SummaryTable:
    """``table``'s growth columns (fractions, shown +3.5%) in percent, their header saying
    so: the CSV and sheet hold 3.49, as the capacity table's "average annual growth (%)"
    holds 15.77, not 0.0349, which a reader cannot tell from 0.0349 %."""
    growth = [c for c in table.frame.columns if str(c).endswith("growth")]
    frame = table.frame.copy()
    frame[growth] = frame[growth] * 100
    named = {c: f"{c} (%)" for c in growth}
    formats = {named.get(k, k): v for k, v in table.formats.items() if k not in growth}
    formats |= {named[c]: _signed_percent for c in growth}
    notes = tuple(
        "Growth (%) = 100 × (value / value of the previous period - 1)." if n == GROWTH_NOTE else n
        for n in table.notes
    )
    return dataclasses.replace(
        table, frame=frame.rename(columns=named), formats=formats, notes=notes
    )


def _signed_percent(value: float) -> str:
    """A growth in percent with its sign, under a "(%)" header: +3.5, 0.0 (not -0.0)."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text
