"""The payment step's rules section and settled years in Chinese (``ihms demo --lang
zh``): what :mod:`ihms.demo._payment` says in English, in the payment tables' Chinese
terms (:mod:`ihms.payment._words_zh`); the library's own tables are said by
:func:`ihms.payment._words_zh.in_lang`, as ``ihms payment settle --lang zh`` says them.

The built-in rule files' assumptions are English text of the files; :data:`ASSUMPTIONS_ZH`
says each in Chinese; one it does not say (a county's own rule file, a reworded built-in
assumption) is shown as the file gives it, marked （原文，未译）, and the demo's Chinese
test of the built-in files fails.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ihms.demo._payment_text import million
from ihms.payment import PaymentRules, SettlementRecord, format_rate
from ihms.payment._words_zh_books import BOOK_WORDS
from ihms.report import Section
from ihms.sources import ZHONG_2023, cited, cited_zh
from ihms.summary import SummaryTable

__all__ = [
    "ASSUMPTIONS_ZH",
    "UNTRANSLATED_ZH",
    "assumption_zh",
    "rules_section_zh",
    "salaries_lead_zh",
    "store_source_zh",
    "year_text_zh",
]

#: The built-in rule files' assumptions (as :func:`~ihms.sources.cited` gives them) in
#: Chinese.
ASSUMPTIONS_ZH: dict[str, str] = {
    # sanming.yaml
    "Premium: the national minimum financing of resident medical insurance, government "
    "subsidy plus individual contribution per insured person, as Youxi's: 630 yuan in "
    "2017, 710 in 2018 and 770 in 2019, growing 6% a year after 2019 (Zhong et al. 2023 "
    "gives no figure).": "人均筹资：取城乡居民医保全国最低筹资标准（每名参保人的财政补助加个人缴费），"
    "与尤溪县相同：2017 年 630 元，2018 年 710 元，2019 年 770 元，2019 年后每年增长 6%"
    "（Zhong et al. 2023 未给出数字）。",
    "Premium sources: for 2017 and 2018 Xinhua, 25 July 2018 (490 + 220 yuan in 2018, both "
    "40 more than in 2017); for 2019 the subsidy of 520 yuan, Xinhua, 13 May 2019, and the "
    "individual 250 yuan (30 more) of the 2019 circular 医保发〔2019〕30号 as a city's notice "
    "restates it, not seen in a retrieved copy of the circular.": "人均筹资来源：2017 年和 2018 "
    "年据新华社 2018 年 7 月 25 日报道（2018 年财政补助 490 元、个人缴费 220 元，均比 2017 年多 40 "
    "元）；2019 年财政补助 520 元据新华社 2019 年 5 月 13 日报道，个人缴费 250 元（多 30 元）据某市"
    "通知对 2019 年文件医保发〔2019〕30号的转述，未经该文件原文核实。",
    "Reserves: 3% of the pooled fund for private hospitals, 5% for the risk-adjustment "
    "fund.": "预留：统筹基金的 3% 作为民营医院预留，5% 作为风险调剂金。",
    "Balance uses other than the 16% staff incentive: cooperation 24%, health promotion "
    "20%, institutional development 40%.": "除 16% 用于医务人员激励外的结余用途：协作 24%，"
    "健康促进 20%，机构发展 40%。",
    "A consortium that fails the assessment keeps none of the balance (it returns to the "
    "fund).": "考核不合格的医共体不得留用结余（结余返还医保基金）。",
    "Scorecard weights, floors, targets and the 60-point pass mark; salary factor 0.6 at "
    "score 0 to 1.2 at full score.": "考核评分表的权重、下限、目标值和 60 分合格线；年薪系数在"
    "得分为 0 时为 0.6，满分时为 1.2。",
    "The 16% staff share Zhong et al. 2023 give for 2018 is kept for every year (they give "
    "no other year's).": "Zhong et al. 2023 给出的 2018 年医务人员激励比例 16% 沿用于每一年"
    "（该研究未给出其他年份的比例）。",
    "Staff whose role has no card of its own (nurses, technicians, pharmacists, ...) are "
    "scored on the doctor's card (staff_pay.other_roles): Zhong et al. 2023 give the staff "
    "share to all the consortium's medical staff, and no role's scorecard.": "没有本岗位考核"
    "评分表的人员（护士、技师、药师等）按医生考核评分表考核（`staff_pay.other_roles`）："
    "Zhong et al. 2023 将医务人员激励分给医共体全体医务人员，未给出任何岗位的考核评分表。",
    "The staff share is shared among the staff who pass their card, in proportion to weight "
    "x score (score capped at 1), not by base salary or headcount; staff who fail get none "
    "of it; a share no one passes for is left unshared (kept in the consortium's "
    "staff-incentive account).": "医务人员激励在考核合格的人员中按权重 × 得分率（得分率最高为 "
    "1）分配，不按基本年薪或人头；考核不合格者不得分配；无人合格的份额不予分配（留在医共体的"
    "医务人员激励科目中）。",
    # other-areas.yaml
    "Budget = insured population x last year's per-capita charged spending x 1.05 (5% "
    "growth).": "总额预算 = 参保人数 × 上一年计入总额预算的参保人均医保支出 × 1.05（增长 5%）。",
    "The insurer pays 50% of an overspend up to 10% of the budget; the consortium bears "
    "the rest.": "超支中不超过总额预算 10% 的部分由医保基金分担 50%，其余由医共体承担。",
    "The consortium keeps 50% of a balance; 50% is clawed back.": "医共体留用结余的 50%，"
    "另 50% 由医保基金收回。",
}


def _share_zh(share) -> str:
    """A balance use's share: one rate, or each year's."""
    if isinstance(share, Mapping):
        return "、".join(f"{format_rate(v)}（{y} 年）" for y, v in sorted(share.items()))
    return format_rate(share)


def _rules_column(r: PaymentRules) -> list[str]:
    """One rule set's column of the rules table, in Chinese."""
    b, s, pct = r.budget, r.settlement, format_rate
    growth = f"{1 + b.history_growth:g}"
    basis = (
        f"{'常住人口' if b.population == 'residents' else '参保人数'} × 人均筹资，先提取 "
        f"{pct(b.private_reserve_share)} 作为民营医院预留、{pct(b.risk_adjustment_share)} 作为"
        "风险调剂金"
        if b.method == "population"
        else f"上一年人均支出 × {growth} × 参保人数"
        if b.history_years == 1
        else f"前 {b.history_years} 年人均支出（各年逐年按 × {growth} 趋势调整）的均值 × 参保人数"
    )
    limit = s.overspend_shared_up_to
    over = (
        "由医共体承担"
        if s.overspend_insurer_share == 0
        else f"医保基金分担超支的 {pct(s.overspend_insurer_share)}"
        + (
            ""
            if limit is None
            else f"，以不超过总额预算 {pct(limit)} 的超支为限（即最多为总额预算的 "
            f"{pct(s.overspend_insurer_share * limit)}）"
        )
        + "；其余由医共体承担"
    )
    kept = ("考核合格则" if s.assessment == "director" else "") + (
        f"留用 {pct(s.balance_retained_share)}"
    )
    uses = "，".join(f"{BOOK_WORDS.get(n, n)} {_share_zh(v)}" for n, v in r.balance_uses.shares)
    pay = "按考核评分表发放年薪" if r.staff_pay.method == "annual_salary" else "按服务量计酬"
    return [basis, over, kept, uses, pay]


