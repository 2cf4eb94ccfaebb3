"""Reading one catalogue entry: the checks :func:`~ihms.indicators.load_catalogue`
runs on every indicator and measure of the YAML, each problem with where it is."""

from __future__ import annotations

import difflib
from typing import Any

from ihms.indicators._complements import counts_part_of
from ihms.indicators.catalogue import (
    COUNTY_SUMS,
    LEVELS,
    POPULATION_AGGS,
    SOURCES,
    Condition,
    Indicator,
    Measure,
)

__all__ = ["indicator_entry", "unknown_keys", "with_county_sums"]


def with_county_sums(levels: tuple[str, ...]) -> tuple[str, ...]:
    """``levels`` with the city and province added when they hold both county and total
    (:data:`~ihms.indicators.catalogue.COUNTY_SUMS`), in the order of ``LEVELS``; a
    level this does not know is kept, after them, for the checks to name."""
    wanted = set(levels)
    if {"county", "total"} <= wanted:
        wanted |= set(COUNTY_SUMS)
    known = tuple(lv for lv in LEVELS if lv in wanted)
    return known + tuple(lv for lv in dict.fromkeys(levels) if lv not in LEVELS)


_INDICATOR_KEYS = {
    "id",
    "name_en",
    "name_zh",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "periods",
    "levels",
    "seed",
    "suppress_on",
    "description",
}
_MEASURE_KEYS = {"source", "agg", "column", "where", "scale"}


def unknown_keys(keys, valid, where: str) -> list[str]:
    """One problem per key of ``keys`` not in ``valid``, located at ``where``, with the
    closest valid key as a suggestion."""
    out = []
    for k in keys:
        if k not in valid:
            close = difflib.get_close_matches(str(k), sorted(valid), n=1)
            out.append(
                f"{where}: unknown key '{k}'" + (f"; did you mean '{close[0]}'?" if close else "")
            )
    return out


def _measure(raw: Any, where: str, problems: list[str]) -> Measure | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping, got {raw!r}")
        return None
    problems += unknown_keys(raw, _MEASURE_KEYS, where)
    source = SOURCES.get(raw.get("source", ""))
    if source is None:
        close = difflib.get_close_matches(str(raw.get("source")), list(SOURCES), n=1)
        problems.append(
            f"{where}: unknown source {raw.get('source')!r}"
            + (f"; did you mean '{close[0]}'?" if close else "")
        )
        return None
    agg = raw.get("agg")
    column = raw.get("column")
    if source.name == "population":
        if agg not in POPULATION_AGGS:
            problems.append(
                f"{where}: agg of source population must be count_end (residents on the "
                "period's last day) or mean_start_end (the average of the counts at the "
                f"period's start and end), got {agg!r}"
            )
        if column is not None:
            problems.append(f"{where}: a population count takes no column")
    elif agg not in ("count", "sum"):
        problems.append(f"{where}: agg must be count or sum, got {agg!r}")
    elif agg == "sum" and column not in source.record_columns:
        problems.append(f"{where}: source {source.name} has no column {column!r} to sum")
    elif agg == "count" and column is not None:
        problems.append(f"{where}: a count takes no column")
    conditions = []
    for col, cond in (raw.get("where") or {}).items():
        if col not in source.record_columns | source.unit_columns:
            valid = sorted(source.record_columns | source.unit_columns)
            close = difflib.get_close_matches(str(col), valid, n=1)
            problems.append(
                f"{where}: source {source.name} has no column {col!r} to filter on"
                + (f"; did you mean '{close[0]}'?" if close else "")
            )
            continue
        if isinstance(cond, list):
            conditions.append(Condition(col, values=tuple(cond)))
        elif isinstance(cond, dict) and set(cond) <= {"min", "max"} and cond:
            conditions.append(Condition(col, min=cond.get("min"), max=cond.get("max")))
        else:
            problems.append(
                f"{where}.where.{col}: expected a list of values or {{min, max}}, got {cond!r}"
            )
    scale = raw.get("scale")
    if scale not in (None, "days_in_period"):
        problems.append(f"{where}: scale must be days_in_period, got {scale!r}")
    return Measure(source.name, agg, column, tuple(conditions), scale)


def indicator_entry(raw: dict, where: str, problems: list[str]) -> Indicator | None:
    """The :class:`Indicator` of one catalogue entry ``raw`` (at ``where`` in the YAML),
    or None when it cannot be built; every problem found is appended to ``problems``."""
    problems += unknown_keys(raw, _INDICATOR_KEYS, where)
    for key in ("id", "name_en", "name_zh", "numerator", "unit", "periods", "levels", "seed"):
        if key not in raw:
            problems.append(f"{where}: missing key '{key}'")
    if any(k not in raw for k in ("id", "numerator", "periods", "levels")):
        return None
    num = _measure(raw["numerator"], f"{where}.numerator", problems)
    den = (
        _measure(raw["denominator"], f"{where}.denominator", problems)
        if raw.get("denominator")
        else None
    )
    if num is None or (raw.get("denominator") and den is None):
        return None
    if num.divisor != 1:
        # numerators are whole counts (suppression and the results' numerator column
        # rely on it); an average population divides, it is not counted
        problems.append(
            f"{where}.numerator: agg {num.agg} gives a half-integer, allowed in a "
            "denominator only; count residents with count_end"
        )
    periods = tuple(raw["periods"])
    levels = with_county_sums(tuple(raw["levels"]))
    for measure in (m for m in (num, den) if m is not None):
        source = SOURCES[measure.source]
        bad_p = [p for p in periods if p not in source.periods]
        if bad_p:
            problems.append(
                f"{where}: source {source.name} cannot be grouped by {', '.join(bad_p)}"
            )
        bad_l = [lv for lv in levels if lv not in source.levels]
        if bad_l:
            problems.append(
                f"{where}: source {source.name} cannot be broken down by {', '.join(bad_l)}"
            )
    suppress = tuple(raw.get("suppress_on", ()))
    for s in suppress:
        if s == "complement":
            if den is None or not counts_part_of(num, den):
                problems.append(
                    f"{where}: suppress_on names complement (denominator - numerator), "
                    "allowed only when the numerator counts a part of the denominator's "
                    "records (same source, a count, every denominator condition met)"
                )
        elif s not in ("numerator", "denominator") or (s == "denominator" and den is None):
            problems.append(
                f"{where}: suppress_on may name numerator, denominator (if any) or "
                f"complement, got {s!r}"
            )
    return Indicator(
        id=raw["id"],
        name_en=raw.get("name_en", raw["id"]),
        name_zh=raw.get("name_zh", ""),
        numerator=num,
        denominator=den,
        factor=float(raw.get("factor", 1)),
        unit=str(raw.get("unit", "")),
        periods=periods,
        levels=levels,
        seed=raw.get("seed", ""),
        suppress_on=suppress,
        description=" ".join(str(raw.get("description", "")).split()),
    )
