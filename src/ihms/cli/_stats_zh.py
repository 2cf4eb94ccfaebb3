"""The tables of ``ihms its`` and ``ihms growth`` in Chinese (``--lang zh``).

The library builds its tables in English; :func:`in_lang` says one again in Chinese —
title, headers, row labels, the statistics' own words in text cells (水平变化) and the
notes — and leaves every number as it is: the cells keep their values and formatters,
so a table prints the same numbers in either language. The terms are those of Chinese
editions of Stata and SPSS and of Chinese ITS papers: 系数, 标准误, t 值, P 值,
95% 置信区间, 截距, 时间趋势, 干预后水平变化, 干预后斜率变化; growth as the statistical
yearbooks say it: 年均增长率, 同比增长率, 环比增长率, 定基指数. A note no rule says
stays English (a user's own column names stay as written).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ihms._words import YES_NO_ZH, notes_under_zh
from ihms.summary import SummaryTable

__all__ = ["in_lang"]

#: Column headers and index names, word for word.
HEADERS: dict[str, str] = {
    "term": "变量",
    "coef": "系数",
    "std_error": "标准误",
    "t": "t 值",
    "z": "z 值",
    "p": "P 值",
    "p_adjusted": "校正 P 值",
    "post-interruption trend": "干预后趋势",
    "lag": "滞后阶数",
    "lags": "滞后阶数",
    "chi2": "χ² 值",
    "df": "自由度",
    "nobs": "观测数",
    "lag_coef": "滞后项系数",
    "lag_t": "滞后项 t 值",
    "lag_p": "滞后项 P 值",
    "lag_chi2": "单阶 χ² 值",
    "adjusted": "特征值已调整",
    "lag_adjusted": "单阶特征值已调整",
    "outcome": "结局指标",
    "interruption": "干预时点",
    "effect": "效应",
    "n": "样本量",
    "lag_choice": "滞后阶数选择",
    "indicator": "指标",
    "start": "基期值",
    "end": "报告期值",
    "average annual growth": "年均增长率",
    "points_per_year": "年均变化（百分点）",
    "reference growth": "参照增长率",
    "difference (pp)": "差值（百分点）",
    "year": "年份",
    "quarter": "季度",
    "month": "月份",
    "value": "数值",
    "year-on-year growth": "同比增长率",
    "quarter-on-quarter growth": "环比增长率",
    "month-on-month growth": "环比增长率",
    "year-on-year change (pp)": "同比变化（百分点）",
    "cumulative (year to date)": "累计值",
    "cumulative year-on-year growth": "累计同比增长率",
    "value (current prices)": "数值（现价）",
    "price index": "价格指数",
    "nominal growth": "名义增长率",
    "price change": "价格变动",
    "real growth (comparable prices)": "实际增长率（可比价）",
}

#: Cumby-Huizinga's lag_p tests lag j alone, not a lag's coefficient (Breusch-Godfrey's).
_CUMBY = {"lag_p": "单阶 P 值"}

#: Headers and labels said with a part of their own (a level, a base period).
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"([\d.]+%) CI low", r"\1 置信区间下限"),
    (r"([\d.]+%) CI high", r"\1 置信区间上限"),
    (r"index \((.+) = 100\)", r"定基指数（\1 = 100）"),
    (r"treated \((.+)\)", r"干预组（\1）"),
    (r"controls \((.+)\)", r"对照组（\1）"),
    (r"difference \((.+)\)", r"组间差值（\1）"),
    (r"_cons", "截距（_cons）"),
    (r"_t", "时间趋势（_t）"),
    (r"_z", "组间截距差值（_z）"),
    (r"_z_t", "组间时间趋势差值（_z_t）"),
    (r"(_x_t\S+)", r"干预后斜率变化（\1）"),
    (r"(_x\S+)", r"干预后水平变化（\1）"),
    (r"(_z_x_t\S+)", r"组间干预后斜率变化差值（\1）"),
    (r"(_z_x\S+)", r"组间干预后水平变化差值（\1）"),
)

#: The words of the ``effect`` column of a batch; the data's text cells stay as written.
CELLS: dict[str, str] = {
    "level change": "水平变化",
    "slope change": "斜率变化",
    "post-trend": "干预后趋势",
}

#: How a fit was estimated, as the titles name it.
_FITS: tuple[tuple[str, str], ...] = (
    ("OLS with Newey-West standard errors", "OLS 回归，Newey-West 标准误"),
    (
        "GLM (Gaussian) with Newey-West standard errors over the stacked data",
        "广义线性模型（高斯），堆叠数据的 Newey-West 标准误",
    ),
    ("OLS with conventional standard errors", "OLS 回归，常规标准误"),
    ("Prais-Winsten AR(1) regression", "Prais-Winsten AR(1) 回归"),
)


def _span(text: str) -> str:
    """Years as yearbook titles write them: 2016—2018年."""
    if (m := re.fullmatch(r"(\d{4})–(\d{4})", text)) is not None:
        return f"{m[1]}—{m[2]}年"
    return f"{text}，"


def _fit(text: str) -> str:
    for en, zh in _FITS:
        if text.startswith(en):
            return zh + re.sub(r", lag (\d+)", r"，滞后 \1 阶", text[len(en) :])
    return text


#: Titles, whole.
TITLES: tuple[tuple[str, object], ...] = (
    (r"Interrupted time series: (.+) \((.+)\)", lambda m: f"中断时间序列分析：{m[1]}（{_fit(m[2])}）"),
    (r"Post-interruption linear trends: (.+)", r"干预后线性趋势：\1"),
    (
        r"Breusch-Godfrey LM test for autocorrelation \(H0: no serial correlation\)",
        "Breusch-Godfrey 自相关 LM 检验（H0：无序列相关）",
    ),
    (r"Cumby-Huizinga test for autocorrelation \(Breusch-Godfrey form\)", "Cumby-Huizinga 自相关检验（Breusch-Godfrey 形式）"),
    (r"Cumby-Huizinga test for autocorrelation \(heteroskedasticity-robust\)", "Cumby-Huizinga 自相关检验（异方差稳健）"),
    (r"Cumby-Huizinga test for autocorrelation \(modified Box-Pierce\)", "Cumby-Huizinga 自相关检验（修正 Box-Pierce 形式）"),
    (r"Interrupted time series of (\d+) series \((.+)\)", lambda m: f"{m[1]} 个序列的中断时间序列分析（{_fit(m[2])}）"),
    (r"Average annual growth rate, (.+)", lambda m: f"{_span(m[1])}年均增长率"),
    (r"Year-on-year growth, (.+)", r"同比增长率，\1"),
    (r"Year-on-year \(same quarter\) and quarter-on-quarter growth, (.+)", r"同比与环比增长率（季度），\1"),
    (r"Year-on-year \(same month\) and month-on-month growth, (.+)", r"同比与环比增长率（月度），\1"),
    (r"Year-to-date cumulative figures and their growth, by month", "累计值及累计同比增长率（按月）"),
    (r"Year-to-date cumulative figures and their growth, by quarter", "累计值及累计同比增长率（按季度）"),
    (r"Monthly values summed to quarters", "月度数值汇总为季度"),
    (r"Monthly values summed to years", "月度数值汇总为年度"),
    (r"Quarterly values summed to years", "季度数值汇总为年度"),
    (r"Growth at current and at comparable prices", "现价与可比价增长率"),
)  # fmt: skip

_PERIODS = {"month": "月", "quarter": "季度", "year": "年"}

#: The growth note of a table by year (同比 only) and of one by month or quarter, which
#: also has 环比: 同比 compares the same period a year before (上年同期), 环比 the one
#: before (上期), as the statistical yearbooks define them.
_YOY_NOTE = "同比增长率 = 本期数 / 上年同期数 - 1。"
_CHAIN_NOTE = "同比增长率 = 本期数 / 上年同期数 - 1；环比增长率 = 本期数 / 上期数 - 1。"


def _growth_note(m: re.Match) -> str:
    return _YOY_NOTE  # a table with 环比 is told by in_lang, which sees its columns


#: Notes, piece by piece: each rule replaces what it matches wherever it is, so a note
#: built of parts (the lag rule) is said part by part; what no rule matches stays.
NOTES: tuple[tuple[str, object], ...] = (
    (r"^N = (\d+), df = (\d+); interruption\(s\): (.+); _t = 0 in the first period\.$",
     r"N = \1，自由度 = \2；干预时点：\3；_t 在第一个时期取 0。"),
    (r"^F\((\d+), (\d+)\) = (\S+), Prob > F (.+) \(all terms but _cons are zero\)\.$",
     r"F(\1, \2) = \3，Prob > F \4（H0：除 _cons 外各项系数均为零）。"),
    (r"^Treated: (.+); (\d+) control unit\(s\)\. _z terms are the treated-minus-controls "
     r"differences\.$", r"干预组：\1；对照单位 \2 个。_z 各项为干预组与对照组之差。"),
    (r"^lincom of _t and the _x_t \(and _z\) terms, as itsa's posttrend option\.$",
     "由 _t 与 _x_t（及 _z）各项经 lincom 合成，同 itsa 的 posttrend 选项。"),
    (r"^Tests use the normal distribution \(z\)\.$", "检验采用正态分布（z）。"),
    (r"^rho = (\S+) \((.+), (\d+) iteration\(s\)\); Durbin-Watson statistic \(original\) (\S+), "
     r"\(transformed\) ([\d.]+)(; robust \(HC1\) standard errors)?\.$",
     lambda m: f"rho = {m[1]}（{m[2]}，迭代 {m[3]} 次）；Durbin-Watson 统计量（原始）{m[4]}，"
     f"（变换后）{m[5]}" + ("；稳健（HC1）标准误。" if m[6] else "。")),
    (r"^chi2 = N R\^2 of the auxiliary regression of the residuals on the regressors and lags "
     r"1\.\.p of the residuals( \(missing lags set to 0, Stata's default\))?\.$",
     lambda m: "χ² 值 = 辅助回归（残差对各自变量及残差的 1..p 阶滞后）的 N R^2"
     + ("（缺失的滞后值取 0，同 Stata 默认）。" if m[1] else "。")),
    (r"^lag_p tests the coefficient of the p-th lag; the suggested Newey-West lag is the larger "
     r"of the stepwise order \(1, 2, \.\.\. while lag_p < alpha; order 1 also when its p < "
     r"alpha\) and the highest order with lag_p < alpha/max_lag \(Bonferroni\)\. ",
     "滞后项 P 值检验第 p 阶滞后项的系数；建议的 Newey-West 滞后阶数取逐步阶数（1, 2, ... 直至滞后项 "
     "P 值 ≥ alpha；第 1 阶的 P 值 < alpha 时亦计入）与滞后项 P 值 < alpha/最大阶数的最高阶数"
     "（Bonferroni）中的较大者。"),
    (r"lag (\d+) chosen by Breusch-Godfrey \(alpha = (\S+)\): ",
     r"依 Breusch-Godfrey 检验选定滞后 \1 阶（alpha = \2）："),
    (r"own-lag orders significant: (.+?) of 1-(\d+)", r"1-\2 阶中滞后项显著的阶数：\1"),
    (r"no order of 1-(\d+) significant in its own-lag test", r"1-\1 阶的滞后项检验均不显著"),
    (r"; order 1's chi2 rejects \(p (\S+); own-lag p (\S+), the same hypothesis\)",
     r"；第 1 阶 chi2 拒绝 H0（P \1；滞后项 P \2，同一假设）"),
    (r"; the joint chi2 rejects at order\(s\) (.+?), so consider a lag by hand",
     r"；联合 chi2 在第 \1 阶拒绝 H0，可考虑手动指定滞后阶数"),
    (r"; rule: the larger of the stepwise order \((\d+): orders 1, 2, \.\.\. while each own-lag "
     r"p, or order 1's chi2 p, < (\S+)\) and the highest order with own-lag p < (\S+) = (\S+) "
     r"\(Bonferroni over (\d+) orders: (\d+)\)\.",
     r"；规则：逐步阶数（\1：第 1, 2, ... 阶的滞后项 P 或第 1 阶 chi2 的 P < \2）与滞后项 "
     r"P < \3 = \4 的最高阶数（对 \5 个阶数作 Bonferroni 校正：\6）中的较大者。"),
    (r" The lag rests on the Bonferroni part alone: order (\d+) is strongly significant above "
     r"a non-significant lower order\.",
     r"该滞后阶数仅由 Bonferroni 部分决定：第 \1 阶高度显著，而更低的阶数不显著。"),
    (r"^chi2: lags 1\.\.j jointly, H0 no serial correlation; lag_chi2: lag j alone \(df 1\), "
     r"H0 (\S+); as Baum and Schaffer's actest \(Cumby and Huizinga 1992\) after regress or "
     r"newey: the OLS residuals \(not a Prais-Winsten fit's\)\.$",
     r"χ² 值：1..j 阶联合检验，H0 为无序列相关；单阶 χ² 值：仅第 j 阶（自由度 1），H0 为 \1；"
     r"同 Baum 与 Schaffer 的 actest（Cumby 与 Huizinga 1992）在 regress 或 newey 之后的"
     r"检验：检验 OLS 残差（而非 Prais-Winsten 拟合的残差）。"),
    (r"^Test allows predetermined regressors; robust to heteroskedasticity\.$",
     "检验允许前定自变量；对异方差稳健。"),
    (r"^Test allows predetermined regressors; requires conditional homoskedasticity\.$",
     "检验允许前定自变量；要求条件同方差。"),
    (r"^Eigenvalues of Psi made non-negative \(absolute values\) where adjusted is True\.$",
     "“特征值已调整”为“是”处，Psi 的特征值取绝对值以保证非负。"),
    (r"^Outcome seasonally adjusted \(ratio to centred (\S+) moving average\)\. The standard "
     r"errors take the seasonal indices as known, as a fit of the adjusted series in Stata "
     r"does: their estimation is not carried into them\.$",
     r"结局变量已作季节调整（与中心化 \1 移动平均之比）。标准误视季节指数为已知，与 Stata "
     r"拟合调整后序列相同：未计入季节指数的估计误差。"),
    (r"^(\d+) ratio\(s\) left out of the indices: their moving average straddles an "
     r"interruption\.$", r"\1 个比值未计入季节指数：其移动平均跨越干预时点。"),
    (r"^Seasonal indices of (.+?): (.+)\.$", r"\1 的季节指数：\2。"),
    (r"^Seasonal indices: (.+)\.$", r"季节指数：\1。"),
    (r"^Time '(.+)' every (\d+) \(Stata: tsset (.+), delta\((\d+)\)\): lags count periods "
     r"of (\d+); _t = (.+) - (\S+) and the _x_t terms count '(.+)' units as itsa codes them, so "
     r"the slopes are per 1 (.+) \(a period's change is (\d+) x the slope\)\.$",
     r"时间变量 '\1' 每 \2 个单位一期（Stata：tsset \3, delta(\4)）：滞后以 \5 个单位为一期计；"
     r"_t = \6 - \7，_x_t 各项按 itsa 的编码以 '\8' 的单位计，故斜率为每 1 个 \9 单位的变化"
     r"（一期的变化为 \10 x 斜率）。"),
    (r"^(\d+) series, N = (\d+) time points each; ", r"\1 个序列，每个序列 N = \2 个时间点；"),
    (r"lag per series by Breusch-Godfrey tests of orders 1 to (\d+) \(column lags\)\. ",
     r"各序列的滞后阶数由 1 至 \1 阶的 Breusch-Godfrey 检验确定（滞后阶数列）。"),
    (r"lag (\d+) in every series\. ", r"各序列均滞后 \1 阶。"),
    (r"no lags\. ", "无滞后。"),
    (r"Level change: _x<P>; slope change: _x_t<P>; post-trend: _t \+ _x_t<P> \(itsa's "
     r"posttrend\)\. Each series' numbers are those of its own ihms its fit\.$",
     "水平变化：_x<P>；斜率变化：_x_t<P>；干预后趋势：_t + _x_t<P>（同 itsa 的 posttrend）。"
     "各序列的结果与对其单独运行 ihms its fit 的结果相同。"),
    (r"^p is per test: with (\d+) series about (\S+) of each effect's tests would fall below "
     r"0\.05 by chance alone if no series had an effect; --adjust holm \(family-wise error\) "
     r"or --adjust fdr_bh \(false discovery rate\) corrects for that\.$",
     r"P 值为单次检验的 P 值：若各序列均无效应，\1 个序列中每种效应约有 \2 个检验仅因机会而 "
     r"< 0.05；--adjust holm（族错误率）或 --adjust fdr_bh（错误发现率）可作校正。"),
    (r"^p_adjusted: Holm, within each interruption and effect across the (\d+) series "
     r"\(statsmodels multipletests\)\.$",
     r"校正 P 值：Holm 法，在每个干预时点与效应内对 \1 个序列校正（statsmodels multipletests）。"),
    (r"^p_adjusted: Benjamini-Hochberg \(false discovery rate\), within each interruption and "
     r"effect across the (\d+) series \(statsmodels multipletests\)\.$",
     r"校正 P 值：Benjamini-Hochberg 法（错误发现率），在每个干预时点与效应内对 \1 个序列校正"
     r"（statsmodels multipletests）。"),
    (r"^Geometric: \(end / start\) \*\* \(1 / years\) - 1\.$",
     "几何平均法：年均增长率 = (报告期值 / 基期值)^(1 / 年数) - 1。"),
    (r"^difference: average annual growth - reference growth, in percentage points\.$",
     "差值：年均增长率 - 参照增长率，单位为百分点。"),
    (r"^Rates and shares change in percentage points a year, \(end - start\) / years, as "
     r"--yoy gives them; no growth rate, nor a difference from a reference growth rate: (.+)\.$",
     r"率与构成比按每年变化的百分点计，即 (报告期值 - 基期值) / 年数，同 --yoy；"
     r"不计增长率，亦不计与参照增长率之差：\1。"),
    (r"^Rates and shares change in percentage points: (.+)\.$", r"率与构成比的变化以百分点计：\1。"),
    (r"^Growth = value / value of the previous period - 1\.$", _growth_note),
    (r"^indicator '(.+)': (.+) in the base period (\S+), so no fixed-base index$",
     lambda m: f"指标 '{m[1]}'：基期 {m[3]} "
     + ("无数值" if m[2] == "no value" else m[2]) + "，因此不计定基指数"),
    (r"^indicator '(.+)': no value for (.+), so these growths are missing \(not computed over "
     r"a longer span\): (.+)$", r"指标 '\1'：\2 无数值，以下增长率缺失（不跨更长的间隔计算）：\3"),
    (r"^indicator '(.+)', (\S+): (.+) growth missing — the base value in (\S+) is (\S+) \(a "
     r"growth rate needs a base > 0\)$",
     r"指标 '\1'，\2：\3 增长率缺失——\4 的基期数值为 \5（增长率要求基期数值 > 0）"),
    (r"^Cumulative = sum from the first (month|quarter) of the year; its growth compares the "
     r"same span a year before \(累计同比\)\.$",
     lambda m: f"累计值 = 自当年第一个{_PERIODS[m[1]]}起的合计；累计同比增长率与上年同期相比。"),
    (r"^indicator '(.+)': no value for (.+), so no cumulative figure for (.+) \(a cumulative "
     r"figure is never summed over fewer (month|quarter)s\), nor a cumulative growth where "
     r"one of them is compared$",
     lambda m: f"指标 '{m[1]}'：{m[2]} 无数值，因此 {m[3]} 不计累计值（累计值不以更少的"
     f"{_PERIODS[m[4]]}份合计），涉及这些时期的累计同比增长率亦缺失"),
    (r"^indicator '(.+)', (\S+): cumulative growth missing — the cumulative figure a year "
     r"before is (\S+) \(a growth needs a base > 0\)$",
     r"指标 '\1'，\2：累计同比增长率缺失——上年同期累计值为 \3（增长率要求基数 > 0）"),
    (r"^A (quarter|year) is the sum of its (month|quarter)s; a (quarter|year) with one missing "
     r"has no total\.$",
     lambda m: f"{_PERIODS[m[1]]}度数值为其各{_PERIODS[m[2]]}之和；缺少任一"
     f"{_PERIODS[m[2]]}的{_PERIODS[m[1]]}不计合计。"),
    (r"^indicator '(.+)': no value for (.+), so no total for (.+)$",
     r"指标 '\1'：\2 无数值，因此 \3 不计合计"),
    (r"^Deflated by (.+) \((.+)\): real growth = \(1 \+ nominal growth\) / \(1 \+ price "
     r"change\) - 1 \(按可比价格, 扣除价格因素\)\.$",
     lambda m: f"以{_price(m[1])}平减（{_base(m[2])}）：实际增长率 = (1 + 名义增长率) / (1 + 价格变动)"
     " - 1（按可比价格计算，扣除价格因素）。"),
    (r"^(.+): average annual growth (\S+) nominal (\S+), real (\S+)\.$",
     r"\1：\2 年均增长率，名义 \3，实际 \4。"),
    (r"^indicator '(.+)', (\S+): growth missing — the base value in (\S+) is (\S+) \(a growth "
     r"rate needs a base > 0\)$", r"指标 '\1'，\2：增长率缺失——\3 的基期数值为 \4（增长率要求基期数值 > 0）"),
    (r"^indicator '(.+)': no value for (\S+), so no growth for (\S+) \(not computed over a "
     r"longer span\)$", r"指标 '\1'：\2 无数值，因此 \3 不计增长率（不跨更长的间隔计算）"),
)  # fmt: skip


def _price(name: str) -> str:
    """The price index a note names: 价格指数 when the user named none; a name of their
    own with a space either side where it begins or ends in Latin (以 CPI 平减), none
    beside a Chinese character (以居民消费价格指数平减)."""
    if name == "the price index":
        return "价格指数"
    return f"{' ' if name[:1].isascii() else ''}{name}{' ' if name[-1:].isascii() else ''}"


def _base(text: str) -> str:
    if text == "same period a year before = 100":
        return "上年同期 = 100"
    if (m := re.fullmatch(r"previous period = 100", text)) is not None:
        return "上期 = 100"
    if (m := re.fullmatch(r"(.+) = 100", text)) is not None:
        return f"{m[1]} = 100"
    return text


def _whole(text: str, rules) -> str:
    for pattern, template in rules:
        if (m := re.fullmatch(pattern, text)) is not None:
            return template(m) if callable(template) else m.expand(template)
    return text


def header(text: object) -> object:
    """A header or row label said in Chinese; as it is when no term says it."""
    if not isinstance(text, str):
        return text
    return HEADERS.get(text) or _whole(text, PATTERNS)


def _row(text: object) -> object:
    """A row label of the statistics (_x1989, treated (1989)) in Chinese; a label that
    is the data's (an indicator's name) stays."""
    return _whole(text, PATTERNS) if isinstance(text, str) else text


def title(text: str) -> str:
    """A table's title said in Chinese."""
    return _whole(text, TITLES)


