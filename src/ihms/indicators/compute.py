"""Compute the catalogue: engine aggregates, then roll-up and ratios on small frames.

:func:`compute` runs one engine query per (source, period type) needed
(:mod:`ihms.indicators._engine`), each returning measures by period and finest unit.
Then, in pandas, it applies the institution filters (tier, care level), rolls the
measures up to the requested level (a consortium gathers its members, or the residents
of its grids, in the years it operates), and divides. Sums of counts and of fen are
exact integers all the way; only the final ``value`` is a float.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ihms.data.dataset import Dataset, Period
from ihms.errors import InputError
from ihms.indicators import _engine
from ihms.indicators._engine import IndicatorTables
from ihms.indicators.catalogue import (
    CATALOGUE,
    LEVELS,
    PERIODS,
    SOURCES,
    Catalogue,
    Indicator,
    Measure,
)
from ihms.indicators.results import IndicatorResults

__all__ = ["compute", "period_keys"]

_LEVEL_FALLBACK = {
    "institution": ("institution", "grid", "county", "total"),
    "tier": ("tier", "total"),
    "grid": ("grid", "county", "total"),
    "consortium": ("consortium", "county", "total"),
    "county": ("county", "total"),
    "total": ("total", "county"),
}
_TIER_CARE = {
    "tertiary": "hospital",
    "secondary": "hospital",
    "primary_centre": "primary",
    "village_clinic": "primary",
    "public_health": "other",
}


def period_keys(period: Period, kind: str) -> list[int]:
    """Integer keys (``yyyymm`` or ``yyyy``) of every month or year of ``period``."""
    if kind == "year":
        return list(period.years)
    keys = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        keys.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


def period_label(key: int, kind: str) -> str:
    return f"{key // 100}-{key % 100:02d}" if kind == "month" else str(key)


def _days(key: int, kind: str, period: Period) -> int:
    if kind == "year":
        first, last = date(key, 1, 1), date(key, 12, 31)
    else:
        y, m = divmod(key, 100)
        first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    first, last = max(first, period.start), min(last, period.end)
    return max((last - first).days + 1, 0)


@dataclass
class _Dimensions:
    """The small structural tables, in pandas, for roll-ups and unit names."""

    institutions: pd.DataFrame
    grids: pd.DataFrame
    names: dict[str, dict[str, str]]
    members: pd.DataFrame
    consortium_grids: pd.DataFrame

    @classmethod
    def load(cls, t: IndicatorTables) -> _Dimensions:
        inst = (
            t["institutions"]
            .select("institution_id", "name", "tier", "county_id", "grid_id")
            .to_pandas()
        )
        inst["care_level"] = inst["tier"].map(_TIER_CARE)
        grids = t["grids"].select("grid_id", "name", "county_id").to_pandas()
        counties = t["counties"].select("county_id", "name").to_pandas()
        cons = t["consortia"].select("consortium_id", "name", "start_year", "end_year").to_pandas()
        cons["start_year"] = pd.to_numeric(cons["start_year"]).fillna(-(10**6))
        cons["end_year"] = pd.to_numeric(cons["end_year"]).fillna(10**6)
        members = t["consortium_members"].to_pandas().merge(cons, on="consortium_id")
        cgrids = t["consortium_grids"].to_pandas().merge(cons, on="consortium_id")
        names = {
            "institution": dict(zip(inst["institution_id"], inst["name"], strict=True)),
            "grid": dict(zip(grids["grid_id"], grids["name"], strict=True)),
            "county": dict(zip(counties["county_id"], counties["name"], strict=True)),
            "consortium": dict(zip(cons["consortium_id"], cons["name"], strict=True)),
            "total": {"total": "All"},
        }
        return cls(inst, grids, names, members, cgrids)

    def mapping(self, basis: str, level: str) -> pd.DataFrame:
        """unit0 -> unit, with the years the link holds (consortia only)."""
        if basis == "institution":
            inst = self.institutions
            if level == "consortium":
                m = self.members
                return pd.DataFrame(
                    {
                        "unit0": m["institution_id"],
                        "unit": m["consortium_id"],
                        "y0": m["start_year"],
                        "y1": m["end_year"],
                    }
                )
            column = {
                "institution": "institution_id",
                "tier": "tier",
                "grid": "grid_id",
                "county": "county_id",
            }.get(level)
            unit = inst[column] if column else pd.Series("total", index=inst.index)
            frame = pd.DataFrame({"unit0": inst["institution_id"], "unit": unit})
        else:
            grids = self.grids
            if level == "consortium":
                m = self.consortium_grids
                return pd.DataFrame(
                    {
                        "unit0": m["grid_id"],
                        "unit": m["consortium_id"],
                        "y0": m["start_year"],
                        "y1": m["end_year"],
                    }
                )
            column = {"grid": "grid_id", "county": "county_id"}.get(level)
            unit = grids[column] if column else pd.Series("total", index=grids.index)
            frame = pd.DataFrame({"unit0": grids["grid_id"], "unit": unit})
        frame = frame.dropna(subset=["unit"])
        return frame.assign(y0=-(10**6), y1=10**6)


def _resolve(ind: Indicator, level: str, period: str, strict: bool) -> tuple[str, str]:
    if level in ind.levels and period in ind.periods:
        return level, period
    if strict:
        raise InputError(
            f"indicator {ind.id!r} is defined for levels {', '.join(ind.levels)} and periods "
            f"{', '.join(ind.periods)}; got level {level!r}, period {period!r}"
        )
    lv = next(x for x in (*_LEVEL_FALLBACK[level], *ind.levels) if x in ind.levels)
    pr = period if period in ind.periods else ind.periods[-1]
    return lv, pr


def compute(
    data,
    *,
    indicators: Iterable[str] | None = None,
    level: str = "county",
    period: str = "year",
    catalogue: Catalogue = CATALOGUE,
    progress: Callable[[str], None] | None = None,
) -> IndicatorResults:
    """Compute indicators at one level and period type.

    Parameters
    ----------
    data
        A :class:`~ihms.data.Store`, a :class:`~ihms.data.Dataset` (loaded into an
        in-memory DuckDB store) or :class:`IndicatorTables` of any Ibis backend.
    indicators
        Ids to compute (default: the whole catalogue). Named indicators must allow the
        level and period; for the whole catalogue, an indicator that does not is
        computed at the nearest coarser level or period it allows (the result's
        ``level`` and ``period_type`` columns say which).
    level
        ``total``, ``county``, ``grid``, ``consortium``, ``tier`` or ``institution``.
    period
        ``month`` or ``year``.
    catalogue
        Definitions to use (default :data:`~ihms.indicators.CATALOGUE`).
    progress
        Called with a short description before each engine query.
    """
    if level not in LEVELS:
        raise InputError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")
    if period not in PERIODS:
        raise InputError(f"period: expected one of {', '.join(PERIODS)}, got {period!r}")
    strict = indicators is not None
    chosen = [catalogue[i] for i in indicators] if indicators is not None else list(catalogue)

    owned_store = None
    if isinstance(data, Dataset):
        from ihms.data.store import Store

        owned_store = Store(":memory:")
        owned_store.write(data)
        data = owned_store
    try:
        tables = data if isinstance(data, IndicatorTables) else IndicatorTables.from_store(data)
        return _compute(tables, chosen, level, period, strict, catalogue, progress)
    finally:
        if owned_store is not None:
            owned_store.close()


def _compute(
    t: IndicatorTables,
    chosen: list[Indicator],
    level: str,
    period: str,
    strict: bool,
    catalogue: Catalogue,
    progress: Callable[[str], None] | None,
) -> IndicatorResults:
    plan = {ind.id: _resolve(ind, level, period, strict) for ind in chosen}
    needed: dict[tuple[str, str], dict[str, Measure]] = {}
    for ind in chosen:
        _, pr = plan[ind.id]
        for m in (ind.numerator, ind.denominator):
            if m is not None:
                needed.setdefault((m.source, pr), {})[m.engine_key] = m

    base: dict[tuple[str, str], pd.DataFrame] = {}
    for (source, pr), measures in needed.items():
        if progress is not None:
            progress(f"{source} by {pr}")
        ms = list(measures.values())
        if source == "population":
            base[(source, pr)] = _engine.population(t, pr, ms, period_keys(t.period, pr))
        else:
            base[(source, pr)] = _engine.ENGINE_SOURCES[source](t, pr, ms)
    if progress is not None:
        progress("roll-up")
    dims = _Dimensions.load(t)
    frames = [_indicator_frame(ind, *plan[ind.id], base, dims, t.period) for ind in chosen]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return IndicatorResults(frame=frame, level=level, period=period, catalogue=catalogue)


def _rollup(
    m: Measure, level: str, kind: str, base: dict, dims: _Dimensions, period: Period
) -> pd.Series:
    source = SOURCES[m.source]
    frame = base[(m.source, kind)]
    unit0 = _engine.UNIT0[source.basis]
    values = frame[["period_key", unit0, m.engine_key]].rename(
        columns={unit0: "unit0", m.engine_key: "v"}
    )
    if m.unit_where:
        attrs = dims.institutions.set_index("institution_id")
        keep = pd.Series(True, index=values.index)
        for c in m.unit_where:
            col = values["unit0"].map(attrs[c.column])
            keep &= col.isin(c.values) if c.values is not None else True
        values = values[keep.to_numpy()]
    if m.scale == "days_in_period":
        days = {k: _days(k, kind, period) for k in values["period_key"].unique()}
        values = values.assign(v=values["v"] * values["period_key"].map(days))
    mapping = dims.mapping(source.basis, level)
    merged = values.merge(mapping, on="unit0")
    year = merged["period_key"] // 100 if kind == "month" else merged["period_key"]
    merged = merged[(merged["y0"] <= year) & (year <= merged["y1"])]
    return merged.groupby(["period_key", "unit"])["v"].sum().astype("int64")


def _indicator_frame(
    ind: Indicator, level: str, kind: str, base: dict, dims: _Dimensions, period: Period
) -> pd.DataFrame:
    num = _rollup(ind.numerator, level, kind, base, dims, period)
    den = _rollup(ind.denominator, level, kind, base, dims, period) if ind.denominator else None
    units = sorted(
        set(num.index.get_level_values("unit"))
        | (set(den.index.get_level_values("unit")) if den is not None else set())
    )
    full = pd.MultiIndex.from_product(
        [period_keys(period, kind), units], names=["period_key", "unit"]
    )
    numerator = num.reindex(full, fill_value=0)
    out = pd.DataFrame(index=full).reset_index()
    out["numerator"] = numerator.to_numpy()
    if den is not None:
        denominator = den.reindex(full, fill_value=0).to_numpy()
        out["denominator"] = pd.array(denominator, dtype="Int64")
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(
                denominator > 0,
                out["numerator"].to_numpy() / np.where(denominator > 0, denominator, 1),
                np.nan,
            )
        out["value"] = value * ind.factor
    else:
        out["denominator"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["value"] = out["numerator"].to_numpy() * ind.factor
    out.insert(0, "indicator", ind.id)
    out.insert(1, "period_type", kind)
    out.insert(2, "period", [period_label(k, kind) for k in out["period_key"]])
    out.insert(4, "level", level)
    names = dims.names.get(level, {})
    out.insert(6, "unit_name", [names.get(u, u) for u in out["unit"]])
    return out
