"""Segmenting a project's documents and keeping segment ids stable (used by
:meth:`ihms.policy.project.Project.segment`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ihms.errors import InputError
from ihms.policy._clock import utc_now as _now
from ihms.policy.codebook import derive_metadata
from ihms.policy.regions import region_code
from ihms.policy.segment import segment_clauses, segment_paragraphs

__all__ = ["segment_project"]


def _assign_codes(project, conn, docs: list) -> dict[str, str]:
    cb = project.codebook()
    level_dim = next((d for d in cb.derived if d.key == "level"), None)
    rows = dict(
        (r[0], (r[1], r[2]))
        for r in conn.execute("SELECT id, level_code, file_code FROM documents")
    )
    prefixes = {}
    pending = []
    for d in sorted(docs, key=lambda d: (d.date or dt.date.max, d.id)):
        code, number = rows.get(d.id, (None, None))
        if code is None:
            level = derive_metadata(cb, d)["level"][0] if level_dim else None
            code = region_code(level, d.issuer, d.region)
        if number is None:
            pending.append((d.id, code))
        prefixes[d.id] = (code, number)
    for doc_id, code in pending:
        top = conn.execute(
            "SELECT coalesce(max(file_code), 0) FROM documents WHERE level_code=?", (code,)
        ).fetchone()[0]
        conn.execute(
            "UPDATE documents SET level_code=?, file_code=? WHERE id=?", (code, top + 1, doc_id)
        )
        prefixes[doc_id] = (code, top + 1)
    return {k: f"{c}-{n:02d}" for k, (c, n) in prefixes.items()}


def _segmented(doc, scheme: str, prefix: str, merge_headings: bool, active: set[str]) -> list:
    """The document's segments. A document segmented before ihms read a number alone on
    its line (``一、``) with the line after it keeps the segments it has while its text is
    unchanged (coded segments are not retired by a change of rule); any other document is
    segmented by the current rule."""

    def segmented(join: bool) -> list:
        if scheme == "paragraph":
            return segment_paragraphs(
                doc.id, doc.text, prefix=prefix, merge_headings=merge_headings, join_numbers=join
            )
        return segment_clauses(doc.id, doc.text, prefix=prefix, join_numbers=join)

    segs = segmented(True)
    if active and {s.id for s in segs} != active:
        before = segmented(False)
        if {s.id for s in before} == active:
            return before
    return segs


def segment_project(
    project,
    scheme: str = "paragraph",
    *,
    merge_headings: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """See :meth:`ihms.policy.project.Project.segment`."""
    if scheme not in ("paragraph", "clause"):
        raise InputError(f"scheme must be 'paragraph' or 'clause', got {scheme!r}")
    screened = project.query("SELECT count(*) FROM documents WHERE status='included'")[0][0]
    docs = project.load_documents(status="included" if screened else None)
    counts = {
        "documents": len(docs),
        "segments": 0,
        "new": 0,
        "kept": 0,
        "retired": 0,
        "deleted": 0,
    }
    now = _now()
    with project.transaction() as conn:
        prefixes = _assign_codes(project, conn, docs)
        for i, d in enumerate(docs):
            stored = conn.execute(
                "SELECT id, retired FROM segments WHERE doc_id=? AND scheme=?", (d.id, scheme)
            ).fetchall()
            old = {r[0] for r in stored}
            segs = _segmented(
                d, scheme, prefixes[d.id], merge_headings, {i for i, r in stored if not r}
            )
            new_ids = {s.id for s in segs}
            kept = [(s.ordinal, s.code, s.context, s.id) for s in segs if s.id in old]
            added = [
                (s.id, d.id, scheme, s.ordinal, s.code, s.context, s.text, now)
                for s in segs
                if s.id not in old
            ]
            conn.executemany(
                "UPDATE segments SET ordinal=?, code=?, context=?, retired=0 WHERE id=?", kept
            )
            conn.executemany("INSERT INTO segments VALUES (?,?,?,?,?,?,?,0,?)", added)
            counts["kept"] += len(kept)
            counts["new"] += len(added)
            for gone in old - new_ids:
                coded = conn.execute(
                    "SELECT 1 FROM codings WHERE segment_id=? LIMIT 1", (gone,)
                ).fetchone()
                coded = (
                    coded
                    or conn.execute(
                        "SELECT 1 FROM decisions WHERE segment_id=? LIMIT 1", (gone,)
                    ).fetchone()
                )
                if coded:
                    counts["retired"] += 1
                    conn.execute("UPDATE segments SET retired=1 WHERE id=?", (gone,))
                else:
                    counts["deleted"] += 1
                    conn.execute("DELETE FROM segments WHERE id=?", (gone,))
            counts["segments"] += len(segs)
            if progress is not None:
                progress(i + 1, len(docs))
    return counts
