"""Who screened which stage. Titles and full texts are often screened by different
people (two screen the titles in Rayyan, two others read the full texts), and only a
stage's own reviewers may count in its agreement, its conflicts and the methods
statement: a reviewer counted at a stage they did not screen votes the rules' verdict
there (an include, usually), which turns documents both real screeners excluded into
conflicts.

Each stage's reviewers are, in order of precedence:

- named (``stage_reviewers={"title": ["alice", "bob"], "fulltext": ["carol", "dan"]}``,
  ``--stage-reviewers title=alice,bob``); a stage not named has the reviewers who
  recorded a decision at it (the notes name the other stages' reviewers left out);
- a Rayyan export's reviewers at the stage it was exported for (one file per stage);
  a decisions sheet's reviewer counts at a stage no export covers, and at one an export
  covers only if they recorded a decision there;
- nobody named, no Rayyan export: every reviewer counts at both stages (a sheet that
  lists only exclusions leaves everything else to the rules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ihms._width import written_alike_key
from ihms.errors import DataError, InputError
from ihms.policy.screening_reviewers import STAGE_NAMES, STAGES, ScreeningDecision

StageReviewers = dict[str, tuple[str, ...]]


def alike_reviewer_notes(decisions: Sequence[ScreeningDecision]) -> list[str]:
    """Name reviewers whose names differ only in letter case, width or blanks (``alice``
    in a sheet, ``Alice`` in a Rayyan export): they count as two reviewers — in κ, the
    conflicts and the statement — which is wrong if they are one person."""
    groups: dict[str, list[str]] = {}
    for who in everyone(decisions):
        groups.setdefault(written_alike_key(who), []).append(who)
    return [
        f"reviewers {' and '.join(repr(n) for n in names)} are counted as "
        f"{len(names)} people; if they are one, write the name alike in every source"
        for names in groups.values()
        if len(names) > 1
    ]


def everyone(decisions: Sequence[ScreeningDecision]) -> tuple[str, ...]:
    """The reviewers of ``decisions`` in order of first appearance."""
    return tuple(dict.fromkeys(d.reviewer for d in decisions))


def stage_reviewers_of(
    decisions: Sequence[ScreeningDecision], named: Mapping[str, Sequence[str]] | None
) -> StageReviewers:
    """Each stage's reviewers: those ``named`` for it (a stage not named: the reviewers
    who recorded a decision at it), or every reviewer at both stages when ``named`` is
    None. Refuses, every problem at once, a reviewer named who made no decision in any
    source and a decision recorded at a stage by someone not named for it (by the
    decision's source, reviewer and stage)."""
    if named is None:
        return dict.fromkeys(STAGES, everyone(decisions))
    for stage, names in named.items():
        if stage not in STAGES:
            raise InputError(
                f"parameter 'stage_reviewers': stage must be one of {', '.join(STAGES)}, "
                f"got {stage!r}"
            )
        if isinstance(names, str):
            raise InputError(
                f"parameter 'stage_reviewers': the {STAGE_NAMES[stage]} stage's reviewers must "
                f"be a list of names, got the string {names!r}"
            )
    out = {
        stage: tuple(dict.fromkeys(named[stage]))
        if stage in named
        else everyone([d for d in decisions if d.stage == stage])
        for stage in STAGES
    }
    known = set(everyone(decisions))
    problems = [
        f"parameter 'stage_reviewers', {STAGE_NAMES[stage]} stage: {who!r} recorded no "
        f"decision in any source (the decisions name {sorted(known)})"
        for stage in STAGES
        if stage in named
        for who in out[stage]
        if who not in known
    ]
    for i, d in enumerate(decisions):
        if d.stage in out and d.reviewer not in out[d.stage]:
            stage = STAGE_NAMES[d.stage]
            problems.append(
                f"{d.source or f'decisions[{i}]'}, field 'reviewer': {d.reviewer!r} decided "
                f"{d.doc_id!r} at the {stage} stage, whose reviewers are "
                f"{list(out[d.stage])}; name them among the {stage} stage's reviewers, or "
                "correct the decision's stage"
            )
    if problems:
        raise DataError(f"screening reviewers per stage: {len(problems):,} problem(s)", problems)
    return out


def rayyan_stage_reviewers(
    sheets: Sequence[ScreeningDecision], imports: Sequence
) -> tuple[StageReviewers, list[str]]:
    """Each stage's reviewers when none were named: a Rayyan export's reviewers count at
    its stage only; a decisions sheet's reviewer counts at a stage no export covers (a
    sheet of exclusions only may leave a stage empty) and, at a stage an export covers,
    only if they recorded a decision there (titles screened in Rayyan by two people and
    full texts on sheets by two others: the sheets' reviewers are not title reviewers).
    The notes say who counts where, and who was left out of a stage."""
    covered = {i.stage for i in imports}
    out: StageReviewers = {}
    for stage in STAGES:
        if stage in covered:
            at_stage = everyone([d for d in sheets if d.stage == stage])
            rayyan = [r for i in imports if i.stage == stage for r in i.reviewers]
            out[stage] = tuple(dict.fromkeys((*rayyan, *at_stage)))
        else:
            out[stage] = everyone(sheets)
    notes = []
    for stage in STAGES:
        files = [i.path.name for i in imports if i.stage == stage]
        if files:
            left = [who for who in everyone(sheets) if who not in out[stage]]
            notes.append(
                f"Reviewers at the {STAGE_NAMES[stage]} stage: {', '.join(out[stage]) or 'none'} "
                f"(taken from the Rayyan export {', '.join(files)}"
                + (" and the decisions sheets" if sheets else "")
                + "; a Rayyan reviewer counts only at the stage of their export"
                + (
                    f"; {', '.join(left)} recorded no decision at this stage in the sheets "
                    "and are not counted at it — if they screened it, name its reviewers "
                    "with --stage-reviewers"
                    if left
                    else ""
                )
                + ")"
            )
    return out, notes


def unnamed_stage_notes(
    decisions: Sequence[ScreeningDecision],
    named: Mapping[str, Sequence[str]] | None,
    by_stage: StageReviewers,
) -> list[str]:
    """When only some stages' reviewers are named, a stage not named has those who
    recorded a decision at it: name a reviewer of the other stages left out of it (one
    who screened it on a sheet of exclusions only and excluded nothing there is not
    counted, so their implied includes neither conflict nor enter its κ)."""
    if not named:
        return []
    others = dict.fromkeys((*everyone(decisions), *(n for ns in named.values() for n in ns)))
    out = []
    for stage in STAGES:
        if stage in named:
            continue
        left = [who for who in others if who not in by_stage[stage]]
        if left:
            out.append(
                f"the {STAGE_NAMES[stage]} stage's reviewers are not named, so they are those "
                f"who recorded a decision at it ({', '.join(by_stage[stage]) or 'none'}); "
                f"{', '.join(left)} not counted there — if they screened it, name its "
                f"reviewers too ({stage}=…)"
            )
    return out


def parse_stage_reviewers(values: Sequence[str]) -> dict[str, list[str]] | None:
    """``["title=alice,bob", "fulltext=carol,dan"]`` → ``{"title": ["alice", "bob"],
    ...}`` (option ``--stage-reviewers``); None when none is given."""
    if not values:
        return None
    out: dict[str, list[str]] = {}
    for value in values:
        stage, sep, names = value.partition("=")
        stage = stage.strip()
        who = [n.strip() for n in names.split(",")]
        if not sep or stage not in STAGES or not all(who):
            raise InputError(
                "option --stage-reviewers: expected STAGE=NAME,NAME with STAGE "
                f"{' or '.join(STAGES)} and no empty name, such as title=alice,bob; got {value!r}"
            )
        if stage in out:
            raise InputError(
                f"option --stage-reviewers: the {STAGE_NAMES[stage]} stage is given twice "
                f"({list(values)})"
            )
        out[stage] = who
    return out
