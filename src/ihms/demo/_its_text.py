"""The ITS section's words: the outcomes' names and units, numbers in prose, the fitted
terms of an interruption, and how the fits compare with seed 002's Table 3 — which is an
October 2017 interruption (:data:`ihms.sim.targets.REFORM_MONTH`), so a fit at another
reform month is not set beside it (:func:`not_compared`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.demo._payment_baseline import reform_payment
from ihms.payment.reform import is_reform, month_words
from ihms.sim.targets import MAGNITUDE_FACTOR, REFORM_MONTH, REFORM_TERMS, STUDY_WINDOW
from ihms.sources import ZHONG_2023
from ihms.stats import ITSResults
from ihms.summary import p_text

OUTCOMES = {
    "outpatient_emergency_visits": "Outpatient and emergency visits",
    "hospitalizations": "Hospitalizations",
    "cost_per_outpatient_visit": "Cost per outpatient visit (yuan)",
    "cost_per_hospitalization": "Cost per hospitalization (yuan)",
}
#: What one unit of each outcome is: the y axis of its panel.
UNITS = {
    "outpatient_emergency_visits": "visits a month",
    "hospitalizations": "hospitalizations a month",
    "cost_per_outpatient_visit": "yuan per visit",
    "cost_per_hospitalization": "yuan per hospitalization",
}


def terms(fit) -> tuple[str, str]:
    """The fit's level-change and slope-change terms (``_x2017m10``, ``_x_t2017m10``;
    ``_x2018m4``, ``_x_t2018m4`` for an April 2018 interruption), as the fit names them."""
    level = next(t for t in fit.params.index if t.startswith("_x") and not t.startswith("_x_t"))
    return level, "_x_t" + level[2:]


def fitted_months(fit) -> tuple[int, str, str]:
    """How many months the fit's series covers, its first and its last (``2016-02``):
    what the prose says of the data, read from the fit, so another series or config
    cannot leave it stale."""
    times = fit.design.times
    axis = fit.design.axis
    return len(times), axis.display(int(times[0])), axis.display(int(times[-1]))


def reform_intro(fit, *, reform: str, county: str, regime: str, baseline: str) -> str:
    """The section's opening: what the county's payment reform changed (``regime``'s
    rules), what it should do to the county hospitals, and the months ``fit`` covers; a
    run of the ``baseline`` regime is no reform (:func:`~ihms.payment.reform.is_reform`)."""
    count, first, last = fitted_months(fit)
    span = (
        f"{count} months of county-hospital activity ({month_words(first)} to {month_words(last)}"
    )
    design = (
        "with an interrupted time series, the design of the source study's Table 3 and Figure 2."
    )
    if (first, last) == STUDY_WINDOW:
        design += (
            f" These are the months {ZHONG_2023} fitted in its Table 3. The simulation runs "
            "whole years; the fit keeps the study's months."
        )
    if not is_reform(regime, baseline):
        return (
            f"{county} stays on {reform_payment(regime)}: its simulated county has no "
            "reform, so its county hospitals should show no break. This section tests that "
            f"on {span}, interrupted at {month_words(reform)}, where a reform would begin) "
            + design
        )
    return (
        f"{county}'s payment reform moved its medical-insurance fund from paying hospitals "
        f"per service to {reform_payment(regime)}. If that worked, the county hospitals "
        "should stop growing by drawing patients that primary care could treat. This "
        f"section tests that on {span}, reform from {month_words(reform)}) " + design
    )


def not_compared(reform: str) -> str:
    """Why fits interrupted at ``reform`` are not set beside seed 002's Table 3."""
    return (
        f"Table 3 of {ZHONG_2023} is fitted at Youxi's reform, {month_words(REFORM_MONTH)}; these "
        f"fits are interrupted at this county's, {month_words(reform)}, so their terms are "
        "not set beside the published ones."
    )


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def _change(x: float, up: str, down: str) -> str:
    return f"{up} {_fmt(x)}" if x >= 0 else f"{down} {_fmt(-x)}"


