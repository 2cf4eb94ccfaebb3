"""The payment demo's sentences built from a settlement's amounts, in Chinese: what
:mod:`ihms.demo._payment_text` says in English (``lang="zh"`` of its functions), worded
with the payment tables' Chinese terms (:mod:`ihms.payment._words_zh`): 总额预算, 医保基金,
医共体, 结余留用 / 结余收回, 超支分担, 民营医院预留, 县外就医, 医务人员激励.

The amounts are the English sentences' amounts, said by :func:`million` in 百万元.
"""

from __future__ import annotations

from ihms.payment import SettlementRecord, format_rate, format_yuan
from ihms.sources import ZHONG_2023

__all__ = [
    "alike_zh",
    "in_words_zh",
    "members_zh",
    "outcome_zh",
    "spending_zh",
]


def _m(fen: int) -> str:
    from ihms.demo._payment_text import million

    return million(fen, lang="zh")


def in_words_zh(items) -> str:
    """Items as a Chinese sentence lists them, 和 before the last, spaced from a figure
    as Chinese text spaces figures: ``2017、2018 和 2019``, ``县级医院和村卫生室``.

    >>> in_words_zh([2017, 2018, 2019]), in_words_zh(["县级医院", "村卫生室"]), in_words_zh(["甲"])
    ('2017、2018 和 2019', '县级医院和村卫生室', '甲')
    """
    words = [str(i) for i in items]
    if len(words) < 2:
        return "".join(words)
    head, last = "、".join(words[:-1]), words[-1]
    left = "" if _han(head[-1]) else " "
    right = "" if _han(last[0]) else " "
    return f"{head}{left}和{right}{last}"


def _han(char: str) -> bool:
    """A Chinese character or full-width punctuation (no space beside it)."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _private_zh(rec: SettlementRecord) -> str:
    private, reserve = rec.private_fen, rec.private_reserve_fen
    none = "参保居民未在民营医院发生医保费用"
    if rec.budget is None:
        return none if not private else f"民营医院医保费用 {_m(private)}由医保基金支付"
    if not private:
        return none + (
            f"，因此医保部门的民营医院预留 {_m(reserve)}未动用（仍留在医保基金，不计入医共体的"
            "总额预算）"
            if reserve
            else ""
        )
    if not reserve:
        return f"民营医院医保费用 {_m(private)}由医保基金支付（规则未设民营医院预留）"
    if private <= reserve:
        left = reserve - private
        return f"民营医院医保费用 {_m(private)}由民营医院预留 {_m(reserve)}支付，" + (
            f"预留余 {_m(left)}" if left else "预留全部用完"
        )
    return (
        f"民营医院医保费用 {_m(private)}超过民营医院预留 {_m(reserve)}：预留支付 "
        f"{_m(reserve)}，其余 {_m(private - reserve)}由医保基金支付"
    )


def spending_zh(rec: SettlementRecord) -> str:
    """:func:`~ihms.demo._payment_text.spending_text` in Chinese."""
    inside = f"参保居民在医共体内机构的医保支付为 {_m(rec.consortium_fen)}"
    outside = rec.outside_county_fen
    if not outside:
        care = f"{inside}，计入总额预算，县外就医无医保支付"
    elif rec.charge_outside_county:
        care = f"{inside}，县外就医 {_m(outside)}，两者均计入总额预算"
    else:
        care = f"{inside}，计入总额预算；县外就医 {_m(outside)}，由医保基金在总额预算之外支付"
    return f"{care}；{_private_zh(rec)}。"


def _kept_zh(rec: SettlementRecord) -> str:
    balance, kept = rec.balance_fen, rec.retained_fen
    if kept == balance:
        how = "全部留用"
    elif kept:
        how = f"留用 {_m(kept)}，收回 {_m(rec.clawback_fen)}"
    else:
        return f"未留用任何结余：{_m(balance)}全部返还医保基金"
    staff = rec.distribution.staff_incentive_fen
    return how + (f"，其中 {_m(staff)}用于医务人员激励" if staff else "；无资金用于医务人员激励")


def outcome_zh(rec: SettlementRecord, *, assumed: bool) -> str:
    """:func:`~ihms.demo._payment_text.outcome_text` in Chinese; ``assumed``: the
    assessment was taken as passed for want of values."""
    if rec.overspend_fen:
        insurer, consortium = rec.overspend_insurer_fen, rec.overspend_consortium_fen
        who = (
            "超支全部由医共体承担，医保基金不在总额预算之外另行支付"
            if not insurer
            else f"医保基金分担其中 {_m(insurer)}，"
            + (f"医共体承担 {_m(consortium)}" if consortium else "医共体不承担")
        )
        return f"计入总额预算的医保支付超出预算 {_m(rec.overspend_fen)}；{who}"
    if not rec.balance_fen:
        return "计入总额预算的医保支付与预算恰好相等（精确到分）：既无结余可留用，也无超支"
    if rec.assessment_passed is None:
        verdict = "医共体"
    elif assumed:
        verdict = "医共体的考核视为合格（本年度无可用的考核指标值），"
    else:
        verdict = f"医共体考核{'合格' if rec.assessment_passed else '不合格'}，"
    return f"结余 {_m(rec.balance_fen)}；{verdict}{_kept_zh(rec)}"


#: The tiers :func:`members_zh` names, as Chinese health statistics name them.
TIER_ZH = {
    "secondary": "县级医院",
    "primary_centre": "乡镇卫生院",
    "village_clinic": "村卫生室",
}


def members_zh(y: int, p: int, total: int, total_before: int, changes, seed: bool) -> str:
    """:func:`~ihms.demo._payment_text.members_text` in Chinese: ``changes`` is (tier,
    count before, count now) for each tier that changed; ``seed`` whether the village
    clinics follow Youxi's in the source study."""
    said = [f"{TIER_ZH[t]}由 {a:,} 家变为 {b:,} 家" for t, a, b in changes]
    head = f"{y} 年医共体计入 {total:,} 家成员机构，{p} 年为 {total_before:,} 家" + (
        f"：其中{in_words_zh(said)}。" if said else "。"
    )
    if seed:
        head += f"县域数据文件的村卫生室数沿用 {ZHONG_2023}，表2 中尤溪县的数字。"
    return head


