"""A fold model that cannot calibrate gives no probabilities to the coverage curve.

Such a model's probabilities are the logistic function of its scores, an order rather
than chances, and a whole model in that state refuses ``--min-probability``; a cut read
off a curve that mixed them in would describe a scale ``apply`` never uses (calibration
review, session 28, finding 4).
"""

from __future__ import annotations

import numpy as np

from ihms.policy.autocode import LearnedCoder, evaluate_coder
from ihms.policy.autocode.coverage import coverage_curve, nested_cut

from .conftest import make_corpus

SEEN: list[bool] = []


class _Recording(LearnedCoder):
    """Records whether each fitted fold model calibrated (in fitting order)."""

    def fit(self, X, y):
        super().fit(X, y)
        SEEN.append(bool(self.calibrated_))
        return self


def _rare_corpus():
    corpus = make_corpus(n_docs=8)
    X = corpus[["id", "doc", "position", "text"]].copy()
    y = [None if v is None or v != v else v for v in corpus["label"]]
    # a category coded in two documents only: some folds cannot calibrate it
    y = [
        "稀有" if (v == "监督管理" and d in ("doc01", "doc02")) else v
        for v, d in zip(y, corpus["doc"], strict=True)
    ]
    return X, y


def test_uncalibrated_folds_are_left_out_of_the_coverage_curve():
    X, y = _rare_corpus()
    SEEN.clear()
    ev = evaluate_coder(_Recording(min_per_category=2), X, y, n_splits=4, probabilities=True)
    calibrated = np.array(SEEN)
    assert (~calibrated).any() and calibrated.any(), "the corpus must give both kinds of fold"
    p = ev.predictions
    fold_calibrated = calibrated[p["fold"].to_numpy()]
    assert p.loc[~fold_calibrated, "probability"].isna().all()
    assert p.loc[fold_calibrated, "probability"].notna().all()
    assert any("could not calibrate" in note for note in ev.notes)

    curve = ev.coverage(cuts=[0.0, 0.5])
    assert curve.n_uncalibrated == int((~fold_calibrated).sum())
    assert curve.n_segments == int(fold_calibrated.sum())
    kept = p[fold_calibrated]
    direct = coverage_curve(kept["human"], kept["machine"], kept["probability"], cuts=[0, 0.5])
    assert curve.table.equals(direct.table)
    assert any("left out" in note for note in curve.summary().notes)

    chosen = nested_cut(ev, LearnedCoder(min_per_category=2), X, y, target=0.0, min_coded=1)
    bad = tuple(int(k) + 1 for k in np.flatnonzero(~calibrated))
    assert chosen.uncalibrated_folds == bad
    for k in bad:
        assert chosen.cuts[k - 1] is None
    assert "could not calibrate" in chosen.describe()
