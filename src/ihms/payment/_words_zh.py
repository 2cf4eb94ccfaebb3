"""The payment tables in Chinese: ``--lang zh`` of ``ihms payment budget``, ``settle``,
``distribute``, ``track`` and ``scorecard``, as :mod:`ihms.policy._agreement_words`
puts the agreement table in Chinese — the table is built in English, then its title,
headers, row labels, the words of its working and its fixed notes are said again in
Chinese (:func:`in_lang`); the figures are the English table's cells, untouched (a cell
such as ``678.40 yuan`` becomes ``678.40 元``, its number as it was). The staff
incentive notes are read in :mod:`ihms.payment._words_zh_staff`, the words of compare,
ledger and supervision in :mod:`ihms.payment._words_zh_books`; a note of another kind
(a caveat on a file read) stays in English, as a policy table's does; ``--json`` keeps
its English keys and error messages stay English.

The words are the standard ones of Chinese medical-insurance payment, for the reforms
Zhong et al. 2023 (Sanming) and Jia et al. 2021 (Deqing) describe, and those the
project's other Chinese uses (医保支付, 总额预算, 民营医院, 预算执行进度): 医保基金总额预算
(global budget), 统筹基金 (pooled fund), 参保人数 (insured population), 常住人口, 人均筹资
(premium), 民营医院预留, 风险调剂金, 结余 / 超支 (balance / overspend), 结余留用, 年薪 and
考核.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ihms.payment import _words_zh_books as books  # compare, ledger, supervision
from ihms.payment._words_zh_staff import CARD_LABELS
from ihms.payment._words_zh_track import TRACK_NOTES, TRACK_WORDS

if TYPE_CHECKING:
    from ihms.summary import SummaryTable

__all__ = ["ZH", "in_lang", "said_cell", "said_note", "said_title"]

#: Whole cells, headers and row labels by their English words.
ZH: dict[str, str] = {
    # budget: the working's headers and steps
    "step": "项目",
    "working": "计算过程",
    "result": "结果",
    "amount (yuan)": "金额（元）",
    "insured population": "参保人数",
    "resident population": "常住人口",
    "premium per capita": "人均筹资",
    "pooled fund": "统筹基金",
    "reserve for private hospitals": "民营医院预留",
    "risk-adjustment fund": "风险调剂金",
    "global budget": "医保基金总额预算",
    "budget before risk fund": "提取风险调剂金前的预算",
    "input": "输入值",
    "none (no private-hospital reserve)": "无（未设民营医院预留）",
    "from the insurer's fund (no private-hospital reserve)": "由医保基金支付（未设民营医院预留）",
    "no balance kept: nothing to share": "无留用结余，无可分配",
    "no shared savings: nothing to share": "无结余分成，无可分配",
    "charged − budget": "计入支付 − 总额预算",
    "given for the year": "规则给定的当年值",
    # several years' budgets
    "Year": "年份",
    "Method": "测算方法",
    "Insured population": "参保人数",
    "Resident population": "常住人口",
    "Premium (yuan)": "人均筹资（元）",
    "Pooled fund (yuan)": "统筹基金（元）",
    "Private reserve (yuan)": "民营医院预留（元）",
    "Risk-adjustment fund (yuan)": "风险调剂金（元）",
    "Global budget (yuan)": "总额预算（元）",
    "population": "按人口测算",
    "history": "按历史支出测算",
    # the settlement
    "Item": "项目",
    "Amount (yuan)": "金额（元）",
    "Working": "计算过程",
    "spending in the consortium": "医共体内医保支付",
    "spending outside the county": "县外就医医保支付",
    "spending at private hospitals": "民营医院医保支付",
    "spending charged to the budget": "计入总额预算的医保支付",
    "balance": "结余",
    "overspend": "超支",
    "balance kept by the consortium": "医共体结余留用",
    "balance clawed back": "结余收回",
    "overspend paid by the insurer": "医保基金分担的超支",
    "overspend borne by the consortium": "医共体承担的超支",
    "staff salary incentive pool": "医务人员薪酬激励资金",
    "insurer's total outlay": "医保基金总支出",
    "consortium's settlement result": "医共体结算结果",
    "family-physician fee": "家庭医生签约服务费",
    "total cost of care: insurance paid, out of pocket excluded": "医保支付的医疗费用（不含个人自付，与基准比较）",
    "benchmark": "基准",
    "savings (negative: losses)": "结余（负数为亏损）",
    "shared savings paid": "支付的结余分成",
    "shared losses owed": "应分担的亏损",
    "minimum loss rate": "最低亏损率",
    "assigned people": "归属人口",
    "actual expenditure": "实际支出",
    "savings": "结余",
    "savings rate": "结余率",
    "minimum savings rate": "最低结余率",
    "final sharing rate": "最终分享比例",
    "shared savings": "结余分成",
    "shared loss rate": "亏损分担比例",
    "shared losses": "分担的亏损",
    "benchmark per capita": "人均基准",
    "given by the payer": "医保经办机构给定",
    "total cost of care of the assigned people": "归属人口的医疗总费用",
    "savings / benchmark": "结余 / 基准",
    "savings rate < MSR: nothing shared": "结余率 < 最低结余率：不分享",
    "loss rate < MLR: nothing owed": "亏损率 < 最低亏损率：不分担",
    "private reserve balance": "民营医院预留结余",
    "budget − charged spending": "总额预算 − 计入的医保支付",
    "fund balance rate": "医保基金结余率",
    **TRACK_WORDS,  # in-year tracking
    "total": "合计",
    "yes": "是",
    "no": "否",
    # scorecards and salaries
    "Indicator": "考核指标",
    "Weight": "权重",
    "Value": "指标值",
    "Score": "得分率",
    "Points": "得分",
    "Staff id": "人员编号",
    "Role": "岗位",
    "Institution id": "机构编号",
    "Passed": "考核合格",
    "Salary factor": "年薪系数",
    "Base salary (yuan)": "基本年薪",
    "Annual salary (yuan)": "年薪",
    "Incentive (yuan)": "激励",
    **CARD_LABELS,
    "director": "院长",
    "doctor": "医生",
    "nurse": "护士",
    "consortium": "医共体",
    "Staff incentive": "医务人员激励",
    "Cooperation": "协作",
    "Health promotion": "健康促进",
    "Institutional development": "机构发展",
    "Use of the balance": "结余用途",
    "Share (%)": "比例 (%)",
    # a shared-savings year's outcome (Deqing, Jia et al. 2021; MSSP)
    "savings shared": "分享结余",
    "savings, but quality gate not met": "有结余，但未达质量门槛",
    "savings below the minimum savings rate": "结余低于最低结余率",
    "on the benchmark": "与基准持平",
    "losses (one-sided: none shared)": "亏损（单边模式：不分担）",
    "losses shared": "分担亏损",
    "losses below the minimum loss rate": "亏损低于最低亏损率",
    "met": "达到",
    "not met": "未达到",
    # the balance uses as the working's allocation steps name them
    "staff incentive": "医务人员激励",
    "cooperation": "协作",
    "health promotion": "健康促进",
    "institutional development": "机构发展",
}

#: The working's words inside a cell (longest first where one holds another).
_FRAGMENTS: tuple[tuple[str, str], ...] = (
    (", rounded half up", "，四舍五入"),
    (" (largest remainder)", "（最大余额法）"),
    ("balance kept:", "留用结余："),
    ("insurance paid", "医保支付"),
    ("sum over member institutions", "成员机构合计"),
    ("budget − charged, if not negative", "总额预算 − 计入支付（非负时）"),
    ("charged − budget, if positive", "计入支付 − 总额预算（为正时）"),
    ("(budget − charged) / budget", "（总额预算 − 计入支付）/ 总额预算"),
    ("claims + settlement payments + fees", "医保支付 + 结算支付 + 服务费"),
    ("benchmark − total cost of care", "基准 − 医疗总费用"),
    ("the rules give staff no share", "规则未给医务人员分成"),
    ("reserve − private spending", "民营医院预留 − 民营医院医保支付"),
    ("overspend − insurer's part", "超支 − 医保基金分担部分"),
    (" (the overspend)", "（超支）"),
    ("overspend borne by the consortium", "医共体承担的超支"),
    ("overspend borne", "医共体承担的超支"),
    ("overspend", "超支"),
    ("shared savings paid", "支付的结余分成"),
    ("shared losses owed", "应分担的亏损"),
    ("outside county", "县外"),
    ("consortium only", "仅医共体"),
    ("consortium", "医共体"),
    ("private", "民营医院"),
    ("balance kept", "留用结余"),
    ("balance", "结余"),
    ("charged", "计入支付"),
    ("kept", "留用"),
    ("fee", "签约服务费"),
    ("benchmark", "基准"),
    ("cap", "上限"),
)
_FRAGMENT = re.compile(
    "|".join(
        (r"(?<![\w-])" if e[0].isalpha() else "") + re.escape(e) + r"(?![\w-])"
        for e, _ in _FRAGMENTS
    )
)
_FRAGMENT_ZH = dict(_FRAGMENTS)

#: Cells with a name, count or figure in them: (pattern, Chinese); ``{1}`` … the groups.
_CELLS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"(insured population|resident population) \(budget\.population: (\w+)\)",
         "{1}（总额预算测算基数）"),
        (r"spending at (.+)", "{1} 医保支付"),
        (r"sum over ([\d,]+) member institutions?", "{1} 家成员机构合计"),
        (r"allocation: (.+)", "结余分配：{1}"),
        (r"(budget basis|private reserve basis|benchmark): per capita (\d{4})", "{1}：{2} 年人均"),
        (r"from the private-hospital reserve of ([\d,.]+) \(([\d,.]+) left\)",
         "由民营医院预留 {1} 支付（余 {2}）"),
        (r"none: the private-hospital reserve of ([\d,.]+) is not drawn on",
         "无：民营医院预留 {1} 未动用"),
        (r"([\d,.]+) from the private-hospital reserve \(all of it\), ([\d,.]+) beyond it "
         r"from the insurer's fund", "{1} 由民营医院预留支付（全部用完），超出的 {2} 由医保基金支付"),
        (r"for ([\d,]+) people", "按 {1} 人"),
        (r"mean of (\d+) trended amounts, rounded half up", "{1} 年趋势调整后金额的均值，四舍五入"),
        (r"([\d,]+) registered × ([\d,.]+) per year", "签约 {1} 人 × 每人每年 {2}"),
        (r"([\d,]+) assigned × ([\d,.]+) per capita", "{1} 名归属人口 × 人均 {2}"),
        (r"([\d,]+) × mean of (\d+) trended per-capita amount\(s\), rounded half up",
         "{1} × {2} 年趋势调整后人均额的均值，四舍五入"),
        (r"([\d,]+) × private per-capita basis", "{1} × 民营医院人均基数"),
    )
)  # fmt: skip
_BASES = {
    "budget basis": "预算基数",
    "private reserve basis": "民营医院预留基数",
    "benchmark": "基准",
}
#: The overspend the insurer shares a part of, up to a share of the budget.
_UP_TO = re.compile(r" \(the overspend up to (\S+) of the budget\)")

#: Titles: (pattern, Chinese).
_TITLES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"Global budget (\d{4}) \((\w+)-based\): ([\d,.]+) yuan",
         "{1} 年医保基金总额预算（{2}）：{3} 元"),
        (r"Global budgets (\S+) \((\w+)-based\)", "{1} 年医保基金总额预算（{2}）"),
        (r"Global budgets (\S+)", "{1} 年医保基金总额预算"),
        (r"Settlement (\d{4}): working \((.+)\)", "{1} 年度医保基金结算：计算过程（{2}）"),
        (r"Settlement (\d{4}) \((.+)\)", "{1} 年度医保基金结算（{2}）"),
        (r"Budget execution (\d{4}) to (\S+) \(预算执行进度\)", "{1} 年预算执行进度（截至 {2}）"),
        (r"Budget execution (\d{4}) by month to (\S+)", "{1} 年逐月预算执行进度（截至 {2}）"),
        (r"(\w+) scorecard, (.+): (\S+) points \((passed|failed)\)", "{1}考核评分表，{2}：{3} 分（{4}）"),
        (r"Annual salaries and incentive shares", "年薪与激励分配"),
        (r"Distribution of ([\d,.]+) yuan", "结余分配：{1} 元"),
    )
)  # fmt: skip
_VERDICT = {"passed": "合格", "failed": "不合格"}

#: Notes said the same way every time.
_NOTES: dict[str, str] = {
    "Money in yuan; every amount is exact to the fen.": "金额单位：元；所有金额精确到分。",
    "Money in yuan, exact to the fen; pooled fund = private reserve + risk-adjustment fund "
    "+ global budget.": "金额单位：元，精确到分；统筹基金 = 民营医院预留 + 风险调剂金 + 总额预算。",
    "Rounding: single amounts half up to the fen; splits by largest remainder.": "舍入：单项金额"
    "四舍五入到分；分配按最大余额法。",
    "amount (yuan): the result's money as a number, exact to the fen.": "金额（元）：结果中的金额"
    "（数值），精确到分。",
    "Largest-remainder rounding: the amounts add up to the total to the fen.": "按最大余额法"
    "舍入：各项金额之和等于总额，精确到分。",
    "Nothing to distribute: no balance was kept and no savings were shared.": "无可分配资金："
    "没有留用结余，也没有分享结余。",
    "Assessment passed.": "考核合格。",
    "Assessment failed.": "考核不合格。",
    "Assessment assumed passed: no indicator values were given.": "未提供考核指标值，视为考核合格。",
    "Staff are paid by service volume; no scorecards apply.": "医务人员按服务量计酬，不适用考核评分表。",
    "Fee for service: every claim is paid; there is no budget, balance or overspend.": "按项目付费："
    "每笔费用均予支付，不设总额预算，无结余或超支。",
    "used: spending to date ÷ the budget; elapsed: months ÷ 12; pace: used − elapsed, in "
    "percentage points (positive: ahead of the time-proportional line); expected: the share "
    "of the year's spending the projection expected by the month; projected balance: budget "
    "− projection (negative: an overspend).": "使用率：累计医保支付 ÷ 总额预算；时间进度："
    "已过月数 ÷ 12；进度差：使用率 − 时间进度，单位为百分点（正数表示快于时间进度）；预计使用率："
    "推算方法预计到该月应支出的全年比例；预计支出：推算的全年医保支付；预计结余：总额预算 − 预计支出（负数即超支）。",
    "Money in yuan, exact to the fen; projections rounded half up to the fen.": "金额单位：元，"
    "精确到分；推算值四舍五入到分。",
    "No settlement computed: incentives not computed (the incentive pool is a share of a "
    "settled year's kept balance).": "未计算结算：未计算激励（激励资金来自已结算年度的留用结余）。",
    "No incentive pool this year (no balance kept to share): no incentives.": "本年度无薪酬激励"
    "资金（无留用结余可分配），不发放激励。",
}

#: Notes with a name or figure in them: (pattern, Chinese).
_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"Rules (\S+) v(\S+) \(digest (\w+)\)\.", "规则 {1} v{2}（校验值 {3}）。"),
        (r"Pass mark ([\d.]+) points\.", "合格线 {1} 分。"),
        (r"Savings rate (\S+) (≥|<) minimum savings rate (\S+): (met|not met); final sharing "
         r"rate (\S+); outcome: (.+)\.",
         "结余率 {1} {2} 最低结余率 {3}：{4}；最终分享比例 {5}；结果：{6}。"),
        (r"Incentive pool ([\d,.]+) yuan shared by weight × score among staff who pass "
         r"\(largest remainder, to the fen\)\.",
         "薪酬激励资金 {1} 元，在考核合格的人员中按权重 × 得分率分配（最大余额法，精确到分）。"),
        (r"(.+): projected time-proportionally \(to date × 12 ÷ months\)",
         "{1}：按时间进度推算（累计 × 12 ÷ 已过月数）"),
        (r"(.+): projected time-proportionally \(to date × 12 ÷ months\) because (.+)",
         "{1}：按时间进度推算（累计 × 12 ÷ 已过月数），因为{2}"),
        (r"(.+): projected from the monthly profile of (.+) \(the share of those years' "
         r"spending in each month; ([\d.]+)% of it fell in (January(?: to \w+)?)\): to date "
         r"÷ that share",
         "{1}：按 {2} 年的逐月支出分布推算（各月支出占全年的比例；{4}占 {3}%）：累计 ÷ 该比例"),
        (r"(.+): ([\d,]+) claim\(s\) paid in (\d{4}-\d\d), ([\d,.]+) yuan by insurance, "
         r"belong to encounters whose last claim is settled after (\d{4}-\d\d): dated by "
         r"settlement, an encounter counts whole in the month its last claim is settled \(as "
         r"settle --date settled counts it\), so they are not counted yet",
         "{1}：{2} 笔费用已于 {3} 支付（医保支付 {4} 元），但所属就诊的最后一笔费用结算于 {5} 之后："
         "按结算日期计，一次就诊在其最后一笔费用结算的月份整体计入（与 settle --date settled 相同），故暂未计入"),
        (r"(.+): (\d{4}-\d\d) has ([\d,]+) claim\(s\) settled after (\d{4}-\d\d), ([\d,.]+) "
         r"yuan paid by insurance, not counted here: the month's spending is not all paid yet",
         "{1}：{2} 有 {3} 笔费用结算于 {4} 之后（医保支付 {5} 元），未计入：该月支出尚未全部支付"),
        (r"(.+): no spending paid in (.+): claims not yet in, or missing data, rather than a "
         r"month without care",
         "{1}：{2} 无医保支付：结算数据尚未到齐或数据缺失，而非当月无诊疗"),
        (r"Spending charged to the budget from (.+): the residents' care at consortium "
         r"members and outside the county, (.+); private care is paid from its reserve and "
         r"left out\. Budget: rules '(.+)'\.( The file shows what was paid, not the claims "
         r"still to come\.)?",
         "计入总额预算的医保支付来自 {1}：参保居民在医共体成员机构及县外就医的费用，{2}；民营医院"
         "费用由其预留支付，不计入。总额预算：规则 '{3}'。{4}"),
        (r"Spending charged to the budget from (.+): the residents' care at consortium "
         r"members \(care outside the county is not charged by these rules\), (.+); private "
         r"care is paid from its reserve and left out\. Budget: rules '(.+)'\.( The file "
         r"shows what was paid, not the claims still to come\.)?",
         "计入总额预算的医保支付来自 {1}：参保居民在医共体成员机构就医的费用（本规则不计县外就医），"
         "{2}；民营医院费用由其预留支付，不计入。总额预算：规则 '{3}'。{4}"),
    )
)  # fmt: skip
_WHEN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"by the encounter's date, paid by the end of (\S+)"), "按就诊日期计，截至 {1} 末已支付"),
    (re.compile(r"by the date its last claim was settled, paid by the end of (\S+)"),
     "按最后一笔结算日期计，截至 {1} 末已支付"),
    (re.compile(r"as paid by month to (\S+)"), "按月支付，截至 {1}"),
)  # fmt: skip
_FILE_SHOWS = " The file shows what was paid, not the claims still to come."


def _filled(template: str, m: re.Match[str], say=None) -> str:
    groups = [m.group(0), *(g or "" for g in m.groups())]
    if say is not None:
        groups = [groups[0], *map(say, groups[1:])]
    return template.format(*groups)


def said_cell(text: object, *, working: bool = False) -> object:
    """A cell, header or row label in Chinese; anything else (a figure, an
    institution's id, an indicator's label, words without a Chinese form here) as it
    is. ``working``: a cell of the working column, whose words (``insurance paid``,
    ``consortium + outside county``) are said one by one, its figures as they are."""
    if not isinstance(text, str):
        return text
    said = ZH.get(text) or (None if working else books.said_book_cell(text))
    if said is not None:
        return said
    for pattern, template in _CELLS:
        if (m := pattern.fullmatch(text)) is not None:
            return _filled(template, m, lambda g: _BASES.get(g, ZH.get(g, g)))
    said = re.sub(r"(?<=\d) yuan\b", " 元", text)
    if not working:
        return said
    if (m := re.fullmatch(r"insurance paid[,:] (.+)", said)) is not None:  # where from
        return f"医保支付，{said_cell(m.group(1), working=True)}"
    said = _UP_TO.sub(lambda m: f"（超支中不超过总额预算 {m.group(1)} 的部分）", said)
    said = _FRAGMENT.sub(lambda m: _FRAGMENT_ZH[m.group(0)], said)
    return re.sub(r"(?<=[：，；]) +", "", said)  # 留用结余：4,922,949.33, no space after ：


def said_title(title: str) -> str:
    """A table's title in Chinese (as it is when no pattern says it)."""
    for pattern, template in _TITLES:
        if (m := pattern.fullmatch(title)) is not None:
            return _filled(
                template, m, lambda g: _VERDICT.get(g) or books.REGIME_ZH.get(g) or ZH.get(g, g)
            )
    return books.said_book_title(title) or title


