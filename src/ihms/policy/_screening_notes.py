"""The notes a screening adds about what it was given: decisions that decided nothing
(:func:`unused_notes`) and included documents coded with their tables' rows
(:func:`tables_notes`), for :func:`ihms.policy.prisma.screen`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ihms._listing import first_of
from ihms.policy.screening_reviewers import STAGE_NAMES, ScreeningDecision

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.corpus import Document

__all__ = ["tables_notes", "unused_notes"]


def unused_notes(unused: Sequence[ScreeningDecision], dup: Mapping) -> list[str]:
    """Decisions that decided nothing: a reviewer screened a duplicate, or read the full
    text of a record excluded by its title. Said, not refused: the reviewer may simply
    have worked on the whole list."""
    if not unused:
        return []
    shown = [
        f"{d.doc_id} ({d.reviewer + ', ' if d.reviewer else ''}{STAGE_NAMES[d.stage]}: "
        + (f"a duplicate of {dup[d.doc_id].duplicate_of})" if d.doc_id in dup
           else "excluded at the title stage)")
        for d in unused
    ]  # fmt: skip
    return [
        f"{len(unused)} screening decision(s) were not used, because their document did not "
        f"reach that stage: {first_of(shown)}"
    ]


def tables_notes(documents: Sequence[Document], included: set[str]) -> list[str]:
    """Say which included documents were coded with their tables' rows: the default
    reading (seed 000's) leaves tables out, so a methods section must say so."""
    from ihms.policy._reading import table_reading

    read = [(d.id, r) for d in documents if d.id in included
            for r in [table_reading(d)] if r is not None and r.mode == "rows"]  # fmt: skip
    if not read:
        return []
    return [
        f"{len(read)} included document(s) were imported with their tables read, one "
        f"paragraph per row ({sum(r.rows for _, r in read)} rows): "
        f"{first_of([i for i, _ in read])}; tables are "
        "left out by default, so say in the methods that table rows were coded"
    ]
