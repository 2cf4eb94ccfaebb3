"""Self-training calibrates on the hand codes only (review of session 28, finding 3).

Pseudo-codes are the model's own answers, so out-of-fold scores agreed with them by
construction: on held-out documents of the development set the mean probability was
0.77 at an accuracy of 0.64. Now the final model learns from the pseudo-codes, and
the calibration maps are fitted on the hand-coded segments' out-of-fold scores: the
maps scikit-learn's ``CalibratedClassifierCV(..., ensemble=False)`` fits on the same
rows and folds, the same maps as without self-training."""

import numpy as np
import pytest

from ihms.policy.autocode import LearnedCoder
from ihms.policy.autocode._scores import calibration_maps

from ._sklearn_reference import calibrated_svm


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_self_training_fits_its_calibration_on_the_hand_codes(segments, labels, method):
    held = {"doc06", "doc07", "doc08"}
    codes = [None if d in held else v for d, v in zip(segments["doc"], labels, strict=True)]
    st = LearnedCoder(self_training=True, calibration=method).fit(segments, codes)
    plain = LearnedCoder(calibration=method).fit(segments, codes)
    assert st.calibrated_ and plain.calibrated_
    assert st.n_pseudo_codes_ == round(0.5 * sum(v is None for v in codes)) > 0
    assert not np.allclose(st.coef_, plain.coef_)  # the final model learnt the pseudo-codes

    ref, _, _ = calibrated_svm(segments, codes, method=method)
    got = calibration_maps(st.calibrator_)
    for mine, theirs, same in zip(
        got, ref.calibrated_classifiers_[0].calibrators, calibration_maps(plain.calibrator_),
        strict=True,
    ):  # fmt: skip
        if method == "sigmoid":
            assert (mine.a_, mine.b_) == pytest.approx((theirs.a_, theirs.b_), abs=1e-9)
            assert (mine.a_, mine.b_) == (same.a_, same.b_)
        else:
            np.testing.assert_allclose(mine.X_thresholds_, theirs.X_thresholds_, atol=1e-9)
            np.testing.assert_allclose(mine.y_thresholds_, theirs.y_thresholds_, atol=1e-12)
    # the self-trained model's scores go through those maps
    proba = st.predict_proba(segments)
    np.testing.assert_allclose(
        proba, plain.calibrator_.predict_proba(st.decision_function(segments))
    )


def test_self_training_ranks_on_folds_that_keep_documents_whole(segments, labels):
    """The ranker that picks the pseudo-codes (review of session 28, finding 3, minor)
    split its calibration folds by segment (``StratifiedKFold`` inside
    ``SelfTrainingClassifier``), so a document's other segments informed each one's
    out-of-fold score. Golden: scikit-learn's ``CalibratedClassifierCV(LinearSVC(...),
    cv=<the coder's calibration folds, by document>, ensemble=False)`` on the hand
    codes ranks the uncoded segments; its ``k_best`` most probable, with their most
    probable category, plus the hand codes train the final ``LinearSVC``."""
    from sklearn.svm import LinearSVC

    held = {"doc06", "doc07", "doc08"}
    codes = [None if d in held else v for d, v in zip(segments["doc"], labels, strict=True)]
    # a fifth: the segment-split folds ranked 2 of these 14 differently
    st = LearnedCoder(self_training=True, self_training_share=0.2).fit(segments, codes)

    ref, _, rows = calibrated_svm(segments, codes)
    # the reference's folds never split a document
    docs = segments["doc"].to_numpy()[rows]
    assert all(not set(docs[a]) & set(docs[b]) for a, b in ref.cv)
    features = LearnedCoder(min_per_category=1, calibration=None).fit(segments, codes)
    F = features.features_.blocks(segments).to_matrix()
    uncoded = np.flatnonzero([v is None for v in codes])
    prob = ref.predict_proba(F[uncoded])
    k = round(0.2 * len(uncoded))
    chosen = np.sort(np.argpartition(-prob.max(axis=1), k)[:k])
    assert st.n_pseudo_codes_ == k
    y = np.r_[[codes[i] for i in rows], ref.classes_[prob.argmax(axis=1)][chosen]]
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
    svm.fit(F[np.r_[rows, uncoded[chosen]]], y)
    np.testing.assert_allclose(st.coef_, svm.coef_, atol=1e-9)
    np.testing.assert_allclose(st.intercept_, svm.intercept_, atol=1e-9)
