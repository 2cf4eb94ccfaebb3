"""Calibration: the simulated county measured against Zhong et al. 2023, with the team's tools.

Every simulated figure is computed the way a real county's would be: the yearly
indicators with :func:`ihms.indicators.compute` on the run's data set, the county
hospitals' monthly series with the same catalogue (tier ``secondary``), and the
interrupted time series with :class:`ihms.stats.ITSModel` (seasonally adjusted, Newey–West
with the lag Breusch–Godfrey picks) — never with code of the simulator's own.

Targets (:data:`TARGETS`) come from Zhong et al. 2023 (Zhong et al. 2023): Table 4
(hospitalization rate, number of healthcare outpatient visits — the county's outpatient
contacts, 诊疗人次 — and their primary-care share), Table 5
(hypertension and diabetes management and control) and Table 3 (ITS of the county
hospitals' outpatient and emergency visits, hospitalizations, cost per outpatient visit
and cost per hospitalization). A relative target passes within ±10 %; an ITS slope change
passes when it has the seed's sign and order of magnitude (the ratio lies within a factor
of √10, half a decade). Figures marked "shown" do not decide the verdict (the issue names
2016 and 2019 for Table 4 and the slope changes for Table 3), but each is still checked
against the rule of its kind and the report says which depart and why (``Target.note``).

A config whose reform begins in another month than Youxi's October 2017 is checked on
the figures of months before both reforms only
(:func:`~ihms.sim.targets.compared_targets`): Zhong et al. 2023's later figures were produced
under Youxi's reform and are no test of another; the results name those left out and
say why.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ihms.data import Dataset, Store
from ihms.errors import ConfigError
from ihms.indicators import compute
from ihms.sim._calibration_results import CalibrationResults, Measurements
from ihms.sim.provenance import provenance
from ihms.sim.targets import (
    REFORM_MONTH,
    STUDY_WINDOW,
    TARGETS,
    Target,
    compare_its,
    compared_targets,
    left_out_reason,
    meets,
)
from ihms.sources import ZHONG_2023
from ihms.stats import ITSModel, ITSResults

__all__ = [
    "CH_SERIES",
    "TARGETS",
    "CalibrationResults",
    "Target",
    "calibrate",
    "calibration_of",
    "check_compared",
    "check_periods",
    "check_reform",
    "check_study_window",
    "check_targets",
    "compare_its",
    "county_hospital_series",
    "measure",
    "meets",
]

CH_SERIES = (
    "outpatient_emergency_visits",
    "hospitalizations",
    "cost_per_outpatient_visit",
    "cost_per_hospitalization",
)


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


def _yearly_frame(store: Store, indicators: list[str], level: str) -> pd.DataFrame:
    if not indicators:
        return pd.DataFrame(columns=["unit", "indicator", "period", "value"])
    return compute(store, indicators=indicators, level=level, period="year").to_frame()


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


def check_reform(reform: str, *, where: str = "config") -> None:
    """Refuse to tune a config whose reform month is not Zhong et al. 2023's: the tuning fits
    figures of the months after Youxi's reform of :data:`~ihms.sim.targets.REFORM_MONTH`,
    produced under it (checking alone compares the figures before both reforms,
    :func:`check_periods`).

    Raises
    ------
    ConfigError
        Naming the key ``simulation.reform.date``, the month expected and the one given.
    """
    if reform != REFORM_MONTH:
        raise ConfigError(
            f"{where}: key 'simulation.reform.date': tuning fits {ZHONG_2023}'s figures after "
            f"Youxi's reform too, which were produced under a reform in {REFORM_MONTH} "
            f"(Youxi's IMPM, Table 3's interruption); got {reform}. Tune on a config with "
            f"reform.date {REFORM_MONTH}; without --tune the figures before both reforms "
            "are checked"
        )


def check_compared(reform: str, *, where: str = "config") -> None:
    """Refuse a reform month before which Zhong et al. 2023 has no figure (one in 2016): nothing
    would be compared (:func:`~ihms.sim.targets.compared_targets`).

    Raises
    ------
    ConfigError
        Naming the key ``simulation.reform.date`` and the month given.
    """
    if not compared_targets(reform)[0]:
        raise ConfigError(
            f"{where}: key 'simulation.reform.date': {left_out_reason(reform)} Nothing to "
            f"calibrate against; got {reform} ({ZHONG_2023}'s first figures are of 2016, so a "
            "reform from January 2017 on leaves some)"
        )


def check_study_window(window: tuple[str, str], *, where: str = "config") -> None:
    """Refuse an ITS window other than Zhong et al. 2023's: Table 3 is fitted on
    :data:`~ihms.sim.targets.STUDY_WINDOW`, so another window compares another period.

    Raises
    ------
    ConfigError
        Naming the key ``simulation.study_window``, the window expected and the one given.
    """
    if tuple(window) != STUDY_WINDOW:
        raise ConfigError(
            f"{where}: key 'simulation.study_window': the calibration targets are {ZHONG_2023}'s, "
            f"whose Table 3 is fitted on {STUDY_WINDOW[0]} … {STUDY_WINDOW[1]} (46 months); "
            f"got {window[0]} … {window[1]}. `ihms sim calibrate` calibrates to Youxi's "
            "published figures only; for another county, simulate it (`ihms sim run --out "
            "DIR`), compare its indicators (`ihms indicators compute --store DIR/ihms.duckdb`) "
            "with the county's own figures and set the config's values by hand"
        )


def check_periods(config, *, where: str = "config") -> None:
    """Refuse a config whose study window is not Zhong et al. 2023's (:func:`check_study_window`)
    or whose reform leaves no figure to compare (:func:`check_compared`), before anything
    is simulated."""
    check_study_window((config.study_window.start, config.study_window.end), where=where)
    check_compared(config.reform.date, where=where)


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
        The run's reform month (``YYYY-MM``): which figures are measured
        (:func:`~ihms.sim.targets.compared_targets`). Table 3's terms are always fitted
        at Youxi's interruption, :data:`~ihms.sim.targets.REFORM_MONTH` (with another
        month only the pre-reform slopes, which the months before it fix, are kept —
        the seasonal factors aside, which the whole window's ratios to a moving average
        give), and only when a term is measured.
    window
        First and last month of the ITS (Zhong et al. 2023: 2016-02 … 2019-11).
    scale
        Multiplier for counts (full population / simulated population).

    Raises
    ------
    ConfigError
        When ``window`` is not Zhong et al. 2023's (see :func:`check_study_window`).
    """
    check_study_window(window)
    targets, _ = compared_targets(reform)
    store, owned = _store(data)
    try:
        yearly_ids = sorted({t.indicator for t in targets if t.indicator and not t.tier})
        tier_ids = sorted({t.indicator for t in targets if t.indicator and t.tier})
        yearly = _yearly_frame(store, yearly_ids, "county")
        by_tier = _yearly_frame(store, tier_ids, "tier")
        monthly = compute(store, indicators=list(CH_SERIES), level="tier", period="month")
    finally:
        if owned:
            store.close()
    yearly = yearly[yearly["unit"] == county]
    series = county_hospital_series(monthly, window, scale=scale)
    its = {
        name: _fit_its(series, name, REFORM_MONTH)
        for name in dict.fromkeys(t.its[0] for t in targets if t.its is not None)
    }
    values: dict[str, float] = {}
    for t in targets:
        if t.indicator is not None:
            frame = yearly if t.tier is None else by_tier[by_tier["unit"] == t.tier]
            row = frame[(frame["indicator"] == t.indicator) & (frame["period"] == str(t.year))]
            value = float(row["value"].iloc[0]) if len(row) else float("nan")
            values[t.key] = value * (scale if t.scaled else 1.0) / t.per
        else:
            series_name, term = t.its
            values[t.key] = float(its[series_name].params[term])
    return Measurements(values=values, yearly=yearly, series=series, its=its)


