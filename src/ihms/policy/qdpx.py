"""Exchanging coding projects with NVivo, ATLAS.ti and MAXQDA: REFI-QDA ``.qdpx`` files.

The REFI-QDA project exchange standard (QDA-XML 1.0, ``Project.xsd`` of 18 March 2019,
www.qdasoftware.org) is what all three programs import and export: a zip holding
``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and ``sources/`` with the
documents' plain text.

:func:`export_qdpx` writes the project's included documents as ``TextSource``\\ s (the
``.txt`` is exactly the text ihms holds, UTF-8; ``newline="crlf"`` writes Windows line
breaks and counts them as two characters), the codebook as codes (each coded dimension
a parent code, its groups an intermediate level, its categories codable children, plus
a ``无`` / ``none`` code for "coded, nothing applies"; names in ``lang``, the other
language, key, definition and keywords in the code's description), each coder as a
``User`` (a machine coder named with its model, and its provenance in ``Note``\\ s its
codings refer to: :mod:`ihms.policy._qdpx_machine`), and each coder's answers for a
segment as one ``PlainTextSelection`` over the segment's span in the document, holding
a ``Coding`` per category. Positions are ``[start, end)`` offsets in Unicode code points
of the source's text. Document metadata (title, issuer, document number, date, region,
and the codebook's derived policy level, nature and orientation) become ``Variables``
with values on one ``Case`` per document — NVivo lists cases and their classifications
among what it imports from a REFI-QDA file, and the standard hangs variables on cases —
and the same metadata is the source's description, readable in any program
(``metadata="sources"`` or ``"both"`` puts the variable values on the sources, as
MAXQDA's exports do).

:func:`import_qdpx` reads a file coded in one of those programs back as one coder's
codings, through :func:`ihms.policy.coding.add_codings` (one transaction: a bad file
changes nothing). Sources are matched to documents by text (whitespace aside) and name;
codes to categories by their place in the code tree and their names, Chinese or
English; a segment is coded with a category when that category's selections cover at
least ``min_overlap`` (default half) of the segment's non-whitespace characters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ihms._words import check_lang
from ihms.errors import DataError, InputError
from ihms.policy._agreement_words import content_note
from ihms.policy._qdpx_machine import (
    machine_coder_for,
    machine_import_notes,
    machine_notes,
    machine_user,
    model_memos,
    read_machine_notes,
    registered,
)
from ihms.policy._qdpx_map import match_sources, place_selections, resolve_codes
from ihms.policy._qdpx_project import (
    ExportCodebook,
    coder_names,
    documents_of,
    pick_scheme,
    project_key,
    segment_spans_of,
    user_filter,
    version,
    write_zip,
)
from ihms.policy._qdpx_read import read_qdpx
from ihms.policy._qdpx_reconciled import (
    RECONCILED,
    RECONCILED_NAME,
    decision_notes,
    is_reconciled_user,
    reconciled_rows,
    record_reconciled,
    refiled_user_notes,
    unmatched_users_notes,
)
from ihms.policy._qdpx_results import QdpxExport, QdpxImport
from ihms.policy._qdpx_write import ExportPlan, build_project, guid_maker, variables_of
from ihms.policy.coding import add_codings

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

__all__ = ["RECONCILED", "QdpxExport", "QdpxImport", "export_qdpx", "import_qdpx"]


def export_qdpx(
    project: Project,
    path: str | Path,
    *,
    coders: Sequence[str] | None = None,
    lang: str = "en",
    scheme: str | None = None,
    metadata: str = "cases",
    newline: str = "lf",
    reconciled: bool | None = None,
) -> QdpxExport:
    """Write the project as a REFI-QDA project exchange file for NVivo, ATLAS.ti, MAXQDA.

    Parameters
    ----------
    project
        An open :class:`~ihms.policy.project.Project`.
    path
        The ``.qdpx`` file to write (replaced atomically: a temporary file, then a rename).
    coders
        Coders whose codings to include (default: every coder with codings); ``[]`` for
        a blank project to code blind.
    lang
        ``"en"`` or ``"zh"``: the language of code and variable names; the other language
        goes into each code's description.
    scheme
        ``"paragraph"`` or ``"clause"`` segments (needed only when the project has both).
    metadata
        Where document metadata goes as variable values: ``"cases"`` (one case per
        document; NVivo reads these as case classifications), ``"sources"`` or ``"both"``.
    newline
        ``"lf"`` writes the text as ihms holds it; ``"crlf"`` writes Windows line breaks
        (positions then count each break as two code points).
    reconciled
        Add the reconciled coding (each segment's agreed or decided answers, as
        ``reconcile`` recorded them) as a user of its own, ``reconciled``, which NVivo
        and ATLAS.ti users compare the coders with. Default: when ``coders`` is not
        given and the project has been reconciled. ``True`` without any reconciled
        answer is an error.

    Raises
    ------
    InputError
        Bad options or an unknown coder; every segment that cannot be located in its
        document's text (listed in a :class:`DataError`). Nothing is written then.

    Examples
    --------
    >>> from ihms.policy import Project, export_qdpx  # doctest: +SKIP
    >>> with Project("study.sqlite") as p:  # doctest: +SKIP
    ...     export_qdpx(p, "study.qdpx", coders=["coder_a"], lang="zh")
    """
    check_lang(lang)
    if metadata not in ("cases", "sources", "both"):
        raise InputError(f"metadata must be 'cases', 'sources' or 'both', got {metadata!r}")
    if newline not in ("lf", "crlf"):
        raise InputError(f"newline must be 'lf' or 'crlf', got {newline!r}")
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise InputError(f"{path}: a REFI-QDA project file is named *.qdpx")
    users = coder_names(project, coders)
    decided = project.query("SELECT count(*) FROM decisions")[0][0]
    if reconciled and not decided:
        raise InputError(
            f"{project.path}: nothing is reconciled yet to export (run `ihms policy "
            "reconcile` first), or leave the reconciled coding out"
        )
    if reconciled is None:
        reconciled = coders is None and decided > 0
    if reconciled and any(c == RECONCILED for c, _ in users):
        raise InputError(
            f"a coder is named {RECONCILED!r}, the user that holds the reconciled coding; "
            "leave the reconciled coding out (--no-reconciled) or name the coders"
        )
    if reconciled:
        users.append((RECONCILED, RECONCILED_NAME))
    scheme = pick_scheme(project, scheme, required=False, task=f"QDPX export of {project.path}")
    documents = documents_of(project)
    spans, seg_text, problems = segment_spans_of(project, documents, scheme)
    if problems:
        raise DataError(
            f"{project.path}: {len(problems):,} segment(s) cannot be placed; nothing written",
            problems,
        )
    located = {seg for doc in spans.values() for seg in doc}
    answers: dict = {}
    open_values: dict[str, set[str]] = {}
    left_out: dict[str, int] = {}
    cb = project.codebook()
    who = [c for c, _ in users if c != RECONCILED]
    rows = project.query(
        "SELECT c.coder_id, c.segment_id, c.dimension, c.value, c.coded_at, s.retired, s.scheme"
        " FROM codings c JOIN segments s ON s.id = c.segment_id"
        f" WHERE c.coder_id IN ({','.join('?' * len(who))})",
        who,
    ) if who else []  # fmt: skip
    decided_rows, decided_notes = reconciled_rows(project) if reconciled else ([], {})
    rows += decided_rows
    for coder, seg, dim, value, coded_at, retired, seg_scheme in rows:
        if seg in located:
            answers.setdefault((coder, seg), {}).setdefault(dim, []).append((value, coded_at))
            if value and cb.dimension(dim).kind == "open":
                open_values.setdefault(dim, set()).add(value)
            continue
        why = (content_note(lang, "on retired") if retired else content_note(lang, "on scheme",
               scheme=seg_scheme) if seg_scheme != scheme else content_note(lang, "not included"))  # fmt: skip
        left_out[why] = left_out.get(why, 0) + 1
    dims_used = {d for by_dim in answers.values() for d in by_dim}
    machines = [r[0] for r in project.query("SELECT id FROM coders WHERE kind='machine' ORDER BY id")
                if r[0] in who]  # fmt: skip
    machine_keys = [(c, seg, dim) for (c, seg), by_dim in answers.items() if c in machines
                    for dim in by_dim]  # fmt: skip
    decided_notes |= machine_notes(project, machines, machine_keys, cb, lang)
    codebook = ExportCodebook(cb, dims_used)
    derived = project.derived_values()
    plan = ExportPlan(
        name=dict(project.query("SELECT key, value FROM meta")).get("name", path.stem),
        origin=f"ihms {version()}",
        description=(
            f"Exported by ihms from coding project {project.path.name} (codebook {cb.name} "
            f"v{project.codebook_version}, {scheme or 'no'} segments). Each selection is one "
            "ihms segment; under each dimension the code '无' / 'none' means the coder found "
            "that no category applies; a machine coder's codings carry a note with its model's "
            "provenance (read-only). Read codings back with `ihms policy qdpx import`."
        ),
        lang=lang, metadata=metadata, newline=newline, guid=guid_maker(project_key(project)),
        codebook=codebook, documents=list(documents.values()),
        variables={i: variables_of(d, derived.get(i, {}), cb, lang) for i, d in documents.items()},
        users=users, spans=spans, seg_text=seg_text, answers=answers, open_values=open_values,
        notes=decided_notes, memos=model_memos(project, machines, lang),
    )  # fmt: skip
    xml, files, n_sel, n_codings = build_project(plan)
    write_zip(path, xml, files)
    notes = tuple(content_note(lang, "not exported", n=n, why=why)
                  for why, n in sorted(left_out.items()))  # fmt: skip
    if reconciled:
        notes += (content_note(lang, "reconciled user", user=RECONCILED),)
    users_out = (*who, RECONCILED) if reconciled else tuple(who)
    return QdpxExport(str(path), scheme, len(documents), users_out, n_sel, n_codings, notes, lang)


def import_qdpx(
    project: Project,
    path: str | Path,
    *,
    coder: str | None = None,
    user: str | None = None,
    kind: str = "human",
    scheme: str | None = None,
    min_overlap: float = 0.5,
    uncoded: str = "missing",
    ignore_codes: Sequence[str] = (),
    crlf: str = "auto",
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> QdpxImport:
    """Import a ``.qdpx`` coded in NVivo, ATLAS.ti or MAXQDA as ``coder``'s codings.

    The user ``reconciled`` of an ihms export (the reconciled coding) is read back as
    the project's reconciliation, not as a coder: its answers become decisions — an
    agreement of the project's coders where two or more of them gave that answer, else
    a decision by the file's user — so agreement is never computed against it. The
    coders are the file's other users, matched by id or name only; the notes name those
    that match no human coder of the project. A machine user of an ihms export (its
    codings refer to notes carrying its model's provenance) is filed under that machine
    coder (the default ``coder``; another is refused) with the provenance restored; a
    note edited since is refused, and reviews are not imported.

    Parameters
    ----------
    project
        The project the codings go into.
    path
        The ``.qdpx`` file (a REFI-QDA project).
    coder
        The ihms coder the codings are filed under (registered if new, as ``kind``);
        required, except for an ihms export's ``reconciled`` user, which takes none.
    user
        The file's user (name, id or GUID) whose codings to import; needed when several
        users coded in the file.
    kind
        ``"human"`` (default) or ``"machine"``: the kind ``coder`` is registered as.
    scheme
        The segments to code (``"paragraph"``/``"clause"``; needed only if both exist).
    min_overlap
        A segment is coded with a category when that category's selections (together)
        cover at least this share of the segment's non-whitespace characters. ``0.5``
        (default): half; ``1``: the whole segment; ``0``: any overlap.
    uncoded
        ``"missing"`` (default): a segment with no code of a dimension is not coded on
        it. ``"none"``: in every document the user coded, a segment with no code of a
        dimension the user applied anywhere counts as "coded, nothing applies".
    ignore_codes
        Codes (name or ``parent > child`` path) to leave out, e.g. NVivo's own nodes.
    crlf
        How positions count a ``\\r\\n`` line break: ``"auto"`` (one character when the
        file comes from ATLAS.ti, else two), ``"one"`` or ``"two"``.
    replace
        Overwrite the coder's earlier answers for these segments (for the reconciled
        user: the project's earlier decisions).
    progress
        Called as ``progress(done, total)`` after each source file is placed.

    Returns
    -------
    QdpxImport
        What was imported, left out or could not be placed, with notes.

    Raises
    ------
    InputError
        The file is not a REFI-QDA project (not a zip, no ``project.qde``, wrong
        namespace), bad options, several users and no ``user``.
    DataError
        Every source file missing, selection outside its source's text, code that is no
        category of the codebook, source matching no document, conflicting answer.
        Nothing is written then.
    """
    if not 0 <= min_overlap <= 1:
        raise InputError(f"min_overlap must be between 0 and 1, got {min_overlap!r}")
    if uncoded not in ("missing", "none"):
        raise InputError(f"uncoded must be 'missing' or 'none', got {uncoded!r}")
    path = Path(path)
    qfile = read_qdpx(path, crlf=crlf)
    users, user_name = user_filter(qfile, user)
    as_reconciliation = is_reconciled_user(qfile, users)
    # an ihms machine user's codings are its machine coder's (their notes say whose)
    machine = None if as_reconciliation else machine_user(qfile, users)
    if machine is not None:
        coder, kind = machine_coder_for(path, user_name, machine, coder), "machine"
    if coder is not None and coder not in {r[0] for r in project.query("SELECT id FROM coders")}:
        project.check_new_coders({coder: kind}, source="import")
    if as_reconciliation and coder is not None:
        raise InputError(
            f"{path}: user {user_name!r} holds the reconciled coding of an ihms export; it is "
            "read back as the project's reconciliation, not a coder's codings (leave out "
            f"coder= / --coder, not {coder!r})"
        )
    if not as_reconciliation and coder is None:
        raise InputError(f"{path}: name the coder to file user {user_name!r}'s codings under "
                         "(coder=... / --coder NAME)")  # fmt: skip
    picked: dict[str, list[tuple[int, int, str, str]]] = {}
    stamps: dict[str, str] = {}  # selection guid -> its latest coding's time
    for src in qfile.sources:
        for sel in src.selections:
            for c in sel.codings:
                if (c.user_guid.lower() if c.user_guid else None) in users:
                    picked.setdefault(src.guid, []).append(
                        (sel.start, sel.end, c.code_guid, sel.guid)
                    )
                    stamps[sel.guid] = max(stamps.get(sel.guid, ""), c.created or "")
    if not picked:
        raise InputError(f"{path}: no text selections with codes to import")
    cb = project.codebook()
    mapping, ignored, problems = resolve_codes(
        qfile, cb, {code for rows in picked.values() for _, _, code, _ in rows}, ignore=ignore_codes
    )
    hint = (
        "; map the codes listed onto the codebook's categories in the QDA program, or leave "
        "them out with ignore_codes=[...] (--ignore-code NAME)"
        if problems
        else ""
    )
    documents = documents_of(project)
    sources = [s for s in qfile.sources if s.guid in picked]
    matches, notes, trouble = match_sources(sources, documents)
    problems += trouble
    scheme = pick_scheme(project, scheme, required=True, task=f"QDPX import into {project.path}")
    spans, _texts, trouble = segment_spans_of(project, {matches[s.guid]: documents[matches[s.guid]]
                                              for s in sources if s.guid in matches}, scheme)  # fmt: skip
    problems += trouble
    answers: dict[tuple[str, str], set] = {}
    behind: dict[tuple[str, str], set] = {}
    unplaced: list = []
    coded_docs: set[str] = set()
    for i, src in enumerate(sources):
        if src.guid not in matches or problems:
            continue
        doc_id = matches[src.guid]
        placed = place_selections(src, documents[doc_id].text, spans.get(doc_id, {}),
                                  picked[src.guid], mapping, min_overlap=min_overlap)  # fmt: skip
        answers.update(placed.answers)
        behind.update(placed.selections)
        unplaced += placed.unplaced
        coded_docs.add(doc_id)
        if progress is not None:
            progress(i + 1, len(sources))
    for (seg, dim), values in sorted(answers.items()):
        d = cb.dimension(dim)
        if None in values and len(values) > 1:
            problems.append(
                f"segment {seg} dimension {dim!r}: coded 'none' and also "
                f"{', '.join(sorted(v for v in values if v))}"
            )
        elif len(values) > 1 and not d.multi:
            problems.append(
                f"segment {seg}: dimension {dim!r} takes one category, the selections give "
                f"{len(values)}: {', '.join(sorted(values))}"
            )
    found = read_machine_notes(qfile, users, mapping, behind, cb) if machine else None
    if found is not None:
        problems += found.problems + [
            f"{path}: user {user_name!r}'s notes name model {m!r}, not {machine!r}'s"
            for m in sorted(found.models - {machine.split(":", 1)[1]})
        ]
    if problems:
        raise DataError(f"{path}: {len(problems):,} problem(s); nothing imported{hint}", problems)
    if uncoded == "none":
        dims = {dim for dim, _ in mapping.values()}
        for doc_id in coded_docs:
            for seg in spans.get(doc_id, {}):
                for dim in dims:
                    answers.setdefault((seg, dim), set())
    if not answers:
        raise DataError(
            f"{path}: no selection covers {min_overlap:.0%} of any segment; nothing imported "
            f"(lower min_overlap / --min-overlap to count smaller selections)",
            [f"source {s!r} positions {a}–{b} (selection {g})" for s, a, b, g in unplaced],
        )
    windows = [s.name for s in sources if s.had_crlf and s.guid in matches]
    if windows:
        notes.append(
            f"{len(windows):,} source(s) have Windows line breaks, counted as {qfile.crlf} "
            f"character(s) each ({'ATLAS.ti' if qfile.crlf == 'one' else 'NVivo'}'s way; "
            "crlf=... / --crlf if codes land a little off)"
        )
    if qfile.other_sources:
        notes.append(f"{qfile.other_sources:,} PDF, picture or media source(s) left out")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    n_selections = sum(len({g for *_, g in rows}) for rows in picked.values())
    if as_reconciliation:
        authored, conflicting = decision_notes(qfile, users, mapping, behind)
        others = [u for u in qfile.users if u.guid.lower() not in users]
        decider = f"{user_name} ({path.name})"
        added, replaced, unchanged, kept = record_reconciled(
            project, {k: frozenset(v for v in values if v) for k, values in answers.items()},
            when={k: max((stamps[g] for g in behind.get(k, ())), default=None) for k in answers},
            file=str(path), decided_by=decider, replace=replace, digest=digest, authored=authored,
            between=[x for u in others for x in (u.id, u.name) if x],
        )  # fmt: skip
        notes += unmatched_users_notes(project, others, decider)
        notes += [
            f"{kept:,} decision note(s) in the file differ from the project's on pairs "
            "whose answer is unchanged: not applied (the project keeps its own)"
        ] * (kept > 0)
        notes += [f"{conflicting:,} pair(s)' codings refer to notes that say different "
                  "things: no note kept for them"] * (conflicting > 0)  # fmt: skip
        return QdpxImport(
            str(path), qfile.origin, "", user_name, len(matches), n_selections, len(answers),
            added, replaced, unchanged, tuple(unplaced), tuple(ignored), tuple(notes),
            reconciliation=True,
        )  # fmt: skip
    raw_names = {
        mapping[g]: qfile.code(g).name
        for g in mapping
        if cb.dimension(mapping[g][0]).kind == "open"
    }
    final = {
        (seg, dim, coder): frozenset(v for v in values if v)
        for (seg, dim), values in answers.items()
    }
    raw = {
        (seg, dim, coder): {v: raw_names[(dim, v)] for v in values if (dim, v) in raw_names}
        for (seg, dim), values in answers.items()
    }
    provenance = {
        (seg, dim, coder): {"source": "qdpx", "file": path.name, "origin": qfile.origin,
                            "user": user_name, "selections": sorted(behind.get((seg, dim), ()))}
        for (seg, dim) in answers
    }  # fmt: skip
    if found is not None:  # the model's record, and the file it came back through
        provenance = {k: {**found.provenance[k[:2]], "qdpx": v} if k[:2] in found.provenance
                      else v for k, v in provenance.items()}  # fmt: skip
        notes += machine_import_notes(found, machine)
    with registered(project, coder, found):
        result = add_codings(
            project, final, raw=raw, replace=replace, file=str(path), provenance=provenance,
            new_coders={coder: kind}, digest=digest,
        )  # fmt: skip
    notes += refiled_user_notes(project, [u for u in qfile.users if u.guid.lower() in users], coder)
    return QdpxImport(
        str(path), qfile.origin, coder, user_name, len(matches), n_selections, len(final),
        result.added, result.replaced, result.unchanged, tuple(unplaced), tuple(ignored),
        tuple(notes), result.agreements_withdrawn, result.decisions_to_review,
    )  # fmt: skip
