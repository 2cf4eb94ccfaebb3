"""Calibration: the simulated county measured against seed 002, with the team's tools.

Every simulated figure is computed the way a real county's would be: the yearly
indicators with :func:`ihms.indicators.compute` on the run's data set, the county
hospitals' monthly series with the same catalogue (tier ``secondary``), and the
interrupted time series with :class:`ihms.stats.ITSModel` (seasonally adjusted, Newey–West
with the lag Breusch–Godfrey picks) — never with code of the simulator's own.

Targets (:data:`TARGETS`) come from seed 002 (Zhong et al. 2023): Table 4
(hospitalization rate, primary-care share of healthcare visits), Table 5 (hypertension
and diabetes management and control) and Table 3 (ITS of county-hospital outpatient and
emergency visits and hospitalizations). A relative target passes within ±10 %; an ITS
slope change passes when it has the seed's sign and order of magnitude (the ratio lies
within a factor of √10, half a decade). Figures marked "shown" are printed for comparison
but do not decide the verdict (the issue names 2016 and 2019 for Table 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms.data import Dataset, Store
from ihms.indicators import compute
from ihms.stats import ITSModel, ITSResults
from ihms.summary import SummaryTable

__all__ = [
    "CH_SERIES",
    "TARGETS",
    "CalibrationResults",
    "Target",
    "calibrate",
    "calibration_of",
    "check_targets",
    "county_hospital_series",
    "measure",
]

Rule = Literal["relative", "sign_magnitude", "shown"]
RELATIVE_TOLERANCE = 0.10
MAGNITUDE_FACTOR = math.sqrt(10.0)


@dataclass(frozen=True)
class Target:
    """One published figure the simulation must reproduce.

    ``indicator`` and ``year`` name a yearly catalogue indicator (in its units: % for
    rates); ``its`` names an ITS term ``(series, term)`` of the county hospitals' monthly
    series instead.
    """

    key: str
    label: str
    value: float
    source: str
    rule: Rule = "relative"
    indicator: str | None = None
    year: int | None = None
    its: tuple[str, str] | None = None


def _yearly(ind: str, label: str, values: dict[int, float], source: str, gated: set[int]):
    return [
        Target(
            f"{ind}_{y}",
            f"{label} {y}",
            v,
            source,
            "relative" if y in gated else "shown",
            indicator=ind,
            year=y,
        )
        for y, v in values.items()
    ]


REFORM_TERMS = ("_t", "_x2017m10", "_x_t2017m10")

TARGETS: tuple[Target, ...] = (
    # seed 002, Table 4: hospitalization rate 17.0, 16.8, 15.8, 16.3 (2016-2019), printed
    # there as "%"; it is admissions per 100 residents (one resident may be admitted twice).
    *_yearly("hospitalization_rate", "Hospitalization rate (admissions per 100 residents)",
             {2016: 17.0, 2017: 16.8, 2018: 15.8, 2019: 16.3}, "seed 002, Table 4", {2016, 2019}),
    # seed 002, Table 4: proportion of healthcare visits in primary care (%) 50.8, 63.0,
    # 60.8, 69.2.
    *_yearly("healthcare_visits_primary_share", "Primary-care share of healthcare visits (%)",
             {2016: 50.8, 2017: 63.0, 2018: 60.8, 2019: 69.2}, "seed 002, Table 4", {2016, 2019}),
    # seed 002, Table 5 (2017, 2018, 2019).
    *_yearly("hypertension_management_rate", "Hypertension standardized management (%)",
             {2017: 69.9, 2018: 78.4, 2019: 81.5}, "seed 002, Table 5", {2017, 2018, 2019}),
    *_yearly("hypertension_control_rate", "Hypertension control (%)",
             {2017: 65.8, 2018: 71.8, 2019: 68.4}, "seed 002, Table 5", {2017, 2018, 2019}),
    *_yearly("diabetes_management_rate", "Diabetes standardized management (%)",
             {2017: 71.3, 2018: 76.9, 2019: 78.3}, "seed 002, Table 5", {2017, 2018, 2019}),
    *_yearly("diabetes_control_rate", "Diabetes control (%)",
             {2017: 65.0, 2018: 65.9, 2019: 72.5}, "seed 002, Table 5", {2017, 2018, 2019}),
    # seed 002, Table 3: ITS of the county hospitals, per month: outpatient and emergency
    # visits beta1 = 578.3, beta2 = -2470.3, beta3 = -459.9; hospitalizations 17.9, -286.0,
    # -18.1.
    Target("ch_visits_pre_slope", "CH outpatient+emergency visits: pre-reform slope", 578.3,
           "seed 002, Table 3", "shown", its=("outpatient_emergency_visits", "_t")),
    Target("ch_visits_level_change", "CH outpatient+emergency visits: level change", -2470.3,
           "seed 002, Table 3", "shown", its=("outpatient_emergency_visits", "_x2017m10")),
    Target("ch_visits_slope_change", "CH outpatient+emergency visits: slope change", -459.9,
           "seed 002, Table 3", "sign_magnitude", its=("outpatient_emergency_visits", "_x_t2017m10")),
    Target("ch_admissions_pre_slope", "CH hospitalizations: pre-reform slope", 17.9,
           "seed 002, Table 3", "shown", its=("hospitalizations", "_t")),
    Target("ch_admissions_level_change", "CH hospitalizations: level change", -286.0,
           "seed 002, Table 3", "shown", its=("hospitalizations", "_x2017m10")),
    Target("ch_admissions_slope_change", "CH hospitalizations: slope change", -18.1,
           "seed 002, Table 3", "sign_magnitude", its=("hospitalizations", "_x_t2017m10")),
)  # fmt: skip

CH_SERIES = (
    "outpatient_emergency_visits",
    "hospitalizations",
    "cost_per_outpatient_visit",
    "cost_per_hospitalization",
)


@dataclass(frozen=True, eq=False)
class Measurements:
    """What :func:`measure` read from a data set."""

    values: dict[str, float]
    yearly: pd.DataFrame
    series: pd.DataFrame
    its: dict[str, ITSResults] = field(default_factory=dict)


def _store(data: Dataset | Store) -> tuple[Store, bool]:
    if isinstance(data, Store):
        return data, False
    store = Store(":memory:")
    store.write(data)
    return store, True


def county_hospital_series(results, window: tuple[str, str], *, scale: float = 1.0) -> pd.DataFrame:
    """The county hospitals' monthly series (``month`` plus :data:`CH_SERIES`) from
    monthly indicator results at tier level, inside ``window``; counts multiplied by
    ``scale`` (a scaled-down run measured at full size)."""
    frame = results.to_frame()
    frame = frame[frame["unit"] == "secondary"]
    wide = frame.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    months = pd.period_range(window[0], window[1], freq="M").astype(str)
    wide = wide.reindex(months)
    for name in ("outpatient_emergency_visits", "hospitalizations"):
        wide[name] = wide[name] * scale
    out = wide[list(CH_SERIES)].reset_index(names="month")
    out.columns.name = None
    return out


def _fit_its(series: pd.DataFrame, outcome: str, reform: str) -> ITSResults:
    model = ITSModel(
        series,
        outcome=outcome,
        time="month",
        interruptions=reform,
        seasonal=True,
        source="simulated county-hospital series",
    )
    return model.fit(cov_type="newey", lags="auto")


def measure(
    data: Dataset | Store,
    *,
    county: str,
    reform: str,
    window: tuple[str, str],
    scale: float = 1.0,
) -> Measurements:
    """Compute every calibration figure from a data set with ``ihms.indicators`` and
    ``ihms.stats``.

    Parameters
    ----------
    data
        The run's tables (a :class:`~ihms.data.Dataset` or a :class:`~ihms.data.Store`).
    county
        The study county's id (the indicators' county-level unit).
    reform
        Interruption month of the ITS (``YYYY-MM``).
    window
        First and last month of the ITS (seed 002: 2016-02 … 2019-11).
    scale
        Multiplier for counts (full population / simulated population).
    """
    store, owned = _store(data)
    try:
        yearly_ids = sorted({t.indicator for t in TARGETS if t.indicator})
        yearly = compute(store, indicators=yearly_ids, level="county", period="year").to_frame()
        monthly = compute(store, indicators=list(CH_SERIES), level="tier", period="month")
    finally:
        if owned:
            store.close()
    yearly = yearly[yearly["unit"] == county]
    series = county_hospital_series(monthly, window, scale=scale)
    its = {
        name: _fit_its(series, name, reform)
        for name in ("outpatient_emergency_visits", "hospitalizations")
    }
    values: dict[str, float] = {}
    for t in TARGETS:
        if t.indicator is not None:
            row = yearly[(yearly["indicator"] == t.indicator) & (yearly["period"] == str(t.year))]
            values[t.key] = float(row["value"].iloc[0]) if len(row) else float("nan")
        else:
            series_name, term = t.its
            values[t.key] = float(its[series_name].params[term])
    return Measurements(values=values, yearly=yearly, series=series, its=its)


def _passes(target: Target, simulated: float) -> bool | None:
    if target.rule == "shown":
        return None
    if not np.isfinite(simulated):
        return False
    if target.rule == "relative":
        return abs(simulated / target.value - 1.0) <= RELATIVE_TOLERANCE
    ratio = simulated / target.value
    return ratio > 0 and 1 / MAGNITUDE_FACTOR <= ratio <= MAGNITUDE_FACTOR


@dataclass(frozen=True, eq=False)
class CalibrationResults:
    """Simulated against target for each figure of :data:`TARGETS`.

    Attributes
    ----------
    frame
        One row per figure: ``source``, ``target``, ``simulated``, ``ratio``, ``rule``,
        ``within`` (``True``/``False``; ``None`` for figures only shown).
    measurements
        The yearly indicators, the county-hospital series and the ITS fits behind them.
    details
        How the run was made (residents, seed, regime, scale).
    """

    frame: pd.DataFrame
    measurements: Measurements
    details: dict[str, Any]

    @property
    def passed(self) -> bool:
        """Every gated figure is within its rule."""
        gated = self.frame["within"].dropna()
        return bool(gated.astype(bool).all())

    @property
    def failures(self) -> list[str]:
        return [k for k, w in self.frame["within"].items() if w is False]

    def summary(self) -> SummaryTable:
        frame = self.frame.copy()
        frame["within"] = frame["within"].map({True: "yes", False: "NO", None: "(shown)"})
        frame = frame.drop(columns=["key"]).set_index("figure")
        return SummaryTable(
            frame,
            title="Calibration: the simulated county against seed 002 (Zhong et al. 2023)",
            notes=(
                "Relative figures pass within ±10 %; ITS slope changes pass with the seed's "
                "sign and a ratio within a factor of √10. Yearly figures computed with "
                "ihms.indicators; ITS with ihms.stats (seasonally adjusted, Newey–West, "
                "lag by Breusch–Godfrey) on the county hospitals' monthly series"
                + (
                    f", counts scaled ×{self.details['scale']:.3g} to Youxi's size"
                    if self.details.get("scale", 1) != 1
                    else ""
                )
                + ".",
                f"Verdict: {'every gated figure is within its rule' if self.passed else 'outside: ' + ', '.join(self.failures)}.",
            ),
            formats={"ratio": "{:.3f}".format},
            digits=2,
        )


def check_targets(measurements: Measurements, details: dict[str, Any]) -> CalibrationResults:
    """Compare measured figures with :data:`TARGETS`."""
    rows = []
    for t in TARGETS:
        sim = measurements.values[t.key]
        rows.append(
            {
                "key": t.key,
                "figure": t.label,
                "source": t.source,
                "target": t.value,
                "simulated": sim,
                "ratio": sim / t.value,
                "rule": {"relative": "±10 %", "sign_magnitude": "sign, ×√10", "shown": "shown"}[
                    t.rule
                ],
                "within": _passes(t, sim),
            }
        )
    frame = pd.DataFrame(rows)
    frame.index = frame["key"]
    frame.index.name = None
    return CalibrationResults(frame=frame, measurements=measurements, details=details)


def calibration_of(results, data: Dataset | Store) -> CalibrationResults:
    """Check a finished run (its results and its data set) against :data:`TARGETS`.

    Counts of a scaled-down run are multiplied back to the county file's size before the
    ITS, so its coefficients compare with seed 002's.
    """
    cfg = results.config
    scale = 1.0 / results.plan.scale
    measurements = measure(
        data,
        county=results.county,
        reform=cfg.reform.date,
        window=(cfg.study_window.start, cfg.study_window.end),
        scale=scale,
    )
    details = {
        "residents": results.residents,
        "seed": cfg.seed,
        "regime": results.regime,
        "reform": cfg.reform.date,
        "scale": scale,
        "seconds": round(results.seconds, 1),
    }
    return check_targets(measurements, details)


def calibrate(
    config,
    *,
    residents: int | None = None,
    seed: int | None = None,
    system=None,
    progress=None,
) -> CalibrationResults:
    """Run the county (scaled to ``residents`` if given) and check it against
    :data:`TARGETS` (see :func:`calibration_of`)."""
    from ihms.sim.run import CountySimulation
    from ihms.sim.tables import MemorySink

    sink = MemorySink()
    results = CountySimulation(config, residents=residents, seed=seed, system=system).run(
        sink=sink, progress=progress
    )
    return calibration_of(results, sink.dataset(validate=False))  # valid by construction
