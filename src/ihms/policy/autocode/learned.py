"""Learned auto-coders: scikit-learn classifiers over :class:`SegmentFeatures`.

:class:`LearnedCoder` is a scikit-learn estimator (parameters in ``__init__``, learned
attributes ending in ``_``, ``fit`` returns ``self``), so ``Pipeline``, ``GridSearchCV``
and ``cross_val_score`` work unchanged. It codes one dimension of a codebook:

- **single-label** dimensions (one category per segment): a linear model, one-vs-rest,
  with class weights that keep rare categories from being swamped; ``predict`` takes the
  best-scoring category (not necessarily the most probable), ``predict_proba`` gives
  calibrated probabilities;
- **multi-label** dimensions (codes given as lists of categories, or a 0/1 matrix): one
  calibrated binary model per category, each with its own probability threshold tuned on
  out-of-fold probabilities to maximise that category's F1.

Segments nobody has coded yet (code ``None``) are not wasted: the vocabulary and IDF
weights are learned from every segment, and ``self_training=True`` adds the most
confidently predicted uncoded segments as pseudo-codes (one round of scikit-learn's
``SelfTrainingClassifier``, ranked on folds by document). Probabilities come from
scikit-learn's ``CalibratedClassifierCV`` fitted on out-of-fold scores of the
hand-coded segments, with folds that keep documents whole.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ihms.errors import InputError
from ihms.policy.autocode._coder_checks import check_counts, check_params
from ihms.policy.autocode._cross_validation import take_rows
from ihms.policy.autocode._cuts import cut_note, probability_cuts, tuned_cuts
from ihms.policy.autocode._errors import TooFewCodesError
from ihms.policy.autocode._folds import calibration_folds, document_copies
from ihms.policy.autocode._scores import (
    SigmoidScores,
    calibration_maps,
    fit_calibrator,
    held_note,
    hold_falling,
    linear_parts,
    oof_scores,
    uncalibratable,
)
from ihms.policy.autocode._segments import CodeSet, as_segments, parse_codes
from ihms.policy.autocode._self_training import pseudo_codes
from ihms.policy.autocode._training_order import (
    canonical_order,
    reorder_codes,
    training_digest,
)
from ihms.policy.autocode._twins import text_key
from ihms.policy.autocode.features import SegmentFeatures

__all__ = ["LearnedCoder", "TooFewCodesError"]


class LearnedCoder(ClassifierMixin, BaseEstimator):
    """A machine coder for one codebook dimension, learned from hand-coded segments.

    Parameters
    ----------
    features
        A :class:`SegmentFeatures` (cloned at ``fit``); ``None`` uses its defaults.
    model
        ``"svm"`` (linear support vector machine, the default), ``"logistic"``
        (logistic regression) or ``"sgd"`` (linear SVM by stochastic gradient descent).
    C
        Inverse regularisation strength (for ``"sgd"``, ``alpha = 1 / (C * n)``).
    class_weight
        ``"balanced"`` weighs categories inversely to their frequency, so a category
        with 20 codes is not drowned by one with 900; ``None`` weighs every code alike;
        or a mapping ``{category: weight}``.
    calibration
        ``"sigmoid"`` or ``"isotonic"``: how scores become probabilities; ``None``
        skips calibration (faster; ``predict`` is unchanged, ``predict_proba`` is then
        unavailable).
    calibration_folds
        Folds (grouped by document when documents are known) for calibration. Each
        fold costs one more fit; 2 folds train about a third faster than 3 at a slightly
        worse log loss on held-out documents (development set: 1.10 vs 1.09).
    thresholds
        Multi-label only: ``"tuned"`` (per category, the score that maximises the
        category's out-of-fold F1 — unless its codes lie above that score no more
        often than chance would put them there: then never coded, or on every segment
        if most coded segments have it; see
        :func:`~ihms.policy.autocode._scores.best_f1_cut`), ``"default"`` (the linear
        model's own boundary, score 0; no extra fits), or probabilities: one for every
        category or ``{category: probability}`` (needs calibration).
    self_training
        Add confidently predicted uncoded segments as pseudo-codes (single-label only).
        The final model learns from them; calibration only from the hand codes.
    self_training_share
        Share of the uncoded segments, most confident first, taken as pseudo-codes.
    min_per_category
        Fewest hand-coded segments a category needs; fewer raises
        :class:`TooFewCodesError` naming each category and how many more it needs.
    categories
        Every category of the dimension (from the codebook). Categories nobody has
        coded yet then count as having 0 codes instead of being silently unknown.
    drop_uncoded
        Leave the ``categories`` nobody has coded out of the model (never proposed,
        listed in ``uncoded_categories_``) instead of refusing them.
    random_state
        Seed for every random step (folds, solvers).

    Attributes
    ----------
    classes_ : ndarray
        Category names, sorted.
    multilabel_ : bool
    features_ : SegmentFeatures
    model_
        The fitted linear model (one-vs-rest for multi-label).
    coef_, intercept_ : ndarray
        Its weights, (categories, features) and (categories,).
    calibrator_
        Maps scores to probabilities (one per category for multi-label).
    calibrated_ : bool
        Whether it was fitted; False when a category was missing from a calibration
        fold, which leaves uncalibrated
        :class:`~ihms.policy.autocode._scores.SigmoidScores` and says so in
        ``calibration_note_``. A category whose fitted sigmoid would make its
        probability fall as its score rises keeps the coder calibrated but has its
        probability held at its share of the codes, named in ``calibration_note_``
        (else None).
    n_pseudo_codes_ : int
        Uncoded segments given pseudo-codes by self-training.
    score_thresholds_ : ndarray or None
        Multi-label: the score at or above which each category is coded (``inf``:
        never; ``-inf``: always; None when ``thresholds`` are probabilities).
    thresholds_ : dict or None
        Multi-label, calibrated: the probability threshold of each category.
    uncut_categories_, cut_note_ : dict, str or None
        Tuned cuts refused (``{category: "never" | "always"}``) and the note saying so.
    n_training_ : int
        Hand-coded segments learned from.
    n_uncoded_ : int
        Uncoded segments seen (features; pseudo-codes under self-training).
    n_documents_ : int
    document_copies_ : list of list of str
        Groups of near-identical documents filed under several ids (see
        :func:`~ihms.policy.autocode.document_copies`); calibration and threshold
        folds keep each group together.
    category_counts_ : dict
        Hand-coded segments per category.
    uncoded_categories_ : list of str
        ``categories`` nobody coded, left out (``drop_uncoded``).
    training_texts_ : frozenset of str
        :func:`~ihms.policy.autocode._twins.text_key` of each hand-coded text learned
        from, so a project can tell which segments a model's answers are in-sample on.
    training_digest_ : str
        SHA-256 of the coded texts, their codes and documents in canonical order (part
        of the model id): the same codes in another row order give the same digest and,
        as ``fit`` sorts the rows first, the same model.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["给予资金补助。", "加强人才培养。"] * 5,
    ...                   "doc": [f"d{i // 2}" for i in range(10)]})
    >>> y = ["资金", "人才"] * 5
    >>> coder = LearnedCoder(min_per_category=2, calibration_folds=2).fit(X, y)
    >>> coder.predict(pd.DataFrame({"text": ["对企业给予补助。"], "doc": ["x"]})).tolist()
    ['资金']
    """

    def __init__(
        self,
        *,
        features: SegmentFeatures | None = None,
        model: str = "svm",
        C: float = 0.5,
        class_weight: str | Mapping[str, float] | None = "balanced",
        calibration: str | None = "sigmoid",
        calibration_folds: int = 2,
        thresholds: str | float | Mapping[str, float] = "tuned",
        self_training: bool = False,
        self_training_share: float = 0.5,
        min_per_category: int = 5,
        categories: Sequence[str] | None = None,
        drop_uncoded: bool = False,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.calibration_folds = calibration_folds
        self.thresholds = thresholds
        self.self_training = self_training
        self.self_training_share = self_training_share
        self.min_per_category = min_per_category
        self.categories = categories
        self.drop_uncoded = drop_uncoded
        self.random_state = random_state

    # ------------------------------------------------------------------ validation
    def _check_params(self) -> None:
        check_params(self)

    def _check_counts(self, codes: CodeSet) -> None:
        check_counts(self, codes)

    # ------------------------------------------------------------------ building blocks
    def _base(self, n_train: int) -> Any:
        cw = self.class_weight
        if isinstance(cw, Mapping):
            cw = {k: float(v) for k, v in cw.items()}
        if self.model == "svm":
            return LinearSVC(C=self.C, class_weight=cw, random_state=self.random_state)
        if self.model == "logistic":
            return LogisticRegression(
                C=self.C * 20, class_weight=cw, max_iter=1000, random_state=self.random_state
            )
        return SGDClassifier(
            loss="hinge",
            alpha=1.0 / (self.C * max(n_train, 1)),
            class_weight=cw,
            max_iter=50,
            tol=None,
            random_state=self.random_state,
        )

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any) -> LearnedCoder:
        """Learn from the coded segments of ``X`` (codes ``None`` mark uncoded ones).

        Parameters
        ----------
        X
            Segments: a table with ``text`` (and ``doc``, ``position``, ``section``) or a
            sequence of texts. Include uncoded segments: they inform the features.
        y
            One code per segment: a category, a list of categories (multi-label), or
            ``None`` for a segment nobody has coded.

        Raises
        ------
        TooFewCodesError
            When a category has fewer than ``min_per_category`` coded segments.
        """
        self._check_params()
        batch = as_segments(X)
        codes = parse_codes(y, len(batch))
        self._check_counts(codes)
        # rows in one canonical order: the same codes in any order, the same model
        order = canonical_order(X, batch, codes)
        if (order != np.arange(len(order))).any():
            X, codes = take_rows(X, order), reorder_codes(codes, order)
            batch = as_segments(X)
        if self.calibration is None and self.self_training:
            raise InputError(
                "parameter 'calibration': self-training needs calibrated probabilities; "
                "set calibration='sigmoid'"
            )
        if self.self_training and codes.multilabel:
            raise InputError(
                "parameter 'self_training': only single-label dimensions can self-train; "
                "set self_training=False for this multi-label dimension"
            )
        rows = np.flatnonzero(codes.coded)
        features = clone(self.features if self.features is not None else SegmentFeatures())
        F = features.fit(X).blocks(X).to_matrix()
        self.features_ = features
        self.multilabel_ = codes.multilabel
        self.classes_ = codes.classes
        self.n_training_ = len(rows)
        self.n_uncoded_ = len(batch) - len(rows)
        self.n_documents_ = len(np.unique(batch.docs[rows])) if batch.has_context else len(rows)
        self.category_counts_ = {str(k): int(v) for k, v in codes.counts().items()}
        self.uncoded_categories_ = [
            str(c) for c in (self.categories or ()) if str(c) not in self.category_counts_
        ]
        self.training_digest_ = training_digest(batch, codes)
        self.training_texts_ = frozenset(text_key(t) for t in batch.texts[rows])
        self.n_features_ = F.shape[1]
        self.calibrated_ = self.calibration is not None
        self.calibration_note_ = None
        self.uncut_categories_, self.cut_note_ = {}, None
        # Calibration folds must not learn one copy of a policy and score its twin.
        groups, copies = document_copies(batch)
        self.document_copies_ = [[str(d) for d in c] for c in copies]
        folds = partial(
            calibration_folds,
            groups if batch.has_context else None,
            n_splits=self.calibration_folds,
            random_state=self.random_state,
        )
        if codes.multilabel:
            self._fit_multilabel(folds, F, rows, codes)
        else:
            self._fit_single(folds, F, rows, codes)
        return self

    def _can_calibrate(self, folds: list, y: np.ndarray) -> bool:
        """Whether every category can be calibrated on ``folds`` (see
        :func:`~ihms.policy.autocode._scores.uncalibratable`); if not, the probabilities
        become :class:`SigmoidScores` and ``calibration_note_`` says why."""
        missing = uncalibratable(folds, y, [str(c) for c in self.classes_])
        if missing:
            self._not_calibrated(
                missing,
                f"not coded in every one of the {len(folds)} calibration folds (a single "
                "code, or all codes in one document)",
            )
        return not missing

    def _hold_falling(self, maps: list, shares: np.ndarray) -> None:
        """:func:`~ihms.policy.autocode._scores.hold_falling` on this coder's maps, the
        categories held named in ``calibration_note_``; the coder stays calibrated."""
        names = [str(c) for c in self.classes_]
        held = hold_falling(maps, names[1:] if len(maps) == 1 < len(names) else names, shares)
        if held:
            self.calibration_note_ = held_note(held)

    def _not_calibrated(self, categories: list[str], why: str) -> None:
        """Mark the coder uncalibrated because of ``categories`` (``why``: what is wrong
        with them, ``{its}`` standing for its / their)."""
        one = len(categories) == 1
        self.calibrated_ = False
        self.calibration_note_ = (
            f"numbers are not calibrated: {len(categories)} categor"
            f"{'y' if one else 'ies'} ({', '.join(categories)}) {'is' if one else 'are'} "
            f"{why.format(its='its' if one else 'their')}; they are the logistic function "
            "of the model's scores, an order rather than chances, and no --min-probability "
            "cut applies. Code more segments, in more documents, to calibrate"
        )

    def _fit_single(self, folds: Callable, F: Any, rows: np.ndarray, codes: CodeSet) -> None:
        assert codes.labels is not None
        y = codes.labels[rows].astype(str)
        self.thresholds_ = None
        self.score_thresholds_ = None
        self.n_pseudo_codes_ = 0
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The least populated class")
            if self.calibration is not None:
                # On the hand codes only: pseudo-codes are the model's own answers, so
                # out-of-fold scores would agree with them by construction (0.77 mean
                # probability at 0.64 accuracy on held-out documents, session 28).
                parts = folds(rows, y)
                self.calibrator_ = SigmoidScores()
                if self._can_calibrate(parts, y):
                    scores = oof_scores(self._base(len(rows)), F[rows], y, parts)
                    fitted = fit_calibrator(scores, y, method=self.calibration)
                    named = fitted.classes_ if len(fitted.classes_) > 2 else fitted.classes_[1:]
                    shares = np.array([(y == str(c)).mean() for c in named])
                    self._hold_falling(calibration_maps(fitted), shares)
                    self.calibrator_ = fitted
            if self.self_training and self.n_uncoded_:
                rows, y = pseudo_codes(self, F, rows, y)
            self.model_ = self._base(len(rows)).fit(F[rows], y)
        self.coef_, self.intercept_ = linear_parts(self.model_, F.shape[1])

    def _fit_multilabel(self, folds: Callable, F: Any, rows: np.ndarray, codes: CodeSet) -> None:
        assert codes.indicator is not None
        Y = codes.indicator[rows]
        names = [str(c) for c in self.classes_]
        t = self.thresholds
        if not isinstance(t, str) and self.calibration is None:
            raise InputError(
                "parameter 'thresholds': probability thresholds need calibration; "
                "set calibration='sigmoid' or thresholds='tuned'"
            )
        if isinstance(t, Mapping):
            unknown = sorted(set(t) - set(names))
            if unknown:
                raise InputError(
                    f"parameter 'thresholds': unknown categories {unknown}; expected {names}"
                )
        # One category is a yes/no model; one-vs-rest would read its one-column
        # indicator as a single class and scikit-learn's folds refuse that.
        target = Y[:, 0] if len(names) == 1 else Y
        model = self._base(len(rows))
        model = model if len(names) == 1 else OneVsRestClassifier(model)
        scores = None
        self.calibrator_ = None
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The least populated class")
            if self.calibration is not None or t == "tuned":
                parts = folds(rows, None)
                scores = oof_scores(model, F[rows], target, parts)
                if self.calibration is not None:
                    self.calibrator_ = [SigmoidScores() for _ in names]
                if self.calibration is not None and self._can_calibrate(parts, Y):
                    fitted = [
                        fit_calibrator(scores[:, [j]], Y[:, j], method=self.calibration)
                        for j in range(len(names))
                    ]
                    self._hold_falling([calibration_maps(c)[0] for c in fitted], Y.mean(axis=0))
                    self.calibrator_ = fitted
            self.model_ = model.fit(F[rows], target)
        self.coef_, self.intercept_ = linear_parts(self.model_, F.shape[1])
        if t == "tuned":
            assert scores is not None
            cuts, self.uncut_categories_ = tuned_cuts(Y, scores, names)
            self.cut_note_ = cut_note(self.uncut_categories_)
        elif t == "default":
            cuts = np.zeros(len(names))
        else:
            cuts = None
            given = t if isinstance(t, Mapping) else dict.fromkeys(names, t)
            self.thresholds_ = {c: float(given.get(c, 0.5)) for c in names}
        self.score_thresholds_ = cuts
        if cuts is not None and self.calibrator_ is not None:
            self.thresholds_ = probability_cuts(self._proba_from_scores, cuts, names)
        elif cuts is not None:
            self.thresholds_ = None

    # ------------------------------------------------------------------ predict
    # Scores are computed block by block from the fitted weights (FeatureBlocks), never
    # from the stacked matrix: coding 100,000 segments stays fast. The ``*_scores``
    # methods let a caller wanting codes and probabilities featurise only once.
    def _scores(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "model_")
        scores = self.features_.blocks(X).linear_scores(self.coef_, self.intercept_)
        if not self.multilabel_ and len(self.classes_) == 2:
            scores = np.c_[-scores[:, 0], scores[:, 0]]
        return scores

    def _proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        if self.multilabel_:
            return np.column_stack(
                [cal.predict_proba(scores[:, [j]])[:, -1] for j, cal in enumerate(self.calibrator_)]
            )
        if len(self.classes_) == 2:
            return self.calibrator_.predict_proba(scores[:, [1]])
        return self.calibrator_.predict_proba(scores)

    def _predict_from_scores(self, scores: np.ndarray) -> np.ndarray:
        if self.multilabel_:
            if self.score_thresholds_ is not None:
                return (scores >= self.score_thresholds_).astype(np.int8)
            t = np.array([self.thresholds_[str(c)] for c in self.classes_])
            return (self._proba_from_scores(scores) >= t).astype(np.int8)
        return self.classes_[scores.argmax(axis=1)]

    def decision_function(self, X: Any) -> np.ndarray:
        """Uncalibrated scores, one column per category (higher: more likely).

        Parameters
        ----------
        X : DataFrame or sequence of str
            Segments as :meth:`fit` takes them (``text``, and ``doc``/``position`` when
            the features use context), or bare texts.
        """
        return self._scores(X)

    @available_if(lambda self: self.calibration is not None)
    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probability of each category (columns follow ``classes_``).

        Single-label rows add up to 1; multi-label columns are separate yes/no
        probabilities. Each category's scores are calibrated by a map of their own, so
        calibration never changes a code: :meth:`predict` still takes the best-scoring
        category, which on a few segments is not the most probable one (another
        category's column is then larger; on the development set, 154 of 3,873 rows).
        A category held at its share (see ``calibration_note_``) has the same
        probability on every segment; with probability thresholds (multi-label,
        ``thresholds`` a number or mapping) it is then coded on every segment or none.
        """
        return self._proba_from_scores(self._scores(X))

    def predict(self, X: Any) -> np.ndarray:
        """Codes: a category per segment (single-label, the best-scoring one, not
        necessarily the most probable: see :meth:`predict_proba`), or a 0/1 matrix over
        ``classes_`` (multi-label, each category at its own threshold).

        Parameters
        ----------
        X : DataFrame or sequence of str
            Segments, as for :meth:`decision_function`.
        """
        return self._predict_from_scores(self._scores(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.classifier_tags.multi_label = True
        return tags
