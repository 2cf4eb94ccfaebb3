"""The published figures the simulated county is held to (Zhong et al. 2023, Tables 3-5), and the
rules that judge a simulated value against one.

Each :class:`Target` names where its figure comes from and how it is measured (a yearly
indicator of the county, or a term of the ITS of the county hospitals' monthly series);
:func:`meets` applies a rule; :func:`compare_its` sets ITS fits beside Table 3.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.payment.reform import month_words, month_zh
from ihms.sources import ZHONG_2023

__all__ = [
    "MAGNITUDE_FACTOR",
    "REFORM_MONTH",
    "RELATIVE_TOLERANCE",
    "STUDY_WINDOW",
    "TARGETS",
    "Target",
    "compare_its",
    "compared_targets",
    "left_out_reason",
    "meets",
]

Rule = Literal["relative", "sign_magnitude", "shown"]
RELATIVE_TOLERANCE = 0.10
MAGNITUDE_FACTOR = math.sqrt(10.0)


@dataclass(frozen=True)
class Target:
    """One published figure the simulation must reproduce.

    ``indicator`` and ``year`` name a yearly catalogue indicator (in its units: % for
    rates); ``its`` names an ITS term ``(series, term)`` of the county hospitals' monthly
    series instead, with the published 95 % confidence interval ``ci``. A count
    (``scaled``) is multiplied by the run's scale and divided by ``per`` (Zhong et al. 2023 prints
    visits in 10,000s). ``tier`` measures the yearly indicator at that tier of the study
    county (``secondary``: its county hospitals) rather than over the county. ``note`` says
    why the model may depart from the figure; the report prints it when it does. ``fit``
    has the tuning fit a shown figure all the same (at half weight).
    """

    key: str
    label: str
    value: float
    source: str
    rule: Rule = "relative"
    indicator: str | None = None
    year: int | None = None
    its: tuple[str, str] | None = None
    ci: tuple[float, float] | None = None
    scaled: bool = False
    per: float = 1.0
    tier: str | None = None
    note: str | None = None
    fit: bool = False

    @property
    def last_month(self) -> str:
        """The last month (``YYYY-MM``) the figure describes: December of a yearly
        figure's year; for a Table 3 term, the month before Youxi's reform for the
        pre-reform slope (β1, the trend of February 2016 - September 2017), else the
        study window's last month (the level and slope changes are of the months from
        the reform on)."""
        if self.its is None:
            return f"{self.year}-12"
        if self.its[1] == REFORM_TERMS[0]:
            return _month_before(REFORM_MONTH)
        return STUDY_WINDOW[1]

    @property
    def fitted(self) -> bool:
        """Whether ``ihms sim calibrate --tune`` fits the figure (``ihms.sim.tune``):
        every gated figure, at weight 1, and, at weight ½, a shown ITS term whose
        published 95 % interval excludes zero (an effect the study established) and a
        shown figure marked ``fit``. The others are held out: only their agreement is
        evidence beyond the fit."""
        if self.rule != "shown" or self.fit:
            return True
        return self.ci is not None and (self.ci[0] > 0 or self.ci[1] < 0)

    @property
    def check(self) -> Literal["relative", "sign_magnitude"]:
        """The rule of the figure's kind, applied to gated and shown figures alike."""
        return "relative" if self.its is None else "sign_magnitude"


def _yearly(
    ind: str,
    label: str,
    values: dict[int, float],
    source: str,
    gated: set[int],
    notes: dict[int, str] | None = None,
    **options: Any,
) -> list[Target]:
    return [
        Target(
            f"{ind}_{y}",
            f"{label} {y}",
            v,
            source,
            "relative" if y in gated else "shown",
            indicator=ind,
            year=y,
            note=(notes or {}).get(y),
            **options,
        )
        for y, v in values.items()
    ]


