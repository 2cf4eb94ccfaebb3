"""The opening brief's own paragraphs in Chinese (``ihms demo --lang zh``): the chain the
report tests, the settlements and the premium they rest on, and the policy tools — each
phrasing what :mod:`ihms.demo._brief` read from the steps, every amount and kappa as the
English brief gives it.

The words are those of the payment tables in Chinese (:mod:`ihms.payment._words_zh`:
总额预算, 结余, 超支, 结余留用, 医务人员薪酬激励, 人均筹资, 民营医院预留, 风险调剂金) and of
the policy tools (编码员, 编码本, 编码员间一致性, κ).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ihms.payment.money import format_yuan
from ihms.payment.reform import month_zh
from ihms.sources import YU_2024

__all__ = [
    "PREMIUM_ZH",
    "opening_zh",
    "outcomes_zh",
    "policy_zh",
    "premium_zh",
    "wan_yuan",
    "year_zh",
    "yuan_zh",
]

#: The premium assumptions of the built-in rule files in Chinese, by their English line.
PREMIUM_ZH: dict[str, str] = {
    "Premium: the national minimum financing of resident medical insurance, government "
    "subsidy plus individual contribution per insured person, as Youxi's: 630 yuan in 2017, "
    "710 in 2018 and 770 in 2019, growing 6% a year after 2019 (Zhong et al. 2023 gives no "
    "figure).": "城乡居民医保的国家最低人均筹资标准，即每名参保人的政府补助与个人缴费之和，"
    "尤溪县亦按此筹资：2017 年 630 元、2018 年 710 元、2019 年 770 元，2019 年后每年增长 6%；"
    "Zhong et al. 2023 未给出该数字",
}

#: The brief's heading of the settlements, by what the years had.
PAYMENT_HEADS = {
    "kept": "总额预算有结余，可留归医共体。",
    "short": "总额预算不足。",
    "nothing": "总额预算未给医共体留下可留用的结余。",
}


def wan_yuan(fen: int) -> str:
    """An amount in fen in 万元, as Chinese prose gives money, to 0.1 rounded half up
    from the exact fen (the tables keep 百万元).

    >>> wan_yuan(1_764_000_00), wan_yuan(250_000), wan_yuan(123_456_789_00)
    ('176.4 万元', '0.3 万元', '12,345.7 万元')
    """
    wan = (Decimal(fen) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{wan:,} 万元"


def yuan_zh(fen: int) -> str:
    """An amount in fen in yuan: whole yuan without decimals, as the premium's years are
    said (710), else to the fen.

    >>> yuan_zh(71000), yuan_zh(123456)
    ('710', '1,234.56')
    """
    return f"{fen // 100:,}" if fen % 100 == 0 else format_yuan(fen)


def year_zh(year: int, rec) -> str:
    """One settled year in a clause, as :func:`ihms.demo._brief._year_payment` says it,
    each amount in 万元 (:func:`wan_yuan`): '2018 年结余 234.0 万元，全部留归医共体，
    其中 37.4 万元用于医务人员薪酬激励'."""
    if rec.overspend_fen:
        return f"{year} 年支出超出预算 {wan_yuan(rec.overspend_fen)}"
    if not rec.balance_fen:
        return f"{year} 年支出与预算分毫不差"
    balance = f"{year} 年结余 {wan_yuan(rec.balance_fen)}"
    if not rec.retained_fen:
        why = "（医共体考核不合格）" if rec.assessment_passed is False else ""
        return f"{balance}，未予留用{why}"
    kept = (
        "全部留归医共体"
        if rec.retained_fen == rec.balance_fen
        else f"医共体留用 {wan_yuan(rec.retained_fen)}"
    )
    staff = rec.distribution.staff_incentive_fen
    use = f"其中 {wan_yuan(staff)}用于医务人员薪酬激励" if staff else "未用于医务人员薪酬激励"
    return f"{balance}，{kept}，{use}"


def outcomes_zh(had: list[str]) -> str:
    """What the settled years had (``balances``, ``overspends``) in Chinese."""
    said = {"balances": "结余", "overspends": "超支"}
    return "和".join(said[w] for w in had) or "清算结果"


