"""Notes :func:`~ihms.indicators.compute` adds to its results (printed by
``ihms indicators compute`` with the empty-period notes): the lateral referrals no
referral indicator counts, the units left empty outside their years, the records
at an institution in a year it does not operate, and the districts the province leaves
out."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ihms.indicators._dimensions import Dimensions, is_open
from ihms.indicators._engine import IndicatorTables
from ihms.indicators.catalogue import Condition, Indicator, Measure

__all__ = [
    "bare_county_notes",
    "district_notes",
    "lateral_measure",
    "lateral_notes",
    "outside_years_notes",
    "records_outside_notes",
]

_REFERRAL_SOURCES = ("referrals", "referrals_received")
_NAMED = 5


def district_notes(frames: list[pd.DataFrame], dims: Dimensions) -> list[str]:
    """The note naming the districts (市辖区) a province row leaves out, when one is
    computed and the data have such districts with institutions or grids."""
    at_province = any((f["level"] == "province").any() for f in frames)
    out = dims.districts_left_out if at_province else {}
    if not out:
        return []
    named = ", ".join(f"{c} ({name})" for c, name in list(out.items())[:_NAMED])
    more = f" and {len(out) - _NAMED:,} more" if len(out) > _NAMED else ""
    return [
        f"province: the counties (县, kind county) of the data, without its {len(out):,} "
        f"district{'s' if len(out) > 1 else ''} (市辖区): {named}{more}, as a health "
        f"statistics yearbook gives county figures; {DISTRICTS_HINT} counts them"
    ]


def bare_county_notes(dims: Dimensions, county_empty: Mapping[str, Mapping]) -> list[str]:
    """Why a county without residents in the data (:attr:`Dimensions.bare_counties`)
    lacks every period (``county_empty``, :func:`._empty.empty_periods`): no extract of
    its own and no record at its institutions, so the data say nothing of them."""
    names, kept = dims.names("county"), set(dims.institutions["county_id"])
    return [
        f"county {c} ({names.get(c, c)}) has institutions but no grids (no residents in "
        "the data), so no extract of its own, and no encounter at its institutions in the "
        "period: the data say nothing of them, so the indicators over encounters, "
        "referrals and follow-ups are left empty for them in every period, and for every "
        "unit summing them (its county and city, the province, the total, their tiers and "
        "consortia) — give its extract, or leave it out (counties=, --county)"
        for c in sorted(county_empty)
        if c in dims.bare_counties and c in kept
    ]


#: How a caller of :func:`~ihms.indicators.compute` has the province hold its districts.
DISTRICTS_HINT = "include_districts=True"


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
    rank, or either a public-health institution) in ``frame`` (the referral query's rows), by year."""
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
        "centre < secondary < tertiary), or either a public-health institution (a CDC: a "
        "tuberculosis or notifiable-disease referral is no 上转 or 下转) — counted in "
        "neither the up nor the down referrals, sent or received"
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


#: Where an institution-basis source finds the institution of a record: the table, the
#: column naming it, the column giving the year (a date, or ``year`` itself), and what
#: one record is called (one, many).
_AT_INSTITUTION = {
    "encounters": ("encounters", "institution_id", "date", ("encounter", "encounters")),
    "diagnoses": ("encounters", "institution_id", "date", ("encounter", "encounters")),
    "referrals": ("referrals", "from_institution_id", "date", ("referral sent", "referrals sent")),
    "referrals_received": (
        "referrals",
        "to_institution_id",
        "date",
        ("referral received", "referrals received"),
    ),
    "resources": ("resources", "institution_id", "year", ("resources row", "resources rows")),
}


def _outside(t: IndicatorTables, dims: Dimensions, where: tuple) -> pd.DataFrame:
    """``institution_id``, ``year``, ``n``, ``active_from``, ``active_to``: the records
    of the period at an institution in a year it does not operate, read ``where``
    (a value of :data:`_AT_INSTITUTION`) says."""
    table, column, when, _ = where
    inst = dims.institutions
    limited = inst[_limited(inst)]
    rows = t[table]
    rows = rows.filter(rows[column].isin(limited["institution_id"].tolist()))
    year = rows[when].cast("int64") if when == "year" else rows[when].year().cast("int64")
    counts = (
        rows.group_by(institution_id=rows[column], year=year).aggregate(n=rows.count()).to_pandas()
    )
    counts = counts[counts["year"].isin(t.period.years)].merge(limited, on="institution_id")
    off = (counts["year"] < counts["active_from"]) | (counts["year"] > counts["active_to"])
    return counts[off].sort_values(["institution_id", "year"])


def _end(year: float) -> str:
    """An end of an institution's active years (``…`` when open), as validation writes it."""
    return "…" if is_open(year) else str(int(year))


def _limited(inst: pd.DataFrame) -> pd.Series:
    """Whether each institution's active years have an end that is not open."""
    return ~(is_open(inst["active_from"]) & is_open(inst["active_to"]))


def records_outside_notes(
    t: IndicatorTables, chosen: list[Indicator], dims: Dimensions
) -> list[str]:
    """A note counting the records that ``chosen`` (the indicators computed at the
    institution level) read at an institution in a year it does not operate, naming up
    to five institution-years of each kind.

    Validation refuses such a record (:mod:`ihms.data.validate`), but data not validated
    so may hold one (a store imported by an earlier version, a data set built with
    ``validate=False``): it counts at its tier, grid, county and total but in no
    institution row, which exists only in the institution's active years."""
    inst = dims.institutions
    if not _limited(inst).any():
        return []
    # encounters and diagnoses read the same records: looked at once
    kinds = dict.fromkeys(
        _AT_INSTITUTION[m.source]
        for ind in chosen
        for m in (ind.numerator, ind.denominator)
        if m is not None and m.source in _AT_INSTITUTION
    )
    total, parts = 0, []
    for where in kinds:
        off = _outside(t, dims, where)
        if off.empty:
            continue
        n = int(off["n"].sum())
        one, many = where[3]
        named = [
            f"{r.institution_id} {r.year} (active {_end(r.active_from)}–{_end(r.active_to)})"
            for r in off.head(_NAMED).itertuples()
        ]
        more = f" and {len(off) - _NAMED:,} more" if len(off) > _NAMED else ""
        total += n
        parts.append(f"{n:,} {one if n == 1 else many} at {', '.join(named)}{more}")
    if not parts:
        return []
    return [
        f"{total:,} record{'s' if total != 1 else ''} at institutions in years they do not "
        f"operate: {'; '.join(parts)} — counted at their tier, grid, county and total but "
        "in no institution row (an institution has one only in its active years), so the "
        "institution rows add up to less. Validation refuses such records: the data were "
        "not validated so (a store imported by an earlier version?); import them again to "
        "see each record's file and row"
    ]