def _its_terms(
    prefix: str,
    series: str,
    label: str,
    *terms: tuple[float, float, float],
    notes: dict[str, str] | None = None,
) -> list[Target]:
    """The three Table 3 terms of one series, each ``(estimate, ci_low, ci_high)``:
    pre-reform slope and level change shown, slope change gated by sign and magnitude."""
    names = ("pre_slope", "level_change", "slope_change")
    labels = ("pre-reform slope", "level change", "slope change")
    return [
        Target(
            f"{prefix}_{name}",
            f"{label}: {what}",
            value,
            f"{ZHONG_2023}, Table 3",
            "sign_magnitude" if term == "_x_t2017m10" else "shown",
            its=(series, term),
            ci=(low, high),
            note=(notes or {}).get(name),
        )
        for name, what, term, (value, low, high) in zip(
            names, labels, REFORM_TERMS, terms, strict=True
        )
    ]


# seed 002: IMPM from October 2017; Table 3's terms are those of that interruption.
REFORM_MONTH = "2017-10"
# seed 002's Table 3 is fitted on February 2016 - November 2019 (T = 1 ... 46)
STUDY_WINDOW = ("2016-02", "2019-11")
REFORM_TERMS = ("_t", "_x2017m10", "_x_t2017m10")


def _month_before(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if m == 1 else f"{year}-{m - 1:02d}"


_IN_2017 = (
    "IMPM began in October 2017, so the model's reform acts on the last quarter of 2017 "
    f"only; {ZHONG_2023}'s 2017 figure already moved more than half of the way to 2019's and "
    "fell back in 2018, a path the model's smooth response to the reform does not follow"
)

_MIX_ONLY = (
    "the model sets no prices over time before the reform (each tier's price is fixed; "
    "severity and length of stay scale it), so the county hospitals' cost per visit moves "
    "before the reform only with their case mix"
)
# The rise of d yuan a month is 0 in the reform's month, d / 3 and d in the next two under
# Youxi's three-month ramp, then d (m - r - 1) (ihms.sim.regime.Behaviour), so the 26
# months from 2017-10 to 2019-11 lie on the line -d + d k (k = m - r) but for the first
# two (d and d / 3 above it): the least-squares line through them starts at
# -d (1 - 17/117 - 16/351) = -284/351 d = -0.8091 d, slope 8677/8775 d = 0.9888 d
# (tests/sim/test_price_ramp_note.py works it and fits it); at the committed 1.3964 yuan
# a month, -1.13 and +1.38. The level change is the case mix's less 0.81 d, not the case
# mix's alone (session 35's review, A6).
_PRICE_RAMP = (
    "the model sets no prices over time before the reform; under it the county hospitals' "
    "outpatient price rises by the tuned drift d yuan a month from 0 in the reform's month, "
    "but over Youxi's three-month ramp it stays below the line of the months after, so it "
    "lowers this level change by about 0.81 d (1.13 yuan at the committed 1.40 yuan a "
    "month); the rest of the level change is their case mix's"
)
_STAYS_BEFORE = (
    f"{ZHONG_2023} could not tell this trend from zero (95 % CI -10.6 to 23.4, P = 0.451), so "
    "its sign and size are no firm target; the model prices a stay by fixed daily rates, "
    "so its cost moves only with the county hospitals' case mix"
)
_STAYS_AT_REFORM = (
    "in the model the county hospitals admit fewer patients at the reform only by admitting "
    "fewer mild and moderate cases, so the stays left are heavier and dearer; in Youxi "
    "admissions fell by 286 a month with no significant change in the cost per stay (95 % "
    "CI -168.1 to 368.7)"
)

# Table 4's "number of healthcare outpatient visits" is the county's 诊疗人次 (every
# outpatient contact) by its arithmetic: 134.2 and 254.6 (10,000s) over about 358,000 and
# 363,000 residents are 3.75 and 7.0 a resident, China's order of all visits; 49.2 % x
# 134.2 (10,000s) = 660,264 county-hospital visits in 2016, 55,022 a month, and Table 3's
# terms (578.3, -2470.3, -459.9 a month, itsa coding) carry that level to 767,311 in 2019
# against Table 4's 30.8 % x 254.6 = 784,168 (ratio 0.979).
_CH_LEVEL = (
    f"{ZHONG_2023} print no level of this series: 55,022 is Table 4 read as 诊疗人次, the "
    "county hospitals' 49.2 % of 134.2 (10,000s) in 2016 over 12 months, which counts "
    "their chronic follow-ups and health examinations too, as the model's figure (their "
    "outpatient contacts) does"
)

TARGETS: tuple[Target, ...] = (
    # seed 002, Table 4: hospitalization rate 17.0, 16.8, 15.8, 16.3 (2016-2019), printed
    # there as "%"; it is admissions per 100 residents (one resident may be admitted twice).
    *_yearly("hospitalization_rate", "Hospitalization rate (admissions per 100 residents)",
             {2016: 17.0, 2017: 16.8, 2018: 15.8, 2019: 16.3}, f"{ZHONG_2023}, Table 4", {2016, 2019}),
    # seed 002, Table 4: number of healthcare outpatient visits (10k) 134.2, 202.3, 190.6,
    # 254.6 — a yearly count for the whole county (DOMAIN.md section 6: 1.342M -> 2.546M),
    # its 诊疗人次 (the comment above _CH_LEVEL): every outpatient contact.
    *_yearly("outpatient_contacts", "Outpatient contacts per year (10,000s)",
             {2016: 134.2, 2017: 202.3, 2018: 190.6, 2019: 254.6}, f"{ZHONG_2023}, Table 4",
             {2016, 2019}, {2017: _IN_2017, 2018: _IN_2017}, scaled=True, per=1e4),
    # seed 002, Table 4: proportion of healthcare visits in primary care (%) 50.8, 63.0,
    # 60.8, 69.2, of the same contacts. The Results text gives 68.5 % for 2019, a misprint:
    # its own 1.762 million of 2.546 million is 176.2 / 254.6 = 69.2 %, the table's figure.
    *_yearly("outpatient_contacts_primary_share", "Primary-care share of outpatient contacts (%)",
             {2016: 50.8, 2017: 63.0, 2018: 60.8, 2019: 69.2}, f"{ZHONG_2023}, Table 4", {2016, 2019},
             {2017: _IN_2017, 2018: _IN_2017}),
    # The county hospitals' 2016 monthly outpatient contacts beside 49.2 % x 1,342,000 / 12
    # = 55,022 (Tables 3 and 4): shown (a derived figure, not printed), but fitted at half
    # weight, so the series fitted to Table 3 stands on Youxi's level. Like with like since
    # 2026-11-27: Table 4's share counts their 诊疗人次, so the simulated figure is their
    # outpatient_contacts (chronic follow-ups and health examinations with the outpatient
    # and emergency visits), not the outpatient and emergency visits alone.
    Target("ch_visits_month_2016", "CH outpatient contacts per month 2016", 55022.0,
           f"{ZHONG_2023}, Table 4", "shown", indicator="outpatient_contacts",
           year=2016, scaled=True, per=12.0, tier="secondary", note=_CH_LEVEL, fit=True),
    # seed 002, Table 5 (2017, 2018, 2019).
    *_yearly("hypertension_management_rate", "Hypertension standardized management (%)",
             {2017: 69.9, 2018: 78.4, 2019: 81.5}, f"{ZHONG_2023}, Table 5", {2017, 2018, 2019}),
    *_yearly("hypertension_control_rate", "Hypertension control (%)",
             {2017: 65.8, 2018: 71.8, 2019: 68.4}, f"{ZHONG_2023}, Table 5", {2017, 2018, 2019}),
    *_yearly("diabetes_management_rate", "Diabetes standardized management (%)",
             {2017: 71.3, 2018: 76.9, 2019: 78.3}, f"{ZHONG_2023}, Table 5", {2017, 2018, 2019}),
    *_yearly("diabetes_control_rate", "Diabetes control (%)",
             {2017: 65.0, 2018: 65.9, 2019: 72.5}, f"{ZHONG_2023}, Table 5", {2017, 2018, 2019}),
    # seed 002, Table 3: ITS of the county hospitals, per month, estimate (95 % CI):
    # beta1 pre-reform slope, beta2 level change, beta3 slope change.
    # Outpatient and emergency visits: 578.3 (462.5 to 694.1), -2470.3 (-4572.9 to -367.7),
    # -459.9 (-596.5 to -323.3).
    *_its_terms("ch_visits", "outpatient_emergency_visits", "CH outpatient+emergency visits",
                (578.3, 462.5, 694.1), (-2470.3, -4572.9, -367.7), (-459.9, -596.5, -323.3)),
    # Hospitalizations: 17.9 (11.7 to 24.2), -286.0 (-406.8 to -165.1), -18.1 (-26.8 to -9.4).
    *_its_terms("ch_admissions", "hospitalizations", "CH hospitalizations",
                (17.9, 11.7, 24.2), (-286.0, -406.8, -165.1), (-18.1, -26.8, -9.4)),
    # Cost of outpatient and emergency patients per time (yuan): -0.9 (-1.3 to -0.4),
    # 15.9 (4.3 to 27.5), 2.0 (1.1 to 2.9).
    *_its_terms("ch_cost_per_visit", "cost_per_outpatient_visit",
                "CH cost per outpatient visit (yuan)",
                (-0.9, -1.3, -0.4), (15.9, 4.3, 27.5), (2.0, 1.1, 2.9),
                notes={"pre_slope": _MIX_ONLY, "level_change": _PRICE_RAMP}),
    # Cost of hospitalization per time (yuan): 6.4 (-10.6 to 23.4), 100.1 (-168.1 to
    # 368.7), 18.7 (-2.5 to 39.9); P = 0.451, 0.456, 0.083, none significant at 5 %.
    *_its_terms("ch_cost_per_stay", "cost_per_hospitalization",
                "CH cost per hospitalization (yuan)",
                (6.4, -10.6, 23.4), (100.1, -168.1, 368.7), (18.7, -2.5, 39.9),
                notes={"pre_slope": _STAYS_BEFORE, "level_change": _STAYS_AT_REFORM}),
)  # fmt: skip


def compared_targets(reform: str) -> tuple[tuple[Target, ...], tuple[Target, ...]]:
    """The figures of :data:`TARGETS` that test a run whose reform begins in ``reform``
    (``YYYY-MM``), and those left out, each in :data:`TARGETS`' order.

    Every figure when ``reform`` is Youxi's month (:data:`REFORM_MONTH`). Otherwise Zhong
    et al. 2023's figures from Youxi's reform on were produced under it, and the run's from its
    own reform on under another, so only a figure whose :attr:`Target.last_month` lies
    before both is compared: with a later reform, Table 4's 2016 figures and Table 3's
    pre-reform slopes; with a reform in 2017 before October, Table 4's 2016 figures;
    with one in 2016, none.

    >>> [len(t) for t in compared_targets("2018-07")]
    [8, 29]
    """
    if reform == REFORM_MONTH:
        return TARGETS, ()
    before = min(reform, REFORM_MONTH)  # both written YYYY-MM, so text order is time order
    compared = tuple(t for t in TARGETS if t.last_month < before)
    return compared, tuple(t for t in TARGETS if t.last_month >= before)


def left_out_reason(reform: str, *, lang: str = "en") -> str | None:
    """Why :func:`compared_targets` leaves figures out for a reform in ``reform``, in one
    sentence in ``lang`` (``"en"`` or ``"zh"``); None when it leaves none (Youxi's own
    month)."""
    if reform == REFORM_MONTH:
        return None
    compared, _ = compared_targets(reform)
    first = min(reform, REFORM_MONTH)
    its = any(t.its is not None for t in compared)
    if lang == "zh":
        which = ["表4的 2016 年指标"] if compared else []
        if its:
            which.append(
                f"表3按 {ZHONG_2023} 的方法、以 {month_zh(REFORM_MONTH)}为中断点拟合的改革前斜率"
            )
        return (
            f"本次运行的改革始于 {month_zh(reform)}，尤溪的改革始于 {month_zh(REFORM_MONTH)}"
            f"（{ZHONG_2023}）：{ZHONG_2023} 中此后各月的数据产生于尤溪的改革之下，不能检验另一项"
            f"改革，故只比较 {month_zh(first)}之前、即两项改革之前各月的指标："
            + (
                f"比较 {ZHONG_2023} 全部 {len(TARGETS)} 个指标中的 {len(compared)} 个"
                f"（{'和'.join(which)}）"
                if compared
                else f"{ZHONG_2023} 中没有 {month_zh(first)}之前的指标"
            )
            + "。"
        )
    before = month_words(first)
    which = ["Table 4's 2016 figures"] if compared else []
    if its:
        which.append(
            f"Table 3's pre-reform slopes, fitted as {ZHONG_2023}'s with the interruption in "
            f"{month_words(REFORM_MONTH)}"
        )
    return (
        f"This run's reform begins in {month_words(reform)}, Youxi's in "
        f"{month_words(REFORM_MONTH)} ({ZHONG_2023}): {ZHONG_2023}'s figures of later months were "
        "produced under Youxi's reform and are no test of another, so only the figures of "
        f"months before {before}, before both reforms, are compared: "
        + (
            f"{len(compared)} of {ZHONG_2023}'s {len(TARGETS)} figures are compared "
            f"({' and '.join(which)})"
            if compared
            else f"no figure of {ZHONG_2023} lies before {before}"
        )
        + "."
    )


def meets(rule: Literal["relative", "sign_magnitude"], target: float, simulated: float) -> bool:
    """Whether ``simulated`` meets ``target`` under ``rule``: ±10 % (``relative``), or
    the same sign and a ratio within a factor of √10 (``sign_magnitude``)."""
    if not np.isfinite(simulated):
        return False
    ratio = float(simulated) / target  # a NumPy value would give NumPy booleans
    if rule == "relative":
        return abs(ratio - 1.0) <= RELATIVE_TOLERANCE
    return ratio > 0 and 1 / MAGNITUDE_FACTOR <= ratio <= MAGNITUDE_FACTOR


def compare_its(fits: Mapping[str, Any]) -> pd.DataFrame:
    """Each Table 3 term of the series in ``fits`` (ITS results by series name) beside the
    fitted one.

    Returns
    -------
    pandas.DataFrame
        Indexed by target key: ``series`` and ``term`` (the ITS coefficient, e.g.
        ``_x_t2017m10``), ``figure``, ``seed`` (the published estimate), ``ci_low``,
        ``ci_high`` (its 95 % interval), ``simulated`` (the fit's coefficient), ``ratio``,
        ``agrees`` (same sign, ratio within a factor of √10 — the rule for every ITS
        term) and ``gated`` (whether the calibration's verdict depends on the term).
    """
    rows = {}
    for t in TARGETS:
        if t.its is None or t.its[0] not in fits:
            continue
        params = fits[t.its[0]].params
        if t.its[1] not in params.index:
            raise InputError(
                f"{t.its[0]}: the Table 3 term {t.its[1]} of {ZHONG_2023} is that of an interruption "
                f"in {REFORM_MONTH}; the fit has {', '.join(map(str, params.index))}: "
                "fit the series interrupted there to set it beside Table 3"
            )
        sim = float(params[t.its[1]])
        rows[t.key] = {
            "series": t.its[0],
            "term": t.its[1],
            "figure": t.label,
            "seed": t.value,
            "ci_low": t.ci[0],
            "ci_high": t.ci[1],
            "simulated": sim,
            "ratio": sim / t.value,
            "agrees": meets("sign_magnitude", t.value, sim),
            "gated": t.rule != "shown",
        }
    return pd.DataFrame.from_dict(rows, orient="index")
