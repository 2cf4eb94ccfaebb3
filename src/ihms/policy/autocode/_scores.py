"""Scores to probabilities: out-of-fold scores, calibration and per-category cuts.

A coder's linear model is fitted on the stacked feature matrix, but it scores new
segments block by block (:meth:`FeatureBlocks.linear_scores`). Calibration therefore
works on *scores*: scikit-learn's :class:`~sklearn.calibration.CalibratedClassifierCV`
is fitted on out-of-fold scores through a frozen pass-through classifier, which is
exactly what ``CalibratedClassifierCV(ensemble=False)`` does internally (cross-validated
decision values, then one sigmoid or isotonic map per category), with folds that keep
documents whole.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import cross_val_predict

__all__ = ["PassThroughScores", "best_f1_cut", "fit_calibrator", "linear_parts", "oof_scores"]


class PassThroughScores(ClassifierMixin, BaseEstimator):
    """A 'classifier' whose input already is its decision scores (one column per class,
    or one column for two classes). It lets ``CalibratedClassifierCV`` calibrate scores
    computed elsewhere."""

    def fit(self, scores: np.ndarray, y: np.ndarray) -> PassThroughScores:
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, scores: np.ndarray) -> np.ndarray:
        scores = np.asarray(scores, dtype=np.float64)
        return scores[:, 0] if scores.ndim == 2 and scores.shape[1] == 1 else scores

    def predict(self, scores: np.ndarray) -> np.ndarray:
        s = self.decision_function(scores)
        if s.ndim == 1:
            return self.classes_[(s > 0).astype(int)]
        return self.classes_[s.argmax(axis=1)]


def oof_scores(estimator: Any, F: Any, y: np.ndarray, folds: Sequence) -> np.ndarray:
    """Out-of-fold decision scores (2-D, one column per class or per label).

    A class missing from a fold's training part gets no score from that fold's model;
    scikit-learn fills it with the smallest float, which would break calibration, so it
    becomes one below the lowest real score of its column (the model would not choose
    it).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Number of classes in training fold")
        warnings.filterwarnings("ignore", message="Label not .* is present in all training")
        scores = cross_val_predict(estimator, F, y, cv=list(folds), method="decision_function")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    floor = np.finfo(np.float32).min / 2
    for j in range(scores.shape[1]):
        bad = scores[:, j] <= floor
        if bad.any():
            real = scores[~bad, j]
            scores[bad, j] = (real.min() if len(real) else 0.0) - 1.0
    return scores


def fit_calibrator(scores: np.ndarray, y: np.ndarray, *, method: str) -> CalibratedClassifierCV:
    """Calibrate out-of-fold ``scores`` against codes ``y``."""
    frozen = FrozenEstimator(PassThroughScores().fit(scores, y))
    with warnings.catch_warnings():
        # scikit-learn builds (and never uses) default folds for a frozen estimator
        warnings.filterwarnings("ignore", message="The least populated class")
        return CalibratedClassifierCV(frozen, method=method).fit(scores, y)


def linear_parts(model: Any, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) of a fitted linear model or one-vs-rest set of them.

    A one-vs-rest member that saw a single class in training is a constant predictor;
    it becomes zero weights with its constant score as intercept.
    """
    members = getattr(model, "estimators_", None)
    if members is None:
        return np.atleast_2d(model.coef_), np.atleast_1d(model.intercept_).astype(np.float64)
    coefs, intercepts = [], []
    for est in members:
        if hasattr(est, "coef_"):
            coefs.append(np.ravel(est.coef_))
            intercepts.append(float(np.ravel(est.intercept_)[0]))
        else:
            coefs.append(np.zeros(n_features))
            intercepts.append(float(np.ravel(est.decision_function(np.zeros((1, n_features))))[0]))
    return np.vstack(coefs), np.asarray(intercepts)


def best_f1_cut(y_true: np.ndarray, scores: np.ndarray) -> float:
    """The score at or above which coding a category maximises its F1.

    Read off scikit-learn's precision-recall curve; the cut sits halfway between the
    lowest score coded and the highest not coded, so it carries over to new segments.
    A category never present keeps the model's own boundary, 0.

    Parameters
    ----------
    y_true : numpy.ndarray
        Whether each segment has the category (0/1 or bool).
    scores : numpy.ndarray
        The model's score for the category, one per segment.

    Examples
    --------
    >>> round(best_f1_cut(np.array([0, 0, 1, 1]), np.array([-1.0, 0.2, 0.4, 1.5])), 6)
    0.3
    """
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    if not y_true.any():
        return 0.0
    precision, recall, cuts = precision_recall_curve(y_true, scores)
    denom = precision[:-1] + recall[:-1]
    f1 = np.divide(
        2 * precision[:-1] * recall[:-1], denom, out=np.zeros_like(denom), where=denom > 0
    )
    best = cuts[int(np.argmax(f1))]
    below = scores[scores < best]
    return float((best + below.max()) / 2) if len(below) else float(best)
