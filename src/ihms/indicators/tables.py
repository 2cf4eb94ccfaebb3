"""Indicator results laid out as the source studies print them.

* :func:`yearly_table` — indicators as rows, years as columns, for one unit (Zhong et al. 2023,
  Tables 4 and 5).
* :func:`growth_layout` — the same plus each indicator's average annual growth rate and
  a reference (national) rate beside it (Jia et al. 2021, Table 2), the rates computed by
  :func:`ihms.stats.growth.growth_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.indicators._words_zh import growth_notes_zh, in_units_zh, unit_zh
from ihms.indicators.results import IndicatorResults
from ihms.stats.growth import growth_table
from ihms.summary import SummaryTable

__all__ = ["growth_layout", "yearly_table"]


def _label(
    results: IndicatorResults, indicator: str, divisor: float | None = None, lang: str = "en"
) -> str:
    ind = results.catalogue[indicator]
    if lang == "zh":
        # 住院人次/百人（平均人口） inside the label's brackets: 住院人次/百人，平均人口
        unit = unit_zh(ind.unit).replace("（", "，").replace("）", "")
        return f"{ind.name_zh}（{in_units_zh(unit, divisor)}）"
    unit = f"{ind.unit}, in {divisor:,.0f}s" if divisor else ind.unit
    return f"{ind.name_en} ({unit})"


def _yearly(results: IndicatorResults, indicators: Sequence[str], unit: str) -> pd.DataFrame:
    rows = results.select(indicators=indicators, units=[unit])
    if rows.empty:
        raise InputError(
            f"no results for unit {unit!r}; units are {sorted(results.frame['unit'].unique())}"
        )
    not_yearly = sorted(set(rows.loc[rows["period_type"] != "year", "indicator"]))
    if not_yearly:
        raise InputError(f"indicators {not_yearly} were not computed by year")
    return rows.pivot_table(
        index="indicator", columns="period", values="value", aggfunc="first", dropna=False
    )


def yearly_table(
    results: IndicatorResults,
    indicators: Sequence[str],
    *,
    unit: str,
    scale: Mapping[str, float] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
    lang: str = "en",
) -> SummaryTable:
    """Indicators (rows, in the given order) by year (columns) for one unit.

    ``scale`` divides an indicator's values for display (``{"healthcare_visits": 1e4}``
    shows visits in 10,000s, as Zhong et al. 2023 Table 4 does); the label says so.

    Parameters
    ----------
    results : IndicatorResults
        Indicators computed by year, from :func:`~ihms.indicators.compute` with
        ``period="year"``.
    indicators : sequence of str
        Catalogue ids of the rows, in the order shown; an id without results gives an
        empty row.
    unit : str
        The unit id (county, consortium or institution) whose values are shown.
    scale : mapping of str to float, optional
        ``indicator id → divisor`` for display only; None (the default) divides nothing.
    title : str, default ""
        The table's title.
    notes : sequence of str, default ()
        Notes printed under the table.
    lang : {"en", "zh"}, default "en"
        The rows' labels in English or, ``"zh"``, by the catalogue's Chinese name and
        unit (``诊疗人次（万人次）``); the numbers are the same.

    Returns
    -------
    SummaryTable
        Rows labelled "name (unit)", one column per year, two decimals.

    Raises
    ------
    InputError
        No results for ``unit``, or an indicator was not computed by year.
    """
    scale = dict(scale or {})
    table = _yearly(results, indicators, unit).reindex(list(indicators))
    for ind, s in scale.items():
        if ind in table.index:
            table.loc[ind] = table.loc[ind] / s
    table.index = [_label(results, i, scale.get(i), lang) for i in table.index]
    table.index.name = "指标" if lang == "zh" else "indicator"
    return SummaryTable(table, title=title, notes=tuple(notes), digits=2, lang=lang)


def growth_layout(
    results: IndicatorResults,
    indicators: Sequence[str],
    *,
    unit: str,
    reference: Mapping[str, float] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
    lang: str = "en",
) -> SummaryTable:
    """Yearly values, the average annual growth rate over the years shown, and a
    reference rate, as Jia et al. 2021 Table 2 lays them out.

    Growth needs positive values in the first and last year; an indicator without them
    gets no rate (and a note says which).

    Parameters
    ----------
    results : IndicatorResults
        Indicators computed by year, from :func:`~ihms.indicators.compute` with
        ``period="year"``.
    indicators : sequence of str
        Catalogue ids of the rows, in the order shown; an id without results gives an
        empty row.
    unit : str
        The unit id (county, consortium or institution) whose values are shown.
    reference : mapping of str to float, optional
        ``indicator id → reference annual growth rate`` as a fraction (``0.052`` for
        5.2%); shown in % beside the computed rate. None (the default) shows none.
    title : str, default ""
        The table's title.
    notes : sequence of str, default ()
        Notes printed under the table.
    lang : {"en", "zh"}, default "en"
        The rows' labels, the two growth columns (年均增长率（%）, 参照增长率（%）) and the
        notes the function adds in English or Chinese; the numbers are the same.

    Returns
    -------
    SummaryTable
        The yearly values plus "average annual growth (%)" and "reference growth (%)"
        columns, with a note giving the growth formula.

    Raises
    ------
    InputError
        No results for ``unit``, or an indicator was not computed by year.
    """
    table = _yearly(results, indicators, unit).reindex(list(indicators))
    years = [int(c) for c in table.columns]
    first, last = str(min(years)), str(max(years))
    ok = (table[first] > 0) & (table[last] > 0)
    long = (
        table.loc[ok, [first, last]]
        .rename_axis("indicator")
        .reset_index()
        .melt(id_vars="indicator", var_name="year", value_name="value")
    )
    long["year"] = long["year"].astype(int)
    growth = pd.Series(np.nan, index=table.index)
    ref = pd.Series(np.nan, index=table.index)
    if not long.empty:
        present = set(long["indicator"])
        refs = {k: v for k, v in (reference or {}).items() if k in present}
        g = growth_table(long, indicator_col="indicator", reference=refs)
        frame = g.frame.set_index("indicator")
        growth.loc[frame.index] = 100 * frame["growth_rate"]
        ref.loc[frame.index] = 100 * frame["reference_rate"]
    for ind, rate in (reference or {}).items():
        if ind in ref.index and np.isnan(ref[ind]):
            ref[ind] = 100 * rate
    out = table.copy()
    zh = lang == "zh"
    out["年均增长率（%）" if zh else "average annual growth (%)"] = growth
    out["参照增长率（%）" if zh else "reference growth (%)"] = ref
    out.index = [_label(results, i, lang=lang) for i in out.index]
    out.index.name = "指标" if zh else "indicator"
    extra = list(notes)
    # named as the rows are, not by catalogue id; the formula in a reader's notation
    missing = [_label(results, i, lang=lang) for i, good in ok.items() if not good]
    if zh:
        extra += growth_notes_zh(first, last, missing)
        return SummaryTable(out, title=title, notes=tuple(extra), digits=2, lang=lang)
    if missing:
        extra.append(
            f"No growth rate where the {first} or {last} value is missing or zero: {'; '.join(missing)}."
        )
    extra.append(
        f"Average annual growth = (value {last} / value {first})^(1/{int(last) - int(first)}) - 1."
    )
    return SummaryTable(out, title=title, notes=tuple(extra), digits=2)
