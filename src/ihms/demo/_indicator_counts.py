"""The numerators and denominators behind the whole-county rate tables, so a reader
can recompute a rate or test it (``ihms trend``) without running
``ihms indicators compute --out``."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ihms.summary import SummaryTable

__all__ = ["counts_table"]


def _name(results, indicator: str) -> str:
    """The catalogue's English name (an id when the results carry no catalogue)."""
    catalogue = getattr(results, "catalogue", None)
    return indicator if catalogue is None else catalogue[indicator].name_en


def counts_table(results, indicators: Sequence[str], *, unit: str, title: str) -> SummaryTable:
    """Numerator and denominator of each of ``indicators`` (in that order) by year for
    ``unit``, from ``results.frame`` (the long table of
    :class:`~ihms.indicators.IndicatorResults`)."""
    frame = results.frame
    rows = frame[(frame["unit"] == unit) & frame["indicator"].isin(list(indicators))]
    order = {name: i for i, name in enumerate(indicators)}
    rows = rows.assign(_order=rows["indicator"].map(order)).sort_values(["_order", "period"])
    shown = pd.DataFrame(
        {
            "indicator": [_name(results, i) for i in rows["indicator"].astype(str)],
            "year": rows["period"].astype(str).to_list(),
            "numerator": rows["numerator"].to_list(),
            "denominator": rows["denominator"].to_list(),
        }
    )
    return SummaryTable(
        shown,
        title=title,
        notes=(
            "Rate = numerator / denominator (× 100 for a rate per 100 or a percentage); a "
            "denominator ending in .5 is an average population (start + end of the year, "
            "halved). Indicators as the catalogue names them (`ihms indicators list`).",
        ),
        show_index=False,
        key_columns=["indicator"],
    )
