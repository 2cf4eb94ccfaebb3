"""Machine codes entering a coding project, for a person to accept or reject.

:func:`apply_to_project` writes a trained coder's codes as coder ``machine:<model id>``;
:func:`apply_rules_to_project` writes keyword-rule codes as ``machine:rules-<digest>``.
Every answer keeps its provenance (model id, training size and date, codebook version,
probabilities; for rules, the rule that fired and the matched terms). A person then
accepts or rejects them (:func:`ihms.policy.coding.review_codings`); agreement,
reconciliation and tables treat them like a person's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._apply_store import (
    counts_per_category,
    earlier_answers,
    write_machine_codes,
)
from ihms.policy.autocode._machine_coding import number_word, uncalibrated_note
from ihms.policy.autocode._only_uncoded import code_in_documents, uncoded_rows
from ihms.policy.autocode._rule_conflicts import conflict_note, rule_conflicts
from ihms.policy.autocode._segments import numbering_only
from ihms.policy.autocode._twins import text_key
from ihms.policy.autocode.project import NONE, codebook_version_of, project_codes
from ihms.policy.autocode.trained import TrainedCoder
from ihms.summary import SummaryTable

__all__ = ["AppliedCodes", "apply_rules_to_project", "apply_to_project", "rules_model_id"]


@dataclass(frozen=True, eq=False)
class AppliedCodes(SummaryHtml):
    """What :func:`apply_to_project` wrote.

    Attributes
    ----------
    coder
        ``machine:<model id>``.
    dimension
        The codebook dimension coded.
    codes
        The proposed codes (see :class:`~ihms.policy.autocode.MachineCoding`), one row
        per (segment, category) as written to the project: for keyword rules on a
        single-label dimension, only the earliest-written category that fired.
    n_segments
        Segments coded (an answer each, possibly "nothing applies").
    n_abstained
        Segments left for a person (below ``min_probability``; for keyword rules, no
        rule matched and the rules do not cover every category).
    added, unchanged, replaced
        Segments whose answer was newly stored, found already stored as it is, or
        overwritten (``replace``); together they make ``n_segments``.
    codings
        Coding rows written for the added and replaced answers (one per category of an
        answer; one for "nothing applies").
    answered
        The segments given an answer, "nothing applies" ones included (they have no row
        in ``codes``).
    category_counts
        Segments given each category, in the codebook's order (a multi-label answer
        counts in each of its categories), and last ``"(none)"``: answers "nothing
        applies".
    min_probability
        The threshold below which segments were left for a person (``None``: none).
    n_in_training
        Segments answered whose text the model learned from (its answers there are
        in-sample; ``None`` when the model does not record its training texts).
    conflicts
        Keyword rules on a single-label dimension: each segment where rules of several
        categories fired, as ``{"segment", "kept", "also"}`` — the category kept (the
        first in the rules file) and the others (see :func:`rule_conflicts`).
    n_numbering_only
        Segments holding only a clause number (一、 alone), left for a person and
        counted in ``n_abstained``.
    withdrawn
        Earlier answers of this coder on segments this run left for a person, removed
        (``replace``; answers a person has not reviewed).
    earlier_kept
        Earlier answers of this coder on segments this run left for a person that stay
        in the project: all of them without ``replace``, the reviewed ones with it.
    replace
        Whether the run replaced this coder's earlier answers.
    calibrated, calibration_note
        Whether the trained coder's probabilities are calibrated; if not (too few
        codes to calibrate), its numbers are scores, an order rather than chances:
        the summary calls them so, and each answer's provenance records
        ``"calibrated": false`` beside them, with the model's note here.
    """

    coder: str
    dimension: str
    codes: pd.DataFrame
    n_segments: int
    n_abstained: int
    added: int
    unchanged: int
    replaced: int
    codings: int
    answered: tuple[str, ...] = ()
    category_counts: Mapping[str, int] = field(default_factory=dict)
    min_probability: float | None = None
    n_in_training: int | None = None
    conflicts: tuple[dict[str, Any], ...] = ()
    n_numbering_only: int = 0
    withdrawn: int = 0
    earlier_kept: int = 0
    replace: bool = False
    calibrated: bool = True
    calibration_note: str | None = None

    def __repr__(self) -> str:
        # the generated repr printed the codes table
        return brief_repr(
            self,
            coder=self.coder,
            dimension=self.dimension,
            segments=self.n_segments,
            abstained=self.n_abstained,
            added=self.added,
            replaced=self.replaced,
            unchanged=self.unchanged,
            min_probability=self.min_probability,
        )

    def summary(self) -> SummaryTable:
        """Segments coded per category, with their share of the coded segments and, for
        a trained coder, the mean probability of the proposals; what was stored and
        what was left for a person in the notes."""
        counts = pd.Series(dict(self.category_counts), dtype="int64")
        frame = pd.DataFrame(
            {
                "segments": counts,
                "share (%)": counts / self.n_segments * 100 if self.n_segments else np.nan,
            }
        )
        if "probability" in self.codes:
            mean = self.codes.groupby("category")["probability"].mean()
            frame[f"mean {number_word(self.calibrated)}"] = mean.reindex(frame.index)
        frame.index.name = "category"
        notes = [self.describe()]
        if not self.n_segments:
            notes.append("No segment answered: nothing was stored, and no new coder registered.")
        if self.min_probability is not None:
            notes.append(f"Left for a person: answers less likely than {self.min_probability:g}.")
        notes.extend(self._earlier_notes())
        notes.append(
            f"'{NONE}': the coder answered that nothing applies. A person accepts or rejects "
            "machine codes before they count as final codes."
        )
        if int(counts.sum()) > self.n_segments:
            notes.append("A multi-label answer counts once in each of its categories.")
        if not self.calibrated:
            notes.append(uncalibrated_note(self.calibration_note))
        if self.n_in_training:
            notes.append(in_sample_note(self.n_in_training, self.n_segments))
        if self.conflicts:
            notes.append(conflict_note(self.conflicts))
        if self.n_numbering_only:
            notes.append(
                f"{self.n_numbering_only:,} segments hold only a clause number (一、 on a "
                "line of its own): left for a person, not coded."
            )
        return SummaryTable(
            frame,
            title=f"{self.coder} in {self.dimension}: segments coded per category",
            notes=tuple(notes),
            formats={"share (%)": "{:.1f}".format},
            digits=3,
        )

    def _earlier_notes(self) -> list[str]:
        """What became of this coder's earlier answers on segments now left for a person."""
        notes = []
        if self.withdrawn:
            notes.append(
                f"{self.withdrawn:,} earlier answers of {self.coder} on segments now left for "
                "a person were withdrawn (--replace)."
            )
        if self.earlier_kept:
            notes.append(
                f"{self.earlier_kept:,} earlier answers of {self.coder} on segments now left "
                "for a person stay in the project: "
                + (
                    "a person has reviewed them."
                    if self.replace
                    else "`review --accept-all` would accept them too; apply with --replace "
                    "to withdraw them."
                )
            )
        return notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "coder": self.coder, "dimension": self.dimension, "segments": self.n_segments,
            "abstained": self.n_abstained, "added": self.added, "unchanged": self.unchanged,
            "replaced": self.replaced, "codings": self.codings,
            "min_probability": self.min_probability, "categories": dict(self.category_counts),
            "in_training": self.n_in_training, "conflicts": list(self.conflicts),
            "withdrawn": self.withdrawn, "earlier_kept": self.earlier_kept,
            "calibrated": self.calibrated, "calibration_note": self.calibration_note,
        }  # fmt: skip

    def describe(self) -> str:
        """One line for people, with the same counts and nouns as :meth:`to_dict`."""
        return (
            f"{self.coder} coded {self.n_segments:,} segments in {self.dimension}: "
            f"{self.added:,} added, {self.replaced:,} replaced, {self.unchanged:,} unchanged "
            f"({self.codings:,} coding rows written); {self.n_abstained:,} segments left "
            "for a person."
        )


