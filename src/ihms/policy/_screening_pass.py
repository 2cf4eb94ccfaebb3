"""One pass over the corpus, stage by stage: each of the stage's reviewers' decision
(recorded, or the rules' verdict where they recorded none), agreement, conflicts and
their settlement."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ihms.errors import DataError
from ihms.policy.screening_reviewers import (
    DECISIONS,
    SETTLE_RULES,
    STAGE_NAMES,
    STAGES,
    Conflict,
    ScreeningDecision,
    ScreeningMethod,
    Settlement,
    nearest_document,
    stage_agreement,
)

Verdict = Callable[[object, str], tuple[str, str]]


@dataclass(frozen=True)
class Outcome:
    """Where one document ended: ``("excluded", stage, reason)`` or included."""

    status: str
    stage: str = ""
    reason: str = ""
    settled_by: str = ""


@dataclass(frozen=True)
class Pass:
    outcomes: dict[str, Outcome]
    reviews: tuple[ScreeningDecision, ...]
    unresolved: tuple[Conflict, ...]
    method: ScreeningMethod
    unused: tuple[ScreeningDecision, ...]
    settlements: tuple[Settlement, ...]


def run_pass(
    documents: Sequence,
    verdict: Verdict,
    decisions: Sequence[ScreeningDecision],
    resolutions: Sequence[ScreeningDecision],
    settle: Mapping[str, str],
    rules: tuple[str, ...],
    stage_reviewers: Mapping[str, tuple[str, ...]],
) -> Pass:
    """Decide every document (none of them duplicates) at the title, then the full-text
    stage, each by that stage's reviewers (``stage_reviewers``, from
    :func:`ihms.policy._screening_stages.stage_reviewers_of`). A document whose title-stage conflict is still open goes on to the full-text
    stage too, so every conflict is listed at once. ``Pass.unused`` holds the recorded
    decisions about documents that never reached their stage (duplicates, or excluded
    at the title stage)."""
    recorded = {(d.reviewer, d.doc_id, d.stage): d for d in decisions}
    resolved = {(r.doc_id, r.stage): r for r in resolutions}
    used: set[tuple[str, str]] = set()
    used_decisions: set[tuple[str, str, str]] = set()
    reached: set[tuple[str, str]] = set()
    outcomes: dict[str, Outcome] = {}
    reviews: list[ScreeningDecision] = []
    unresolved: list[Conflict] = []
    settlements: list[Settlement] = []
    for doc in documents:
        outcome = Outcome("included")
        settlers: list[tuple[str, str]] = []  # (stage, who) for each conflict settled
        for stage in STAGES:
            rule, rule_reason = verdict(doc, stage)
            said = [
                recorded.get((r, doc.id, stage))
                or ScreeningDecision(doc.id, stage, rule, rule_reason, r, "rules")
                for r in stage_reviewers[stage]
            ]
            reviews += said
            reached.add((doc.id, stage))
            used_decisions.update((s.reviewer, doc.id, stage) for s in said if s.recorded)
            kinds = {s.decision for s in said}
            if not said:
                decision, reason, by = rule, rule_reason, ""
            elif len(kinds) == 1:
                decision, by = said[0].decision, ""
                # the first reviewer's reason who recorded one (the record keeps them all)
                reason = next((s.reason for s in said if s.recorded and s.reason), said[0].reason)
            elif (doc.id, stage) in resolved:
                r = resolved[(doc.id, stage)]
                used.add((doc.id, stage))
                decision, reason, by = r.decision, r.reason, r.reviewer
                settlements.append(Settlement(doc.id, stage, decision, reason, by, r.source))
            elif settle.get(stage) == "include-if-any":
                decision, reason, by = "include", "", "include-if-any"
                settlements.append(Settlement(doc.id, stage, decision, reason, by, "rule"))
            else:
                unresolved.append(Conflict(doc.id, doc.title or "", stage, tuple(said)))
                continue  # provisionally on to the next stage
            if by:
                settlers.append((stage, by))
            if decision == "exclude":
                outcome = Outcome("excluded", stage, reason)
                break
        outcomes[doc.id] = Outcome(
            outcome.status, outcome.stage, outcome.reason, settled_by(settlers)
        )
    _check_resolutions(resolutions, used, reached)
    reviewers = tuple(dict.fromkeys(r for s in STAGES for r in stage_reviewers[s]))
    method = screening_method(reviewers, reviews, settlements, rules, stage_reviewers)
    unused = tuple(d for k, d in recorded.items() if k not in used_decisions)
    # a resolution of a full-text conflict whose document the title resolution excluded
    unused += tuple(r for r in resolutions if (r.doc_id, r.stage) not in reached)
    return Pass(outcomes, tuple(reviews), tuple(unresolved), method, unused, tuple(settlements))


def screening_method(
    reviewers: Sequence[str],
    reviews: Sequence[ScreeningDecision],
    settlements: Sequence[Settlement],
    rules: Sequence[str],
    stage_reviewers: Mapping[str, Sequence[str]] | None = None,
) -> ScreeningMethod:
    """How screening was done, from each reviewer's decision on each document at each
    stage it reached (``reviews``, the rules' verdict standing in where a reviewer
    recorded none) and how the conflicts were settled: the same sums whether the
    decisions come from the sheets or from a saved project. ``stage_reviewers`` are
    each stage's reviewers (default: every one of ``reviewers`` at both stages); a
    stage's agreement is over its own reviewers, two or more."""
    by_stage = {s: tuple((stage_reviewers or {}).get(s, reviewers)) for s in STAGES}
    ratings: dict[str, dict[str, dict[str, str]]] = {s: defaultdict(dict) for s in STAGES}
    n_recorded: Counter[str] = Counter()
    for r in reviews:
        ratings[r.stage][r.doc_id][r.reviewer] = r.decision
        n_recorded[r.stage] += r.recorded
    settled: dict[str, Counter[str]] = defaultdict(Counter)
    for s in settlements:
        settled[s.stage][s.settled_by] += 1
    stages = tuple(
        stage_agreement(
            stage,
            by_stage[stage],
            {doc: [said[r] for r in by_stage[stage]] for doc, said in ratings[stage].items()},
            n_recorded=n_recorded[stage],
            settled=settled[stage],
        )
        for stage in STAGES
        if len(by_stage[stage]) >= 2
    )
    return ScreeningMethod(tuple(reviewers), stages, tuple(rules), tuple(by_stage.items()))


