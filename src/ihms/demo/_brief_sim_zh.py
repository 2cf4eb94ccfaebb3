"""The brief's paragraphs on the simulated county in Chinese (``ihms demo --lang zh``):
each function phrases what :mod:`ihms.demo._brief_sim` computed — the calibration's
counts, the indicators' first and last years, the ITS fits beside seed 002's Table 3 —
the numbers as the English paragraph gives them.

The words are those ihms uses elsewhere in Chinese: the catalogue's ``name_zh``
(诊疗人次基层占比, 居民住院率, 门急诊人次, 住院人次), the calibration's 判定指标 / 调参 /
样本外 (:mod:`ihms.sim._notes_zh`), the interrupted-time-series terms 改革前斜率, 斜率变化;
a study is cited by its short name and its tables as :func:`ihms.sources.cited_zh` says
them (``Zhong et al. 2023，表3``).
"""

from __future__ import annotations

from ihms.payment.reform import month_zh
from ihms.sim._calibration_zh import figures_zh
from ihms.sim._target_words import figures_words
from ihms.sim.targets import REFORM_MONTH, TARGETS, left_out_reason
from ihms.sources import ZHONG_2023, cited_zh

__all__ = [
    "calibration_zh",
    "grassroots_zh",
    "its_zh",
    "not_compared_zh",
    "out_of_sample_zh",
    "series_zh",
    "untuned_calibration_zh",
]

#: What the brief says follows from the calibration, whatever it found.
PLAUSIBLE = "因此，下文呈现的是一个合乎情理的模拟县，而非尤溪县的实际记录。"


def series_zh(name: str) -> str:
    """An ITS series (``outpatient_emergency_visits``) by its catalogue indicator's
    Chinese name (门急诊人次)."""
    from ihms.indicators import load_catalogue

    return load_catalogue()[name].name_zh


def figures_named(keys) -> str:
    """Seed 002's figures ``keys`` by source, in Chinese: 'Zhong et al. 2023，表4：2017 年
    诊疗人次基层占比'."""
    return figures_zh(figures_words(keys))


def not_compared_zh(reform: str) -> str:
    """The calibration paragraph when no figure of seed 002 lies before the reform."""
    return f"**模拟县未与尤溪县作比较。**{left_out_reason(reform, lang='zh') or ''}{PLAUSIBLE}"


def _left_out(cal) -> str:
    if not cal.left_out:
        return ""
    return f"{ZHONG_2023} 的 {len(TARGETS)} 个指标中有 {len(cal.left_out)} 个未纳入比较。" + (
        left_out_reason(cal.reform, lang="zh") or ""
    )


def _verdict(n: int, failures: list[str]) -> str:
    """'全部符合各自的判定规则' or '中有 2 个不符合：…', after '这 22 个指标'."""
    if not failures:
        return "全部符合各自的判定规则"
    return f"中有 {len(failures)} 个不符合：{figures_named(failures)}"


def out_of_sample_zh(held: list[str], off: list[str]) -> str:
    """How the figures the tuning did not use (``held``; ``off`` those that depart)
    compare with Youxi's."""
    n = len(held)
    if not n:
        return "所比较的已发表指标均参与了调参。"
    if n == 1:
        way = "偏离" if off else "符合"
        return f"唯一未用于调参的样本外指标（{figures_named(held)}）按同样的规则{way}尤溪县的数值。"
    if not off:
        return f"未用于调参的 {n} 个样本外指标全部与尤溪县的数值一致。"
    return (
        f"在未用于调参的 {n} 个样本外指标中，{n - len(off)} 个按同样的规则与尤溪县的数值一致，"
        f"{len(off)} 个偏离：{figures_named(off)}。"
    )


