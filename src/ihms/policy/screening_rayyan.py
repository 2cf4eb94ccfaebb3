"""Reviewers' decisions exported from Rayyan (https://www.rayyan.ai), the free screening
tool most reviewers use, read into the :class:`ScreeningDecision` rows the decisions
sheets give.

Rayyan's CSV export (``articles.csv``) has a row per article with ``key``, ``title``,
``year``, ... and ``notes`` (the export's header, ``emit_header`` in
rayyanqcri/rayyan-formats-core, ``lib/rayyan-formats-core/plugins/csv.rb``). ``key`` is
Rayyan's own id of the article, ``rayyan-<article id>`` (``AN  - rayyan-14431`` in the
real export befriendabacterium/rayyanR keeps as ``example_inputs/tinea_update.ris``;
scripts reading ``articles.csv`` strip the ``rayyan-``), not an id the imported file
carried. The screening is in ``notes``, after any notes the record was imported with
(help.rayyan.ai, "Understanding Your Rayyan Export Files"), entries separated by
``|``::

    RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Excluded"} | RAYYAN-LABELS: 医联体 |
    RAYYAN-EXCLUSION-REASONS: wrong population,foreign language | USER-NOTES: {...}

— one ``"name"=>"decision"`` pair per reviewer who decided, the decision ``Included``,
``Excluded`` or ``Maybe``; the exclusion reasons are the article's, comma-separated,
not said per reviewer (Rayyan's help: "Exclusion reasons applied — only present when at
least one member has assigned an exclusion reason"). Whose reason is whose is only in
the export's other file, ``customizations_log.csv`` — events ``created_at, user_id,
user_email, article_id, key, value`` with keys ``included`` (1, 0, -1) and
``"__EXR__<reason>"`` — which names reviewers by e-mail address, not by the names in
``RAYYAN-INCLUSION``. When it lies beside ``articles.csv`` (as the export unpacks) or
``log`` names it, each name is tied to the address whose decisions on the export's
articles are exactly that name's, and an excluding reviewer gets the reasons they gave
themselves (:mod:`ihms.policy._rayyan_log`); one the log ties no reason to keeps the
article's. (The format as befriendabacterium/rayyanR parses it,
``src/parse_rayyan.R``: entries split at ``| ``, ``RAYYAN-INCLUSION`` text left over
from an earlier screening cut from the labels and reasons, and ``<p>…</p>`` paragraphs
dropped; public scripts reading ``articles.csv`` match
``"([^"]+)"=>"(Included|Excluded|Maybe)"`` inside the braces.)

How they become decisions, explicitly:

``Included``  include.
``Excluded``  exclude, for the article's exclusion reasons (joined by ``; ``, each
              counted on its own in the PRISMA flow) — the export does not say which
              reviewer chose which — or ``missing_reason``
              where the article has none; without either it is a problem, as an
              exclusion without a reason is in a sheet.
``Maybe``     ``maybe``: ``"include"`` (the record goes on to a full-text reading, as
              review teams carry Maybes forward and Covidence moves two Maybes or a
              Yes + Maybe on) or ``"exclude"``; by default include at the title stage
              and a problem at the full-text stage, where a decision must be final.
(absent)      a reviewer who did not decide an article has no decision: the rules'
              verdict stands for them, as for a sheet without that document.
anything else a problem naming the row (never guessed).

One file is one stage (the caller says which). Articles are matched to the project's
documents by an id column (``id_column``: one added to the export that holds the ihms
ids; Rayyan's ``key`` does not) or by title (compared without spaces, punctuation and letter
case; the ``year`` column picks between documents of the same title, and a duplicate
found by :func:`~ihms.policy.dedupe.find_duplicates` yields to its original).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ihms._listing import first_of
from ihms.errors import DataError, InputError
from ihms.policy._rayyan_log import RayyanLog, read_rayyan_log
from ihms.policy.screening_reviewers import STAGE_NAMES, ScreeningDecision, nearest_document

__all__ = ["RAYYAN_DECISIONS", "RayyanImport", "read_rayyan"]

#: Rayyan's words for a decision → ours; ``Maybe`` is settled by ``maybe`` (see above).
RAYYAN_DECISIONS = {"included": "include", "excluded": "exclude", "maybe": "maybe"}

_MARKERS = ("RAYYAN-INCLUSION", "RAYYAN-LABELS", "RAYYAN-EXCLUSION-REASONS", "USER-NOTES")
# an entry starts at the beginning of the notes or after a "|"
_ENTRY = re.compile(r"(?:^|\|)\s*(" + "|".join(_MARKERS) + r"):")
# Rayyan's part of the notes: after the notes the imported record carried, if any
_FIRST = re.compile(r"(?:^|\||(?<=\s))\s*(?:" + "|".join(_MARKERS) + r"):")
_PAIR = re.compile(r'\s*"([^"]*)"\s*=>\s*"([^"]*)"\s*(?:,|$)')


@dataclass(frozen=True)
class RayyanImport:
    """The decisions of one Rayyan export at one stage, and what did not match.

    Attributes
    ----------
    path, stage, log
        The file read, the stage its decisions are at, its customizations log or None.
    decisions
        One per reviewer and article they decided (``source``: ``"articles.csv row 5"``).
    reviewers
        Everyone who decided something, in order of first appearance.
    matched_by
        ``"title"`` or the id column's name.
    unmatched
        ``(row, title)`` of the rows that matched no document and carried no decision
        (a row with a decision that matches nothing is refused, never dropped).
    undecided
        Project documents no reviewer decided in this file; the rules' verdict stands.
    shared_reasons
        Rows where two or more reviewers excluded the article and each was given all of
        its exclusion reasons (the export does not say whose they are).
    read_notes
        What reading the file said (title lines above the header left out).
    """

    path: Path
    stage: str
    decisions: tuple[ScreeningDecision, ...]
    reviewers: tuple[str, ...]
    matched_by: str
    unmatched: tuple[tuple[int, str], ...]
    undecided: tuple[str, ...]
    shared_reasons: tuple[int, ...] = ()
    log: RayyanLog | None = None
    read_notes: tuple[str, ...] = ()

    @property
    def stage_reviewers(self) -> dict[str, list[str]]:
        """``{stage: reviewers}`` of this export, for :func:`ihms.policy.prisma.screen`'s
        ``stage_reviewers``: a Rayyan export holds one stage, so its reviewers screened
        that stage only (merge two exports' with ``{**title.stage_reviewers,
        **fulltext.stage_reviewers}``; ``ihms policy screen --rayyan`` does this itself)."""
        return {self.stage: list(self.reviewers)}

    def notes(self) -> list[str]:
        """What the import did, for the screening report."""
        count = defaultdict(int)
        for d in self.decisions:
            count[d.reviewer] += 1
        who = ", ".join(f"{r} {count[r]}" for r in self.reviewers) or "nobody"
        out = [
            f"Rayyan export {self.path.name} ({STAGE_NAMES[self.stage]} stage, matched by "
            f"{self.matched_by}): decisions by {who}",
            *self.read_notes,
        ]
        if self.undecided:
            out.append(
                f"{self.path.name}: {len(self.undecided)} document(s) without a decision in it "
                "(the rules' verdict stands for those that reach the stage): "
                f"{first_of(list(self.undecided))}"
            )
        if self.log is not None:
            out += self.log.notes()
        if self.shared_reasons:
            rows = [f"row {row}" for row in self.shared_reasons]
            whose = (
                f"{self.log.path.name} gives none of them reasons of their own"
                if self.log is not None
                else "the export does not say whose each reason is; Rayyan's "
                "customizations_log.csv does, put beside it"
            )
            out.append(
                f"{self.path.name}: {len(rows)} article(s) excluded by two or more reviewers "
                f"carry the article's exclusion reasons for each of them ({whose}): "
                f"{first_of(rows)}"
            )
        if self.unmatched:
            rows = [f"row {row} {title!r}" for row, title in self.unmatched]
            out.append(
                f"{self.path.name}: {len(rows)} row(s) without decisions matched no document: "
                f"{first_of(rows)}"
            )
        return out


def read_rayyan(
    path: str | Path,
    documents: Sequence,
    *,
    stage: str,
    id_column: str | None = None,
    maybe: str | None = None,
    missing_reason: str | None = None,
    duplicates: Sequence = (),
    log: str | Path | bool | None = None,
) -> RayyanImport:
    """Read the reviewers' decisions of a Rayyan export (``articles.csv``) at one stage.

    Parameters
    ----------
    path
        Rayyan's CSV export (an XLSX saved from it works too).
    documents
        The project's documents (objects with ``id``, ``title`` and ``date``).
    stage
        ``"title"`` (title/abstract screening) or ``"fulltext"``: what the reviewers
        screened in this Rayyan review.
    id_column
        Match articles by this column's values (the documents' ids) instead of by title.
    maybe
        What a ``Maybe`` counts as: ``"include"`` or ``"exclude"`` (default: include at
        the title stage, refused at the full-text stage).
    missing_reason
        The reason recorded for an exclusion the export gives no reason for.
    duplicates
        From :func:`ihms.policy.dedupe.find_duplicates`: a title shared by a document and
        its duplicates (the same notice reposted) is the original's.
    log
        Rayyan's ``customizations_log.csv``, for each reviewer's own exclusion reasons
        (default: the one beside ``path``, if there; ``False``: none). It needs the
        export's ``key`` column as Rayyan writes it (``rayyan-<article id>``).

    Raises
    ------
    DataError
        Every problem at once, each naming file, row and field: a row with decisions that
        matches no document (or several), a decision Rayyan does not have, a Maybe at the
        full-text stage without ``maybe``, an exclusion without a reason, the same
        reviewer deciding one document in two rows, a malformed ``RAYYAN-INCLUSION``.

    Examples
    --------
    >>> imported = read_rayyan("articles.csv", project.load_documents(),
    ...                        stage="title")  # doctest: +SKIP
    >>> screen(docs, decisions=imported.decisions)  # doctest: +SKIP
    """
    from ihms.policy.screening_sheets import _STAGES
    from ihms.policy.sheet import read_table_file
    from ihms.stats._cells import first_row

    path = Path(path)
    chosen = _STAGES.get(str(stage).strip().lower())
    if chosen is None:
        raise InputError(f"parameter 'stage': expected title or fulltext, got {stage!r}")
    if maybe not in (None, "include", "exclude"):
        raise InputError(f"parameter 'maybe': expected 'include' or 'exclude', got {maybe!r}")
    maybe = maybe or ("include" if chosen == "title" else None)
    read_notes: list[str] = []
    frame = read_table_file(
        path,
        expected="title, notes (Rayyan's articles.csv)",
        columns=("title", "notes"),
        notes=read_notes,
    )
    first = first_row(frame)  # the file's number of the first record, below any title
    frame.columns = [c.lower() for c in frame.columns]
    twice = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if twice:
        raise InputError(
            f"{path.name}: column(s) {twice} appear more than once (letter case aside); "
            "expected each column of a Rayyan export once"
        )
    needed = [c for c in ("title", "notes", *([id_column.lower()] if id_column else ()))]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}: missing column(s) {missing} of a Rayyan export; got {list(frame.columns)}"
        )
    match = _Matcher(documents, id_column.lower() if id_column else None, duplicates)
    rayyan_log = _read_log(path, frame, log)
    problems: list[str] = []
    out: list[ScreeningDecision] = []
    unmatched: list[tuple[int, str]] = []
    seen: dict[tuple[str, str], tuple[int, tuple[str, str]]] = {}
    twins: dict[tuple[int, int, str, tuple[str, ...]], list[str]] = {}
    shared: list[int] = []
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = i + first
        if not any(str(v).strip() for v in rec.values()):
            continue  # an empty line: no article (read, so the rows below keep their numbers)
        where = f"{path.name} row {row}"
        votes, reasons, found = _parse_notes(rec["notes"], where)
        problems += found
        doc_id, why = match(rec)
        if doc_id is None:
            if votes:
                problems.append(f"{where}, field {match.field!r}: {why}")
            else:
                unmatched.append((row, rec["title"]))
            continue
        given_reasons = 0  # reviewers given the article's reasons for their exclusion
        for reviewer, said in votes:
            decision = RAYYAN_DECISIONS.get(said.lower())
            reason = ""
            if decision is None:
                problems.append(
                    f"{where}, field 'notes': {reviewer}'s decision {said!r} is not one of "
                    "Rayyan's (Included, Excluded, Maybe)"
                )
                continue
            if decision == "maybe":
                if maybe is None:
                    problems.append(
                        f"{where}, field 'notes': {reviewer} said Maybe at the full-text stage; "
                        "decide it in Rayyan, or say what a Maybe counts as (--maybe, or "
                        "parameter maybe: include or exclude)"
                    )
                    continue
                decision, reason = maybe, "Maybe in Rayyan"
            own = rayyan_log.reasons.get((reviewer, _article_id(rec))) if rayyan_log else None
            if decision == "exclude" and own:
                reason = "; ".join(own)
            elif decision == "exclude":
                reason = reasons or missing_reason or ""
                if not reason:
                    problems.append(
                        f"{where}, field 'notes': {reviewer} excluded {doc_id!r}, but the "
                        "export gives no RAYYAN-EXCLUSION-REASONS; give the reason to record "
                        "(--rayyan-reason, or parameter missing_reason)"
                    )
                    continue
            if (reviewer, doc_id) in seen:
                before, said_before = seen[(reviewer, doc_id)]
                dups = match.copies(doc_id, rec)
                if dups and said_before == (decision, reason):
                    twins.setdefault((before, row, doc_id, dups), []).append(reviewer)
                elif dups:  # two articles: the original and its reposted copy
                    said = [
                        f"{d}{f' ({r})' if r else ''} in row {w}"
                        for (d, r), w in ((said_before, before), ((decision, reason), row))
                    ]
                    problems.append(
                        f"{where}, field {match.field!r}: rows {before} and {row} are two "
                        f"articles with the title of {doc_id!r} ({doc_id!r} and its duplicate "
                        f"{', '.join(map(repr, dups))}, left out before screening), and "
                        f"{reviewer} decided them differently ({', '.join(said)}); delete "
                        "the duplicate in Rayyan "
                        "or decide both alike, or match by id (--rayyan-id)"
                    )
                else:
                    problems.append(
                        f"{where}, field {match.field!r}: {reviewer} already decided "
                        f"{doc_id!r} in row {before}"
                    )
                continue
            seen[(reviewer, doc_id)] = (row, (decision, reason))
            out.append(ScreeningDecision(doc_id, chosen, decision, reason, reviewer, where))
            given_reasons += (
                bool(reasons) and decision == "exclude" and not own and reason == reasons
            )
        if given_reasons > 1:
            shared.append(row)
    if problems:
        raise DataError(f"Rayyan export {path}: {len(problems):,} problem(s)", problems)
    decided = {d.doc_id for d in out}
    return RayyanImport(
        path=path,
        stage=chosen,
        decisions=tuple(out),
        reviewers=tuple(dict.fromkeys(d.reviewer for d in out)),
        matched_by=match.field,
        unmatched=tuple(unmatched),
        undecided=tuple(d.id for d in documents if d.id not in decided),
        shared_reasons=tuple(shared),
        log=rayyan_log,
        read_notes=(*read_notes, *(twin_note(path.name, k, v) for k, v in twins.items())),
    )


def _article_id(rec: dict) -> str:
    """Rayyan's article id from the export's ``key`` (``rayyan-14440`` → ``14440``)."""
    key = (rec.get("key") or "").strip()
    return key[len("rayyan-") :] if key.startswith("rayyan-") else ""


def _read_log(path: Path, frame, log) -> RayyanLog | None:
    """The customizations log asked for, or found beside the export."""
    if log is False:
        return None
    if log is None or log is True:
        log = path.with_name("customizations_log.csv")
        if not log.is_file():
            return None
    votes: dict[str, dict[str, str]] = defaultdict(dict)
    for rec in frame.to_dict(orient="records"):
        article = _article_id(rec)
        if not article:
            continue
        for reviewer, said in _parse_notes(rec["notes"], "")[0]:
            if said.lower() in RAYYAN_DECISIONS:
                votes[reviewer][article] = RAYYAN_DECISIONS[said.lower()]
    try:
        return read_rayyan_log(Path(log), dict(votes))
    except InputError as err:
        raise InputError(
            f"{err} (Rayyan's customizations_log.csv is read for each reviewer's own "
            "exclusion reasons; move it away, or pass log=False, to read the export alone)"
        ) from None


def _parse_notes(notes: str, where: str) -> tuple[list[tuple[str, str]], str, list[str]]:
    """``([(reviewer, Rayyan's decision), ...], reasons, problems)`` of one notes cell."""
    # an earlier screening's decisions left in as HTML paragraphs (rayyanR drops them too)
    notes = re.sub(r"<p>.*?</p>\s*", "", notes or "")
    # the notes the record carried when it was imported come first, Rayyan's after them
    first = _FIRST.search(notes)
    notes = notes[first.start() :] if first else ""
    entries: dict[str, list[str]] = defaultdict(list)
    found = list(_ENTRY.finditer(notes))
    for n, m in enumerate(found):
        # an entry ends where the next begins
        end = found[n + 1].start() if n + 1 < len(found) else len(notes)
        text = notes[m.end() : end].strip()
        if m.group(1) != "RAYYAN-INCLUSION":
            # RAYYAN-INCLUSION text inside the labels or reasons, not after a "|", is left
            # over from an earlier screening (rayyanR cuts it the same way)
            text = text.split("RAYYAN-INCLUSION", 1)[0].strip()
        entries[m.group(1)].append(text)
    reasons = "; ".join(
        r.strip() for text in entries["RAYYAN-EXCLUSION-REASONS"] for r in text.split(",")
        if r.strip()
    )  # fmt: skip
    inclusion = entries["RAYYAN-INCLUSION"]
    if not inclusion:
        return [], reasons, []
    if len(inclusion) > 1:
        return [], reasons, [
            f"{where}, field 'notes': {len(inclusion)} RAYYAN-INCLUSION entries; expected one"
        ]  # fmt: skip
    text = inclusion[0]
    if not (text.startswith("{") and text.endswith("}")):
        return [], reasons, [
            f"{where}, field 'notes': expected RAYYAN-INCLUSION: {{\"name\"=>\"Included\", ...}}, "
            f"got {text[:80]!r}"
        ]  # fmt: skip
    body, votes, at = text[1:-1].strip(), [], 0
    while at < len(body):
        pair = _PAIR.match(body, at)
        if pair is None:
            return [], reasons, [
                f"{where}, field 'notes': cannot read RAYYAN-INCLUSION {text[:80]!r} from "
                f"{body[at:at + 30]!r} on; expected \"name\"=>\"decision\" pairs"
            ]  # fmt: skip
        votes.append((pair.group(1).strip(), pair.group(2).strip()))
        at = pair.end()
    problems = [f"{where}, field 'notes': a decision without a reviewer's name" for who, _ in votes
                if not who]  # fmt: skip
    return [v for v in votes if v[0]], reasons, problems


def _title_key(title: str) -> str:
    """A title without spaces, punctuation, width or letter case differences."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


def twin_note(name: str, key: tuple, reviewers: list[str]) -> str:
    """The note on two Rayyan articles of one title, a document and its duplicate, whose
    reviewers decided both alike: counted once, for the original."""
    first, second, doc_id, dups = key
    return (
        f"{name}: rows {first} and {second} are two articles with the title of {doc_id!r} "
        f"({doc_id!r} and its duplicate {', '.join(map(repr, dups))}, left out before "
        f"screening); {', '.join(reviewers)} decided both alike, counted once for {doc_id!r}"
    )


class _Matcher:
    """Finds a row's document: by an id column, or by title (then year)."""

    def __init__(self, documents: Sequence, id_column: str | None, duplicates: Sequence) -> None:
        self.field = id_column or "title"
        self.ids = {d.id for d in documents}
        self.original = {x.doc_id: x.duplicate_of for x in duplicates}
        self.by_title: dict[str, list] = defaultdict(list)
        for d in documents:
            if d.title:
                self.by_title[_title_key(d.title)].append(d)

    def copies(self, doc_id: str, rec: dict) -> tuple[str, ...]:
        """The duplicates of ``doc_id`` sharing the title of ``rec`` (matched by title:
        an article of each is the original's and its reposted copy's)."""
        if self.field != "title":
            return ()
        same = self.by_title.get(_title_key(rec.get("title") or ""), [])
        return tuple(d.id for d in same if self.original.get(d.id) == doc_id)

    def __call__(self, rec: dict) -> tuple[str | None, str]:
        if self.field != "title":
            value = (rec.get(self.field) or "").strip()
            if value in self.ids:
                return value, ""
            return None, f"{value!r} is not a document of the project" + nearest_document(
                value, self.ids
            )
        title = rec.get("title") or ""
        candidates = self.by_title.get(_title_key(title), [])
        year = (rec.get("year") or "").strip()
        if len(candidates) > 1 and year:
            same_year = [d for d in candidates if d.date and str(d.date.year) == year]
            candidates = same_year or candidates
        if len(candidates) > 1:  # a reposted copy goes with its original
            ids = {d.id for d in candidates}
            candidates = [d for d in candidates if self.original.get(d.id) not in ids]
        if len(candidates) == 1:
            return candidates[0].id, ""
        if not candidates:
            return None, f"{title!r} matches no document's title in the project"
        ids = ", ".join(d.id for d in candidates)
        return None, (
            f"{title!r} matches {len(candidates)} documents ({ids}); add a column of the "
            "documents' ids to the export and match by it (--rayyan-id, or parameter "
            "id_column; Rayyan's key is its own id)"
        )