def in_sample_note(n: int, of: int) -> str:
    """What an answer on a training segment means for agreement with the machine."""
    return (
        f"{n:,} of the {of:,} segments coded were training segments: the model learnt "
        "their codes, so agreement with it there is in-sample — report `ihms policy "
        "autocode evaluate`'s out-of-fold kappa, or `policy agreement --exclude-training`."
    )


def _uncoded(project: Any, segs: pd.DataFrame, dimension: str, scheme: str) -> pd.DataFrame:
    """The segments no person has coded in ``dimension``."""
    return segs.iloc[uncoded_rows(project, segs, dimension, scheme)].reset_index(drop=True)


def apply_to_project(
    project: Any,
    trained: TrainedCoder,
    *,
    scheme: str = "paragraph",
    only_uncoded: bool = False,
    min_probability: float | None = None,
    replace: bool = False,
) -> AppliedCodes:
    """Code a project's segments with a trained coder, as coder ``machine:<model id>``.

    Every answer stores its provenance (model id, training size, training date,
    codebook version, the probability of each proposed category). Nothing is written
    when the model was trained on another codebook version, a segment's text is empty,
    or an answer would contradict what this machine coder gave before (unless
    ``replace``).

    Parameters
    ----------
    project
        An open :class:`~ihms.policy.Project`.
    trained
        The coder (:func:`train_coder` or :func:`load_coder`); its dimension is coded.
    scheme
        The segmentation whose segments are coded (``"paragraph"`` or ``"clause"``).
    only_uncoded
        Code only segments no person has coded in this dimension yet. Their documents
        are scored whole (neighbours, sections and positions as evaluation read them),
        so each answer and probability is what coding every segment gives it.
    min_probability
        Leave segments whose answer is less likely than this (single-label: the
        category coded, the best-scoring one; multi-label: the whole answer), see
        :meth:`TrainedCoder.code`.
    replace
        Overwrite earlier answers of the same machine coder.
    """
    current = codebook_version_of(project.codebook())
    if trained.codebook_version != current:
        raise InputError(
            f"model {trained.model_id} was trained on codebook {trained.codebook_version}; "
            f"project {project.path} uses {current}; retrain it on this project's codes "
            "(nothing was coded)"
        )
    data = project_codes(project, trained.dimension, scheme=scheme)
    dim = data.dimension
    segs = data.segments
    if only_uncoded:  # scored in their whole documents, as evaluation scores them
        rows = uncoded_rows(project, segs, dim.key, scheme)
        segs, coding = code_in_documents(trained, segs, rows, min_probability=min_probability)
    else:
        coding = trained.code(segs, min_probability=min_probability)
    bare = np.flatnonzero(numbering_only(segs["text"]))  # left for a person, counted
    codes = coding.codes[~coding.codes["row"].isin(bare)].reset_index(drop=True)
    coder_id = trained.coder_name
    answered = np.setdiff1d(np.arange(len(segs)), np.union1d(coding.abstained, bare))
    answers: dict[tuple[str, str, str], frozenset[str]] = {}
    provenance: dict[tuple[str, str, str], dict] = {}
    by_row = codes.groupby("row")
    learnt = getattr(trained.estimator, "training_texts_", None)
    n_in_training = 0
    for row in answered:
        seg = str(segs["id"].iloc[row])
        part = by_row.get_group(row) if row in by_row.groups else codes.iloc[0:0]
        values = frozenset(v for v in part["category"] if v != NONE)
        key = (seg, dim.key, coder_id)
        answers[key] = values
        provenance[key] = {
            "model_id": trained.model_id,
            "training_size": trained.training_size,
            "trained_at": trained.trained_at,
            "codebook_version": trained.codebook_version,
            "probability": {str(c): round(float(p), 4) for c, p in zip(part["category"], part["probability"], strict=True)},
            # an uncalibrated model's numbers are scores: said where they are stored
            **({} if coding.calibrated else {"calibrated": False}),
        }  # fmt: skip
        if learnt is not None:
            provenance[key]["in_training"] = inside = text_key(segs["text"].iloc[row]) in learnt
            n_in_training += inside
    left = segs["id"].iloc[np.union1d(coding.abstained, bare)].astype(str)
    earlier = earlier_answers(project, coder_id, dim.key, set(left))
    withdraw = [(seg, dim.key, coder_id) for seg, seen in earlier.items() if not seen]
    result = write_machine_codes(
        project, coder_id, answers, provenance, replace=replace,
        model_id=trained.model_id, training_size=trained.training_size,
        trained_at=trained.trained_at, notes=f"ihms autocode, {trained.codebook_version}",
        remove=withdraw if replace else (),
    )  # fmt: skip
    return AppliedCodes(
        coder=coder_id,
        dimension=dim.key,
        codes=codes,
        n_segments=len(answered),
        n_abstained=len(np.union1d(coding.abstained, bare)),
        added=result.rows - result.unchanged - result.replaced,
        unchanged=result.unchanged,
        replaced=result.replaced,
        codings=result.added,
        answered=tuple(key[0] for key in answers),
        category_counts=counts_per_category(answers, dim.category_keys),
        min_probability=min_probability,
        n_in_training=n_in_training if learnt is not None else None,
        n_numbering_only=len(bare),
        withdrawn=len(result.removed),
        earlier_kept=len(earlier) - len(result.removed),
        replace=replace,
        calibrated=coding.calibrated,
        calibration_note=coding.calibration_note,
    )


