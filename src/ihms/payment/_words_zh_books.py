"""The words of ``ihms payment compare``, ``ledger`` and ``supervision`` in Chinese, for
``--lang zh`` (:func:`ihms.payment._words_zh.in_lang`, which reads them beside its own):
cells and headers, titles, and notes — the fixed ones keyed by the library's own English
constants, so a reworded note fails its test (tests/payment/test_words_zh_books.py)
rather than staying English unnoticed.

The words are those of Chinese medical-insurance documents: 医保基金 (the fund), 总额预算
/ 总额包干 (the global budget, contracted as a lump sum), 结余留用 / 结余收回 (a balance
kept / clawed back), 超支分担, 年终清算 (the year-end settlement), 清算台账 (its ledger),
记账 / 冲销 (posting / reversal), 借方 / 贷方, 科目 (account), 考核 (assessment), 合格线.
"""

from __future__ import annotations

import re

from ihms.payment.compare import EFFECT_NOTE, EXACT_NOTE, ROWS_NOTE
from ihms.payment.ledger_results import AUDIT_RULE_NOTE, BATCHES_NOTE, DEBIT_NOTE, REVERSAL_NOTE
from ihms.payment.supervision import DUE_NOTE, PACE_NOTE

__all__ = [
    "BOOK_CELLS",
    "BOOK_NOTES",
    "BOOK_NOTE_PATTERNS",
    "BOOK_TITLES",
    "BOOK_WORDS",
    "REGIME_ZH",
    "TABLE_NAMES",
    "said_book_cell",
    "said_book_note",
    "said_book_title",
    "said_index",
]

#: The built-in rule sets by name (:func:`ihms.payment.compare.rules_label`): the one
#: Chinese name of each, in compare's rows and settle's titles alike.
REGIME_ZH: dict[str, str] = {
    "Sanming IMPM": "三明总额包干",
    "Other areas of China": "其他地区按历史支出核定总额",
    "Fee for service": "按项目付费",
    "Deqing CIHO": "德清医共体结余分成",
    "Medicare Shared Savings Program, ENHANCED track (two-sided)": "美国医保共享节余计划（双向风险）",
}

#: The tables ``--out`` writes, named in Chinese in ``FILE-notes.csv``'s 表 column, as
#: their titles name them, and as the sheets of a ``--lang zh`` workbook (the CSV files'
#: names stay English); a settled year's ``_2018`` is said (2018年).
TABLE_NAMES: dict[str, str] = {
    "budget": "总额预算",
    "budgets": "总额预算",
    "settlement": "年终清算",
    "assessment": "考核",
    "working": "计算过程",
    "distribution": "结余分配",
    "salaries": "年薪与激励分配",
    "comparison": "支付方式比较",
    "effect": "控费节约影响",
    "net": "科目净额",
    "audit": "核对",
    "postings": "记账明细",
    "batches": "记账批次",
    "tracking": "预算执行进度",
    "months": "逐月预算执行进度",
    "indicators": "考核指标进度",
    "totals": "考核总分进度",
}

