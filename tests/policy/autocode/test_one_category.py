"""A multi-label dimension of one category (review of session 28, finding 5): its
present/absent codes are a binary model. One-vs-rest read the one-column indicator as
one class, and scikit-learn's cross-validation stopped with a raw ValueError ("Only 2
class/es in training fold, but 1 in overall dataset"). Golden: scikit-learn's
``CalibratedClassifierCV(LinearSVC(...), cv=<the coder's folds>, ensemble=False)`` and
``cross_val_predict`` on the same yes/no target and folds."""

import numpy as np
import pytest
from sklearn.model_selection import cross_val_predict
from sklearn.svm import LinearSVC

from ihms.policy.autocode import LearnedCoder, train_coder
from ihms.policy.autocode._scores import best_f1_cut

from ._sklearn_reference import calibrated_svm

MONEY = "资金补助补贴奖励"


@pytest.fixture
def money(corpus):
    """One category, ``money``: a sum is granted; headings stay uncoded."""
    return [
        None if v is None or v != v else (["money"] if any(w in t for w in MONEY) else [])
        for v, t in zip(corpus["label"], corpus["text"], strict=True)
    ]


def test_one_category_is_a_calibrated_yes_no_model(segments, money):
    trained = train_coder(
        segments, money, codebook_version="v", dimension="d",
        coder=LearnedCoder(min_per_category=2),
    )  # fmt: skip
    coder = trained.estimator
    assert coder.multilabel_ and list(coder.classes_) == ["money"] and coder.calibrated_
    ref, F, rows = calibrated_svm(segments, money, present="money")
    proba = coder.predict_proba(segments)
    assert proba.shape == (len(segments), 1)
    np.testing.assert_allclose(proba[rows, 0], ref.predict_proba(F)[:, 1], atol=1e-9)
    # coded at the cut that maximises F1 on the same out-of-fold scores
    has = np.array(["money" in money[i] for i in rows], dtype=int)
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
    oof = cross_val_predict(svm, F, has, cv=ref.cv, method="decision_function")
    assert coder.score_thresholds_[0] == pytest.approx(best_f1_cut(has, oof), abs=1e-9)
    codes = coder.predict(segments)
    scores = coder.decision_function(segments)
    assert codes.shape == (len(segments), 1)
    assert (codes[:, 0] == (scores[:, 0] >= coder.score_thresholds_[0])).all()
    assert ((proba[:, 0] >= coder.thresholds_["money"]) == codes[:, 0].astype(bool)).all()
    # and applied with a probability cut
    coding = trained.code(segments, min_probability=0.6)
    sure = np.where(codes[:, 0] == 1, proba[:, 0], 1 - proba[:, 0]) >= 0.6
    assert coding.abstained.tolist() == np.flatnonzero(~sure).tolist()


@pytest.mark.parametrize(
    "params",
    [{"calibration": None}, {"thresholds": "default"}, {"calibration": "isotonic"}, {}],
)
def test_one_category_fits_with_any_settings(segments, money, params):
    coder = LearnedCoder(min_per_category=2, **params).fit(segments, money)
    assert coder.predict(segments).shape == (len(segments), 1)


def test_one_category_with_one_code_is_left_uncalibrated(segments, money):
    once = [None if v is None else [] for v in money]
    once[next(i for i, v in enumerate(money) if v == ["money"])] = ["money"]
    coder = LearnedCoder(min_per_category=1).fit(segments, once)
    assert not coder.calibrated_
    assert "(money) is not coded in every one of the 2 calibration folds" in (
        coder.calibration_note_
    )
