"""The coding project as :mod:`ihms.policy.qdpx` sees it: which documents and segments,
where each segment lies in its text, which coders, which user of a file; and the
atomic write of the archive."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ihms.errors import InputError
from ihms.policy._qdpx_machine import user_name
from ihms.policy._qdpx_read import QdpxFile
from ihms.policy._qdpx_spans import segment_spans
from ihms.policy._schemes import require_one_scheme

__all__ = [
    "ExportCodebook",
    "coder_names",
    "documents_of",
    "pick_scheme",
    "project_key",
    "segment_spans_of",
    "user_filter",
    "version",
    "write_zip",
]


def pick_scheme(project, scheme: str | None, *, required: bool, task: str) -> str | None:
    """The scheme whose segments a QDPX file holds: ``scheme``, or the project's one;
    a project of two needs it named (a file of both would select each passage twice,
    in overlapping selections of the same codes)."""
    counts = dict(
        project.query(
            "SELECT scheme, count(*) FROM segments WHERE retired=0 GROUP BY scheme ORDER BY scheme"
        )
    )
    present = list(counts)
    if scheme is not None:
        if scheme not in ("paragraph", "clause"):
            raise InputError(f"scheme must be 'paragraph' or 'clause', got {scheme!r}")
        if scheme not in present and required:
            raise InputError(f"{project.path}: no {scheme} segments; segment the project first")
        return scheme
    require_one_scheme(
        counts,
        task=task,
        why="a QDPX file of both would select each passage once per scheme",
    )
    if not present and required:
        raise InputError(f"{project.path}: no segments yet; run `ihms policy segment` first")
    return present[0] if present else None


def documents_of(project) -> dict:
    screened = project.query("SELECT count(*) FROM documents WHERE status='included'")[0][0]
    return {d.id: d for d in project.load_documents(status="included" if screened else None)}


def segment_spans_of(project, documents: dict, scheme: str | None) -> tuple[dict, dict, list[str]]:
    """Segment spans per document, segment texts, and every segment not located."""
    spans: dict[str, dict] = {}
    texts: dict[str, str] = {}
    problems: list[str] = []
    if scheme is None:
        return spans, texts, problems
    rows = project.query(
        "SELECT doc_id, id, text, code FROM segments WHERE scheme=? AND retired=0"
        " ORDER BY doc_id, ordinal",
        (scheme,),
    )
    by_doc: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, seg, text, code in rows:
        if doc_id in documents:
            by_doc.setdefault(doc_id, []).append((seg, text, code))
            texts[seg] = text
    for doc_id, segs in by_doc.items():
        found, missing = segment_spans(documents[doc_id].text, [(s, t) for s, t, _ in segs])
        spans[doc_id] = found
        codes = {s: c for s, _, c in segs}
        problems += [
            f"segment {s} ({codes[s]}) of document {doc_id!r} cannot be located in the "
            "document's text (the document changed after segmenting? run `ihms policy segment`)"
            for s in missing
        ]
    return spans, texts, problems


def project_key(project) -> str:
    meta = dict(project.query("SELECT key, value FROM meta"))
    return f"{meta.get('name', '')}|{meta.get('created_at', '')}"


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ihms")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


def coder_names(project, coders: Sequence[str] | None) -> list[tuple[str, str]]:
    known = project.coders()
    info = {r.id: r for r in known.itertuples(index=False)}
    if coders is None:
        coders = [r[0] for r in project.query("SELECT DISTINCT coder_id FROM codings ORDER BY 1")]
    unknown = sorted(set(coders) - set(info))
    if unknown:
        raise InputError(f"unknown coder(s) {unknown}; the project's coders: {sorted(info)}")
    out = []
    for c in coders:
        r = info[c]
        if r.kind == "machine":
            out.append((c, user_name(c, r.model_id, r.training_size, r.trained_at)))
        else:
            out.append((c, c))
    return out


class ExportCodebook:
    """The codebook as exported: its coded dimensions, and any metadata dimension a
    coder overrode (policy orientation), which then has codings to carry."""

    def __init__(self, codebook, dims_used: set[str]) -> None:
        self.name = codebook.name
        self.coded = tuple(
            d for d in codebook.dimensions
            if d.kind != "year" and (d.source == "coded" or d.key in dims_used)
        )  # fmt: skip


def write_zip(path: Path, xml: bytes, files: dict[str, str]) -> None:
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def user_filter(qfile: QdpxFile, user: str | None) -> tuple[set[str | None], str]:
    """The creatingUser GUIDs to import, and how to name that user."""
    counts: dict[str | None, int] = {}
    for src in qfile.sources:
        for sel in src.selections:
            for c in sel.codings:
                key = c.user_guid.lower() if c.user_guid else None
                counts[key] = counts.get(key, 0) + 1
    names = {u.guid.lower(): u for u in qfile.users}

    def show(key: str | None) -> str:
        u = names.get(key) if key else None
        label = (u.name or u.id or u.guid) if u else (key or "(no user)")
        return f"{label!r} ({counts.get(key, 0):,} codings)"

    if user is not None:
        chosen = {
            u.guid.lower() for u in qfile.users
            if user in (u.name, u.id) or user.lower() == u.guid.lower()
        }  # fmt: skip
        if not chosen:
            listed = ", ".join(show(k) for k in counts) or "none"
            raise InputError(f"{qfile.path}: no user {user!r} in the file; its users: {listed}")
        return set(chosen), user
    if len(counts) > 1:
        listed = ", ".join(show(k) for k in sorted(counts, key=str))
        raise InputError(
            f"{qfile.path} holds codings by several users: {listed}; import one user's codings "
            "at a time (user=... / --user NAME) so each coder's work stays apart"
        )
    key = next(iter(counts), None)
    u = names.get(key) if key else None
    return set(counts), (u.name or u.id or u.guid) if u else (key or "(no user)")
