"""scikit-learn's own calibrated SVM on a learned coder's features and calibration
folds: the reference the coder's calibration is tested against."""

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from ihms.policy.autocode import LearnedCoder
from ihms.policy.autocode._folds import calibration_folds, document_copies
from ihms.policy.autocode._segments import as_segments


def calibrated_svm(X, y, *, method="sigmoid", present=None):
    """``CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), cv=<the
    coder's calibration folds over the coded rows>, ensemble=False)`` fitted on the
    coder's features of the coded rows of ``X`` (codes ``y``, None for uncoded).
    ``present`` (a category) fits the multi-label yes/no model of that category
    instead, on unstratified folds as the coder's multi-label folds are.

    Returns the fitted reference, the feature rows and their positions in ``X``.
    """
    features = LearnedCoder(min_per_category=1, calibration=None).fit(X, y).features_
    rows = np.flatnonzero([v is not None for v in y])
    groups, _ = document_copies(as_segments(X))
    if present is None:
        target = strata = np.array([y[i] for i in rows], dtype=str)
    else:  # a code is a category, or a list of them
        has = [present in y[i] if isinstance(y[i], list) else y[i] == present for i in rows]
        target, strata = np.array(has, dtype=int), None
    folds = calibration_folds(groups, rows, strata, n_splits=2, random_state=0)
    F = features.blocks(X).to_matrix()[rows]
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
    ref = CalibratedClassifierCV(svm, method=method, cv=folds, ensemble=False).fit(F, target)
    return ref, F, rows