def rules_model_id(rule_set: Any) -> str:
    """12 hex digits identifying a rule set by its rules (the same rules, the same id).

    Parameters
    ----------
    rule_set : RuleSet
        Keyword rules (anything with ``to_frame()``); the id is ``"rules-"`` plus the
        first 12 hex digits of the SHA-256 of its rules.
    """
    import hashlib
    import json

    payload = json.dumps(rule_set.to_frame().to_dict(orient="records"), ensure_ascii=False)
    return "rules-" + hashlib.sha256(payload.encode()).hexdigest()[:12]


def apply_rules_to_project(
    project: Any,
    rules: Any,
    dimension: str,
    *,
    scheme: str = "paragraph",
    only_uncoded: bool = False,
    replace: bool = False,
) -> AppliedCodes:
    """Code a dimension with keyword rules, as coder ``machine:rules-<digest>``.

    Each answer's provenance names the rule that fired and the matched terms, per
    category. A segment no rule matched is coded "none applies" only when the rules
    cover every category of the dimension; otherwise it is left for a person (a rules
    file for four of eighteen tools says nothing about the other fourteen). Rules naming
    categories the dimension lacks are refused before anything is written.

    Parameters
    ----------
    project : ihms.policy.Project
        An open coding project.
    rules : RuleSet or mapping
        The keyword rules: a :class:`RuleSet` or the mapping :func:`rules_from_mapping`
        takes; their categories must be the dimension's.
    dimension : str
        The key of a closed codebook dimension.
    scheme : str, default "paragraph"
        The segmentation scheme whose segments are used.
    only_uncoded : bool, default False
        Code only the segments nobody has coded in this dimension yet.
    replace : bool, default False
        Replace this coder's earlier answers that differ; without it a different
        answer for a segment this coder already coded is an error.

    Returns
    -------
    AppliedCodes
        The coder id, the codes, and counts of added, unchanged and replaced answers.
    """
    from ihms.policy.autocode.rules import KeywordCoder, rules_for_dimension

    data = project_codes(project, dimension, scheme=scheme)
    dim = data.dimension
    rule_set = rules_for_dimension(rules, dim)
    segs = _uncoded(project, data.segments, dim.key, scheme) if only_uncoded else data.segments
    coding = KeywordCoder(rule_set).fit().code(segs)
    model_id = rules_model_id(rule_set)
    coder_id = f"machine:{model_id}"
    codes = coding.codes
    conflicts = () if dim.multi else rule_conflicts(codes, rule_set.categories)
    if not dim.multi:  # one answer: the earliest-written category that fired
        order = {c: i for i, c in enumerate(rule_set.categories)}
        codes = (
            codes.assign(_order=codes["category"].map(order))
            .sort_values(["row", "_order"], kind="stable")
            .drop_duplicates("row")
            .drop(columns="_order")
            .reset_index(drop=True)
        )
    by_row = {r: part for r, part in codes.groupby("row")}
    covers_all = set(dim.category_keys) <= set(rule_set.categories)
    answers: dict = {}
    provenance: dict = {}
    abstained = 0
    for row, seg in enumerate(segs["id"]):
        part = by_row.get(row)
        if part is None and not covers_all:
            abstained += 1
            continue
        cats = [] if part is None else list(part["category"])
        key = (str(seg), dim.key, coder_id)
        answers[key] = frozenset(cats)
        provenance[key] = {
            "model_id": model_id,
            "codebook_version": data.codebook_version,
            "rules": {} if part is None else {
                r.category: {"rule": r.rule, "matched": r.matched.split(";")}
                for r in part.itertuples() if r.category in cats
            },
        }  # fmt: skip
    result = write_machine_codes(
        project, coder_id, answers, provenance, replace=replace, model_id=model_id,
        training_size=None, trained_at=None, notes=f"ihms keyword rules, {data.codebook_version}",
    )  # fmt: skip
    return AppliedCodes(
        coder=coder_id,
        dimension=dim.key,
        codes=codes,
        n_segments=len(answers),
        n_abstained=abstained,
        added=result.rows - result.unchanged - result.replaced,
        unchanged=result.unchanged,
        replaced=result.replaced,
        codings=result.added,
        answered=tuple(key[0] for key in answers),
        category_counts=counts_per_category(answers, dim.category_keys),
        conflicts=conflicts,
    )
