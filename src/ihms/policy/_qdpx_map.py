"""Mapping a REFI-QDA file onto a coding project: codes to categories, sources to
documents, selections to segments (see :func:`ihms.policy.qdpx.import_qdpx`).

Each step collects every problem it finds and returns them, so an import reports all
that is wrong with a file at once and writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ihms.errors import InputError
from ihms.policy._coding_sheet import is_none
from ihms.policy._qdpx_read import QdpxCode, QdpxFile, QdpxSource
from ihms.policy._qdpx_spans import NonSpace, covered, fingerprint, first_difference
from ihms.policy.codebook import Codebook, Dimension

__all__ = ["Placed", "match_sources", "place_selections", "resolve_codes"]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-－—]+", "", str(name)).casefold()


def _dimension_named(codebook: Codebook, name: str) -> Dimension | None:
    """The dimension a code names; a metadata dimension too (a coder may override the
    derived policy orientation), but not the year, which only the date gives."""
    try:
        dim = codebook.dimension(name)
    except InputError:
        return None
    return dim if dim.kind != "year" else None


def _is_group(dim: Dimension, name: str) -> bool:
    return any(
        _norm(name) in {_norm(n) for n in (g.key, g.en, g.zh, *g.aliases)} for g in dim.groups
    )


def _resolve_one(code: QdpxCode, codebook: Codebook) -> tuple[tuple[str, str | None] | None, str]:
    """``((dimension, value), "")`` with value ``None`` for the none code, or
    ``(None, why)``."""
    if _dimension_named(codebook, code.name) is not None:
        return None, "names a dimension, not a category"
    at, dim = next(
        (
            (i, d)
            for i in range(len(code.path) - 2, -1, -1)
            if (d := _dimension_named(codebook, code.path[i]))
        ),
        (0, None),
    )
    if dim is not None:
        if is_none(code.name):
            return (dim.key, None), ""
        if dim.answer_groups:  # the answer's group is the code right below the dimension
            below = code.path[at + 1 : -1]
            try:
                return (dim.key, dim.parse_answer(code.name, group=below[0] if below else None)), ""
            except InputError as exc:
                return None, f"({exc})"
        if dim.kind == "open":
            return (dim.key, dim.normalize(code.name)), ""
        try:
            return (dim.key, dim.category(code.name).key), ""
        except InputError:
            if _is_group(dim, code.name):
                return None, f"names a group of {dim.key!r}, not a category"
            return None, f"is not a category of {dim.key!r}"
    found = []
    for d in codebook.coded:
        if d.kind != "closed":
            continue
        try:
            found.append((d.key, d.category(code.name).key))
        except InputError:
            continue
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, f"names a category of several dimensions ({', '.join(k for k, _ in found)})"
    return None, f"is not a category of codebook {codebook.name!r}"


def resolve_codes(
    qfile: QdpxFile, codebook: Codebook, used: Iterable[str], *, ignore: Iterable[str] = ()
) -> tuple[dict[str, tuple[str, str | None]], list[str], list[str]]:
    """Map the codes applied in the file to ``(dimension, category or None)``.

    A code is read by its place in the tree: under a code named after a dimension (key,
    English or Chinese name) it is that dimension's category (key, name or alias), its
    ``none`` / ``无`` / ``-`` code, or — for an open dimension — an answer; elsewhere it
    must name the category of exactly one closed dimension. A grouped open dimension's
    answer sits under its group (``共生环境 > 政策环境 > 多点执业``). Codes that are the file's
    cases (NVivo writes cases as codes too), and codes named in ``ignore`` (name or
    ``parent > child`` path), are left out.

    Returns
    -------
    mapping, ignored, problems
        ``{code guid: (dimension, value)}``, the labels of codes left out, and one problem
        per applied code that maps to nothing.
    """
    skip = {_norm(x) for x in ignore}
    mapping: dict[str, tuple[str, str | None]] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for guid in sorted({g.lower() for g in used}):
        code = qfile.code(guid)
        if code is None:
            problems.append(f"a coding refers to code {guid}, which the file's code book lacks")
            continue
        if guid in qfile.case_guids or _norm(code.name) in skip or _norm(code.label) in skip:
            ignored.append(code.label)
            continue
        target, why = _resolve_one(code, codebook)
        if target is None:
            problems.append(f"code {code.label!r} {why}")
        else:
            mapping[guid] = target
    return mapping, ignored, problems


def _names_of(doc) -> set[str]:
    names = {doc.id, doc.title or "", Path(doc.file).name, Path(doc.file).stem}
    return {n.strip() for n in names if n and n.strip()}


def match_sources(
    sources: Iterable[QdpxSource], documents: dict
) -> tuple[dict[str, str], list[str], list[str]]:
    """Match each source to a project document.

    The text decides: a source whose text equals a document's apart from whitespace is
    that document (its name may have been edited in the QDA program). Several documents
    with that text are told apart by the source's name (document id, title or file
    name). A source named after a document whose text differs is refused, with the
    first difference: the selections' positions count characters of a text ihms does
    not hold, so they cannot be placed on its segments.

    Returns
    -------
    matches, notes, problems
        ``{source guid: document id}``, notes (a source matched by text under another
        name) and problems.
    """
    by_print: dict[str, list[str]] = {}
    for doc_id, doc in documents.items():
        by_print.setdefault(fingerprint(doc.text), []).append(doc_id)
    matches: dict[str, str] = {}
    notes: list[str] = []
    problems: list[str] = []
    taken: dict[str, str] = {}
    for src in sources:
        named = sorted(i for i, d in documents.items() if src.name.strip() in _names_of(d))
        same = by_print.get(fingerprint(src.text), [])
        doc_id = None
        if len(same) == 1:
            doc_id = same[0]
            if named and doc_id not in named:
                notes.append(
                    f"source {src.name!r} is named like document {named[0]!r} but has the text "
                    f"of document {doc_id!r}; matched by its text"
                )
        elif same:
            both = [i for i in same if i in named]
            if len(both) == 1:
                doc_id = both[0]
            else:
                problems.append(
                    f"source {src.name!r} has the text of documents {', '.join(same)}; name the "
                    "source after one of them (its ihms document id) to say which"
                )
        elif named:
            problems.append(
                f"source {src.name!r} is named like document {named[0]!r} but its text differs "
                f"{first_difference(src.text, documents[named[0]].text)}; the selections count "
                "characters of a text ihms does not hold — code the text ihms exported "
                "(`ihms policy qdpx export`), or import the edited document into ihms first"
            )
        else:
            problems.append(
                f"source {src.name!r} matches no document of the project by name or by text"
            )
        if doc_id is None:
            continue
        if doc_id in taken:
            problems.append(
                f"sources {taken[doc_id]!r} and {src.name!r} are both document {doc_id!r}; "
                "keep one of them in the QDA program"
            )
            continue
        taken[doc_id] = src.name
        matches[src.guid] = doc_id
    return matches, notes, problems


@dataclass(frozen=True)
class Placed:
    """Selections placed on segments: ``answers[(segment, dimension)]`` holds the
    values coded (``None`` for the none code), ``selections`` the GUIDs behind each,
    ``unplaced`` the selections that reached no segment's threshold."""

    answers: dict[tuple[str, str], set]
    selections: dict[tuple[str, str], set]
    unplaced: list[tuple[str, int, int, str]]


