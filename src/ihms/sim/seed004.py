"""Deqing's regime beside what Jia et al. 2021 reports for Deqing county — shown, not calibrated.

Jia et al. 2021 (Jia et al. 2021, IJIC 21(3):7; Results, "Service utilization", and Figure 4)
gives three shares for Deqing county before and after its CIHO began (September 2017):
inpatient care outside the county 27.3 % in 2016 and 24.5 % in 2018 (about 30 % in
2017), outpatient care outside the county 6.8 % and 9.8 %, and the township health
centres' share of hospitalizations 1.4 % and 2.3 %. :data:`SEED_004` holds them with the
indicator of ``ihms.indicators``' catalogue that measures each.

The simulated county is Youxi (Zhong et al. 2023) paid by Deqing's rules, not Deqing (about
442,000 residents, another province), and ``regimes.deqing`` is an assumption that no
run has tuned: the levels are another county's, so :func:`against_seed_004` reports both
years and the change, and says only whether the simulated change has the seed's
direction. Nothing here gates or tunes anything.

The simulated shares come from the run's own exact counts (:func:`seed_004_values`);
``tests/sim/test_seed004.py`` checks they equal ``ihms.indicators.compute`` on the
run's tables, so a run written to Parquet is reported without reading it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml
from ihms.sim._codes import EMERGENCY, INPATIENT, OUT, OUTPATIENT, THC
from ihms.sources import JIA_2021
from ihms.summary import SummaryTable

__all__ = [
    "SEED_004",
    "SEED_004_SOURCE",
    "SeedComparison",
    "SeedFigure",
    "against_seed_004",
    "seed_004_comparison",
    "seed_004_values",
]

SEED_004_SOURCE = f"{JIA_2021}, Results, 'Service utilization' and Figure 4"


@dataclass(frozen=True)
class SeedFigure:
    """One share Jia et al. 2021 reports for Deqing in two years (percent)."""

    indicator: str
    label: str
    before: tuple[int, float]
    after: tuple[int, float]
    note: str = ""


SEED_004: tuple[SeedFigure, ...] = (
    SeedFigure(
        "inpatient_outside_county_share",
        "Inpatient care outside the county (%)",
        (2016, 27.3),
        (2018, 24.5),
        note="about 30 % in 2017",
    ),
    SeedFigure(
        "outpatient_outside_county_share",
        "Outpatient care outside the county (%)",
        (2016, 6.8),
        (2018, 9.8),
    ),
    SeedFigure(
        "thc_hospitalization_share",
        "Hospitalizations at township health centres (%)",
        (2016, 1.4),
        (2018, 2.3),
    ),
)


def seed_004_values(results) -> dict[tuple[str, int], float]:
    """The simulated shares of :data:`SEED_004` by (indicator, year), from the run's exact
    encounter counts (``results.tally``): outside the county over all inpatient stays or
    outpatient and emergency visits; township health centres over all stays."""
    months = results.config.period.months
    month_year = months.astype("datetime64[Y]").astype(int) + 1970
    out: dict[tuple[str, int], float] = {}
    for year in np.unique(month_year):
        counts = results.tally.count[:, month_year == year].sum(axis=(0, 1))  # tier × type
        stays = counts[:, INPATIENT]
        visits = counts[:, OUTPATIENT] + counts[:, EMERGENCY]
        y = int(year)
        out["inpatient_outside_county_share", y] = _percent(stays[OUT], stays.sum())
        out["outpatient_outside_county_share", y] = _percent(visits[OUT], visits.sum())
        out["thc_hospitalization_share", y] = _percent(stays[THC], stays.sum())
    return out


def _percent(part, whole) -> float:
    return 100.0 * float(part) / float(whole) if whole else float("nan")


@dataclass(frozen=True, eq=False)
class SeedComparison(SummaryHtml):
    """Simulated against Jia et al. 2021's shares: one row per figure (``frame``)."""

    frame: pd.DataFrame
    county: str = "the simulated county"

    def rows(self) -> list[dict]:
        """The rows as plain dicts (for ``summary.json``), NaN as None."""
        frame = self.frame.astype(object).where(self.frame.notna(), None)
        return frame.to_dict(orient="records")

    def to_json(self) -> dict:
        """What ``summary.json`` and ``--json`` record: the source, that this is no
        calibration, and the rows."""
        return {
            "source": SEED_004_SOURCE,
            "calibrated": False,
            "note": "regimes.deqing is assumed, not tuned; the simulated county is not "
            "Deqing, so only the direction of each change is compared",
            "figures": self.rows(),
        }

    def summary(self) -> SummaryTable:
        (y0, _), (y1, _) = SEED_004[0].before, SEED_004[0].after
        shown = self.frame.set_index("figure").drop(columns=["indicator", "source"])
        shown.columns = [
            f"Deqing {y0}",
            f"Deqing {y1}",
            "Deqing change",
            f"simulated {y0}",
            f"simulated {y1}",
            "simulated change",
            "same direction",
        ]
        shown["same direction"] = shown["same direction"].map(
            {True: "yes", False: "no"}, na_action="ignore"
        )
        return SummaryTable(
            shown,
            title=f"Deqing regime beside {JIA_2021}'s Deqing county (shown, not calibrated)",
            notes=(
                f"Deqing: {SEED_004_SOURCE}; changes in percentage points; inpatient care outside the county was "
                f"about 30 % in 2017. Simulated: {self.county} paid by "
                "Deqing's rules from the reform date, not Deqing county itself, so levels "
                "differ; only the direction of the change is compared.",
                "regimes.deqing in the config is an assumption, not tuned to these figures: "
                "no calibration of the Deqing regime has been done.",
            ),
            digits=1,
        )


def seed_004_comparison(results) -> SeedComparison:
    """:func:`against_seed_004` of a finished run's :func:`seed_004_values`."""
    comparison = against_seed_004(seed_004_values(results))
    return SeedComparison(frame=comparison.frame, county=f"simulated {results.system.name}")


def against_seed_004(values: Mapping[tuple[str, int], float]) -> SeedComparison:
    """Set simulated shares (by indicator and year, percent) beside :data:`SEED_004`.

    Each row: the seed's value in its two years and their change (percentage points), the
    simulated ones, and whether the simulated change has the seed's sign
    (``same_direction``; None when a year was not simulated).
    """
    rows = []
    for fig in SEED_004:
        (y0, s0), (y1, s1) = fig.before, fig.after
        v0 = values.get((fig.indicator, y0), float("nan"))
        v1 = values.get((fig.indicator, y1), float("nan"))
        change = v1 - v0
        rows.append(
            {
                "figure": fig.label,
                "indicator": fig.indicator,
                "source": SEED_004_SOURCE,
                "seed_before": s0,
                "seed_after": s1,
                "seed_change": round(s1 - s0, 1),
                "simulated_before": v0,
                "simulated_after": v1,
                "simulated_change": change,
                "same_direction": None
                if np.isnan(change)
                else bool(np.sign(change) == np.sign(s1 - s0)),
            }
        )
    return SeedComparison(frame=pd.DataFrame(rows))
