"""Keyword rules of several categories firing on one segment of a single-label dimension."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["conflict_note", "rule_conflicts"]


def rule_conflicts(codes: pd.DataFrame, categories: Sequence[str]) -> tuple[dict, ...]:
    """Segments of ``codes`` (a :class:`~ihms.policy.autocode.RuleCoding`'s, one row per
    segment and category) coded with several categories, as ``{"segment", "kept",
    "also"}``: on a single-label dimension the category first in ``categories`` (the
    rules file's order) is kept."""
    order = {c: i for i, c in enumerate(categories)}
    out = []
    for seg, part in codes.groupby("segment", sort=False):
        cats = sorted(dict.fromkeys(part["category"]), key=order.__getitem__)
        if len(cats) > 1:
            out.append({"segment": str(seg), "kept": cats[0], "also": cats[1:]})
    return tuple(out)


def conflict_note(conflicts: Sequence[dict]) -> str:
    """The note on segments where rules of several categories fired."""
    shown = "; ".join(
        f"{c['segment']} {c['kept']} over {', '.join(c['also'])}" for c in conflicts[:5]
    )
    more = f"; and {len(conflicts) - 5:,} more" if len(conflicts) > 5 else ""
    return (
        f"{len(conflicts):,} segment{'s' if len(conflicts) != 1 else ''} matched rules of "
        "several categories; the dimension is single-label, so the category first in the "
        f"rules file was kept: {shown}{more}. Reorder the rules, or add `none` terms."
    )
