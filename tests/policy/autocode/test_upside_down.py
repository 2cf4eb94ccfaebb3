"""A category whose calibration would run the wrong way (review of session 28, finding
1): its probability falling as its score rises. It happens to a rare category whose
few codes do not resemble each other: the calibration fold that learns one of them
scores the others among its lowest. Each category is present in every training part,
so the fold check (`uncalibratable`) passes; the fitted map is checked instead: such a
category's probability is held at its share of the codes (the value scikit-learn's
isotonic map, which cannot fall, gives it) and the coder says so, while the other
categories keep their maps. (The first fix of session 28 left the whole coder
uncalibrated instead; on the development set one 7-code category then refused
--min-probability for all 17.)

Golden behaviour: scikit-learn's ``CalibratedClassifierCV(LinearSVC(...), cv=<the
coder's calibration folds>, ensemble=False)`` on the same features and folds fits the
inverted map without a word (sigmoid slope a > 0; isotonic flat)."""

import numpy as np
import pytest

from ihms.policy.autocode import LearnedCoder, train_coder

from ._sklearn_reference import calibrated_svm
from .conftest import RARE


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


def test_a_coder_holds_the_falling_category_at_its_share_and_says_so(rare_corpus):
    X, y = rare_corpus
    ref, _, _ = calibrated_svm(X, y)
    trained = train_coder(
        X, y, codebook_version="v", dimension="d", coder=LearnedCoder(min_per_category=1),
    )  # fmt: skip
    est = trained.estimator
    assert est.calibrated_  # the other categories keep their maps: the coder calibrates
    maps = est.calibrator_.calibrated_classifiers_[0].calibrators
    ref_maps = ref.calibrated_classifiers_[0].calibrators
    j = list(est.classes_).index(RARE)
    for k, (m, r) in enumerate(zip(maps, ref_maps, strict=True)):
        if k != j:  # scikit-learn's own maps, untouched
            assert (m.a_, m.b_) == pytest.approx((r.a_, r.b_), rel=1e-6)
    # held at the share of its codes among the 48 coded rows: 5/48, the value
    # scikit-learn's isotonic map gives it (flat) in the test above
    assert maps[j].a_ == 0.0
    assert 1.0 / (1.0 + np.exp(maps[j].b_)) == pytest.approx(5 / 48)
    assert est.calibration_note_.startswith(
        f"1 category ({RARE} at 10.4%) is scored no higher on its own codes"
    )
    assert trained.manifest()["calibrated"] is True
    assert RARE in trained.manifest()["calibration_note"]
    assert any(RARE in n for n in trained.summary().notes)
    # --min-probability still applies to the calibrated coder
    coded = trained.code(X, min_probability=0.5)
    assert coded.n_segments == len(X) and len(coded.codes) + len(coded.abstained) == len(X)


def test_an_isotonic_map_cannot_fall_and_is_kept(rare_corpus):
    X, y = rare_corpus
    ref, F, rows = calibrated_svm(X, y, method="isotonic")
    coder = LearnedCoder(min_per_category=1, calibration="isotonic").fit(X, y)
    assert coder.calibrated_ and coder.calibration_note_ is None
    assert np.allclose(coder.predict_proba(X)[rows], ref.predict_proba(F))


def test_multilabel_falling_category_is_held_at_its_share(rare_corpus):
    X, y = rare_corpus
    codes = [None if v is None else [v] for v in y]
    ref, _, _ = calibrated_svm(X, y, present=RARE)
    inverted = ref.calibrated_classifiers_[0].calibrators[0]
    assert inverted.a_ == pytest.approx(2.9586, abs=1e-3)

    coder = LearnedCoder(min_per_category=1).fit(X, codes)
    assert coder.calibrated_ and RARE in coder.calibration_note_
    j = list(coder.classes_).index(RARE)
    proba = coder.predict_proba(X)
    assert np.allclose(proba[:, j], 5 / 48)  # its share of the coded rows
    # the other categories' thresholds code what their scores code
    t = np.array([coder.thresholds_[c] for c in coder.classes_])
    others = [k for k in range(len(coder.classes_)) if k != j]
    agree = (proba >= t) == coder.predict(X).astype(bool)
    assert agree[:, others].all()