def said_note(note: str) -> str:
    """A note in Chinese when it is one said the same way every time or one of the
    patterns here; any other note (a caveat naming staff or a file) stays English."""
    from ihms.payment._words_zh_staff import said_staff_note

    if (
        fixed := _NOTES.get(note) or TRACK_NOTES.get(note) or books.said_book_note(note)
    ) is not None:
        return fixed
    for pattern, template in _NOTE_PATTERNS:
        if (m := pattern.fullmatch(note)) is not None:
            return _filled(template, m, _said_when)
    return said_staff_note(note) or note


#: Why a profile projection fell back to a linear one.
_BECAUSE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"no full previous year of spending to take a monthly profile from",
         "没有完整的上一年度支出可据以计算逐月分布"),
        (r"the previous years \((.+)\) had no spending", "此前年份（{1}）没有支出"),
        (r"the previous years \((.+)\) had no spending in the months to 0?(\d+)",
         "此前年份（{1}）在 1 月至 {2} 月没有支出"),
        (r"the previous years \((.+)\) put only ([\d.]+)% of their spending in "
         r"(January(?: to \w+)?), under a quarter of the time-proportional ([\d.]+)%: "
         r"projecting from it would multiply the spending to date more than four times as "
         r"much \(a share so small points to months missing from those years' data, or to "
         r"one outsized case\)",
         "此前年份（{1}）{3}的支出仅占全年的 {2}%，不到时间进度 {4}% 的四分之一：据此推算会把累计支付"
         "放大到按时间进度推算的四倍以上（比例如此之小，说明此前年份的数据缺月，或有个别极端病例）"),
    )
)  # fmt: skip
#: January to a month, as :func:`~ihms.payment._tracking_rows.months_text` says it
_MONTHS = re.compile(r"January(?: to (\w+))?")
#: a list of years or months, as a note names them: 2016, 2017 (in Chinese 2016、2017)
_PERIODS = re.compile(r"\d{4}(?:-\d\d)?(?:, \d{4}(?:-\d\d)?)+")


