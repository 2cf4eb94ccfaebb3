"""Two views of a grouped open dimension (the VI-HQMR policy study's symbiotic environment:
answers such
as 多点执业, each under one of the groups policy / technology / economy / society), for
the tables of :mod:`ihms.policy.tables`, which lay out closed dimensions:

* :func:`group_level` — the groups alone: each segment carries the groups its answers
  fall in, as a closed multi-label dimension whose categories are the groups (so a
  group nobody used still shows, as the VI-HQMR policy study §3.2.3 lists 0 social
  environments). This
  is what the closed environment codes of older projects hold.
* :func:`answer_level` — the answers under their groups: a closed dimension grouped by
  the groups whose categories are the answers found in the data, so a 1D table prints
  each group's header with its ``n`` above its answers, and a 2D table gives each
  group a subtotal, as Yu et al. 2024's grouped policy tools.

Both return a new :class:`~ihms.policy.reconcile.CodedData`; the data handed in is not
changed, and dimensions without groups pass through as they are. The views' codebooks
are for tables only (their ``text`` is empty: they are not codebook files).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from ihms.errors import InputError
from ihms.policy.codebook import Category, Codebook, Dimension

__all__ = ["answer_level", "group_level", "require_answer_groups"]


def require_answer_groups(
    codebook: Codebook,
    dimensions: Sequence[str] | None = None,
    *,
    name: str = "parameter 'level'",
) -> None:
    """Refuse the group level where it would change nothing: no dimension of
    ``codebook`` (or of ``dimensions``) has groups of answers. The error names the
    codebook and its dimensions that have groups (a closed dimension's grouped
    categories, which the level does not change) — else ``level='group'`` (``--level
    group``, ``name``) would quietly give the ordinary output.

    Raises
    ------
    InputError
        No dimension asked for has groups of answers.
    """
    dims = [codebook.dimension(d) for d in dimensions] if dimensions else codebook.dimensions
    if any(d.answer_groups for d in dims):
        return
    option = name.split("'")[1] if "'" in name else name
    grouped = [f"{d.key} (open)" for d in codebook.dimensions if d.answer_groups] + [
        f"{d.key} (closed: its categories fall in groups {', '.join(g.key for g in d.groups)}, "
        f"which {option} does not change)"
        for d in codebook.dimensions
        if d.groups
    ]
    what = f"codebook {codebook.name!r}"
    if dimensions:
        what = f"dimension(s) {', '.join(d.key for d in dims)} of {what}"
    raise InputError(
        f"{name}: 'group' compares the groups an open dimension's answers fall in, but "
        f"{what} has no category groups of answers; dimensions with groups: "
        f"{'; '.join(grouped) or 'none'}; leave out {option} (the default 'answer')"
    )


def _grouped(codebook: Codebook, dimensions: Sequence[str] | None) -> list[Dimension]:
    if dimensions is None:  # a view already taken is closed: left as it is
        return [d for d in codebook.dimensions if d.answer_groups and d.kind == "open"]
    dims = [codebook.dimension(name) for name in dimensions]
    plain = [d.key for d in dims if not d.answer_groups]
    if plain:
        grouped = [d.key for d in codebook.dimensions if d.answer_groups]
        raise InputError(
            f"parameter 'dimensions': {plain} have no groups of answers; grouped open "
            f"dimensions of codebook {codebook.name!r}: {grouped or 'none'}"
        )
    return dims


def _closed(dim: Dimension, **fields) -> Dimension:
    return Dimension(
        key=dim.key, en=dim.en, zh=dim.zh, kind="closed", multi=dim.multi, source=dim.source,
        definition=dim.definition, **fields,
    )  # fmt: skip


def _view(data, replaced: dict[str, Dimension], long: pd.DataFrame):
    cb = data.codebook
    dims = tuple(replaced.get(d.key, d) for d in cb.dimensions)
    view = dataclasses.replace(cb, dimensions=dims, text="", sha256="")
    return dataclasses.replace(data, long=long, codebook=view)


def _check_values(dim: Dimension, part: pd.DataFrame) -> None:
    """Refuse answers of ``dim`` (rows of a long table) stored without their group,
    each named with the first segment that holds it."""
    where: dict[str, str] = {}
    for seg, v in zip(part["segment_id"], part["value"], strict=True):
        if v != "" and dim.split_answer(v)[0] is None:
            where.setdefault(v, str(seg))
    if where:
        shown = ", ".join(f"{v!r} (segment {where[v]})" for v in sorted(where)[:5])
        more = f" and {len(where) - 5} more" if len(where) > 5 else ""
        raise InputError(
            f"dimension {dim.key!r}: {len(where)} answer(s) carry no group: {shown}{more}; "
            f"expected '<group>:<answer>' with a group of {[g.key for g in dim.answer_groups]}"
        )


def group_level(data, dimensions: Sequence[str] | None = None):
    """The groups of each grouped open dimension (default: every one) as a closed
    multi-label dimension whose categories are the groups; a segment with two answers
    in one group counts once in it.

    Raises
    ------
    InputError
        A named dimension without groups, or a stored answer without its group.
    """
    dims = _grouped(data.codebook, dimensions)
    long = data.long.copy()
    replaced = {}
    for dim in dims:
        rows = long["dimension"] == dim.key
        _check_values(dim, long.loc[rows])
        long.loc[rows, "value"] = [dim.split_answer(v)[0] or v for v in long.loc[rows, "value"]]
        categories = tuple(
            Category(
                g.key, g.en, g.zh, None, g.definition, g.aliases, definition_zh=g.definition_zh
            )
            for g in dim.answer_groups
        )
        replaced[dim.key] = _closed(dim, categories=categories)
    long = long.drop_duplicates(["segment_id", "dimension", "value"]).reset_index(drop=True)
    return _view(data, replaced, long)


def answer_level(data, dimensions: Sequence[str] | None = None):
    """The answers of each grouped open dimension (default: every one) as categories
    of a closed dimension grouped by the answer groups, in the framework's order (the
    groups', then the synonym dictionary's). A category's English name is the answer's
    ``en`` attribute where the codebook gives one, its Chinese name the answer.

    Raises
    ------
    InputError
        A named dimension without groups, or a stored answer without its group.
    """
    dims = _grouped(data.codebook, dimensions)
    replaced = {}
    for dim in dims:
        part = data.long.loc[data.long["dimension"] == dim.key]
        _check_values(dim, part)
        values = part["value"]
        categories = []
        for value in sorted({v for v in values if v != ""}, key=dim.sort_key):
            group, answer = dim.split_answer(value)
            english = str(dim.attribute(answer, "en") or answer)
            categories.append(Category(value, english, answer, group))
        # answer_groups kept: a value still splits into its group (the coverage table's
        # rows per group)
        replaced[dim.key] = _closed(
            dim,
            groups=dim.answer_groups,
            answer_groups=dim.answer_groups,
            categories=tuple(categories),
        )
    return _view(data, replaced, data.long)
