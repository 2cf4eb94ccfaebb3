"""Importing a folder of policy documents with their metadata sheet.

:func:`import_folder` reads every ``.txt``/``.docx``/``.pdf``/``.html`` file under a
folder (in parallel when there are many), reads the optional metadata sheet (CSV or
XLSX; Chinese or English column names), fills what the sheet leaves empty from the
text itself (document number, date, issuing body, title), cleans the text, and returns
frozen :class:`Document` objects. Nothing is written anywhere: storing is the coding
project's job (:mod:`ihms.policy.project`).

Every problem is collected before anything is returned: a sheet row that matches no
file, an unparseable date, a file that cannot be read. With ``on_error="raise"`` (the
default) they come back together in one :class:`~ihms.errors.DataError`; with
``"skip"`` unreadable files are returned as failures (PRISMA's "reports not
retrieved") and the rest is imported.

Tables are left out unless ``tables="rows"`` (see :func:`~ihms.policy.readers.read_document`).
Either way a document with tables records what was read in its provenance, under
``text`` (:func:`table_reading` reads it back), so a project says which documents were
coded with table rows; the metadata is extracted from the paragraphs alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ihms._listing import first_of
from ihms._repr import brief_repr
from ihms.errors import DataError, InputError
from ihms.policy._reading import TableReading, clean_read, table_reading, tables_notes
from ihms.policy.clean import strip_page_furniture
from ihms.policy.extract import extract_metadata, normalize_doc_number
from ihms.policy.readers import SUPPORTED_SUFFIXES, check_tables, read_document
from ihms.policy.sheet import MetadataRow, read_metadata_sheet, unread_columns_note

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CorpusImport",
    "Document",
    "ImportFailure",
    "TableReading",
    "import_folder",
    "load_document",
    "table_reading",
    "unknown_metadata",
]

_FIELDS = ("title", "issuer", "doc_number", "date", "level", "nature", "orientation")


@dataclass(frozen=True)
class Document:
    """One policy document, cleaned, with its metadata.

    ``provenance`` maps each metadata field to where its value came from: ``sheet``,
    or ``text (signature)``, ``text (document number prefix)``, ... for extracted ones;
    and, for a document with tables, ``text`` to what was read of it (see
    :func:`table_reading`).
    """

    id: str
    file: str
    fmt: str
    sha256: str
    text: str
    encoding: str | None = None
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: dt.date | None = None
    level: str | None = None
    nature: str | None = None
    orientation: str | None = None
    source_url: str | None = None
    region: str | None = None
    source: str | None = None
    provenance: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    signature: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def source_of(self, name: str) -> str | None:
        """Where metadata field ``name`` came from (``sheet``, ``text (signature)`` ...).

        Parameters
        ----------
        name
            A metadata field (``date``, ``issuer`` ...) or ``text``; None if unrecorded.
        """
        return dict(self.provenance).get(name)


@dataclass(frozen=True)
class ImportFailure:
    """A file that could not be read, and why."""

    file: str
    message: str


@dataclass(frozen=True)
class CorpusImport:
    """What :func:`import_folder` returns; ``tables`` is the option it read tables with."""

    folder: str
    documents: tuple[Document, ...]
    failures: tuple[ImportFailure, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    tables: str = "skip"

    def __repr__(self) -> str:  # the generated one printed every document's text
        return brief_repr(
            self,
            folder=self.folder,
            documents=len(self.documents),
            failures=len(self.failures),
            tables=self.tables,
        )

    def tables_summary(self) -> dict[str, object]:
        """The table option used, documents with tables, their tables, the rows read and
        the rows the cleaning kept."""
        readings = [r for r in map(table_reading, self.documents) if r is not None]
        return {
            "mode": self.tables,
            "documents_with_tables": len(readings),
            "tables": sum(r.tables for r in readings),
            "rows_read": sum(r.rows for r in readings),
            "rows_kept": sum(r.kept for r in readings),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per document: id, file, format, encoding, metadata, provenance and
        what was read of its tables (``2 left out``, ``2 read: 9 rows (7 kept)``)."""
        import pandas as pd

        rows = []
        for d in self.documents:
            reading = table_reading(d)
            tables = ""
            if reading is not None:
                tables = (
                    f"{reading.tables} read: {reading.rows} rows ({reading.kept} kept)"
                    if reading.mode == "rows"
                    else f"{reading.tables} left out"
                )
            rows.append(
                {
                    "id": d.id,
                    "file": d.file,
                    "format": d.fmt,
                    "encoding": d.encoding or "",
                    "title": d.title or "",
                    "issuer": d.issuer or "",
                    "doc_number": d.doc_number or "",
                    "date": d.date.isoformat() if d.date else "",
                    "chars": len(d.text),
                    "removed_lines": len(d.removed),
                    "extracted": ", ".join(
                        f"{k}: {v}" for k, v in d.provenance if v != "sheet" and k != "text"
                    ),
                    "tables": tables,
                    "notes": "; ".join(d.notes),
                }
            )
        return pd.DataFrame(rows)


