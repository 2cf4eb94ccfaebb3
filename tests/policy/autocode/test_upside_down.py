"""A category whose calibration would run the wrong way (review of session 28, finding
1): its probability falling as its score rises. It happens to a rare category whose
few codes do not resemble each other: the calibration fold that learns one of them
scores the others among its lowest. Each category is present in every training part,
so the fold check (`uncalibratable`) passes; the fitted map is checked instead, and
such a coder keeps uncalibrated probabilities and says so, as one missing a category
from a fold does.

Golden behaviour: scikit-learn's ``CalibratedClassifierCV(LinearSVC(...), cv=<the
coder's calibration folds>, ensemble=False)`` on the same features and folds fits the
inverted map without a word (sigmoid slope a > 0; isotonic flat)."""

import numpy as np
import pytest

from ihms.errors import InputError
from ihms.policy.autocode import LearnedCoder, train_coder
from ihms.policy.autocode._scores import SigmoidScores

from ._sklearn_reference import calibrated_svm

RARE = "稀有"


@pytest.fixture
def rare_corpus(corpus_factory):
    """Six documents; a category of five codes: a funding sentence of doc01 and two
    application-procedure sentences each of doc02 and doc03 (codes that do not
    resemble each other)."""
    corpus = corpus_factory(n_docs=6, per_section=2)
    y = [None if v is None or v != v else v for v in corpus["label"]]
    for doc, cat, k in (
        ("doc01", "资金支持", 1),
        ("doc02", "申请程序", 2),
        ("doc03", "申请程序", 2),
    ):
        for i in [i for i, v in enumerate(y) if v == cat and corpus["doc"][i] == doc][:k]:
            y[i] = RARE
    return corpus[["id", "doc", "position", "text"]], y


def test_scikit_learn_calibrates_the_rare_category_upside_down(rare_corpus):
    X, y = rare_corpus
    ref, F, _ = calibrated_svm(X, y)
    j = list(ref.classes_).index(RARE)
    slopes = [m.a_ for m in ref.calibrated_classifiers_[0].calibrators]
    assert slopes[j] == pytest.approx(9.7079, abs=1e-3)  # p = 1 / (1 + exp(a s + b))
    assert all(a < 0 for k, a in enumerate(slopes) if k != j)
    scores = ref.calibrated_classifiers_[0].estimator.decision_function(F)[:, j]
    p = ref.predict_proba(F)[:, j]
    assert p[scores.argmax()] < 1e-5 < 0.3 < p[scores.argmin()] == p.max()

    iso, _, _ = calibrated_svm(X, y, method="isotonic")
    flat = iso.calibrated_classifiers_[0].calibrators[j]
    assert flat.y_thresholds_.min() == flat.y_thresholds_.max() == pytest.approx(5 / 48)


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_a_coder_keeps_uncalibrated_probabilities_and_names_the_category(rare_corpus, method):
    X, y = rare_corpus
    trained = train_coder(
        X, y, codebook_version="v", dimension="d",
        coder=LearnedCoder(min_per_category=1, calibration=method),
    )  # fmt: skip
    est = trained.estimator
    assert not est.calibrated_ and isinstance(est.calibrator_, SigmoidScores)
    assert est.calibration_note_.startswith(
        f"probabilities are not calibrated: 1 category ({RARE}) is scored no higher on its "
        "own codes"
    )
    assert "would fall as its score rises" in est.calibration_note_
    proba = est.predict_proba(X)
    assert np.array_equal(proba, SigmoidScores().predict_proba(est.decision_function(X)))
    assert (est.classes_[proba.argmax(axis=1)] == est.predict(X)).all()
    manifest = trained.manifest()
    assert manifest["calibrated"] is False and RARE in manifest["calibration_note"]
    assert any(RARE in n and "not calibrated" in n for n in trained.summary().notes)
    with pytest.raises(InputError, match=r"min_probability.*not calibrated.*nothing was coded"):
        trained.code(X, min_probability=0.5)


def test_multilabel_thresholds_follow_the_scores(rare_corpus):
    X, y = rare_corpus
    codes = [None if v is None else [v] for v in y]
    ref, _, rows = calibrated_svm(X, y, present=RARE)
    inverted = ref.calibrated_classifiers_[0].calibrators[0]
    assert inverted.a_ == pytest.approx(2.9586, abs=1e-3)

    coder = LearnedCoder(min_per_category=1).fit(X, codes)
    assert not coder.calibrated_ and RARE in coder.calibration_note_
    j = list(coder.classes_).index(RARE)
    scores = coder.decision_function(X)
    cut = coder.score_thresholds_[j]
    # with scikit-learn's map, "p at least its threshold" would mean "score at most the cut"
    p_ref = inverted.predict(scores[rows, j])
    assert ((p_ref >= inverted.predict(np.array([cut]))[0]) != (scores[rows, j] >= cut)).all()
    # the coder's thresholds code what its scores code, in every column
    t = np.array([coder.thresholds_[c] for c in coder.classes_])
    assert ((coder.predict_proba(X) >= t) == coder.predict(X).astype(bool)).all()
    assert 0 < coder.thresholds_[RARE] < 1
