"""Storing a machine coder's answers in a project (private to :mod:`.apply`): the
answers per category, the write with the coder's registration, and the coder's
earlier answers on segments a run leaves for a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ihms.policy.autocode.project import NONE


def counts_per_category(answers: dict, categories: tuple[str, ...]) -> dict[str, int]:
    """Answers per category, in the codebook's order, then "nothing applies"."""
    counts = dict.fromkeys(categories, 0)
    for values in answers.values():
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    counts[NONE] = sum(1 for values in answers.values() if not values)
    return counts


def write_machine_codes(
    project: Any,
    coder_id: str,
    answers: dict,
    provenance: dict,
    *,
    replace: bool,
    model_id: str,
    training_size: int | None,
    trained_at: str | None,
    notes: str,
    remove: Sequence[tuple[str, str, str]] = (),
) -> Any:
    """Register the machine coder with its provenance and store its answers; if the
    answers cannot be stored, a coder registered here is removed again. With no answer
    and nothing to remove, nothing is stored and no coder registered."""
    from ihms.policy import coding
    from ihms.policy._machine_coder import machine_coder_registered

    if not answers and not (replace and remove):
        return coding.CodingImport(coder_id, (), 0, 0, 0, 0)

    with machine_coder_registered(
        project, coder_id, model_id=model_id, training_size=training_size,
        trained_at=trained_at, notes=notes,
    ):  # fmt: skip
        return coding.add_codings(
            project, answers, file=coder_id, provenance=provenance, replace=replace,
            remove=remove,
        )  # fmt: skip


def earlier_answers(project: Any, coder: str, dimension: str, segments: set[str]) -> dict:
    """``{segment: reviewed}`` of ``coder``'s stored answers in ``dimension`` on
    ``segments`` (those a run leaves for a person)."""
    rows = project.query(
        "SELECT segment_id, max(review_status IS NOT NULL) FROM codings "
        "WHERE coder_id=? AND dimension=? GROUP BY segment_id",
        (coder, dimension),
    )
    return {seg: bool(seen) for seg, seen in rows if seg in segments}
