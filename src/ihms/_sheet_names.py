"""Sheet names of the ``--out`` workbooks in the output language (kept apart from
:mod:`ihms._words`, whose tables are the report's terms)."""

import re

__all__ = ["SHEETS_ZH", "sheet_name"]

#: The sheet of a command's ``--out`` workbook, by its English name, under ``--lang zh``
#: (a sheet name Excel takes: at most 31 characters, none of ``[]:*?/\``).
SHEETS_ZH: dict[str, str] = {
    "agreement": "一致性",
    "its batch": "批量中断时间序列分析",
    "growth": "增长率",
    "off_pathway": "未按转诊路径转诊",
    "notes": "说明",
    "coverage": "各维度的编码条目数",
}


def sheet_name(lang: str, name: str) -> str:
    """The name of an ``--out`` workbook's sheet ``name`` in ``lang``: Chinese under
    ``"zh"`` (:data:`SHEETS_ZH`; ``table3`` is 表3), else as it is.

    >>> sheet_name("zh", "agreement"), sheet_name("en", "agreement"), sheet_name("zh", "table3")
    ('一致性', 'agreement', '表3')
    """
    if lang != "zh":
        return name
    return SHEETS_ZH.get(name) or re.sub(r"^table(\d+)$", r"表\1", name)
