"""The chi-square test for trend beside the whole-county yearly rate tables (Tables 4
and 5 of the report), as seed 002 tested its Tables 4 and 5 (χ²trend), computed by
:func:`ihms.stats.trend_test` on the numerators and denominators the report prints
under each table."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from ihms.demo._indicator_counts import _name
from ihms.errors import InputError
from ihms.sources import ZHONG_2023
from ihms.stats import trend_test
from ihms.summary import SummaryTable, format_p

__all__ = ["TREND_COLUMNS", "trend_rows", "with_trend"]

CHI2, P, DIRECTION = "χ² for trend", "p (trend)", "trend"
TREND_COLUMNS = (CHI2, P, DIRECTION)
#: The three columns and the direction's words in Chinese (χ²趋势 as Chinese papers
#: write the test's statistic).
COLUMNS_ZH = {CHI2: "χ²趋势", P: "P 值（趋势）", DIRECTION: "趋势方向"}
DIRECTIONS_ZH = {"rising": "上升", "falling": "下降", "flat": "持平"}
# seed 002, Results ("Effect of healthcare service delivery" and "Effect of health
# management"): χ²trend of Table 4's primary-care share (2016-2019, P < 0.05) and of
# Table 5's four rates (2017-2019, P < 0.001)
PUBLISHED_CHI2_TREND = {
    "outpatient_contacts_primary_share": ("13.1", "2016-2019", "P < 0.05"),
    "hypertension_management_rate": ("1,063.1", "2017-2019", "P < 0.001"),
    "hypertension_control_rate": ("222.6", "2017-2019", "P < 0.001"),
    "diabetes_management_rate": ("112.0", "2017-2019", "P < 0.001"),
    "diabetes_control_rate": ("123.3", "2017-2019", "P < 0.001"),
}


def trend_rows(results, indicators: Sequence[str], *, unit: str) -> pd.DataFrame:
    """χ² for linear trend (Cochran–Armitage, 1 df, the years as scores), its p and
    the direction of the trend for each of ``indicators`` of ``unit``, one row per
    indicator in that order, from ``results.frame`` (numerator and denominator by
    year). An indicator without denominators (a count) gets missing values."""
    frame = results.frame
    out = {}
    for indicator in indicators:
        rows = frame[(frame["unit"] == unit) & (frame["indicator"] == indicator)]
        rows = rows.dropna(subset=["numerator", "denominator"])
        if len(rows) < 2:
            out[indicator] = (float("nan"), float("nan"), None)
            continue
        rows = rows.assign(_year=rows["period"].astype(int)).sort_values("_year")
        try:
            result = trend_test(
                rows["numerator"].astype(float).to_list(),
                rows["denominator"].astype(float).to_list(),
                scores=rows["_year"].astype(float).to_list(),
            )
        except InputError:  # every year all events or none (a small sample): no test
            out[indicator] = (float("nan"), float("nan"), None)
            continue
        direction = "rising" if result.z > 0 else "falling" if result.z < 0 else "flat"
        out[indicator] = (result.chi2, result.pvalue, direction)
    return pd.DataFrame.from_dict(out, orient="index", columns=list(TREND_COLUMNS))


def _complements(results, indicators: Sequence[str], *, unit: str) -> list[tuple[str, str]]:
    """Pairs of ``indicators`` whose numerators add up to their common denominator in
    every year (two shares of one total): the trend test of one is the other's."""
    frame = results.frame
    rows = frame[(frame["unit"] == unit) & frame["indicator"].isin(list(indicators))]
    by = {
        i: part.set_index(part["period"].astype(str))[["numerator", "denominator"]]
        for i, part in rows.dropna(subset=["numerator", "denominator"]).groupby("indicator")
    }
    ids = [i for i in indicators if i in by]
    pairs = []
    for k, a in enumerate(ids):
        for b in ids[k + 1 :]:
            x, y = by[a], by[b]
            same_total = x.index.equals(y.index) and (x["denominator"] == y["denominator"]).all()
            if same_total and (x["numerator"] + y["numerator"] == x["denominator"]).all():
                pairs.append((a, b))
    return pairs


