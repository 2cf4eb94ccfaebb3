"""The tables of ``ihms indicators list``, ``show`` and ``compute`` in Chinese
(``--lang zh``): built in English, then said again with the words of
:mod:`ihms.indicators._words_zh`, every figure the cell it was."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ihms._words import notes_under_zh
from ihms.indicators import _words_zh as zh
from ihms.sources import cited_zh

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
        source=frame["source"].map(source_zh),
    )
    said = replace(table, frame=frame)
    return _headers(said, zh.HEADERS, f"指标目录（{len(frame)}）")


#: The parts of a source as Chinese citations write them.
_CITED = ((r"Figure (\d+)", r"图\1"), (r"section (\d+)", r"第\1节"), (r"Background", "背景"),
          (r", ", "，"))  # fmt: skip


def source_zh(seed: str) -> str:
    """A source as ``list`` cites it in Chinese: the study and its table or figure
    (``Zhong et al. 2023，表3``), the English remarks in brackets left to ``show``;
    ``无`` where no study gives the indicator."""
    while (shorter := re.sub(r"\s*\([^()]*\)", "", seed)) != seed:
        seed = shorter
    parts = []
    for part in re.split(r"\s*;\s*", seed.strip()):
        part = cited_zh(part)  # 表N
        for pattern, template in _CITED:
            part = re.sub(pattern, template, part)
        parts.append("无" if part == "none" else part)
    return "；".join(parts)


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
    names = {**zh.HEADERS, "unit": zh.REPORTING_UNIT, level: zh.level_zh(level)}
    flag = table.formats["suppressed"]
    notes = notes_under_zh(table.notes)
    said = replace(
        table,
        frame=frame,
        notes=notes,
        formats={"suppressed": lambda v: zh.YES_NO[flag(v)]},
    )
    title = f"指标（按{zh.level_zh(level)}、{zh.PERIODS.get(period, period)}）"
    return _headers(said, names, title)


_PART_YEARS = re.compile(
    r"(consortia|institutions) operating in part of the period: (.+?)(?: and ([\d,]+) more)?; "
    r"their cells outside those years are left empty, not 0( \(the records of their members "
    r"then belong to their other units\))?"
)


def _span_zh(match: re.Match) -> str:
    """``youxi-ichc (from 2017)`` as ``youxi-ichc（2017 年起）``."""
    start, end = match[2], match[3]
    years = f"{start}—{end} 年" if start and end else f"{start} 年起" if start else f"至 {end} 年"
    return f"{match[1]}（{years}）"


def outside_years_zh(text: str) -> str | None:
    """The note naming the consortia or institutions that operate in part of the period
    (:func:`ihms.indicators._notes.outside_years_notes`) in Chinese; None for another
    note (the month notes stay English)."""
    if (m := _PART_YEARS.fullmatch(text)) is None:
        return None
    what = "医联体" if m[1] == "consortia" else "机构"
    named = re.sub(r"(\S+) \((?:from (\d+))? ?(?:to (\d+))?\)", _span_zh, m[2]).replace(", ", "、")
    more = f"等另外 {m[3]} 个" if m[3] else ""
    members = "（其成员机构在这些年份的记录归入其所属的其他单元）" if m[4] else ""
    return f"部分年份运行的{what}：{named}{more}；其运行年份以外的单元格留空，而非 0{members}。"
