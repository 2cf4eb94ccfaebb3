"""The calibration's notes on single figures in Chinese (``ihms sim calibrate --lang
zh``, read by :func:`ihms.sim._notes_zh.said_note`): the figures a note lists
(:func:`ihms.sim._target_words.figures_words`' words) and why a figure departs from
Zhong et al. 2023's (:mod:`ihms.sim.targets`' reasons), every figure as written.
"""

from __future__ import annotations

import re

from ihms.sources import cited_zh

__all__ = ["departure_zh", "figures_zh"]


def _reasons() -> dict[str, str]:
    """Why a calibration figure departs (:mod:`ihms.sim.targets`), in Chinese."""
    from ihms.payment._words_zh_books import REGIME_ZH
    from ihms.sim._calibration_results import _NO_REASON
    from ihms.sim.targets import (
        _CH_LEVEL,
        _IN_2017,
        _MIX_ONLY,
        _PRICE_RAMP,
        _STAYS_AT_REFORM,
        _STAYS_BEFORE,
    )

    return {
        _NO_REASON: "模型结构中尚无已知原因：调参未能拟合",
        _IN_2017: f"{REGIME_ZH['Sanming IMPM']}（医保基金打包支付）始于 2017 年 10 月，"
        "模型中的改革仅作用于 2017 年第四季度；"
        "而原文献 2017 年的数值已向 2019 年移动了一半以上，2018 年又回落，模型对改革的平滑响应"
        "无法再现这一路径",
        _MIX_ONLY: "模型在改革前不随时间设定价格（各级机构价格固定，仅随病情严重程度和住院天数变化），"
        "故改革前县级医院次均门诊费用仅随其病例组合变化",
        _PRICE_RAMP: "模型在改革前不随时间设定价格；改革后县级医院门诊价格每月上涨 d 元（d 由调参"
        "确定），改革当月为 0，但在尤溪 3 个月的过渡期内低于其后各月的直线，故使该水平变化降低约 "
        "0.81d（按内置配置的每月 1.40 元计，约 1.13 元）；水平变化的其余部分来自其病例组合",
        _STAYS_BEFORE: "原文献无法区分该趋势与零（95% CI −10.6～23.4，P = 0.451），故其符号和大小"
        "并非确定的目标；模型按固定日费用计算住院费用，故其费用仅随县级医院病例组合变化",
        _STAYS_AT_REFORM: "模型中县级医院在改革时减少住院仅通过少收轻、中度病例实现，故留下的"
        "住院病例更重、费用更高；而尤溪住院人次每月减少 286 人次，次均住院费用无显著变化"
        "（95% CI −168.1～368.7）",
        _CH_LEVEL: "原文献未列该序列的水平值：55022 为表4按诊疗人次解读所得，即 2016 年县级医院占"
        " 134.2 万人次的 49.2% 再除以 12 个月，其中也计入县级医院的慢性病随访和健康体检，模型的数值"
        "（其诊疗人次）同样计入",
    }


def departure_zh(text: str) -> str | None:
    """A calibration figure's departure and why, in Chinese (None: not one)."""
    from ihms.sim._words_zh import said_cell

    head, sep, why = text.rpartition(" — ")
    reason = _reasons().get(why.removesuffix("."))
    if not sep or reason is None:
        return None
    found = re.findall(r"(.+?): simulated (\S+) against (\S+) \(([^)]*)\)(?:; |$)", head)
    if not found:
        return None
    figures = "；".join(
        f"{said_cell(label)}：模拟值 {sim}，目标值 {target}（{cited_zh(src)}）"
        for label, sim, target, src in found
    )
    return f"{figures}——{reason}。"


_TERMS = {"pre-reform slope": "改革前斜率", "level change": "水平变化", "slope change": "斜率变化"}


def _figure_names() -> dict[str, str]:
    """The calibration figures' names as :func:`ihms.sim._target_words.figures_words`
    writes them (no unit), in Chinese."""
    from ihms.sim._target_words import _lower, label_parts
    from ihms.sim._words_zh import _measured
    from ihms.sim.targets import TARGETS

    names = {}
    for target in TARGETS:
        name, sep, _ = label_parts(target.label)
        full = target.label.rpartition(": " if sep else " ")[0]
        names[_lower(name)] = re.sub(r"（[^）]*）", "", _measured(full))
    return names


def _listed(text: str, say) -> str | None:
    """``a, b and c`` in Chinese (``a、b和c``; ``2016 年和 2017 年``, a figure spaced from
    和), each said by ``say``; None if one is not."""
    items = re.split(r", | and ", text)
    said = [say(i) for i in items]
    if None in said:
        return None
    last = said[-1] if len(said) < 2 or not said[-1][:1].isdigit() else " " + said[-1]
    return "、".join(said[:-1]) + ("和" if len(said) > 1 else "") + last


def figures_zh(text: str) -> str:
    """:func:`ihms.sim._target_words.figures_words` in Chinese; a part it cannot say as
    it is."""
    names = _figure_names()
    parts = []
    for part in text.split("; "):
        head, sep, rest = part.rpartition(": ")
        its = re.fullmatch(r"(.+?) of (.+)", rest)
        yearly = re.fullmatch(r"(.+) in (\d{4}(?:(?:, | and )\d{4})*)", rest)
        said = None
        if its and _listed(its[1], _TERMS.get) and _listed(its[2], names.get):
            said = f"{_listed(its[2], names.get)}的{_listed(its[1], _TERMS.get)}"
        elif yearly and _listed(yearly[1], names.get):
            said = f"{_listed(yearly[2], lambda y: y + ' 年')}{_listed(yearly[1], names.get)}"
        if said is None:
            parts.append(part)
            continue
        where = cited_zh(head) if sep else ""
        parts.append(f"{where}{'：' if sep else ''}{said}")
    return "；".join(parts)