def with_trend(
    table: SummaryTable,
    results,
    indicators: Sequence[str],
    *,
    unit: str,
    counts: Sequence[str] = (),
    notes: Sequence[str] = (),
    lang: str = "en",
) -> SummaryTable:
    """``table`` (one row per indicator, in ``indicators``' order, years as columns)
    with :func:`trend_rows`' three columns after the years and a note saying which
    test it is; ``counts`` are the rows that are counts, not proportions (no test);
    ``notes`` follow it. ``lang="zh"``: the three columns, the direction's words and the
    note in Chinese (:data:`COLUMNS_ZH`), the same numbers."""
    tests = trend_rows(results, indicators, unit=unit)
    frame = table.frame.copy()
    zh = lang == "zh"
    for column in TREND_COLUMNS:
        frame[COLUMNS_ZH[column] if zh else column] = tests[column].to_list()
    if zh:
        frame[COLUMNS_ZH[DIRECTION]] = frame[COLUMNS_ZH[DIRECTION]].map(DIRECTIONS_ZH)
    years = [str(c) for c in table.frame.columns]
    pairs = _complements(results, indicators, unit=unit)
    said = _note_zh if zh else _note
    note = said(results, indicators, years, pairs, counts)
    chi2, p = (COLUMNS_ZH[CHI2], COLUMNS_ZH[P]) if zh else (CHI2, P)
    return dataclasses.replace(
        table,
        frame=frame,
        notes=(*table.notes, note, *notes),
        formats={**dict(table.formats), chi2: "{:,.1f}".format, p: format_p},
    )


def _note(results, indicators, years, pairs, counts) -> str:
    """:func:`with_trend`'s note: the test, and what the rows' tests are not."""
    note = (
        f"{CHI2}: the Cochran–Armitage chi-square test for a linear trend in numerator / "
        f"denominator over {years[0]}-{years[-1]} (1 df, years as scores; R "
        "prop.trend.test, Stata ptrend, ihms trend), on the counts under the table. "
        f"{ZHONG_2023} ran this test (χ²trend) on its Tables 4 and 5. {DIRECTION}: the sign "
        "of the trend, whatever its p. The test says whether the change could be chance, "
        "not whether it is large or due to the reform."
    )
    if "hospitalization_rate" in indicators:
        note += (
            " The hospitalization rate is tested as admissions over the average population, "
            f"as a proportion ({ZHONG_2023} prints it as %); a resident's repeated "
            "admissions are not independent, so its p is, if anything, too small."
        )
    if pairs:
        named = "; ".join(f"{_name(results, a)} and {_name(results, b)}" for a, b in pairs)
        note += (
            f" {named}: shares of one total that add to 100 %, so their tests are the same "
            "test, with opposite signs."
        )
    if counts:
        names = "; ".join(_name(results, i) for i in counts)
        note += f" No test for {names}: a count, not a proportion."
    published = [
        f"{_name(results, i)} {PUBLISHED_CHI2_TREND[i][0]} ({PUBLISHED_CHI2_TREND[i][1]}, "
        f"{PUBLISHED_CHI2_TREND[i][2]})"
        for i in indicators
        if i in PUBLISHED_CHI2_TREND
    ]
    if published:
        note += (
            f" {ZHONG_2023} reports χ²trend for Youxi's own counts and years: "
            + "; ".join(published)
            + ". They are not to be set against this table's: the statistic grows with the "
            "counts tested (a share of millions of visits moving a few points gives one in "
            "the thousands), and the study does not say which counts its test used."
        )
    return note


def _note_zh(results, indicators, years, pairs, counts) -> str:
    """:func:`_note` in Chinese."""
    note = (
        f"{COLUMNS_ZH[CHI2]}：Cochran–Armitage 线性趋势卡方检验，检验分子 / 分母在 "
        f"{years[0]}—{years[-1]} 年间的线性趋势（自由度 1，以年份为得分；同 R 的 "
        "`prop.trend.test`、Stata 的 `ptrend` 和 `ihms trend`），所用计数见表下。"
        f"{ZHONG_2023} 对其表4和表5作了此检验（χ²趋势）。{COLUMNS_ZH[DIRECTION]}：趋势的"
        "正负，无论 P 值大小。检验只说明变化是否可能出于偶然，不说明变化大小，也不说明"
        "变化是否由改革引起。"
    )
    if "hospitalization_rate" in indicators:
        note += (
            f"居民住院率按住院人次除以平均人口、作为比例检验（{ZHONG_2023} 以 % 列出）；"
            "同一居民的多次住院并不相互独立，故其 P 值即使有偏，也是偏小。"
        )
    for a, b in pairs:
        note += (
            f"{_name(results, a, 'zh')}与{_name(results, b, 'zh')}是同一总数的两个构成比，"
            "相加为 100%，故两者的检验是同一个检验，符号相反。"
        )
    if counts:
        names = "、".join(_name(results, i, "zh") for i in counts)
        note += f"{names}为计数而非比例，不作检验。"
    published = [
        f"{_name(results, i, 'zh')} {chi2}（{span.replace('-', '—')} 年，{p}）"
        for i in indicators
        if i in PUBLISHED_CHI2_TREND
        for chi2, span, p in [PUBLISHED_CHI2_TREND[i]]
    ]
    if published:
        note += (
            f"{ZHONG_2023} 报告了尤溪自身计数和年份的 χ²趋势：" + "；".join(published) + "。"
            "这些数字不宜与本表的值对比：统计量随所检验的计数增大（数百万诊疗人次中的构成比变动"
            "几个百分点，统计量即达数千），且该研究未说明其检验所用的是哪些计数。"
        )
    return note
