"""What is done to codings a project already stores: a machine coder's answers accepted
or rejected (:func:`review_codings`), a new codebook checked against them
(:func:`check_codings_against`), and the decisions an answer being replaced makes stale
(:func:`stale_decisions`). :mod:`ihms.policy.coding` gets codings in and out and
re-exports the first two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms.errors import DataError, InputError
from ihms.policy._clock import utc_now as _now
from ihms.policy._reconciled_decisions import _AGREEMENT_OF, RECONCILED_NOTE
from ihms.policy.codebook import ANSWER_SEP, Codebook

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

__all__ = ["check_codings_against", "review_codings", "stale_decisions"]


def stale_decisions(
    project: Project, changed: list[tuple[str, str, str]]
) -> tuple[list[int], set[tuple[str, str]], dict[tuple[str, str], set[str]]]:
    """Decisions on (segment, dimension) pairs whose answer by one of ``changed``'s
    coders is being replaced: the ids of automatic agreements that coder was part of
    (withdrawn: they no longer hold), the pairs a person decided (kept, to review), and
    the pairs of decisions read from a reconciled coding with the coders changing them
    (settled again by :func:`settle_reconciled`: the file user's decision, which reads as
    the coders' agreement only while they all give its answer)."""
    if not changed:
        return [], set(), {}
    by_pair: dict[tuple[str, str], set[str]] = {}
    for seg, dim, who in changed:
        by_pair.setdefault((seg, dim), set()).add(who)
    withdraw, review, reconciled = [], set(), {}
    for did, seg, dim, method, by, note in project.query(
        "SELECT id, segment_id, dimension, method, decided_by, note FROM decisions"
    ):
        who = by_pair.get((seg, dim))
        if not who:
            continue
        if (note or "").startswith(RECONCILED_NOTE):
            reconciled[(seg, dim)] = who
        elif method == "agreement":
            members = set(by.removeprefix(_AGREEMENT_OF).split(", "))
            if who & members:
                withdraw.append(did)
        else:
            review.add((seg, dim))
    return withdraw, review, reconciled


def check_codings_against(project: Project, codebook: Codebook) -> None:
    """Raise :class:`DataError` listing stored codings the new codebook cannot read."""
    problems = []
    for dim_key, value, n in project.query(
        "SELECT dimension, value, count(*) FROM codings WHERE value != '' GROUP BY dimension, value"
    ):
        try:
            dim = codebook.dimension(dim_key)
        except InputError:
            problems.append(
                f"{n:,} coding(s) use dimension {dim_key!r}, which the new codebook lacks"
            )
            continue
        if dim.kind == "closed" and value not in dim.category_keys:
            problems.append(
                f"{n:,} coding(s) of {dim_key!r} use category {value!r}, which the new codebook lacks"
            )
        elif dim.answer_groups and dim.split_answer(value)[0] is None:
            problems.append(
                f"{n:,} coding(s) of {dim_key!r} give {value!r}, but the new codebook stores "
                f"each answer of {dim_key!r} with its group ('<group>{ANSWER_SEP}<answer>'); "
                "a closed dimension's code names a group only — the answer text was never "
                "coded (keep the project's codebook, or code the answers in a new project)"
            )
    if problems:
        raise DataError("the new codebook would orphan existing codings; nothing changed", problems)


def review_codings(
    project: Project,
    *,
    coder: str,
    reviews: dict[tuple[str, str], str],
    reviewed_by: str,
) -> int:
    """Accept or reject a machine coder's answers: ``{(segment, dimension): "accepted"
    | "rejected"}``, recorded with who reviewed and when (one transaction). Only
    accepted machine answers count in :func:`ihms.policy.reconcile.final_codings`.

    Raises
    ------
    DataError
        Every review naming an answer the coder did not give or a status other than
        accepted/rejected; nothing is recorded then.
    """
    if not reviewed_by.strip():
        raise InputError("reviewed_by must name who reviewed")
    kind = project.query("SELECT kind FROM coders WHERE id=?", (coder,))
    if not kind:
        raise InputError(f"unknown coder {coder!r}")
    given = {
        (r[0], r[1])
        for r in project.query(
            "SELECT DISTINCT segment_id, dimension FROM codings WHERE coder_id=?", (coder,)
        )
    }
    problems = [
        f"review of segment {seg!r} dimension {dim!r}: "
        + (f"status must be 'accepted' or 'rejected', got {status!r}" if status not in ("accepted", "rejected")
           else f"coder {coder!r} gave no answer there")
        for (seg, dim), status in reviews.items()
        if status not in ("accepted", "rejected") or (seg, dim) not in given
    ]  # fmt: skip
    if problems:
        raise DataError(
            f"{len(problems):,} review(s) cannot be recorded; nothing changed", problems
        )
    now = _now()
    with project.transaction() as conn:
        conn.executemany(
            "UPDATE codings SET review_status=?, reviewed_by=?, reviewed_at=?"
            " WHERE coder_id=? AND segment_id=? AND dimension=?",
            [(status, reviewed_by, now, coder, seg, dim) for (seg, dim), status in reviews.items()],
        )
    return len(reviews)