def load_document(
    path: str | Path,
    *,
    doc_id: str,
    rel: str,
    row: MetadataRow | None = None,
    encoding: str | None = None,
    tables: str = "skip",
) -> Document:
    """Read, extract and clean one file into a :class:`Document`.

    Parameters
    ----------
    path
        The file.
    doc_id
        The document's id.
    rel
        Its path relative to the corpus folder (stored as ``file``).
    row
        Its metadata sheet row, whose values win over those found in the text.
    encoding
        Force this encoding for ``.txt``/``.html``.
    tables
        ``"skip"`` or ``"rows"``: see :func:`~ihms.policy.readers.read_document`.
        Metadata is extracted from the paragraphs either way.
    """
    path = Path(path)
    raw = read_document(path, encoding=encoding, tables=tables)
    # only a PDF's text layer spaces letters out: a typed file's spaces may part two issuers
    text = strip_page_furniture(raw.paragraphs_text, join_cjk=raw.fmt == "pdf")
    found = extract_metadata(text, hints=raw.hints)
    values: dict[str, object] = {}
    provenance: list[tuple[str, str]] = []
    sheet = row.values if row is not None else {}
    for name in _FIELDS:
        if sheet.get(name) not in (None, ""):
            values[name] = sheet[name]
            provenance.append((name, "sheet"))
        elif getattr(found, name, None) is not None:
            values[name] = getattr(found, name)
            provenance.append((name, f"text ({found.source_of(name)})"))
    title = str(values.get("title") or "") or None
    cleaned, reading, notes = clean_read(raw, tables=tables, title=title)
    if reading is not None:
        provenance.append(("text", str(reading)))
    data = path.read_bytes()
    return Document(
        id=doc_id,
        file=rel,
        fmt=raw.fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        text=cleaned.text,
        encoding=raw.encoding,
        title=values.get("title"),
        issuer=values.get("issuer"),
        doc_number=values.get("doc_number"),
        date=values.get("date"),
        level=values.get("level"),
        nature=values.get("nature"),
        orientation=values.get("orientation"),
        source_url=sheet.get("source_url") or None,
        region=sheet.get("region") or None,
        source=sheet.get("source") or None,
        provenance=tuple(provenance),
        removed=tuple((r.reason, r.line) for r in cleaned.removed),
        signature=cleaned.signature,
        notes=notes,
        extra=tuple(sorted(row.extra.items())) if row is not None else (),
    )


def _load_job(job: tuple) -> Document | ImportFailure:
    path, doc_id, rel, row, encoding, tables = job
    try:
        return load_document(
            path, doc_id=doc_id, rel=rel, row=row, encoding=encoding, tables=tables
        )
    except InputError as exc:
        return ImportFailure(rel, str(exc))


def _doc_ids(files: list[tuple[Path, str]]) -> dict[str, str]:
    stems: dict[str, list[str]] = {}
    for _, rel in files:
        stems.setdefault(rel.rsplit(".", 1)[0], []).append(rel)
    out = {}
    for stem, rels in stems.items():
        for rel in rels:
            out[rel] = stem if len(rels) == 1 else rel
    return out


