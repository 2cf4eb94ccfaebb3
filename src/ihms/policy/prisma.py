"""PRISMA 2020 screening of a policy corpus: statuses, flow counts and the diagram.

Every document ends in one status:

``duplicate``       removed before screening (see :mod:`ihms.policy.dedupe`);
``excluded``        at the ``title`` stage (screening titles) or the ``fulltext`` stage
                    (eligibility), always with a reason;
``not_retrieved``   the file could not be read (encrypted PDF, corrupt docx, ...);
``included``        in the review.

Exclusions come from rules (:class:`ScreeningCriteria`: a date window, title patterns
such as policy interpretations and news reports, a minimum text length) and from
reviewers' decisions (CSV/XLSX sheets with ``id, stage, decision, reason``, read by
:mod:`ihms.policy.screening_sheets`), which take precedence. One researcher's sheet
simply overrides the rules; with two or more reviewers screening independently,
:mod:`ihms.policy.screening_reviewers` measures their agreement per stage and lists the
conflicts, which a third reviewer's resolutions or a settle rule must settle before
:func:`screen` finishes. :meth:`Screening.flow` gives the counts of the PRISMA 2020 flow
diagram, :func:`prisma_figure` draws it, :attr:`Screening.method` says how screening was
done (PRISMA 2020 item 8) and :meth:`Screening.record` is the screening record for a
paper's supplement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ihms._listing import first_of
from ihms._repr import SummaryHtml, brief_repr
from ihms._words import said, said_again
from ihms.errors import InputError
from ihms.policy._prisma_figure import prisma_figure
from ihms.policy._screening_notes import tables_notes, unused_notes
from ihms.policy.dedupe import Duplicate
from ihms.policy.screening_reviewers import (
    STAGE_NAMES,
    STAGES,
    Conflict,
    ScreeningDecision,
    ScreeningMethod,
    Settlement,
    UnresolvedConflicts,
    check_settle,
)
from ihms.policy.screening_sheets import read_screening_decisions
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.corpus import Document

__all__ = [
    "DEFAULT_TITLE_EXCLUSIONS",
    "Screening",
    "ScreeningCriteria",
    "ScreeningDecision",
    "UnresolvedConflicts",
    "prisma_figure",
    "read_screening_decisions",
    "screen",
]

#: Title patterns that mark records which are not policy documents (seed 000's
#: exclusion of media reports and policy interpretations).
DEFAULT_TITLE_EXCLUSIONS: tuple[tuple[str, str], ...] = (
    (r"解读|答记者问|问答|图解", "policy interpretation, not a policy document"),
    (r"新闻|报道|记者|进展|综述|^我[省市县区]", "media report, not a policy document"),
)


@dataclass(frozen=True)
class ScreeningCriteria:
    """Rules applied to every document that is not a duplicate.

    Parameters
    ----------
    date_from, date_to
        Eligible publication window (inclusive), checked at the full-text stage;
        documents without a date pass.
    title_exclusions
        ``(regex, reason)`` pairs checked against titles at the title stage.
    min_chars
        Documents with less cleaned text are excluded at the full-text stage.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    title_exclusions: tuple[tuple[str, str], ...] = DEFAULT_TITLE_EXCLUSIONS
    min_chars: int = 20

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError(f"date_from {self.date_from} is after date_to {self.date_to}")
        for pattern, _ in self.title_exclusions:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"title exclusion pattern {pattern!r} is invalid: {exc}") from None

    def verdict(self, doc: Document, stage: str) -> tuple[str, str]:
        """``("exclude", reason)`` when a rule of ``stage`` excludes ``doc``, else
        ``("include", "")``.

        Parameters
        ----------
        doc
            The document (title, date and text are read).
        stage
            ``"title"`` (title patterns) or ``"fulltext"`` (dates and length).
        """
        if stage == "title":
            for pattern, reason in self.title_exclusions:
                if doc.title and re.search(pattern, doc.title):
                    return "exclude", reason
            return "include", ""
        if self.date_from and doc.date and doc.date < self.date_from:
            return "exclude", said("en", "reason before", date=self.date_from.isoformat())
        if self.date_to and doc.date and doc.date > self.date_to:
            return "exclude", said("en", "reason after", date=self.date_to.isoformat())
        if len(doc.text or "") < self.min_chars:
            return "exclude", said("en", "reason length", n=self.min_chars)
        return "include", ""

    def describe(self) -> tuple[str, ...]:
        """The rules in words, for the methods section (in English, as the project keeps
        them; :func:`ihms._words.said_again` says them in Chinese)."""
        out = []
        if self.title_exclusions:
            out.append(said("en", "rule titles", n=len(self.title_exclusions)))
        if self.date_from and self.date_to:
            out.append(said("en", "rule dates", start=self.date_from, end=self.date_to))
        elif self.date_from:
            out.append(said("en", "rule from", start=self.date_from))
        elif self.date_to:
            out.append(said("en", "rule up to", end=self.date_to))
        out.append(said("en", "rule length", n=self.min_chars))
        return tuple(out)


