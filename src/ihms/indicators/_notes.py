"""Notes :func:`~ihms.indicators.compute` adds to its results (printed by
``ihms indicators compute`` with the empty-period notes): the lateral referrals no
referral indicator counts, and the units left empty outside their years."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ihms.indicators._dimensions import Dimensions
from ihms.indicators.catalogue import Condition, Measure

__all__ = ["lateral_measure", "lateral_notes", "outside_years_notes"]

_REFERRAL_SOURCES = ("referrals", "referrals_received")
_NAMED = 5


def lateral_measure(
    needed: Mapping[tuple[str, str], dict],
) -> tuple[tuple[str, str], Measure] | None:
    """The (source, period type) of a referral query already needed and the count of
    its lateral referrals to add to it (one scan counts them beside the others), or
    None when no referral indicator is computed."""
    for key in needed:
        if key[0] in _REFERRAL_SOURCES:
            return key, Measure(key[0], "count", where=(Condition("direction", ("lateral",)),))
    return None


def lateral_notes(frame: pd.DataFrame, measure: Measure, kind: str) -> list[str]:
    """One note counting the lateral referrals (sender and receiver of the same tier
    rank) in ``frame`` (the referral query's rows), by year."""
    keys = frame["period_key"] // 100 if kind == "month" else frame["period_key"]
    by_year = frame[measure.engine_key].astype("int64").groupby(keys.to_numpy()).sum()
    by_year = by_year[by_year > 0]
    n = int(by_year.sum())
    if not n:
        return []
    years = ", ".join(f"{y} {c:,}" for y, c in by_year.items())
    return [
        f"referrals: {n:,} lateral referral{'s' if n != 1 else ''} (by year: {years}) — "
        "sender and receiver of the same tier rank (village clinic < township health "
        "centre or public health < secondary < tertiary) — counted in neither the up nor "
        "the down referrals, sent or received"
    ]


def outside_years_notes(
    frames: list[pd.DataFrame], level: str, dims: Dimensions, years: list[int]
) -> list[str]:
    """A note naming the consortia (or institutions) of the results operating in only
    part of the period: their cells outside their years are empty, not 0."""
    if level not in ("consortium", "institution") or not frames:
        return []
    shown = set().union(*(set(f["unit"]) for f in frames))
    if level == "consortium":
        table, key, lo, hi = dims.consortia, "consortium_id", "start_year", "end_year"
    else:
        table, key, lo, hi = dims.institutions, "institution_id", "active_from", "active_to"
    first, last = min(years), max(years)
    part = table[table[key].isin(shown) & ((table[lo] > first) | (table[hi] < last))]
    if part.empty:
        return []

    def span(row) -> str:
        start = f"from {int(row[lo])}" if row[lo] > first else ""
        end = f"to {int(row[hi])}" if row[hi] < last else ""
        return " ".join(p for p in (start, end) if p)

    named = [f"{row[key]} ({span(row)})" for _, row in part.head(_NAMED).iterrows()]
    more = f" and {len(part) - _NAMED:,} more" if len(part) > _NAMED else ""
    what = "consortia" if level == "consortium" else "institutions"
    return [
        f"{what} operating in part of the period: {', '.join(named)}{more}; their cells "
        "outside those years are left empty, not 0 (the records of their members then "
        "belong to their other units)"
        if level == "consortium"
        else f"{what} operating in part of the period: {', '.join(named)}{more}; their "
        "cells outside those years are left empty, not 0"
    ]
