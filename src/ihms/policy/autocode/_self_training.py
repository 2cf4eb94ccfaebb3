"""Self-training: uncoded segments the model is surest of, added as pseudo-codes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ihms.errors import InputError

__all__ = ["pseudo_codes"]


def pseudo_codes(
    coder: Any, F: Any, rows: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The coded ``rows`` and their codes ``y`` plus the uncoded segments of ``F`` the
    model is surest of, with their most probable category; sets
    ``coder.n_pseudo_codes_``.

    One round of scikit-learn's ``SelfTrainingClassifier(criterion="k_best")``:
    ``coder.self_training_share`` of the uncoded segments, those whose most probable
    category is the most probable, chosen as it chooses them. The probabilities are the
    coder's own calibration (``coder.calibrator_``, fitted on the hand codes'
    out-of-fold scores over folds that keep documents and their near-identical copies
    whole) applied to a model fitted on the hand codes: the same as
    ``CalibratedClassifierCV(model, cv=<those folds>, ensemble=False)``. Handing
    ``SelfTrainingClassifier`` a calibrated model, as ihms did before session 29, split
    the folds by segment (``StratifiedKFold``; it passes no document ids on), so
    segments of one document informed each other's out-of-fold scores.

    Raises
    ------
    InputError
        When a category has fewer codes than ``coder.calibration_folds``: the
        confidence it ranks by needs calibrated probabilities.
    """
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < coder.calibration_folds:
        rare = [str(c) for c, k in zip(classes, counts, strict=True) if k < coder.calibration_folds]
        raise InputError(
            f"parameter 'self_training': it ranks uncoded segments by calibrated probabilities, "
            f"which need at least {coder.calibration_folds} codes per category; {rare} have "
            "fewer (set self_training=False or code more segments)"
        )
    uncoded = np.setdiff1d(np.arange(F.shape[0]), rows)
    model = coder._base(len(rows)).fit(F[rows], y)
    scores = np.asarray(model.decision_function(F[uncoded]), dtype=np.float64)
    if scores.ndim == 1:  # two categories: the coder's scores are [-s, s]
        scores = np.c_[-scores, scores]
    prob = coder._proba_from_scores(scores)
    best = prob.max(axis=1)
    k_best = min(max(1, round(coder.self_training_share * coder.n_uncoded_)), len(uncoded))
    if k_best == len(uncoded):
        chosen = np.arange(len(uncoded))
    else:  # as SelfTrainingClassifier picks its k best
        chosen = np.sort(np.argpartition(-best, k_best)[:k_best])
    coder.n_pseudo_codes_ = len(chosen)
    guess = np.asarray(coder.classes_)[prob.argmax(axis=1)].astype(str)
    return np.r_[rows, uncoded[chosen]], np.r_[y, guess[chosen]]