#: Before an assumption :data:`ASSUMPTIONS_ZH` does not say (a county's own rule file, a
#: reworded built-in one): the reader sees it is the file's English, not a translation.
UNTRANSLATED_ZH = "（原文，未译）"


def assumption_zh(text: str) -> str:
    """A rule file's assumption in Chinese; one not in :data:`ASSUMPTIONS_ZH` as the file
    gives it, marked :data:`UNTRANSLATED_ZH`.

    >>> assumption_zh("Budgets are set by the county board.")
    '（原文，未译）Budgets are set by the county board.'
    """
    said = cited(text)
    return ASSUMPTIONS_ZH.get(said, f"{UNTRANSLATED_ZH}{said}")


def rules_section_zh(sanming: PaymentRules, other: PaymentRules) -> Section:
    """The rules section in Chinese."""
    frame = pd.DataFrame(
        {"三明": _rules_column(sanming), "其他地区": _rules_column(other)},
        index=pd.Index(
            ["总额预算核定方式", "超支", "结余", "结余用途", "医务人员薪酬"], name="规则"
        ),
    )
    sec = Section(
        "payment-rules",
        "医保支付规则：三明总额包干与其他地区按历史支出核定总额",
        mirrors=cited_zh(f"{ZHONG_2023}, Table 1"),
    )
    sec.text(
        "三明按参保人数和人均筹资核定医共体的医保基金总额预算；参保居民无论在何处就医，其医保费用"
        "均由医共体支付，超支由医共体承担，年度考核合格则结余归医共体留用，部分用于医务人员激励"
        "（2018 年为 16%）、医院与基层机构的协作以及健康促进。中国其他地区的总额预算按上一年支出"
        "核定，超支与医保基金分担，结余部分收回。下表将 ihms 所用的两套规则并列对照。研究未公布的"
        "比例是内置规则文件的假设，列于表后；县域可用 `ihms payment rules sanming` 为模板编写自己"
        "的规则文件。"
    )
    sec.table(
        "rules",
        SummaryTable(frame, title="ihms 所用的医保支付规则：三明与其他地区", lang="zh"),
    )
    notes = [f"三明：{assumption_zh(a)}" for a in sanming.assumptions] + [
        f"其他地区：{assumption_zh(a)}" for a in other.assumptions
    ]
    sec.text("假设：" + "".join(notes))
    return sec


def year_text_zh(rec: SettlementRecord, members: str) -> str:
    """A settled year's opening paragraph in Chinese."""
    from ihms.demo._payment_text import outcome_text, spending_text

    return (
        f"{rec.year} 年医保基金总额预算为 {million(rec.budget.global_budget_fen, lang='zh')}，"
        f"参保人数 {rec.inputs.county.insured_population:,} 人（全年平均参保人数：参保人月数 ÷ "
        f"12）。{spending_text(rec, lang='zh')}因此，{outcome_text(rec, lang='zh')}。下列计算"
        "过程可供审计人员逐项手工复核；金额精确到分。" + members
    )


def salaries_lead_zh(staff_text: str) -> str:
    """The paragraph before a year's salaries table in Chinese."""
    return (
        "年薪按每人的考核评分表确定（院长：医保基金结余、健康促进、协作；医生：健康教育、健康管理、"
        "到下级机构坐诊天数）。结余中用于医务人员激励的部分，在考核合格者中按得分分配。"
        + staff_text
    )


def store_source_zh(consortium: str, insured: int, registered: int | None) -> str:
    """Where the settlements' inputs come from when read from the simulated store."""
    of_them = "" if registered is None else f"，其中 {registered:,} 人签约家庭医生"
    return (
        "模拟县域自身的数据表（见模拟一节）：医保支付、参保人数和家庭医生签约数读自其数据库，"
        f"考核所用的比率按指标目录为 {consortium} 计算（最后一年参保居民 {insured:,} 人{of_them}；"
        "两者均为全年平均数，即人月数 ÷ 12）"
    )