#: Whole cells, headers, index names and row labels by their English words.
BOOK_WORDS: dict[str, str] = {
    # compare: the index, the regimes and paths, the columns (printed and exact)
    "regime": "支付方式",
    "path": "支出情景",
    "year": "年份",
    **REGIME_ZH,
    "as observed": "实际支出",
    "budget": "总额预算",
    "charged spending": "计入支付",
    "kept": "结余留用",
    "clawed back": "结余收回",
    "consortium result": "结算结果",
    "family-physician fees": "家庭医生签约服务费",
    "insurer outlay": "基金总支出",
    "spending change": "医保支付变化",
    "budget change": "总额预算变化",
    "result change": "结算结果变化",
    "cumulative result change": "结算结果累计变化",
    "rules": "规则",
    "global_budget_yuan": "医保基金总额预算（元）",
    "consortium_yuan": "医共体内医保支付（元）",
    "outside_county_yuan": "县外就医医保支付（元）",
    "private_yuan": "民营医院医保支付（元）",
    "charged_yuan": "计入总额预算的医保支付（元）",
    "balance_yuan": "结余（元）",
    "overspend_yuan": "超支（元）",
    "retained_yuan": "结余留用（元）",
    "clawback_yuan": "结余收回（元）",
    "overspend_insurer_yuan": "医保基金分担的超支（元）",
    "overspend_consortium_yuan": "医共体承担的超支（元）",
    "shared_savings_yuan": "结余分成（元）",
    "shared_losses_yuan": "分担的亏损（元）",
    "family_physician_fee_yuan": "家庭医生签约服务费（元）",
    "staff_incentive_yuan": "医务人员激励（元）",
    "insurer_outlay_yuan": "医保基金总支出（元）",
    "consortium_result_yuan": "医共体结算结果（元）",
    "spending_change_yuan": "医保支付变化（元）",
    "budget_change_yuan": "总额预算变化（元）",
    "result_change_yuan": "结算结果变化（元）",
    "cumulative_result_change_yuan": "结算结果累计变化（元）",
    # ledger: batches, the net by account, the audit, the postings
    "Batch": "批次",
    "Scope": "清算范围",
    "Kind": "类型",
    "Rule set": "规则",
    "Rule set version": "规则版本",
    "Status": "状态",
    "settlement": "年终清算",
    "reversal": "冲销",
    "active": "有效",
    "reversed": "已冲销",
    "Account code": "科目代码",
    "Account kind": "科目类别",
    "Accounts": "科目数",
    "Net (yuan)": "净额（元）",
    "Expected (yuan)": "应记金额（元）",
    "Reasons": "未通过原因",
    "Audit rule": "核对规则",
    "Accounts checked": "核对科目数",
    "Failing": "未通过数",
    "all pass": "全部通过",
    "Posting": "记账编号",
    "Batch kind": "批次类型",
    "Debit (receives)": "借方（收款）",
    "Credit (pays)": "贷方（付款）",
    "Memo": "摘要",
    # the postings' memos (ihms.payment.postings)
    "insurance-paid care": "医保支付的诊疗费用",
    "private-hospital reserve": "民营医院预留",
    "private hospitals": "民营医院",
    "private hospitals, from the reserve": "民营医院，由预留支付",
    "private hospitals beyond the reserve": "民营医院超出预留部分",
    "residents' care outside the county": "参保居民县外就医",
    "balance kept": "结余留用",
    "overspend: insurer's share": "超支：医保基金分担部分",
    "shared losses repaid": "偿还分担的亏损",
    "salary incentive share": "薪酬激励分配",
    # the balance uses' codes, as a posting's memo names them
    "staff_incentive": "医务人员激励",
    "cooperation": "协作",
    "health_promotion": "健康促进",
    "institutional_development": "机构发展",
    "family-physician fee": "家庭医生签约服务费",
    "family-physician fee (receiving institution not known)": "家庭医生签约服务费（签约机构不明）",
    # supervision
    "Staff": "人员编号",
    "Due by now": "按时间进度应达",
    "Year's target": "年度目标",
    "On track": "是否达到进度",
    "no value": "无指标值",
    "Card": "考核评分表",
    "Points to date": "累计得分",
    "Points at this pace": "按当前进度预计得分",
    "Pass mark": "合格线",
    "Verdict": "预计考核结果",
    "would pass at this pace": "按当前进度可合格",
    "would not pass at this pace": "按当前进度不能合格",
}

#: Cells with a figure or a name in them: (pattern, Chinese); ``{1}`` … the groups.
BOOK_CELLS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"saving (\S+) a year from (\d{4})", "自 {2} 年起每年节约 {1}"),
        (r"reverses batch (\d+)", "冲销批次 {1}"),
        (r"annual salary \((.+)\)", "年薪（{1}）"),
        (r"balance use: (.+)", "结余用途：{1}"),
        (r"no verdict: no value of (.+)", "无法判断：缺少 {1} 的指标值"),
    )
)

