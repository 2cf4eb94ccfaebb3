"""The documents the analyses count (tables, trend, dataset and the coders' agreement).

Moved out of :mod:`ihms.policy.reconcile` (session 21), which reads them too.
"""

from __future__ import annotations

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
