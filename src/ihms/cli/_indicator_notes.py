"""The notes of ``ihms indicators compute``'s console table: what each value is
measured in, and the indicators computed at another level or period than asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms._words import said

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd


def computed_elsewhere(
    frame: pd.DataFrame, level: str, period: str, lang: str = "en", catalogue=None
) -> list[str]:
    """Notes naming the indicators computed at another level or period than asked (the
    finest their definitions allow), which share the table with the others; in Chinese
    (``lang="zh"``) each by its name in ``catalogue``."""
    notes = []
    from ihms.indicators.catalogue import COUNTY_SUMS

    if lang == "zh":
        from ihms.indicators._words_zh import elsewhere_zh

        def named(column: str, asked: str) -> list[tuple[str, list[str]]]:
            other = frame[frame[column] != asked]
            by = other.groupby(column, sort=False)["indicator"].unique()
            return [(k, [catalogue[i].name_zh for i in ids]) for k, ids in by.items()]

        return elsewhere_zh(
            named("level", level), level, level in COUNTY_SUMS, named("period_type", period),
            period,
        )  # fmt: skip
    other = frame[frame["level"] != level]
    if len(other):
        by = other.groupby("level", sort=False)["indicator"].unique()
        parts = "; ".join(f"by {lv}: {', '.join(ids)}" for lv, ids in by.items())
        why = (
            "their definitions do not add up over counties"
            if level in COUNTY_SUMS
            else "the finest level their definitions allow"
        )
        notes.append(f"Not by {level} ({why}): {parts}.")
    other = frame[frame["period_type"] != period]
    if len(other):
        by = other.groupby("period_type", sort=False)["indicator"].unique()
        for kind, ids in by.items():
            notes.append(f"Not by {period} (defined by {kind} only): {', '.join(ids)}.")
    return notes


def units_note(catalogue, ids, lang: str = "en") -> str:
    """What each shown indicator's value is measured in; a money numerator is in fen (in
    Chinese, each indicator by its catalogue name and its unit said in Chinese)."""
    from ihms.indicators._words_zh import unit_zh

    zh = lang == "zh"
    parts = []
    for indicator_id in ids:
        ind = catalogue[indicator_id]
        money = (ind.numerator.column or "").endswith("_fen") and ind.unit != "%"
        if zh:
            parts.append(
                f"{ind.name_zh}为{unit_zh(ind.unit)}" + ("（分子以分计）" if money else "")
            )
        else:
            parts.append(f"{indicator_id}: {ind.unit}" + (" (numerator in fen)" if money else ""))
    return said(lang, "units", parts=said(lang, "units list").join(parts))


def suppression_note(min_cell: int, lang: str = "en") -> str:
    """What ``--min-cell`` hid, in one sentence."""
    if lang == "zh":
        from ihms.indicators._words_zh import suppression_note_zh

        return suppression_note_zh(min_cell)
    if min_cell <= 1:
        return "No suppression."
    return (
        f"Cells with counts from 1 to {min_cell - 1} suppressed, and shares whose other "
        "part (denominator - numerator) is that small, with the paired shares of the "
        "cell (secondary suppression): value, numerator and denominator left empty, "
        "suppressed = True."
    )


def file_notes(results, frame: pd.DataFrame, level: str, period: str, min_cell: int,
               population: str, lang: str = "en") -> list[str]:  # fmt: skip
    """The notes ``indicators compute --out`` writes beside its table (a file has no
    stderr): what was asked, what each value is measured in, the indicators computed
    elsewhere or left out, the suppression threshold, the population per-resident rates
    divide by, and the notes on empty months and the rest (:func:`~ihms.indicators.
    results.empty_period_notes`, in English in either language)."""
    from ihms.indicators.results import empty_period_notes, omission_notes

    ids = frame["indicator"].unique()
    if lang == "zh":
        from ihms.cli._indicator_zh import outside_years_zh
        from ihms.indicators import _words_zh as zh

        return [
            f"ihms indicators compute：层级 {zh.level_zh(level)}，期间 {zh.PERIODS[period]}。",
            *([units_note(results.catalogue, ids, lang)] if len(ids) else []),
            *computed_elsewhere(frame, level, period, lang, results.catalogue),
            zh.suppression_note_zh(min_cell, flag="suppressed = True"),
            *omitted_notes(results, lang),
            zh.population_note_zh(population),
            # the part-years note in Chinese, as stderr says it; the month notes stay English
            *(outside_years_zh(t) or t for t in empty_period_notes(results)),
        ]
    return [
        f"ihms indicators compute: level {level}, period {period}.",
        *([units_note(results.catalogue, ids)] if len(ids) else []),
        *computed_elsewhere(frame, level, period),
        suppression_note(min_cell),
        *omission_notes(results.omitted),
        "Per-resident rates divide by "
        + (
            "the grid populations of the system file (--population grids)."
            if population == "grids"
            else "the residents register (--population register)."
        ),
        *empty_period_notes(results),
    ]


def omitted_notes(results, lang: str = "en") -> list[str]:
    """The notes naming the indicators left out, by reason (in Chinese by their names)."""
    if lang == "zh":
        from ihms.indicators._words_zh import omission_notes_zh

        return omission_notes_zh(results.omitted, results.catalogue)
    from ihms.indicators.results import omission_notes

    return omission_notes(results.omitted)