def _passes(target: Target, simulated: float) -> bool | None:
    if target.rule == "shown":
        return None
    return meets(target.rule, target.value, simulated)


_RULE_NAMES = {"relative": "±10 %", "sign_magnitude": "sign, ×√10", "shown": "shown"}


_COLUMNS = (
    "key",
    "figure",
    "source",
    "target",
    "simulated",
    "ratio",
    "rule",
    "within",
    "agrees",
    "fitted",
)


def check_targets(
    measurements: Measurements, details: dict[str, Any], *, reform: str = REFORM_MONTH
) -> CalibrationResults:
    """Compare measured figures with :data:`TARGETS`: those a run whose reform begins in
    ``reform`` is compared on (:func:`~ihms.sim.targets.compared_targets`; every figure
    for Youxi's October 2017), the others named in ``left_out``."""
    compared, left_out = compared_targets(reform)
    rows = []
    for t in compared:
        sim = measurements.values[t.key]
        rows.append(
            {
                "key": t.key,
                "figure": t.label,
                "source": t.source,
                "target": t.value,
                "simulated": sim,
                "ratio": sim / t.value,
                "rule": _RULE_NAMES[t.rule],
                "within": _passes(t, sim),
                "agrees": meets(t.check, t.value, sim),
                "fitted": t.fitted,
            }
        )
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    frame.index = frame["key"]
    frame.index.name = None
    return CalibrationResults(
        frame=frame,
        measurements=measurements,
        details=details,
        reform=reform,
        left_out=tuple(t.key for t in left_out),
    )


def calibration_of(results, data: Dataset | Store) -> CalibrationResults:
    """Check a finished run (its results and its data set) against :data:`TARGETS`
    (those before both reforms when its reform month is not Youxi's, see
    :func:`check_targets`).

    Counts of a scaled-down run are multiplied back to the county file's size before the
    ITS, so its coefficients compare with Zhong et al. 2023's.
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
        "tuned": provenance(cfg)["tuned_applied"],
    }
    return check_targets(measurements, details, reform=cfg.reform.date)


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

    check_periods(config)  # before the run, not after
    sink = MemorySink()
    results = CountySimulation(config, residents=residents, seed=seed, system=system).run(
        sink=sink, progress=progress
    )
    return calibration_of(results, sink.dataset(validate=False))  # valid by construction
