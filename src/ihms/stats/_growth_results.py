"""The results of :mod:`ihms.stats.growth`: one indicator's average annual growth
(:class:`GrowthResult`) and a table of them (:class:`GrowthTable`), with their summary
(rates in per cent, differences in percentage points)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.stats._growth_periods import points_cell, rate_cell, value_cells
from ihms.stats._plain import plain, plain_fields
from ihms.summary import SummaryTable

__all__ = ["GrowthResult", "GrowthTable"]


def _pct(value: object) -> str:
    return rate_cell(float(value), signed=False)  # type: ignore[arg-type]


@dataclass(frozen=True)
class GrowthResult(SummaryHtml):
    """The growth of one indicator over a period.

    Attributes
    ----------
    indicator, start_year, end_year, start_value, end_value
        What was compared.
    growth_rate
        Average annual (geometric) growth rate, a fraction.
    reference_rate
        The reference (e.g. national) rate, a fraction, or NaN.
    difference
        ``growth_rate - reference_rate`` (fraction; ×100 for percentage points).
    """

    indicator: str
    start_year: float
    end_year: float
    start_value: float
    end_value: float
    growth_rate: float
    reference_rate: float
    difference: float

    def summary(self) -> SummaryTable:
        """One row, rates in percent and the difference in percentage points (the
        reference and the difference only when a reference was given)."""
        return _growth_summary(pd.DataFrame([plain_fields(self)]))

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return plain_fields(self)


@dataclass(frozen=True, eq=False)
class GrowthTable(SummaryHtml):
    """Growth of several indicators over one period.

    Attributes
    ----------
    frame
        One row per indicator: ``indicator``, ``start_year``, ``end_year``,
        ``start_value``, ``end_value``, ``growth_rate``, ``reference_rate``,
        ``difference`` (fractions), ``points_per_year``: a rate or share's change in
        percentage points a year, ``(end - start) / years`` (its growth rate and
        difference are NaN, as ``--yoy`` gives a rate's change only in points).
    start_year, end_year
        The period.
    rates
        The indicators that are rates or shares.
    """

    frame: pd.DataFrame
    start_year: float
    end_year: float
    rates: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed the table
        return brief_repr(
            self, indicators=len(self.frame), start_year=self.start_year, end_year=self.end_year
        )

    def summary(self) -> SummaryTable:
        """Rates in percent, differences in percentage points (the reference and the
        difference columns only when some indicator has a reference)."""
        return _growth_summary(self.frame, self.rates)

    def to_dict(self) -> dict[str, Any]:
        """``start_year``, ``end_year`` and ``rows`` (records)."""
        return {
            "start_year": plain(self.start_year),
            "end_year": plain(self.end_year),
            "rates": list(self.rates),
            "rows": plain(self.frame),
        }


def _growth_summary(frame: pd.DataFrame, rates: tuple[str, ...] = ()) -> SummaryTable:
    years = sorted({(r.start_year, r.end_year) for r in frame.itertuples()})
    period = ", ".join(f"{a:g}–{b:g}" for a, b in years)
    columns = ["start_value", "end_value", "growth_rate"]
    notes = ["Geometric: (end / start) ** (1 / years) - 1."]
    if frame["reference_rate"].notna().any():  # no reference given: no empty columns
        columns += ["reference_rate", "difference"]
        notes.append("difference: average annual growth - reference growth, in percentage points.")
    if rates:
        columns.insert(3, "points_per_year")
        notes.append(
            "Rates and shares change in percentage points a year, (end - start) / years, "
            f"as --yoy gives them; no growth rate, nor a difference from a reference "
            f"growth rate: {', '.join(rates)}."
        )
    shown = frame.set_index("indicator")[columns]
    if "difference" in shown:
        shown = shown.assign(difference=100 * shown["difference"])  # points, as --yoy's
    # levels as yearbooks print them (1,040,000, not 1.04e+06), start and end alike
    levels = value_cells([*frame["start_value"], *frame["end_value"]])
    shown = shown.rename(
        columns={
            "start_value": "start",
            "end_value": "end",
            "growth_rate": "average annual growth",
            "reference_rate": "reference growth",
            "difference": "difference (pp)",
            "points_per_year": "change a year",
        }
    )
    return SummaryTable(
        shown,
        title=f"Average annual growth rate, {period}",
        notes=tuple(notes),
        formats={
            "start": levels,
            "end": levels,
            "average annual growth": _pct,
            "reference growth": _pct,
            "difference (pp)": points_cell,
            "change a year": points_cell,
        },
    )