#: Titles: (pattern, Chinese).
BOOK_TITLES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"Payment regimes compared over the same years \((million yuan|yuan)\)",
         "不同医保支付方式同期比较（{1}）"),
        (r"Effect of the saving against spending as observed \((million yuan|yuan)\)",
         "控费节约相对实际支出的影响（{1}）"),
        (r"Ledger (.+): batches", "医保基金清算台账 {1}：记账批次"),
        (r"Ledger audit (\d{4})(?:, (.+))?: net of active postings by account",
         "{1} 年清算台账核对{2}：各科目有效记账净额"),
        (r"Ledger audit (\d{4})(?:, (.+))?: net of active postings by kind of account",
         "{1} 年清算台账核对{2}：各类科目有效记账净额"),
        (r"Ledger audit (\d{4})(?:, (.+))?: every account passes",
         "{1} 年清算台账核对{2}：全部科目通过"),
        (r"Ledger audit (\d{4})(?:, (.+))?: (\d+) of (\d+) account\(s\) fail",
         "{1} 年清算台账核对{2}：{4} 个科目中 {3} 个未通过"),
        (r"Postings (\d{4})(?:, (.+))?: every posting on record",
         "{1} 年记账明细{2}：全部记账记录"),
        (r"Scorecard indicators of (\d{4}) to (\S+)", "{1} 年考核指标进度（截至 {2}）"),
        (r"Scorecard totals of (\d{4}) to (\S+)", "{1} 年考核总分进度（截至 {2}）"),
    )
)  # fmt: skip
#: A title's words for a unit or an institution (the optional group said in brackets).
TITLE_GROUPS = {"million yuan": "百万元", "yuan": "元"}

#: Notes said the same way every time, keyed by the library's English.
BOOK_NOTES: dict[str, str] = {
    ROWS_NOTE: "每行按一种支付规则、一种支出情景结算一个年度；按历史支出核定的总额预算读取同一情景的此前年份。",
    EFFECT_NOTE: "各项数值在假设情景下相对同一规则按实际支出结算的变化；累计：截至当年各年之和。",
    EXACT_NOTE: "金额单位：元，精确到分；屏幕显示的表格四舍五入到 0.01 百万元。",
    AUDIT_RULE_NOTE: "核对规则：一个科目的净额须与有效清算记录应记的金额相符（精确到分），只收款的科目净额不得为负，"
    "且每笔记账均来自本年度的一个批次。",
    DEBIT_NOTE: "借方：收款的科目；贷方：付款的科目。",
    REVERSAL_NOTE: "冲销批次按被冲销批次的规则记入其各笔记账的相反数。",
    BATCHES_NOTE: "--json 另给出输入文件的校验值和记账时间。",
    DUE_NOTE: "按时间进度应达：计数类指标的年度目标按天数折算至今；比率类指标以当前值与目标比较。",
    PACE_NOTE: "累计得分：按当前指标值计算的得分。按当前进度：计数类指标按至今的速度推算至 12 月 31 日"
    "（当前值 × 全年天数 ÷ 已过天数），比率类指标取当前值——为预测，而非年度考核结果。",
}

