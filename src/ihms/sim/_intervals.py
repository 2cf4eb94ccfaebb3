"""How much one run's rates can move by chance: counts behind them and 95 % intervals.

Each regime of a comparison is one stochastic run of the simulator, not a mean over
runs, so a compared rate is a count over a count: ``numerator / denominator`` (× 100).
The interval of a share (primary care, care outside the county, the chronic-disease
rates) is Wilson's score interval (statsmodels' ``proportion_confint(method="wilson")``);
that of the hospitalization rate — admissions over the year's average population, a
count over person-years that can exceed one per resident — is the exact Poisson interval
(Garwood's, statsmodels' ``confint_poisson(method="exact-c")``). Both treat each counted
patient, visit or admission as independent, which visits and admissions (clustered
within residents) are not, so for those the intervals are too narrow.
"""

from __future__ import annotations

import math

import pandas as pd
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from ihms.summary import SummaryTable

__all__ = ["COUNTED", "RATES", "interval", "interval_table"]

#: What each compared indicator counts (its denominator), for the table's N.
COUNTED = {
    "hospitalization_rate": "residents (average population)",
    "outpatient_contacts_primary_share": "outpatient contacts",
    "inpatient_outside_county_share": "admissions",
    "outpatient_outside_county_share": "outpatient and emergency visits",
    "hypertension_control_rate": "hypertensive patients under management",
    "diabetes_control_rate": "diabetic patients under management",
    "hypertension_management_rate": "hypertensive patients under management",
    "diabetes_management_rate": "diabetic patients under management",
}
#: Indicators that are counts per 100 residents (Poisson interval), not shares (Wilson).
RATES = ("hospitalization_rate",)
#: Confidence level of the intervals.
LEVEL = 0.95


def interval(indicator: str, numerator: float, denominator: float) -> tuple[float, float]:
    """The 95 % interval of ``numerator / denominator × 100`` (module docstring); NaNs
    when the denominator is missing or not positive."""
    if not (math.isfinite(numerator) and math.isfinite(denominator)) or denominator <= 0:
        return math.nan, math.nan
    if indicator in RATES:
        low, high = confint_poisson(
            round(numerator), denominator, method="exact-c", alpha=1 - LEVEL
        )
    else:
        low, high = proportion_confint(
            round(numerator), round(denominator), alpha=1 - LEVEL, method="wilson"
        )
    return float(low) * 100, float(high) * 100


def _cell(indicator: str, numerator: float, denominator: float, value: float) -> str:
    if not (math.isfinite(denominator) and denominator > 0):
        return "—"
    low, high = interval(indicator, numerator, denominator)
    return f"{value:.2f} ({low:.2f}–{high:.2f}); {round(numerator):,} / {round(denominator):,}"


def interval_table(
    counts: pd.DataFrame, year: int, *, labels: dict[str, str], regimes: dict[str, str]
) -> SummaryTable:
    """The compared rates of ``year`` by regime, each as ``value (95 % interval);
    numerator / denominator``.

    Parameters
    ----------
    counts
        One row per regime, year and indicator: ``numerator``, ``denominator``, ``value``.
    labels
        Indicator id → the row's label (the comparison's).
    regimes
        Regime → its column's label, in the columns' order.
    """
    sel = counts[counts["year"] == year].set_index(["indicator", "regime"])
    rows = {}
    for indicator, label in labels.items():
        rows[f"{label} — N: {COUNTED[indicator]}"] = [
            _cell(indicator, *sel.loc[(indicator, r), ["numerator", "denominator", "value"]])
            if (indicator, r) in sel.index
            else "—"
            for r in regimes
        ]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(regimes.values()))
    frame.index.name = f"{year}"
    return SummaryTable(
        frame,
        title=f"Payment regimes side by side, {year}: each rate with its 95 % interval and counts",
        notes=(
            "Each regime is one stochastic run of the simulator (same seed), not a mean "
            "over runs: a rate is its numerator over N, shown after it. Interval: Wilson's "
            "for a share, the exact Poisson (Garwood) for the hospitalization rate "
            "(statsmodels). They treat every patient, visit and admission as independent: "
            "visits and admissions cluster within residents, so theirs are too narrow. "
            "They give each rate's own sampling noise, not that of a difference between "
            "regimes: the regimes share residents and illnesses (common random numbers), "
            "which should make their differences vary less from seed to seed than two "
            "independent samples' (`ihms sim compare --seeds` measures their spread "
            "over seeds).",
        ),
    )