def note_zh(text: str) -> str:
    """A note said in Chinese, rule by rule; a part no rule says stays English."""
    for pattern, template in NOTES:
        text = re.sub(pattern, template, text)  # type: ignore[arg-type]
    return text


#: Shorter Chinese headers for a narrow console (the English table's ``se``, ``trend``):
#: the interval's bounds as Chinese papers abbreviate them, 95%CI 下限, which fold
#: between 95%CI and 下限 as the English 95% CI low does; 单阶P值 whole.
SHORT: tuple[tuple[str, str], ...] = (
    (r"([\d.]+%) 置信区间下限", r"\1CI 下限"),
    (r"([\d.]+%) 置信区间上限", r"\1CI 上限"),
    (r"单阶 P 值", "单阶P值"),
    (r"单阶 χ² 值", "单阶χ²值"),
)


def short(text: object) -> object:
    """A Chinese header's shorter form for a narrow console; as it is when it has none."""
    return _whole(text, SHORT) if isinstance(text, str) else text


def _points(fmt, unit: str = " 个百分点"):
    """A cell formatter whose ``+3.9 pp`` reads ``+3.9 个百分点`` (``unit``), or ``+3.9``
    under a header that says 百分点 already."""

    def said(value: object) -> str:
        return re.sub(r" pp$", unit, fmt(value))

    return said


