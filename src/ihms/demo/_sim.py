"""Demo step: the simulated Youxi county, its calibration and the regimes side by side.

Runs the county simulator on ``examples/youxi_sim.yaml`` (the delivery system of
``examples/youxi.yaml``; February 2016 – November 2019 in the ITS, IMPM from October 2017),
or on the config ``ihms demo --config`` gave (``DemoContext.sim_config``; with another
reform month the calibration compares seed 002's figures before both reforms only and
says which it left out), and leaves for the later steps:

- ``ctx.artefacts["store"]`` — the run's data set in a DuckDB :class:`~ihms.data.Store`
  (read by the indicators step);
- ``ctx.artefacts["spending"]`` and ``ctx.artefacts["payment_population"]`` — the payment
  engine's spending and population tables of the run (read by the payment step);
- ``ctx.artefacts["series"]`` — the county hospitals' monthly series (``month``,
  outpatient and emergency visits, hospitalizations, costs per visit and per stay), the
  layout of ``examples/series/`` (read by the ITS step);
- ``ctx.artefacts["simulation"]`` — the :class:`~ihms.sim.SimulationResults`;
- ``ctx.artefacts["calibration"]`` — the calibration against seed 002 (read by the brief);
- ``ctx.artefacts["sim_config_file"]`` — the config file the run read (named by the
  indicators step);
- ``ctx.artefacts["regime_comparison"]`` — the regimes' smaller runs (the indicators
  step names their figures beside the whole county's).

The whole county is simulated (about 374,000 residents ever present over 2016-2019; about
40 s on this 2-core machine, 2.7 GB). :data:`DEMO_RESIDENTS` may scale it down (the tests
do); counts in the series are then multiplied back to Youxi's size.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ihms.data import Store
from ihms.demo import _sim_zh
from ihms.demo._payment_text import fee_text
from ihms.demo._run import DemoContext
from ihms.demo._sim_calibration import calibration_figure as _calibration_figure
from ihms.demo._sim_calibration import calibration_table
from ihms.demo._sim_regimes import baseline_text as _baseline_text
from ihms.demo._sim_regimes import deqing_beside_seed as _deqing_beside_seed
from ihms.demo._sim_regimes import kept_by_regime as _kept_by_regime
from ihms.demo._sim_regimes import (
    money_share,
    money_share_words,
    regimes_title,
    run_figures,
    ways_zh,
    whole_county_note,
)
from ihms.demo._sim_regimes import reform_text as _reform_text
from ihms.demo._sim_regimes import run_size as _run_size
from ihms.demo._sim_regimes import run_tag as _run_tag
from ihms.demo._sim_regimes import years_text as _years_text
from ihms.errors import InputError
from ihms.payment import load_rules
from ihms.payment.reform import is_reform, month_words
from ihms.report import Section
from ihms.sim import CountySimulation, MemorySink, load_sim_config
from ihms.sim._codes import REGIMES, regime_rules
from ihms.sim._target_words import figures_words
from ihms.sim._words_zh import in_zh
from ihms.sim.calibrate import calibration_of
from ihms.sim.compare import check_county_size, compare_regimes
from ihms.sim.funding import population_table, spending_table
from ihms.sim.load import example_file
from ihms.sim.targets import REFORM_MONTH, TARGETS, left_out_reason
from ihms.sources import JIA_2021, ZHONG_2023, cited_zh
from ihms.summary import SummaryTable
from ihms.system import load_system

__all__ = ["DEMO_RESIDENTS", "sim_sections"]

#: Population the demo simulates; ``None``: the county file's (Youxi: 358,000 in 2016).
DEMO_RESIDENTS: int | None = None
#: Population of each run in the regime comparison (Deqing's shared savings need at least
#: 5,000 assigned people for its minimum savings rate; about 97 % of residents are insured).
COMPARE_RESIDENTS = 20_000
#: The regimes compared: seed 002's three and Deqing's shared savings (seed 004); about
#: 5 s more on this machine.
COMPARE_REGIMES = REGIMES


def _deqing_rules():
    return load_rules(regime_rules("deqing"))


def _msr_starts_at() -> int:
    """The assigned people Deqing's minimum savings rate table starts at (MSSP's: 5,000)."""
    return min(band.low_n for band in _deqing_rules().shared_savings.msr_table)


def _compared_regimes(config, residents: int, system) -> tuple[str, ...]:
    """:data:`COMPARE_REGIMES`, Deqing left out when the county at ``residents`` is too
    small for its minimum savings rate table — asked of the check ``ihms sim run|compare``
    and :meth:`CountySimulation.run` use (:func:`~ihms.sim.compare.check_county_size`),
    so the demo cannot keep a limit of its own that drifts from it."""
    sim = CountySimulation(config, regime="deqing", residents=residents, system=system)
    try:
        check_county_size(sim, _deqing_rules())
    except InputError:
        return tuple(r for r in COMPARE_REGIMES if r != "deqing")
    return COMPARE_REGIMES


def _config_path(ctx: DemoContext | None = None) -> Path:
    """The config the demo simulates: the one ``ihms demo --config`` gave, else
    ``examples/youxi_sim.yaml``."""
    given = None if ctx is None else ctx.sim_config
    return example_file("youxi_sim.yaml") if given is None else Path(given)


def _tried_reform(reform: str, *, reformed: bool, lang: str = "en") -> str:
    """A sentence when the run's reform month is not Youxi's (empty when it is), or when
    the run is no reform at all (its config's regime is its baseline regime); in ``lang``."""
    if lang == "zh":
        return _sim_zh.tried_reform(reform, reformed=reformed, youxi=reform == REFORM_MONTH)
    if not reformed:
        return " This run is no reform: its regime is the config's baseline_regime."
    if reform == REFORM_MONTH:
        return ""
    return (
        f" This run tries the reform from {month_words(reform)} instead (the config's "
        f"reform.date), so the sections below show what it would have done then; the "
        "calibration compares it with Youxi before both reforms only."
    )


def _size(results, *, lang: str = "en") -> str:
    if lang == "zh":
        return _sim_zh.size(results.plan.scale, results.residents)
    if results.plan.scale == 1:
        return f"Here the whole county is simulated: {results.residents:,} residents ever present"
    return (
        f"Here it runs at {results.plan.scale:.0%} of the county's size ({results.residents:,} "
        "residents ever present; counts in the county-hospital series are scaled back)"
    )


def _scale(size: str, share: str) -> str:
    """The regime runs' size, and what their money is (``share`` of Youxi's)."""
    return (
        f"each run {size} residents, same seed: money is that population's, "
        f"about {share} of Youxi's"
    )


def sim_sections(ctx: DemoContext) -> list[Section]:
    """Simulate Youxi, store it for the later steps, and report calibration and regimes."""
    path = _config_path(ctx)
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
        sim_config_file=path,
    )
    comparison = compare_regimes(
        config,
        regimes=_compared_regimes(config, COMPARE_RESIDENTS, system),
        residents=COMPARE_RESIDENTS,
        seed=ctx.seed,
        system=system,
    )
    ctx.artefacts["regime_comparison"] = comparison

    tuning = getattr(results.config, "calibration", None)
    tuned = bool(getattr(tuning, "tuned", None))
    cal = _calibration_section(calibration, tuned=tuned, lang=ctx.lang)
    whole = calibration.measurements.values
    return [
        _intro_section(results, lang=ctx.lang),
        cal,
        _regimes_section(comparison, whole=whole, lang=ctx.lang),
    ]