@dataclass(frozen=True)
class DocumentStatus:
    """Where one document ended up."""

    doc_id: str
    status: str
    stage: str = ""
    reason: str = ""
    duplicate_of: str = ""
    source: str = ""
    title: str = ""
    settled_by: str = ""


@dataclass(frozen=True)
class Screening(SummaryHtml):
    """Screening results: one :class:`DocumentStatus` per document.

    :meth:`ihms.policy.project.Project.set_screening` stores all of it and
    :meth:`~ihms.policy.project.Project.screening` reads it back, so κ, the conflicts,
    the methods statement and the record come from the project file alone.

    Attributes
    ----------
    statuses
        One per document, in the order screened.
    notes
        What the screening says beside its counts: tables read, unused decisions, idle
        or alike reviewers, documents the date rules could not check.
    method
        How screening was done: reviewers, agreement per stage, who settled conflicts.
    reviews
        Each of a stage's reviewers' decision on each document that reached the stage
        (recorded, or the rules' verdict where the reviewer recorded none).
    settlements
        How each conflict was settled: by whom (a third reviewer or a rule) and to what.
    unused
        Recorded decisions whose document did not reach their stage (a duplicate, or
        excluded at the title stage), kept so that no reviewer's decision is lost.
    """

    statuses: tuple[DocumentStatus, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    method: ScreeningMethod = field(default_factory=lambda: ScreeningMethod(()))
    reviews: tuple[ScreeningDecision, ...] = ()
    settlements: tuple[Settlement, ...] = ()
    unused: tuple[ScreeningDecision, ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed every document's status
        statuses = Counter(s.status for s in self.statuses)
        return brief_repr(self, documents=len(self.statuses), **dict(sorted(statuses.items())))

    def status_of(self, doc_id: str) -> DocumentStatus:
        """Where document ``doc_id`` ended up.

        Parameters
        ----------
        doc_id
            A document id of the corpus screened; another is an :class:`InputError`.
        """
        for s in self.statuses:
            if s.doc_id == doc_id:
                return s
        raise InputError(f"no document {doc_id!r} in the screening")

    @property
    def included(self) -> list[str]:
        return [s.doc_id for s in self.statuses if s.status == "included"]

    def flow(self) -> dict:
        """Counts for the PRISMA 2020 flow diagram.

        ``excluded_title_reasons`` and ``excluded_fulltext_reasons`` count each reason
        a record was excluded for, as the diagram's "Reason 1 (n = ), Reason 2 (n = )"
        does: a reason holding several, separated by ``;`` (a Rayyan export's
        exclusion reasons, or a sheet's ``wrong type; outside the period``), counts
        under each, so the counts may add to more than the records excluded;
        ``excluded_title_several_reasons`` and ``excluded_fulltext_several_reasons``
        say how many records had several."""
        st = self.statuses
        by_source = Counter(s.source or "unspecified source" for s in st)
        excluded = {
            stage: [reasons_of(s.reason) for s in st if s.status == "excluded" and s.stage == stage]
            for stage in STAGES
        }
        title_ex = Counter(r for reasons in excluded["title"] for r in reasons)
        full_ex = Counter(r for reasons in excluded["fulltext"] for r in reasons)
        identified = len(st)
        duplicates = sum(s.status == "duplicate" for s in st)
        screened = identified - duplicates
        sought = screened - len(excluded["title"])
        not_retrieved = sum(s.status == "not_retrieved" for s in st)
        assessed = sought - not_retrieved
        return {
            "identified": identified,
            "identified_by_source": dict(sorted(by_source.items())),
            "duplicates": duplicates,
            "screened": screened,
            "excluded_title": len(excluded["title"]),
            "excluded_title_reasons": dict(title_ex.most_common()),
            "excluded_title_several_reasons": sum(len(r) > 1 for r in excluded["title"]),
            "sought": sought,
            "not_retrieved": not_retrieved,
            "assessed": assessed,
            "excluded_fulltext": len(excluded["fulltext"]),
            "excluded_fulltext_reasons": dict(full_ex.most_common()),
            "excluded_fulltext_several_reasons": sum(len(r) > 1 for r in excluded["fulltext"]),
            "included": sum(s.status == "included" for s in st),
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "id": s.doc_id,
                    "status": s.status,
                    "stage": s.stage,
                    "reason": s.reason,
                    "duplicate_of": s.duplicate_of,
                    "source": s.source,
                    "settled_by": s.settled_by,
                }
                for s in self.statuses
            ]
        )

    def summary(self, *, method: bool = True, lang: str = "en") -> SummaryTable:
        """The flow's counts by PRISMA 2020 step; with ``method`` the last note says how
        screening was done (:meth:`ScreeningMethod.statement`). ``lang="zh"``: the steps
        as the Chinese PRISMA 2020 statement names them and the rules' reasons in Chinese
        (a reviewer's own reason and the notes of the reading as they are).

        Parameters
        ----------
        method
            Add the statement of how screening was done as the last note.
        lang
            ``"en"`` or ``"zh"``.
        """
        f = self.flow()

        def reasons(stage: str) -> list[tuple[str, int]]:
            got = f[f"excluded_{stage}_reasons"].items()
            return [(f"  {said_again(lang, k)}", v) for k, v in got]

        rows = [(said(lang, "flow identified"), f["identified"])]
        rows += [
            (said(lang, "flow from", source=k), v) for k, v in f["identified_by_source"].items()
        ]
        rows += [
            (said(lang, "flow duplicates"), f["duplicates"]),
            (said(lang, "flow screened"), f["screened"]),
            (said(lang, "flow excluded title"), f["excluded_title"]),
            *reasons("title"),
        ]
        rows += [(said(lang, f"flow {k.replace('_', ' ')}"), f[k])
                 for k in ("sought", "not_retrieved", "assessed")]  # fmt: skip
        rows += [
            (said(lang, "flow excluded fulltext"), f["excluded_fulltext"]),
            *reasons("fulltext"),
        ]
        rows += [(said(lang, "flow included"), f["included"])]
        step = said(lang, "flow step")
        frame = pd.DataFrame(rows, columns=[step, "n"]).set_index(step)
        several = [
            said(lang, "several reasons", n=f[f"excluded_{stage}_several_reasons"],
                 what=said(lang, f"flow {what}"), name=said(lang, f"flow stage {stage}"))
            for stage, what in (("title", "record"), ("fulltext", "report"))
            if f[f"excluded_{stage}_several_reasons"]
        ]  # fmt: skip
        notes = (*self.notes, *several)
        return SummaryTable(
            frame,
            title=said(lang, "flow title"),
            notes=(*notes, self.method.statement(lang=lang)) if method else notes,
            lang=lang,
        )

    def conflicts(self) -> pd.DataFrame:
        """Every conflict between the reviewers and how it was settled: id, title,
        stage, each reviewer's decision and reason, then the ``decision``, ``reason``
        and ``resolved_by`` (a third reviewer or a rule) that settled it — the
        conflicts sheet filled in."""
        said: dict[tuple[str, str], list[ScreeningDecision]] = {}
        for r in self.reviews:
            said.setdefault((r.doc_id, r.stage), []).append(r)
        titles = {s.doc_id: s.title for s in self.statuses}
        rows = [
            Conflict(s.doc_id, titles.get(s.doc_id, ""), s.stage,
                     tuple(said.get((s.doc_id, s.stage), ()))).row(s)
            for s in self.settlements
        ]  # fmt: skip
        columns = ["id", "title", "stage"]
        columns += [
            f"{who}: {part}" for who in self.method.reviewers for part in ("decision", "reason")
        ]
        # a reviewer of the other stage only has no decision on a conflict of this one
        frame = pd.DataFrame(rows, columns=[*columns, "decision", "reason", "resolved_by"])
        return frame.fillna("")

    def record(self) -> pd.DataFrame:
        """The screening record for a paper's supplement: every document, each
        reviewer's decision and reason at each stage it reached (``"include (rules)"``
        where the reviewer recorded nothing and the rules decided), the final status,
        stage and reason, who settled a conflict, and the duplicate's original."""
        cells: dict[str, dict[str, str]] = {}
        for r in self.reviews:
            row = cells.setdefault(r.doc_id, {})
            name = f"{r.reviewer or 'reviewer'}: {STAGE_NAMES[r.stage]}"
            row[name] = r.decision if r.recorded else f"{r.decision} (rules)"
            row[f"{name} reason"] = r.reason
        columns = [
            f"{who or 'reviewer'}: {STAGE_NAMES[stage]}{part}"
            for who in self.method.reviewers
            for stage in STAGES
            for part in ("", " reason")
        ]
        rows = [
            {"id": s.doc_id, "title": s.title, "source": s.source}
            | {c: cells.get(s.doc_id, {}).get(c, "") for c in columns}
            | {
                "status": s.status,
                "stage": s.stage,
                "reason": s.reason,
                "settled_by": s.settled_by,
                "duplicate_of": s.duplicate_of,
            }
            for s in self.statuses
        ]
        return pd.DataFrame(rows)


