"""``ihms its batch``: one ITS design fitted to many series (indicators or counties) at
once, as a Stata user loops ``itsa`` over variables; the effects as one tidy table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms._words import said
from ihms.cli._common import (
    FileEncodingOpt,
    FileSheetOpt,
    check_table_path,
    console,
    print_json,
    print_path,
    writes_every_row,
)
from ihms.cli._notes import notes_on_stderr
from ihms.cli._stats_options import ITS_OPTIONS, as_options, note_blank_rows
from ihms.cli._tables import read_data_table
from ihms.cli.its import (
    _COLUMN_OPTIONS,
    CovOpt,
    DataArg,
    DeltaOpt,
    InterruptionOpt,
    JsonOpt,
    LagsOpt,
    LangOpt,
    LevelOpt,
    MaxLagOpt,
    SeasonalOpt,
    TimeOpt,
    _check_level,
    _lags,
)

__all__ = ["batch"]

_BATCH_OPTIONS: tuple[tuple[str, str], ...] = (
    ("parameter 'outcomes'", "option '--outcome'"),
    ("parameter 'series'", "option '--series'"),
    ("a wide table (one column per series) takes no series", "a wide table takes no --series"),
    ("parameter 'adjust'", "option '--adjust'"),
)


@writes_every_row("--out FILE")
def batch(
    data: DataArg,
    outcome: Annotated[
        list[str],
        typer.Option(
            "--outcome",
            help="Outcome column; with --series the one outcome of a long table, without "
            "it each of a wide table's series (repeat: --outcome visits --outcome admissions).",
        ),
    ],
    time: TimeOpt,
    interruption: InterruptionOpt,
    series: Annotated[
        str | None,
        typer.Option(
            "--series",
            help="Series column of a long table (指标, county): one row per series and time point.",
        ),
    ] = None,
    lags: LagsOpt = "0",
    max_lag: MaxLagOpt = None,
    cov: CovOpt = "newey",
    level: LevelOpt = 95.0,
    seasonal: SeasonalOpt = False,
    delta: DeltaOpt = 1,
    adjust: Annotated[
        str,
        typer.Option(
            "--adjust",
            help="Adjust each effect's p across the series: holm, fdr_bh (Benjamini-Hochberg) "
            "or none.",
        ),
    ] = "none",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also write the table (.xlsx: with its title and notes; or .csv), every column.",
        ),
    ] = None,
    json_out: JsonOpt = False,
    sheet: FileSheetOpt = None,
    encoding: FileEncodingOpt = None,
    lang: LangOpt = "en",
) -> None:
    """Fit one ITS design to many series: level change, slope change and post-trend.

    One row per series, interruption and effect, each with its se, test, interval, n and
    lag: the numbers `ihms its fit` gives each series alone. A problem in any series (a
    missing month, a bad cell) refuses the whole batch, naming every series and row, so
    no series is left out silently.
    """
    from ihms._words import check_lang
    from ihms.cli._stats_zh import in_lang
    from ihms.stats.its_batch_effects import its_batch_effects

    check_lang(lang)
    _check_level(level)
    if out is not None:
        check_table_path(out, option="option '--out'", create=True)
    frame = read_data_table(data, sheet=sheet, encoding=encoding, panel=series, titles="skip")
    note_blank_rows(frame, data)
    with as_options(_COLUMN_OPTIONS + _BATCH_OPTIONS + ITS_OPTIONS), notes_on_stderr():
        effects = its_batch_effects(
            frame,
            outcomes=outcome,
            time=time,
            interruptions=interruption,
            series=series,
            cov_type=cov,  # type: ignore[arg-type]
            lags=_lags(lags),  # type: ignore[arg-type]
            max_lag=max_lag,
            confidence=level / 100,
            seasonal=seasonal,
            adjust=adjust,
            source=data.name,
            delta=delta,
        )
    effects = _in_options(effects)
    if out is not None:
        from ihms._atomic import make_folder
        from ihms._sheet_names import sheet_name
        from ihms.table_files import write_summary_table

        make_folder(out, where=f"option '--out': {out}")
        sheet = sheet_name(lang, "its batch")
        write_summary_table(in_lang(effects.summary(full=True), lang), out, sheet=sheet)
    if json_out:
        print_json(effects.to_dict())
        return
    console.print(in_lang(effects.summary(), lang))
    if out is not None:
        print_path(said(lang, "table written to"), out)


def _in_options(effects):
    """``effects`` with the library's advice to pass ``adjust=`` said as the command's
    ``--adjust`` (new-user review, session 31: "adjust holm" read as no option at all)."""
    from dataclasses import replace

    from ihms.stats.its_batch_effects import unadjusted_note

    python = unadjusted_note(effects.n_series)
    said = unadjusted_note(
        effects.n_series,
        "--adjust holm (family-wise error) or --adjust fdr_bh (false discovery rate)",
    )
    return replace(effects, notes=tuple(said if n == python else n for n in effects.notes))
