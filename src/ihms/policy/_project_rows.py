"""The work of :class:`~ihms.policy.project.Project`'s methods of the same names: storing
and reading documents, a new codebook version, registering and checking coders."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ihms.errors import InputError
from ihms.policy._clock import utc_now as _now

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.codebook import Codebook
    from ihms.policy.project import Project

_DOC_FIELDS = (
    "file", "fmt", "encoding", "sha256", "title", "issuer", "doc_number", "date", "level",
    "nature", "orientation", "source_url", "region", "source", "text",
)  # fmt: skip


def add_documents(project: Project, documents: Sequence, failures: Sequence) -> dict[str, int]:
    """:meth:`Project.add_documents`."""
    counts = {"added": 0, "updated": 0, "unchanged": 0, "not_retrieved": 0}
    now = _now()
    existing = dict(project.query("SELECT id, sha256 || '|' || text FROM documents"))
    with project.transaction() as conn:
        for d in documents:
            values = {f: getattr(d, f) for f in _DOC_FIELDS}
            values["date"] = d.date.isoformat() if d.date else None
            extra = {
                "provenance": json.dumps(dict(d.provenance), ensure_ascii=False),
                "removed": json.dumps(list(d.removed), ensure_ascii=False),
                "notes": json.dumps(list(d.notes), ensure_ascii=False),
                "extra": json.dumps(dict(d.extra), ensure_ascii=False),
            }
            if d.id in existing:
                if existing[d.id] == f"{d.sha256}|{d.text}":
                    counts["unchanged"] += 1
                else:
                    counts["updated"] += 1
                sets = ", ".join(f"{k}=?" for k in [*values, *extra])
                conn.execute(
                    f"UPDATE documents SET {sets}, updated_at=? WHERE id=?",
                    [*values.values(), *extra.values(), now, d.id],
                )
            else:
                counts["added"] += 1
                cols = ["id", *values, *extra, "imported_at", "updated_at"]
                conn.execute(
                    f"INSERT INTO documents({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [d.id, *values.values(), *extra.values(), now, now],
                )
        for f in failures:
            counts["not_retrieved"] += 1
            conn.execute(
                "INSERT INTO documents(id, file, fmt, sha256, text, status, status_stage, status_reason,"
                " imported_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " status=excluded.status, status_reason=excluded.status_reason, updated_at=excluded.updated_at",
                (
                    f.file,
                    f.file,
                    Path(f.file).suffix.lstrip(".") or "?",
                    "",
                    "",
                    "not_retrieved",
                    "retrieval",
                    f.message,
                    now,
                    now,
                ),
            )
    return counts


def load_documents(project: Project, status: str | None) -> list:
    """:meth:`Project.load_documents`."""
    from ihms.policy.corpus import Document

    sql = "SELECT * FROM documents WHERE status != 'not_retrieved'"
    params: tuple = ()
    if status:
        sql += " AND status = ?"
        params = (status,)
    cur = project._conn.execute(sql + " ORDER BY id", params)
    cols = [c[0] for c in cur.description]
    out = []
    for row in cur.fetchall():
        r = dict(zip(cols, row, strict=True))
        plain = {k: r[k] for k in ("id", *_DOC_FIELDS) if k != "date"}
        out.append(
            Document(
                **plain,
                date=dt.date.fromisoformat(r["date"]) if r["date"] else None,
                provenance=tuple(json.loads(r["provenance"]).items()),
                removed=tuple(tuple(x) for x in json.loads(r["removed"])),
                notes=tuple(json.loads(r["notes"])),
                extra=tuple(json.loads(r["extra"]).items()),
            )
        )
    return out


def check_coder(project: Project, coder_id: str, kind: str, model_id: str | None) -> None:
    """:meth:`Project.check_coder`."""
    if not coder_id or coder_id != coder_id.strip():
        raise InputError(
            f"coder id must be a non-empty name without surrounding spaces, got {coder_id!r}"
        )
    if kind not in ("human", "machine"):
        raise InputError(f"coder kind must be 'human' or 'machine', got {kind!r}")
    if kind == "machine" and (not model_id or coder_id != f"machine:{model_id}"):
        raise InputError(
            f"a machine coder is named 'machine:<model id>' and needs model_id; got {coder_id!r}"
        )
    if kind == "human" and coder_id.startswith("machine:"):
        raise InputError(f"coder {coder_id!r} looks like a machine coder; pass kind='machine'")
    row = project.query("SELECT kind FROM coders WHERE id=?", (coder_id,))
    if row and row[0][0] != kind:
        raise InputError(f"coder {coder_id!r} already exists as a {row[0][0]} coder")
    if not row:
        # 'Coder_A' in one sheet and 'coder_a' in the next is a typing slip, not a
        # second person: it would silently split one coder's work in two
        twins = [
            r[0]
            for r in project.query("SELECT id FROM coders")
            if r[0].casefold() == coder_id.casefold()
        ]
        if twins:
            raise InputError(
                f"coder {coder_id!r} differs only in letter case from the existing "
                f"coder {twins[0]!r}; spell it {twins[0]!r} (coder ids are exact)"
            )


def check_new_coders(project: Project, coders: dict[str, str], source: str) -> None:
    """:meth:`Project.check_new_coders`."""
    where = f"{source}: " if source else ""
    known = {r[0] for r in project.query("SELECT id FROM coders")}
    by_case: dict[str, str] = {}
    for who in sorted(set(coders) - known):
        kind = coders[who]
        try:
            project.check_coder(
                who, kind=kind, model_id=who.split(":", 1)[1] if kind == "machine" else None
            )
        except InputError as err:
            raise InputError(f"{where}{err}") from None
        twin = by_case.setdefault(who.casefold(), who)
        if twin != who:
            raise InputError(
                f"{where}coders {twin!r} and {who!r} differ only in letter case; "
                "spell one coder one way (coder ids are exact)"
            )


def update_codebook(project: Project, codebook: Codebook, note: str) -> int:
    """:meth:`Project.update_codebook`."""
    from ihms.policy.coding import check_codings_against

    same = project.query("SELECT version FROM codebooks WHERE sha256=?", (codebook.sha256,))
    if same and (old := same[0][0]) != (now := project.codebook_version):
        raise InputError(
            f"{project.path}: this codebook is version {old}'s text, and the project is at "
            f"version {now}; each text is stored once, so change it (a definition, a "
            "keyword) to store it as a new version"
        )
    if same:
        return same[0][0]
    check_codings_against(project, codebook)
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO codebooks(name, sha256, yaml, created_at, note) VALUES (?,?,?,?,?)",
            (codebook.name, codebook.sha256, codebook.text, _now(), note),
        )
    return project.codebook_version


def add_coder(
    project: Project,
    coder_id: str,
    kind: str,
    name: str,
    model_id: str | None,
    training_size: int | None,
    trained_at: str | None,
    notes: str,
) -> str:
    """:meth:`Project.add_coder`."""
    project.check_coder(coder_id, kind=kind, model_id=model_id)
    row = project.query("SELECT kind FROM coders WHERE id=?", (coder_id,))
    if row:
        return coder_id
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO coders VALUES (?,?,?,?,?,?,?,?)",
            (
                coder_id,
                kind,
                name or coder_id,
                model_id,
                training_size,
                trained_at,
                notes,
                _now(),
            ),
        )
    return coder_id
