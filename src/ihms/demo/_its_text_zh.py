"""The ITS section's paragraphs in Chinese (``ihms demo --lang zh``), sentence for sentence
those of :mod:`ihms.demo._its_text` and :func:`ihms.demo._its._prose`, from the same
fits and the same decisions (:func:`~ihms.demo._its_text._stays_kind`,
:func:`~ihms.demo._its_text._as_found`, :func:`~ihms.demo._its_text._opposed_trends`,
:data:`~ihms.demo._its_text.AGAINST`).

The words are those of Chinese interrupted-time-series papers and of ``ihms its fit
--lang zh``: 中断时间序列, 改革前斜率 (β1), 水平变化 (β2), 斜率变化 (β3), 改革后趋势,
Newey-West 标准误, 95% 置信区间, P 值 written ``P = 0.038`` as Chinese journals print it.
"""

from __future__ import annotations

import pandas as pd

from ihms.demo._its_text import _against_seed as against_seed
from ihms.demo._its_text import (
    _as_found,
    _cost_changes,
    _cost_verdicts,
    _fmt,
    _opposed_trends,
    _stays_kind,
    fitted_months,
    terms,
)
from ihms.demo._its_zh import outcomes_zh, p_zh, row_label
from ihms.demo._payment_baseline import reform_payment
from ihms.payment.reform import is_reform, month_zh
from ihms.sim.targets import MAGNITUDE_FACTOR, REFORM_MONTH, STUDY_WINDOW
from ihms.sources import ZHONG_2023
from ihms.stats import ITSResults

__all__ = ["not_compared_zh", "p_zh", "prose_zh", "reform_intro_zh"]


def _change(x: float, up: str, down: str, unit: str = "人次") -> str:
    return f"{up} {_fmt(x)} {unit}" if x >= 0 else f"{down} {_fmt(-x)} {unit}"


def _significance(p: float) -> str:
    return p_zh(p, alpha=0.05) + ("" if p < 0.05 else "，在 5% 水平上不显著")


def _name(series: str) -> str:
    """An outcome's Chinese name without its unit: ``住院次均费用``."""
    return outcomes_zh()[series].removesuffix("（元）")


def reform_intro_zh(fit, *, reform: str, county: str, regime: str, baseline: str) -> str:
    """:func:`~ihms.demo._its_text.reform_intro` in Chinese."""
    count, first, last = fitted_months(fit)
    span = f"县级医院 {count} 个月的业务数据（{month_zh(first)}至 {month_zh(last)}"
    design = "采用中断时间序列设计，即源研究表3和图2所用的设计。"
    if (first, last) == STUDY_WINDOW:
        design += (
            f"这些月份正是 {ZHONG_2023} 在表3中拟合的月份。模拟按整年运行，拟合仅保留该研究的月份。"
        )
    payment = reform_payment(regime, lang="zh")
    if not is_reform(regime, baseline):
        return (
            f"{county}仍实行{payment}：其模拟县没有改革，县级医院的序列不应出现断点。本节以{span}，"
            f"中断点设在 {month_zh(reform)}，即改革本应开始之时）检验这一点，" + design
        )
    return (
        f"{county}的支付方式改革将医保基金对医院的支付由按项目付费改为{payment}。若改革奏效，"
        "县级医院应不再依靠吸纳本可由基层诊治的患者而扩张。本节以"
        f"{span}，{month_zh(reform)}起改革）检验这一点，" + design
    )


def not_compared_zh(reform: str) -> str:
    """:func:`~ihms.demo._its_text.not_compared` in Chinese."""
    return (
        f"{ZHONG_2023} 表3是在尤溪的改革时点（{month_zh(REFORM_MONTH)}）拟合的；本节的拟合在本县的"
        f"改革时点（{month_zh(reform)}）设置中断点，因此其系数项不与已发表的系数项对照。"
    )


#: :data:`~ihms.demo._its_text.AGAINST` in Chinese: ``0.20 元，而尤溪为 2.00 元，为其 10%``.
AGAINST_ZH = {
    "what": "{sim}{unit}，而尤溪为 {seed}{unit}",
    "opposite": "{what}，符号相反",
    "times": "{what}，是其 {ratio:.1f} 倍",
    "share": "{what}，为其 {ratio:.0%}",
}


