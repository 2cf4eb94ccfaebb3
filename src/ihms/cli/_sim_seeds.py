"""``ihms sim compare --seeds``: the regimes compared over several seeds
(:mod:`ihms.sim.seeds`), printed, as JSON, or written to a table."""

from __future__ import annotations

from pathlib import Path

from ihms._words import said
from ihms.cli._common import check_table_path, console, print_json, print_path
from ihms.errors import InputError


def compare_over_seeds(
    cfg,
    seeds: str | None,
    *,
    seed: int | None,
    regimes: tuple[str, ...],
    rules: dict,
    residents: int | None,
    year: int | None,
    table: Path | None,
    figure: Path | None,
    json_: bool,
    progress,
    lang: str = "en",
) -> None:
    """Check the options (before any simulating), run :func:`ihms.sim.seeds.compare_seeds`
    and show or write its spread; ``progress`` makes the progress display."""
    from ihms.cli._stats_options import as_options
    from ihms.cli.policy import _write_frame
    from ihms.sim.seeds import compare_seeds, parse_seeds

    if seeds is None:
        raise InputError(
            "option '--table': writes the spread over seeds; give --seeds too (e.g. --seeds 5)"
        )
    if figure is not None:
        raise InputError(
            "option '--figure': draws one run per regime; with --seeds the spread goes to "
            "--table or --json"
        )
    if seed is not None and "," in seeds:
        raise InputError(
            "option '--seed': --seeds lists the seeds itself; --seed only starts a number of "
            "seeds (--seeds 5 --seed 100 runs seeds 100 to 104)"
        )
    chosen = parse_seeds(seeds, start=cfg.seed if seed is None else seed)
    if table is not None:
        check_table_path(table, option="option '--table'")
    with as_options((("parameter 'residents'", "option '--residents'"),)), progress() as bar:
        spread = compare_seeds(
            cfg, seeds=chosen, regimes=regimes, residents=residents, progress=bar, rules=rules
        )
    from ihms.sim.provenance import provenance

    if table is not None:  # a report table: in --lang (nothing reads it back)
        from ihms.sim._seeds_zh import spread_in

        _write_frame(spread_in(spread.spread(), lang), table)
    calibration = provenance(cfg)  # which values are tuned, which assumed, as compare says
    if json_:
        print_json({**spread.to_json(), "calibration": calibration})
        return
    from ihms.sim._notes_zh import said_line
    from ihms.sim._words_zh import in_zh

    for y in [year] if year is not None else cfg.period.years:
        console.print(in_zh(spread.summary(y), lang))
    for note in calibration["notes"]:
        console.print(said_line(note, lang), highlight=False, markup=False)
    if table is not None:
        print_path(said(lang, "spread written to"), table)
