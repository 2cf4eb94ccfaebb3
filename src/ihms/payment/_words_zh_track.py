"""The headers and fixed notes of the in-year budget tracking in Chinese, for ``--lang zh``
(:func:`ihms.payment._words_zh.said_note`), keyed by the library's own English
(:mod:`ihms.payment._tracking_rows`), so a reworded note fails its test
(tests/payment/test_words_zh.py) rather than staying English unnoticed."""

from __future__ import annotations

from ihms.payment._tracking_rows import LATE_NOTE, TOTAL_NOTE, WHOLE_COUNTY

__all__ = ["TRACK_NOTES", "TRACK_WORDS"]

#: The tracking table's headers, and the name of a file's one county given no name
#: (:data:`~ihms.payment._tracking_rows.WHOLE_COUNTY`): 全县, under the header 县（区）.
TRACK_WORDS: dict[str, str] = {
    "county": "县（区）",
    "month": "月份",
    "spent_yuan": "当月支付",
    "to_date_yuan": "累计支付",
    "budget_yuan": "总额预算",
    "used_pct": "使用率%",
    "elapsed_pct": "时间进度%",
    "pace_pp": "进度差",
    "expected_pct": "预计使用率%",
    "projected_yuan": "预计支出",
    "projected_balance_yuan": "预计结余",
    "over_budget": "预计超支",
    "late_claims": "延迟结算笔数",
    "late_yuan": "延迟结算金额",
    "late_to_date_claims": "累计延迟结算笔数",
    "late_to_date_yuan": "累计延迟结算金额",
    "projected_with_late_yuan": "含延迟结算预计支出",
    "projected_with_late_balance_yuan": "含延迟结算预计结余",
    WHOLE_COUNTY: "全县",
}

TRACK_NOTES: dict[str, str] = {
    LATE_NOTE: "累计延迟结算：1 月至该月就诊、截至所跟踪月份末尚未支付的费用；含延迟结算预计支出：（累计支付 + "
    "累计延迟结算）÷ 预计使用率——逐月分布计入了此前年份的全部费用，而按就诊日期计时延迟结算的费用计入本年度，"
    "故预计超支按此推算标记（无延迟结算时与预计支出相同）。",
    TOTAL_NOTE: "合计：各县（区）的总额预算、医保支付和延迟结算之和；预计支出为各县（区）按各自逐月分布推算的"
    "预计支出之和（而非以合并的逐月分布推算合计支出），故合计的预计使用率为累计支付 ÷ 该和。",
}