def _against_seed(row: pd.Series, unit: str = "") -> str:
    """One term beside seed 002's, in Chinese (:data:`AGAINST_ZH`)."""
    return against_seed(row, unit, words=AGAINST_ZH)


#: Seed 002, Table 3: the slope change (β3) of the county hospitals' costs after the reform.
SEED_COSTS_ZH = (
    f"{ZHONG_2023} 表3发现，改革后门急诊次均费用转为上升（β3 = 每月 2.0 元，P < 0.001），"
    "住院次均费用则无显著变化（β3 = 18.7，P = 0.083）；该研究将次均费用升高解读为病情较重的"
    "患者留在了县级医院。"
)


def _costs(results: dict[str, ITSResults], seed: pd.DataFrame | None) -> str:
    """:func:`~ihms.demo._its_text._costs` in Chinese."""
    parts = [
        f"{_name(name)}改革时水平{'上升' if level >= 0 else '下降'} {_fmt(abs(level), digits)} 元"
        f"（{_significance(p_level)}），每月趋势（斜率）{'上升' if slope >= 0 else '下降'} "
        f"{_fmt(abs(slope), digits)} 元（{_significance(p_slope)}）"
        for name, digits, level, p_level, slope, p_slope in _cost_changes(results)
    ]
    if seed is None:
        return f"费用方面，{parts[0]}；{parts[1]}。"
    verdicts = []
    for name, row, agreed, required, holds_zero in _cost_verdicts(seed):
        agrees = "与尤溪的符号和量级一致" if agreed else "与尤溪的估计不一致"
        if required:
            agrees += "，符合校准的要求"
        if holds_zero:
            agrees += (
                f"；尤溪自身的 95% 置信区间为 {_fmt(float(row['ci_low']), 1)} 至 "
                f"{_fmt(float(row['ci_high']), 1)}，包含零"
            )
        verdicts.append(
            f"本次拟合的{_name(name)}斜率变化为 {_against_seed(row, ' 元')}（{agrees}）"
        )
    return (
        f"费用方面，{parts[0]}；{parts[1]}。{SEED_COSTS_ZH}与之相比，{verdicts[0]}；{verdicts[1]}。"
    )


def _stays_after(post: pd.Series, slope_change: float) -> str:
    """:func:`~ihms.demo._its_text._stays_after` in Chinese."""
    kind = _stays_kind(post, slope_change)
    if kind == "unclear":
        return "改革后斜率与零的差异无统计学意义，数据无法说明住院人次仍在上升、趋于平稳还是在下降"
    direction = {"slower": "仍在上升，但比改革前慢", "rising": "仍在上升", "falling": "已转为下降"}
    return (
        f"住院人次{direction[kind]}（改革后斜率与零的差异有统计学意义，{p_zh(float(post['p']))}）"
    )


def _seed_visits(visits: ITSResults) -> str:
    """:func:`~ihms.demo._its_text._seed_visits` in Chinese."""
    found = (
        f"{ZHONG_2023} 表3发现，尤溪县级医院的门急诊人次改革前呈增长趋势（β1 = 每月 +578.3 人次），"
        "改革后斜率下降（β3 = −459.9）"
    )
    if _as_found(visits):
        return (
            f"{found}；本次拟合显示了同样的斜率变化——这在意料之中：模拟器正是按尤溪的斜率变化调参的"
            "（见“模型校准”部分），因此二者相符只是检验了调参，并非独立的证据。"
        )
    return f"{found}；这些序列未呈现这一模式。"


def _post_trends(results: dict[str, ITSResults], seed: pd.DataFrame) -> str:
    """:func:`~ihms.demo._its_text._post_trends` in Chinese."""
    parts = [
        f"{_name(name)}每月{'下降' if fit < 0 else '上升'} {_fmt(abs(fit))}"
        f"{' 元' if name.startswith('cost') else ''}，而按 {ZHONG_2023} 的估计，尤溪为 {youxi:+,.1f}"
        for name, fit, youxi in _opposed_trends(results, seed)
    ]
    return f"改革后的趋势本身（β1 + β3）方向相反：{'；'.join(parts)}。" if parts else ""


