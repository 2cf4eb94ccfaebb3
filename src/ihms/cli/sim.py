"""``ihms sim``: run the county simulator, check its calibration, compare regimes."""

from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ihms._atomic import write_text_whole
from ihms._words import check_lang, said
from ihms.cli._common import IhmsGroup, console, lang_option, print_json, print_path
from ihms.cli._sim_out import (
    earlier_store,
    failed_summary,
    interrupted,
    layout,
    print_run,
)
from ihms.cli._sim_rules import (
    in_run_settlement,
    rules_by_regime,
    rules_record,
    seed_004_of,
)
from ihms.errors import InputError
from ihms.sources import JIA_2021, ZHONG_2023

app = typer.Typer(
    cls=IhmsGroup, no_args_is_help=True, help="Simulate a county under a payment regime."
)

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Simulation YAML, or a county file with a `simulation:` section or a sibling "
        "<name>_sim.yaml \\[default: examples/youxi_sim.yaml of the current folder, else of "
        "the ihms source tree].",
    ),
]
RegimeOpt = Annotated[
    str | None,
    typer.Option(
        help="Regime from the reform on: fee-for-service, sanming, other-areas or deqing "
        f"(Deqing's shared savings and family-physician fees, {JIA_2021})."
    ),
]
ReformOpt = Annotated[
    str | None,
    typer.Option(
        help="Reform month instead of the config's reform.date: 2017-10, 2017/10, "
        "2017年10月 ... (the months `ihms its` reads); after the study window's first "
        "month and within it.",
    ),
]
SeedOpt = Annotated[int | None, typer.Option(help="Seed (default: the config's).")]
ResidentsOpt = Annotated[
    int | None,
    typer.Option(help="Simulate the county scaled to this first-year population."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
LangOpt = lang_option(
    "Tables, notes, figure titles and compare's --table (--json, sim run's data and "
    "calibrate's tuned values stay English)"
)
_REGIME = "option '--regime'"
_RESIDENTS = "option '--residents'"
_REFORM = "option '--reform'"
_NUMBERS = (("parameter 'residents'", _RESIDENTS), ("parameter 'seed'", "option '--seed'"))
#: The exit code ``ihms.cli.main`` gives SIGTERM (a run so stopped is recorded as interrupted).
SIGTERM_EXIT = 128 + signal.SIGTERM
DEFAULT_CONFIG = "youxi_sim.yaml"


def _config(path: Path | None) -> Path:
    from ihms.sim.load import example_file

    return example_file(DEFAULT_CONFIG) if path is None else path


def _reformed(cfg, reform: str | None):
    """``cfg`` with the reform month ``--reform`` gives, read and checked before anything
    is simulated (:func:`ihms.sim.with_overrides`), the same for every command."""
    if reform is None:
        return cfg
    from ihms.cli._stats_options import as_options
    from ihms.sim import with_overrides

    with as_options((("parameter 'reform'", _REFORM),)):
        return with_overrides(cfg, reform=reform)


@contextmanager
def _progress(quiet: bool, label: str):
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} block-years"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet,
    )
    with bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command()
