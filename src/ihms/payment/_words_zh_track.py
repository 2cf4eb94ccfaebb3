"""The fixed notes of the in-year budget tracking in Chinese, for ``--lang zh``
(:func:`ihms.payment._words_zh.said_note`), keyed by the library's own English
(:mod:`ihms.payment._tracking_rows`), so a reworded note fails its test
(tests/payment/test_words_zh.py) rather than staying English unnoticed."""

from __future__ import annotations

from ihms.payment._tracking_rows import LATE_NOTE, TOTAL_NOTE

__all__ = ["TRACK_NOTES"]

TRACK_NOTES: dict[str, str] = {
    LATE_NOTE: "累计延迟结算：1 月至该月就诊、截至所跟踪月份末尚未支付的费用；含延迟结算预计支出：（累计支付 + "
    "累计延迟结算）÷ 预计使用率——逐月分布计入了此前年份的全部费用，而按就诊日期计时延迟结算的费用计入本年度，"
    "故预计超支按此推算标记（无延迟结算时与预计支出相同）。",
    TOTAL_NOTE: "合计：各县（区）的总额预算、医保支付和延迟结算之和；预计支出为各县（区）按各自逐月分布推算的"
    "预计支出之和（而非以合并的逐月分布推算合计支出），故合计的预计使用率为累计支付 ÷ 该和。",
}