def _intro_section(results, *, lang: str = "en") -> Section:
    """The simulated county: what it is rebuilt from, the run's size and the volumes
    table (the library's), and why providers behave as they are paid."""
    reformed = is_reform(results.regime, results.config.baseline_regime)
    tried = _tried_reform(results.config.reform.date, reformed=reformed, lang=lang)
    summary = in_zh(results.summary(), lang)
    if lang == "zh":
        intro = Section(
            "simulation", _sim_zh.INTRO_TITLE, mirrors=cited_zh(f"{ZHONG_2023}, Table 2")
        )
        intro.text(_sim_zh.intro(_size(results, lang=lang), results.config.seed, tried))
        intro.table("sim_volumes", summary)
        intro.text(_sim_zh.PAID_BEHAVIOUR)
        return intro
    intro = Section(
        "simulation",
        "A county to try reforms on: the simulated Youxi",
        mirrors=f"{ZHONG_2023}, Table 2",
    )
    intro.text(
        "Youxi county (Sanming, Fujian) was the first county to pay its integrated county "
        "healthcare consortium by Sanming's integrated medicare payment methods, from October "
        "2017. The simulator rebuilds the county from its published structure — 358,000 to "
        f"363,000 residents, 14.9 % to 16.6 % aged 60 and over, 3 county hospitals, 18 then 23 "
        f"township health centres, 350 to 387 village clinics ({ZHONG_2023}, Table 2) — and lets "
        "its residents fall ill, seek care, be referred, admitted and followed up month by "
        f"month. {_size(results)} (random seed {results.config.seed}); every later section reads the "
        f"tables this run wrote.{tried}"
    )
    intro.table("sim_volumes", summary)
    intro.text(
        "How providers behave depends on how they are paid. Under fee for service the county "
        "hospitals earn by volume, draw mild cases and admit readily; under IMPM the "
        "consortium keeps what it saves from a population-based budget, so it sends mild "
        "cases to primary care, keeps patients in the county and funds health promotion from "
        "the balance — which is settled each whole year of the reform by the payment engine "
        "under Sanming's rules "
        "and raises the next year's chronic-disease management."
    )
    return intro


