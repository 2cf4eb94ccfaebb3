"""The ITS section's tables and figure in Chinese (``ihms demo --lang zh``): each table
is built in English by :mod:`ihms.demo._its` and said again here (:func:`in_zh`) —
headers, index names, row labels and text cells — with every number and formatter as it
was, so both reports show the same figures.

The terms are those ``ihms its fit --lang zh`` prints (:mod:`ihms.cli._stats_zh`: 标准误,
P 值, 95% 置信区间下限, 滞后阶数), the calibration's for seed 002's Table 3 terms
(:mod:`ihms.sim._words_zh`: 改革前斜率, 水平变化, 斜率变化, 仅展示) and the indicator
catalogue's names of the outcomes (门急诊人次, 住院次均费用).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

import pandas as pd

from ihms.payment.reform import month_zh
from ihms.sources import ZHONG_2023

__all__ = [
    "COEFFICIENTS_ZH",
    "UNITS_ZH",
    "in_zh",
    "joint_note_zh",
    "lag_notes_zh",
    "month_ticks_zh",
    "outcomes_zh",
    "p_zh",
    "seasonal_notes_zh",
]

#: The fitted terms' labels (:func:`ihms.demo._its._coefficients`) in Chinese.
COEFFICIENTS_ZH = {
    "β1 pre-reform slope": "β1 改革前斜率",
    "β2 level change": "β2 水平变化",
    "β3 slope change": "β3 斜率变化",
}

#: What one unit of each outcome is (the y axis of its panel), in Chinese.
UNITS_ZH = {
    "outpatient_emergency_visits": "每月门急诊人次",
    "hospitalizations": "每月住院人次",
    "cost_per_outpatient_visit": "元/人次",
    "cost_per_hospitalization": "元/人次",
}


@cache
def outcomes_zh() -> dict[str, str]:
    """The four outcomes by the catalogue's Chinese names, the costs with their unit as
    the English names have it: ``住院次均费用（元）``."""
    from ihms.indicators import load_catalogue

    catalogue = load_catalogue()
    return {
        name: catalogue[name].name_zh + ("（元）" if name.startswith("cost") else "")
        for name in UNITS_ZH
    }


#: Headers and index names, whole.
HEADERS: dict[str, str] = {
    "estimate": "估计值",
    "std. error": "标准误",
    "t": "t 值",
    "p": "P 值",
    "lag": "滞后阶数",
    "outcome — coefficient": "结局指标：系数项",
    "post-reform slope per month": "改革后每月斜率",
    f"{ZHONG_2023} (β1 + β3)": f"{ZHONG_2023}（β1 + β3）",
    "outcome (seasonally adjusted, OLS residuals)": "结局指标（季节调整后序列的 OLS 残差）",
    "stepwise lag": "逐步法滞后阶数",
    "Bonferroni lag": "Bonferroni 法滞后阶数",
    "chosen lag": "选定滞后阶数",
    "p that chose the lag": "决定滞后阶数的 P 值",
    "own p of the next lag": "下一阶滞后项的 P 值",
    "month": "月份",
    "ratios averaged": "参与平均的比值个数",
    f"term ({ZHONG_2023}, Table 3)": f"系数项（{ZHONG_2023}，表3）",
    f"Youxi ({ZHONG_2023})": f"尤溪（{ZHONG_2023}）",
    "this fit": "本次拟合",
    "this fit / Youxi": "本次拟合 / 尤溪",
    "same sign and size": "符号与量级一致",
    "in the calibration": "校准中的作用",
}

#: Headers with a part of their own (a level, a number of orders).
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"([\d.]+%) CI low", r"\1 置信区间下限"),
    (r"([\d.]+%) CI high", r"\1 置信区间上限"),
    (r"Youxi ([\d.]+%) CI low", r"尤溪 \1 置信区间下限"),
    (r"Youxi ([\d.]+%) CI high", r"尤溪 \1 置信区间上限"),
    (r"p \(lags 1-1\)", "P 值（滞后 1 阶）"),
    (r"p \(lags 1-(\d+)\)", r"P 值（滞后 1～\1 阶）"),
)

#: Text cells of the table beside seed 002's Table 3 (:func:`~ihms.demo._its_text._seed_table`).
CELLS = {"yes": "是", "departs": "否", "gated": "纳入判定", "shown": "仅展示"}

#: Month names of the seasonal indices (:class:`ihms.stats.seasonal.SeasonalAdjustment`).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def header(text: object) -> object:
    """A header or index name in Chinese (an outcome's, heading its seasonal indices, by
    :func:`row_label`); as it is when no term says it."""
    if not isinstance(text, str):
        return text
    if text in HEADERS:
        return HEADERS[text]
    if text in _outcome_names():
        return _outcome_names()[text]
    for pattern, template in _PATTERNS:
        if (m := re.fullmatch(pattern, text)) is not None:
            return m.expand(template)
    return text


def _outcome_names() -> dict[str, str]:
    """The outcomes' Chinese names by their English ones."""
    from ihms.demo._its_text import OUTCOMES

    return {OUTCOMES[n]: zh for n, zh in outcomes_zh().items()}


