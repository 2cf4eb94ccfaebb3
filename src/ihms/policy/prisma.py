"""PRISMA 2020 screening of a policy corpus: statuses, flow counts and the diagram.

Every document ends in one status:

``duplicate``       removed before screening (see :mod:`ihms.policy.dedupe`);
``excluded``        at the ``title`` stage (screening titles) or the ``fulltext`` stage
                    (eligibility), always with a reason;
``not_retrieved``   the file could not be read (encrypted PDF, corrupt docx, ...);
``included``        in the review.

Exclusions come from rules (:class:`ScreeningCriteria`: a date window, title patterns
such as policy interpretations and news reports, a minimum text length) and from the
researcher's own decisions (a CSV/XLSX with ``id, stage, decision, reason``), which
take precedence. :meth:`Screening.flow` gives the counts of the PRISMA 2020 flow
diagram and :func:`prisma_figure` draws it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ihms._repr import brief_repr
from ihms.errors import DataError, InputError
from ihms.policy.dedupe import Duplicate
from ihms.summary import SummaryTable

__all__ = [
    "DEFAULT_TITLE_EXCLUSIONS",
    "Screening",
    "ScreeningCriteria",
    "ScreeningDecision",
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
STAGES = ("title", "fulltext")


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


@dataclass(frozen=True)
class ScreeningDecision:
    """A researcher's decision about one document."""

    doc_id: str
    stage: str
    decision: str
    reason: str = ""


@dataclass(frozen=True)
class DocumentStatus:
    """Where one document ended up."""

    doc_id: str
    status: str
    stage: str = ""
    reason: str = ""
    duplicate_of: str = ""
    source: str = ""


@dataclass(frozen=True)
class Screening:
    """Screening results: one :class:`DocumentStatus` per document."""

    statuses: tuple[DocumentStatus, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        # the generated repr printed every document's status
        statuses = Counter(s.status for s in self.statuses)
        return brief_repr(self, documents=len(self.statuses), **dict(sorted(statuses.items())))

    def status_of(self, doc_id: str) -> DocumentStatus:
        for s in self.statuses:
            if s.doc_id == doc_id:
                return s
        raise InputError(f"no document {doc_id!r} in the screening")

    @property
    def included(self) -> list[str]:
        return [s.doc_id for s in self.statuses if s.status == "included"]

    def flow(self) -> dict:
        """Counts for the PRISMA 2020 flow diagram."""
        st = self.statuses
        by_source = Counter(s.source or "unspecified source" for s in st)
        title_ex = Counter(s.reason for s in st if s.status == "excluded" and s.stage == "title")
        full_ex = Counter(s.reason for s in st if s.status == "excluded" and s.stage == "fulltext")
        identified = len(st)
        duplicates = sum(s.status == "duplicate" for s in st)
        screened = identified - duplicates
        sought = screened - sum(title_ex.values())
        not_retrieved = sum(s.status == "not_retrieved" for s in st)
        assessed = sought - not_retrieved
        return {
            "identified": identified,
            "identified_by_source": dict(sorted(by_source.items())),
            "duplicates": duplicates,
            "screened": screened,
            "excluded_title": sum(title_ex.values()),
            "excluded_title_reasons": dict(title_ex.most_common()),
            "sought": sought,
            "not_retrieved": not_retrieved,
            "assessed": assessed,
            "excluded_fulltext": sum(full_ex.values()),
            "excluded_fulltext_reasons": dict(full_ex.most_common()),
            "included": sum(s.status == "included" for s in st),
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "id": s.doc_id,
                    "status": s.status,
                    "stage": s.stage,
                    "reason": s.reason,
                    "duplicate_of": s.duplicate_of,
                    "source": s.source,
                }
                for s in self.statuses
            ]
        )

    def summary(self) -> SummaryTable:
        import pandas as pd

        f = self.flow()
        rows = [("Records identified", f["identified"])]
        rows += [(f"  from {k}", v) for k, v in f["identified_by_source"].items()]
        rows += [
            ("Duplicate records removed", f["duplicates"]),
            ("Records screened", f["screened"]),
        ]
        rows += [("Records excluded (title screening)", f["excluded_title"])]
        rows += [(f"  {k}", v) for k, v in f["excluded_title_reasons"].items()]
        rows += [("Reports sought for retrieval", f["sought"])]
        rows += [("Reports not retrieved", f["not_retrieved"])]
        rows += [("Reports assessed for eligibility", f["assessed"])]
        rows += [("Reports excluded (full text)", f["excluded_fulltext"])]
        rows += [(f"  {k}", v) for k, v in f["excluded_fulltext_reasons"].items()]
        rows += [("Documents included", f["included"])]
        frame = pd.DataFrame(rows, columns=["PRISMA 2020 step", "n"]).set_index("PRISMA 2020 step")
        return SummaryTable(frame, title="PRISMA 2020 flow of the policy corpus", notes=self.notes)


