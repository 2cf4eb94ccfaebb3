"""A multi-label category whose scores run the wrong way gets no F1-tuned cut (session
29). On the development set (multi-label, labels split at ``-``) the 7-code category
技术支持 scored its own codes among the middle of the out-of-fold scores (AUC 0.39),
and the cut that maximised its F1 (0.006) sat below five in six segments: the coder
gave it to 1,404 of 3,873 segments. A cut is now kept only when the category's codes
lie above it more often than chance would put them there (one-sided hypergeometric
test, p < 0.05); otherwise the category gets the majority answer of its codes (here:
never coded) and a note names it.

Golden: the out-of-fold scores from scikit-learn's ``cross_val_predict(LinearSVC(...),
cv=<the coder's calibration folds>)``, the F1 cut read off them by hand, and the test's
p from ``scipy.stats.fisher_exact(alternative="greater")`` on the 2x2 table."""

import json

import numpy as np
import pytest
from scipy.stats import fisher_exact
from sklearn.metrics import f1_score
from sklearn.model_selection import cross_val_predict
from sklearn.svm import LinearSVC

from ihms.policy.autocode import LearnedCoder, train_coder
from ihms.policy.autocode._scores import best_f1_cut

from ._sklearn_reference import calibrated_svm
from .conftest import RARE


@pytest.fixture
def rare_multilabel(rare_corpus):
    """The rare category of test_upside_down, its codes as multi-label lists."""
    X, y = rare_corpus
    return X, [None if v is None else [v] for v in y]


def _oof(X, codes, category):
    ref, F, rows = calibrated_svm(X, codes, present=category)
    has = np.array([category in codes[i] for i in rows], dtype=int)
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
    return has, cross_val_predict(svm, F, has, cv=ref.cv, method="decision_function")


def test_a_category_whose_scores_run_the_wrong_way_is_never_coded(rare_multilabel):
    X, codes = rare_multilabel
    has, oof = _oof(X, codes, RARE)
    # the lowest held-out score is one of its codes, so the F1-best cut codes every
    # segment: F1 = 2 * 5 / (48 + 5), the five codes all 48 segments hold (p = 1)
    assert oof[has == 1].min() == oof.min()
    f1 = [f1_score(has, oof >= c) for c in np.unique(oof)]
    assert max(f1) == pytest.approx(2 * 5 / 53) == f1[0]
    assert fisher_exact([[5, 43], [0, 0]], alternative="greater")[1] == 1.0

    coder = LearnedCoder(min_per_category=1).fit(X, codes)
    j = list(coder.classes_).index(RARE)
    codes_given = coder.predict(X)
    assert codes_given[:, j].sum() == 0  # was 59 of the 72 segments
    assert coder.score_thresholds_[j] == np.inf and coder.thresholds_[RARE] == np.inf
    assert coder.uncut_categories_ == {RARE: "never"}
    assert coder.cut_note_.startswith(f"1 category ({RARE}) is never coded")
    # the other categories keep their F1 cuts, read off the same out-of-fold scores
    for k, category in enumerate(coder.classes_):
        if category != RARE:
            has_k, oof_k = _oof(X, codes, category)
            assert coder.score_thresholds_[k] == pytest.approx(best_f1_cut(has_k, oof_k))
            assert np.isfinite(coder.score_thresholds_[k])
    # probabilities at the thresholds code what the scores code, every column
    t = np.array([coder.thresholds_[c] for c in coder.classes_])
    np.testing.assert_array_equal(coder.predict_proba(X) >= t, codes_given.astype(bool))


def test_the_manifest_and_summary_name_it(rare_multilabel):
    X, codes = rare_multilabel
    trained = train_coder(
        X, codes, codebook_version="v", dimension="d", coder=LearnedCoder(min_per_category=1)
    )
    m = trained.manifest()
    j = list(trained.estimator.classes_).index(RARE)
    assert m["score_thresholds"][j] is None and m["thresholds"][RARE] is None
    assert m["uncut_categories"] == {RARE: "never"}
    json.dumps(m, allow_nan=False)  # plain JSON, no Infinity
    assert any(
        n.startswith(f"Its 1 category ({RARE}) is never coded") for n in trained.summary().notes
    )


def test_a_weak_but_real_cut_is_kept():
    """Codes above the cut beyond chance keep it, though the category's top score is
    not one of its codes: 3 codes among 40 segments, the best cut (F1 4/8) coding 5
    of them including 2 codes: Fisher p = (3 C(37,3) + C(37,2)) / C(40,5) = 0.0364."""
    has = np.zeros(40, dtype=int)
    has[[2, 5, 20]] = 1
    scores = np.linspace(1, -1, 40)
    scores[[2, 3, 4, 5]] = [0.99, 0.98, 0.97, 0.96]
    p = fisher_exact([[2, 3], [1, 34]], alternative="greater")[1]
    assert p == pytest.approx(23976 / 658008) == pytest.approx(0.0364, abs=1e-4)
    cut = best_f1_cut(has, scores)
    assert (scores >= cut).sum() == 5 and cut == pytest.approx((scores[5] + scores[1]) / 2)
    # the same codes and scores with a stricter level: refused, never coded
    assert best_f1_cut(has, scores, alpha=0.01) == np.inf
