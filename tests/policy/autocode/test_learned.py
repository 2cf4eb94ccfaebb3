import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks as checks

from ihms.errors import DataError, InputError
from ihms.policy.autocode import LearnedCoder, SegmentFeatures, TooFewCodesError, best_f1_cut


def _held_out(segments, labels, held):
    """Codes with the documents in ``held`` hidden (as a project's uncoded segments)."""
    docs = segments["doc"].to_numpy()
    return [None if d in held else v for d, v in zip(docs, labels, strict=True)]


def test_learns_the_categories_of_unseen_documents(segments, labels):
    held = {"doc07", "doc08"}
    coder = LearnedCoder().fit(segments, _held_out(segments, labels, held))
    test = segments["doc"].isin(held).to_numpy() & np.array([v is not None for v in labels])
    pred = coder.predict(segments)
    accuracy = np.mean(pred[test] == np.array(labels, dtype=object)[test])
    assert accuracy >= 0.9
    proba = coder.predict_proba(segments)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-9)
    # 8 documents x (4 headings + 4 sections x 3 coded sentences); 2 held out:
    # training codes 6 x 12 = 72; uncoded 8 x 4 headings + 2 x 12 held-out = 56
    assert coder.n_training_ == 72 and coder.n_uncoded_ == 56
    assert coder.n_documents_ == 6


def test_same_seed_same_model(segments, labels):
    a = LearnedCoder(random_state=5).fit(segments, labels)
    b = LearnedCoder(random_state=5).fit(segments, labels)
    np.testing.assert_array_equal(a.predict_proba(segments), b.predict_proba(segments))
    assert a.training_digest_ == b.training_digest_


def test_caller_data_are_not_modified(segments, labels):
    before = segments.copy()
    codes = list(labels)
    LearnedCoder().fit(segments, codes)
    pd.testing.assert_frame_equal(segments, before)
    assert codes == labels


def test_too_few_codes_names_each_category_and_how_many_more(corpus_factory):
    corpus = corpus_factory(n_docs=2, per_section=2)  # 4 codes per category
    codes = list(corpus["label"].where(corpus["label"].notna(), None))
    with pytest.raises(TooFewCodesError) as err:
        LearnedCoder(
            min_per_category=6,
            categories=["资金支持", "人才培养", "监督管理", "申请程序", "政策宣传"],
        ).fit(corpus[["doc", "text"]], codes)
    assert err.value.shortfall == {
        "资金支持": (4, 2),
        "人才培养": (4, 2),
        "监督管理": (4, 2),
        "申请程序": (4, 2),
        "政策宣传": (0, 6),  # in the codebook, never coded
    }
    assert "'政策宣传' has 0 coded segments, needs 6 more" in str(err.value)
    assert isinstance(err.value, InputError)


def test_a_label_spelt_two_ways_is_pointed_out(segments, labels):
    # a spreadsheet where two cells of 监督管理 have half-width brackets or a space
    # inside: the rare spelling is refused, and the message shows which label it is
    codes = [None if v is None else f"{v}（类）" for v in labels]
    odd = [i for i, v in enumerate(labels) if v == "监督管理"][:2]
    codes[odd[0]], codes[odd[1]] = "监督管理(类)", "监督 管理（类）"
    with pytest.raises(TooFewCodesError) as err:
        LearnedCoder().fit(segments, codes)
    have = sum(v == "监督管理（类）" for v in codes)
    assert set(err.value.shortfall) == {"监督管理(类)", "监督 管理（类）"}
    assert (
        f"'监督管理(类)' has 1 coded segment, needs 4 more (the same label as "
        f"'监督管理（类）' ({have:,} coded) but for full-/half-width characters"
    ) in str(err.value)
    assert (
        f"'监督 管理（类）' has 1 coded segment, needs 4 more (the same label as "
        f"'监督管理（类）' ({have:,} coded) but for spaces:"
    ) in str(err.value)


def test_a_label_differing_in_case_is_said_to_differ_in_case(segments, labels):
    # Walk 17: 'Governments' beside 'governments' (115 coded) was "the same label ... but
    # for spaces or full-/half-width characters", which sent the user looking for spaces
    codes = [None if v is None else f"{v}（类）" for v in labels]
    codes = ["A类" if v == "资金支持（类）" else v for v in codes]
    first = codes.index("A类")
    codes[first] = "a类"
    with pytest.raises(TooFewCodesError) as err:
        LearnedCoder().fit(segments, codes)
    assert "(the same label as 'A类' (" in str(err.value)
    assert "coded) but for case: write them alike)" in str(err.value)


