"""The notes of ``ihms indicators compute``'s console table: what each value is
measured in, and the indicators computed at another level or period than asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd


def computed_elsewhere(frame: pd.DataFrame, level: str, period: str) -> list[str]:
    """Notes naming the indicators computed at another level or period than asked (the
    finest their definitions allow), which share the table with the others."""
    notes = []
    from ihms.indicators.catalogue import COUNTY_SUMS

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


def units_note(catalogue, ids) -> str:
    """What each shown indicator's value is measured in; a money numerator is in fen."""
    parts = []
    for indicator_id in ids:
        ind = catalogue[indicator_id]
        money = (ind.numerator.column or "").endswith("_fen") and ind.unit != "%"
        parts.append(f"{indicator_id}: {ind.unit}" + (" (numerator in fen)" if money else ""))
    return "Values in: " + "; ".join(parts) + "."


def suppression_note(min_cell: int) -> str:
    """What ``--min-cell`` hid, in one sentence."""
    if min_cell <= 1:
        return "No suppression."
    return (
        f"Cells with counts from 1 to {min_cell - 1} suppressed, and shares whose other "
        "part (denominator - numerator) is that small, with the paired shares of the "
        "cell (secondary suppression): value, numerator and denominator left empty, "
        "suppressed = True."
    )


def file_notes(results, frame: pd.DataFrame, level: str, period: str, min_cell: int,
               population: str) -> list[str]:  # fmt: skip
    """The notes ``indicators compute --out`` writes beside its table (a file has no
    stderr): what was asked, what each value is measured in, the indicators computed
    elsewhere or left out, the suppression threshold, the population per-resident rates
    divide by, and the notes on empty months and the rest (:func:`~ihms.indicators.
    results.empty_period_notes`)."""
    from ihms.indicators.results import empty_period_notes, omission_notes

    ids = frame["indicator"].unique()
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
