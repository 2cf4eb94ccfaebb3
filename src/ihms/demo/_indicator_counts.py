"""The numerators and denominators behind the whole-county rate tables, so a reader
can recompute a rate or test it (``ihms trend``) without running
``ihms indicators compute --out``."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ihms.summary import SummaryTable

__all__ = ["counts_table"]


def _name(results, indicator: str, lang: str = "en") -> str:
    """The catalogue's English or Chinese name (an id when the results carry no
    catalogue)."""
    catalogue = getattr(results, "catalogue", None)
    if catalogue is None:
        return indicator
    return catalogue[indicator].name_zh if lang == "zh" else catalogue[indicator].name_en


_COLUMNS_ZH = {"indicator": "指标", "year": "年份", "numerator": "分子", "denominator": "分母"}
_NOTE = (
    "Rate = numerator / denominator (× 100 for a rate per 100 or a percentage); a "
    "denominator ending in .5 is an average population (start + end of the year, "
    "halved). Indicators as the catalogue names them (`ihms indicators list`)."
)
_NOTE_ZH = (
    "率 = 分子 / 分母（每百人口的率或百分比再乘以 100）；分母以 .5 结尾的，是平均人口"
    "（年初与年末人口之和的一半）。指标名称同指标目录（`ihms indicators list --lang zh`）。"
)


def counts_table(
    results, indicators: Sequence[str], *, unit: str, title: str, lang: str = "en"
) -> SummaryTable:
    """Numerator and denominator of each of ``indicators`` (in that order) by year for
    ``unit``, from ``results.frame`` (the long table of
    :class:`~ihms.indicators.IndicatorResults`); ``lang="zh"``: the headers, names and
    note in Chinese, the same numbers."""
    frame = results.frame
    rows = frame[(frame["unit"] == unit) & frame["indicator"].isin(list(indicators))]
    order = {name: i for i, name in enumerate(indicators)}
    rows = rows.assign(_order=rows["indicator"].map(order)).sort_values(["_order", "period"])
    shown = pd.DataFrame(
        {
            "indicator": [_name(results, i, lang) for i in rows["indicator"].astype(str)],
            "year": rows["period"].astype(str).to_list(),
            "numerator": rows["numerator"].to_list(),
            "denominator": rows["denominator"].to_list(),
        }
    )
    names = _COLUMNS_ZH if lang == "zh" else {}
    return SummaryTable(
        shown.rename(columns=names),
        title=title,
        notes=(_NOTE_ZH if lang == "zh" else _NOTE,),
        show_index=False,
        key_columns=[names.get("indicator", "indicator")],
        lang=lang,
    )
