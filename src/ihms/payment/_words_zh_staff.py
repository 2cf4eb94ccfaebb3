"""The staff incentive notes in Chinese (:mod:`ihms.payment.incentive_checks`,
:func:`ihms.payment._salary_pool.unshared_note`), for ``--lang zh``
(:func:`ihms.payment._words_zh.said_note`): an incentive above the base salary, a
roster short of or beyond the headcount, a pool no one passed for or whose staff who
pass all have weight 0, a pool with no roster to share it, the consortium's
assessment assumed passed for want of its rows in a file, and the scorecard indicators
the settlement computed. Each is read by the
library's English words, its figures kept as written; a note these do not say stays
English."""

from __future__ import annotations

import re

from ihms.sources import ZHONG_2023

__all__ = ["CARD_LABELS", "said_staff_note"]

#: The built-in rule sets' scorecard lines, as labelled now and before (a record posted
#: before a label changed keeps its label; a county's own rule file keeps its labels).
CARD_LABELS = {
    "Medical insurance fund balance (share of the global budget)": "医保基金结余率（占总额预算的比例）",
    "Hypertension control rate (health promotion)": "高血压患者血压控制率（健康促进）",
    "Diabetes control rate (health promotion)": "糖尿病患者血糖控制率（健康促进）",
    "Hypertension standardized management rate (health promotion)": "高血压患者规范管理率（健康促进）",
    "Diabetes standardized management rate (health promotion)": "糖尿病患者规范管理率（健康促进）",
    "Share of healthcare outpatient visits in primary care (cooperation)": "健康门诊基层占比（协作）",
    "Share of outpatient contacts in primary care (cooperation)": "诊疗人次基层占比（协作）",
    "Health education sessions held in the year": "全年健康教育次数",
    "Share of the doctor's chronic patients under standardized management": "所管慢病患者规范管理率",
    "Days consulting at township health centres (cooperation)": "到乡镇卫生院坐诊天数（协作）",
    "Days consulting at a lower-tier institution (cooperation)": "到下级医疗机构坐诊天数（协作）",
}

_ABOVE = re.compile(
    r"Incentive above (\S+) × the base salary for ([\d,]+) of the ([\d,]+) staff: (.+?)"
    r"(?:; and ([\d,]+) more)?\. The pool \(([\d,.]+) yuan\) is shared over the ([\d,]+) "
    r"staff on the roster alone; (.+)\."
)
_ONE = re.compile(r"(\S+) ([\d,.]+) yuan on a base salary of ([\d,.]+) \((\S+) ×\)")
_NO_BASE = re.compile(r"(\S+) ([\d,.]+) yuan on no base salary")
_SAMPLE = re.compile(
    rf"{re.escape(ZHONG_2023)} gives the pool to all the consortium's medical staff, so a "
    r"roster that is a sample receives the shares of all \(give (.+?),? to check the roster\)"
)
_HOW = {
    "--staff-headcount, the headcount the pool is for": " --staff-headcount（激励资金所对应的人数）",
    "the headcount the pool is for": "激励资金所对应的人数",
}
_WHY = {
    "the roster is short of the headcount (the note before)": "名册人数少于人员总数（见上一条）",
    "check the roster and the base salaries": "请核对名册和基本年薪",
}
_SHORT = re.compile(
    r"The staff incentive pool of ([\d,.]+) yuan is for ([\d,]+) staff \(the headcount "
    r"given\), but the roster lists ([\d,]+): shared over the roster alone, its shares stand "
    r"for (\S+) times as many staff \(([\d,.]+) / ([\d,]+) = ([\d,.]+) yuan a head\); give "
    r"the whole roster for the shares staff would receive\."
)
_NONE_LISTED = re.compile(
    r"The staff incentive pool of ([\d,.]+) yuan is for ([\d,]+) staff \(the headcount "
    r"given\), but the roster lists none: none of it is shared \(([\d,.]+) / ([\d,]+) = "
    r"([\d,.]+) yuan a head\); give the roster for the shares staff would receive\."
)
_BEYOND = re.compile(
    r"The roster lists ([\d,]+) staff, more than the ([\d,]+) the staff incentive pool is "
    r"said to be for: check the headcount\."
)
_UNSHARED = re.compile(
    r"None of the staff incentive pool of ([\d,.]+) yuan is shared: none of the ([\d,]+) "
    r"staff(?: member)? on the roster passes their scorecard, and staff who fail get none of "
    r"it; the pool is left unshared, kept on the consortium's staff-incentive use\."
)

