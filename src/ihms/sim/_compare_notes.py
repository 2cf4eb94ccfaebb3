"""The notes under :meth:`ihms.sim.compare.RegimeComparison.summary`: the rules used, how
staff are paid, one run per regime, the fee-for-service drift, and the reform's baseline
year (not settled: :func:`ihms.sim.regime.first_settled_year`)."""

from __future__ import annotations

from collections.abc import Mapping

from ihms.payment import PaymentRules, rules_label
from ihms.payment.reform import is_reform, month_words, reform_months_in
from ihms.sim._codes import FEE_FOR_SERVICE, regime_rules
from ihms.sim._parsed import builtin_rules
from ihms.sim.results import SimulationResults
from ihms.sources import ZHONG_2023


def _rules_note(rules: Mapping[str, PaymentRules]) -> str:
    if not rules:
        return "built in"
    own = ", ".join(f"{regime}: {r.name} v{r.version}" for regime, r in rules.items())
    return f"{own}; the others built in"


def _salaried(regime: str, rules: Mapping[str, PaymentRules]) -> bool:
    """Whether ``regime``'s rules (those it was given, else its built-in ones) pay staff
    by annual salary (``staff_pay.method``)."""
    rule_set = rules.get(regime) or builtin_rules(regime_rules(regime))
    return rule_set.staff_pay.method == "annual_salary"


def _pay_note(runs: Mapping[str, object], rules: Mapping[str, PaymentRules]) -> str:
    """How each compared regime's rules pay staff (``staff_pay.method``), the rules a
    regime was given else its built-in ones."""
    salaried = [rules_label(regime_rules(r)) for r in runs if _salaried(r, rules)]
    assumed = f"{ZHONG_2023} gives no pay levels: the levels are assumed."
    if not salaried:
        return (
            "Personnel cost: a share of the revenue charged — every compared regime's rules "
            "pay staff by volume (staff_pay.method) — for every staff member, divided by the "
            f"physicians. {assumed}"
        )
    return (
        "Personnel cost: a share of the revenue charged while staff are paid by volume; "
        f"under the annual salary system ({', '.join(salaried)}) the last pre-reform "
        "year's pay per physician plus the staff incentive of the in-run settlement "
        "(assessment taken as passed), so it no longer falls with the services provided. "
        "It is every staff member's pay (nurses, technicians and managers too) divided by "
        "the physicians, so it is well above a doctor's salary. " + assumed
    )


def _one_run_note(runs: Mapping[str, SimulationResults | None]) -> str:
    sizes = sorted({r.residents for r in runs.values() if r is not None})
    size = f" of {sizes[0]:,} residents ever present" if len(sizes) == 1 else ""
    return (
        f"Each regime is one stochastic run{size} (same seed), not a mean over runs: a "
        "gap of a few points on a few hundred patients can be chance — "
        "`RegimeComparison.intervals` gives every rate's counts and 95 % interval, "
        "`ihms sim compare --seeds` the spread of each figure over seeds."
    )


#: The fee-for-service behaviour whose drift continues after the reform when the county
#: stays on fee for service (a dotted path of the config, as ``calibration.tuned`` names it).
FFS_DRIFT = f"regimes.{FEE_FOR_SERVICE}.ch_attraction_drift_per_year"


def _drift_note(runs: Mapping[str, SimulationResults | None]) -> tuple[str, ...]:
    """Under fee for service the county stays on its pre-reform behaviour: its path after
    the reform extends that behaviour's drift, a tuned parameter when the config says so."""
    run = runs.get(FEE_FOR_SERVICE)
    if run is None:
        return ()
    config = run.config
    regime = config.regimes[FEE_FOR_SERVICE]
    tuned = config.calibration.tuned if config.calibration is not None else {}
    how = (
        f"tuned with the calibration to {ZHONG_2023}'s figures, which show fee for service only "
        f"before {config.reform.date}"
        if FFS_DRIFT in tuned
        else "set in the config"
    )
    return (
        "Fee for service is the county's pre-reform behaviour continued: its "
        "hospitalization rate climbs partly because the county hospitals' pull on mild "
        "cases keeps growing at "
        f"{FFS_DRIFT} = {regime.ch_attraction_drift_per_year:g} a year ({how}), extended "
        f"unchanged to {config.period.years[-1]} — an assumption, not an observation of a county that stayed "
        "on fee for service.",
    )


def _baseline_note(
    runs: Mapping[str, SimulationResults | None], rules: Mapping[str, PaymentRules]
) -> tuple[str, ...]:
    """The year the reform began within, when it has one: no run settles it (the whole
    years of the reform only, as ``sim run`` and the demo), so its money rows hold no
    budget, balance or incentive, and an annual salary pays its reformed months without
    incentive — the rows and the personnel cost leave out the same incentive."""
    reformed = [
        r for r in runs.values() if r is not None and is_reform(r.regime, r.config.baseline_regime)
    ]
    if not reformed:
        return ()
    years = reformed[0].settled_years()
    baseline = years["baseline"]
    if baseline is None:
        return ()
    reform = str(reformed[0].config.reform.date)
    settled = ", ".join(map(str, years["settled"])) or "none in the period"
    text = (
        f"{baseline} (from {month_words(reform, year=False)}) is the baseline year of the reform: "
        "not settled, so its money rows hold no budget, balance or staff incentive — a year's "
        f"budget or benchmark is set for the whole year (settled: {settled}, the whole years "
        "of the reform, as ihms sim run and the demo settle them)"
    )
    salaried = [r for r in reformed if _salaried(r.regime, rules)]
    if salaried:
        text += (
            f"; its personnel cost pays the {reform_months_in(reform, baseline)} of 12 months under the annual "
            "salary without incentive, as the incentive rows show"
        )
    return (text + ".",)


def note_changed_measures(regime: str, rules: PaymentRules | None) -> None:
    """Warn (:class:`~ihms.errors.IhmsWarning`, a note in the CLI) for each scorecard
    indicator of ``rules`` (given for ``regime``; None: its built-in ones, which score
    none) whose measure changed (:data:`ihms.payment.indicator_values.CHANGED_MEASURES`)
    when a simulated year is settled under them: it is still scored, as the card names it,
    but no longer measures what the card meant (``payment ... --store`` says it alike)."""
    from ihms.payment.indicator_values import note_changed_measures as note_changed
    from ihms.sim._codes import has_budget

    if rules is None or not has_budget(regime):
        return
    note_changed(
        rules, settled="The simulated years are settled", settled_zh="模拟年度", regime=regime
    )