def row_label(text: object) -> object:
    """A row label in Chinese: an outcome (``Hospitalizations``), an outcome and its term
    (``Hospitalizations — β3 slope change``), a Table 3 figure, a month of the seasonal
    indices; anything else as it is."""
    from ihms.sim._words_zh import said_cell

    if not isinstance(text, str):
        return text
    names = _outcome_names()
    if text in names:
        return names[text]
    outcome, dash, term = text.partition(" — ")
    if dash and outcome in names and term in COEFFICIENTS_ZH:
        return f"{names[outcome]}：{COEFFICIENTS_ZH[term]}"
    if text in _MONTHS:
        return f"{_MONTHS.index(text) + 1} 月"  # as the table's note writes its months
    return said_cell(text)


def in_zh(
    frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]]
) -> tuple[pd.DataFrame, dict[str, Callable[[object], str]]]:
    """``frame`` (a table of the ITS section) and its column ``formats`` said in Chinese:
    headers, index name, row labels and text cells; the numbers as they are."""
    said = frame.copy()
    said.columns = [header(c) for c in frame.columns]
    said.index = pd.Index([row_label(i) for i in frame.index], name=header(frame.index.name))
    for column in said.columns:
        said[column] = said[column].map(lambda v: CELLS.get(v, v) if isinstance(v, str) else v)
    return said, {header(k): v for k, v in formats.items()}


def lag_notes_zh(orders: int) -> tuple[str, ...]:
    """:func:`ihms.demo._its.lag_notes` in Chinese."""
    return (
        "H0：至所示滞后阶数无序列相关（同 Stata 的 estat bgodfrey）。",
        "选定的滞后阶数取两种阶数中的较大者（ihms.stats 的规则，与 `ihms its fit --lags auto` "
        "的选法相同）：一是逐步法阶数，从第 1 阶起逐阶检验各阶回归中最后一个滞后项（第 p 阶回归中 "
        "e(t-p) 的 t 检验；第 1 阶时也看 Breusch-Godfrey χ² 检验，二者检验同一系数），遇到第一个"
        f"在 0.05 水平不显著的阶数即停止；二是滞后项 P 值低于 0.05/{orders} 的最高阶数（对所检验的 "
        f"{orders} 个阶数作 Bonferroni 校正：12 阶；若月数的四分之一少于 12，则取月数的四分之一）。“决定滞后阶数的 "
        "P 值”是选定阶数滞后项的 P 值（第 1 阶仅由 χ² 检验拒绝时为其 χ² 检验的 P 值）；“下一阶"
        "滞后项的 P 值”是逐步法停止之处。",
    )


def joint_note_zh(
    outcome: str,
    order: int,
    p: float,
    chosen: int,
    level: tuple[float, float],
    slope: tuple[float, float],
) -> str:
    """:func:`ihms.demo._its._joint_note` in Chinese: the p-values of the level and slope
    changes at the chosen lag and at ``order``, each said by :func:`p_zh`."""
    return (
        f"{outcomes_zh()[outcome]}：至滞后 {order} 阶的联合检验拒绝“无自相关”（{p_zh(p)}），而"
        f"规则选定的是滞后 {chosen} 阶；改用 Newey-West 滞后 {order} 阶时，水平变化由 "
        f"{p_zh(level[0])} 变为 {p_zh(level[1])}，斜率变化由 {p_zh(slope[0])} 变为 "
        f"{p_zh(slope[1])}。"
    )


def p_zh(p: float, *, alpha: float | None = None) -> str:
    """A p-value in a Chinese sentence, as Chinese journals print it: ``P = 0.038``,
    ``P < 0.001`` (the digits of :func:`ihms.summary.format_p`).

    >>> p_zh(0.0381), p_zh(1e-9), p_zh(0.0504, alpha=0.05)
    ('P = 0.038', 'P < 0.001', 'P = 0.0504')
    """
    from ihms.summary import format_p

    shown = format_p(p, alpha=alpha)
    return f"P < {shown.removeprefix('<').strip()}" if shown.startswith("<") else f"P = {shown}"


def seasonal_notes_zh(adjustment) -> tuple[str, ...]:
    """The seasonal-index table's notes in Chinese, from the adjustment itself (a
    :class:`~ihms.stats.seasonal.SeasonalAdjustment`): the months it covers, and why the
    ratios straddling the reform are left out."""
    observed = adjustment.observed.index
    notes = [
        f"共 {len(observed)} 个月（{month_zh(str(observed[0]))}至 {month_zh(str(observed[-1]))}）；"
        "调整后值 = 观测值 / 该月的季节指数。"
    ]
    if adjustment.left_out:
        notes += [
            f"{adjustment.left_out} 个比值未计入季节指数：其移动平均跨越干预时点。",
            "中心化 13 个月窗口跨越改革的比值会把改革带来的跳跃带入季节指数，使水平变化的"
            "估计偏向零，故予剔除；statsmodels 的 seasonal_decompose 保留这些比值，得到的指数"
            "不同。只平均了一个比值的月份仅依据一年的数据。",
        ]
    return tuple(notes)


def month_ticks_zh(ax) -> None:
    """The date ticks of ``ax`` as Chinese charts label months: ``2018 年`` at January,
    ``7 月`` at another month (matplotlib's concise labels are English month names),
    spaced as the section's text writes its months (:func:`ihms.payment.reform.month_zh`)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    def label(x: float, _pos: int) -> str:
        day = mdates.num2date(x)
        return f"{day.year} 年" if day.month == 1 else f"{day.month} 月"

    ax.xaxis.set_major_formatter(FuncFormatter(label))
