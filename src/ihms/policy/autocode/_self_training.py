"""Self-training: uncoded segments the model is surest of, added as pseudo-codes."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from sklearn.semi_supervised import SelfTrainingClassifier

from ihms.errors import InputError

__all__ = ["pseudo_codes"]


def pseudo_codes(
    coder: Any, F: Any, rows: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The coded ``rows`` and their codes ``y`` plus the most confidently predicted
    uncoded segments of ``F`` with the code predicted, by scikit-learn's
    ``SelfTrainingClassifier`` (one round, ``k_best``: ``coder.self_training_share`` of
    the uncoded segments) over ``coder``'s calibrated model; sets
    ``coder.n_pseudo_codes_``.

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
    index = {c: i for i, c in enumerate(coder.classes_)}
    y_all = np.full(F.shape[0], -1)
    y_all[rows] = [index[v] for v in y]
    k_best = max(1, round(coder.self_training_share * coder.n_uncoded_))
    inner = CalibratedClassifierCV(
        coder._base(len(rows)),
        method=coder.calibration,
        cv=StratifiedKFold(coder.calibration_folds, shuffle=True, random_state=coder.random_state),
        ensemble=False,
    )
    st = SelfTrainingClassifier(inner, criterion="k_best", k_best=k_best, max_iter=1)
    st.fit(F, y_all)
    coder.n_pseudo_codes_ = int((st.labeled_iter_ == 1).sum())
    added = np.flatnonzero(st.labeled_iter_ == 1)
    return np.r_[rows, added], np.r_[y, coder.classes_[st.transduction_[added]].astype(str)]