def import_folder(
    folder: str | Path,
    *,
    metadata: str | Path | None = None,
    encoding: str | None = None,
    on_error: str = "raise",
    tables: str = "skip",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusImport:
    """Read every policy document under ``folder``.

    Parameters
    ----------
    folder
        Searched recursively for ``.txt``, ``.docx``, ``.pdf``, ``.html``, ``.htm``.
    metadata
        A CSV or XLSX sheet with one row per document (see
        :func:`ihms.policy.sheet.read_metadata_sheet` for the columns). Each row must
        match a file (by ``file`` or ``id``); files without a row are still imported.
    encoding
        Force one encoding for every ``.txt``/``.html`` file (default: detect per file).
    on_error
        ``"raise"``: any unreadable file aborts the import with every problem listed.
        ``"skip"``: unreadable files are returned in ``failures``.
    tables
        ``"skip"`` (default, as Yu et al. 2024): tables of .docx and .html files are left out;
        the notes say how many. ``"rows"``: each table row is read as a paragraph where
        the table stands (see :func:`~ihms.policy.readers.read_document`); PDFs are
        read from their text layer either way.
    workers
        Processes for reading files; default: up to 4 when there are 40 files or more.
    progress
        Called as ``progress(done, total)`` while files are read.

    Raises
    ------
    InputError
        If ``folder`` does not exist or ``on_error`` or ``tables`` is invalid.
    DataError
        Sheet problems (rows matching no file, bad dates, duplicate ids), and unreadable
        files when ``on_error="raise"`` — all of them at once.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"corpus folder {str(folder)!r} does not exist or is not a folder")
    if on_error not in ("raise", "skip"):
        raise InputError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    check_tables(tables)
    sheet_path = Path(metadata).resolve() if metadata else None
    visible = sorted(
        (p, p.relative_to(folder).as_posix())
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (sheet_path is None or p.resolve() != sheet_path)
    )
    files = [(p, rel) for p, rel in visible if p.suffix.lower() in SUPPORTED_SUFFIXES]
    unsupported = [rel for p, rel in visible if p.suffix.lower() not in SUPPORTED_SUFFIXES]
    if not files:
        found = f"; found only {', '.join(unsupported)}" if unsupported else " (it is empty)"
        raise InputError(
            f"corpus folder {str(folder)!r} holds no document to import: expected files "
            f"ending in {', '.join(SUPPORTED_SUFFIXES)}{found}"
        )
    ids = _doc_ids(files)
    problems: list[str] = []
    rows_by_file: dict[str, MetadataRow] = {}
    sheet_notes: list[str] = []  # the title left out, merged cells filled, unread columns
    if metadata is not None:
        rows = read_metadata_sheet(metadata, notes=sheet_notes)
        sheet_notes.append(unread_columns_note(rows, Path(metadata).name))
        rows_by_file, row_problems = _match_rows(rows, [rel for _, rel in files], Path(metadata))
        problems.extend(row_problems)
    jobs = []
    for path, rel in files:
        row = rows_by_file.get(rel)
        doc_id = row.values.get("id") if row is not None and row.values.get("id") else ids[rel]
        jobs.append((path, doc_id, rel, row, encoding, tables))
    results = _run(jobs, workers, progress)
    documents = [r for r in results if isinstance(r, Document)]
    failures = [r for r in results if isinstance(r, ImportFailure)]
    seen: dict[str, str] = {}
    for d in documents:
        if d.id in seen:
            problems.append(f"document id {d.id!r} is used by both {seen[d.id]} and {d.file}")
        seen[d.id] = d.file
    if on_error == "raise":
        problems.extend(f.message for f in failures)
    if problems:
        raise DataError(f"importing {folder}: {len(problems):,} problem(s)", problems)
    documents = [_normalize(d) for d in documents]
    notes = [n for n in sheet_notes if n]
    if unsupported:
        notes.append(
            f"skipped {len(unsupported)} file{'s' if len(unsupported) > 1 else ''} with an "
            "unsupported extension: " + ", ".join(unsupported) + _convert_hint(unsupported)
        )
    if metadata is not None:
        missing = [d.file for d in documents if d.file not in rows_by_file]
        if missing:
            notes.append(f"{len(missing)} file(s) have no row in the metadata sheet")
    blank = [d.file for d in documents if not d.text.strip()]
    if blank:
        notes.append(
            f"{len(blank)} document(s) have no text ({first_of(blank)}): they are kept, for "
            "screening and the PRISMA counts, but give no segments to code"
        )
    notes.extend(tables_notes(documents, tables))
    return CorpusImport(str(folder), tuple(documents), tuple(failures), tuple(notes), tables)


def _convert_hint(names: list[str]) -> str:
    """How to get the skipped Word/WPS/RTF files read: save them as .docx."""
    old = sorted({Path(n).suffix.lower() for n in names} & {".doc", ".wps", ".rtf", ".docm"})
    if not old:
        return ""
    return f" ({'/'.join(old)} files: save them as .docx from Word or WPS, then import again)"


def _normalize(doc: Document) -> Document:
    number = normalize_doc_number(doc.doc_number) if doc.doc_number else None
    return replace(doc, doc_number=number or doc.doc_number)


def _run(jobs: list[tuple], workers: int | None, progress) -> list:
    total = len(jobs)
    if workers is None:
        workers = min(4, os.cpu_count() or 1) if total >= 40 else 1
    results = []
    if workers <= 1:
        for i, job in enumerate(jobs):
            results.append(_load_job(job))
            if progress is not None:
                progress(i + 1, total)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, result in enumerate(pool.map(_load_job, jobs, chunksize=8)):
            results.append(result)
            if progress is not None:
                progress(i + 1, total)
    return results


def _match_rows(
    rows: list[MetadataRow], rels: list[str], sheet: Path
) -> tuple[dict[str, MetadataRow], list[str]]:
    by_rel = {r: r for r in rels}
    by_name: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        by_name.setdefault(name, []).append(rel)
        by_stem.setdefault(name.rsplit(".", 1)[0], []).append(rel)
    matched: dict[str, MetadataRow] = {}
    problems: list[str] = []
    for row in rows:
        ref = row.values.get("file") or ""
        key = row.values.get("id") or ""
        where = f"row {row.row} of {sheet.name}"
        candidates: list[str] = []
        if ref:
            ref = ref.replace("\\", "/").strip()
            if ref in by_rel:
                candidates = [ref]
            else:
                candidates = by_name.get(ref.rsplit("/", 1)[-1]) or by_stem.get(ref) or []
        elif key:
            candidates = by_stem.get(key, [])
        else:
            problems.append(f"{where}: neither 'file' nor 'id' is filled in")
            continue
        if not candidates:
            what = f"file {ref!r}" if ref else f"id {key!r}"
            problems.append(f"{where}: {what} matches no document in the folder")
        elif len(candidates) > 1:
            problems.append(
                f"{where}: {ref or key!r} matches several files ({', '.join(candidates)}); "
                "give the relative path"
            )
        elif candidates[0] in matched:
            other = matched[candidates[0]].row
            problems.append(f"{where}: file {candidates[0]} is already described by row {other}")
        else:
            matched[candidates[0]] = row
    return matched, problems


def unknown_metadata(codebook, documents) -> list[str]:
    """One note per metadata value the codebook does not know: a ``level`` of
    ``宇宙级`` when the level dimension's categories are national, provincial, ...

    The codebook's ``derive`` rules (e.g. on the issuer) then give the category, or
    none; each note says which documents and what they got instead.
    """
    from ihms.policy._metadata_aliases import given_metadata
    from ihms.policy.codebook import derive_metadata

    found: dict[tuple[str, str, str], list[tuple[str, object]]] = {}
    for dim, doc, given in given_metadata(codebook, documents):
        try:
            dim.category(given)
        except InputError:
            value = derive_metadata(codebook, doc)[dim.key][0]
            found.setdefault((dim.key, dim.derive_field, given), []).append((doc.id, value))
    notes = []
    for (key, fname, given), docs in found.items():
        allowed = ", ".join(codebook.dimension(key).category_keys)
        got = sorted({str(v) if v is not None else "none" for _, v in docs})
        ids = ", ".join(d for d, _ in docs[:5]) + (" ..." if len(docs) > 5 else "")
        notes.append(
            f"{fname} {given!r} of {len(docs)} document(s) ({ids}) is not a category of "
            f"dimension {key!r} (expected one of: {allowed}); the codebook's rules gave "
            f"{' / '.join(got)} instead — correct the metadata sheet or add an alias"
        )
    return notes
