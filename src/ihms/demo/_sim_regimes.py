"""The regime comparison's helpers for the simulation step's "ways to pay" section: the
runs' size and reform month in words, the pre-reform baseline against the whole county,
Deqing's run beside seed 004, and what each settlement leaves the consortium."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ihms.payment import rules_label
from ihms.payment.reform import month_words, month_zh
from ihms.report import Section
from ihms.sim._codes import regime_rules
from ihms.sim._intervals import interval
from ihms.sim.compare import COMPARED
from ihms.sources import JIA_2021, ZHONG_2023

__all__ = [
    "baseline_text",
    "deqing_beside_seed",
    "kept_by_regime",
    "money_share",
    "money_share_words",
    "reform_date",
    "reform_text",
    "regime_run_note",
    "regimes_title",
    "run_figures",
    "run_size",
    "run_tag",
    "unrounded_change_note",
    "ways_zh",
    "whole_county_note",
    "years_text",
]


def run_size(comparison, *, lang: str = "en") -> str:
    """The compared runs' residents ever present (their N row), e.g. ``"20,877"`` — more
    than the size asked for (:data:`COMPARE_RESIDENTS`), since residents move in and are
    born over the years; a range if the runs differ (``"20,877 to 21,002"``, in Chinese
    ``"20,877 至 21,002"``)."""
    sizes = sorted({run.residents for run in comparison.runs.values()})
    to = " 至 " if lang == "zh" else " to "
    return f"{sizes[0]:,}" if len(sizes) == 1 else f"{sizes[0]:,}{to}{sizes[-1]:,}"


def money_share(comparison) -> float:
    """What the compared runs' money is of Youxi's: the share of the county's population
    each run simulates (its :attr:`~ihms.sim.population.PopulationPlan.scale`, the size
    asked over the county file's first-year population; 20,000 of 358,000 is 0.056)."""
    return float(next(iter(comparison.runs.values())).plan.scale)


def money_share_words(share: float, *, lang: str = "en") -> str:
    """A :func:`money_share` as a percentage to 0.1: ``"5.6 %"`` (``"5.6%"``).

    >>> money_share_words(20_000 / 358_000), money_share_words(20_000 / 358_000, lang="zh")
    ('5.6 %', '5.6%')
    """
    return f"{100 * share:.1f}%" if lang == "zh" else f"{100 * share:.1f} %"


def reform_date(comparison) -> str:
    """The reform month of the compared runs' config (``"2017-10"``)."""
    return str(next(iter(comparison.runs.values())).config.reform.date)


def reform_text(comparison, *, lang: str = "en") -> str:
    """``"from October 2017"`` (``"自 2017 年 10 月起"``): the compared runs' reform month,
    from their config."""
    if lang == "zh":
        return f"自 {month_zh(reform_date(comparison))}起"
    return f"from {month_words(reform_date(comparison))}"


def years_text(comparison, *, lang: str = "en") -> str:
    """The compared years: ``"2016-2019"`` (``"2016—2019 年"``)."""
    years = comparison.frame["year"]
    if lang == "zh":
        return f"{int(years.min())}—{int(years.max())} 年"
    return f"{int(years.min())}-{int(years.max())}"


def baseline_text(comparison, whole, *, lang: str = "en") -> str:
    """The first compared year, when it is before the reform year: the runs'
    hospitalization rate beside the whole county's, the gap judged by the runs' 95 %
    interval (exact Poisson, from the comparison's counts); in ``lang``."""
    first = int(comparison.frame["year"].min())
    value = (whole or {}).get(f"hospitalization_rate_{first}")
    if value is None or comparison.counts is None or first >= int(reform_date(comparison)[:4]):
        return ""
    counts = comparison.counts
    rows = counts[(counts["year"] == first) & (counts["indicator"] == "hospitalization_rate")]
    runs = [
        (float(r.value), *interval("hospitalization_rate", r.numerator, r.denominator))
        for r in rows.itertuples()
        if np.isfinite(r.value)
    ]
    if not runs:
        return ""
    same = len({(round(v, 2), round(lo, 2), round(hi, 2)) for v, lo, hi in runs}) == 1
    inside = [lo <= value <= hi for _, lo, hi in runs]
    if lang == "zh":
        spread = (min(v for v, _, _ in runs), max(v for v, _, _ in runs))
        return _baseline_zh(
            comparison, first, value, runs[0] if same else spread, inside, same=same
        )
    if same:
        v, lo, hi = runs[0]
        shown = f"every run has {v:.2f} (95 % interval {lo:.2f}–{hi:.2f})"
    else:
        values = [v for v, _, _ in runs]
        shown = f"the runs have {min(values):.2f} to {max(values):.2f}"
    where = (
        f"{'inside' if all(inside) else 'outside'} the runs' 95 % "
        + ("interval" if same else "intervals")
        if all(inside) or not any(inside)
        else f"inside the 95 % intervals of {sum(inside)} of the {len(runs)} runs"
    )
    head = (
        f"In {first}, before any reform, {shown} admissions per 100 residents against "
        f"{value:.2f} for the whole simulated county, which lies {where}"
    )
    if all(inside):
        return head + (
            f": a gap of that size between runs of {run_size(comparison)} residents and the "
            "county is sampling, not payment, and the regimes' own gaps are to be read "
            "against it (the tables below give counts and 95 % intervals)."
        )
    return head + (
        ": the gap is wider than that interval allows for. The interval treats admissions "
        "as independent, which they are not (they cluster within residents), so part of "
        f"the gap may still be chance, but the runs of {run_size(comparison)} residents may "
        "also differ from the county in more than chance; read the regimes' own gaps with "
        "that in mind (the tables below give counts and 95 % intervals)."
    )


def _baseline_zh(
    comparison, first: int, value: float, shown_runs: tuple, inside, *, same: bool
) -> str:
    """:func:`baseline_text` in Chinese, from the figures it computed: ``shown_runs`` is
    the runs' one rate and its interval when they share them (``same``), else their
    lowest and highest rate; ``inside`` whether the county's rate lies in each run's
    interval."""
    if same:
        rate, low, high = shown_runs
        shown = f"各次模拟的居民住院率均为每百居民 {rate:.2f} 人次（95% 置信区间 {low:.2f}～{high:.2f}）"
    else:
        shown = f"各次模拟的居民住院率为每百居民 {shown_runs[0]:.2f} 至 {shown_runs[1]:.2f} 人次"
    if all(inside) or not any(inside):
        where = f"位于各次模拟的 95% 置信区间之{'内' if all(inside) else '外'}"
    else:
        where = f"位于 {len(inside)} 次模拟中 {sum(inside)} 次的 95% 置信区间之内"
    size = run_size(comparison, lang="zh")
    head = f"{first} 年尚未改革，{shown}，而整个模拟县为 {value:.2f}，{where}"
    if all(inside):
        return head + (
            f"：{size} 名居民的模拟与全县之间这样大小的差距来自抽样，而非支付方式；各支付方式"
            "之间的差距应以此为参照来解读（下表给出计数和 95% 置信区间）。"
        )
    return head + (
        "：差距超出了该区间所能解释的范围。该区间假定各次住院相互独立，而实际并非如此（住院在"
        f"居民内部聚集），故部分差距仍可能出于偶然；但 {size} 名居民的模拟与全县之间也可能存在"
        "偶然以外的差异。解读各支付方式之间的差距时应考虑到这一点（下表给出计数和 95% 置信区间）。"
    )


def deqing_beside_seed(section: Section, run, *, lang: str = "en") -> None:
    """Deqing's run beside the shares seed 004 reports for Deqing county: shown, since
    ``regimes.deqing`` is assumed, not tuned; in ``lang``."""
    from ihms.sim._words_zh import in_zh
    from ihms.sim.seed004 import seed_004_comparison

    seed = seed_004_comparison(run)
    row = seed.frame.set_index("indicator").loc["inpatient_outside_county_share"]
    agree = sum(bool(v) for v in seed.frame["same_direction"])
    if lang == "zh":
        section.text(
            f"{JIA_2021} 报告，随着德清县医共体启动，德清县县外住院占比在 2016 年至 2018 年间从 "
            f"{row['seed_before']:.1f}% 降至 {row['seed_after']:.1f}%；在本县的德清模拟中，该占比"
            f"从 2016 年的 {row['simulated_before']:.1f}% 变为 2018 年的 "
            f"{row['simulated_after']:.1f}%。{JIA_2021} 给出的三个占比中，有 {agree} 个的变化方向"
            "与德清县一致。配置中的德清行为参数是假设值，并未按这些数据调参，且所模拟的县是尤溪"
            "而非德清：此表仅作对照，不作校准。"
        )
    else:
        section.text(
            f"{JIA_2021} reports for Deqing county that the share of inpatient care outside the "
            f"county fell from {row['seed_before']:.1f} % to {row['seed_after']:.1f} % between "
            "2016 and 2018, as its CIHO began; in the Deqing run of this county it goes from "
            f"{row['simulated_before']:.1f} % in 2016 to {row['simulated_after']:.1f} % in 2018. "
            f"Of the three shares {JIA_2021} gives, {agree} move in the direction Deqing's did. The "
            "Deqing behaviour in the config is an assumption, not tuned to these figures, and "
            "the county is Youxi's, not Deqing's: the table shows, it does not calibrate."
        )
    summary = in_zh(seed.summary(), lang)
    notes = (*summary.notes, *unrounded_change_note(seed.frame, lang=lang))
    if lang == "zh":  # the county by its Chinese name (the library's note keeps the file's)
        said = f"（{run.system.name}）"
        notes = tuple(n.replace(said, f"（{run.system.name_zh}）") for n in notes)
    section.table("sim_deqing_beside_jia_2021", dataclasses.replace(summary, notes=notes))


def unrounded_change_note(frame: pd.DataFrame, *, lang: str = "en") -> tuple[str, ...]:
    """Where a simulated change, the difference of the exact shares (as Stata or Excel
    computes it), is not the difference of the two shares as shown to 0.1: said, with
    the row (user review 24, item 17: 23.0 − 18.4 shown as −4.5); in ``lang``."""
    from ihms.sim._words_zh import said_cell

    zh = lang == "zh"
    rows = []
    for r in frame.itertuples():
        before, after, change = r.simulated_before, r.simulated_after, r.simulated_change
        if not np.isfinite(change):
            continue
        if round(round(after, 1) - round(before, 1), 1) != round(change, 1):
            rows.append(
                f"{said_cell(r.figure)}：{after:.4f} − {before:.4f} = {change:.4f}，显示为 {change:.1f}"
                if zh
                else f"{r.figure}: {after:.4f} − {before:.4f} = {change:.4f}, shown as {change:.1f}"
            )
    if not rows:
        return ()
    if zh:
        return (
            "模拟变化：未经舍入的占比之差（与 Stata 或 Excel 的算法相同），因此可能与所示"
            f"舍入后占比之差相差 0.1（{'；'.join(rows)}）。",
        )
    return (
        "Simulated change: the difference of the unrounded shares, as Stata or Excel "
        "computes it, so it can differ by 0.1 from the difference of the rounded shares "
        f"shown ({'; '.join(rows)}).",
    )


def kept_by_regime(comparison, *, lang: str = "en") -> pd.DataFrame:
    """What each year's settlement leaves the consortium (yuan) by regime: its balance,
    Deqing's shared savings; headers in ``lang``."""
    from ihms.sim._words_zh import regime_zh

    zh = lang == "zh"
    columns = {}
    for regime, recs in comparison.settlements.items():
        if not recs:
            continue
        label = regime_zh(regime) if zh else rules_label(regime_rules(regime))
        key, what = (
            ("shared_savings_fen", "结余分成" if zh else "shared savings")
            if regime == "deqing"
            else ("balance_fen", "结余" if zh else "balance")
        )
        header = f"{label}：{what}" if zh else f"{label}: {what}"
        columns[header] = {y: rec.headline()[key] / 100 for y, rec in recs.items()}
    frame = pd.DataFrame(columns)
    frame.index.name = "年份" if zh else "year"
    return frame


_SHARE = COMPARED["outpatient_contacts_primary_share"]
_HOSP = COMPARED["hospitalization_rate"]


_COUNT = {2: "Two", 3: "Three", 4: "Four"}
_COUNT_ZH = {2: "两", 3: "三", 4: "四"}


def ways_zh(comparison) -> str:
    """How many regimes are compared, as Chinese counts them (``"四"``)."""
    count = len(comparison.runs)
    return str(_COUNT_ZH.get(count, count))


def regimes_title(comparison, *, lang: str = "en") -> str:
    """The regimes section's title: ``"Four ways to pay the same county"``
    (``"同一个县的四种支付方式"``)."""
    count = len(comparison.runs)
    if lang == "zh":
        return f"同一个县的{ways_zh(comparison)}种支付方式"
    return f"{_COUNT.get(count, count)} ways to pay the same county"


def run_tag(comparison, *, lang: str = "en") -> str:
    """``"(20,877-resident run)"`` (``"（20,877 名居民的模拟）"``): the tag a regime run's
    figure carries wherever it is quoted, so it is not read as the whole county's (user
    review 24, item 11)."""
    if lang == "zh":
        return f"（{run_size(comparison, lang=lang)} 名居民的模拟）"
    return f"({run_size(comparison)}-resident run)"


def run_figures(comparison, regime: str, year: int) -> tuple[float, float] | None:
    """The ``regime`` run's primary-care share (%) and hospitalization rate in ``year``;
    None when the comparison has no such run or year."""
    if comparison is None or regime not in comparison.runs:
        return None
    if year not in set(comparison.frame["year"].astype(int)):
        return None
    wide = comparison.wide(year)
    return float(wide.loc[_SHARE, regime]), float(wide.loc[_HOSP, regime])


def whole_county_note(whole, year: int, *, lang: str = "en") -> str:
    """The whole simulated county's primary-care share and hospitalization rate in
    ``year`` (``whole``: the calibration's measured figures by target key), named as the
    other source of the same indicators for the regimes' tables; empty without them."""
    share = (whole or {}).get(f"outpatient_contacts_primary_share_{year}")
    rate = (whole or {}).get(f"hospitalization_rate_{year}")
    if share is None or rate is None:
        return ""
    if lang == "zh":
        return (
            f"整个模拟县 {year} 年的诊疗人次基层占比为 {share:.2f}%，居民住院率为 {rate:.2f}"
            f"（见“住院率和诊疗人次”一节，对应 {ZHONG_2023} 表4）：这些模拟是它的较小样本，故数值不同。"
        )
    return (
        f"The whole simulated county has a primary-care share of {share:.2f} % and a "
        f"hospitalization rate of {rate:.2f} in {year} ('Hospitalization and outpatient "
        "contacts', Table 4): these runs are smaller samples of it, so their figures differ."
    )


def regime_run_note(comparison, simulation, *, lang: str = "en") -> tuple[str, ...]:
    """For the whole county's Table 4: the same two indicators in the comparison's run
    of the simulation's own regime in the last year compared, named as the other
    figure's source; none without that run. ``lang``: ``"en"`` or ``"zh"``."""
    if comparison is None or simulation is None:
        return ()
    year = int(comparison.frame["year"].max())
    figures = run_figures(comparison, str(getattr(simulation, "regime", "")), year)
    if figures is None:
        return ()
    share, rate = figures
    if lang == "zh":
        return (
            f"“{regimes_title(comparison, lang=lang)}”一节给出 {year} 年的 {share:.2f}% 和 "
            f"{rate:.2f}{run_tag(comparison, lang=lang)}：那是同一支付方式下 "
            f"{run_size(comparison, lang=lang)} 名居民的一次模拟，是本县的一个样本，"
            "不是这里的计数。",
        )
    return (
        f"'{regimes_title(comparison)}' gives {share:.2f} % and {rate:.2f} for {year} "
        f"{run_tag(comparison)}: one run of {run_size(comparison)} residents under the "
        "same regime, a sample of this county, not these counts.",
    )
