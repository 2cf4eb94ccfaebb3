"""Complementary (secondary) suppression: the small cells a share's published numerator
and denominator would give away.

A share whose numerator counts a part of its denominator's records (within the county
of all stays, controlled of all managed patients) publishes the other part too:
denominator − numerator. Statistical offices call hiding the cells that would let a
reader work out a suppressed one *secondary* or *complementary* suppression
(Hundepool et al. 2012, *Statistical Disclosure Control*, on tables of counts). :meth:`~ihms.indicators.IndicatorResults.suppress` applies two rules:

* an indicator listing ``complement`` in ``suppress_on`` is hidden when
  0 < denominator − numerator < min_cell, as when its numerator is small;
* shares of one denominator whose numerators count disjoint records (the hospital and
  primary-care shares of healthcare visits, the within- and outside-county shares) are
  hidden together in a cell (same period and unit) when one of them is: the rest of the
  denominator is often empty, and then the one shown gives the other away.

Not covered: sums across units or periods (a county's count less those of its shown
grids), which a table of several levels would need a full cell-suppression audit for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ihms.indicators.catalogue import Catalogue, Condition, Measure

__all__ = ["counts_part_of", "disjoint_parts", "hidden_by_complement", "hidden_with_pairs"]

#: The columns that place a results row in one cell: shares paired in a cell are
#: hidden together.
CELL = ["period_type", "period_key", "level", "unit"]


def _within(narrow: Condition, wide: Condition) -> bool:
    """Whether every record ``narrow`` keeps, ``wide`` keeps too (same column)."""
    if wide.values is not None:
        return narrow.values is not None and set(narrow.values) <= set(wide.values)
    if narrow.values is not None:
        return all(
            (wide.min is None or v >= wide.min) and (wide.max is None or v <= wide.max)
            for v in narrow.values
        )
    low = wide.min is None or (narrow.min is not None and narrow.min >= wide.min)
    high = wide.max is None or (narrow.max is not None and narrow.max <= wide.max)
    return low and high


def counts_part_of(part: Measure, whole: Measure) -> bool:
    """Whether ``part`` counts a subset of the records ``whole`` counts: both count
    records of one source (no sum, no population, no scale), and every condition of
    ``whole`` is met by every record ``part`` keeps."""
    if part.source != whole.source or part.agg != "count" or whole.agg != "count":
        return False
    if part.scale is not None or whole.scale is not None:
        return False
    mine = {c.column: c for c in part.where}
    return all(c.column in mine and _within(mine[c.column], c) for c in whole.where)


def _apart(a: Condition, b: Condition) -> bool:
    """Whether no value meets both conditions (on one column)."""
    if a.values is not None and b.values is not None:
        return not set(a.values) & set(b.values)
    if a.values is None and b.values is None:
        return (a.max is not None and b.min is not None and a.max < b.min) or (
            b.max is not None and a.min is not None and b.max < a.min
        )
    values, bounds = (a, b) if a.values is not None else (b, a)
    return not any(
        (bounds.min is None or v >= bounds.min) and (bounds.max is None or v <= bounds.max)
        for v in values.values
    )


def disjoint_parts(a: Measure, b: Measure) -> bool:
    """Whether two counts of one source can share no record: a column both filter on
    with conditions no value meets together (care_level hospital / primary)."""
    if a.source != b.source:
        return False
    theirs = {c.column: c for c in b.where}
    return any(c.column in theirs and _apart(c, theirs[c.column]) for c in a.where)


def hidden_by_complement(frame: pd.DataFrame, rows, min_cell: int) -> pd.Series:
    """The ``rows`` of ``frame`` whose complement, denominator − numerator, is from 1 to
    ``min_cell`` − 1."""
    import pandas as pd

    rest = pd.to_numeric(frame.loc[rows, "denominator"]) - pd.to_numeric(
        frame.loc[rows, "numerator"]
    )
    return ((rest > 0) & (rest < min_cell)).fillna(False).astype(bool)


def hidden_with_pairs(frame: pd.DataFrame, hide: pd.Series, catalogue: Catalogue) -> pd.Series:
    """``hide`` widened to the shares paired with a hidden one in its cell: shares of one
    denominator (listing ``complement``) whose numerators are disjoint, linked through
    any chain of such pairs, are hidden together."""
    shares = [
        catalogue[i]
        for i in dict.fromkeys(frame["indicator"])
        if "complement" in catalogue[i].suppress_on
    ]
    groups: list[set[str]] = []
    for ind in shares:
        linked = [
            g
            for g in groups
            if any(
                catalogue[o].denominator == ind.denominator
                and disjoint_parts(catalogue[o].numerator, ind.numerator)
                for o in g
            )
        ]
        merged = {ind.id}.union(*linked)
        groups = [g for g in groups if g not in linked] + [merged]
    out = hide.copy()
    for group in (g for g in groups if len(g) > 1):
        rows = frame["indicator"].isin(group)
        cells = frame.loc[rows, CELL].astype(str).agg("|".join, axis=1)
        hidden_cells = set(cells[hide[rows]])
        out.loc[cells.index] |= cells.isin(hidden_cells)
    return out