# Seed 002, Table 3: slope change (β3) of the county hospitals' costs after the reform.
SEED_COSTS = (
    f"{ZHONG_2023}, Table 3, found the cost per outpatient visit turning upward after the reform "
    "(β3 = 2.0 yuan a month, P < 0.001) and no significant change in the cost per "
    "hospitalization (β3 = 18.7, P = 0.083); it reads a higher cost per visit as heavier cases "
    "staying at the county hospitals."
)


def _significance(p: float) -> str:
    return p_text(p, alpha=0.05) + ("" if p < 0.05 else ", not significant at 5%")


#: How :func:`_against_seed` words a term beside seed 002's, by how they compare
#: (:func:`_ratio_kind`); ``what`` is said first.
AGAINST = {
    "what": "{sim}{unit} against Youxi's {seed}",
    "opposite": "{what}, the opposite sign",
    "times": "{what}, {ratio:.1f} times as large",
    "share": "{what}, {ratio:.0%} of it",
}


def _against_seed(row: pd.Series, unit: str = "", *, words: dict[str, str] = AGAINST) -> str:
    """One term beside seed 002's: '0.20 yuan against the seed's 2.0, a tenth of it'
    (``words``: :data:`AGAINST` in another language)."""
    sim, seed, ratio = float(row["simulated"]), float(row["seed"]), float(row["ratio"])
    digits = 2 if abs(seed) < 10 else 1
    what = words["what"].format(sim=_fmt(sim, digits), seed=_fmt(seed, digits), unit=unit)
    return words[_ratio_kind(ratio)].format(what=what, ratio=ratio)


def _ratio_kind(ratio: float) -> str:
    """How a fitted term compares with seed 002's (``ratio`` = fit / published): of the
    ``"opposite"`` sign, ``"times"`` as large (1 or more), or a ``"share"`` of it."""
    if ratio <= 0:
        return "opposite"
    return "times" if ratio >= 1 else "share"


def _costs(results: dict[str, ITSResults], seed: pd.DataFrame | None) -> str:
    """What the two cost series did at the reform, with their p-values, and how their
    slope changes compare with seed 002's (``seed``: :func:`~ihms.sim.targets.compare_its`
    of the fits; None when they are not set beside it)."""
    what = {
        "cost_per_outpatient_visit": "outpatient visit",
        "cost_per_hospitalization": "hospitalization",
    }
    parts = []
    for name, digits, level, p_level, slope, p_slope in _cost_changes(results):
        jump = "rose" if level >= 0 else "fell"
        trend = "rose" if slope >= 0 else "fell"
        parts.append(
            f"the cost per {what[name]} {jump} by {_fmt(abs(level), digits)} yuan at the reform "
            f"({_significance(p_level)}) and its monthly trend {trend} "
            f"by {_fmt(abs(slope), digits)} yuan ({_significance(p_slope)})"
        )
    if seed is None:
        return f"As for costs, {parts[0]}; {parts[1]}."
    verdicts = []
    for name, row, agreed, required, holds_zero in _cost_verdicts(seed):
        agrees = "agrees with Youxi's in sign and size" if agreed else "departs from it"
        if required:
            agrees += ", as the calibration required"
        if holds_zero:
            agrees += (
                f"; Youxi's own 95% interval, {_fmt(float(row['ci_low']), 1)} to "
                f"{_fmt(float(row['ci_high']), 1)}, holds zero"
            )
        verdicts.append(
            f"the cost per {what[name]}'s slope change here is {_against_seed(row, ' yuan')} ({agrees})"
        )
    return (
        f"As for costs, {parts[0]}; {parts[1]}. {SEED_COSTS} Set beside it, "
        f"{verdicts[0]}; {verdicts[1]}."
    )