def reasons_of(reason: str) -> tuple[str, ...]:
    """The reasons one exclusion holds: ``"wrong population; foreign language"`` is two
    (``;`` or the full-width ``；`` separates them; a comma does not, as Chinese reasons
    such as ``政策解读，非政策文件`` use one inside a single reason)."""
    parts = tuple(dict.fromkeys(p.strip() for p in re.split(r"[;；]", reason or "") if p.strip()))
    return parts or (reason,)


def screen(
    documents: Sequence,
    *,
    duplicates: Sequence[Duplicate] = (),
    failures: Sequence = (),
    criteria: ScreeningCriteria | None = None,
    decisions: Sequence[ScreeningDecision] = (),
    resolutions: Sequence[ScreeningDecision] = (),
    settle: Mapping[str, str] | None = None,
    stage_reviewers: Mapping[str, Sequence[str]] | None = None,
) -> Screening:
    """Give every document its PRISMA status.

    Parameters
    ----------
    documents
        Objects with ``id``, ``title``, ``date``, ``text`` and ``source``.
    duplicates
        From :func:`ihms.policy.dedupe.find_duplicates`.
    failures
        Files that could not be read (objects with ``file`` and ``message``): status
        ``not_retrieved``.
    criteria
        Rules; default :class:`ScreeningCriteria()`.
    decisions
        Reviewers' decisions (each names its ``reviewer``); at each stage they override
        the rules, and a stage's reviewer who recorded nothing about a document takes
        the rules' verdict. With two or more reviewers at a stage, documents they differ
        on are conflicts.
    resolutions
        A third reviewer's decisions on conflicts (``reviewer`` is who resolved them);
        a resolution of something the reviewers agreed on is an error.
    settle
        ``{stage: rule}`` for conflicts without a resolution; the rule
        ``"include-if-any"`` lets a document any reviewer included go on (common at
        the title stage).
    stage_reviewers
        ``{stage: [reviewer, ...]}``: who screened each stage (``{"title": ["alice",
        "bob"], "fulltext": ["carol", "dan"]}``); only they count there, in the
        agreement, the conflicts and the methods statement. A stage not named has the
        reviewers who recorded a decision at it. Default: every reviewer counts at both
        stages (a sheet that lists only exclusions leaves the rest to the rules).

    Raises
    ------
    UnresolvedConflicts
        Reviewers disagree on documents that neither a resolution nor a settle rule
        decides; ``.conflicts`` lists them and ``.to_frame()`` is the sheet for a third
        reviewer.
    DataError
        Every unusable decision or resolution at once, each named by its ``source``: an
        id not in ``documents``, a stage other than ``"title"``/``"fulltext"``, a
        decision other than ``"include"``/``"exclude"``, an exclusion without a reason,
        one reviewer deciding a document twice at one stage, two resolutions of one
        conflict, a resolver named like a settle rule; with ``stage_reviewers``, a
        reviewer named who decided nothing and a decision recorded at a stage by someone
        not named for it.
    """
    from ihms.policy._screening_pass import check_decisions, idle_reviewer_notes, run_pass
    from ihms.policy._screening_stages import (
        alike_reviewer_notes,
        stage_reviewers_of,
        unnamed_stage_notes,
    )

    criteria = criteria or ScreeningCriteria()
    settle = check_settle(settle)
    dup = {d.doc_id: d for d in duplicates}
    check_decisions(decisions, resolutions, {d.id for d in documents})
    by_stage = stage_reviewers_of(decisions, stage_reviewers)
    screened = [d for d in documents if d.id not in dup]
    done = run_pass(
        screened, criteria.verdict, decisions, resolutions, settle, criteria.describe(), by_stage
    )
    if done.unresolved:
        raise UnresolvedConflicts(done.unresolved, done.method.reviewers)
    out: list[DocumentStatus] = []
    for d in documents:
        source = getattr(d, "source", None) or ""
        if d.id in dup:
            x = dup[d.id]
            reason = f"{x.criterion}: {x.detail}"
            out.append(
                DocumentStatus(d.id, "duplicate", "", reason, x.duplicate_of, source, d.title or "")
            )
            continue
        o = done.outcomes[d.id]
        out.append(
            DocumentStatus(
                d.id, o.status, o.stage, o.reason, "", source, d.title or "", o.settled_by
            )
        )
    for f in failures:
        out.append(DocumentStatus(f.file, "not_retrieved", "retrieval", f.message, "", ""))
    notes = tables_notes(documents, {s.doc_id for s in out if s.status == "included"})
    notes += unused_notes(done.unused, dup)
    notes += idle_reviewer_notes(done.reviews, named=stage_reviewers is not None)
    notes += unnamed_stage_notes(decisions, stage_reviewers, by_stage)
    notes += alike_reviewer_notes(decisions)
    if criteria.date_from or criteria.date_to:
        included = {s.doc_id for s in out if s.status == "included"}
        undated = [d.id for d in documents if d.id in included and not d.date]
        if undated:
            notes.append(
                f"{len(undated)} included document(s) have no date, so the date window was not "
                f"applied to them: {first_of(undated)} (give their 发布日期 in the metadata sheet, or "
                "exclude them with a screening decision)"
            )
    return Screening(
        tuple(out), tuple(notes), done.method, done.reviews, done.settlements, done.unused
    )