_WHERE_ZH = {"as observed": "实际支出情景", "with the saving": "节约情景"}


def _when_zh(cases, *, sep: str = "，") -> str:
    """``{'as observed': [2017, 2019]}`` → ``'实际支出情景下的 2017 和 2019 年'``.

    >>> _when_zh({"as observed": [2017, 2019], "with the saving": [2017]})
    '实际支出情景下的 2017 和 2019 年，节约情景下的 2017 年'
    """
    return sep.join(
        f"{_WHERE_ZH[path]}下的 {in_words_zh(years)} 年" for path, years in cases.items() if years
    )


def alike_zh(facts, *, ratchet, shared) -> list[str]:
    """:func:`~ihms.demo._payment_text.alike_sentences` in Chinese, from the same
    ``facts`` (:func:`~ihms.demo._payment_text._alike_facts`)."""
    head = (
        "德清医共体的结余分成与其他地区按历史支出核定总额时医共体可留用的结余相等："
        f"{_when_zh(facts.same)}。"
    )
    if facts.apart:
        head += (
            f"按所示精度（0.01 百万元）两者相同，实际最多相差 {format_yuan(facts.apart)} 元，"
            "因为德清的基准按每名居民的金额舍入到分。"
        )
    if not facts.why:
        return [head]
    budget, rule = ratchet.budget, shared.shared_savings
    share = ratchet.settlement.balance_retained_share
    years = (
        "上一年参保人均支出"
        if budget.history_years == 1
        else f"前 {budget.history_years} 年参保人均支出的平均值"
    )
    why = (
        f"两个规则文件都以{years}上浮 {format_rate(budget.history_growth)} 后的金额作为当年的"
        "标尺（其他地区为总额预算，德清为结余分成基准），也都让医共体得到低于标尺部分的 "
        f"{format_rate(share)}（其他地区为结余留用比例，德清为结余分享比例）。因此，只要某年的"
        "结余达到德清的最低结余率、分成又不超过德清的上限，两者的结算结果就相同。"
    )
    parts: list[str] = []
    if facts.short:
        listed = "；".join(
            f"{_WHERE_ZH[where]}下的 {year} 年：结余率 {rate}%，低于 {msr}"
            for year, where, rate, msr in facts.short
        )
        parts.append(
            f"结余率低于该标准时（{listed}），德清不分享结余，而按历史支出核定总额的规则仍留用 "
            f"{format_rate(share)} 的结余。"
        )
    if any(facts.capped.values()):
        parts.append(
            f"德清的分成上限（基准的 {format_rate(rule.savings_cap)}）起作用"
            f"（{_when_zh(facts.capped, sep='；')}）。"
        )
    if any(facts.over.values()):
        parts.append(
            f"支出超过标尺时（{_when_zh(facts.over, sep='；')}）即为超支：按历史支出核定总额的"
            "规则由医共体承担一部分；德清只分享结余、不分担超支，超支由医保基金承担。"
        )
    return [head, why] + (["其余年份两者不同。" + "".join(parts)] if parts else [])
