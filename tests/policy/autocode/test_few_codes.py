"""Training on few codes (review finding 2): every category with fewer than five codes
once crashed in scikit-learn's default five calibration folds, which a frozen
pass-through calibrator never used. Now such a coder calibrates on its own two folds,
or, when a category is missing from one of them, keeps uncalibrated probabilities and
says so."""

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.autocode import LearnedCoder, train_coder
from ihms.policy.autocode._scores import SigmoidScores


def _coded(frame):
    return [None if v is None or v != v else v for v in frame["label"]]


def test_three_codes_a_category_in_three_documents_are_calibrated(corpus_factory):
    corpus = corpus_factory(n_docs=3, per_section=1)  # 4 categories x 3 codes, one per doc
    X, y = corpus[["id", "doc", "position", "text"]], _coded(corpus)
    coder = LearnedCoder(min_per_category=3).fit(X, y)
    assert coder.calibrated_ and coder.calibration_note_ is None
    assert not isinstance(coder.calibrator_, SigmoidScores)
    proba = coder.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1)


def test_one_code_a_category_keeps_uncalibrated_probabilities_and_says_so(corpus_factory):
    corpus = corpus_factory(n_docs=2, per_section=1)
    y = _coded(corpus)
    seen: set = set()
    for i, v in enumerate(y):  # keep each category's first code only
        if v is not None and v in seen:
            y[i] = None
        seen.add(v)
    X = corpus[["id", "doc", "position", "text"]]
    trained = train_coder(
        X, y, codebook_version="t", dimension="d", coder=LearnedCoder(min_per_category=1)
    )
    est = trained.estimator
    assert not est.calibrated_ and isinstance(est.calibrator_, SigmoidScores)
    assert "numbers are not calibrated: 4 categories" in est.calibration_note_
    proba = est.predict_proba(X)
    # the logistic function keeps the scores' order: the best category is the code
    assert np.allclose(proba.sum(axis=1), 1)
    assert (est.classes_[proba.argmax(axis=1)] == est.predict(X)).all()
    manifest = trained.manifest()
    assert manifest["calibrated"] is False and manifest["calibration_note"]
    assert any("not calibrated" in n for n in trained.summary().notes)
    assert len(trained.code(X).codes) == len(X)
    with pytest.raises(InputError, match=r"min_probability.*not calibrated.*nothing was coded"):
        trained.code(X, min_probability=0.5)
    # review of session 31, L7: the note said "Scores, not probabilities ...: the
    # model's probabilities are not calibrated: ...; probabilities are the logistic
    # function ...", calling them probabilities right after saying they are not
    (note,) = trained.code(X).summary().notes
    assert note.startswith("Scores, not probabilities (0.10 is no 10% chance): the model's ")
    assert len(re.findall(r"\bprobabilities\b", note)) == 1 and "could not" not in note
    assert "4 categories" in note and "; they are the logistic function" in note


def test_a_coder_built_without_calibration_is_not_said_to_have_failed(corpus_factory):
    # review of session 31, L7: LearnedCoder(calibration=None) "could not calibrate"
    corpus = corpus_factory(n_docs=3, per_section=1)
    X, y = corpus[["id", "doc", "position", "text"]], _coded(corpus)
    trained = train_coder(
        X,
        y,
        codebook_version="t",
        dimension="d",
        coder=LearnedCoder(min_per_category=3, calibration=None),
    )
    coded = trained.code(X)
    assert not coded.calibrated and coded.calibration_note is None
    (note,) = coded.summary().notes
    assert "could not" not in note and "built without calibration (calibration=None)" in note
    assert len(re.findall(r"\bprobabilities\b", note)) == 1


def test_self_training_needs_two_codes_a_category(corpus_factory):
    corpus = corpus_factory(n_docs=2, per_section=1)
    y = _coded(corpus)
    y[next(i for i, v in enumerate(y) if v is not None)] = None  # one category left with 1
    X = corpus[["id", "doc", "position", "text"]]
    with pytest.raises(InputError, match=r"self_training.*at least 2 codes per category"):
        LearnedCoder(min_per_category=1, self_training=True).fit(X, y)


def test_table_train_on_four_labels_of_three_rows(corpus_factory, tmp_path):
    corpus = corpus_factory(n_docs=1, per_section=3).dropna(subset=["label"])
    table = tmp_path / "t.csv"
    corpus[["doc", "text", "label"]].to_csv(table, index=False)
    res = CliRunner().invoke(
        app,
        ["policy", "autocode", "table", "train", str(table), "--label", "label",
         "--out", str(tmp_path / "m"), "--min-per-category", "2", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    manifest = json.loads(res.output)
    assert manifest["training_size"] == 12
    # three codes a category in two folds: 人才培养's out-of-fold scores are lower on its
    # own codes, and the sigmoid fitted to them falls (its slope is positive; see
    # test_upside_down.py): its probability is held at its share, and said so
    assert manifest["calibrated"] is True
    assert manifest["calibration_note"].startswith("1 category (人才培养 at ")