def read_screening_decisions(
    path: str | Path, *, known_ids: Sequence[str] = ()
) -> list[ScreeningDecision]:
    """Read a decisions sheet (CSV or XLSX) with columns ``id``, ``stage``
    (``title``/``fulltext``), ``decision`` (``include``/``exclude``) and ``reason``
    (required to exclude). Chinese headers 编号/阶段/决定/理由 and values 纳入/排除 work too.

    Raises
    ------
    DataError
        Every bad row: unknown id (when ``known_ids`` is given), bad stage or decision,
        exclusion without a reason, the same document decided twice at one stage.
    """
    from ihms.policy.sheet import read_table_file

    path = Path(path)
    frame = read_table_file(path, expected="id, stage, decision, reason")
    rename = {"编号": "id", "阶段": "stage", "决定": "decision", "理由": "reason", "原因": "reason"}
    frame = frame.rename(columns={c: rename.get(c, c.lower()) for c in frame.columns})
    problems = []
    missing = [c for c in ("id", "decision") if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name}: missing column(s) {missing}; got {list(frame.columns)}")
    values = {"include": "include", "纳入": "include", "exclude": "exclude", "排除": "exclude"}
    stages = {
        "title": "title",
        "标题": "title",
        "初筛": "title",
        "fulltext": "fulltext",
        "全文": "fulltext",
    }
    known = set(known_ids)
    out: list[ScreeningDecision] = []
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(frame.to_dict(orient="records")):
        row = i + 2
        doc_id = str(rec.get("id", "")).strip()
        stage = stages.get(str(rec.get("stage", "") or "title").strip().lower())
        decision = values.get(str(rec.get("decision", "")).strip().lower())
        reason = str(rec.get("reason", "") or "").strip()
        where = f"{path.name} row {row}"
        if not doc_id:
            problems.append(f"{where}: 'id' is empty")
            continue
        if known and doc_id not in known:
            problems.append(f"{where}: id {doc_id!r} is not a document of the corpus")
        if stage is None:
            problems.append(
                f"{where}: stage must be 'title' or 'fulltext', got {rec.get('stage')!r}"
            )
        if decision is None:
            problems.append(
                f"{where}: decision must be 'include' or 'exclude', got {rec.get('decision')!r}"
            )
        if decision == "exclude" and not reason:
            problems.append(f"{where}: excluding {doc_id!r} needs a reason")
        if stage and (doc_id, stage) in seen:
            problems.append(
                f"{where}: {doc_id!r} was already decided at the {stage} stage in row {seen[(doc_id, stage)]}"
            )
        if stage:
            seen[(doc_id, stage)] = row
        if stage and decision:
            out.append(ScreeningDecision(doc_id, stage, decision, reason))
    if problems:
        raise DataError(f"screening decisions {path}: {len(problems):,} problem(s)", problems)
    return out


