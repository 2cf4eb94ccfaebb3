"""The years of an average annual growth rate against the years of its table: a start
or end year beyond the table said once, where an indicator's values are beside a year
it lacks, and the years every indicator has when the period was left to its default
(:func:`ihms.stats.growth.growth_table`'s messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["beyond_table", "common_span", "years_with_values"]


def beyond_table(
    start: tuple[float | None, float], end: tuple[float | None, float], years: list, column: str
) -> list[str]:
    """A start or end year given before the table's first year or after its last, said
    once with the years there (each indicator's "no value for 2014" only repeated it)."""
    out = []
    for which, (given, year) in (("start", start), ("end", end)):
        if given is None:
            continue
        if year < years[0]:
            side = f"before the table's first year, {years[0]:g}"
        elif year > years[-1]:
            side = f"after the table's last year, {years[-1]:g}"
        else:
            continue
        out.append(
            f"{column}: the {which} year {year:g} (parameter '{which}_year') is {side} (its "
            f"years run {years[0]:g}–{years[-1]:g})"
        )
    return out


def years_with_values(year: float, valued: list[float]) -> str:
    """Where an indicator's values are, beside a year it has none for."""
    if not valued:
        return "it has no value in any year"
    if year < valued[0]:
        return f"its first year with a value is {valued[0]:g}"
    if year > valued[-1]:
        return f"its last year with a value is {valued[-1]:g}"
    before = max(y for y in valued if y < year)
    after = min(y for y in valued if y > year)
    return f"its nearest years with a value are {before:g} and {after:g}"


def common_span(
    values: Mapping[tuple[str, float], Any],
    indicators: list[str],
    start_year: float | None,
    end_year: float | None,
    period: tuple[Any, Any],
) -> str:
    """With a defaulted start or end year (the table's first or last), the years that
    would do instead — ones every indicator has a value in; else ``""``."""
    if (start_year is not None and end_year is not None) or None in period or not indicators:
        return ""
    common = set.intersection(*({y for n, y in values if n == name} for name in indicators))
    starts = sorted(common) if start_year is None else [period[0]]
    ends = sorted(common) if end_year is None else [period[1]]
    if not set(starts + ends) <= common or not starts or not ends or starts[0] >= ends[-1]:
        return ""
    low, high = starts[0], ends[-1]
    asks = [
        f"parameter '{which}_year' to {year:g}"
        for which, given, year, default in (
            ("start", start_year, low, period[0]),
            ("end", end_year, high, period[1]),
        )
        if given is None and year != default
    ]
    if not asks:
        return ""
    if start_year is None and end_year is None:
        default = f"the period runs from the table's first year to its last, {period[0]:g}–"
        default += f"{period[1]:g}"
    elif start_year is None:
        default = f"the start year is the table's first, {period[0]:g}"
    else:
        default = f"the end year is the table's last, {period[1]:g}"
    return (
        f" (by default {default}; every indicator has a value in {low:g} and in {high:g}: "
        f"set {' and '.join(asks)})"
    )