def test_codes_outside_the_codebook_and_single_category_are_refused(segments, labels):
    with pytest.raises(InputError, match="not in parameter 'categories'"):
        LearnedCoder(categories=["资金支持"], min_per_category=1).fit(segments, labels)
    only_one = [v if v == "资金支持" else None for v in labels]
    with pytest.raises(InputError, match="at least 2 categories"):
        LearnedCoder(min_per_category=1).fit(segments, only_one)


def test_empty_text_fits_nothing(segments, labels):
    broken = segments.copy()
    broken.loc[5, "text"] = "  "
    coder = LearnedCoder()
    with pytest.raises(DataError, match="cannot be coded"):
        coder.fit(broken, labels)
    assert not hasattr(coder, "model_")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"model": "forest"}, "parameter 'model'"),
        ({"C": 0}, "parameter 'C'"),
        ({"calibration": "platt"}, "parameter 'calibration'"),
        ({"calibration_folds": 1}, "calibration_folds"),
        ({"thresholds": 1.5}, "parameter 'thresholds'"),
        ({"self_training_share": 0}, "self_training_share"),
    ],
)
def test_bad_parameters(segments, labels, params, message):
    with pytest.raises(InputError, match=message):
        LearnedCoder(**params).fit(segments, labels)


@pytest.mark.parametrize("model", ["svm", "logistic", "sgd"])
def test_every_linear_model_learns(segments, labels, model):
    coder = LearnedCoder(model=model).fit(segments, _held_out(segments, labels, {"doc08"}))
    rows = (segments["doc"] == "doc08").to_numpy() & np.array([v is not None for v in labels])
    assert np.mean(coder.predict(segments)[rows] == np.array(labels, dtype=object)[rows]) >= 0.8


def test_without_calibration_there_are_no_probabilities(segments, labels):
    coder = LearnedCoder(calibration=None).fit(segments, labels)
    assert not hasattr(coder, "predict_proba")
    calibrated = LearnedCoder().fit(segments, labels)
    # calibration does not change the codes: both take the best raw score
    np.testing.assert_array_equal(coder.predict(segments), calibrated.predict(segments))


def test_self_training_adds_pseudo_codes(segments, labels):
    held = {"doc06", "doc07", "doc08"}
    codes = _held_out(segments, labels, held)
    coder = LearnedCoder(self_training=True, self_training_share=0.5).fit(segments, codes)
    uncoded = sum(v is None for v in codes)
    # one round: k_best = half of the uncoded segments got pseudo-codes
    assert coder.n_pseudo_codes_ == round(0.5 * uncoded)
    assert LearnedCoder().fit(segments, codes).n_pseudo_codes_ == 0
    assert coder.predict_proba(segments).shape == (len(segments), 4)


def _multilabel(corpus):
    """Two overlapping yes/no categories written for the test: money mentioned, and a
    department named."""
    out = []
    for text, label in zip(corpus["text"], corpus["label"], strict=True):
        if label is None or label != label:
            out.append(None)
            continue
        cats = []
        if any(w in text for w in ("资金", "补助", "补贴", "奖励")):
            cats.append("money")
        if any(w in text for w in ("局", "县政府")):
            cats.append("department")
        out.append(cats)
    return out


def test_multilabel_thresholds_are_tuned_and_used(corpus, segments):
    codes = _multilabel(corpus)
    coder = LearnedCoder().fit(segments, codes)
    assert coder.multilabel_
    assert set(coder.thresholds_) == {"money", "department"}
    scores = coder.decision_function(segments)
    np.testing.assert_array_equal(
        coder.predict(segments), (scores >= coder.score_thresholds_).astype(int)
    )
    # the probability thresholds are the calibrated probabilities at the score cuts, so
    # coding by probability gives the same codes
    proba = coder.predict_proba(segments)
    t = np.array([coder.thresholds_[c] for c in coder.classes_])
    np.testing.assert_array_equal(coder.predict(segments), (proba >= t - 1e-12).astype(int))
    # calibration never changes the codes
    plain = LearnedCoder(calibration=None).fit(segments, codes)
    np.testing.assert_array_equal(plain.predict(segments), coder.predict(segments))
    assert plain.thresholds_ is None and not hasattr(plain, "predict_proba")
    boundary = LearnedCoder(thresholds="default", calibration=None).fit(segments, codes)
    np.testing.assert_array_equal(boundary.score_thresholds_, [0.0, 0.0])
    fixed = LearnedCoder(thresholds={"money": 0.9}).fit(segments, codes)
    assert fixed.thresholds_ == {"department": 0.5, "money": 0.9}
    assert fixed.score_thresholds_ is None
    np.testing.assert_array_equal(
        fixed.predict(segments), (fixed.predict_proba(segments) >= [0.5, 0.9]).astype(int)
    )
    with pytest.raises(InputError, match="unknown categories"):
        LearnedCoder(thresholds={"talent": 0.3}).fit(segments, codes)
    with pytest.raises(InputError, match="need calibration"):
        LearnedCoder(calibration=None, thresholds=0.4).fit(segments, codes)