def screen(
    documents: Sequence,
    *,
    duplicates: Sequence[Duplicate] = (),
    failures: Sequence = (),
    criteria: ScreeningCriteria | None = None,
    decisions: Sequence[ScreeningDecision] = (),
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
        The researcher's decisions; they override the rules at their stage.
    """
    criteria = criteria or ScreeningCriteria()
    dup = {d.doc_id: d for d in duplicates}
    manual = {(d.doc_id, d.stage): d for d in decisions}
    ids = {d.id for d in documents}
    unknown = sorted({d.doc_id for d in decisions} - ids)
    if unknown:
        raise DataError(
            "screening decisions name unknown documents", [f"id {u!r}" for u in unknown]
        )
    out: list[DocumentStatus] = []
    for d in documents:
        source = getattr(d, "source", None) or ""
        if d.id in dup:
            x = dup[d.id]
            reason = f"{x.criterion}: {x.detail}"
            out.append(DocumentStatus(d.id, "duplicate", "", reason, x.duplicate_of, source))
            continue
        status = _decide(d, criteria, manual)
        out.append(DocumentStatus(d.id, status[0], status[1], status[2], "", source))
    for f in failures:
        out.append(DocumentStatus(f.file, "not_retrieved", "retrieval", f.message, "", ""))
    notes = _tables_notes(documents, {s.doc_id for s in out if s.status == "included"})
    if criteria.date_from or criteria.date_to:
        included = {s.doc_id for s in out if s.status == "included"}
        undated = [d.id for d in documents if d.id in included and not d.date]
        if undated:
            shown = ", ".join(undated[:10]) + (
                f" and {len(undated) - 10} more" if len(undated) > 10 else ""
            )
            notes.append(
                f"{len(undated)} included document(s) have no date, so the date window was not "
                f"applied to them: {shown} (give their 发布日期 in the metadata sheet, or "
                "exclude them with a screening decision)"
            )
    return Screening(tuple(out), tuple(notes))


def _tables_notes(documents: Sequence, included: set[str]) -> list[str]:
    """Say which included documents were coded with their tables' rows: the default
    reading (seed 000's) leaves tables out, so a methods section must say so."""
    from ihms.policy._reading import table_reading

    read = [(d.id, r) for d in documents if d.id in included
            for r in [table_reading(d)] if r is not None and r.mode == "rows"]  # fmt: skip
    if not read:
        return []
    shown = ", ".join(i for i, _ in read[:10]) + (
        f" and {len(read) - 10} more" if len(read) > 10 else ""
    )
    return [
        f"{len(read)} included document(s) were imported with their tables read, one "
        f"paragraph per row ({sum(r.rows for _, r in read)} rows): {shown}; tables are "
        "left out by default, so say in the methods that table rows were coded"
    ]


def _decide(d, criteria: ScreeningCriteria, manual: dict) -> tuple[str, str, str]:
    for stage in STAGES:
        m = manual.get((d.id, stage))
        if m is not None:
            if m.decision == "exclude":
                return "excluded", stage, m.reason
            continue
        if stage == "title":
            for pattern, reason in criteria.title_exclusions:
                if d.title and re.search(pattern, d.title):
                    return "excluded", "title", reason
        else:
            if criteria.date_from and d.date and d.date < criteria.date_from:
                return "excluded", "fulltext", f"published before {criteria.date_from.isoformat()}"
            if criteria.date_to and d.date and d.date > criteria.date_to:
                return "excluded", "fulltext", f"published after {criteria.date_to.isoformat()}"
            if len(d.text or "") < criteria.min_chars:
                return "excluded", "fulltext", f"fewer than {criteria.min_chars} characters of text"
    return "included", "", ""


def prisma_figure(screening: Screening, *, title: str = "PRISMA 2020 flow diagram"):
    """Draw the PRISMA 2020 flow diagram (identification → screening → included).

    Returns a matplotlib Figure; labels are English, reasons as recorded.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ihms.policy.fonts import use_cjk_font

    use_cjk_font()
    f = screening.flow()
    fig, ax = plt.subplots(figsize=(10, 9.5))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")

    def box(x, y, w, h, text):
        ax.add_patch(plt.Rectangle((x, y), w, h, fill=False, linewidth=1.2))
        ax.text(x + 0.15, y + h / 2, text, va="center", ha="left", fontsize=8.5, wrap=True)

    def arrow(x1, y1, x2, y2):
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops={"arrowstyle": "->", "lw": 1.1})

    sources = "\n".join(f"  {k} (n = {v})" for k, v in f["identified_by_source"].items())
    n_src = len(f["identified_by_source"])
    box(
        0.6,
        9.7 - (0.5 + 0.2 * n_src),
        4.4,
        0.5 + 0.2 * n_src,
        f"Records identified from:\n{sources}\nTotal (n = {f['identified']})",
    )
    box(
        5.6,
        8.4,
        4.1,
        0.9,
        f"Records removed before screening:\n  duplicate records (n = {f['duplicates']})",
    )
    box(0.6, 6.4, 4.4, 0.8, f"Records screened\n(n = {f['screened']})")
    reasons_t = "\n".join(f"  {k} (n = {v})" for k, v in f["excluded_title_reasons"].items())
    box(5.6, 6.1, 4.1, 1.4, f"Records excluded (n = {f['excluded_title']})\n{reasons_t}")
    box(0.6, 4.8, 4.4, 0.8, f"Reports sought for retrieval\n(n = {f['sought']})")
    box(5.6, 4.8, 4.1, 0.8, f"Reports not retrieved\n(n = {f['not_retrieved']})")
    box(0.6, 3.2, 4.4, 0.8, f"Reports assessed for eligibility\n(n = {f['assessed']})")
    reasons_f = "\n".join(f"  {k} (n = {v})" for k, v in f["excluded_fulltext_reasons"].items())
    box(5.6, 2.9, 4.1, 1.4, f"Reports excluded (n = {f['excluded_fulltext']})\n{reasons_f}")
    box(0.6, 1.0, 4.4, 0.9, f"Documents included in the review\n(n = {f['included']})")
    arrow(2.8, 9.7 - (0.5 + 0.2 * n_src), 2.8, 7.2)
    arrow(5.0, 8.8, 5.6, 8.8)
    arrow(2.8, 6.4, 2.8, 5.6)
    arrow(5.0, 6.8, 5.6, 6.8)
    arrow(2.8, 4.8, 2.8, 4.0)
    arrow(5.0, 5.2, 5.6, 5.2)
    arrow(5.0, 3.6, 5.6, 3.6)
    arrow(2.8, 3.2, 2.8, 1.9)
    for y, label in ((8.8, "Identification"), (5.2, "Screening"), (1.45, "Included")):
        ax.text(0.25, y, label, rotation=90, va="center", ha="center", fontsize=9, weight="bold")
    ax.set_title(title, fontsize=11)
    return fig
