"""``ihms sim sensitivity``: one-way sensitivity analysis (:mod:`ihms.sim.sensitivity`),
a tornado table of one outcome, or every run's figures as JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from ihms.cli._common import console, print_json
from ihms.cli.sim import (
    ConfigOpt,
    JsonOpt,
    LangOpt,
    ReformOpt,
    RegimeOpt,
    ResidentsOpt,
    SeedOpt,
    _config,
    _progress,
    _reformed,
)

__all__ = ["sensitivity"]

_MEASURES = {"relative": "relative difference (%)"}

_OPTIONS = (
    ("parameter 'outcome'", "option '--outcome'"),
    ("parameter 'measure'", "option '--measure'"),
    ("parameter 'year'", "option '--year'"),
    ("parameter 'residents'", "option '--residents'"),
    ("parameter 'seed'", "option '--seed'"),
)


def sensitivity(
    config: ConfigOpt = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="A parameter to vary (repeatable): KEY, a tuned parameter over its tuning "
            "bounds, or KEY=LOW:HIGH for any numeric parameter (e.g. "
            "regimes.sanming.promotion_effort=0.1:0.5) \\[default: every parameter "
            "`sim calibrate --tune` tunes].",
        ),
    ] = None,
    regime: RegimeOpt = None,
    reform: ReformOpt = None,
    outcome: Annotated[
        str,
        typer.Option(
            help="The figure the tornado reads: charged, balance_kept, admissions, "
            "hospitalization_rate, inpatient_outside_county_share, hypertension_control_rate "
            "... (every one of sim compare's)."
        ),
    ] = "charged",
    measure: Annotated[
        str,
        typer.Option(
            help="difference (the reform regime's figure minus the baseline's), relative "
            "(that difference in % of the baseline's) or value (the reform regime's figure)."
        ),
    ] = "difference",
    year: Annotated[int | None, typer.Option(help="Year (default: the last).")] = None,
    residents: ResidentsOpt = 20_000,
    seed: SeedOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """One-way sensitivity: each parameter alone at the low and the high end of its range,
    the baseline and reform regimes run each time with the same seed; a tornado table of
    the outcome at each end, the parameter that moves it farthest from the base run first."""
    from ihms._words import check_lang
    from ihms.cli._stats_options import as_options
    from ihms.sim import load_sim_config
    from ihms.sim.regime import check_regimes
    from ihms.sim.sensitivity import check_outcome, default_varied, one_way, parse_vary

    check_lang(lang)
    cfg = _reformed(load_sim_config(_config(config)), reform)
    chosen = tuple(parse_vary(text, cfg) for text in vary) if vary else default_varied(cfg)
    year = year if year is not None else cfg.period.years[-1]
    (regime,) = check_regimes(cfg, (regime or cfg.reform.regime,), option="option '--regime'")
    measure = _MEASURES.get(measure, measure)
    with as_options(_OPTIONS):
        check_outcome(outcome, measure, year, cfg.period.years, regime, cfg.baseline_regime)
        with _progress(json_, "simulating") as bar:

            def shown(i: int, total: int, what: str) -> None:
                bar(i - 1, total)

            result = one_way(
                cfg, chosen, regime=regime, residents=residents, seed=seed, progress=shown
            )
    if json_:
        print_json(result.to_json(outcome, measure, year))
        return
    from ihms.sim._words_zh import in_zh

    console.print(in_zh(result.summary(outcome, measure, year), lang))