def place_selections(
    source: QdpxSource,
    doc_text: str,
    spans: dict[str, tuple[int, int]],
    codings: list[tuple[int, int, str, str]],
    mapping: dict[str, tuple[str, str | None]],
    *,
    min_overlap: float,
) -> Placed:
    """Code each segment of one document with the values whose selections cover it.

    ``codings`` are ``(start, end, code guid, selection guid)`` in the source's text. A
    segment is coded with a value when the union of that value's selections covers at
    least ``min_overlap`` of the segment's non-whitespace characters (and at least one).
    """
    src_idx, doc_idx = NonSpace(source.text), NonSpace(doc_text)
    seg_ranges = {seg: doc_idx.span(*span) for seg, span in spans.items()}
    by_value: dict[tuple[str, str | None], list[tuple[int, int, str]]] = {}
    for start, end, code, sel in codings:
        if code.lower() in mapping:
            k0, k1 = src_idx.span(start, end)
            by_value.setdefault(mapping[code.lower()], []).append((k0, k1, sel))
    answers: dict[tuple[str, str], set] = {}
    behind: dict[tuple[str, str], set] = {}
    placed: set[str] = set()
    for (dim, value), pieces in by_value.items():
        for seg, (j0, j1) in seg_ranges.items():
            if j1 <= j0:
                continue
            hits = [(k0, k1) for k0, k1, _ in pieces if k0 < j1 and k1 > j0]
            if not hits:
                continue
            share = covered(hits, (j0, j1))
            if share > 0 and share >= min_overlap * (j1 - j0):
                answers.setdefault((seg, dim), set()).add(value)
                sels = {s for k0, k1, s in pieces if k0 < j1 and k1 > j0}
                behind.setdefault((seg, dim), set()).update(sels)
                placed.update(sels)
    unplaced = sorted(
        {(source.name, start, end, sel) for start, end, code, sel in codings
         if code.lower() in mapping and sel not in placed}
    )  # fmt: skip
    return Placed(answers, behind, unplaced)