def _said_when(text: str) -> str:
    if _PERIODS.fullmatch(text):
        return text.replace(", ", "、")
    for pattern, template in _BECAUSE:
        if (m := pattern.fullmatch(text)) is not None:
            return _filled(template, m, _said_when)
    if text == _FILE_SHOWS:
        return "文件显示的是已支付的金额，不含尚未到来的费用。"
    for pattern, template in _WHEN:
        if (m := pattern.fullmatch(text)) is not None:
            return _filled(template, m)
    if text in ZH:
        return ZH[text]
    if (m := _MONTHS.fullmatch(text)) is not None:  # months_text: January (to June)
        to = m.group(1)
        return "1 月" if to is None else f"1 月至 {list(calendar.month_name).index(to)} 月"
    if text in calendar.month_name[1:]:
        return str(list(calendar.month_name).index(text))
    return text


def in_lang(table: SummaryTable, lang: str) -> SummaryTable:
    """``table`` in ``lang``: as it is in English; in Chinese (``"zh"``) with its title,
    headers, index name, row labels, text cells and fixed notes said again, every
    figure the same cell it was."""
    if lang != "zh":
        return table
    import pandas as pd

    frame = table.frame.copy()
    names = {str(c): str(said_cell(str(c))) for c in frame.columns}
    for column in frame.columns:
        values = frame[column].tolist()
        if column not in table.id_columns and any(isinstance(v, str) for v in values):
            working = str(column).lower() == "working"
            cells = [said_cell(v, working=working) for v in values]
            frame[column] = pd.Series(cells, index=frame.index, dtype=object)
    frame = frame.rename(columns=names)
    frame.index = books.said_index(frame.index, said_cell)  # a MultiIndex level by level
    notes = tuple(said_note(n) for n in table.notes)
    # a short header (基本年薪, not 基本年薪（元）, which a narrow console split inside
    # its brackets) leaves the unit to the note Chinese tables end with
    if any(e.endswith(" (yuan)") and "元" not in z for e, z in names.items()):
        notes = notes if any("金额单位" in n for n in notes) else (*notes, "金额单位：元。")
    return replace(
        table,
        frame=frame,
        title=said_title(table.title),
        notes=notes,
        lang="zh",
        formats={names.get(k, k): _said_after(f) for k, f in table.formats.items()},
        short_headers={names.get(k, k): names.get(k, k) for k in table.short_headers},
        stack_under={names.get(k, k): names.get(v, v) for k, v in table.stack_under.items()},
        id_columns=tuple(names.get(str(c), c) for c in table.id_columns),
        decimal_columns=tuple(names.get(str(c), c) for c in table.decimal_columns),
        key_columns=None
        if table.key_columns is None
        else tuple(names.get(str(c), c) for c in table.key_columns),
        row_decimals={names.get(k, k): v for k, v in table.row_decimals.items()},
    )


def _said_after(fmt):
    """A column's format whose text (``yes`` / ``no``) is then said in Chinese."""
    return lambda value: said_cell(fmt(value))
