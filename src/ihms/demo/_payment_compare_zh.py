"""The payment step's comparison of regimes in Chinese (``ihms demo --lang zh``): what
:mod:`ihms.demo._payment_compare` says in English, in the words of ``ihms payment
compare --lang zh`` (:mod:`ihms.payment._words_zh_books`); the comparison figure draws
its own Chinese (``ComparisonResult.figure(lang="zh")``).
"""

from __future__ import annotations

from ihms.demo._payment_text import million
from ihms.demo._payment_text_zh import in_words_zh
from ihms.payment._words_zh_books import REGIME_ZH
from ihms.sources import ZHONG_2023

__all__ = [
    "CAPTION_ZH",
    "deqing_assumed_zh",
    "deqing_left_out_zh",
    "deqing_scores_zh",
    "intro_zh",
    "others_zh",
    "saving_zh",
]

CAPTION_ZH = (
    "左图：各年度总额预算，纵轴从零开始（实线：按实际支出；虚线：每年节约 5%）。按三明规则两条线"
    "重合；按历史支出核定总额时，节约会压低下一年的总额预算。右图：医共体结算结果（留用结余减去"
    "承担的超支）。"
)


def _m(fen: int) -> str:
    return million(fen, lang="zh")


def deqing_left_out_zh(missing_years: str | None, unregistered: str | None) -> str:
    """Why Deqing is left out: no row for the years its benchmark reads
    (``missing_years``), or no registrations for its fee (``unregistered``)."""
    if missing_years is not None:
        return (
            "德清医共体结余分成未纳入比较：其基准为上一年居民人均医疗总费用，而人口表中没有 "
            f"{missing_years} 年的数据。"
        )
    return (
        "德清医共体结余分成未纳入比较：其规则按签约居民人数支付家庭医生签约服务费，而人口表未"
        f"给出 {unregistered} 年的签约人数。"
    )


def deqing_scores_zh(source: str, groups: list[tuple[str, list[int]]], standard: str) -> str:
    """Deqing settled on the population table's quality scores: (score, years) each."""
    shown = "；".join(f"{score}（{in_words_zh(ys)} 年）" for score, ys in groups)
    return f"德清医共体按 {source} 中的质量评分（{shown}）结算，其质量标准为 {standard}"


def deqing_assumed_zh(standard: str, assumed: list[int], given: bool) -> str:
    """Deqing settled on its standard taken as just met in ``assumed``."""
    years = in_words_zh(assumed)
    return (
        f"德清医共体仅在质量评分达到其标准 {standard} 的年份分享结余。县域数据表未记录"
        + (f" {years} 年的" if given else "")
        + f"质量评分，因此比较假定 {years} 年恰好达到标准（评分为 {standard}，即标准本身）。评分"
        "达到或高于标准，结算结果相同；低于标准则不分享结余"
    )


def _change(fen: int, *, none: str) -> str:
    return f"增加 {_m(fen)}" if fen > 0 else f"减少 {_m(-fen)}" if fen < 0 else none


def _gain(fen: int, *, than: int | None = None) -> str:
    if fen > 0:
        return f"{'仅' if than is not None and fen < than else ''}获得 {_m(fen)}"
    return "一无所获" if not fen else f"最终亏损 {_m(-fen)}"


def saving_zh(last: int, budget: int, other: int, own: int, own_budget: int, staff: int) -> str:
    """:func:`~ihms.demo._payment_compare._saving_text` in Chinese, from its figures."""
    ratchet = (
        f"按历史支出核定总额时，节约的资金以更小的总额预算收回：到 {last} 年总额预算减少 "
        f"{_m(-budget)}"
        if budget < 0
        else f"按历史支出核定总额时，{last} 年的总额预算{_change(budget, none='不变')}"
    )
    untouched = (
        "总额预算不受影响" if not own_budget else f"总额预算{_change(own_budget, none='不变')}"
    )
    return (
        f"{ratchet}，医共体在整个期间{_gain(other, than=own)}。按三明基于人口的总额预算，同样的"
        f"节约{untouched}，医共体在整个期间{_gain(own)}"
        + ("，其中一部分支付给医务人员" if staff > 0 else "")
        + "。"
    )


def intro_zh(rate: str, first: int, saving: str) -> str:
    """The comparison section's first paragraph."""
    return (
        "每套规则对相同年度结算两次：一次按实际支出，一次按节约情景。节约情景自 "
        f"{first} 年起每年将计入总额预算的医保支付减少 {rate}（基层服务改善，外流到县外就医的居民"
        f"减少）。{saving}这正是 {ZHONG_2023} 所主张的激励：让居民保持健康、留在县域内就医，节约"
        "下来的差额由医共体而非医保基金留用。"
    )


def others_zh(names: list[str], fee: str, deqing: bool) -> str:
    """The paragraph on the regimes shown for reference (``names``: their short English
    titles)."""
    said = in_words_zh([REGIME_ZH.get(n, n) for n in names])
    return (
        f"{said}列于表中，供参照。"
        + (f"德清医共体按{fee}向家庭医生支付签约服务费（见其规则文件）。" if fee else "")
        + ("表下注释说明其结算所依据的假设。" if deqing else "")
    )
