"""The indicators in Chinese: ``--lang zh`` of ``ihms indicators list``, ``show`` and
``compute``. An indicator is named by the catalogue's Chinese name (``name_zh``); its
unit, the levels and periods, the table's headers (期间, 计量单位, 统计单元, 值, 分子,
分母, 已抑制) and the notes the command writes are said here; the figures are the English table's, cell
for cell. ``--json`` keeps its English keys and values, the long table of ``--out`` its
English variable names (the labels of a Stata or SPSS file are said in Chinese), and
error messages stay English. The definitions' own sentences (numerator, denominator,
description) are the catalogue's, in English. The layouts of
:mod:`ihms.indicators.tables` (``lang="zh"``) name their rows and growth notes here too.

The words are those of the Chinese health statistics the catalogue's names follow (中国
卫生健康统计年鉴: 人次, 每千人口, 平均住院日) and of the source studies: tiers as the
delivery system says them (:mod:`ihms.system._words_zh`: 县级医院, 乡镇卫生院（社区卫生服务中心）…),
上转 / 下转 for referrals.
"""

from __future__ import annotations

import re

from ihms.system._words_zh import TIERS

__all__ = ["HEADERS", "LEVELS", "PERIODS", "UNITS", "omission_notes_zh", "unit_zh"]

#: The catalogue's units (``Indicator.unit``) in Chinese.
UNITS: dict[str, str] = {
    "%": "%",
    "ratio": "比值",
    "visits": "人次",
    "admissions": "人次",
    "referrals": "人次",
    "days": "日",
    "yuan per visit": "元/人次",
    "yuan per admission": "元/住院人次",
    "yuan per resident, average population": "元/人（平均人口）",
    "yuan per insured resident, average population": "元/参保人（平均参保人数）",
    "admissions per 100 residents, average population": "住院人次/百人（平均人口）",
    "physicians per 1,000 residents, year-end population": "人/千人口（年末人口）",
    "nurses per 1,000 residents, year-end population": "人/千人口（年末人口）",
    "beds per 1,000 residents, year-end population": "张/千人口（年末人口）",
    "GPs per 10,000 residents, year-end population": "人/万人口（年末人口）",
    "beds per THC": "张/院",
    "diagnosis groups per THC": "种/院",
    "million yuan per THC": "百万元/院",
    "10,000 yuan per physician": "万元/人",
}

#: The levels of disaggregation (``--level``) in Chinese.
LEVELS: dict[str, str] = {
    "total": "合计",
    "province": "省",
    "city": "市",
    "county": "县",
    "grid": "网格",
    "consortium": "医联体",
    "tier": "机构层级",
    "institution": "机构",
}

#: The periods (``--period``) in Chinese.
PERIODS: dict[str, str] = {"month": "月", "year": "年"}

#: The headers and field names of the three commands' tables.
HEADERS: dict[str, str] = {
    "id": "指标代码",
    "indicator": "指标",
    "name": "英文名称",
    "名称": "名称",
    "name_en": "英文名称",
    "name_zh": "中文名称",
    "numerator": "分子",
    "denominator": "分母",
    "factor": "乘数",  # 系数 reads as a regression coefficient
    "unit": "计量单位",  # the reporting unit of compute's table is its 统计单元
    "complement": "补数（分母 − 分子）",
    "periods": "期间",
    "levels": "层级",
    "source": "来源",
    "suppress_on": "抑制依据",
    "description": "说明",
    "field": "项目",
    "value": "值",
    "period": "期间",
    "suppressed": "已抑制",
}

#: ``compute``'s column of the unit a row is reported for (a tier, a county): 统计单元,
#: not the 计量单位 of ``list`` and ``show``.
REPORTING_UNIT = "统计单元"

#: The suppressed flag's cells.
YES_NO = {"yes": "是", "no": "否"}

#: The Stata and SPSS variable labels of ``compute --out`` in Chinese.
LABELS: dict[str, str] = {
    "indicator": "指标代码（ihms indicators show 代码）",
    "period_type": "期间类型：month（月）或 year（年）",
    "period": "期间（YYYY-MM 或 YYYY）",
    "period_key": "期间的数字形式（YYYYMM 或 YYYY）",
    "time": "tsset 用的时间：Stata 月度日期（%tm；年度行缺失）或年份",
    "year": "期间所在年份",
    "level": "分组层级",
    "unit": "单位代码",
    "unit_name": "单位名称",
    "numerator": "分子（计数或合计）",
    "denominator": "分母",
    "numerator_unit": "分子为金额时为 fen（分；1 元 = 100 分）",
    "denominator_unit": "分母为金额时为 fen（分；1 元 = 100 分）",
    "value": "值 = 分子 / 分母 × 乘数，以指标的计量单位计",
    "measure_unit": "值的计量单位（指标目录的单位）",
    "suppressed": "1 = 已抑制：计数或构成比的其余部分小于 --min-cell",
}


def unit_zh(unit: str) -> str:
    """A catalogue unit in Chinese (one not listed as it is)."""
    return UNITS.get(unit, unit)


#: The divisors a yearly table shows a count in, as Chinese tables write them (万人次).
_IN_UNITS = {100: "百", 1_000: "千", 10_000: "万", 1_000_000: "百万", 100_000_000: "亿"}


