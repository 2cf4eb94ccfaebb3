"""The same codes in another row order give the same model and model id (review of
session 28, finding 8): the training digest hashed the rows in the order given, and
the solver's result moved with it (probabilities by up to 5e-6). A coder now puts the
rows in one canonical order (document, position, text, code) before fitting."""

import numpy as np
import pandas as pd
import pytest

from ihms.policy.autocode import LearnedCoder, train_coder


def _same(a, b, X):
    assert a.training_digest_ == b.training_digest_
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    if hasattr(a, "predict_proba"):
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("params", [{}, {"self_training": True}])
def test_shuffled_rows_give_the_same_model_and_id(segments, labels, params):
    order = np.random.default_rng(5).permutation(len(segments))
    shuffled = segments.iloc[order].reset_index(drop=True)
    codes = [labels[i] for i in order]
    fit = {"codebook_version": "v", "dimension": "d"}
    a = train_coder(segments, labels, coder=LearnedCoder(**params), **fit)
    b = train_coder(shuffled, codes, coder=LearnedCoder(**params), **fit)
    assert a.model_id == b.model_id
    _same(a.estimator, b.estimator, segments)


def test_documents_in_another_order_without_positions(segments, labels):
    """Without a position column a document's rows are in reading order: reordering
    whole documents keeps it, and changes nothing."""
    X = segments.drop(columns="position").assign(label=labels)
    docs = sorted(X["doc"].unique(), reverse=True)
    Z = pd.concat([X[X["doc"] == d] for d in docs], ignore_index=True)
    a = LearnedCoder().fit(X.drop(columns="label"), list(X["label"]))
    b = LearnedCoder().fit(Z.drop(columns="label"), list(Z["label"]))
    _same(a, b, X.drop(columns="label"))


def test_texts_alone_and_multilabel_codes(segments, labels, multilabel_codes):
    coded = [i for i, v in enumerate(labels) if v is not None]
    texts = [segments["text"].iloc[i] for i in coded]
    order = np.random.default_rng(1).permutation(len(coded))
    a = LearnedCoder(min_per_category=2).fit(texts, [labels[i] for i in coded])
    b = LearnedCoder(min_per_category=2).fit(
        [texts[k] for k in order], [labels[coded[k]] for k in order]
    )
    _same(a, b, texts)

    order = np.random.default_rng(2).permutation(len(segments))
    a = LearnedCoder().fit(segments, multilabel_codes)
    b = LearnedCoder().fit(segments.iloc[order], [multilabel_codes[i] for i in order])
    _same(a, b, segments)
    np.testing.assert_array_equal(a.score_thresholds_, b.score_thresholds_)


def test_another_reading_order_is_another_training(segments, labels):
    """Positions are part of the data: the same rows in another reading order within
    a document train on other neighbours, and the id says so."""
    moved = segments.copy()
    first = (moved["doc"] == "doc01").to_numpy()
    moved.loc[first, "position"] = moved.loc[first, "position"].to_numpy()[::-1]
    a = LearnedCoder(calibration=None).fit(segments, labels)
    b = LearnedCoder(calibration=None).fit(moved, labels)
    assert a.training_digest_ != b.training_digest_