def _calibration_section(calibration, *, tuned: bool = False, lang: str = "en") -> Section:
    """The run against seed 002's figures: the verdict, the figures left out when the
    config's reform month is not Youxi's (and why), the shown figures that depart; in
    ``lang``."""
    if lang == "zh":
        mirrors = cited_zh(f"{ZHONG_2023}, Tables 3, 4 and 5")
        cal = Section("calibration", _sim_zh.CALIBRATION_TITLE, mirrors=mirrors)
        for text in _sim_zh.calibration_texts(calibration):
            cal.text(text)
        return _calibration_results(cal, calibration, tuned=tuned, lang=lang)
    cal = Section(
        "calibration",
        "Calibration: does the simulated county look like Youxi?",
        mirrors=f"{ZHONG_2023}, Tables 3, 4 and 5",
    )
    if calibration.frame.empty:
        verdict = f"Nothing is compared. {left_out_reason(calibration.reform)}"
    elif calibration.passed:
        verdict = "Every figure the calibration is judged on lies within its tolerance."
    else:
        verdict = (
            "Some figures lie outside their tolerance: " + ", ".join(calibration.failures) + "."
        )
    cal.text(
        "The simulated county is measured exactly as a real one would be: the yearly rates "
        "and counts with the indicator catalogue, the county hospitals' monthly volumes and "
        "costs with an interrupted time series (seasonally adjusted, Newey-West errors). "
        "Each figure is set against the value Zhong et al. (2023) report for Youxi. A rate or "
        "a yearly count passes within ±10 %; a change of trend at the reform passes when it "
        f"has the published sign and size (within a factor of √10). {verdict}"
    )
    if calibration.left_out and not calibration.frame.empty:
        cal.text(
            f"{len(calibration.left_out)} of {ZHONG_2023}'s {len(TARGETS)} figures are left out. "
            f"{left_out_reason(calibration.reform)} Left out: "
            f"{figures_words(calibration.left_out)}."
        )
    departures = calibration.departures
    if departures:
        cal.text(
            f"The verdict rests on {int(calibration.frame['within'].notna().sum())} gated "
            "figures. The others are shown for comparison and held to the same rule of their "
            f"kind. On {len(departures)} of them the simulated county departs from Youxi. "
            "Read these as the model's limits, not as findings; the notes under the table "
            "say why."
        )
    return _calibration_results(cal, calibration, tuned=tuned)