def run(
    config: ConfigOpt = None,
    regime: RegimeOpt = None,
    reform: ReformOpt = None,
    seed: SeedOpt = None,
    residents: ResidentsOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for the data and summary.json.")] = Path(
        "out/sim"
    ),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="duckdb: <out>/ihms.duckdb (validated store); parquet: <out>/tables/*.parquet "
            "(streamed, memory bounded by the chunk).",
        ),
    ] = "duckdb",
    validate: Annotated[
        bool,
        typer.Option(help="Validate the whole data set before storing it (slow at full size)."),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace <out>/ihms.duckdb even if it holds data that is not an earlier "
            "simulation's (an earlier run's is replaced without it).",
        ),
    ] = False,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            metavar="NAME|FILE",
            help="Payment rules the reform regime's years are settled by (default: the "
            "built-in rules of the regime's name); e.g. `ihms payment rules sanming > "
            "county.yaml`, edited. Provider behaviour stays the regime's.",
        ),
    ] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Simulate the county and write its data tables and a summary.

    ``summary.json`` in ``--out`` records the period and where the tables are; a
    ``--format parquet`` folder also carries the period in ``tables/dataset.json``, so
    ``ihms data import <out>/tables`` needs no ``--start``/``--end``. Both the summary
    and the data set's metadata record the run's id, so a run finds and reports what an
    earlier run that was killed left in ``--out``.
    """
    from ihms.cli._stats_options import as_options
    from ihms.data import Period
    from ihms.payment.reform import is_reform
    from ihms.sim import CountySimulation, ParquetSink, StoreSink, load_sim_config
    from ihms.sim.outputs import SUMMARY, SummarySetAside, new_run_id, recover_out_folder
    from ihms.sim.provenance import provenance
    from ihms.sim.regime import check_regimes
    from ihms.sim.results import settlement_headline
    from ihms.sim.run import load_county

    check_lang(lang)
    if fmt not in ("duckdb", "parquet"):
        raise InputError(f"option '--format': expected duckdb or parquet, got {fmt!r}")
    if out.exists() and not out.is_dir():
        raise InputError(f"option '--out': {out} is a file; --out names a folder for the run")
    target = out / "ihms.duckdb" if fmt == "duckdb" else out / "tables"
    other = out / "tables" if fmt == "duckdb" else out / "ihms.duckdb"
    if other.exists():
        raise InputError(
            f"option '--out': {other} (an earlier run's {'tables' if fmt == 'duckdb' else 'store'}) "
            f"is there and would sit beside this run's {target.name} as if it were this "
            f"run's; remove it or give another --out"
        )
    found = recover_out_folder(out, target, fmt)  # what a run that stopped left
    if found and not json_:
        for note in found:
            console.print(f"[yellow]Earlier run:[/yellow] {escape(note)}.", highlight=False)
    earlier = earlier_store(target, replace) if fmt == "duckdb" else None
    cfg = _reformed(load_sim_config(_config(config)), reform)
    (regime_in_force,) = check_regimes(cfg, (regime or cfg.reform.regime,), option=_REGIME)
    settler = in_run_settlement(rules, regime_in_force)
    # a regime in force throughout (no reform) records no reform month (sim review 6)
    reform_month = cfg.reform.date if is_reform(regime_in_force, cfg.baseline_regime) else None
    # the county file is read before the progress display starts (its errors then print
    # as every other error does)
    sim = CountySimulation(
        cfg, regime=regime, seed=seed, residents=residents, system=load_county(cfg)
    )
    sink = (
        StoreSink(target, validate=validate, replace=earlier is not None)
        if fmt == "duckdb"
        else ParquetSink(target)
    )
    run_id = new_run_id()
    guarded = SummarySetAside(sink, out / SUMMARY)
    seen = {"block_years_done": 0, "block_years": None}
    try:
        try:
            with _progress(json_, "simulating") as progress:

                def tracked(done: int, total: int) -> None:
                    seen.update(block_years_done=done, block_years=total)
                    progress(done, total)

                # run refuses a county too small for the rules before simulating
                with as_options(_NUMBERS):
                    results = sim.run(sink=guarded, settle=settler, progress=tracked, run_id=run_id)
        except Exception as exc:
            if guarded.placed:  # the data are this run's: say the run failed, not nothing
                failed_summary(out / SUMMARY, run_id, target, exc)
            raise
        # The data set is in place and the earlier run's summary.json is gone (it
        # described other data); if this one is not written whole, none is left.
        try:
            span = results.config.period
            period = Period.parse(span.start, span.end)
            summary = {
                "run_id": run_id,
                "status": "complete",
                "regime": results.regime,
                "reform": reform_month,
                "seed": results.config.seed,
                "residents": results.residents,
                "seconds": round(results.seconds, 2),
                "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
                "data": str(target),
                "layout": layout(fmt, target),
                "per_year": results.per_year(),
                "spending": results.spending(),  # inside the county and outside, fen
                "rules": rules_record(settler.rules_for(results.regime), rules),
                "settled_years": results.settled_years(),
                "settlements": {y: settlement_headline(r) for y, r in results.settlements.items()},
                "calibration": provenance(results.config),
                "capped_counts": results.capped_counts(),  # resident-months cut short
            }
            seed_figures = seed_004_of(results)
            if seed_figures is not None:
                summary["seed_004"] = seed_figures.to_json()
            if found:
                summary["earlier_run"] = found
            write_text_whole(out / SUMMARY, json.dumps(_plain(summary), indent=2))
        except BaseException:
            (out / SUMMARY).unlink(missing_ok=True)
            raise
    except (KeyboardInterrupt, SystemExit) as stop:
        if isinstance(stop, SystemExit) and stop.code != SIGTERM_EXIT:
            raise
        run_info = {
            "run_id": run_id,
            "regime": regime_in_force,
            "reform": reform_month,
            "seed": seed if seed is not None else cfg.seed,
            "residents": residents,
        }
        cause = "SIGTERM" if isinstance(stop, SystemExit) else "KeyboardInterrupt (Ctrl-C)"
        interrupted(out, target, fmt, run_info, cause=cause, progress=dict(seen))
        raise
    if json_:
        print_json(summary)
        return
    print_run(results, summary, seed_figures, target, earlier, lang)


def _plain(obj):
    from ihms.cli._common import to_jsonable

    return to_jsonable(obj)


@app.command()
def calibrate(
    config: ConfigOpt = None,
    reform: ReformOpt = None,
    residents: ResidentsOpt = None,
    seed: SeedOpt = None,
    tune: Annotated[
        bool,
        typer.Option(
            "--tune",
            help="First solve the tuned parameters by least squares on a scaled-down county "
            "and write them into the config's calibration block.",
        ),
    ] = False,
    tune_residents: Annotated[
        int, typer.Option(help="Population of the county the tuning runs on.")
    ] = 40_000,
    evaluations: Annotated[
        int,
        typer.Option(
            min=1,
            help="Budget of tuning runs: every simulation counts, the finite-difference "
            "Jacobian's (one per tuned parameter each iteration) included; when it is spent "
            "the best point run so far is written (the committed Youxi tune of 2026-11-26 "
            "converged after 277 runs of 23 parameters).",
        ),
    ] = 300,
    json_: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Check the simulated county against Zhong et al. 2023's figures; exit 1 if any is outside.

    With a reform month other than Youxi's (October 2017; the config's or ``--reform``)
    only the figures of months before both reforms are compared; the output names those
    left out and why."""
    from ihms.cli._stats_options import as_options
    from ihms.sim import load_sim_config
    from ihms.sim._words_zh import in_zh
    from ihms.sim.calibrate import calibrate as run_calibration
    from ihms.sim.calibrate import check_periods, check_reform
    from ihms.sim.load import resolve_config_path
    from ihms.sim.run import load_county

    check_lang(lang)
    path = resolve_config_path(_config(config))
    cfg = _reformed(load_sim_config(path), reform)
    # a month --reform gave is named as the option, not as the config's key
    given = ((f"{path}: key 'simulation.reform.date'", _REFORM),) if reform else ()
    with as_options(given):
        check_periods(cfg, where=str(path))
        if tune:
            check_reform(cfg.reform.date, where=str(path))
    if tune:
        from ihms.sim.tune import tune as run_tuning
        from ihms.sim.tune import write_tuned

        system = load_county(cfg)  # its tuning-bounds notes said once, by load_sim_config

        def evaluate(candidate):
            result = run_calibration(candidate, residents=tune_residents, system=system)
            return dict(result.frame["simulated"])

        tuned = run_tuning(
            cfg,
            evaluate,
            max_evaluations=evaluations,
            # the county file the values are tuned for, as a `county:` key names it
            details={
                "residents": tune_residents,
                "seed": cfg.seed,
                "county": os.path.relpath(cfg.county, path.resolve().parent),
            },
            progress=None
            if json_
            else lambda i, ss: console.print(said(lang, "tune run", i=i, ss=ss)),
        )
        write_tuned(path, tuned)
        if not json_:
            console.print(in_zh(tuned.summary(), lang))
            print_path(said(lang, "tuned written to"), path)
        cfg = _reformed(load_sim_config(path), reform)
    with _progress(json_, "simulating") as progress:
        result = run_calibration(cfg, residents=residents, seed=seed, progress=progress)
    if json_:
        print_json(result.to_dict())
    else:
        console.print(in_zh(result.summary(), lang))
    if not result.passed:
        raise typer.Exit(code=1)


