"""Registering a machine coder with its model's provenance for one write of its answers.

``autocode apply`` and ``qdpx import`` (a machine user of an ihms export) register
``machine:<model id>`` with training size and date before its answers are stored in
their own transaction; if storing them fails, a coder registered here is removed again,
so a refused write leaves no coder without codings behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["machine_coder_registered"]


@contextmanager
def machine_coder_registered(
    project,
    coder_id: str,
    *,
    model_id: str,
    training_size: int | None,
    trained_at: str | None,
    notes: str = "",
) -> Iterator[None]:
    """Register ``coder_id`` (a no-op if it exists) for the ``with`` block; a coder
    registered here that holds no codings when the block raises is removed again."""
    known = set(project.coders()["id"])
    project.add_coder(
        coder_id, kind="machine", model_id=model_id, training_size=training_size,
        trained_at=trained_at, notes=notes,
    )  # fmt: skip
    try:
        yield
    except BaseException:
        if coder_id not in known:
            with project.transaction() as conn:
                conn.execute(
                    "DELETE FROM coders WHERE id=? AND NOT EXISTS "
                    "(SELECT 1 FROM codings WHERE coder_id=?)",
                    (coder_id, coder_id),
                )
        raise