def _calibration_results(cal: Section, calibration, *, tuned: bool, lang: str = "en") -> Section:
    """``cal`` with the calibration's table and its figure, when anything is compared."""
    if calibration.frame.empty:
        return cal
    cal.table("sim_calibration", calibration_table(calibration, tuned=tuned, lang=lang))
    if calibration.frame["source"].str.contains("Table 4|Table 5", regex=True).any():
        caption = (
            _sim_zh.calibration_caption(left_out=bool(calibration.left_out))
            if lang == "zh"
            else f"Simulated over published value for each yearly figure of {ZHONG_2023}, "
            f"Tables 4 and 5{' compared' if calibration.left_out else ''}: solid bars decide "
            "the verdict, hatched ones are shown for comparison; red: outside ±10 %."
        )
        cal.figure(
            "sim_calibration_ratios", _calibration_figure(calibration, lang=lang), caption=caption
        )
    return cal


def _regimes_section(comparison, whole=None, *, lang: str = "en") -> Section:
    """The regimes side by side in the last year, their paths, and what each settlement
    leaves the consortium; ``whole``: the whole county's measured figures by target key
    (its hospitalization rate in the first year, when before the reform, is set beside the
    runs' interval); in ``lang``."""
    zh = lang == "zh"
    cmp_ = Section(
        "regimes",
        regimes_title(comparison, lang=lang),
        mirrors=_sim_zh.regimes_mirrors()
        if zh
        else f"{ZHONG_2023}, Table 1 and discussion; {JIA_2021} (Deqing)",
    )
    last = int(comparison.frame["year"].max())
    tag = _run_tag(comparison, lang=lang)
    size = _run_size(comparison, lang=lang)
    figures = {r: run_figures(comparison, r, last) for r in comparison.runs}
    share = money_share_words(money_share(comparison), lang=lang)
    if zh:
        _regimes_paragraph_zh(cmp_, comparison, last, tag, size, share, figures)
    else:
        _regimes_paragraph(cmp_, comparison, last, tag, share, figures)
    _regimes_results(cmp_, comparison, whole, last, share, lang=lang)
    return cmp_


def _regimes_paragraph_zh(
    cmp_: Section, comparison, last: int, tag: str, size: str, share: str, figures
) -> None:
    """The regimes section's first paragraph in Chinese, from the runs' ``figures``
    (:func:`~ihms.demo._sim_regimes.run_figures` by regime); ``share`` what the runs'
    money is of Youxi's."""
    deqing = (
        _sim_zh.deqing_in(fee_text(_deqing_rules(), lang="zh"), last, figures["deqing"], tag)
        if "deqing" in comparison.runs
        else _sim_zh.deqing_left_out(COMPARE_RESIDENTS, _msr_starts_at())
    )
    cmp_.text(
        _sim_zh.regimes_paragraph(
            ways=ways_zh(comparison),
            reform=_reform_text(comparison, lang="zh"),
            size_words=size,
            share_words=share,
            last=last,
            tag=tag,
            figures=figures,
            deqing=deqing,
        )
    )


