"""The rows and notes of every dimension of the agreement report: its own row (whole
code, or whole code set) and a present/absent row per category, with q for AC1 and
PABAK from the scale's categories when the caller gives them."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from ihms.errors import InputError
from ihms.stats._agreement_row import (
    UnitCoverage,
    coverage_notes,
    paradox_notes,
    row_statistics,
    undefined_categories,
)
from ihms.stats._codings import DimensionCodings, set_label
from ihms.stats._plain import is_missing

__all__ = ["WHOLE_SET_NOTE", "dimension_rows", "scale_of"]

#: Why a whole code set's row has no AC1 or PABAK (said where a report has one).
WHOLE_SET_NOTE = (
    "A whole code set has no AC1 or PABAK: its answers are every possible set of "
    "categories (2^k for k categories), and with q that large both come to percent "
    "agreement; its categories' present/absent rows give them."
)


def scale_of(
    dim: DimensionCodings, categories: Mapping[Hashable, Sequence[Hashable]] | None
) -> tuple[Hashable, ...] | None:
    """The categories of ``dim``'s scale (q for AC1 and PABAK) from ``categories``, or
    None (the categories seen) when it gives none for the dimension.

    Raises
    ------
    InputError
        ``dim`` has a code outside its given scale.
    """
    if categories is None or dim.name not in categories:
        return None
    scale = tuple(categories[dim.name])
    outside = [c for c in dim.categories if c not in scale]
    if outside:
        raise InputError(
            f"parameter 'categories': dimension {dim.name!r} has code(s) "
            f"{', '.join(map(repr, outside))} outside its categories "
            f"{', '.join(map(repr, scale))}"
        )
    return scale


def dimension_rows(
    dim: DimensionCodings,
    confidence: float,
    scale: Sequence[Hashable] | None,
    boot: dict[str, Any],
) -> tuple[list[dict[str, Any]], UnitCoverage, list[str]]:
    """``dim``'s rows (its own, then a present/absent row per category seen), its
    coverage and its notes. A single-label dimension's AC1 and PABAK take q from
    ``scale`` (else the categories seen); a whole code set has neither
    (:data:`WHOLE_SET_NOTE`)."""
    wide = dim.wide
    whole = wide.map(lambda v: None if is_missing(v) else set_label(v)) if dim.multi_label else wide
    dim_stats, caveats = row_statistics(
        whole,
        confidence,
        categories=None if dim.multi_label else (scale or dim.categories),
        chance=not dim.multi_label,
        **boot,
    )
    rows = [
        {
            "dimension": dim.name,
            "category": None,
            "basis": "code set" if dim.multi_label else "code",
            **dim_stats,
        }
    ]
    # a category's present/absent table misses the same units: said once, here
    cover = UnitCoverage.of(wide)
    whole_code = "whole code set" if dim.multi_label else "whole code"
    notes = coverage_notes(dim.name, cover, whole=whole_code)
    notes += [f"{dim.name}: {c}." for c in caveats]
    undefined, cat_stats = 0, []
    for cat in dim.categories:
        if dim.multi_label:
            binary = wide.map(lambda v, c=cat: None if is_missing(v) else int(c in v))
        else:
            binary = wide.map(lambda v, c=cat: None if is_missing(v) else int(v == c))
        stats_, caveats = row_statistics(
            binary, confidence, categories=(1, 0), present_absent=True, **boot
        )
        cat_stats.append((cat, stats_))
        undefined += bool(caveats)  # the only caveat left: kappa/alpha undefined
        rows.append({"dimension": dim.name, "category": cat, "basis": "present/absent", **stats_})
    if undefined:
        notes.append(f"{dim.name}: {undefined_categories(undefined)}")
    notes += dim.twins_note()  # twins' low kappa is no paradox: not in its note
    twins = {c for group in dim.label_twins for c in group}
    notes += paradox_notes(str(dim.name), dim_stats, [t for t in cat_stats if t[0] not in twins])
    return rows, cover, notes
