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
from scipy.special import expit
from scipy.stats import hypergeom
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import cross_val_predict

__all__ = [
    "CUT_ALPHA",
    "PassThroughScores",
    "SigmoidScores",
    "best_f1_cut",
    "calibration_maps",
    "fit_calibrator",
    "held_note",
    "hold_falling",
    "linear_parts",
    "oof_scores",
    "uncalibratable",
]


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
    it). A one-column target (one category's yes/no) whose training part holds one
    class fits no model: that fold's test rows count as missing alike.
    """
    folds = list(folds)
    floor = np.finfo(np.float32).min / 2
    y = np.asarray(y)
    if y.ndim == 1 and any(len(np.unique(y[train])) < 2 for train, _ in folds):
        scores = np.full(len(y), 2 * floor)
        for train, test in folds:
            if len(np.unique(y[train])) > 1:
                model = clone(estimator).fit(F[train], y[train])
                scores[test] = model.decision_function(F[test])
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Number of classes in training fold")
            warnings.filterwarnings("ignore", message="Label not .* is present in all training")
            scores = cross_val_predict(estimator, F, y, cv=folds, method="decision_function")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    for j in range(scores.shape[1]):
        bad = scores[:, j] <= floor
        if bad.any():
            real = scores[~bad, j]
            scores[bad, j] = (real.min() if len(real) else 0.0) - 1.0
    return scores


def fit_calibrator(scores: np.ndarray, y: np.ndarray, *, method: str) -> CalibratedClassifierCV:
    """Calibrate out-of-fold ``scores`` against codes ``y``.

    The scores already are out of fold (:func:`oof_scores`), and a frozen estimator is
    never refitted, so scikit-learn's own folds would only split the rows to hand them
    back unchanged. It is given one "fold" holding every row: its default of five
    stratified folds refused a category with fewer than five codes (every category of a
    small project), though it changed nothing.
    """
    frozen = FrozenEstimator(PassThroughScores().fit(scores, y))
    every_row = np.arange(len(y))
    return CalibratedClassifierCV(frozen, method=method, cv=[(every_row, every_row)]).fit(scores, y)


class SigmoidScores:
    """Probabilities *not* calibrated: the logistic function of each score (a one-column
    score ``s`` as ``[1 - σ(s), σ(s)]``; several columns normalised to add up to 1, as
    scikit-learn's sigmoid calibration normalises its per-category maps). The stand-in
    calibrator of a coder with too few codes to calibrate (:func:`uncalibratable`):
    it keeps the order of the scores, no more."""

    def predict_proba(self, scores: np.ndarray) -> np.ndarray:
        p = expit(np.asarray(scores, dtype=np.float64))
        if p.ndim == 1 or p.shape[1] == 1:
            p = p.reshape(-1)
            return np.c_[1 - p, p]
        return p / p.sum(axis=1, keepdims=True)


def uncalibratable(folds: Sequence, y: np.ndarray, names: Sequence[str]) -> list[str]:
    """The categories whose out-of-fold scores cannot be calibrated: missing from some
    fold's training part (single-label ``y``: codes; multi-label: a 0/1 matrix, where a
    training part also needs segments without the category).

    Such a category's every code is scored by a model that never learnt it: its coded
    segments get its lowest scores, and a calibration fitted on them would turn its
    probabilities upside down. It happens when a category has a single code, or all
    its codes sit in one document (the folds keep documents whole). A category present
    in every training part can still be turned upside down (a training part holding
    one of its codes, unlike the others); the coder finds it once the maps are fitted
    (a sigmoid's slope of the wrong sign) and holds that category's probability at its
    share of the codes.

    Examples
    --------
    >>> folds = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    >>> uncalibratable(folds, np.array(["a", "b", "a", "c"]), ["a", "b", "c"])
    ['b', 'c']
    """
    y = np.asarray(y)
    bad: set[int] = set()
    for train, _ in folds:
        part = y[train]
        if y.ndim == 1:
            present = set(part.tolist())
            bad |= {j for j, c in enumerate(names) if c not in present}
        else:
            bad |= set(np.flatnonzero((part == 1).all(axis=0) | (part == 0).all(axis=0)))
    return [str(names[j]) for j in sorted(bad)]


def calibration_maps(calibrator: CalibratedClassifierCV) -> list[Any]:
    """The per-category maps (scikit-learn's ``_SigmoidCalibration`` or
    ``IsotonicRegression``) of a calibrator :func:`fit_calibrator` fitted: one per
    score column (a single one for two categories)."""
    return list(calibrator.calibrated_classifiers_[0].calibrators)


def hold_falling(maps: Sequence[Any], names: Sequence[str], shares: Sequence[float]) -> list[str]:
    """Set flat, at its share of the calibration codes, every fitted sigmoid map that
    falls as its score rises, and return those categories as ``"name at 10.4%"``.

    A category whose out-of-fold scores are no higher on its own codes than elsewhere (a
    rare category whose few codes do not resemble each other) gets a sigmoid
    ``1 / (1 + exp(a s + b))`` with ``a >= 0``: its probability would fall as its score
    rises, near its top on almost every segment. scikit-learn's
    ``CalibratedClassifierCV`` fits it without a word. Held flat (``a = 0``, ``b =
    log((1 - share) / share)``), its probability is the value an isotonic map (which
    cannot fall) gives it. Isotonic maps are left alone.

    Examples
    --------
    >>> from sklearn.calibration import _SigmoidCalibration
    >>> s = np.array([-2.0, -1.0, 0.0, 1.0])
    >>> up = _SigmoidCalibration().fit(s, np.array([0, 0, 1, 1]))
    >>> down = _SigmoidCalibration().fit(s, np.array([1, 0, 0, 0]))
    >>> hold_falling([up, down], ["a", "b"], [0.5, 0.25])
    ['b at 25.0%']
    >>> float(down.predict(np.array([5.0]))[0])
    0.25
    """
    held = []
    for name, m, share in zip(names, maps, shares, strict=True):
        if not hasattr(m, "a_") or m.a_ < 0:
            continue
        share = float(np.clip(share, 1e-6, 1 - 1e-6))
        m.a_, m.b_ = 0.0, float(np.log((1.0 - share) / share))
        held.append(f"{name} at {share:.1%}")
    return held


def held_note(held: Sequence[str]) -> str:
    """What a coder says about the categories :func:`hold_falling` held."""
    one = len(held) == 1
    its = "its" if one else "their"
    return (
        f"{len(held)} categor{'y' if one else 'ies'} ({', '.join(held)}) "
        f"{'is' if one else 'are'} scored no higher on {its} own codes than on other "
        "segments held out of the calibration folds (few codes, unlike each other), "
        f"so a calibrated probability would fall as the score rises; {its} "
        f"probability is held at {its} share of the codes whatever the score "
        "(single-label: before the categories' probabilities are scaled to add up "
        "to 1), so it does not follow the score. Code more segments, in more "
        "documents, to calibrate it"
    )


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


CUT_ALPHA = 0.05
"""Significance level of :func:`best_f1_cut`'s test that a category's codes lie above
its cut more often than chance would put them there."""


def best_f1_cut(y_true: np.ndarray, scores: np.ndarray, *, alpha: float = CUT_ALPHA) -> float:
    """The score at or above which coding a category maximises its F1, or an infinite
    cut when its scores do not tell its segments apart.

    Read off scikit-learn's precision-recall curve: every cut considered codes the
    segments whose score is at or above it. The cut sits halfway between the lowest
    score coded and the highest not coded, so it carries over to new segments.

    The best cut is kept only when the category's codes lie above it more often than
    chance would put them there: the one-sided hypergeometric test (Fisher's exact test
    of the 2x2 table coded-above-the-cut x has-the-category) gives p < ``alpha``. A
    rare category whose scores run the wrong way (its few codes unlike each other, so
    a model that learnt some scores the others low) otherwise gets a cut below most
    segments: the F1 of coding nearly everything beats coding nothing, but the score
    plays no part in it (Lipton, Elkan & Naryanaswamy 2014: an uninformative score's
    F1 optimum codes every segment). Such a category falls back on what its codes
    alone support, the majority answer: ``inf`` (never coded) when at most half the
    segments have it, ``-inf`` (coded on every segment) when more do — the fallback of
    Yang's (2001) SCutFBR, which drops a cut whose F1 is below a floor, with the floor
    a test of chance rather than a fixed F1. It needs some codes: two codes among
    eight segments, both above the cut and nothing else, give p = 1/28; among four,
    p = 1/6, and the cut is refused. A category never present keeps the model's own
    boundary, 0.

    Parameters
    ----------
    y_true : numpy.ndarray
        Whether each segment has the category (0/1 or bool).
    scores : numpy.ndarray
        The model's score for the category, one per segment (out of fold).
    alpha : float, default CUT_ALPHA (0.05)
        Significance level of the test.

    Examples
    --------
    >>> has = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    >>> round(best_f1_cut(has, np.array([-1.0, -0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 1.5])), 6)
    0.3
    >>> has = np.array([0, 1, 0, 0, 1, 0, 0, 0])  # its codes among the lowest scores
    >>> best_f1_cut(has, np.array([-0.9, -0.8, -0.7, -0.5, -0.6, 0.2, 0.4, 0.5]))
    inf
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
    coded = scores >= best
    hits = int((coded & y_true).sum())
    if hypergeom.sf(hits - 1, len(y_true), int(y_true.sum()), int(coded.sum())) >= alpha:
        return float(np.inf if y_true.mean() <= 0.5 else -np.inf)
    below = scores[scores < best]
    return float((best + below.max()) / 2) if len(below) else float(best)
