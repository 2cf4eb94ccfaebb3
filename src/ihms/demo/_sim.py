"""Demo step: the simulated Youxi county, its calibration and the regimes side by side.

Runs the county simulator on ``examples/youxi_sim.yaml`` (the delivery system of
``examples/youxi.yaml``; February 2016 – November 2019 in the ITS, IMPM from October 2017)
and leaves for the later steps:

- ``ctx.artefacts["store"]`` — the run's data set in a DuckDB :class:`~ihms.data.Store`
  (read by the indicators step);
- ``ctx.artefacts["spending"]`` and ``ctx.artefacts["payment_population"]`` — the payment
  engine's spending and population tables of the run (read by the payment step);
- ``ctx.artefacts["series"]`` — the county hospitals' monthly series (``month``,
  outpatient and emergency visits, hospitalizations, costs per visit and per stay), the
  layout of ``examples/series/`` (read by the ITS step);
- ``ctx.artefacts["simulation"]`` — the :class:`~ihms.sim.SimulationResults`;
- ``ctx.artefacts["calibration"]`` — the calibration against seed 002 (read by the brief).

The whole county is simulated (about 374,000 residents ever present over 2016-2019; about
40 s on this 2-core machine, 2.7 GB). :data:`DEMO_RESIDENTS` may scale it down (the tests
do); counts in the series are then multiplied back to Youxi's size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ihms.data import Store
from ihms.demo._run import DemoContext
from ihms.report import Section
from ihms.sim import CountySimulation, MemorySink, load_sim_config
from ihms.sim.calibrate import calibration_of
from ihms.sim.compare import COMPARED, compare_regimes
from ihms.sim.funding import population_table, spending_table
from ihms.sim.load import example_file
from ihms.system import load_system

_HOSP = COMPARED["hospitalization_rate"]

__all__ = ["DEMO_RESIDENTS", "sim_sections"]

#: Population the demo simulates; ``None``: the county file's (Youxi: 358,000 in 2016).
DEMO_RESIDENTS: int | None = None
#: Population of each run in the regime comparison.
COMPARE_RESIDENTS = 20_000


def _config_path() -> Path:
    return example_file("youxi_sim.yaml")


def _calibration_figure(result):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = result.frame[result.frame["rule"] == "±10 %"]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    y = np.arange(len(frame))
    ax.barh(y, frame["ratio"], color=np.where(frame["within"].astype(bool), "#4c78a8", "#e45756"))
    ax.axvspan(0.9, 1.1, color="#dddddd", zorder=0)
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_yticks(y, frame["figure"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("simulated / published (grey band: ±10 %)")
    ax.set_xlim(0.5, 1.5)
    fig.tight_layout()
    return fig


def _size(results) -> str:
    if results.plan.scale == 1:
        return f"Here the whole county is simulated: {results.residents:,} residents ever present"
    return (
        f"Here it runs at {results.plan.scale:.0%} of the county's size ({results.residents:,} "
        "residents ever present; counts in the county-hospital series are scaled back)"
    )


def sim_sections(ctx: DemoContext) -> list[Section]:
    """Simulate Youxi, store it for the later steps, and report calibration and regimes."""
    path = _config_path()
    config = load_sim_config(path)
    system = load_system(config.county)
    sink = MemorySink()
    results = CountySimulation(config, residents=DEMO_RESIDENTS, seed=ctx.seed, system=system).run(
        sink=sink
    )
    dataset = sink.dataset(validate=False)  # valid by construction (tests/sim validate it)
    store = Store(ctx.fresh_file("sim.duckdb"))
    store.write(dataset)
    calibration = calibration_of(results, store)
    ctx.artefacts.update(
        store=store,
        spending=spending_table(results.accounts),
        payment_population=population_table(results.accounts),
        series=calibration.measurements.series,
        simulation=results,
        calibration=calibration,
    )
    comparison = compare_regimes(config, residents=COMPARE_RESIDENTS, seed=ctx.seed, system=system)

    intro = Section(
        "simulation", "A county to try reforms on: the simulated Youxi", mirrors="seed 002, Table 2"
    )
    summary = results.summary()
    intro.text(
        "Youxi county (Sanming, Fujian) was the first county to pay its integrated county "
        "healthcare consortium by Sanming's integrated medicare payment methods, from October "
        "2017. The simulator rebuilds the county from its published structure — 358,000 to "
        f"363,000 residents, 14.9 % to 16.6 % aged 60 and over, 3 county hospitals, 18 then 23 "
        f"township health centres, 350 to 387 village clinics (seed 002, Table 2) — and lets "
        "its residents fall ill, seek care, be referred, admitted and followed up month by "
        f"month. {_size(results)} (seed {results.config.seed}); every later section reads the "
        "tables this run wrote."
    )
    intro.table("sim_volumes", summary)
    intro.text(
        "How providers behave depends on how they are paid. Under fee for service the county "
        "hospitals earn by volume, draw mild cases and admit readily; under IMPM the "
        "consortium keeps what it saves from a population-based budget, so it sends mild "
        "cases to primary care, keeps patients in the county and funds health promotion from "
        "the balance — which is settled each year by the payment engine under Sanming's rules "
        "and raises the next year's chronic-disease management."
    )

    cal = Section(
        "calibration",
        "Calibration: does the simulated county look like Youxi?",
        mirrors="seed 002, Tables 3, 4 and 5",
    )
    verdict = (
        "Every figure the calibration is judged on lies within its tolerance."
        if calibration.passed
        else "Some figures lie outside their tolerance: " + ", ".join(calibration.failures) + "."
    )
    cal.text(
        "The simulated county is measured exactly as a real one would be: the yearly rates "
        "and counts with the indicator catalogue, the county hospitals' monthly volumes and "
        "costs with an interrupted time series (seasonally adjusted, Newey-West errors). "
        "Each figure is set against the value Zhong et al. (2023) report for Youxi. A rate or "
        "a yearly count passes within ±10 %; a change of trend at the reform passes when it "
        f"has the published sign and size (within a factor of √10). {verdict}"
    )
    departures = calibration.departure_notes()
    if departures:
        cal.text(
            f"The verdict rests on {int(calibration.frame['within'].notna().sum())} gated "
            "figures; the others are shown for comparison and held to the same rule of their "
            f"kind. On {len(departures)} of them the simulated county departs from Youxi — "
            "read these as the model's limits, not as findings: " + " ".join(departures)
        )
    cal.table("sim_calibration", calibration.summary())
    cal.figure(
        "sim_calibration_ratios",
        _calibration_figure(calibration),
        caption="Simulated over published value for each rate (seed 002, Tables 4 and 5).",
    )

    cmp_ = Section(
        "regimes", "Three ways to pay the same county", mirrors="seed 002, Table 1 and discussion"
    )
    last = int(comparison.frame["year"].max())
    wide = comparison.wide(last)

    def pick(label, regime):
        return float(wide.loc[label, regime])

    cmp_.text(
        "The same county, the same residents and the same illnesses, paid three ways from "
        f"October 2017 (each run {COMPARE_RESIDENTS:,} residents, same seed). In {last} the "
        "primary-care share of healthcare visits is "
        f"{pick('Primary-care share of healthcare visits (%)', 'sanming'):.1f} % under Sanming's "
        f"rules against {pick('Primary-care share of healthcare visits (%)', 'fee-for-service'):.1f} % "
        "under fee for service and "
        f"{pick('Primary-care share of healthcare visits (%)', 'other-areas'):.1f} % under the "
        "other-areas ratchet; the hospitalization rate is "
        f"{pick(_HOSP, 'sanming'):.1f} admissions per 100 residents against "
        f"{pick(_HOSP, 'fee-for-service'):.1f} and {pick(_HOSP, 'other-areas'):.1f}. "
        "Under the ratchet a "
        "consortium that spends less is given less the next year and may keep a balance only "
        "for institutional development, so the incentive to keep patients healthy and in "
        "primary care is weaker — the contrast seed 002 draws in its Table 1."
    )
    cmp_.table("sim_regimes", comparison.summary(last))
    cmp_.figure(
        "sim_regimes_figure",
        comparison.figure(),
        caption="Each regime's path, 2016-2019 (reform from October 2017).",
    )
    years = pd.DataFrame(
        {
            r: {y: rec.headline()["balance_fen"] / 100 for y, rec in recs.items()}
            for r, recs in comparison.settlements.items()
            if recs
        }
    )
    if not years.empty:
        years.index.name = "year"
        cmp_.table(
            "sim_regime_balances",
            years,
            title="Balance left before the assessment, by payment regime (yuan)",
            notes=(
                "Global budget minus the spending charged to it; fee for service has no budget.",
            ),
        )
    return [intro, cal, cmp_]
