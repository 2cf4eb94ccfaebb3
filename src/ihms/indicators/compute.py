"""Compute the catalogue: engine aggregates, then roll-up and ratios on small frames.

:func:`compute` runs one engine query per (source, period type) needed
(:mod:`ihms.indicators._engine`), each returning measures by period and finest unit.
Then, in pandas, it applies the institution filters (tier, care level), rolls the
measures up to the requested level (a consortium gathers its members, or the residents
of its grids, in the years it operates), and divides. Sums of counts and of fen are
exact integers all the way; an average population is carried as the integer
start + end and halved only at the end. The ``numerator`` column holds integers; the
``denominator`` column holds integers or, for an average population, half-integers
(nullable floats, exact for any count or fen sum below 2**53); ``value`` is a float.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ihms._arguments import names_list
from ihms.data.dataset import Dataset, Period
from ihms.errors import InputError
from ihms.indicators import _empty, _engine, _notes, _sources, _system_file
from ihms.indicators._data_kind import check_data
from ihms.indicators._dimensions import Dimensions, kept_counties
from ihms.indicators._engine import IndicatorTables
from ihms.indicators._periods import days_in as _days
from ihms.indicators._periods import period_keys, period_label
from ihms.indicators._shared_grids import outside_member_notes, shared_grid_notes
from ihms.indicators.catalogue import (
    CATALOGUE,
    LEVELS,
    PERIODS,
    SOURCES,
    Catalogue,
    Indicator,
    Measure,
)
from ihms.indicators.results import IndicatorResults, Omission

if TYPE_CHECKING:  # pragma: no cover
    from ihms.data.store import Store
    from ihms.system import System

__all__ = ["compute", "period_keys"]

_LEVEL_FALLBACK = {
    "institution": ("institution", "grid", "county", "total"),
    "tier": ("tier", "total"),
    "grid": ("grid", "county", "total"),
    "consortium": ("consortium", "county", "total"),
    "county": ("county", "total"),
    "city": ("city", "county", "total"),
    "province": ("province", "county", "total"),
    "total": ("total", "county"),
}


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
    data: Store | Dataset | IndicatorTables,
    *,
    indicators: Iterable[str] | str | None = None,
    level: str = "county",
    period: str = "year",
    catalogue: Catalogue = CATALOGUE,
    progress: Callable[[str], None] | None = None,
    system: System | None = None,
    population: str = "register",
    counties: Iterable[str] | None = None,
    include_districts: bool = False,
) -> IndicatorResults:
    """Compute indicators at one level and period type.

    Parameters
    ----------
    data
        A :class:`~ihms.data.Store`, a :class:`~ihms.data.Dataset` (loaded into an
        in-memory DuckDB store) or :class:`IndicatorTables` of any Ibis backend.
    indicators
        Ids to compute, or one id (default: the whole catalogue). Named indicators must allow the
        level and period; for the whole catalogue, an indicator that does not is
        computed at the nearest coarser level or period it allows (the result's
        ``level`` and ``period_type`` columns say which).
        An indicator is left out, and listed with the reason in the results'
        ``omitted``, when a table whose records it counts is empty or absent (the
        follow-ups for the control rates, say; ``_sources.SOURCE_TABLES``), or when no
        unit at the level has records for it.
    level
        ``total``, ``province``, ``city``, ``county``, ``grid``, ``consortium``, ``tier``
        or ``institution``. A city sums its counties and districts (``counties.city``),
        the province the data's counties of kind ``county`` (县, 县级市: a yearbook's
        county figures), its districts (市辖区) with ``include_districts``; an indicator
        that cannot be summed over counties
        (:data:`~ihms.indicators.catalogue.COUNTY_SUMS`) is computed by county.
    period
        ``month`` or ``year``.
    catalogue
        Definitions to use (default :data:`~ihms.indicators.CATALOGUE`).
    progress
        Called with a short description before each engine query.
    system : ihms.system.System, optional
        The delivery-system file the data belong to (:func:`ihms.system.load_system`).
        It declares the referral pathway that ``off_pathway_referrals`` judges the
        referrals against (left out without it), and its grids' year-end populations,
        which the results' notes set against the residents register (more than 5 %
        apart: both numbers named). Refused (``InputError``) when it holds fewer than
        half of the data's institutions or grids (another county's file); the ones it
        lacks otherwise named in a note.
    population
        The population of the per-resident rates: ``"register"`` (the residents
        register, the default) or ``"grids"`` (the system file's grid populations;
        needs ``system``; a grid without a figure, or one the file lacks, is missing,
        and so is every total holding it).
    counties
        County ids whose records alone are counted: their institutions' and their
        residents' (default: every county); ``"study"``: the study counties
        (``counties.study``). Refused naming the ids the data lack.
    include_districts
        At ``level="province"``: sum the districts (市辖区, ``counties.kind``) with the
        counties. A county's extract holds a capital's district only for the hospitals
        its residents went to, so by default a note names the districts left out.
        Refused at another level (a city holds its districts).
    """
    if level not in LEVELS:
        raise InputError(f"parameter 'level': expected one of {', '.join(LEVELS)}, got {level!r}")
    if period not in PERIODS:
        raise InputError(
            f"parameter 'period': expected one of {', '.join(PERIODS)}, got {period!r}"
        )
    _system_file.check_population(
        population, system, option="parameter 'population'", system_option="system="
    )
    if include_districts and level != "province":
        raise InputError(
            "parameter 'include_districts' applies to level 'province' (a city holds its "
            f"districts), got level {level!r}"
        )
    check_data(data)
    indicators = names_list(indicators, parameter="indicators", what="indicator ids")
    strict = indicators is not None
    chosen = [catalogue[i] for i in indicators] if indicators is not None else list(catalogue)

    producer = _producer(data)
    owned_store = None
    if isinstance(data, Dataset):
        from ihms.data.store import Store

        owned_store = Store(":memory:")
        owned_store.write(data)
        data = owned_store
    try:
        tables = data if isinstance(data, IndicatorTables) else IndicatorTables.from_store(data)
        return _compute(
            tables,
            chosen,
            level,
            period,
            strict,
            catalogue,
            progress,
            producer=producer,
            system=system,
            population=population,
            counties=counties,
            include_districts=include_districts,
        )
    finally:
        if owned_store is not None:
            owned_store.close()


def _producer(data) -> str | None:
    """The program that wrote the data (``"ihms.sim"``), or None: a county's export, or
    tables of another backend that name none (``IndicatorTables.producer`` empty)."""
    return data.producer or None


def _compute(
    t: IndicatorTables,
    chosen: list[Indicator],
    level: str,
    period: str,
    strict: bool,
    catalogue: Catalogue,
    progress: Callable[[str], None] | None,
    sources: Mapping[str, Callable] | None = None,
    *,
    producer: str | None = None,
    system=None,
    population: str = "register",
    counties: Iterable[str] | None = None,
    include_districts: bool = False,
) -> IndicatorResults:
    """The computation behind :func:`compute`. ``sources`` replaces the engine's source
    functions (the benchmark passes plain-pandas ones to time them against the engine);
    each takes ``(tables, period_type, measures)``, or for ``population`` also the list
    of period keys, and returns measures by period and finest unit."""
    kept = kept_counties(t, counties)  # before any query
    engine = dict(_sources.ENGINE_SOURCES, population=_sources.population)
    matched = _system_file.system_match(t, system) if system is not None else []
    if system is not None:
        pairs = _sources.pathway_pairs(system, t.period.years)
        engine["referrals"] = partial(_sources.referrals, pathway=pairs)
        if population == "grids":
            engine["population"] = _system_file.grid_population(system)
    engine.update(sources or {})
    plan = {ind.id: _resolve(ind, level, period, strict) for ind in chosen}
    omitted = _without_records(t, chosen) | _system_file.register_only(chosen, population)
    if system is None:
        omitted.update(
            {
                ind.id: Omission(ind.id, _system_file.NO_PATHWAY)
                for ind in chosen
                if ind.id not in omitted and _system_file.needs_pathway(ind)
            }
        )
    asked, chosen = chosen, [ind for ind in chosen if ind.id not in omitted]
    needed: dict[tuple[str, str], dict[str, Measure]] = {}
    for ind in chosen:
        _, pr = plan[ind.id]
        for m in (ind.numerator, ind.denominator):
            if m is not None:
                needed.setdefault((m.source, pr), {})[m.engine_key] = m
    lateral = _notes.lateral_measure(needed)
    if lateral is not None:
        needed[lateral[0]][lateral[1].engine_key] = lateral[1]

    base: dict[tuple[str, str], pd.DataFrame] = {}
    for (source, pr), measures in needed.items():
        if progress is not None:
            progress(f"{source} by {pr}")
        ms = list(measures.values())
        if source == "population":
            base[(source, pr)] = engine[source](t, pr, ms, period_keys(t.period, pr))
        else:
            base[(source, pr)] = engine[source](t, pr, ms)
    dims = Dimensions(t, kept, include_districts=include_districts)
    empty, county_empty = _empty.empty_periods(t, chosen, plan, dims, base)
    if progress is not None:
        progress("roll-up")
    cache: dict = {}
    frames = []
    for ind in chosen:
        lv, pr = plan[ind.id]
        by_county = {c: lack[pr] for c, lack in county_empty.items() if pr in lack}
        blank = _empty.Blank(empty.get(pr, ()), by_county)
        frame = _indicator_frame(ind, lv, pr, base, dims, t.period, cache, blank)
        if len(frame):
            frames.append(frame)
        else:
            lv = plan[ind.id][0]
            omitted[ind.id] = Omission(ind.id, f"no {lv} has records for it in the period")
    notes = _notes.bare_county_notes(dims, county_empty)
    notes += _notes.district_notes(frames, dims)
    notes += _notes.outside_years_notes(frames, level, dims, list(t.period.years))
    at_institution = [ind for ind in chosen if plan[ind.id][0] == "institution"]
    notes += _notes.records_outside_notes(t, at_institution, dims)
    if lateral is not None:
        notes += _notes.lateral_notes(base[lateral[0]], lateral[1], lateral[0][1])
    notes += matched + _system_file.population_notes(t, system, chosen, population)
    at_consortium = [ind for ind in chosen if plan[ind.id][0] == "consortium"]
    notes += shared_grid_notes(dims, at_consortium, list(t.period.years))
    notes += outside_member_notes(dims, at_consortium)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return IndicatorResults(
        frame=frame,
        level=level,
        period=period,
        catalogue=catalogue,
        omitted=tuple(omitted[ind.id] for ind in asked if ind.id in omitted),
        empty_periods=empty,
        county_empty_periods=county_empty,
        producer=producer,
        notes=tuple(notes),
    )


def _without_records(t: IndicatorTables, chosen: list[Indicator]) -> dict[str, Omission]:
    """The indicators counting records of a table that is empty or absent, by id, with
    the reason; each table is looked at once."""
    states: dict[str, str | None] = {}
    out = {}
    for ind in chosen:
        measures = [m for m in (ind.numerator, ind.denominator) if m is not None]
        names = dict.fromkeys(n for m in measures for n in _sources.SOURCE_TABLES[m.source])
        lacking = []
        for name in names:
            if name not in states:
                states[name] = t.lacking(name)
            if states[name] is not None:
                lacking.append(name)
        if lacking:
            reason = "; ".join(
                _lacking_text([n for n in lacking if states[n] == state], state)
                for state in ("empty", "absent")
                if any(states[n] == state for n in lacking)
            )
            if "referrals" in lacking:
                if "marks" not in states:
                    states["marks"] = _sources.referral_marks(t)
                reason += f"; {states['marks']}" if states["marks"] else ""
            out[ind.id] = Omission(ind.id, reason, tuple(lacking))
    return out


def _lacking_text(names: list[str], state: str) -> str:
    several = len(names) > 1
    what = ("tables " if several else "table ") + " and ".join(names)
    if state == "empty":
        return f"{what} {'have' if several else 'has'} no rows"
    return f"{what} {'are' if several else 'is'} absent"


#: The columns of the results' long table, in order.
COLUMNS = (
    "indicator",
    "period_type",
    "period",
    "period_key",
    "level",
    "unit",
    "unit_name",
    "numerator",
    "denominator",
    "numerator_unit",
    "denominator_unit",
    "value",
    "measure_unit",
)


def _amount_unit(measure: Measure | None) -> str | None:
    """``"fen"`` for a sum of money (the value's unit may be yuan: cost per visit), else
    None: without it a reader of the long table divides 500000 fen by 1 stay and gets a
    value 100 times the one printed beside it."""
    column = measure.column if measure is not None else None
    return "fen" if column and column.endswith("_fen") else None


def _rollup(
    m: Measure, level: str, kind: str, base: dict, dims: Dimensions, period: Period, cache: dict
) -> pd.Series:
    """One measure by (period_key, unit) at ``level``; measures shared by several
    indicators are rolled up once."""
    key = (m.key, level, kind)
    if key not in cache:
        cache[key] = _rollup_once(m, level, kind, base, dims, period)
    return cache[key]


def _rollup_once(
    m: Measure, level: str, kind: str, base: dict, dims: Dimensions, period: Period
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
    if dims.counties is not None:
        values = values[values["unit0"].isin(dims.finest(source.basis))]
    if m.scale == "days_in_period":
        days = {k: _days(k, kind, period) for k in values["period_key"].unique()}
        values = values.assign(v=values["v"] * values["period_key"].map(days))
    if (source.basis, level) in (("institution", "institution"), ("resident", "grid")):
        return _sum(values.rename(columns={"unit0": "unit"}))
    mapping = dims.mapping(source.basis, level)
    merged = values.merge(mapping, on="unit0")
    year = merged["period_key"] // 100 if kind == "month" else merged["period_key"]
    merged = merged[(merged["y0"] <= year) & (year <= merged["y1"])]
    return _sum(merged)


def _sum(values: pd.DataFrame) -> pd.Series:
    """Sum ``v`` by (period_key, unit): missing when any part is missing (a total over
    partly unknown amounts would look real and be too small)."""
    v = values["v"].astype("Int64")
    keys = [values["period_key"], values["unit"]]
    total = v.fillna(0).groupby(keys).sum()
    unknown = v.isna().groupby(keys).any()
    return total.mask(unknown).rename_axis(["period_key", "unit"]).rename("v")


def _grid(series: pd.Series, periods: list[int], units: pd.Index) -> pd.arrays.IntegerArray:
    """A (period, unit) series as a dense periods x units array of nullable integers:
    zero where absent (no records), ``<NA>`` where missing."""
    full = pd.MultiIndex.from_product([periods, units], names=["period_key", "unit"])
    values = series.astype("Int64").reindex(full)
    values[~full.isin(series.index)] = 0
    return values.array


def _unknown_in(
    values: pd.arrays.IntegerArray, measure: Measure, blank: np.ndarray
) -> pd.arrays.IntegerArray:
    """``values`` missing where ``blank`` when ``measure`` counts an extract's records
    (:data:`._sources.EXTRACT_SOURCES`: encounters, referrals, follow-ups)."""
    if measure.source in _sources.EXTRACT_SOURCES and blank.any():
        values = values.copy()
        values[blank] = pd.NA
    return values


def _missing_in(values: pd.arrays.IntegerArray, absent: np.ndarray) -> pd.arrays.IntegerArray:
    """``values`` missing where ``absent``."""
    if absent.any():
        values = values.copy()
        values[absent] = pd.NA
    return values


def _indicator_frame(
    ind: Indicator,
    level: str,
    kind: str,
    base: dict,
    dims: Dimensions,
    period: Period,
    cache: dict,
    blank: _empty.Blank | None = None,
) -> pd.DataFrame:
    """One indicator's rows; in the ``blank`` periods (no encounter at all in the data,
    or in the records of a county the unit counts) a measure over encounters is missing, not the 0
    a count over no records gives."""
    num = _rollup(ind.numerator, level, kind, base, dims, period, cache)
    den = (
        _rollup(ind.denominator, level, kind, base, dims, period, cache)
        if ind.denominator
        else None
    )
    if not len(num) and (den is None or not len(den)):
        return pd.DataFrame(columns=COLUMNS)  # no unit at the level has records for it
    periods = period_keys(period, kind)
    present = dims.cells(ind, level, periods, kind)
    units = pd.Index(present["unit"].unique()).sort_values()
    years = [k // 100 if kind == "month" else k for k in periods]
    full = pd.MultiIndex.from_product([years, units])
    # a unit outside its years (a consortium before it starts) is missing, not 0
    absent = ~full.isin(pd.MultiIndex.from_frame(present[["year", "unit"]]))
    blank = blank or _empty.Blank()
    cells = blank.cells(periods, units, _empty.counties_of(ind, level, dims, blank))
    numerator = _missing_in(_unknown_in(_grid(num, periods, units), ind.numerator, cells), absent)
    n = len(numerator)
    num_f = numerator.to_numpy(dtype="float64", na_value=np.nan)
    if den is not None:
        den_int = _unknown_in(_grid(den, periods, units), ind.denominator, cells)
        den_int = _missing_in(den_int, absent)
        # an average population: the integer start + end, halved (exactly) here
        den_col = den_int.astype("Float64") / ind.denominator.divisor
        den_f = den_col.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den_f > 0, num_f / np.where(den_f > 0, den_f, 1), np.nan)
        value = value * ind.factor
    else:
        value = num_f * ind.factor
        den_col = pd.array([pd.NA] * n, dtype="Float64")
    labels = [period_label(k, kind) for k in periods]
    names = dims.names(level)
    unit_names = [str(names.get(u, u)) for u in units]
    return pd.DataFrame(
        {
            "indicator": ind.id,
            "period_type": kind,
            "period": np.repeat(np.array(labels, dtype=object), len(units)),
            "period_key": np.repeat(np.asarray(periods, dtype="int64"), len(units)),
            "level": level,
            "unit": np.tile(np.asarray(units, dtype=object), len(periods)),
            "unit_name": np.tile(np.array(unit_names, dtype=object), len(periods)),
            "numerator": numerator,
            "denominator": den_col,
            "numerator_unit": _amount_unit(ind.numerator),
            "denominator_unit": _amount_unit(ind.denominator),
            "value": value.astype("float64"),
            "measure_unit": ind.unit,
        }
    )