def calibration_zh(
    cal,
    *,
    gated: list[str],
    failures: list[str],
    tuned: int,
    method: str,
    further: int,
    tables: str,
    out_of_sample: str,
) -> str:
    """The calibration paragraph when the run came with its tuning record: ``tuned``
    parameters fitted by ``method`` (``least_squares``) to the ``gated`` figures and
    ``further`` others, from ``tables`` (English, said again by :func:`cited_zh`)."""
    n = len(gated)
    head = "模拟县已按尤溪县的数据校准" + ("。" if not failures else "，但仍有部分指标偏离。")
    how = (
        "用最小二乘法"
        if "least_squares" in method
        else f"用 {method} 方法"
        if method
        else "通过搜索"
    )
    if not cal.left_out:
        aim = f"调参的目标是模拟须符合的 {n} 个已发表指标"
    else:
        aim = (
            f"调参的目标是 {ZHONG_2023} 在尤溪县 {month_zh(REFORM_MONTH)}改革下的指标；"
            f"本次运行须符合的是两项改革之前的 {n} 个已发表指标"
        )
    more = f"及另外 {further} 个指标" if further else ""
    return (
        f"**{head}**有 {tuned} 个行为参数无研究可据，系{how}调参确定。{aim}{more}"
        f"（{cited_zh(tables)}；校准表下的注释逐一列出）。这 {n} 个指标{_verdict(n, failures)}。"
        f"这种一致说明的是拟合效果，而非独立验证。{out_of_sample}{_left_out(cal)}"
        f"详见“模型校准”一节。{PLAUSIBLE}"
    )


def untuned_calibration_zh(cal, *, gated: list[str], failures: list[str]) -> str:
    """The calibration paragraph when no tuning record came with the run."""
    head = "模拟县与尤溪县相似。" if not failures else "模拟县在部分指标上偏离尤溪县。"
    departs = cal.departures
    shown = (
        f"在仅供对照展示的 {int(cal.frame['within'].isna().sum())} 个指标中，有 {len(departs)} "
        "个偏离尤溪县的数值，“模型校准”一节说明了是哪些及其原因。"
        if departs
        else ""
    )
    return (
        f"**{head}**模拟须符合的 {len(gated)} 个已发表指标（{figures_named(gated)}）"
        f"{_verdict(len(gated), failures)}（见“模型校准”一节）。{shown}{_left_out(cal)}{PLAUSIBLE}"
    )


def _went(a: float, b: float) -> str:
    return "升至" if round(b, 1) > round(a, 1) else "降至" if round(b, 1) < round(a, 1) else "仍为"


def grassroots_zh(share, hosp, *, published, pushes: list[str] | None) -> str:
    """The primary-care share and hospitalization rate, first year to last; ``published``
    the (sources, ends) of seed 002's figures for those years; ``pushes`` the tuned
    pushes toward primary care when the run restates the fit (None when it does not)."""
    first, last = share.index[0], share.index[-1]
    moved = share.iloc[-1] > share.iloc[0]
    head = "诊疗向基层下沉。" if moved else "诊疗未向基层下沉。"
    a, b = share.iloc[0], share.iloc[-1]
    h0, h1 = hosp.iloc[0], hosp.iloc[-1]
    text = (
        f"**{head}**诊疗人次基层占比从 {first} 年的 {a:.1f}% {_went(a, b)} {last} 年的 {b:.1f}%，"
        f"居民住院率从每百居民 {h0:.1f} 人次{_went(h0, h1)} {h1:.1f} 人次"
    )
    sources, ends = published
    if ends:
        said = " 和 ".join(e.replace(" %", "%") for e in ends)
        text += f"（{'；'.join(cited_zh(s) for s in sources)} 报告的尤溪县数值为 {said}）"
    if pushes is not None:
        text += "。这些数字只是复述拟合结果：模拟器正是按两项指标首尾两年的数值调参的"
        if pushes:
            listed = "、".join(f"`{p}`" for p in pushes)
            text += f"，调参的参数中还包括改革推动诊疗流向基层的参数（{listed}）"
        text += "；只有中间各年未参与调参"
    return text + "（见“指标”一节）。"