@app.command()
def compare(
    config: ConfigOpt = None,
    reform: ReformOpt = None,
    residents: ResidentsOpt = None,
    seed: SeedOpt = None,
    regime: Annotated[
        list[str] | None,
        typer.Option(
            "--regime",
            help="A regime to run (repeat for several, shown in that order): "
            "fee-for-service, sanming, other-areas or deqing \\[default: fee-for-service, "
            f"sanming and other-areas, {ZHONG_2023}'s comparison].",
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year of the table (default: the last).")] = None,
    figure: Annotated[Path | None, typer.Option(help="Write the figure (PNG/SVG) here.")] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            metavar="REGIME=NAME|FILE",
            help="Payment rules a compared regime's years are settled by instead of its "
            "built-in ones (repeat for several), e.g. `--rules sanming=county.yaml` after "
            "`ihms payment rules sanming > county.yaml`, edited; of the same kind as the "
            "regime's own. Provider behaviour stays the regime's.",
        ),
    ] = None,
    seeds: Annotated[
        str | None,
        typer.Option(
            "--seeds",
            metavar="N|S1,S2,...",
            help="Run the regimes once per seed — a number of seeds from --seed (else the "
            "config's seed) on, or a list — and show each headline figure's mean, SD, "
            "min, max and across-seed spread (the model's randomness, not a confidence "
            "interval) per year, with each regime's difference from the baseline.",
        ),
    ] = None,
    table: Annotated[
        Path | None,
        typer.Option(
            help="With --seeds: write every figure's spread and each seed's value (.csv/.xlsx)."
        ),
    ] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Run the county under each regime (same seed) and show them side by side."""
    from ihms.cli._stats_options import as_options
    from ihms.payment import load_rules
    from ihms.sim import load_sim_config
    from ihms.sim._codes import regime_rules
    from ihms.sim.compare import compare_regimes
    from ihms.sim.provenance import provenance
    from ihms.sim.regime import check_regimes

    check_lang(lang)
    cfg = _reformed(load_sim_config(_config(config)), reform)
    # Checked before the simulations run, not after.
    regimes = check_regimes(cfg, tuple(regime or ()), option=_REGIME)
    given, sources = rules_by_regime(rules or [], regimes)
    chosen = {name: given.get(name) or load_rules(regime_rules(name)) for name in regimes}
    years = cfg.period.years
    if year is not None and year not in years:
        raise InputError(
            f"option '--year': expected a year of the simulated period {years[0]}-{years[-1]}, "
            f"got {year}"
        )
    if figure is not None:
        from ihms.stats import check_figure_path

        check_figure_path(figure, option="option '--figure'")
    if seeds is not None or table is not None:
        from ihms.cli._sim_seeds import compare_over_seeds

        return compare_over_seeds(
            cfg, seeds, seed=seed, regimes=regimes, rules=given, residents=residents,
            year=year, table=table, figure=figure, json_=json_, lang=lang,
            progress=lambda: _progress(json_, "simulating the regimes, seed by seed"),
        )  # fmt: skip
    # compare_regimes refuses a county too small for a regime's rules before simulating
    with (
        as_options(_NUMBERS),
        _progress(json_, "simulating the regimes") as progress,
    ):
        result = compare_regimes(
            cfg, regimes=regimes, residents=residents, seed=seed, progress=progress, rules=given
        )
    if figure is not None:
        from ihms.stats import save_figure

        save_figure(result.figure(lang=lang), figure, option="option '--figure'")
    seed_figures = seed_004_of(result.runs["deqing"]) if "deqing" in result.runs else None
    used = {name: rules_record(chosen[name], sources.get(name)) for name in regimes}
    if json_:
        extra = {"seed_004": seed_figures.to_json()} if seed_figures else {}
        if result.counts is not None:
            extra["counts"] = result.counts
        extra["calibration"] = provenance(cfg)
        print_json({"figures": result.frame, "rules": used, **extra})
        return
    from ihms.sim._notes_zh import said_line
    from ihms.sim._words_zh import in_zh, regime_zh

    console.print(in_zh(result.summary(year), lang))
    if result.counts is not None:
        console.print(in_zh(result.intervals(year), lang))
    for note in provenance(cfg)["notes"]:  # which values are tuned, which assumed
        console.print(said_line(note, lang), highlight=False, markup=False)
    for name, rec in used.items():
        if rec["from"] != "built in":
            regime = regime_zh(name) if lang == "zh" else name
            fill = {k: rec[k] for k in ("name", "version", "digest")}
            print_path(said(lang, "rules from", regime=regime, **fill), rec["from"])
    if seed_figures is not None:
        console.print(in_zh(seed_figures.summary(), lang))
    if figure is not None:
        print_path(said(lang, "figure written to"), figure)