def settled_by(settlers: Sequence[tuple[str, str]]) -> str:
    """Who settled a document's conflicts: the one name, or each stage's
    (``"title: carol; fulltext: include-if-any"``)."""
    if len(settlers) == 1:
        return settlers[0][1]
    return "; ".join(f"{stage}: {who}" for stage, who in settlers)


def field_problems(d, where: str, ids: set[str], of: str) -> list[str]:
    """What is wrong with one decision's (or settlement's) id, stage and decision: a
    document not in ``ids`` (the documents of ``of``), a stage other than
    title/fulltext, a decision other than include/exclude."""
    problems = []
    if d.doc_id not in ids:
        problems.append(
            f"{where}, field 'id': {d.doc_id!r} is not a document of {of}"
            + nearest_document(d.doc_id, ids)
        )
    if d.stage not in STAGES:
        problems.append(f"{where}, field 'stage': expected {' or '.join(STAGES)}, got {d.stage!r}")
    if d.decision not in DECISIONS:
        problems.append(
            f"{where}, field 'decision': expected {' or '.join(DECISIONS)}, got {d.decision!r}"
        )
    return problems


def check_decisions(
    decisions: Sequence[ScreeningDecision],
    resolutions: Sequence[ScreeningDecision],
    ids: set[str],
) -> None:
    """Refuse decisions :func:`run_pass` cannot use, every problem at once, each named by
    the decision's source: an unknown document, a stage other than title/fulltext, a
    decision other than include/exclude, an exclusion without a reason, a reviewer
    deciding one document twice at one stage (or two resolutions of one conflict), a
    resolver bearing a settle rule's name."""
    problems: list[str] = []
    seen: dict[tuple[str, str, str, str], str] = {}
    for kind, group in (("decisions", decisions), ("resolutions", resolutions)):
        for i, d in enumerate(group):
            where = d.source or f"{kind}[{i}]"
            problems += field_problems(d, where, ids, "the corpus")
            if d.decision == "exclude" and not d.reason.strip():
                problems.append(f"{where}, field 'reason': excluding {d.doc_id!r} needs a reason")
            if kind == "resolutions" and d.reviewer in SETTLE_RULES:
                problems.append(
                    f"{where}, field 'reviewer': {d.reviewer!r} is a settle rule's name; name "
                    "the reviewer who resolved the conflict"
                )
            # a reviewer decides once per stage; a conflict has one resolution, whoever gave it
            key = (kind, d.reviewer if kind == "decisions" else "", d.doc_id, d.stage)
            if key in seen:
                by = f" by {d.reviewer}" if d.reviewer and kind == "decisions" else ""
                stage = STAGE_NAMES.get(d.stage, d.stage)
                problems.append(
                    f"{where}, field 'id': {d.doc_id!r} was already decided{by} at the {stage} "
                    f"stage in {seen[key]}"
                )
            seen.setdefault(key, where)
    if problems:
        raise DataError(f"screening decisions: {len(problems):,} problem(s)", problems)


def _check_resolutions(resolutions: Sequence[ScreeningDecision], used: set, reached: set) -> None:
    """A resolution of something the reviewers agreed on is most likely a wrong id or
    stage: say so rather than let it pass unnoticed. (One of a document that never
    reached the stage is only noted: the conflicts sheet lists a full-text conflict of a
    document whose title conflict was open.)"""
    idle = [r for r in resolutions if (r.doc_id, r.stage) in reached - used]
    if idle:
        raise DataError(
            f"screening resolutions: {len(idle)} resolution(s) settle no conflict",
            [
                f"{r.source}, field 'id': the reviewers did not disagree about {r.doc_id!r} at "
                f"the {STAGE_NAMES[r.stage]} stage"
                for r in idle
            ],
        )


def idle_reviewer_notes(reviews: Sequence[ScreeningDecision], *, named: bool = False) -> list[str]:
    """Name the reviewers counted at a stage who recorded no decision there while
    another of its reviewers did: the rules' verdict stands for each of theirs, in the
    agreement and in the conflicts — right for a sheet of exclusions only (a decisions
    sheet's reviewer counts at both stages unless each stage's reviewers are named),
    wrong for someone who did not screen that stage."""
    recorded: dict[str, Counter[str]] = defaultdict(Counter)
    for r in reviews:
        recorded[r.stage][r.reviewer] += r.recorded
    out = []
    for stage in STAGES:
        idle = [who for who, n in recorded[stage].items() if n == 0]
        if idle and len(idle) < len(recorded[stage]):
            out.append(
                f"{', '.join(idle)} recorded no decision at the {STAGE_NAMES[stage]} stage, "
                "where they count as reviewers: the rules' verdict stands for each of theirs "
                "there, in the agreement and in the conflicts"
                + (
                    ""
                    if named
                    else " (right for a sheet of exclusions only; if they did not screen "
                    "this stage, name each stage's reviewers: stage_reviewers, option "
                    "--stage-reviewers)"
                )
            )
    return out