def test_best_f1_cut_worked_example():
    y = np.array([0, 0, 1, 1, 1])
    s = np.array([-0.8, 0.6, 0.55, 0.7, 0.9])
    # coding the top k by score: k=1 -> F1 = 2*1/(1+3) = 0.5; k=2 -> 2*2/(2+3) = 0.8;
    # k=3 (adds the 0.6 negative) -> 2*2/(3+3) = 0.667; k=4 -> 2*3/(4+3) = 0.857;
    # k=5 -> 2*3/(5+3) = 0.75. Best k=4: the cut lies between 0.55 and -0.8.
    assert best_f1_cut(y, s, alpha=0.5) == pytest.approx((0.55 - 0.8) / 2)
    # but all 3 codes among the 4 segments coded happen by chance with probability
    # C(3,3) C(2,1) / C(5,4) = 2/5 (hypergeometric): at alpha 0.05 the cut is refused,
    # and the majority answer (3 of 5 have it) codes every segment
    assert best_f1_cut(y, s) == -np.inf
    assert best_f1_cut(1 - y, -s) == np.inf  # 2 of 5: never coded
    assert best_f1_cut(np.array([0, 0]), np.array([0.1, 0.2])) == 0.0


def test_works_in_scikit_learn_tools(segments, labels):
    coded = np.array([v is not None for v in labels])
    X, y = segments[coded].reset_index(drop=True), np.array(labels, dtype=object)[coded]
    groups = X["doc"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_val_score(
            LearnedCoder(calibration=None), X, y, cv=GroupKFold(4), groups=groups
        )
        assert scores.min() >= 0.8
        search = GridSearchCV(
            LearnedCoder(features=SegmentFeatures(), calibration=None),
            {"C": [0.1, 1.0], "features__context_weight": [0.0, 0.5]},
            cv=GroupKFold(4),
        ).fit(X, y, groups=groups)
    assert set(search.best_params_) == {"C", "features__context_weight"}
    pipe = Pipeline([("coder", LearnedCoder(features=SegmentFeatures(words=True)))]).fit(X, y)
    assert pipe.score(X, y) >= 0.9
    twin = clone(LearnedCoder(C=2.0))
    assert twin.get_params()["C"] == 2.0 and not hasattr(twin, "classes_")


@pytest.mark.parametrize(
    "check",
    [
        checks.check_no_attributes_set_in_init,
        checks.check_parameters_default_constructible,
        checks.check_get_params_invariance,
        checks.check_set_params,
        checks.check_estimator_repr,
        checks.check_do_not_raise_errors_in_init_or_set_params,
        checks.check_estimator_cloneable,
        checks.check_mixin_order,
        checks.check_valid_tag_types,
    ],
    ids=lambda c: c.__name__,
)
def test_scikit_learn_api_checks(check):
    # The numeric checks do not apply: a coder reads text (input tag ``string``).
    check("LearnedCoder", LearnedCoder())


def test_fit_returns_self_and_leaves_parameters_alone(segments, labels):
    coder = LearnedCoder(C=0.7, features=SegmentFeatures(min_df=1))
    before = coder.get_params(deep=True)
    assert coder.fit(segments, labels) is coder
    after = coder.get_params(deep=True)
    assert {k: repr(v) for k, v in before.items()} == {k: repr(v) for k, v in after.items()}
    assert not hasattr(coder.features, "char_vectorizer_")  # the parameter was cloned, not fitted


def test_calibration_folds_keep_copies_of_a_document_together(
    segments, labels, with_copy, monkeypatch
):
    # A policy filed twice (doc03 and its copy doc09): calibrating on scores from a
    # model that learned one copy while scoring the other would make it overconfident.
    import ihms.policy.autocode.learned as learned

    X, y = with_copy(segments, labels)
    seen = []

    def spy(model, F, y, folds):
        seen.append(folds)
        return real(model, F, y, folds)

    real = learned.oof_scores
    monkeypatch.setattr(learned, "oof_scores", spy)
    coder = LearnedCoder(calibration_folds=4, random_state=3).fit(X, y)
    assert coder.document_copies_ == [["doc03", "doc09"]]
    docs = X["doc"].to_numpy()[[i for i, v in enumerate(y) if v is not None]]
    (folds,) = seen
    for _, test in folds:
        held = set(docs[test])
        assert ("doc03" in held) == ("doc09" in held)
    # without the copy nothing is reported
    assert LearnedCoder(calibration_folds=4).fit(segments, labels).document_copies_ == []
