"""The periods without a single encounter, which the indicators over encounters leave
empty: in the whole data and, in a store of several counties, in each county's records
(see ARCHITECTURE, "Indicators")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ihms.data.dataset import Period
from ihms.data.gaps import encounter_months
from ihms.indicators import _engine, _sources
from ihms.indicators._dimensions import Dimensions
from ihms.indicators._engine import IndicatorTables
from ihms.indicators._periods import period_keys
from ihms.indicators.catalogue import SOURCES, Indicator

__all__ = ["Blank", "counties_of", "empty_periods"]


def empty_periods(
    t: IndicatorTables,
    chosen: list[Indicator],
    plan: Mapping[str, tuple[str, str]],
    dims: Dimensions,
    base: Mapping[tuple[str, str], pd.DataFrame] | None = None,
) -> tuple[dict[str, tuple[int, ...]], dict[str, dict[str, tuple[int, ...]]]]:
    """The months of the period without a single encounter (when an indicator computed
    reads encounters) and the years without one (when one is computed by year), by
    period type; then, when the store holds two counties judged or more
    (:attr:`._dimensions.Dimensions.judged_counties`), the further months and years
    each county's records lack (:func:`._sources.county_encounter_months`). Types and
    counties without such a period are left out.

    ``base`` (the engine's frames, by source and period type) is looked at first: its
    monthly rows over encounters are records, by institution or grid, so when they show
    every month in every county no query is needed (the usual case, by month).
    """
    kinds = {plan[ind.id][1] for ind in chosen if _sources.judged_by_extract(ind)}
    if not kinds:
        return {}, {}
    if not any(_sources.reads_encounters(ind) for ind in chosen) and t.lacking("encounters"):
        return {}, {}  # no encounter to judge the referrals and follow-ups by
    judged = dims.judged_counties if len(dims.judged_counties) > 1 else frozenset()
    bare = dims.bare_counties
    months = set(_keys(t.period, "month"))
    if _every_month_shown(base or {}, dims, judged, bare, months):
        return {}, {}
    if not judged and not bare:  # one county's records are the store's
        seen, by_county = encounter_months(t["encounters"]), {}
    else:
        found = _sources.county_encounter_months(
            t, dims.county_of("institution", bare=True), _keys(t.period, "month"), judged
        )
        seen = set(found["period_key"].astype("int64"))
        by_county = {
            c: set(found.loc[found["county_id"] == c, "period_key"].astype("int64"))
            for c in sorted(judged)
        }
        # a county without residents and without a record at its institutions: no data
        held = set(found["county_id"].dropna())
        by_county.update({c: set() for c in sorted(bare) if c not in held})
    store = _lacking(t.period, seen, kinds)
    counties = {c: _lacking(t.period, s, kinds, seen) for c, s in by_county.items()}
    return store, {c: lack for c, lack in counties.items() if lack}


def _every_month_shown(
    base: Mapping[tuple[str, str], pd.DataFrame],
    dims: Dimensions,
    judged: frozenset[str],
    bare: frozenset[str],
    months: set[int],
) -> bool:
    """Whether the engine's monthly frames over encounters have a row (records) in every
    month of the period, and in every judged county's (by the county of the row's
    institution or grid, as :func:`._sources.county_encounter_months` counts them), and
    one at an institution of each ``bare`` county (one without residents)."""
    frames = [
        (frame, _engine.UNIT0[SOURCES[source].basis])
        for (source, kind), frame in base.items()
        if kind == "month" and source in _sources.ENCOUNTER_SOURCES and len(frame)
    ]
    if not frames or not months <= {int(k) for f, _ in frames for k in f["period_key"].unique()}:
        return False
    for county in judged:
        shown: set[int] = set()
        for frame, unit0 in frames:
            table = dims.institutions if unit0 == "institution_id" else dims.grids
            units = table.loc[table["county_id"] == county, unit0]
            shown.update(int(k) for k in frame.loc[frame[unit0].isin(units), "period_key"].unique())
        if not months <= shown:
            return False
    at = dims.county_of("institution", bare=True)
    rows = {at.get(i) for f, unit0 in frames if unit0 == "institution_id" for i in f[unit0]}
    return bare <= rows


def _lacking(
    period: Period, seen: set[int], kinds: set[str], beside: set[int] | None = None
) -> dict[str, tuple[int, ...]]:
    """The months (and years, when ``kinds`` has ``"year"``) without a month in ``seen``,
    leaving out those without one in ``beside`` either (the store's, named on their own)."""
    months = [k for k in _keys(period, "month") if k not in seen]
    out = {"month": tuple(k for k in months if beside is None or k in beside)}
    if "year" in kinds:
        years = {k // 100 for k in seen}
        held = None if beside is None else {k // 100 for k in beside}
        out["year"] = tuple(
            y for y in _keys(period, "year") if y not in years and (held is None or y in held)
        )
    return {kind: keys for kind, keys in out.items() if keys}


@dataclass(frozen=True)
class Blank:
    """The periods without any encounter: in the whole data (``store``) and, further, in
    a county's records (``counties``: county id -> period keys)."""

    store: tuple[int, ...] = ()
    counties: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def cells(self, periods: list[int], units: pd.Index, counties_of: Mapping[str, frozenset[str]]):
        """Which cells of the periods x units grid (period-major, as the rows) are blank:
        a unit counting judged counties' records (``counties_of``, :func:`counties_of`:
        its county, or the counties a city, the province, the total, a tier or a
        consortium sums) in the periods any of them lacks too — a sum lacking one
        county's records is not the unit's."""
        cells = np.repeat(np.isin(periods, self.store)[:, None], len(units), axis=1)
        if self.counties:
            for j, unit in enumerate(units):
                lacks = [k for c in counties_of.get(unit, ()) for k in self.counties.get(c, ())]
                if lacks:
                    cells[:, j] |= np.isin(periods, lacks)
        return cells.ravel()


def counties_of(
    ind: Indicator, level: str, dims: Dimensions, blank: Blank
) -> Mapping[str, frozenset[str]]:
    """The counties each unit of ``level`` counts through the measures of ``ind`` over an
    extract's records (:data:`._sources.EXTRACT_SOURCES`) (:meth:`._dimensions.Dimensions.counties_of`), for
    :meth:`Blank.cells`; none when no county lacks a further period."""
    bases = {
        SOURCES[m.source].basis
        for m in (ind.numerator, ind.denominator)
        if m is not None and m.source in _sources.EXTRACT_SOURCES
    }
    return dims.counties_of(level, bases) if blank.counties and bases else {}


def _keys(period: Period, kind: str) -> list[int]:
    return period_keys(period, kind)