def _cost_changes(results: dict[str, ITSResults]):
    """Each cost series' change at the reform: ``(series, decimals shown, level change,
    its p, slope change, its p)``."""
    for name, digits in (("cost_per_outpatient_visit", 2), ("cost_per_hospitalization", 1)):
        res = results[name]
        x, xt = terms(res)
        yield (
            name,
            digits,
            float(res.params[x]),
            float(res.pvalues[x]),
            float(res.params[xt]),
            float(res.pvalues[xt]),
        )


def _cost_verdicts(seed: pd.DataFrame):
    """Each cost series' slope change beside seed 002's: ``(series, its row of
    :func:`~ihms.sim.targets.compare_its`, whether it agrees, whether it agrees as the
    calibration requires, whether Youxi's own 95% interval holds zero)``."""
    for key, name in (
        ("ch_cost_per_visit_slope_change", "cost_per_outpatient_visit"),
        ("ch_cost_per_stay_slope_change", "cost_per_hospitalization"),
    ):
        row = seed.loc[key]
        agrees = bool(row["agrees"])
        holds_zero = float(row["ci_low"]) <= 0 <= float(row["ci_high"])
        yield name, row, agrees, agrees and bool(row["gated"]), holds_zero


def _seed_table(seed: pd.DataFrame) -> pd.DataFrame:
    frame = seed.assign(
        agreement=np.where(seed["agrees"], "yes", "departs"),
        checked=np.where(seed["gated"], "gated", "shown"),
    )
    frame = frame.set_index("figure")[
        ["seed", "ci_low", "ci_high", "simulated", "ratio", "agreement", "checked"]
    ]
    frame.index.name = f"term ({ZHONG_2023}, Table 3)"
    return frame.rename(
        columns={
            "seed": f"Youxi ({ZHONG_2023})",
            "ci_low": "Youxi 95% CI low",
            "ci_high": "Youxi 95% CI high",
            "simulated": "this fit",
            "ratio": "this fit / Youxi",
            "agreement": "same sign and size",
            "checked": "in the calibration",
        }
    )


#: Below this share of seed 002's pre-reform slope, its post-reform trend counts as flat.
FLAT_SHARE = 0.1


def _published_post_trends(seed: pd.DataFrame) -> pd.Series:
    """Seed 002's post-reform slope (β1 + β3 of Table 3) of each series in ``seed``."""
    slopes = seed[seed["term"].isin([REFORM_TERMS[0], REFORM_TERMS[2]])]
    # the published terms have one decimal; rounding drops the float sum's noise (-0.2, not
    # -0.200000000000003)
    return slopes.groupby("series", sort=False)["seed"].sum().round(6)


def _opposed_trends(
    results: dict[str, ITSResults], seed: pd.DataFrame
) -> list[tuple[str, float, float]]:
    """The series whose fitted post-reform slope (β1 + β3) runs against seed 002's, where
    Youxi's is not flat (at least :data:`FLAT_SHARE` of its pre-reform slope in size):
    ``(series, fitted slope, Youxi's slope)`` each."""
    published = _published_post_trends(seed)
    pre = seed[seed["term"] == "_t"].set_index("series")["seed"]
    opposed = []
    for name, youxi in published.items():
        params = results[name].params
        fit = float(params["_t"] + params[terms(results[name])[1]])
        flat = abs(youxi) < FLAT_SHARE * abs(pre[name])
        if not flat and np.sign(fit) != np.sign(youxi):
            opposed.append((name, fit, float(youxi)))
    return opposed


