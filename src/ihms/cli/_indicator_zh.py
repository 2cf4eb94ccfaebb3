"""The tables of ``ihms indicators list``, ``show`` and ``compute`` in Chinese
(``--lang zh``): built in English, then said again with the words of
:mod:`ihms.indicators._words_zh`, every figure the cell it was."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ihms.indicators import _words_zh as zh

if TYPE_CHECKING:
    from ihms.summary import SummaryTable


def _headers(table: SummaryTable, names: dict[str, str], title: str) -> SummaryTable:
    """``table`` with its columns and index renamed by ``names``, titled ``title``."""
    frame = table.frame.rename(columns=names)
    frame.index.name = names.get(str(frame.index.name), frame.index.name)
    return replace(
        table,
        frame=frame,
        title=title,
        lang="zh",
        id_columns=(*(names.get(str(c), c) for c in table.id_columns), frame.index.name),
        row_decimals={names.get(k, k): v for k, v in table.row_decimals.items()},
        formats={names.get(k, k): f for k, f in table.formats.items()},
    )


def catalogue_zh(table: SummaryTable) -> SummaryTable:
    """``indicators list``'s table: the Chinese name first, the units, periods and levels
    in Chinese."""
    frame = table.frame
    frame = frame[["名称", "name", "unit", "periods", "levels", "source"]].assign(
        unit=frame["unit"].map(zh.unit_zh),
        periods=frame["periods"].map(lambda v: _listed(v, zh.PERIODS)),
        levels=frame["levels"].map(lambda v: _listed(v, zh.LEVELS)),
    )
    said = replace(table, frame=frame)
    return _headers(said, zh.HEADERS, f"指标目录（{len(frame)}）")


def _listed(text: str, words: dict[str, str]) -> str:
    """``month, year`` as ``月、年``."""
    return "、".join(words.get(w, w) for w in text.split(", "))


def definition_zh(table: SummaryTable, ind: dict) -> SummaryTable:
    """``indicators show``'s table: the fields named in Chinese, the unit, periods, levels
    and the parts suppressed on in Chinese; the definitions' sentences as written."""
    frame = table.frame.copy()
    said = {
        "unit": zh.unit_zh(ind["unit"]),
        "periods": _listed(frame.loc["periods", "value"], zh.PERIODS),
        "levels": _listed(frame.loc["levels", "value"], zh.LEVELS),
        "suppress_on": _listed(frame.loc["suppress_on", "value"], zh.HEADERS),
    }
    frame["value"] = [said.get(k, v) for k, v in frame["value"].items()]
    frame.index = frame.index.map(lambda k: zh.HEADERS.get(k, k))
    title = f"{ind['id']}：{ind['name_zh']}（{ind['name_en']}）"
    return _headers(replace(table, frame=frame), {"field": "项目", "value": "内容"}, title)


def results_zh(table: SummaryTable, catalogue, level: str, period: str) -> SummaryTable:
    """``indicators compute``'s console table: each indicator by its Chinese name, a tier
    or the whole by its Chinese name, the headers and the suppressed flag (是/否) in
    Chinese; the notes are said by the caller."""
    frame = table.frame.copy()
    frame.index = frame.index.map(lambda i: catalogue[i].name_zh)
    unit = "unit" if "unit" in frame else level
    frame[unit] = frame[unit].map(zh.unit_cell)
    names = {**zh.HEADERS, level: zh.level_zh(level)}
    flag = table.formats["suppressed"]
    said = replace(table, frame=frame, formats={"suppressed": lambda v: zh.YES_NO[flag(v)]})
    title = f"指标（按{zh.level_zh(level)}、{zh.PERIODS.get(period, period)}）"
    return _headers(said, names, title)