def _regimes_paragraph(cmp_: Section, comparison, last: int, tag: str, share: str, figures) -> None:
    """The regimes section's first paragraph: each regime's two ``figures`` in ``last``
    (:func:`~ihms.demo._sim_regimes.run_figures` by regime: primary-care share, then
    hospitalization rate); ``share`` what the runs' money is of Youxi's."""
    primary = {r: f"{f[0]:.1f}" for r, f in figures.items()}
    rate = {r: f"{f[1]:.1f}" for r, f in figures.items()}
    scale = _scale(_run_size(comparison), share)
    deqing = (
        f" Deqing's shared savings ({JIA_2021}) are left out: runs of {COMPARE_RESIDENTS:,} "
        "residents are too small for its minimum savings rate, which starts at "
        f"{_msr_starts_at():,} assigned people (`ihms sim compare --regime deqing` runs it on a "
        "larger county)."
    )
    if "deqing" in comparison.runs:
        deqing = (
            f" Deqing's shared savings ({JIA_2021}) pay no budget: the consortium earns a "
            "share of what it spends below a benchmark, family physicians are paid "
            f"{fee_text(_deqing_rules())} (its rule file), and the quality standard is taken "
            "as met; in "
            f"{last} its primary-care share is {primary['deqing']} % and its "
            f"hospitalization rate {rate['deqing']} {tag}."
        )
    cmp_.text(
        f"The same county, the same residents and the same illnesses, paid "
        f"{regimes_title(comparison).split()[0].lower()} ways "
        f"{_reform_text(comparison)} ({scale}). In {last} the "
        f"primary-care share of outpatient contacts is {primary['sanming']} % {tag} "
        f"under Sanming's rules against {primary['fee-for-service']} % under fee for "
        f"service and {primary['other-areas']} % under the other-areas ratchet. The "
        f"hospitalization rate is {rate['sanming']} admissions per 100 residents "
        f"{tag} against {rate['fee-for-service']} and "
        f"{rate['other-areas']}. "
        "Under the ratchet a consortium that spends less is given less the next year and "
        "may keep a balance only for institutional development, so the incentive to keep "
        f"patients healthy and in primary care is weaker — the contrast {ZHONG_2023} draws in "
        f"its Table 1.{deqing} The comparison is also `ihms sim compare --regime ...`."
    )


def _regimes_results(
    cmp_: Section, comparison, whole, last: int, share: str, *, lang: str = "en"
) -> None:
    """The regimes' baseline against the whole county, their tables, paths and what each
    settlement leaves the consortium, in ``lang``; ``share`` what the runs' money is of
    Youxi's."""
    zh = lang == "zh"
    size = _run_size(comparison, lang=lang)
    baseline = _baseline_text(comparison, whole, lang=lang)
    if baseline:
        cmp_.text(baseline)
    summary = in_zh(comparison.summary(last), lang)
    if zh:
        per, runs = _sim_zh.regimes_table_words(size)
    else:
        per = f"per {size} simulated residents"  # the N row's, not the size asked
        runs = (
            f"Each run simulates {size} residents; money rows are theirs, "
            "not Youxi's (the settlement sections settle the whole simulated county)."
        )
    cmp_.table(
        "sim_regimes",
        dataclasses.replace(
            summary,
            title=f"{summary.title}{'，' if zh else ', '}{per}",
            notes=(
                *summary.notes,
                runs,
                *filter(None, [whole_county_note(whole, last, lang=lang)]),
            ),
        ),
    )
    cmp_.table("sim_regimes_intervals", in_zh(comparison.intervals(last), lang))
    years, reform = _years_text(comparison, lang=lang), _reform_text(comparison, lang=lang)
    cmp_.figure(
        "sim_regimes_figure",
        comparison.figure(lang=lang),
        caption=_sim_zh.regimes_caption(years, reform, size, share)
        if zh
        else f"Each regime's path, {years} (reform {reform}; {_scale(size, share)}).",
    )
    if "deqing" in comparison.runs:
        _deqing_beside_seed(cmp_, comparison.runs["deqing"], lang=lang)
    kept = _kept_by_regime(comparison, lang=lang)
    if kept.empty:
        return
    if zh:
        title, notes = _sim_zh.balances_words(size)
        cmp_.table("sim_regime_balances", SummaryTable(kept, title=title, notes=notes, lang="zh"))
        return
    cmp_.table(
        "sim_regime_balances",
        kept,
        title="What each year's settlement leaves the consortium, by payment regime (yuan), " + per,
        notes=(
            "Balance: global budget minus the spending charged to it, before the "
            "assessment and any clawback (the table above gives the part kept). Shared "
            "savings: Deqing's share of the spending below its benchmark. Fee for "
            f"service has neither. Runs of {size} residents.",
        ),
    )
