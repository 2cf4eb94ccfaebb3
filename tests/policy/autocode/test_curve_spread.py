"""The learning curve to the full training size, pooled over folds, with its spread."""

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.policy.autocode import LearnedCoder, simulate_active_learning
from ihms.policy.autocode._folds import document_folds
from ihms.policy.autocode._segments import as_segments, parse_codes
from ihms.policy.autocode.curve import LearningCurve, pooled_kappas


def test_pooled_kappa_is_one_kappa_over_every_folds_answers():
    fold1 = (["x", "y", "x"], ["x", "y", "y"])  # kappa 0.4
    fold2 = (["x", "x", "y", "y"], ["x", "x", "y", "x"])  # kappa 0.5
    got = pooled_kappas({("random", 10): [fold1, fold2]})
    # by hand over the seven answers together: po = 5/7, pe = (4/7)^2 + (3/7)^2 = 25/49,
    # kappa = (35/49 - 25/49) / (24/49) = 10/24 -- not the folds' mean 0.45
    assert got["kappa"].iloc[0] == pytest.approx(10 / 24)
    assert got["kappa"].iloc[0] == pytest.approx(
        cohen_kappa_score(fold1[0] + fold2[0], fold1[1] + fold2[1])
    )
    assert cohen_kappa_score(*fold1) == pytest.approx(0.4)
    assert cohen_kappa_score(*fold2) == pytest.approx(0.5)


def test_the_curve_reaches_the_full_training_size_with_every_folds_spread(segments, labels):
    curve = simulate_active_learning(
        LearnedCoder(calibration=None), segments, labels, initial=20, batch_size=20,
        rounds=None, n_splits=4, folds_used=2, random_state=0,
    )  # fmt: skip
    folds = document_folds(
        as_segments(segments), parse_codes(labels, len(segments)), n_splits=4, random_state=0
    )[:2]
    full = min(len(train) for train, _ in folds)
    c = curve.curve()
    for _strategy, part in c.groupby("strategy"):
        assert part["n_coded"].max() == full
        assert (part["folds"] == 2).all()
    pts = curve.points.merge(c, on=["strategy", "n_coded"], suffixes=("", "_c"))
    assert (pts["kappa_min"] <= pts["kappa"] + 1e-12).all()
    assert (pts["kappa"] <= pts["kappa_max"] + 1e-12).all()
    assert curve.pooled is not None and len(curve.pooled) == len(c)
    summary = curve.summary()
    assert "pooled" in summary.notes[0] and "folds min–max (active)" in summary.frame
    fig = curve.figure(human_kappa=0.7)
    assert len(fig.axes[0].collections) == 2  # one band per strategy


def test_a_curve_without_pooled_kappas_is_the_mean_of_the_folds():
    pts = pd.DataFrame(
        {
            "strategy": "a",
            "n_coded": [10, 10, 20, 20],
            "repeat": [0, 1, 0, 1],
            "kappa": [0.2, 0.4, 0.5, 0.7],
        }
    )
    c = LearningCurve(pts).curve()
    assert c["kappa"].tolist() == pytest.approx([0.3, 0.6])
    assert c["kappa_min"].tolist() == [0.2, 0.5] and c["kappa_max"].tolist() == [0.4, 0.7]
    assert "mean of the 2 folds" in LearningCurve(pts).summary().notes[0]