#: Said the same way every time (``ihms.payment.settlement``).
_FIXED = {
    "No staff roster given: the incentive pool is not shared out.": "未提供医务人员名册：薪酬激励资金"
    "未分配。",
}
#: Indicators the settlement computes itself, by the names the scorecard tables give them.
_COMPUTED = re.compile(r"Computed by the settlement: (.+)\.")
_COMPUTED_ZH = {"fund_balance_rate": "医保基金结余率"}
_ASSUMED = re.compile(r"Assessment assumed passed: (.+) has no consortium rows for (\d{4})\.")
_WEIGHTLESS = re.compile(
    r"None of the staff incentive pool of ([\d,.]+) yuan is shared: the ([\d,]+) staff "
    r"(?:member who passes|who pass) their scorecard \((.+)\) (?:has|have) weight 0 on the "
    r"roster, so weight × score gives no share, and staff who fail get none of it; the pool "
    r"is left unshared, kept on the consortium's staff-incentive use\."
)
_POOL_UNSHARED = re.compile(
    r"Incentive pool ([\d,.]+) yuan: not shared \(no staff member both passes and has a weight "
    r"above 0\), kept on the consortium's staff-incentive use\."
)


def _named(text: str) -> str | None:
    parts = []
    for one in text.split("; "):
        if (m := _ONE.fullmatch(one)) is not None:
            parts.append(f"{m[1]} 激励 {m[2]} 元，为基本年薪 {m[3]} 元的 {m[4]} 倍")
        elif (m := _NO_BASE.fullmatch(one)) is not None:
            parts.append(f"{m[1]} 激励 {m[2]} 元（无基本年薪）")
        else:
            return None
    return "；".join(parts)


def _why(text: str) -> str | None:
    if (m := _SAMPLE.fullmatch(text)) is not None:
        how = _HOW.get(m[1], m[1])
        return (
            f"{ZHONG_2023} 所述激励资金面向医共体全体医务人员，若名册只是其中一部分，名册上的人员"
            f"便分得了全体人员的份额（请提供{how}，以核对名册）"
        )
    return _WHY.get(text)


def said_staff_note(note: str) -> str | None:
    """``note`` in Chinese when it is one of the staff incentive notes, else None."""
    if (fixed := _FIXED.get(note)) is not None:
        return fixed
    if (m := _COMPUTED.fullmatch(note)) is not None:
        return "、".join(_COMPUTED_ZH.get(i, i) for i in m[1].split(", ")) + "由结算结果计算。"
    if (m := _ASSUMED.fullmatch(note)) is not None:
        return f"{m[1]} 中没有 {m[2]} 年医共体的考核指标值，视为考核合格。"
    if (m := _ABOVE.fullmatch(note)) is not None:
        named, why = _named(m[4]), _why(m[8])
        if named is None or why is None:
            return None
        more = f"；另有 {m[5]} 人" if m[5] else ""
        # "超过基本年薪的 1 倍" reads as "more than double" in Chinese: state the ratio
        return (
            f"{m[3]} 名人员中有 {m[2]} 人的激励与基本年薪之比超过 {m[1]}：{named}{more}。激励资金"
            f"（{m[6]} 元）仅在名册所列 {m[7]} 人中分配；{why}。"
        )
    if (m := _SHORT.fullmatch(note)) is not None:
        return (
            f"医务人员薪酬激励资金 {m[1]} 元对应 {m[2]} 名人员（所给人数），但名册仅列 {m[3]} 人："
            f"只在名册人员中分配，每人所得相当于 {m[4]} 人的份额（{m[5]} / {m[6]} = 人均 {m[7]} "
            "元）；请提供完整名册，以得出人员实际应得的份额。"
        )
    if (m := _NONE_LISTED.fullmatch(note)) is not None:
        return (
            f"医务人员薪酬激励资金 {m[1]} 元对应 {m[2]} 名人员（所给人数），但名册未列任何人员："
            f"激励资金未分配（{m[3]} / {m[4]} = 人均 {m[5]} 元）；请提供名册，以得出人员应得的份额。"
        )
    if (m := _BEYOND.fullmatch(note)) is not None:
        return f"名册列有 {m[1]} 名人员，多于激励资金所对应的 {m[2]} 人：请核对人数。"
    if (m := _UNSHARED.fullmatch(note)) is not None:
        return (
            f"医务人员薪酬激励资金 {m[1]} 元未分配：名册上的 {m[2]} 名人员均未通过考核，未通过者"
            "不得分配激励；该资金留在医共体的医务人员激励用途中。"
        )
    if (m := _WEIGHTLESS.fullmatch(note)) is not None:
        who = m[3].replace(" more", " 人").replace(" and ", "，另有 ")
        return (
            f"医务人员薪酬激励资金 {m[1]} 元未分配：考核合格的 {m[2]} 名人员（{who}）在名册上的权重均为 0，"
            "按权重 × 得分率分配不到份额，未通过者不得分配激励；该资金留在医共体的医务人员激励用途中。"
        )
    if (m := _POOL_UNSHARED.fullmatch(note)) is not None:
        return f"薪酬激励资金 {m[1]} 元：未分配（考核合格人员的权重均为 0），留在医共体的医务人员激励用途中。"
    return None
