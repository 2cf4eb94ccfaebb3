"""Scenarios: the same county under each payment regime, side by side.

:func:`compare_regimes` runs the county once per regime with the same seed (the same
residents fall ill on the same days; only behaviour and money differ), then for each run
computes, with the team's tools only:

- the yearly indicators (:func:`ihms.indicators.compute`): hospitalization rate,
  primary-care share of outpatient contacts, shares of care outside the county,
  hypertension and diabetes control;
- the year-end settlements (:func:`ihms.payment.settle_year` under the regime's built-in
  rules, the consortium's assessment fed with those indicators): global budget, charged
  spending, balance kept or overspend, and the uses of the balance;
- salaries: the personnel cost of the county hospitals and township health centres per
  physician (:func:`ihms.sim.staff.physicians`), from the resources table — a share of revenue
  when the regime pays by volume, the annual salary system's pool under Sanming's rules
  (:mod:`ihms.sim.resources`) — and the staff incentive pool per physician from the
  settlement; the whole years of the reform are settled, as in the run
  (:func:`ihms.sim.regime.first_settled_year`), so the reform's baseline year has no
  incentive in either row, and the table's notes say so;
- what each rate rests on: the residents simulated and the patients behind the
  chronic-disease rates (rows of the table), and every rate's numerator, denominator and
  95 % interval (:meth:`RegimeComparison.intervals`; each regime is one stochastic run).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml
from ihms.data import Dataset, Store
from ihms.errors import InputError
from ihms.indicators import compute
from ihms.payment import (
    STORE_ASSESSMENT_INDICATORS,
    IndicatorValues,
    PaymentRules,
    SettlementRecord,
    rules_label,
    scored_indicators,
    settle_year,
    settlement_inputs,
)
from ihms.sim._codes import has_budget, regime_rules
from ihms.sim._compare_notes import (
    FFS_DRIFT,
    _baseline_note,
    _drift_note,
    _one_run_note,
    _pay_note,
    _rules_note,
    note_changed_measures,
)
from ihms.sim._intervals import interval_table
from ihms.sim._parsed import builtin_rules
from ihms.sim.funding import YearEndSettlement, settled_population, spending_table
from ihms.sim.regime import check_regimes
from ihms.sim.run import CountySimulation, SimulationResults, check_county_size
from ihms.sim.staff import SALARIED_TIERS, physicians
from ihms.sim.tables import MemorySink
from ihms.summary import SummaryTable

__all__ = [
    "COMPARED",
    "FFS_DRIFT",
    "RegimeComparison",
    "check_county_size",
    "check_regime_rules",
    "compare_regimes",
    "regime_figures",
]

#: Indicators compared, with the labels the table shows.
COMPARED = {
    "hospitalization_rate": "Hospitalization rate (admissions per 100 residents)",
    "outpatient_contacts_primary_share": "Primary-care share of outpatient contacts (%)",
    "inpatient_outside_county_share": "Inpatient care outside the county (%)",
    "outpatient_outside_county_share": "Outpatient care outside the county (%)",
    "hypertension_control_rate": "Hypertension control (%)",
    "diabetes_control_rate": "Diabetes control (%)",
    "hypertension_management_rate": "Hypertension standardized management (%)",
    "diabetes_management_rate": "Diabetes standardized management (%)",
}
#: What the rates rest on (rows of the table, as counts).
_N = {
    "residents": "Residents simulated, ever present (N)",
    "hypertension_patients": "Hypertensive patients under management (N)",
    "diabetes_patients": "Diabetic patients under management (N)",
}
#: The indicator whose denominator gives each patient count.
_PATIENTS = {
    "hypertension_patients": "hypertension_management_rate",
    "diabetes_patients": "diabetes_management_rate",
}
_MONEY = {
    "global_budget": "Global budget (million yuan)",
    "charged": "Insurance spending charged (million yuan)",
    "overspend_borne": "Overspend borne by the consortium (million yuan)",
    "clawback": "Balance clawed back (million yuan)",
    "benchmark": "Shared-savings benchmark (million yuan)",
    "shared_savings": "Shared savings earned by the consortium (million yuan)",
    "balance_kept": "Kept by the consortium: balance or shared savings (million yuan)",
    "staff_incentive": "  of which staff salary incentives (million yuan)",
    "cooperation": "  of which cooperation among CH/THC/clinics (million yuan)",
    "health_promotion": "  of which health promotion (million yuan)",
    "institutional_development": "  of which institutional development (million yuan)",
    "family_physician_fee": "Family-physician fees paid (million yuan)",
    "incentive_per_physician": "Salary incentive per physician (yuan)",
    "personnel_cost_per_physician": "Personnel cost (all staff) of county hospitals and THCs per physician (yuan)",
}


def _yuan_m(fen: int | None) -> float:
    return np.nan if fen is None else fen / 100 / 1e6


def _settle(
    results: SimulationResults, indicators: pd.DataFrame, rules: PaymentRules | None = None
) -> dict[int, SettlementRecord]:
    """Settle each year the regime is in force under ``rules`` (default: the regime's
    built-in ones), the assessment fed with the run's own indicator values (fractions, as
    the payment rules' scorecards expect): the rates their cards score among
    :data:`~ihms.payment.STORE_ASSESSMENT_INDICATORS` (a rule file saved from an earlier
    built-in card scores one of its former rates)."""
    if not has_budget(results.regime):
        return {}
    rules = rules if rules is not None else builtin_rules(regime_rules(results.regime))
    scored = scored_indicators(rules)
    accounts = results.accounts
    rows = [
        {
            "year": int(y),
            "subject": "consortium",
            "indicator": ours,
            "value": Decimal(str(round(indicators.loc[theirs, y] / 100, 6))),
        }
        for y in indicators.columns
        for ours, theirs in STORE_ASSESSMENT_INDICATORS.items()
        if ours in scored and theirs in indicators.index and np.isfinite(indicators.loc[theirs, y])
    ]
    frame = pd.DataFrame(rows, columns=["year", "subject", "indicator", "value"])
    values = IndicatorValues.from_frame(frame, source="simulated indicators")
    spending = spending_table(accounts)
    # seed 004 defines no quality measure for Deqing's shared savings: taken as met
    population = settled_population(accounts, rules)
    records = {}
    for acct in accounts:
        if not acct.settled:
            continue
        inputs = settlement_inputs(
            rules, acct.year, spending=spending, population=population, indicators=values
        )
        records[acct.year] = settle_year(rules, inputs)
    return records


def regime_figures(
    results: SimulationResults, dataset: Dataset, *, rules: PaymentRules | None = None
) -> tuple[pd.DataFrame, dict[int, SettlementRecord]]:
    """Indicator and money figures of one run by year (rows: figure keys), settled under
    ``rules`` (default: the regime's built-in ones)."""
    figures, records, _ = _regime_tables(results, dataset, rules)
    return figures, records


def _regime_tables(
    results: SimulationResults, dataset: Dataset, rules: PaymentRules | None
) -> tuple[pd.DataFrame, dict[int, SettlementRecord], pd.DataFrame]:
    """:func:`regime_figures` and the compared indicators' numerators, denominators and
    values by year (``indicator``, ``year``, ``numerator``, ``denominator``, ``value``)."""
    with Store(":memory:") as store:
        store.write(dataset)
        rates = list(dict.fromkeys([*COMPARED, *STORE_ASSESSMENT_INDICATORS.values()]))
        frame = compute(store, indicators=rates, level="county", period="year").to_frame()
        resources = store.to_pandas("resources")
    frame = frame[frame["unit"] == results.county]
    indicators = frame.pivot_table(
        index="indicator", columns="period", values="value", aggfunc="first"
    )
    indicators.columns = [int(c) for c in indicators.columns]
    counts = frame.loc[
        frame["indicator"].isin(list(COMPARED)),
        ["indicator", "period", "numerator", "denominator", "value"],
    ].rename(columns={"period": "year"})
    counts = counts.astype({"year": int, "numerator": float, "denominator": float})
    note_changed_measures(results.regime, rules)  # a card scoring a measure since changed
    records = _settle(results, indicators, rules)
    layout = results.layout
    # the county hospitals and THCs, as the row's label says, with or without physicians
    salaried = np.isin(layout.institution_tier, SALARIED_TIERS)
    res = resources[resources["institution_id"].isin(np.asarray(layout.institution_ids)[salaried])]
    heads = physicians(resources, layout).sum(axis=0)
    years = list(indicators.columns)
    money = {key: {} for key in _MONEY}
    n = {key: {} for key in _N}
    by = counts.set_index(["indicator", "year"])["denominator"]
    for y in years:
        n["residents"][y] = float(results.residents)
        for key, indicator in _PATIENTS.items():
            n[key][y] = float(by.get((indicator, y), np.nan))
        doctors = float(heads[layout.years.index(y)])
        personnel = int(res.loc[res["year"] == y, "personnel_cost_fen"].fillna(0).sum())
        money["personnel_cost_per_physician"][y] = personnel / 100 / doctors if doctors else np.nan
        rec = records.get(y)
        alloc = rec.distribution.allocations if rec is not None else {}
        h = rec.headline() if rec is not None else {}
        money["global_budget"][y] = _yuan_m(h.get("global_budget_fen"))
        money["charged"][y] = _yuan_m(
            h.get("charged_fen", results.accounts[years.index(y)].insurance_fen)
        )
        # what the consortium keeps to distribute: the kept balance under a budget, the
        # shared savings under shared-savings rules (the "of which" rows add up to it)
        money["balance_kept"][y] = _yuan_m(rec.distribution.total_fen if rec else 0)
        money["overspend_borne"][y] = _yuan_m(h.get("overspend_consortium_fen", 0))
        money["clawback"][y] = _yuan_m(h.get("clawback_fen", 0))
        ss = rec.shared_savings if rec is not None else None
        money["benchmark"][y] = _yuan_m(None if ss is None else ss.benchmark_fen)
        money["shared_savings"][y] = _yuan_m(h.get("shared_savings_fen", 0))
        money["family_physician_fee"][y] = _yuan_m(h.get("family_physician_fee_fen", 0))
        for use in (
            "staff_incentive",
            "cooperation",
            "health_promotion",
            "institutional_development",
        ):
            money[use][y] = _yuan_m(alloc.get(use, 0))
        money["incentive_per_physician"][y] = (
            alloc.get("staff_incentive", 0) / 100 / doctors if doctors else np.nan
        )
    figures = pd.concat(
        [
            indicators.reindex(list(COMPARED)),
            pd.DataFrame(n).T[years],
            pd.DataFrame(money).T[years],
        ]
    )
    return figures, records, counts.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class RegimeComparison(SummaryHtml):
    """Figures by regime and year (long table), each regime's settlements, and the
    compared rates' counts (``counts``: regime, year, indicator, numerator, denominator,
    value; None when not kept)."""

    frame: pd.DataFrame
    settlements: dict[str, dict[int, SettlementRecord]]
    runs: dict[str, SimulationResults]
    rules: dict[str, PaymentRules] = field(default_factory=dict)
    counts: pd.DataFrame | None = None

    def wide(self, year: int) -> pd.DataFrame:
        """Figures (rows) by regime (columns) in one year."""
        self._check_year(year)
        sel = self.frame[self.frame["year"] == year]
        out = sel.pivot_table(index="figure", columns="regime", values="value", aggfunc="first")
        order = [k for k in ("residents", *COMPARED, *_PATIENTS, *_MONEY) if k in out.index]
        out = out.reindex(order)[[r for r in self.runs]]
        out.index = [({**COMPARED, **_N, **_MONEY})[k] for k in out.index]
        out.index.name = f"{year}"
        return out

    def _check_year(self, year: int) -> None:
        years = sorted(int(y) for y in self.frame["year"].unique())
        if year not in years:
            raise InputError(f"year: expected one of the compared years {years}, got {year}")

    def _year(self, year: int | None) -> int:
        return year if year is not None else int(self.frame["year"].max())

    def intervals(self, year: int | None = None) -> SummaryTable:
        """Each compared rate of ``year`` (default: the last) by regime with its 95 %
        interval, numerator and denominator (:mod:`ihms.sim._intervals`)."""
        year = self._year(year)
        self._check_year(year)
        if self.counts is None:
            raise InputError("intervals: this comparison kept no counts (made by hand?)")
        regimes = {r: rules_label(regime_rules(r)) for r in self.runs}
        return interval_table(self.counts, year, labels=COMPARED, regimes=regimes)

    def summary(self, year: int | None = None) -> SummaryTable:
        year = self._year(year)
        wide = self.wide(year).rename(columns=lambda r: rules_label(regime_rules(r)))
        counted = set(_N.values())
        return SummaryTable(
            wide,
            title=f"Payment regimes side by side, {year} (same county, same seed)",
            notes=(
                "Indicators computed with ihms.indicators from each run's tables; money from "
                "ihms.payment's settlement under the regime's rules ("
                + _rules_note(self.rules)
                + "; fee for service "
                "has no budget, so no balance; Deqing's shared savings are measured against "
                "a benchmark, not a budget, with the quality standard taken as met). What "
                "the consortium keeps is the balance a budget leaves it or, under Deqing's "
                'rules, its shared savings; the "of which" rows are their uses.',
                _one_run_note(self.runs),
                _pay_note(self.runs, self.rules),
                *_baseline_note(self.runs, self.rules),
                *_drift_note(self.runs),
            ),
            digits=2,
            row_decimals={
                column: [0 if label in counted else 2 for label in wide.index]
                for column in wide.columns
            },
        )

    def figure(self, lang: str = "en"):
        """Lines per regime over the years for the main figures (a point per year), the
        reform month marked by a dashed line; titles and legend in ``lang`` (``"zh"``:
        Chinese, drawn with :func:`ihms.fonts.use_cjk_font`)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ihms._words import check_lang
        from ihms.sim._words_zh import figure_words

        say = figure_words(check_lang(lang))

        keys = [
            "outpatient_contacts_primary_share",
            "hospitalization_rate",
            "inpatient_outside_county_share",
            "hypertension_control_rate",
            "balance_kept",
            "incentive_per_physician",
        ]
        fig, axes = plt.subplots(2, 3, figsize=(13, 7))
        labels = {**COMPARED, **_MONEY}
        # the reform month on the year axis (each point is a whole year's value)
        reform = next(iter(self.runs.values())).config.reform.date
        at = int(reform[:4]) + (int(reform[5:7]) - 1) / 12
        for ax, key in zip(axes.ravel(), keys, strict=True):
            ax.axvline(at, color="grey", linestyle="--", linewidth=1, label=say.reform(reform))
            for regime in self.runs:
                sel = self.frame[(self.frame["regime"] == regime) & (self.frame["figure"] == key)]
                label = say.cell(rules_label(regime_rules(regime)))
                ax.plot(sel["year"], sel["value"], marker="o", label=label)
            ax.set_title(say.cell(labels[key]).strip(), fontsize=10)
            ax.set_xticks(sorted(self.frame["year"].unique()))
            ax.grid(alpha=0.3)
        axes[0, 0].legend(fontsize=8)
        fig.tight_layout()
        return fig


def compare_regimes(
    config,
    *,
    regimes: tuple[str, ...] | None = None,
    residents: int | None = None,
    seed: int | None = None,
    system=None,
    progress=None,
    rules: Mapping[str, PaymentRules] | None = None,
) -> RegimeComparison:
    """Run the county under each regime (same seed) and gather the figures.

    Parameters
    ----------
    config
        The simulation config.
    regimes
        The regimes to run, in this order (default: fee for service, Sanming and "other
        areas", Zhong et al. 2023's comparison; Deqing's on request). All are checked before any
        simulating.
    residents, seed, system, progress
        As :class:`~ihms.sim.CountySimulation` and its ``run``.
    rules
        Payment rules by regime name, settling that regime's years in the run and in the
        comparison instead of its built-in ones (same kind as those: the providers behave
        as the regime pays them; see :func:`check_regime_rules`).

    Raises
    ------
    InputError
        A regime named twice, unknown, or one whose behaviour the config does not
        describe; a county too small for a regime's minimum savings rate table (Deqing's:
        :func:`check_county_size`, naming ``residents``).
    """
    regimes = check_regimes(config, regimes)
    given = dict(rules or {})
    for regime, rule_set in given.items():
        check_regime_rules(rule_set, regime, regimes=regimes, given=rule_set.name)
    chosen = {r: given.get(r) or builtin_rules(regime_rules(r)) for r in regimes}
    simulations = {
        r: CountySimulation(config, regime=r, residents=residents, seed=seed, system=system)
        for r in regimes
    }
    for regime in regimes:
        check_county_size(simulations[regime], chosen[regime])
    frames, settlements, runs, counted = [], {}, {}, []
    for regime in regimes:
        sink = MemorySink()
        settle = YearEndSettlement({regime: chosen[regime]})
        results = simulations[regime].run(
            sink=sink, progress=progress, settle=settle, size_checked=True
        )
        figures, records, counts = _regime_tables(
            results, sink.dataset(validate=False), chosen[regime]
        )
        long = figures.reset_index(names="figure").melt(id_vars="figure", var_name="year")
        frames.append(long.assign(regime=regime))
        counted.append(counts.assign(regime=regime))
        settlements[regime] = records
        runs[regime] = results
    frame = pd.concat(frames, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    return RegimeComparison(
        frame=frame[["regime", "year", "figure", "value"]],
        settlements=settlements,
        runs=runs,
        rules=given,
        counts=pd.concat(counted, ignore_index=True)[
            ["regime", "year", "indicator", "numerator", "denominator", "value"]
        ],
    )


def check_regime_rules(
    rules: PaymentRules | None,
    regime: str,
    *,
    regimes: tuple[str, ...] | None = None,
    given: str,
    option: str = "rules",
) -> None:
    """Refuse rules for a regime not among ``regimes``, or of another kind than the
    regime's built-in rule set (the simulated providers behave as that regime pays them).

    Raises
    ------
    InputError
        Naming ``option``, what was given (``given``) and the kind the regime needs.
    """
    if regimes is not None and regime not in regimes:
        raise InputError(
            f"{option}: {regime} is not a compared regime; rules can be given for "
            f"{', '.join(regimes)}"
        )
    if rules is None:
        return
    builtin = builtin_rules(regime_rules(regime))
    if rules.kind != builtin.kind:
        raise InputError(
            f"{option}: {given} is a {rules.kind.replace('_', ' ')} rule set "
            f"({rules.name}); the {regime} regime's providers are paid by a "
            f"{builtin.kind.replace('_', ' ')} rule set — give one of that kind (e.g. "
            f"`ihms payment rules {builtin.name}`, edited) or choose the regime with --regime"
        )