def _seed_prose(results: dict[str, ITSResults], seed: pd.DataFrame, simulated: bool) -> str:
    """:func:`~ihms.demo._its_text._seed_prose` in Chinese."""
    data = "模拟县" if simulated else "合成序列"
    head = (
        f"与源研究对照：在 {ZHONG_2023} 表3的 {len(seed)} 个系数项中，{data}的拟合有 "
        f"{int(seed['agrees'].sum())} 个与发表值同号，且与发表值相差不超过 "
        f"{MAGNITUDE_FACTOR:.2f} 倍（√10）（见下表；斜率变化是校准的判定项，其余系数项仅作展示）。"
    )
    off = seed[~seed["agrees"].astype(bool)]
    trends = _post_trends(results, seed)
    if off.empty and not trends:
        return head
    # each term by the table's row label (:func:`~ihms.demo._its_zh.row_label`), as the
    # English names it by the table's
    missed = "；".join(
        f"{row_label(row['figure'])}为 {_against_seed(row)}" for _, row in off.iterrows()
    )
    return (
        head
        + (f"有 {len(off)} 个偏离：{missed}。" if missed else "")
        + trends
        + f"这些差异来自{data}而非尤溪：相关数字应视为模型的产物，而非对改革效应的估计。"
    )


def prose_zh(
    results: dict[str, ITSResults],
    origin: str,
    seed: pd.DataFrame | None,
    effect: pd.Series,
    *,
    simulated: bool,
    reform: str,
    county: str,
    regime: str,
    baseline: str,
) -> list[str]:
    """:func:`ihms.demo._its._prose` in Chinese, from the same fits, seed 002's terms beside
    them (``seed``, None when they are not compared) and the visits' effect at the last
    month fitted (``effect``: effect, relative_effect)."""
    visits, stays = results["outpatient_emergency_visits"], results["hospitalizations"]
    v, s = visits.params, stays.params
    x, xt = terms(visits)
    sx, sxt = terms(stays)
    v_post, s_post = visits.post_trend.iloc[0], stays.post_trend.iloc[0]
    fewer = effect["effect"] < 0
    return [
        reform_intro_zh(visits, reform=reform, county=county, regime=regime, baseline=baseline),
        f"改革前，门急诊人次每月{_change(v['_t'], '增加', '减少')}。改革当月，水平"
        f"{_change(v[x], '上升', '下降')}（{p_zh(visits.pvalues[x])}），每月的增长"
        f"{_change(v[xt], '加快', '放缓')}（{p_zh(visits.pvalues[xt])}），改革后趋势为每月 "
        f"{_fmt(v_post['coef'])} 人次（95% 置信区间 {_fmt(v_post['ci_low'])} 至 "
        f"{_fmt(v_post['ci_high'])}）。到 {month_zh(fitted_months(visits)[2])}，县级医院每月的"
        f"门急诊人次比改革前趋势的预测值{'少' if fewer else '多'} {_fmt(abs(effect['effect']), 0)} "
        f"人次（比该趋势{'低' if fewer else '高'} {100 * abs(effect['relative_effect']):.1f}%）。"
        + ("" if seed is None else _seed_visits(visits)),
        f"住院人次改革前每月{_change(s['_t'], '增加', '减少')}，改革时{_change(s[sx], '上升', '下降')}，"
        f"此后趋势为每月 {_fmt(s_post['coef'])} 人次（95% 置信区间 {_fmt(s_post['ci_low'])} 至 "
        f"{_fmt(s_post['ci_high'])}）：{_stays_after(s_post, float(s[sxt]))}。{_costs(results, seed)}",
        "解读说明：各结局指标先作季节调整（与中心化 12 个月移动平均之比，剔除跨越改革的移动平均；"
        "春节造成的低谷体现在 2 月的季节指数中）。斜率与水平变化由普通最小二乘法估计；由于相邻"
        "月份相关，标准误采用 Newey-West 法计算，滞后阶数由 Breusch-Godfrey 检验选定，与 Stata 的 "
        "itsa 相同。图中虚线为延续的改革前趋势。单组设计无法排除同样始于 "
        f"{month_zh(reform)}的其他变化；该研究的其他表（基层诊疗占比、慢性病管理）可作交叉验证。"
        + origin,
        not_compared_zh(reform) if seed is None else _seed_prose(results, seed, simulated),
    ]