def _p(p: str) -> str:
    """``p = 0.038`` as Chinese statistics writes it, ``P = 0.038``."""
    return "P" + p[1:] if p.startswith("p") else p


def _times(ratio: float) -> str:
    return f" 的 {ratio:.1f} 倍" if ratio >= 1 else f" 的 {ratio:.0%}"


#: The ITS paragraph's headings by what the fits show.
HEADS = {
    "unbent": "县级医院服务量的增长趋势未见转折。",
    "model fell": "模型中县级医院的门急诊人次在改革后下降，而尤溪县的仍在上升。",
    "fell": "改革后县级医院的门急诊人次下降。",
    "slowed": "县级医院服务量的增长放缓。",
    "slowed to zero": "县级医院服务量的增长放缓，放缓后的增速与零无统计学差异。",
}


def slope_change_zh(what: str, b: float, p: str) -> str:
    """'门急诊人次的月度趋势斜率下降 469.4 人次/月（P < 0.001）': a slope change ``b`` (the
    English: 'the monthly growth of … slowed by 469.4')."""
    way = "下降" if b < 0 else "上升"
    return f"{what}的月度趋势斜率{way} {abs(b):,.1f} 人次/月（{_p(p)}）"


def found_zh(kind: str, *, ratio: float = 1.0, seed: str = "") -> str:
    """How the visits' slope change stands beside seed 002's Table 3 (``seed``, worded):
    ``unlike`` (it did not bend), ``direction`` (no published term to size it by),
    ``close`` or ``times`` (``ratio`` of it)."""
    table = f"{ZHONG_2023}，表3"
    if kind in ("unlike", "direction"):
        return f"，与已发表的结果（{table}）{'不同' if kind == 'unlike' else '方向一致'}"
    size = f"与尤溪县的 {seed} 相近" if kind == "close" else f"是尤溪县 {seed}{_times(ratio)}"
    return f"；其中门急诊人次的斜率变化{size}（{table}）"


def post_against_youxi_zh(
    what: str, *, kind: str, sim: float, way: str, p: str, youxi: str, sum_: str, ratio: float
) -> str:
    """A simulated post-reform slope (β1 + β3) beside Youxi's: ``kind`` ``flat`` (both
    flat), ``flat rise`` (Youxi's flat, this one moving: ``sum_`` the published sum
    worked), ``sign`` (the signs differ), ``close`` or ``times`` (``ratio`` of Youxi's
    ``youxi``)."""
    table = f"{ZHONG_2023}，表3，β1 + β3"
    if kind == "flat":
        return f"改革后{what}保持平稳，与尤溪县一致（{table}）。"
    moved = {"fall": "下降", "still rise": "仍上升", "rise": "上升"}[way]
    verb = f"改革后{what}每月{moved} {abs(sim):,.1f}（{_p(p)}）"
    return {
        "flat rise": f"{verb}，而尤溪县同期基本持平（每月 {sum_}，{ZHONG_2023}，表3）。",
        "sign": f"{verb}，而尤溪县为每月 {youxi}（{table}）。",
        "close": f"{verb}，与尤溪县的每月 {youxi} 相近（{table}）。",
        "times": f"{verb}，是尤溪县每月 {youxi}{_times(ratio)}（{table}）。",
    }[kind]


def its_zh(head: str, changes: list[str], found: str, against: str, month: str) -> str:
    """The ITS paragraph: ``head`` a key of :data:`HEADS`, ``changes`` the slope changes
    (:func:`slope_change_zh`), ``found`` (:func:`found_zh`), ``against`` the post-reform
    slopes beside Youxi's, ``month`` the reform month (``YYYY-MM``)."""
    return (
        f"**{HEADS[head]}**改革后，县级医院{'，'.join(changes)}{found}。{against}"
        f"单组设计无法排除同在 {month_zh(month)}前后发生的其他变化的影响（见“评价”一节）。"
    )
