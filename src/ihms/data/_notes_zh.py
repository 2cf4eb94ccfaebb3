"""The notes of reading a table, in Chinese, for a warning's ``zh`` (``--lang zh``): the
notes the readers write in English (amounts with thousands separators, yes/no and coded
words read, a Stata or SPSS file's missing-value codes, hidden sheets and merged cells,
a column map's renames) read off their English, one pattern each, as
:mod:`ihms.cli._stats_zh` reads a statistics note. Names, values and paths in them stay
as written; a note no pattern reads has no Chinese (:func:`note_zh` gives None, and the
note is printed in English)."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["note_zh"]


def _where(text: str) -> str:
    """``column 'x' of f.csv`` (:func:`ihms.errors.format_location`) as ``f.csv 列 'x'``;
    ``table.column`` and a file's name as written."""
    found = re.fullmatch(r"column ('[^']*'|\"[^\"]*\") of (.+)", text)
    if found:
        return f"{found[2]} 列 {found[1]}"
    found = re.fullmatch(r"column ('[^']*'|\"[^\"]*\")", text)
    return f"列 {found[1]}" if found else text


def _listed(names: str) -> str:
    """A list of names the English note joins with ", " joined with 、 (Chinese text);
    a comma inside a quoted name stays."""
    return re.sub(r"('[^']*'|\"[^\"]*\")|, ", lambda m: m[1] or "、", names)


_KIND = {"Stata's extended missing values": "Stata 扩展缺失值", "SPSS user-missing values":
         "SPSS 用户定义缺失值", "missing-value codes": "缺失值代码"}  # fmt: skip

_FORMS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"(.+): ([\d,]+) values? written with thousands separators (?:were|was) read as numbers "
     r"\((.*)\); separators are read only in groups of three \(1,234,567\), so 1,23 is refused",
     lambda m: f"{_where(m[1])}：{m[2]} 个数值带千位分隔符，已按数值读入（{m[3]}）；分隔符"
     "只按三位一组读入（1,234,567），故 1,23 不予读入"),
    (r"(.+): ([\d,]+) yes/no values? written in other words than true/false (?:were|was) "
     r"read \((.*)\)",
     lambda m: f"{_where(m[1])}：{m[2]} 个是/否值未写作 true/false，已按是/否读入（{m[3]}）"),
    (r"(.+): ([\d,]+) values? written in Chinese or another spelling (?:were|was) read as "
     r"(?:their|its) codes? \((.*)\)",
     lambda m: f"{_where(m[1])}：{m[2]} 个值以中文或其他写法写出，已按编码读入（{m[3]}）"),
    (r"(.+): column ('[^']*'|\"[^\"]*\"): (?:1 cell holds|([\d,]+) cells hold) (.+?), "
     r"read as missing: (.*)",
     lambda m: f"{m[1]}：列 {m[2]} 有 {m[3] or 1} 个单元格为 {_KIND.get(m[4], m[4])}，按缺失值"
     f"读入：{m[5]}"),
    (r"(.+): sheet ('[^']*'|\"[^\"]*\") is hidden in the workbook",
     lambda m: f"{m[1]}：工作表 {m[2]} 在工作簿中是隐藏的"),
    (r"(.+): hidden sheets? (.+) left out \(give (\S+) to read one\)",
     lambda m: f"{m[1]}：隐藏的工作表 {_listed(m[2])} 未读入（用 {m[3]} 指定其一即可读入）"),
    (r"(.+): hidden sheets? (.+) left out \(unhide one to read it\)",
     lambda m: f"{m[1]}：隐藏的工作表 {_listed(m[2])} 未读入（取消隐藏即可读入）"),
    (r"(.+) \(sheet ('[^']*'|\"[^\"]*\")\): merged cells (.+) give their value to every "
     r"cell they cover",
     lambda m: f"{m[1]}（工作表 {m[2]}）：合并单元格 {m[3]} 的值填入其覆盖的每个单元格"),
    (r"(.+): (\d+) columns? renamed by (.+?): (.*)",
     lambda m: f"{m[1]}：{m[2]} 列按 {m[3]} 改名：{_listed(m[4])}"),
    (r"(.+): (\d+) columns? left out by (.+?): (.*)",
     lambda m: f"{m[1]}：{m[2]} 列按 {m[3]} 未读入：{_listed(m[4])}"),
)  # fmt: skip


def note_zh(text: str) -> str | None:
    """``text``, a note of reading a table, in Chinese; None for a note of another form.

    Examples
    --------
    >>> note_zh("a.csv: sheet 'x' is hidden in the workbook")
    "a.csv：工作表 'x' 在工作簿中是隐藏的"
    >>> note_zh("something else") is None
    True
    """
    for pattern, said in _FORMS:
        found = re.fullmatch(pattern, str(text), flags=re.DOTALL)
        if found:
            return said(found)
    return None
