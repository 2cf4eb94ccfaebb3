"""Independent screening by two or more reviewers: agreement, conflicts and how they were
settled (PRISMA 2020 checklist item 8).

Systematic reviews screen every record with two reviewers working independently
(PRISMA 2020, the Cochrane Handbook; Covidence and Rayyan work this way). Each reviewer's
decisions are :class:`ScreeningDecision` rows carrying the reviewer's name. At each
stage a reviewer of that stage who recorded nothing about a document takes the rules'
verdict (see :class:`ihms.policy.prisma.ScreeningCriteria`), so a file that lists only
exclusions works as it always has; each stage's reviewers are named or inferred in
:mod:`ihms.policy._screening_stages`.

Where reviewers differ the document is a :class:`Conflict`. It is settled by a third
reviewer's resolution (a decisions sheet with ``resolved_by``) or by a rule the user
names (:data:`SETTLE_RULES`); until then :func:`ihms.policy.prisma.screen` raises
:class:`UnresolvedConflicts`. :class:`ScreeningMethod` states how screening was done:
the reviewers, percent agreement, Cohen's κ (two reviewers) or Fleiss' κ (three or
more), Gwet's AC1 and PABAK per stage (:mod:`ihms.policy.screening_agreement`, with its
note on the kappa paradox), and who settled the conflicts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy.screening_agreement import (
    DECISIONS,
    STAGE_NAMES,
    StageAgreement,
    kappa_paradox,
    stage_agreement,
    stage_name,
)
from ihms.summary import SummaryTable

__all__ = [
    "DECISIONS",
    "SETTLE_RULES",
    "STAGES",
    "Conflict",
    "ScreeningDecision",
    "ScreeningMethod",
    "Settlement",
    "StageAgreement",
    "UnresolvedConflicts",
    "check_settle",
    "kappa_paradox",
    "nearest_document",
    "stage_agreement",
]

STAGES = ("title", "fulltext")

#: How conflicts may be settled without a third reviewer. ``include-if-any``: a document
#: any reviewer includes goes on to the next stage. It is common practice at the title
#: stage, where a wrong exclusion loses a document for good while a wrong inclusion only
#: costs a full-text reading.
SETTLE_RULES = ("include-if-any",)


def nearest_document(doc_id: str, ids: Sequence[str] | set[str]) -> str:
    """`` — did you mean 'Y01'?`` for an id that is not a document of ``ids``: one written
    alike but for width or case, else the nearest listed ids as ``system check`` and
    ``data check`` name them (:func:`ihms._listing.nearest_listed`); "" when none is
    near.

    Examples
    --------
    >>> nearest_document("Y1", ["Y01", "Y02", "Y03"]), nearest_document("Ｙ01", ["Y01"])
    (" — did you mean 'Y01'?", " — did you mean 'Y01'?")
    >>> nearest_document("Q7", ["Y01", "Y02"])
    ''
    """
    from ihms._listing import nearest_listed
    from ihms.errors import did_you_mean

    listed = list(ids)
    return did_you_mean(doc_id, listed, similar=False) or nearest_listed(doc_id, listed)


@dataclass(frozen=True)
class ScreeningDecision:
    """One reviewer's decision about one document at one stage.

    ``reviewer`` is empty for a single researcher's file; ``source`` says where the
    decision came from (``"alice.csv row 4"``, or ``"rules"`` when the reviewer recorded
    nothing and the rules' verdict stands for them).
    """

    doc_id: str
    stage: str
    decision: str
    reason: str = ""
    reviewer: str = ""
    source: str = ""

    @property
    def recorded(self) -> bool:
        return self.source != "rules"


@dataclass(frozen=True)
class Settlement:
    """How one conflict was settled: ``settled_by`` is the third reviewer who resolved
    it (``source`` their sheet's row) or a rule of :data:`SETTLE_RULES` (``source``
    ``"rule"``); ``decision`` and ``reason`` are what stands."""

    doc_id: str
    stage: str
    decision: str
    reason: str
    settled_by: str
    source: str = ""

    @property
    def by_rule(self) -> bool:
        return self.settled_by in SETTLE_RULES


@dataclass(frozen=True)
class Conflict:
    """Reviewers who differ about one document at one stage."""

    doc_id: str
    title: str
    stage: str
    decisions: tuple[ScreeningDecision, ...]

    def row(self, settlement: Settlement | None = None) -> dict[str, str]:
        """One row of the conflicts sheet: empty columns for the third reviewer, or
        filled in with how ``settlement`` settled it.

        Parameters
        ----------
        settlement
            The third reviewer's settlement; None leaves ``decision``, ``reason`` and
            ``resolved_by`` empty.

        Returns
        -------
        dict of str to str
            ``id``, ``title``, ``stage``, ``<reviewer>: decision`` and ``<reviewer>:
            reason`` per reviewer (a rules' verdict marked ``(rules)``), then
            ``decision``, ``reason``, ``resolved_by``.
        """
        out = {"id": self.doc_id, "title": self.title, "stage": self.stage}
        for d in self.decisions:
            said = d.decision if d.recorded else f"{d.decision} (rules)"
            out[f"{d.reviewer}: decision"] = said
            out[f"{d.reviewer}: reason"] = d.reason
        if settlement is None:
            return out | {"decision": "", "reason": "", "resolved_by": ""}
        s = settlement
        return out | {"decision": s.decision, "reason": s.reason, "resolved_by": s.settled_by}


class UnresolvedConflicts(InputError):
    """Screening cannot finish: reviewers disagree and nobody has settled it.

    ``conflicts`` holds every unresolved :class:`Conflict`; :meth:`to_frame` is the
    sheet a third reviewer fills in (the same sheet reads back as resolutions).
    """

    def __init__(self, conflicts: Sequence[Conflict], reviewers: Sequence[str]) -> None:
        self.conflicts = tuple(conflicts)
        by_stage = Counter(c.stage for c in self.conflicts)
        stages = ", ".join(f"{STAGE_NAMES[s]} {by_stage[s]}" for s in STAGES if by_stage[s])
        super().__init__(
            f"screening cannot finish: {len(self.conflicts)} conflict(s) between reviewers "
            f"{_names(reviewers)} are unresolved ({stages}). Have a third reviewer decide them "
            "(a resolutions sheet: id, stage, decision, reason, resolved_by — the conflicts "
            "sheet with its last columns filled in), or settle them by a rule: "
            f"{', '.join(SETTLE_RULES)} (common at the title stage)"
        )

    def to_frame(self) -> pd.DataFrame:
        """The conflicts sheet: a row per conflict; a reviewer of the other stage only
        leaves their columns empty ("", as :meth:`Screening.conflicts`), not NaN."""
        return pd.DataFrame([c.row() for c in self.conflicts]).fillna("")


@dataclass(frozen=True)
class ScreeningMethod(SummaryHtml):
    """How screening was done, for the methods section (PRISMA 2020 item 8).

    ``reviewers`` is everyone who screened; ``by_stage`` holds ``(stage, reviewers)``
    for each stage (empty: every reviewer at both stages)."""

    reviewers: tuple[str, ...]
    stages: tuple[StageAgreement, ...] = ()
    rules: tuple[str, ...] = ()
    by_stage: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def reviewers_at(self, stage: str) -> tuple[str, ...]:
        """The reviewers who count at ``stage``.

        Parameters
        ----------
        stage
            ``"title"`` or ``"fulltext"``; a stage without its own list gets every
            reviewer.
        """
        return dict(self.by_stage).get(stage, self.reviewers)

    @property
    def per_stage(self) -> bool:
        """Whether the two stages had different reviewers."""
        return len({frozenset(self.reviewers_at(s)) for s in STAGES}) > 1

    def __repr__(self) -> str:
        return brief_repr(self, reviewers=len(self.reviewers), stages=len(self.stages))

    def statement(self, *, lang: str = "en") -> str:
        """Sentences stating who screened, how independently, the agreement per stage,
        who settled the conflicts and which rules were automatic; ``lang="zh"`` says
        them in Chinese (Cohen's κ, and the 一致率 and PABAK of :data:`ihms._words.TERMS`,
        PABAK named at its first figure), the rules' own descriptions as they are written.

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``; another is an :class:`~ihms.errors.InputError`.
        """
        from ihms._words import said, said_again

        check_lang(lang)
        n = len(self.reviewers)
        if self.per_stage:
            title, full = (_who(self.reviewers_at(s), lang) for s in STAGES)
            out = [said(lang, "screened per stage", title=title, full=full)]
        elif n >= 2:
            out = [said(lang, "screened by reviewers", n=n, names=_names(self.reviewers, lang))]
        elif n == 1 and self.reviewers[0]:
            out = [said(lang, "screened by one named", name=self.reviewers[0])]
        else:
            out = [said(lang, "screened by one" if n == 1 else "screened by rules")]
        pabak_named = False
        for a in self.stages:
            stage = stage_name(a.stage, lang)
            if not a.n_documents:
                out.append(said(lang, "no document reached", stage=stage))
                continue
            if not a.n_recorded:
                # the rules' verdicts agree with themselves: no agreement of people to report
                out.append(said(lang, "stage by rules", stage=stage.capitalize(), n=a.n_documents))
                continue
            statistic = said(lang, a.statistic)
            if math.isnan(a.kappa):
                k = said(lang, "kappa undefined", statistic=statistic)
            else:
                k = f"{statistic} {a.kappa:.2f}"
            k += said(lang, "and AC1", ac1=a.ac1)
            if not math.isnan(a.pabak):
                k += said(lang, "and PABAK" if pabak_named else "and PABAK first", pabak=a.pabak)
                pabak_named = True
            total = a.n_documents * len(a.reviewers)
            # a reviewer who recorded nothing took the rules' verdict: say how often
            by_rules = (
                said(lang, "left to rules", left=total - a.n_recorded, total=total)
                if a.n_recorded < total
                else ""
            )
            line = said(
                lang, "stage agreement", stage=stage.capitalize(), n=a.n_documents,
                by_rules=by_rules, pct=a.percent_agreement, k=k, conflicts=a.conflicts,
            )  # fmt: skip
            if a.settled:
                line += said(lang, "settled by", who=_settled_by(a, lang))
            out.append(line + said(lang, "end"))
            if a.dominant:
                out.append(a.paradox_note(lang))
        if self.rules:
            rules = said(lang, "rules list").join(said_again(lang, r) for r in self.rules)
            out.append(said(lang, "rules applied", rules=rules))
        return said(lang, "sentences").join(out)

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """Agreement per stage: documents, decisions recorded (the rest are the rules'),
        percent agreement, κ, AC1, PABAK, conflicts and who settled them; the notes are
        the stages' kappa-paradox caveats. The sentences of :meth:`statement` (which
        hold those notes too) go with the PRISMA flow (:meth:`Screening.summary`).
        ``lang="zh"`` gives the title, the stages, the headers and the notes in Chinese
        (独立筛选的一致性, :data:`ihms._words.TERMS`' 一致率 %).

        Parameters
        ----------
        lang
            ``"en"`` or ``"zh"``; another is an :class:`~ihms.errors.InputError`.
        """
        from ihms._words import said

        check_lang(lang)
        # a stage only the rules decided has no reviewers' agreement to show
        agree = said(lang, "column agreement")
        rows = [
            {
                said(lang, "column stage"): stage_name(a.stage, lang),
                said(lang, "column documents"): a.n_documents,
                said(lang, "column recorded"): a.n_recorded,
                agree: a.percent_agreement if a.n_recorded else math.nan,
                "kappa": a.kappa if a.n_recorded else math.nan,
                "AC1": a.ac1 if a.n_recorded else math.nan,
                "PABAK": a.pabak if a.n_recorded else math.nan,
                said(lang, "column conflicts"): a.conflicts,
                said(lang, "column settled"): said(lang, "list").join(
                    said(lang, "settled n", who=w, n=k) for w, k in a.settled
                ),
            }
            for a in self.stages
        ]
        frame = pd.DataFrame(rows).set_index(said(lang, "column stage")) if rows else pd.DataFrame()
        if lang == "zh":  # the statistic named in the title, as the coders' table does
            frame = frame.rename(columns={"kappa": "κ"})
        statistic = said(lang, "list").join(
            dict.fromkeys(said(lang, a.statistic) for a in self.stages)
        ) or ("κ" if lang == "zh" else "kappa")
        who = said(lang, "n reviewers", n=len(self.reviewers))
        if self.per_stage:
            who = said(lang, "stage list").join(
                said(lang, "stage reviewers", stage=stage_name(s, lang),
                     names=_names(self.reviewers_at(s), lang))
                for s in STAGES
                if self.reviewers_at(s)
            )  # fmt: skip
        three = "{:.3f}".format
        return SummaryTable(
            frame,
            title=said(lang, "screening title", who=who, statistic=statistic),
            formats={
                agree: "{:.1f}".format,
                "kappa": three,
                "κ": three,
                "AC1": three,
                "PABAK": three,
            },
            notes=tuple(a.paradox_note(lang) for a in self.stages if a.dominant and a.n_recorded),
            lang=lang,
        )


def check_settle(settle: Mapping[str, str] | None) -> dict[str, str]:
    """Validate ``{stage: rule}`` (rules from :data:`SETTLE_RULES`)."""
    out = dict(settle or {})
    for stage, rule in out.items():
        if stage not in STAGES:
            raise InputError(
                f"parameter 'settle': stage must be one of {', '.join(STAGES)}, got {stage!r}"
            )
        if rule not in SETTLE_RULES:
            raise InputError(
                f"parameter 'settle': rule for the {stage} stage must be one of "
                f"{', '.join(SETTLE_RULES)}, got {rule!r}"
            )
    return out


def _settled_by(a: StageAgreement, lang: str) -> str:
    """Who settled the stage's conflicts: a rule, one of its reviewers or a third
    reviewer, and how many each settled when more than one did."""
    from ihms._words import said

    def named(who: str) -> str:
        if who in SETTLE_RULES:
            return said(lang, "by rule", rule=who)
        if who in a.reviewers:
            return said(lang, "by stage reviewer", who=who)
        # with three reviewers or more, someone else is no "third" reviewer
        kind = "by third reviewer" if len(a.reviewers) == 2 else "by adjudicator"
        return said(lang, kind, who=who)

    if len(a.settled) == 1:
        return named(a.settled[0][0])
    return said(lang, "list").join(said(lang, "settled n", who=named(w), n=k) for w, k in a.settled)


def _who(names: Sequence[str], lang: str = "en") -> str:
    """``"2 reviewers (alice and bob) working independently"``, ``"one reviewer
    (carol)"``, or ``"no reviewer (the rules alone)"``."""
    from ihms._words import said

    if len(names) >= 2:
        return said(lang, "reviewers independently", n=len(names), names=_names(names, lang))
    if names:
        return (
            said(lang, "one reviewer named", name=names[0])
            if names[0]
            else said(lang, "one reviewer")
        )
    return said(lang, "no reviewer")


def _names(names: Sequence[str], lang: str = "en") -> str:
    from ihms._words import in_words_of, said

    return in_words_of(lang, [n or said(lang, "unnamed") for n in names])
