"""A machine coder's provenance in a REFI-QDA file, written and read back.

REFI-QDA Project 1.0 gives a ``Coding`` no description of its own (``CodingType`` holds
a ``CodeRef`` and ``NoteRef``\\ s; ``CodeRefType`` and ``UserType`` only attributes), so
:func:`ihms.policy.qdpx.export_qdpx` carries what ``codes export`` writes beside a
machine answer (:mod:`ihms.policy._machine_columns`) the standard's way:

* each machine answer (segment × dimension) is a ``Note`` its codings refer to
  (``NoteRef``), which NVivo and ATLAS.ti show as a memo on the coding: a first line
  ``ihms machine coding: machine:<model id>``, then one ``header: value`` line per field
  under the codes export's own column headers (``Actors · machine probability: …``,
  ``machine model: …``; Chinese with ``lang="zh"``), then the record itself as one JSON
  line (``ihms provenance (read-only): {...}``) that the import reads back;
* each machine coder is a ``Note`` of its own (the model: id, training size and date,
  the codebook versions its answers record), and its ``User``'s name says the same.

:func:`read_machine_notes` reads them back for ``qdpx import``: the answers of a user
whose codings carry such notes are a machine's, so they are filed under that machine
coder only (``machine:<model id>``, the default coder) with the provenance the project
recorded; a note whose lines no longer say what its JSON records (edited in the QDA
program) is refused, as ``codes import`` refuses an edited provenance cell. Review
states (accepted, rejected) are not imported: a review is a person's judgement recorded
in a project, by :func:`ihms.policy.coding.review_codings`.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field

from ihms.errors import InputError
from ihms.policy._machine_coder import machine_coder_registered
from ihms.policy._machine_columns import (
    FIELDS,
    MachineAnswer,
    answer_cell,
    column_header,
    machine_answers,
    match_column,
    row_cell,
)

__all__ = [
    "MARK",
    "MachineNotes",
    "machine_coder_for",
    "machine_import_notes",
    "machine_notes",
    "machine_user",
    "model_memos",
    "read_machine_notes",
    "registered",
    "user_name",
]

#: first line of a machine answer's note
MARK = "ihms machine coding: "
#: the line holding the record as JSON
_RECORD = "ihms provenance (read-only): "
_LANGS = ("en", "zh", "key")


def user_name(coder: str, model_id: str, training_size, trained_at) -> str:
    """A machine coder's REFI-QDA user name: its model, training size and date."""
    parts = [f"model {model_id}"]
    if training_size is not None and training_size == training_size:  # not NaN
        parts.append(f"{int(training_size):,} training segments")
    if isinstance(trained_at, str) and trained_at:
        parts.append(f"trained {str(trained_at)[:10]}")
    return f"{coder} (ihms machine coder, {', '.join(parts)})"