def in_units_zh(unit: str, divisor: float | None = None) -> str:
    """A Chinese unit counted in units of ``divisor``, as a Chinese table heads a row it
    divides: 人次 in 10,000s is 万人次.

    >>> in_units_zh("人次", 1e4), in_units_zh("元", 1e6), in_units_zh("人次"), in_units_zh("元", 250)
    ('万人次', '百万元', '人次', '元，以 250 为单位')
    """
    if not divisor:
        return unit
    prefix = _IN_UNITS.get(int(divisor)) if float(divisor).is_integer() else None
    return f"{prefix}{unit}" if prefix else f"{unit}，以 {divisor:,.0f} 为单位"


def growth_notes_zh(first: str, last: str, missing: list[str]) -> list[str]:
    """The notes :func:`ihms.indicators.growth_layout` adds in Chinese: the rows given no
    growth rate (``missing``, named as the rows are) and the formula.

    >>> growth_notes_zh("2016", "2019", [])
    ['年均增长率（%）= 100 × [(2019 年值 / 2016 年值)^(1/3) - 1]。']
    """
    notes = []
    if missing:
        notes.append(f"{first} 年或 {last} 年的值缺失或为零，不计增长率：{'；'.join(missing)}。")
    years = int(last) - int(first)
    # the column holds percent (15.77), as its header 年均增长率（%） says
    notes.append(f"年均增长率（%）= 100 × [({last} 年值 / {first} 年值)^(1/{years}) - 1]。")
    return notes


def level_zh(level: str) -> str:
    return LEVELS.get(level, level)


def unit_cell(value: object) -> object:
    """A cell of ``compute``'s unit column: a tier in Chinese (县级医院), the whole (合计);
    a county's, grid's or institution's id as it is."""
    if isinstance(value, str):
        return TIERS.get(value, LEVELS["total"] if value == "total" else value)
    return value


def elsewhere_zh(by_level, level: str, across: bool, by_period, period: str) -> list[str]:
    """The notes naming the indicators computed at another level (``by_level``: level →
    ids) or period (``by_period``) than asked; ``across``: the asked level sums counties
    the definitions do not add up over."""
    notes = []
    if by_level:
        parts = "；".join(f"按{level_zh(lv)}：{'、'.join(ids)}" for lv, ids in by_level)
        why = "其定义不能跨县相加" if across else "其定义允许的最细层级"
        notes.append(f"未按{level_zh(level)}计算（{why}）：{parts}。")
    for kind, ids in by_period:
        notes.append(f"未按{PERIODS.get(period, period)}计算（仅按{PERIODS.get(kind, kind)}定义）："
                     f"{'、'.join(ids)}。")  # fmt: skip
    return notes


def suppression_note_zh(min_cell: int, flag: str = "已抑制 = 是") -> str:
    """What ``--min-cell`` hid, in one sentence; ``flag``: how the table marks them (a
    file's column is ``suppressed = True``)."""
    if min_cell <= 1:
        return "未抑制小单元格。"
    return (
        f"计数为 1 至 {min_cell - 1} 的单元格已抑制；另一部分（分母 − 分子）同样小的构成比，"
        f"及同一单元格中与之配对的构成比，亦已抑制（二次抑制）：值、分子和分母留空，{flag}。"
    )


def suppressed_count_zh(n: int, min_cell: int) -> str:
    """The stderr note of ``compute --out`` / ``--json``: how many cells were hidden."""
    return (
        f"{n:,} 个单元格已抑制（计数为 1 至 {min_cell - 1}，或构成比的其余部分（分母 − 分子）"
        "同样小，及与之配对的构成比（二次抑制））：值、分子和分母留空，suppressed = True；"
        "--min-cell 1 保留这些单元格，供卫生健康部门内部分析"
    )


def population_note_zh(population: str) -> str:
    return "人均指标的分母为" + (
        "体系文件的网格人口（--population grids）。"
        if population == "grids"
        else "居民登记（--population register）。"
    )


_TABLES = re.compile(r"tables? (?P<names>\S+(?: and \S+)*) (?:has|have) no rows|"
                     r"tables? (?P<absent>\S+(?: and \S+)*) (?:is|are) absent")  # fmt: skip
_NO_UNIT = re.compile(r"no (?P<level>\w+) has records for it in the period")


def reason_zh(reason: str) -> str:
    """Why an indicator was left out, in Chinese, part by part (``; ``); a part of
    another kind as it is."""
    from ihms.indicators._system_file import NO_PATHWAY, REGISTER_ONLY, for_cli

    known = {
        for_cli(NO_PATHWAY): "其按卫生服务体系文件的转诊路径判断转诊，而数据中没有该文件"
        "（请给出 --system FILE）",
        for_cli(REGISTER_ONLY): "其人口为参保居民，体系文件的网格人口不含此数；仅按居民登记计算"
        "（--population register）",
    }
    if reason in known:
        return known[reason]
    parts = []
    for part in reason.split("; "):
        if (m := _TABLES.fullmatch(part)) is not None:
            names = (m["names"] or m["absent"]).replace(" and ", "、")
            part = f"表 {names} {'无记录' if m['names'] else '缺失'}"
        elif (m := _NO_UNIT.fullmatch(part)) is not None:
            part = f"期间内没有任何{level_zh(m['level'])}有其记录"
        parts.append(part)
    return "；".join(parts)


def omission_notes_zh(omitted, catalogue) -> list[str]:
    """One note per reason, naming the indicators left out for it (as
    :func:`ihms.indicators.results.omission_notes` says them in English)."""
    by_reason: dict[str, list[str]] = {}
    for o in omitted:
        by_reason.setdefault(o.reason, []).append(catalogue[o.indicator].name_zh)
    return [f"未计算：{'、'.join(names)}。原因：{reason_zh(r)}。" for r, names in by_reason.items()]
