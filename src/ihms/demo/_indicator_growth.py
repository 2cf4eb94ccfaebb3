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


def year_on_year(
    results, indicators: list[str], label: str, *, county: str, lang: str = "en"
) -> SummaryTable:
    """Year-on-year growth of ``indicators`` for ``county``; shares in percentage points,
    the others' growth in percent (:func:`growth_in_percent`). ``lang="zh"``: said in
    Chinese as ``ihms growth --yoy --lang zh`` says it (同比增长率, 百分点), the
    indicators by the catalogue's Chinese names; the same numbers."""
    frame = results.to_frame()
    frame = frame[(frame["unit"] == county) & frame["indicator"].isin(indicators)]
    # growth_series keeps the order indicators first appear in: the table's
    frame = frame.sort_values("indicator", key=lambda ids: ids.map(indicators.index), kind="stable")
    names = {i: CATALOGUE[i].name_zh if lang == "zh" else CATALOGUE[i].name_en for i in indicators}
    rows = pd.DataFrame(
        {
            "indicator": frame["indicator"].map(names),
            "year": frame["period"].astype(int),
            "value": frame["value"],
        }
    )
    shares = [names[i] for i in indicators if CATALOGUE[i].unit == "%"]
    yoy = growth_series(rows, period_col="year", indicator_col="indicator", rates=shares)
    if lang == "zh":
        from ihms.cli._stats_zh import in_lang  # the words of ``ihms growth --lang zh``

        table = dataclasses.replace(in_lang(yoy.summary(), "zh"), title=f"{label}：与上年比较")
        return growth_in_percent(table, lang="zh")
    return growth_in_percent(dataclasses.replace(yoy.summary(), title=f"{label}: year on year"))


#: The growth note in percent, for :data:`GROWTH_NOTE` and its Chinese (同比 only: a
#: table by year).
_IN_PERCENT = {
    GROWTH_NOTE: "Growth (%) = 100 × (value / value of the previous period - 1).",
    "同比增长率 = 本期数 / 上年同期数 - 1。": "同比增长率（%）= 100 × (本期数 / 上年同期数 - 1)。",
}


def _in_percent(note: str) -> str:
    """The growth note in percent; a Chinese table's first note keeps its ``注：``."""
    head = "注：" if note.startswith("注：") else ""
    rest = note.removeprefix(head)
    return head + _IN_PERCENT.get(rest, rest)


def growth_in_percent(table: SummaryTable, *, lang: str = "en") -> SummaryTable:
    """``table``'s growth columns (fractions, shown +3.5%) in percent, their header saying
    so: the CSV and sheet hold 3.49, as the capacity table's "average annual growth (%)"
    holds 15.77, not 0.0349, which a reader cannot tell from 0.0349 %. ``lang="zh"``: a
    table said in Chinese (增长率 columns, 年均增长率（%）)."""
    zh = lang == "zh"
    growth = [c for c in table.frame.columns if str(c).endswith("增长率" if zh else "growth")]
    frame = table.frame.copy()
    frame[growth] = frame[growth] * 100
    named = {c: f"{c}（%）" if zh else f"{c} (%)" for c in growth}
    formats = {named.get(k, k): v for k, v in table.formats.items() if k not in growth}
    formats |= {named[c]: _signed_percent for c in growth}
    notes = tuple(_in_percent(n) for n in table.notes)
    return dataclasses.replace(
        table, frame=frame.rename(columns=named), formats=formats, notes=notes
    )


def _signed_percent(value: float) -> str:
    """A growth in percent with its sign, under a "(%)" header: +3.5, 0.0 (not -0.0)."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text
