"""Codings: importing and exporting the spreadsheets researchers keep.

The sheet has one row per segment and one column per dimension, the way coders work in
Excel: ``segment_id`` (required), optional context columns (``code``, ``document``,
``title``, ``context`` — the headings a segment sits under —, ``text``; ignored on
import), an optional ``coder`` column, then one column per dimension headed by its
key, English or Chinese name. A cell holds category names in English or Chinese (or
keys), several separated by ``;`` (multi-label); an open dimension holds free answers
normalised through the codebook's synonyms. An empty cell means "not coded"; ``-`` (or
``无`` / ``none``) means "coded, nothing applies".

:func:`import_codings` validates the whole sheet first — unknown segments, unknown
categories, several labels in a single-label dimension, the same coder coding a segment
twice with different answers, answers that contradict what the project already holds —
and reports every bad row in one :class:`~ihms.errors.DataError`; then it writes all
codings in one transaction. A failed or interrupted import changes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._listing import first_of
from ihms.errors import DataError, InputError
from ihms.policy._clock import utc_now as _now
from ihms.policy._coding_sheet import (
    NONE_TOKENS,
    _match_column,
    _show,
    is_codebook_sheet,
    parse_codings_frame,
    stored_answers,
)
from ihms.policy._machine_check import check_machine_columns
from ihms.policy._machine_columns import machine_answers
from ihms.policy._reconciled_decisions import settle_reconciled
from ihms.policy._stored_codings import check_codings_against, review_codings, stale_decisions
from ihms.policy.sheet import read_sheets

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project

__all__ = [
    "NONE_TOKENS",
    "CodingImport",
    "add_codings",
    "check_codings_against",
    "codings",
    "import_codings",
    "parse_codings_frame",
    "review_codings",
]

_BATCH = 500


@dataclass(frozen=True)
class CodingImport:
    """What an import did."""

    file: str
    coders: tuple[str, ...]
    rows: int
    added: int
    replaced: int
    unchanged: int
    #: automatic agreements withdrawn because a coder in them changed an answer (the
    #: pair is a disagreement again at the next reconciliation)
    agreements_withdrawn: int = 0
    #: (segment, dimension) a person decided on whose coders' answers changed since
    #: (the decision stands; review it) — a decision read from a reconciled coding too,
    #: where it read as the coders' agreement and they no longer all give its answer
    decisions_to_review: tuple[tuple[str, str], ...] = ()
    #: sheets of a workbook with neither a segment column nor a dimension column
    #: (instructions, notes), left out; ``codes export``'s codebook sheet is left out
    #: unnamed
    skipped_sheets: tuple[str, ...] = ()
    #: (segment, dimension, coder) whose cell was empty in a row coding other dimensions
    #: and which the project holds no answer for: not coded, which differs from "coded,
    #: nothing applies" (``-``, ``无``) in the agreement and the tables
    left_empty: tuple[tuple[str, str, str], ...] = ()
    #: (segment, dimension, coder) of the answers removed: stored earlier, their cell
    #: now empty, imported with ``replace``
    removed: tuple[tuple[str, str, str], ...] = ()
    #: (segment, dimension, coder) stored earlier whose cell is now empty, kept because
    #: the import did not ``replace``
    kept_empty: tuple[tuple[str, str, str], ...] = ()
    #: what reading the sheet left out (a title or blank rows above a sheet's header)
    notes: tuple[str, ...] = ()


def add_codings(
    project: Project,
    answers: dict[tuple[str, str, str], frozenset[str]],
    *,
    raw: dict | None = None,
    replace: bool = False,
    file: str = "codings",
    provenance: dict[tuple[str, str, str], dict] | None = None,
    new_coders: dict[str, str] | None = None,
    digest: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    remove: Sequence[tuple[str, str, str]] = (),
    where: dict[tuple[str, str, str], str] | None = None,
) -> CodingImport:
    """Write validated answers ``{(segment, dimension, coder): values}`` in one
    transaction. Coders must exist (see :meth:`Project.add_coder`) or be listed in
    ``new_coders`` (``{coder: kind}``), which registers them in the same transaction.

    An answer that differs from what the project holds for the same segment, dimension
    and coder is an error unless ``replace``. ``provenance`` (per answer, JSON-able)
    is stored on machine codings: model id, training size, probability. With
    ``replace``, the stored answers of ``remove`` (a sheet's emptied cells) are deleted
    in the same transaction.

    Parameters
    ----------
    project
        The coding project.
    answers
        ``{(segment id, dimension key, coder id): category keys}``; an empty set is
        "none applies".
    raw
        The cell text each value was read from, per answer: ``{key: {value: text}}``.
    replace
        Overwrite stored answers that differ.
    file
        The source's name, for messages and the import log.
    provenance
        JSON-able details per answer, stored on machine codings.
    new_coders
        Coders to register first, ``{coder id: "human" or "machine"}``.
    digest
        The source file's SHA-256, for the import log.
    progress
        Called as ``progress(rows written, rows)`` while writing.
    remove
        Answers to delete (with ``replace`` only).
    where
        An answer's sheet row and column, for its message.

    Raises
    ------
    InputError
        An unknown coder, or a bad ``new_coders`` entry.
    DataError
        Answers that contradict stored ones without ``replace``; nothing is written.
    """
    raw, where = raw or {}, where or {}
    coders = {k[2] for k in answers}
    new_coders = new_coders or {}
    known = {r[0] for r in project.query("SELECT id FROM coders")}
    project.check_new_coders(new_coders, source=file)
    missing = sorted(coders - known - set(new_coders))
    if missing:
        raise InputError(f"{file}: unknown coder(s) {missing}; register them first")
    # a coder whose every cell the sheet emptied gives no answer but still has some to remove
    existing = stored_answers(
        project, coders | ({k[2] for k in remove} & known if replace else set())
    )
    problems = []
    todo: list[tuple[tuple[str, str, str], frozenset[str]]] = []
    unchanged = replaced = 0
    for key, values in answers.items():
        old = existing.get(key)
        if old is None:
            todo.append((key, values))
        elif old == values:
            unchanged += 1
        elif replace:
            replaced += 1
            todo.append((key, values))
        else:
            problems.append(
                f"{where.get(key, file)}: coder {key[2]!r} already coded segment {key[0]!r} "
                f"dimension {key[1]!r} as "
                f"{_show(old)}; the sheet says {_show(values)} (pass replace=True to overwrite it)"
            )
    if problems:
        raise DataError(
            f"{file}: {len(problems):,} coding(s) contradict the project; nothing imported",
            problems,
        )
    gone = sorted({k for k in remove if k in existing and k not in answers}) if replace else []
    changed = [k for k, _ in todo if k in existing] + gone
    withdraw, review, resettle = stale_decisions(project, changed)
    version = project.codebook_version
    now = _now()
    added = 0
    with project.transaction() as conn:
        conn.executemany("DELETE FROM decisions WHERE id=?", [(i,) for i in withdraw])
        for who, kind in sorted(new_coders.items()):
            if who not in known:
                model = who.split(":", 1)[1] if kind == "machine" else None
                conn.execute(
                    "INSERT INTO coders(id, kind, name, model_id, created_at) VALUES (?,?,?,?,?)",
                    (who, kind, who, model, now),
                )
        cur = conn.execute(
            "INSERT INTO imports(kind, file, sha256, coder_id, rows, at) VALUES ('codings', ?, ?, ?, ?, ?)",
            (file, digest, ",".join(sorted(coders)), len(answers), now),
        )
        import_id = cur.lastrowid
        conn.executemany(
            "DELETE FROM codings WHERE segment_id=? AND dimension=? AND coder_id=?", gone
        )
        rows = []
        for key, values in todo:
            seg, dim, who = key
            conn.execute(
                "DELETE FROM codings WHERE segment_id=? AND dimension=? AND coder_id=?", key
            )
            prov = (
                json.dumps(provenance[key], ensure_ascii=False)
                if provenance and key in provenance
                else None
            )
            for v in sorted(values) or [""]:
                rows.append(
                    (seg, dim, v, raw.get(key, {}).get(v), who, version, now, import_id, prov)
                )
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            conn.executemany(
                "INSERT INTO codings(segment_id, dimension, value, raw_value, coder_id,"
                " codebook_version, coded_at, import_id, provenance) VALUES (?,?,?,?,?,?,?,?,?)",
                batch,
            )
            added += len(batch)
            if progress is not None:
                progress(start + len(batch), len(rows))
        settled = settle_reconciled(conn)
        # a reconciled decision settled again because one of the coders it was between
        # changed an answer is named whenever its kind changed, either way, and when it
        # stands as its file user's decision, made on answers that changed since
        resettle = {pair for pair, who in resettle.items() if who & settled.between}
        review |= settled.changed & resettle
        review |= {pair for pair in resettle if settled.kinds.get(pair) == "decision"}
    return CodingImport(
        file, tuple(sorted(coders)), len(answers), added, replaced, unchanged,
        agreements_withdrawn=len(withdraw), decisions_to_review=tuple(sorted(review)),
        removed=tuple(gone),
    )  # fmt: skip


def import_codings(
    project: Project,
    source: str | Path | pd.DataFrame,
    *,
    coder: str | None = None,
    kind: str = "human",
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CodingImport:
    """Import a codings spreadsheet (CSV or XLSX — every sheet — or a DataFrame).

    Parameters
    ----------
    project
        The project the codings go into.
    source
        A ``.csv`` or ``.xlsx`` file (every sheet read) or a DataFrame: a ``segment_id``
        column, an optional ``coder`` column, one column per dimension.
    coder
        Coder of every row; registered if new. A sheet with a ``coder`` column that names
        someone else is refused (a template exported for one coder and filled in by
        another); without ``coder`` each row's ``coder`` column says who coded it.
    kind
        ``human`` or ``machine`` for coders registered by this import.
    replace
        The sheet is the coder's whole answer for the segments and dimensions it lists:
        overwrite earlier answers, and remove those whose cell is now empty. Without
        it an earlier answer under an empty cell stays (``kept_empty`` names it).
    progress
        Called as ``progress(done, total)`` after each batch of rows written.

    Returns
    -------
    CodingImport
        What was added, replaced, left unchanged and left out.

    Raises
    ------
    DataError
        Every bad row, cell and conflict; the project is unchanged.
    """
    cb = project.codebook()
    known = {r[0] for r in project.query("SELECT id FROM segments WHERE retired=0")}
    notes: list[str] = []  # a title or blank rows left out above a sheet's header
    if isinstance(source, pd.DataFrame):
        sheets = [("codings", source)]
        label, digest = "DataFrame", None
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"codings file {str(path)!r} does not exist")

        expected = "segment_id, then one column per dimension"
        sheets = read_sheets(path, expected=expected, notes=notes)
        label, digest = str(path), hashlib.sha256(path.read_bytes()).hexdigest()
    answers: dict = {}
    raw: dict = {}
    empty: set = set()  # the sheet's empty cells of listed segments
    where: dict = {}  # each answer's sheet row and column
    problems: list[str] = []
    skipped: list[str] = []
    if len(sheets) > 1:  # an instructions or notes sheet beside the codings: not codings
        roles = [{_match_column(str(c), cb)[0] for c in frame.columns} for _, frame in sheets]
        keep = [("segment" in r or "dimension" in r) for r in roles]
        if any(keep):  # codes export's own codebook sheet passed over unsaid
            skipped = [
                n
                for (n, f), k in zip(sheets, keep, strict=True)
                if not k and not is_codebook_sheet(f)
            ]
            sheets = [s for s, k in zip(sheets, keep, strict=True) if k]
    machine = machine_answers(project)  # a machine coder's answers and provenance
    read_only: list[str] = []
    for name, frame in sheets:
        a, r, p = parse_codings_frame(
            frame, cb, known_segments=known, coder=coder, file=name, empty=empty, where=where
        )
        p2, cols = check_machine_columns(
            frame, cb, machine, coder=coder, file=name, replace=replace
        )
        problems += p + p2
        read_only += [c for c in cols if c not in read_only]
        for key, values in a.items():
            if key in answers and answers[key] != values:
                problems.append(
                    f"{name}: coder {key[2]!r} segment {key[0]!r} dimension {key[1]!r} differs between sheets"
                )
            answers[key] = values
        raw.update(r)
    if not problems and not answers:
        problems.append(
            f"{label}: no codings to import — "
            + (
                "no sheet has data rows"
                if not any(len(f) for _, f in sheets)
                else "every row's dimension cells are empty"
            )
            + "; expected a row per segment: segment_id, then one column per dimension"
            f" ({', '.join(d.key for d in cb.coded)}) holding its categories"
        )
    if problems:
        raise DataError(
            f"codings {label}: {len(problems):,} problem(s); nothing imported", problems
        )
    if read_only:
        notes.append(
            f"{label}: {len(read_only)} machine provenance column(s) read, not imported "
            f"({first_of(read_only)}): they agree with what the project records"
        )
    new_coders = {
        who: "machine" if who.startswith("machine:") else kind for who in {k[2] for k in answers}
    }
    # an emptied cell over an answer stored earlier (another row or sheet may answer it)
    stored = stored_answers(project, {k[2] for k in empty})
    emptied = sorted(k for k in empty if k in stored and k not in answers)
    result = add_codings(
        project,
        answers,
        raw=raw,
        replace=replace,
        file=label,
        new_coders=new_coders,
        digest=digest,
        progress=progress,
        remove=emptied,
        where=where,
    )
    rows = {(seg, who) for seg, _, who in answers}
    dims = {
        match[1].key
        for _, frame in sheets
        for match in (_match_column(str(c), cb) for c in frame.columns)
        if match[0] == "dimension" and match[1].kind != "year"
    }
    # read after the import, so it holds every answer of the sheet as well (add_codings
    # wrote each, or found it unchanged): a cell the project has no answer for is empty
    held = set(stored_answers(project, {who for _, who in rows}))
    said = set(emptied)  # removed or kept: said so, not again as left empty
    # a model codes one dimension: the other cells of its rows are not left empty
    models, modelled = {k[2] for k in machine}, {(k[2], k[1]) for k in machine}
    blank = sorted(
        (seg, dim, who)
        for seg, who in rows
        for dim in dims
        if (seg, dim, who) not in held and (seg, dim, who) not in said
        and (who not in models or (who, dim) in modelled)
    )  # fmt: skip
    return dataclasses.replace(
        result,
        skipped_sheets=tuple(skipped),
        left_empty=tuple(blank),
        kept_empty=tuple(k for k in emptied if k not in set(result.removed)),
        notes=tuple(notes),
    )


def codings(
    project: Project, *, coders: list[str] | None = None, dimensions: list[str] | None = None
) -> pd.DataFrame:
    """Long table of codings: one row per segment, dimension, coder and value
    (``value`` is ``""`` for "coded, nothing applies").

    Parameters
    ----------
    project
        The coding project.
    coders, dimensions
        Coder ids and dimension keys to keep; None (or empty) keeps all.

    Returns
    -------
    pandas.DataFrame
        ``segment_id``, ``doc_id``, ``dimension``, ``value``, ``raw_value``, ``coder_id``,
        ``kind``, ``codebook_version``, ``coded_at``, ``provenance``, ``review_status``
        and ``reviewed_by``, by coder, document and segment order.
    """
    sql = (
        "SELECT c.segment_id, s.doc_id, c.dimension, c.value, c.raw_value, c.coder_id, k.kind,"
        " c.codebook_version, c.coded_at, c.provenance, c.review_status, c.reviewed_by"
        " FROM codings c JOIN segments s ON s.id = c.segment_id JOIN coders k ON k.id = c.coder_id WHERE 1=1"
    )
    params: list = []
    if coders:
        sql += f" AND c.coder_id IN ({','.join('?' * len(coders))})"
        params += list(coders)
    if dimensions:
        sql += f" AND c.dimension IN ({','.join('?' * len(dimensions))})"
        params += list(dimensions)
    return project.frame(
        sql + " ORDER BY c.coder_id, s.doc_id, s.ordinal, c.dimension, c.value", params
    )