def _note_text(coder: str, answer: MachineAnswer, dim, lang: str) -> str:
    lines = [MARK + coder]
    for f in FIELDS:
        if f.per_dimension:
            value = answer_cell(answer, f, dim, lang)
            head = column_header(f, lang, dim)
        else:
            value, head = row_cell([answer], f), column_header(f, lang)
        if value != "":
            lines.append(f"{head}: {value}")
    record = {"provenance": answer.provenance, "review": answer.review,
              "reviewed_by": answer.reviewed_by}  # fmt: skip
    lines.append(_RECORD + json.dumps(record, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines)


def machine_notes(project, machines: list[str], keys, codebook, lang: str) -> dict:
    """``{(coder, segment, dimension): (name, text, coded_at)}``: the note on each
    exported machine answer (``keys``: the ``(coder, segment, dimension)`` written)."""
    if not machines:
        return {}
    stored = machine_answers(project, coders=machines)
    when = dict(
        ((seg, dim, who), at)
        for seg, dim, who, at in project.query(
            "SELECT segment_id, dimension, coder_id, min(coded_at) FROM codings"
            f" WHERE coder_id IN ({','.join('?' * len(machines))})"
            " GROUP BY segment_id, dimension, coder_id",
            machines,
        )
    )
    out = {}
    for coder, seg, dim in keys:
        answer = stored.get((seg, dim, coder))
        if answer is None or not (answer.provenance or answer.review):
            continue  # an answer filed under a machine coder from a sheet records none
        d = codebook.dimension(dim)
        text = _note_text(coder, answer, d, lang)
        out[(coder, seg, dim)] = (
            f"{coder}: {seg} / {d.label(lang)}",
            text,
            when.get((seg, dim, coder)),
        )
    return out


def model_memos(project, machines: list[str], lang: str) -> list[tuple[str, str, str, str | None]]:
    """``(coder, name, text, created_at)`` of each machine coder's model note."""
    out = []
    for coder in machines:
        (model, size, at, created), = project.query(
            "SELECT model_id, training_size, trained_at, created_at FROM coders WHERE id=?",
            (coder,),
        )  # fmt: skip
        versions = sorted({
            str(json.loads(p).get("codebook_version")) for (p,) in project.query(
                "SELECT DISTINCT provenance FROM codings WHERE coder_id=? AND provenance"
                " IS NOT NULL", (coder,))
            if json.loads(p).get("codebook_version")
        })  # fmt: skip
        values = {"model_id": model, "training_size": size, "trained_at": at,
                  "codebook_version": "; ".join(versions)}  # fmt: skip
        lines = [f"ihms machine coder: {coder}"] + [
            f"{column_header(f, lang)}: {values[f.key]}"
            for f in FIELDS
            if not f.per_dimension and values.get(f.key) not in (None, "")
        ]
        out.append((coder, f"{coder}: model", "\n".join(lines), created))
    return out


@dataclass
class MachineNotes:
    """What the chosen users' machine notes say, per ``(segment, dimension)``."""

    #: the model ids the notes name (one coder's answers name one)
    models: set[str] = field(default_factory=set)
    provenance: dict = field(default_factory=dict)
    #: pairs whose answer carried a review in the file (not imported)
    reviewed: int = 0
    #: answers of the user with no machine note (coded in the QDA program)
    without: int = 0
    problems: list[str] = field(default_factory=list)


def _check_lines(text: str, record: dict, codebook, dim_key: str, where: str) -> list[str]:
    """Every field line of a note that no longer says what its JSON records."""
    answer = MachineAnswer(provenance=record.get("provenance") or {},
                           review=record.get("review") or "",
                           reviewed_by=record.get("reviewed_by") or "")  # fmt: skip
    out = []
    for line in text.splitlines()[1:]:
        head, sep, value = line.partition(": ")
        matched = match_column(head, codebook) if sep else None
        if matched is None or line.startswith(_RECORD):
            continue  # the QDA user's own words in the memo
        dim, f = matched
        if dim is None:
            expected = {str(row_cell([answer], f))}
        elif dim.key != dim_key:
            expected = {""}
        else:
            expected = {answer_cell(answer, f, dim, lang) for lang in _LANGS}
        if value.strip() not in expected:
            out.append(
                f"{where}: line {head!r} says {value.strip()!r}, but the provenance the model "
                f"recorded says {sorted(expected)[0]!r}; machine provenance is read-only "
                "(leave the note as exported, or delete the line)"
            )
    return out


def read_machine_notes(qfile, users: set, mapping: dict, behind: dict, codebook) -> MachineNotes:
    """The machine provenance of the chosen ``users``' answers ``{(segment, dimension):
    selections}`` (``behind``), from the notes their codings refer to."""
    refs = qfile.note_refs(users, mapping)
    found = MachineNotes()
    for (seg, dim), selections in sorted(behind.items()):
        texts = {t for s in selections for g in refs.get((s, dim), ())
                 for t in [qfile.notes.get(g, "").replace("\r\n", "\n").strip()]
                 if t.startswith(MARK)}  # fmt: skip
        if not texts:
            found.without += 1
            continue
        records = set()
        for text in texts:
            where = f"{qfile.path}: note on segment {seg!r} dimension {dim!r}"
            last = text.splitlines()[-1]
            try:
                record = (
                    json.loads(last.removeprefix(_RECORD)) if last.startswith(_RECORD) else None
                )
            except json.JSONDecodeError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("provenance"), dict):
                found.problems.append(
                    f"{where}: its last line is not the provenance record ({_RECORD.strip()} "
                    "followed by JSON); machine provenance is read-only"
                )
                continue
            found.problems += _check_lines(text, record, codebook, dim, where)
            records.add(json.dumps(record, sort_keys=True, ensure_ascii=False))
        if len(records) > 1:
            found.problems.append(
                f"{qfile.path}: segment {seg!r} dimension {dim!r}: its selections carry "
                f"{len(records)} different machine provenance records"
            )
        elif records:
            record = json.loads(records.pop())
            found.provenance[(seg, dim)] = record["provenance"]
            found.models.add(str(record["provenance"].get("model_id") or ""))
            found.reviewed += bool(record.get("review"))
    return found


def machine_user(qfile, users: set) -> str | None:
    """The machine coder (``machine:<model id>``) whose provenance notes the chosen
    users' codings refer to, or None: their codings are a person's."""
    for src in qfile.sources:
        for sel in src.selections:
            for c in sel.codings:
                if (c.user_guid or "").lower() not in users:
                    continue
                for g in c.note_guids:
                    first = qfile.notes.get(g, "").strip().splitlines()[:1]
                    if first and first[0].startswith(MARK):
                        return first[0].removeprefix(MARK).strip()
    return None


def machine_coder_for(path, user: str, machine: str, coder: str | None) -> str:
    """The coder to file a machine user's codings under: its own machine coder
    (the default); a person, or another coder, is refused — a machine's answers filed
    as a person's would be counted in the agreement as a person's."""
    if coder not in (None, machine):
        raise InputError(
            f"{path}: user {user!r}'s codings are machine coder {machine!r}'s (their notes "
            f"carry its model's provenance); file them under {machine!r} (the default: leave "
            f"out coder= / --coder), not {coder!r}. A person's corrections of them are that "
            "person's own codings, under their own user"
        )
    return machine


def machine_import_notes(found: MachineNotes, machine: str) -> list[str]:
    """What the import says of a machine user's provenance."""
    out = [f"{len(found.provenance):,} answer(s) of {machine} carry its model's provenance "
           "(probability or rule, training size and date, codebook version): stored with them"]  # fmt: skip
    if found.without:
        out.append(
            f"{found.without:,} answer(s) of {machine} carry no provenance note (coded in the "
            "QDA program under its user?): stored without the model's provenance"
        )
    if found.reviewed:
        out.append(
            f"{found.reviewed:,} answer(s) were reviewed in the exporting project: reviews "
            "are not imported (record them here with `ihms policy autocode review`)"
        )
    return out


def registered(project, coder: str, found: MachineNotes | None):
    """The block that stores a machine user's answers, with its coder registered with
    the model's training size and date if new (removed again if the write fails)."""
    if found is None or not found.provenance:
        return nullcontext()
    first = next(iter(found.provenance.values()))
    return machine_coder_registered(
        project, coder, model_id=coder.split(":", 1)[1],
        training_size=first.get("training_size"), trained_at=first.get("trained_at"),
    )  # fmt: skip