def in_lang(table: SummaryTable, lang: str) -> SummaryTable:
    """``table`` with its words in ``lang`` (``"zh"``: Chinese), its numbers unchanged."""
    if lang != "zh":
        return table
    frame = table.frame.copy()
    own = _CUMBY if table.title.startswith("Cumby-Huizinga") else {}
    names = {str(c): own.get(str(c)) or header(str(c)) for c in frame.columns}
    frame.columns = [names[str(c)] for c in frame.columns]
    frame.index = frame.index.map(_row)
    frame.index.names = [header(n) if n is not None else None for n in frame.index.names]
    if "effect" in names:  # a batch's effects; other text cells are the data's
        effect = names["effect"]
        frame[effect] = frame[effect].map(lambda v: CELLS.get(v, v) if isinstance(v, str) else v)

    def keyed(mapping):
        return {names.get(str(k), header(str(k))): v for k, v in mapping.items()}

    for column in frame.columns:  # a test's flags (特征值已调整) as Chinese tables say them
        if frame[column].dtype == bool:
            frame[column] = frame[column].map(YES_NO_ZH)
    formats = {
        k: _points(f, "" if "百分点" in str(k) else " 个百分点")
        for k, f in keyed(table.formats).items()
    }  # a column headed in 百分点 says it once, not again in each cell
    notes = [note_zh(n) for n in table.notes]
    if any(c in names for c in ("month-on-month growth", "quarter-on-quarter growth")):
        notes = [_CHAIN_NOTE if n == _YOY_NOTE else n for n in notes]
    shorts = {str(c): short(c) for c in frame.columns if short(c) != c}
    return replace(
        table,
        frame=frame,
        title=title(table.title),
        notes=notes_under_zh(notes),
        formats=formats,
        id_columns=[names.get(str(c), c) for c in table.id_columns],
        short_headers=shorts,
        stack_under={names.get(k, k): names.get(v, v) for k, v in table.stack_under.items()},
        decimal_columns=[names.get(str(c), c) for c in table.decimal_columns],
        key_columns=None
        if table.key_columns is None
        else [names.get(str(c), c) for c in table.key_columns],
        row_decimals=keyed(table.row_decimals),
        lang="zh",
    )