def premium_zh(
    amounts: list[tuple[int, str]],
    *,
    reserves: list[tuple[str, str]],
    reserve_year: int,
    stated: str | None,
    rules_name: str,
    outcomes: str,
) -> str:
    """What the budgets rest on: ``amounts`` the premium by year (yuan, worded),
    ``reserves`` what the insurer holds back first (``private``/``risk`` and its share of
    the fund in ``reserve_year``), ``stated`` the rule file's premium assumption (its
    English line; None when the file states none)."""
    held = {"private": "民营医院预留", "risk": "风险调剂金"}
    less = (
        "、再扣除医保基金先行预留的部分（"
        + f"{reserve_year} 年"
        + "、".join(f"{held[what]} {share}" for what, share in reserves)
        + "）"
        if reserves
        else ""
    )
    (first, amount), later = amounts[0], amounts[1:]
    listed = "、".join(
        [f"{first} 年为每名参保人 {amount} 元", *(f"{y} 年为 {a} 元" for y, a in later)]
    )
    if stated is None:
        return f"各年预算为参保人数乘以人均筹资{less}；人均筹资{listed}。"
    why = PREMIUM_ZH.get(stated)
    assumed = (
        f"（规则文件假设其为{why}）"
        if why
        else f"（其依据见规则文件 `{rules_name}.yaml` 所列假设）"
    )
    return (
        f"各年预算为参保人数乘以人均筹资{less}；人均筹资是规则文件的假设，并非尤溪县公布的数字："
        f"{listed}{assumed}。因此，这些{outcomes}反映的是规则在该筹资水平下如何运作，"
        "而非尤溪县医保基金的实际情况。"
    )


def payment_zh(head: str, years: list[str], premium: str) -> str:
    """The settlements paragraph: ``head`` a key of :data:`PAYMENT_HEADS`, ``years`` the
    clauses of :func:`year_zh`, ``premium`` the sentences of :func:`premium_zh`."""
    return (
        f"**{PAYMENT_HEADS[head]}**按三明规则清算：{'；'.join(years)}。{premium}"
        "若改用其他地区逐年按上年支出核定预算的“棘轮”规则，同样的节约反而会压低下一年的预算"
        "（见“总额预算规则为何重要”一节）。"
    )


def policy_zh(
    kappa: float | None, machine: float | None, human: float | None, *, good: bool
) -> str:
    """The policy tools' paragraph: the simulated coders' mean ``kappa``, the machine
    coder's (``machine``, against ``human`` between the coders; ``good``: it codes like
    them), each None when its step did not run."""
    text = "**政策分析工具可用；示例编码为模拟所得。**"
    if kappa is not None:
        text += (
            "示例语料由两名模拟编码员编码：编码依据编码本的关键词生成，每名编码员各有其随机误差"
            "（examples/policies/make_codings.py）。两者的平均 κ 为 "
            f"{kappa:.3f}（{YU_2024} 的人工编码员为 0.746），这只说明工具可用，"
            "并不说明真实编码的信度。"
        )
    if machine is not None:
        verdict = (
            "已足以充当又一名编码员"
            if good
            else "在如此小的语料上，它只能提出编码供人确认，尚不能充当编码员"
        )
        text += (
            f"以二者协商一致的编码训练的机器编码员，在从未见过的文件上 κ 达到 {machine:.3f}，"
            f"而编码员之间为 {human:.3f}：{verdict}。"
        )
    return text + "详见“编码员间一致性”和“机器辅助编码”两节。"


def opening_zh(
    *, when: str, county: str, pay: str, youxi_own: bool, reformed: bool, sanming: str
) -> str:
    """The brief's first paragraph: ``pay`` how the county pays its consortium
    (:func:`~ihms.demo._payment_baseline.reform_payment` in Chinese) from ``when``
    (``YYYY-MM``); ``youxi_own`` whether that is Youxi's own reform; a county not
    ``reformed`` stays on ``pay`` and is set against ``sanming``'s payment."""
    chain = (
        "应当看到：诊疗向乡镇卫生院和村卫生室下沉，县级医院不再争抢轻症患者，慢性病管理得到加强。"
    )
    month = month_zh(when)
    if not reformed:
        return (
            f"一个县若按{sanming}向医共体付费，就{chain}本报告在一个模拟的{county}上检验这一链条："
            f"该县仍沿用{pay}，未作改革，其清算假定自 {month}起按三明规则进行；报告同时展示"
            "可用真实数据度量这一链条的工具。"
        )
    who = f"{county}自 {month}起" if youxi_own else f"本报告模拟的{county}自 {month}起"
    return (
        f"{who}按{pay}向医共体付费。按这种办法付费的县，{chain}"
        f"本报告在一个模拟的{county}上检验这一链条，并展示可用真实数据度量这一链条的工具。"
    )