def _post_trends(results: dict[str, ITSResults], seed: pd.DataFrame) -> str:
    """The post-reform slopes (β1 + β3) that run against a trend seed 002 found in Youxi
    (one not flat: at least :data:`FLAT_SHARE` of its pre-reform slope in size)."""
    parts = []
    for name, fit, youxi in _opposed_trends(results, seed):
        unit = " yuan" if name.startswith("cost") else ""
        parts.append(
            f"{OUTCOMES[name].split(' (')[0].lower()} {'fall' if fit < 0 else 'rise'} by "
            f"{_fmt(abs(fit))}{unit} a month, where {ZHONG_2023}'s estimates give Youxi "
            f"{youxi:+,.1f}"
        )
    if not parts:
        return ""
    return (
        " After the reform the trend itself (β1 + β3) runs the other way: " + "; ".join(parts) + "."
    )


def _seed_prose(results: dict[str, ITSResults], seed: pd.DataFrame, simulated: bool) -> str:
    """How many Table 3 terms these fits reproduce, every one they miss, and any
    post-reform trend that runs against seed 002's."""
    data = "simulated county" if simulated else "synthetic series"
    head = (
        f"Against the source study: on {int(seed['agrees'].sum())} of {ZHONG_2023}'s {len(seed)} "
        f"Table 3 terms the {data}'s fits have the published sign and lie within a factor of "
        f"{MAGNITUDE_FACTOR:.2f} (√10) of the published value (the table below; the "
        "slope changes are the calibration's gated figures, the other terms are shown)."
    )
    off = seed[~seed["agrees"].astype(bool)]
    trends = _post_trends(results, seed)
    if off.empty and not trends:
        return head
    missed = "; ".join(f"{row['figure']}: {_against_seed(row)}" for _, row in off.iterrows())
    return (
        head
        + (f" They depart on {len(off)}: {missed}." if missed else "")
        + trends
        + f" Those differences are the {data}'s, not Youxi's: read the figures for them as "
        "the model's, not as estimates of the reform's effect."
    )


def _stays_after(post: pd.Series, slope_change: float) -> str:
    """The hospitalizations' post-reform slope in words, as its confidence interval allows."""
    kind = _stays_kind(post, slope_change)
    if kind == "unclear":
        return (
            "the post-reform slope cannot be told from zero, so the data do not say whether "
            "they still rise, level off or fall"
        )
    if kind == "falling":
        direction = "now falling"
    else:
        direction = "still rising" + (", more slowly than before" if kind == "slower" else "")
    return f"they are {direction} (the post-reform slope differs from zero, {p_text(float(post['p']))})"


def _stays_kind(post: pd.Series, slope_change: float) -> str:
    """What the post-reform slope ``post`` (coef, ci_low, ci_high) shows: ``"unclear"``
    when its interval holds zero (which does not show a flat trend: "growth stopped"
    said so), else ``"slower"`` (rising, more slowly than before), ``"rising"`` or
    ``"falling"``."""
    if post["ci_low"] <= 0 <= post["ci_high"]:
        return "unclear"
    if post["coef"] > 0:
        return "slower" if slope_change < 0 else "rising"
    return "falling"


def _seed_visits(visits: ITSResults) -> str:
    """Seed 002's finding for the visits, said to agree only when this fit agrees: a
    rising pre-reform slope and a significant fall in it."""
    found = (
        "growth before the reform (β1 = +578.3 visits a month) and a fall in the slope "
        "after it (β3 = −459.9)"
    )
    if _as_found(visits):
        return (
            f"{ZHONG_2023}, Table 3, found {found} at Youxi's county hospitals, and this fit "
            "shows the same change of slope — as it should: the simulator was tuned to "
            "Youxi's slope changes (see 'Calibration'), so the match checks the tuning and "
            "is no independent evidence."
        )
    return (
        f"{ZHONG_2023}, Table 3, found {found} at Youxi's county hospitals; these series do not "
        "show that pattern."
    )


def _as_found(visits: ITSResults) -> bool:
    """Whether the visits' fit shows seed 002's pattern: a rising pre-reform slope and a
    significant fall in it."""
    xt = terms(visits)[1]
    slope, change = float(visits.params["_t"]), float(visits.params[xt])
    return slope > 0 and change < 0 and float(visits.pvalues[xt]) < 0.05
