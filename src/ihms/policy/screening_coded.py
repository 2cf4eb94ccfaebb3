"""Documents a (re)screening leaves out although they were coded.

Screening again after coding (a reviewer reads a full text once more and excludes it)
changes what the analyses count: the tables, trend and dataset take included documents
only (:func:`ihms.policy.reconcile.coded_data`), so a coded and reconciled document
that is now excluded leaves them without a word — Covidence warns before it moves an
extracted study out. :func:`coded_left_out` names each such document with what was done
on it, for the screening's notes; the codings themselves stay in the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ihms._listing import in_words
from ihms.policy._counted import COUNTED_STATUSES as _COUNTED
from ihms.policy.screening_reviewers import STAGE_NAMES

__all__ = ["coded_left_out"]


def coded_left_out(project, statuses: Iterable) -> list[str]:
    """A note for each document the project counted (included, or never screened) that
    holds codings and that ``statuses`` (a screening's :class:`DocumentStatus` rows) no
    longer include: its coded segments by scheme, its coders with their codings, its
    reconciled answers, and where and why it is now left out."""
    before = dict(project.query("SELECT id, status FROM documents"))
    leaving = {
        s.doc_id: s
        for s in statuses
        if s.status not in _COUNTED and before.get(s.doc_id) in _COUNTED
    }
    if not leaving:
        return []
    marks = ",".join("?" * len(leaving))
    coded = (
        " FROM codings c JOIN segments s ON s.id = c.segment_id"
        f" WHERE s.retired = 0 AND s.doc_id IN ({marks})"
    )
    segments: dict[str, dict[str, int]] = defaultdict(dict)
    # over every coder: two coders on different segments coded both
    for doc, scheme, n_segments in project.query(
        f"SELECT s.doc_id, s.scheme, COUNT(DISTINCT s.id){coded}"
        " GROUP BY s.doc_id, s.scheme ORDER BY s.scheme",
        list(leaving),
    ):
        segments[doc][scheme] = n_segments
    coders: dict[str, dict[str, int]] = defaultdict(dict)
    for doc, coder, n_codings in project.query(
        f"SELECT s.doc_id, c.coder_id, COUNT(*){coded} GROUP BY 1, 2 ORDER BY 2",
        list(leaving),
    ):
        coders[doc][coder] = n_codings
    reconciled: dict[str, dict[str, int]] = defaultdict(dict)
    for doc, method, by, n in project.query(
        "SELECT s.doc_id, d.method, d.decided_by, COUNT(*) FROM decisions d"
        " JOIN segments s ON s.id = d.segment_id"
        f" WHERE s.retired = 0 AND s.doc_id IN ({marks}) GROUP BY 1, 2, 3",
        list(leaving),
    ):
        key = by if method == "decision" else ""
        reconciled[doc][key] = reconciled[doc].get(key, 0) + n
    notes = []
    for doc, status in leaving.items():
        if doc not in coders:
            continue
        notes.append(_note(status, segments[doc], coders[doc], reconciled.get(doc, {})))
    return notes


def _note(status, segments: dict, coders: dict, reconciled: dict) -> str:
    where = f" at the {STAGE_NAMES.get(status.stage, status.stage)} stage" if status.stage else ""
    why = f" ({status.reason})" if status.reason else ""
    if status.status == "duplicate" and status.duplicate_of:
        why = f" (a copy of {status.duplicate_of})"
    parts = [in_words([f"{n:,} {scheme} segment(s)" for scheme, n in segments.items()])]
    parts.append("coders " + in_words([f"{c} ({n:,} codings)" for c, n in coders.items()]))
    if reconciled:
        decided = {by: n for by, n in reconciled.items() if by}
        parts.append(
            f"{sum(reconciled.values()):,} reconciled answer(s)"
            + (
                " (" + in_words([f"{n:,} decided by {by}" for by, n in decided.items()]) + ")"
                if decided
                else ""
            )
        )
    return (
        f"{status.doc_id} was coded ({'; '.join(parts)}) and is now {status.status}{where}"
        f"{why}: its codings are kept in the project, but the tables, trend, dataset and "
        "agreement (included documents only) no longer count them"
    )
