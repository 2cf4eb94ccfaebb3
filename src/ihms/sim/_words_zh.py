"""The county simulator's tables in Chinese, for ``ihms sim run|calibrate|compare|
sensitivity --lang zh``: titles, headers, row labels, text cells and the fixed notes,
each figure the same cell it was (:func:`in_zh`). The English words stay the library's;
these are said over them, so the data tables a run writes keep their English columns.

The words are those of Chinese health-economics papers on county medical consortia and
of Zhong et al. 2023's Sanming study: 医保基金支出, 总额预算, 结余留用; a figure that is a
catalogue indicator (门急诊人次, 居民住院率, 健康门诊人次, 诊疗人次基层占比, 高血压患者血压控制率 …)
by the catalogue's own ``name_zh``, one name across ihms; the interrupted-time-series terms 改革前
斜率, 水平变化, 斜率变化; 目标值 / 模拟值 for the calibration, 单因素敏感性分析 and its
下限 / 上限 for the sensitivity analysis. The payment schemes keep the one Chinese name
``ihms payment`` gives them (:data:`ihms.payment._words_zh_books.REGIME_ZH`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from ihms._words import notes_under_zh
from ihms.payment._words_zh_books import REGIME_ZH
from ihms.payment.reform import month_zh
from ihms.sim._notes_zh import said_by, said_note
from ihms.sources import cited_zh

__all__ = ["WORDS", "figure_words", "in_zh", "regime_zh", "said_cell", "said_title"]

#: The simulator's regime names (``--regime``) in Chinese: their rule sets' names.
_REGIMES = {
    "fee-for-service": REGIME_ZH["Fee for service"],
    "sanming": REGIME_ZH["Sanming IMPM"],
    "other-areas": REGIME_ZH["Other areas of China"],
    "deqing": REGIME_ZH["Deqing CIHO"],
}


def regime_zh(name: str) -> str:
    """A regime (``sanming``) or its rule set's label (``Sanming IMPM``) in Chinese; an
    unknown one as it is."""
    return _REGIMES.get(name) or REGIME_ZH.get(name, name)


#: Whole headers, row labels and text cells by their English words.
WORDS: dict[str, str] = {
    # run: per year
    "year": "年份",
    "resident-years": "人年数",
    "chronic follow-ups": "慢性病随访人次",
    "total cost (yuan)": "总费用（元）",
    "insurance paid (yuan)": "医保基金支出（元）",
    "health promotion (0-1)": "健康促进强度（0～1）",
    # run: inside and outside the county
    "in the county (yuan)": "县域内医保基金支出（元）",
    "of it primary care (yuan)": "其中基层医疗卫生机构（元）",
    "outside the county (yuan)": "县外医保基金支出（元）",
    "outside the county (%)": "县外医保基金支出占比（%）",
    "total cost outside the county (yuan)": "县外就医总费用（元）",
    # run: the year-end settlements
    "global budget (yuan)": "总额预算（元）",
    "spending charged (yuan)": "计入总额的医保基金支出（元）",
    "balance (yuan)": "结余（元）",
    "overspend (yuan)": "超支（元）",
    "kept by the consortium (yuan)": "医共体结余留用（元）",
    "overspend borne by the consortium (yuan)": "医共体承担的超支（元）",
    "staff incentive pool (yuan)": "医务人员薪酬激励（元）",
    "consortium's result (yuan)": "医共体结算结果（元）",
    "benchmark (yuan)": "支出基准（元）",
    "insurance spending on the assigned (total cost of care) (yuan)": "签约人群医保基金支出（总医疗费用）（元）",
    "savings (yuan)": "结余（元）",
    "shared savings (yuan)": "结余分成（元）",
    "family-physician fees (yuan)": "家庭医生签约服务费（元）",
    "insurer's outlay (yuan)": "医保基金总支出（元）",
    # run: Deqing beside seed 004
    "figure": "指标",
    "simulated": "模拟值",
    "Deqing": "德清县",
    "Deqing change": "德清县变化（百分点）",
    "simulated change": "模拟变化（百分点）",
    "same direction": "方向一致",
    "Hospitalizations at township health centres (%)": "乡镇卫生院住院占比（%）",
    # calibrate
    "source": "来源",
    "target": "目标值",
    "ratio": "比值（模拟值/目标值）",
    "rule": "判定规则",
    "within": "是否符合",
    "tuning": "调参",
    "yes": "是",
    "no": "否",
    "NO": "否",
    "(shown) yes": "是（仅展示）",
    "(shown) departs": "否（仅展示）",
    "fitted": "参与拟合",
    "fitted, ½ weight": "半权重拟合",
    "held out": "留出（未拟合）",
    "shown": "仅展示",
    "±10 %": "±10%",
    "sign, ×√10": "同号且≤√10倍",
    # calibrate --tune
    "parameter": "参数",
    "start": "初始值",
    "tuned": "调参值",
    # compare: the rows
    "Residents simulated, ever present (N)": "模拟居民数（曾在县内，人）",
    "Hypertensive patients under management (N)": "管理的高血压患者数（人）",
    "Diabetic patients under management (N)": "管理的糖尿病患者数（人）",
    "Kept by the consortium (million yuan)": "医共体留用（百万元）",
    "Global budget (million yuan)": "总额预算（百万元）",
    "Insurance spending charged (million yuan)": "计入总额的医保基金支出（百万元）",
    "Overspend borne by the consortium (million yuan)": "医共体承担的超支（百万元）",
    "Balance clawed back (million yuan)": "结余收回（百万元）",
    "Shared-savings benchmark (million yuan)": "结余分成支出基准（百万元）",
    "Shared savings earned by the consortium (million yuan)": "医共体所得结余分成（百万元）",
    "Kept by the consortium: balance or shared savings (million yuan)": "医共体留用：结余或结余分成（百万元）",
    "  of which staff salary incentives (million yuan)": "  其中：医务人员薪酬激励（百万元）",
    "  of which cooperation among CH/THC/clinics (million yuan)": "  其中：县乡村协作（百万元）",
    "  of which health promotion (million yuan)": "  其中：健康促进（百万元）",
    "  of which institutional development (million yuan)": "  其中：机构发展（百万元）",
    "Family-physician fees paid (million yuan)": "家庭医生签约服务费（百万元）",
    "Salary incentive per physician (yuan)": "医师人均薪酬激励（元）",
    "Personnel cost (all staff) of county hospitals and THCs per physician (yuan)": "县级医院和乡镇卫生院医师人均人员经费（全部职工，元）",
    # compare: what the intervals' N count
    "residents (average population)": "居民数（年平均人口）",
    "hypertensive patients under management": "管理的高血压患者数",
    "diabetic patients under management": "管理的糖尿病患者数",
    # compare --seeds
    "mean": "均数",
    "SD": "标准差",
    "min to max": "最小值至最大值",
    "across-seed spread": "种子间波动范围",
    # sensitivity
    "at low": "取下限时",
    "at high": "取上限时",
    "swing": "变动幅度",
    "reach": "最大偏离",
    "tornado": "龙卷风图",
    "range": "取值范围（下限–上限）",
    "config's": "配置值",
    # the ITS terms of a calibration figure
    "pre-reform slope": "改革前斜率",
    "level change": "水平变化",
    "slope change": "斜率变化",
}

#: The simulator's figures that are catalogue indicators (:mod:`ihms.indicators`), by
#: their English words: the indicator, and what its Chinese name (the catalogue's
#: ``name_zh``, one name across ihms) is said with — a unit after it, the county
#: hospitals (县级医院) before it.
_INDICATORS: dict[str, tuple[str, str, str]] = {
    "outpatient+emergency": ("", "outpatient_emergency_visits", ""),
    "outpatient and emergency visits": ("", "outpatient_emergency_visits", ""),
    "admissions": ("", "hospitalizations", ""),
    "Admissions (N)": ("", "hospitalizations", ""),
    "preventive visits": ("", "healthcare_visits", ""),
    "Admissions per 100 residents": ("", "hospitalization_rate", "（每百居民住院人次）"),
    "CH outpatient+emergency visits": ("县级医院", "outpatient_emergency_visits", ""),
    "CH outpatient contacts per month": ("县级医院月均", "outpatient_contacts", ""),
    "outpatient contacts": ("", "outpatient_contacts", ""),
    "Outpatient contacts per year (10,000s)": ("", "outpatient_contacts", "（万人次）"),
    "CH hospitalizations": ("县级医院", "hospitalizations", ""),
    "CH cost per outpatient visit (yuan)": ("县级医院", "cost_per_outpatient_visit", "（元）"),
    "CH cost per hospitalization (yuan)": ("县级医院", "cost_per_hospitalization", "（元）"),
}
#: The units of the compared figures' labels (:data:`ihms.sim.compare.COMPARED`).
_UNITS = {"(%)": "（%）", "(admissions per 100 residents)": "（每百居民住院人次）"}


@cache
def _indicator_words() -> dict[str, str]:
    """The Chinese names of the figures that are catalogue indicators, by their English
    words: :data:`_INDICATORS` and the compared figures (their labels' unit kept)."""
    from ihms.indicators import load_catalogue
    from ihms.sim.compare import COMPARED

    catalogue = load_catalogue()
    said = {
        en: f"{before}{catalogue[ind].name_zh}{after}"
        for en, (before, ind, after) in _INDICATORS.items()
    }
    for ind, label in COMPARED.items():
        unit = next(zh for en, zh in _UNITS.items() if label.endswith(" " + en))
        said[label] = catalogue[ind].name_zh + unit
    return said


#: The short figure names of ``compare --seeds`` and the sensitivity outcomes that are
#: not catalogue indicators.
_SHORT = {"charged": "计入总额的医保基金支出"}


def _measured(name: str) -> str:
    return WORDS.get(name) or _indicator_words().get(name) or _SHORT.get(name, name)


def _its(m: re.Match) -> str:
    return f"{_measured(m[1])}：{WORDS.get(m[2], m[2])}"


def _yearly(m: re.Match) -> str:
    """A figure of a year (``Hospitalization rate 2019``), said with its year; any other
    text that ends in a year (``Jia et al. 2021``) as it is."""
    measured = _measured(m[1])
    return m[0] if measured == m[1] else f"{measured}，{m[2]}年"


def _n_row(m: re.Match) -> str:
    return f"{said_cell(m[1])}——N：{said_cell(m[2])}"


def _range(m: re.Match) -> str:
    return f"{m[1]}至{m[2]}"


def _interval(m: re.Match) -> str:
    return f"{m[1]}（{m[2]}～{m[3]}）；{m[4]}/{m[5]}"


def _difference(m: re.Match) -> str:
    return f"{m[1]}{regime_zh(m[2])} − {regime_zh(m[3])}"


def _versus(m: re.Match) -> str:
    return f"{m[1]}{regime_zh(m[2])}相对{regime_zh(m[3])}（%）"


#: Cells made of parts: a calibration figure and its year or ITS term, an interval
#: row's N, a range of numbers, a difference of regimes.
_CELLS: tuple[tuple[re.Pattern[str], Callable[[re.Match], str]], ...] = (
    (re.compile(r"^(CH [^:]+): (pre-reform slope|level change|slope change)$"), _its),
    (re.compile(r"^(.+) (\d{4})$"), _yearly),
    (re.compile(r"^(.+) — N: (.+)$"), _n_row),
    (re.compile(r"^(-?[\d,.]+(?:e[-+]?\d+)?) to (-?[\d,.]+(?:e[-+]?\d+)?)$"), _range),
    (re.compile(r"^(-?[\d.]+) \((-?[\d.]+)–(-?[\d.]+)\); ([\d,]+) / ([\d,]+)$"), _interval),
    (re.compile(r"^(\s*)(\S+) − (\S+)$"), _difference),
    (re.compile(r"^(\s*)(\S+) vs (\S+) \(%\)$"), _versus),
)


def said_cell(text: object) -> object:
    """A header, row label or text cell in Chinese (a number, or words not known, as
    they are)."""
    if not isinstance(text, str):
        return text
    if text in WORDS:
        return WORDS[text]
    if text in _indicator_words():
        return _indicator_words()[text]
    if text.strip() in _REGIMES or text in REGIME_ZH:
        return text[: len(text) - len(text.lstrip())] + regime_zh(text.strip())
    if text.strip() in _SHORT or text.strip() in _indicator_words():
        return text[: len(text) - len(text.lstrip())] + _measured(text.strip())
    return said_by(_CELLS, text)


def _regime_title(words: str) -> str:
    """:func:`ihms.sim.results.regime_words` in Chinese."""
    m = re.fullmatch(r"regime (\S+) from (\d{4})-(\d{2})", words)
    if m:
        return f"{regime_zh(m[1])}，{month_zh(f'{m[2]}-{m[3]}')}起"
    m = re.fullmatch(r"regime (\S+) throughout \(no reform\)", words)
    return f"全程{regime_zh(m[1])}（未改革）" if m else words


def _title_run(m: re.Match) -> str:
    return f"县域模拟结果：{_regime_title(m[1])}"


def _title_accounts(m: re.Match) -> str:
    return f"{m[1]} 年费用（{m[2]}）：金额单位元"


def _title_settled(m: re.Match) -> str:
    return f"年终清算：{regime_zh(m[1])}（规则：{m[2]}）"


def _title_side(m: re.Match) -> str:
    return f"各支付方式模拟结果比较，{m[1]} 年（同一县域、同一随机种子）"


def _title_intervals(m: re.Match) -> str:
    return f"各支付方式模拟结果比较，{m[1]} 年：各率及其 95% 置信区间与计数"


def _title_seeds(m: re.Match) -> str:
    regimes = "、".join(regime_zh(r.strip()) for r in m[1].split(","))
    size = f"，{m[4]} 名居民" if m[4] else ""
    seeds = m[3].replace(", ", "、").replace(" and ", "和")
    return f"{regimes}，{m[2]} 年，随机种子 {seeds}{size}：均数、标准差、最小值至最大值及种子间波动范围"


def _title_sensitivity(m: re.Match) -> str:
    what = said_cell(m[3].strip())
    size = f"，{m[4]} 名居民" if m[4] else ""
    return f"单因素敏感性分析，{m[1]} 年：{said_cell(m[2])}，{what}{size}，随机种子 {m[5]}"


#: Titles by pattern.
_TITLES: tuple[tuple[re.Pattern[str], Callable[[re.Match], str] | str], ...] = (
    (re.compile(r"^Simulated county, (.+)$"), _title_run),
    (
        re.compile(
            r"^Insurance paid inside the county and outside it \(what a settlement charges\)$"
        ),
        "县域内外医保基金支出（年终清算计入部分）",
    ),
    (re.compile(r"^Year-end settlements, regime (\S+) \((.+)\)$"), _title_settled),
    (
        re.compile(r"^Calibration: the simulated county against (.+)$"),
        r"模型校准：模拟县域与 \1 比较",
    ),
    (
        re.compile(r"^Tuned parameters \(least squares against (.+)'s figures\)$"),
        r"调参结果（以 \1 数据为目标的最小二乘拟合）",
    ),
    (
        re.compile(r"^Payment regimes side by side, (\d{4}) \(same county, same seed\)$"),
        _title_side,
    ),
    (re.compile(r"^Payment regimes side by side, (\d{4}): each rate .+$"), _title_intervals),
    (
        re.compile(r"^(.+) in (\d{4}) over seeds (.+?)(?:, ([\d,]+) residents)?: mean, SD, .+$"),
        _title_seeds,
    ),
    (
        re.compile(
            r"^One-way sensitivity, (\d{4}): (.+?), (.+?)(?:, ([\d,]+) residents)?, seed (\d+)$"
        ),
        _title_sensitivity,
    ),
    (
        re.compile(r"^Deqing regime beside (.+)'s Deqing county \(shown, not calibrated\)$"),
        r"德清医共体结余分成模拟结果与 \1 德清县数据对照（仅展示，未校准）",
    ),
    (re.compile(r"^Accounts (\d{4}) \((.+)\): spending in yuan$"), _title_accounts),
)


def said_title(title: str) -> str:
    """A table's title in Chinese (as it is when no pattern says it)."""
    return said_by(_TITLES, title)


@dataclass(frozen=True)
class FigureWords:
    """The words of a figure in one language: its panels' titles and legend entries
    (``cell``) and the reform line's label (``reform``)."""

    cell: Callable[[str], str]
    reform: Callable[[str], str]


def figure_words(lang: str) -> FigureWords:
    """The words of :meth:`ihms.sim.compare.RegimeComparison.figure` in ``lang``; for
    ``"zh"`` the CJK font is put first (:func:`ihms.fonts.use_cjk_font`), as the policy
    figures draw Chinese."""
    if lang != "zh":
        return FigureWords(cell=lambda text: text, reform=lambda month: f"reform from {month}")
    from ihms.fonts import use_cjk_font

    use_cjk_font()
    return FigureWords(
        cell=lambda text: str(said_cell(text)),
        reform=lambda month: f"改革起始（{month_zh(month)}）",
    )


#: Short headers of the Chinese tables, for a console too narrow for the whole ones: an
#: amount's unit left to the title (金额单位：元), the rest said in fewer characters.
_SHORT_HEADERS = {
    "总费用（元）": "总费用",
    "医保基金支出（元）": "医保支出",
    "慢性病随访人次": "慢病随访",
    "健康促进强度（0～1）": "健康促进（0～1）",
    "县域内医保基金支出（元）": "县域内",
    "其中基层医疗卫生机构（元）": "其中基层",
    "县外医保基金支出（元）": "县外",
    "县外医保基金支出占比（%）": "县外占比（%）",
    "县外就医总费用（元）": "县外总费用",
    "总额预算（元）": "总额预算",
    "计入总额的医保基金支出（元）": "计入总额支出",
    "结余（元）": "结余",
    "超支（元）": "超支",
    "医共体结余留用（元）": "结余留用",
    "医共体承担的超支（元）": "承担超支",
    "医务人员薪酬激励（元）": "薪酬激励",
    "医共体结算结果（元）": "结算结果",
    "支出基准（元）": "支出基准",
    "签约人群医保基金支出（总医疗费用）（元）": "签约人群支出",
    "结余分成（元）": "结余分成",
    "家庭医生签约服务费（元）": "签约服务费",
    "医保基金总支出（元）": "基金总支出",
    "比值（模拟值/目标值）": "比值",
    "是否符合": "符合",
}
_YUAN = "，金额单位：元"


def _titled(title: str, headers) -> str:
    """``title`` with the unit of its amounts when a short header leaves it out."""
    yuan = any(h.endswith("（元）") and h in _SHORT_HEADERS for h in headers)
    return title + _YUAN if yuan and "金额单位" not in title else title


def _by_table(frame, title: str):
    """The calibration's sources as table numbers (表4) when all are of the paper the
    title names: the whole citation on every row folded a row to four lines."""
    if "source" not in frame.columns:
        return frame
    found = [re.fullmatch(r"(.+)，表(\d+)", str(v)) for v in frame["source"]]
    if not all(found) or len({m[1] for m in found}) != 1 or found[0][1] not in title:
        return frame
    frame["source"] = [f"表{m[2]}" for m in found]
    return frame


def in_zh(table, lang: str):
    """``table`` (a :class:`~ihms.summary.SummaryTable` of the simulator) in ``lang``:
    as it is in English; in Chinese with its title, headers, index name, row labels,
    text cells and fixed notes said again, every figure the same cell it was."""
    if lang != "zh":
        return table
    import pandas as pd

    frame = table.frame.copy()
    names = {c: str(said_cell(cited_zh(str(c)))) for c in frame.columns}
    for column in frame.columns:
        values = frame[column].tolist()
        if any(isinstance(v, str) for v in values):
            cells = [cited_zh(said_cell(v)) if isinstance(v, str) else v for v in values]
            frame[column] = pd.Series(cells, index=frame.index, dtype=object)
    title = said_title(table.title)
    frame = _by_table(frame, title).rename(columns=names)
    frame.index = pd.Index([said_cell(i) for i in frame.index], name=said_cell(frame.index.name))
    renamed = {str(k): v for k, v in names.items()}
    return replace(
        table,
        frame=frame,
        title=_titled(title, names.values()),
        notes=notes_under_zh(said_note(n) for n in table.notes),
        lang="zh",
        formats={renamed.get(str(k), k): f for k, f in table.formats.items()},
        short_headers={
            **{renamed.get(str(k), k): v for k, v in table.short_headers.items()},
            **{h: _SHORT_HEADERS[h] for h in names.values() if h in _SHORT_HEADERS},
        },
        stack_under={
            renamed.get(str(k), k): renamed.get(str(v), v) for k, v in table.stack_under.items()
        },
        id_columns=tuple(renamed.get(str(c), c) for c in table.id_columns),
        decimal_columns=tuple(renamed.get(str(c), c) for c in table.decimal_columns),
        key_columns=None
        if table.key_columns is None
        else tuple(renamed.get(str(c), c) for c in table.key_columns),
        row_decimals={renamed.get(str(k), k): v for k, v in table.row_decimals.items()},
    )
