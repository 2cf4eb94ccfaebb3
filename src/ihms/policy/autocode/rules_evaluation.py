"""Keyword rules measured against people, in the table a learned coder gets.

:func:`evaluate_rules_on_project` codes a project's segments with keyword rules and
sets their codes beside the reconciled human codes exactly as
:func:`~ihms.policy.autocode.evaluate_on_project` sets a learned coder's: Cohen's kappa
per dimension (whole answers) and category, precision, recall and F1, the human coders'
kappa beside them and the same bootstrap intervals over documents: the cluster bootstrap
of the learned coder's evaluation, which draws near-identical copies of one policy
filed under two ids together (:func:`~ihms.policy.autocode.document_copies`; the
predictions' ``cluster``). Rules learn nothing from the codes, so there are no folds:
every segment people coded is scored.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ihms.policy.autocode._cross_validation import coder_evaluation
from ihms.policy.autocode._folds import DUPLICATE_THRESHOLD, document_copies
from ihms.policy.autocode._notes import Note
from ihms.policy.autocode._segments import as_segments, parse_codes
from ihms.policy.autocode.bootstrap import N_BOOT
from ihms.policy.autocode.project import NONE, project_codes
from ihms.policy.autocode.project_evaluation import ProjectEvaluation, beside_humans
from ihms.policy.autocode.rules import KeywordCoder

__all__ = ["evaluate_rules_on_project"]


def evaluate_rules_on_project(
    project: Any,
    rule_set: Any,
    dimension: str,
    *,
    scheme: str = "paragraph",
    n_boot: int = N_BOOT,
    random_state: int = 0,
) -> ProjectEvaluation:
    """Keyword rules vs the reconciled codes people gave (a machine answer a person
    accepted is left out and counted), beside the human coders' kappa.

    A segment no rule matched counts as "nothing applies" (single-label: ``(none)``);
    on a single-label dimension the rule set's first category that fired is the code,
    as :func:`~ihms.policy.autocode.apply_rules_to_project` stores it.

    Parameters
    ----------
    project : ihms.policy.Project
        An open coding project.
    rule_set : RuleSet
        The rules (:func:`rules_from_codebook`, :func:`rules_for_dimension`).
    dimension : str
        The key of a closed codebook dimension.
    scheme : str, default "paragraph"
        The segmentation scheme whose segments are used.
    n_boot : int, default N_BOOT (2000)
        Resamples of the cluster bootstrap over documents for the intervals (copies of
        one policy drawn together, as for a learned coder); 0 for none.
    random_state : int, default 0
        Seed of the bootstrap.
    """
    data = project_codes(project, dimension, scheme=scheme, accepted_machine=False)
    dim = data.dimension
    batch = as_segments(data.segments)
    codes = parse_codes(data.codes, len(batch))
    coder = KeywordCoder(rule_set, single_label=not dim.multi, no_match=NONE).fit()
    pred = coder.predict(data.segments)
    notes: tuple[Note, ...] = ()
    if dim.multi:
        known = {str(c) for c in codes.classes}
        machine = np.zeros((len(batch), len(codes.classes)), dtype=np.int8)
        cols = {str(c): j for j, c in enumerate(coder.classes_)}
        for j, c in enumerate(codes.classes):
            if str(c) in cols:
                machine[:, j] = pred[:, cols[str(c)]]
        unseen = [str(c) for c in coder.classes_ if str(c) not in known]
        if unseen:
            notes = (Note("unseen", categories=tuple(unseen)),)
    else:
        machine = np.asarray(pred, dtype=object)
    rows = np.flatnonzero(codes.coded)
    fold_of = np.zeros(len(batch), dtype=int)
    groups, copies = document_copies(batch)
    notes = (*notes, *(_copies_note(group) for group in copies))
    ev = coder_evaluation(batch, codes, machine, fold_of, rows, 0, None, notes)
    ev.predictions["cluster"] = groups[rows]  # the unit with_bootstrap resamples
    described = Note("rules", n_rules=len(rule_set.rules), n_categories=len(rule_set.categories))
    settings = {"scheme": scheme, "seed": random_state, "n_boot": n_boot}
    return beside_humans(
        project, data, ev, n_boot=n_boot, seed=random_state, settings=settings, rules=described
    )


def _copies_note(group: tuple[str, ...]) -> Note:
    docs = tuple(map(str, group))
    return Note("copies drawn together", docs=docs, threshold=DUPLICATE_THRESHOLD)
