"""The documents the analyses count (tables, trend, dataset and the coders' agreement).

Moved out of :mod:`ihms.policy.reconcile` (session 21), which reads them too.
"""

from __future__ import annotations

from ihms._listing import first_of
from ihms.errors import InputError

#: Statuses whose documents the analyses count (:func:`coded_data`): included by the
#: screening, or never screened.
COUNTED_STATUSES = ("included", "identified")


def counted_documents(project) -> set[str]:
    """The ids of the documents the analyses count: :data:`COUNTED_STATUSES`."""
    marks = ",".join("?" * len(COUNTED_STATUSES))
    return {
        r[0]
        for r in project.query(
            f"SELECT id FROM documents WHERE status IN ({marks})", list(COUNTED_STATUSES)
        )
    }


def uncoded_segments(project, segment_ids, source: str) -> tuple[str, ...]:
    """The ``segment_ids`` no coder coded in any dimension (``source="final"``: no
    coder and no decision; else: not ``source``) — a text "none applies" counts as
    coded."""
    if source == "final":
        sql = "SELECT segment_id FROM codings UNION SELECT segment_id FROM decisions"
        coded = {r[0] for r in project.query(sql)}
    else:
        sql = "SELECT DISTINCT segment_id FROM codings WHERE coder_id=?"
        coded = {r[0] for r in project.query(sql, (source,))}
    return tuple(s for s in segment_ids if s not in coded)


def counted_codings(project, long, coders) -> tuple:
    """``long``'s codings (:func:`ihms.policy.coding.codings`) on what the tables and
    the dataset count — the :func:`counted_documents`, their current (not retired)
    segments — and a note for each kind left out.

    Raises
    ------
    InputError
        Nothing is left.
    """
    notes = []
    kept = long["doc_id"].isin(counted_documents(project))
    if not kept.all():
        left_out = sorted(set(long.loc[~kept, "doc_id"]))
        long = long[kept].reset_index(drop=True)
        if long.empty:
            raise InputError(
                f"coders {coders} coded only documents excluded at screening "
                f"({first_of(left_out, 5)}); "
                "agreement counts the documents the tables count (included or not screened)"
            )
        word, it = ("document", "it") if len(left_out) == 1 else ("documents", "them")
        notes.append(
            f"the codings of {len(left_out)} {word} excluded at screening "
            f"({first_of(left_out, 5)}) are left out, as the tables leave {it} out"
        )
    retired = {r[0] for r in project.query("SELECT id FROM segments WHERE retired != 0")}
    gone = long["segment_id"].isin(retired)
    if gone.any():
        ids = sorted(set(long.loc[gone, "segment_id"]))
        long = long[~gone].reset_index(drop=True)
        if long.empty:
            raise InputError(
                f"coders {coders} coded only retired segments ({first_of(ids, 5)}: their "
                "text changed or left the corpus at a re-import); code the current "
                "segments (`ihms policy codes export` lists them)"
            )
        word, it = ("segment", "it") if len(ids) == 1 else ("segments", "them")
        notes.append(
            f"the codings of {len(ids)} retired {word} ({first_of(ids, 5)}: the text changed "
            "or left the corpus at a re-import) are left out, as the tables and the dataset "
            f"leave {it} out"
        )
    return long, notes