#: Notes with a figure in them: (pattern, Chinese).
BOOK_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), z)
    for p, z in (
        (r"([\d,]+) posting\(s\) on record for the year, reversed ones included; net = "
         r"received − paid\.", "本年度记账记录 {1} 笔（含已冲销的）；净额 = 收款 − 付款。"),
        (r"Audit rule: (\d+) of (\d+) account\(s\) fail\.", "核对规则：{2} 个科目中 {1} 个未通过。"),
        (r"Audit rule: (\d+) of (\d+) account\(s\) fail \(checks_summary lists them with the "
         r"reasons\)\.", "核对规则：{2} 个科目中 {1} 个未通过（核对表列出各科目及原因）。"),
        (r"The accounts net to (\S+) \(double entry: each amount is paid by one account and "
         r"received by another\)\.", "各科目净额合计为 {1}（复式记账：每笔金额由一个科目付出、另一个科目收入）。"),
        (r"([\d,]+) account\(s\) with a nonzero net; net = received − paid, summed over the "
         r"accounts of each kind\.", "净额不为零的科目 {1} 个；净额 = 收款 − 付款，按科目类别合计。"),
    )
)  # fmt: skip


#: compare's note on a rule set resetting its budget or benchmark yearly (``_rebasing``).
_RATCHET = re.compile(
    r"(.+) resets its (global budget|shared-savings benchmark) every year from (?:the "
    r"previous year's|the mean of the previous (\d+) years') actual (charged spending per "
    r"insured person|cost of care per assigned resident)(?: \(trended forward (\S+) a "
    r"year\))?: a ratchet — a saving that lasts lowers the next year's (?:budget|benchmark), "
    r"so it earns less each year it lasts\."
)
_RATCHET_WORDS = {
    "global budget": "医保基金总额预算",
    "shared-savings benchmark": "结余分成基准",
    "charged spending per insured person": "参保人均计入支出",
    "cost of care per assigned resident": "居民人均医疗总费用",
}


def _said_ratchet(note: str) -> str | None:
    if (m := _RATCHET.fullmatch(note)) is None:
        return None
    who, what, years, spent, growth = m.groups()
    span = f"前 {years} 年平均" if years else "上一年"
    trend = f"（每年增长 {growth}）" if growth else ""
    what = _RATCHET_WORDS[what]
    label, _, name = who.partition(" (")  # a built-in set's title, its name in brackets
    who = BOOK_WORDS.get(label, label) + (f"（{name.removesuffix(')')}）" if name else "")
    return (
        f"{who}每年按{span}实际{_RATCHET_WORDS[spent]}{trend}重新核定"
        f"{what}：即“棘轮效应”——持续的节约会压低下一年的{what}，节约持续越久，每年所得越少。"
    )


def said_book_cell(text: str) -> str | None:
    """A compare, ledger or supervision cell in Chinese (None: not one of theirs)."""
    if text in BOOK_WORDS:
        return BOOK_WORDS[text]
    for pattern, template in BOOK_CELLS:
        if (m := pattern.fullmatch(text)) is not None:
            return template.format(m.group(0), *(BOOK_WORDS.get(g, g) for g in m.groups()))
    return None


def said_book_title(title: str) -> str | None:
    """A compare, ledger or supervision title in Chinese (None: not one of theirs)."""
    for pattern, template in BOOK_TITLES:
        if (m := pattern.fullmatch(title)) is not None:
            groups = [TITLE_GROUPS.get(g, g) for g in m.groups()]
            if pattern.pattern.startswith(("Ledger audit", "Postings")):  # who: in brackets
                groups[1] = "" if groups[1] is None else f"（{groups[1]}）"
            return template.format(m.group(0), *groups)
    return None


def said_book_note(note: str) -> str | None:
    """A compare, ledger or supervision note in Chinese (None: not one of theirs)."""
    if note in BOOK_NOTES:
        return BOOK_NOTES[note]
    for pattern, template in BOOK_NOTE_PATTERNS:
        if (m := pattern.fullmatch(note)) is not None:
            return template.format(m.group(0), *m.groups())
    return _said_ratchet(note)


def said_index(index, say):
    """``index`` with each label said by ``say`` (a cell's words), its name(s) too; a
    :class:`pandas.MultiIndex` (compare's regime / path / year) level by level."""
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        levels = [[say(v) for v in index.get_level_values(i)] for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=[say(n) for n in index.names])
    return pd.Index([say(v) for v in index], name=say(index.name))
