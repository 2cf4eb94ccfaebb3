"""Coverage: what the machine codes, and at which kappa, when it leaves unsure segments
to people."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.errors import InputError
from ihms.policy.autocode import (
    CoverageCurve,
    LearnedCoder,
    coverage_curve,
    evaluate_coder,
    train_coder,
)
from ihms.policy.autocode.coverage import answer_probability


def test_each_cut_scores_exactly_the_segments_at_or_above_it():
    rng = np.random.default_rng(3)
    human = rng.choice(list("abc"), size=200)
    prob = rng.uniform(0.2, 1.0, size=200)
    # a machine that is right more often when it is surer
    right = rng.uniform(size=200) < prob
    machine = np.where(right, human, rng.choice(list("abc"), size=200))
    curve = coverage_curve(human, machine, prob, cuts=[0, 0.5, 0.8])
    for row in curve.table.itertuples():
        keep = prob >= row.min_probability
        assert row.coded == keep.sum() and row.left_for_people == (~keep).sum()
        assert row.share_coded == pytest.approx(keep.mean())
        # cross-check against scikit-learn's kappa (tests only)
        assert row.kappa == pytest.approx(cohen_kappa_score(human[keep], machine[keep]))
        assert row.accuracy == pytest.approx((human[keep] == machine[keep]).mean())
    k = curve.table["kappa"].to_numpy()
    assert k[0] < k[1] < k[2]


def test_a_cut_that_leaves_one_category_or_nothing_has_no_kappa():
    curve = coverage_curve(["a", "a", "b"], ["a", "a", "a"], [0.9, 0.8, 0.1], cuts=[0.5, 0.95])
    assert curve.table["kappa"].isna().all()
    assert curve.table["coded"].tolist() == [2, 0]
    assert curve.min_probability_for(0.0, min_coded=1) is None


def test_bad_inputs_are_refused():
    with pytest.raises(InputError, match="one value per segment"):
        coverage_curve(["a"], ["a", "b"], [0.5, 0.5])
    with pytest.raises(InputError, match="no probability"):
        coverage_curve(["a", "b"], ["a", "b"], [0.5, np.nan])
    with pytest.raises(InputError, match="cuts"):
        coverage_curve(["a", "b"], ["a", "b"], [0.5, 0.5], cuts=[1.5])


def test_answer_probability_worked_example():
    # answer {x}: P(x) * (1 - P(y)) = 0.8 * 0.75; answer {}: 0.4 * 0.75
    p = answer_probability([[1, 0], [0, 0]], [[0.8, 0.25], [0.6, 0.25]])
    np.testing.assert_allclose(p, [0.6, 0.3])


def test_describe_names_the_cut_and_what_is_left():
    t = pd.DataFrame(
        {
            "min_probability": [0.0, 0.5, 0.7],
            "coded": [100, 70, 40],
            "share_coded": [1.0, 0.7, 0.4],
            "left_for_people": [0, 30, 60],
            "kappa": [0.55, 0.68, 0.77],
            "accuracy": [0.7, 0.8, 0.9],
        }
    )
    curve = CoverageCurve(t, 100)
    assert curve.describe(0.65) == (
        "With min_probability 0.5 the machine codes 70% of segments at kappa 0.680 "
        "(>= 0.650) and leaves 30 of 100 to a person."
    )
    assert curve.min_probability_for(0.75, min_coded=50) is None
    assert curve.at(0.6)["min_probability"] == 0.5
    assert "0.50" in curve.summary(kappa=0.65).to_frame().index


def test_evaluation_records_out_of_fold_probabilities(segments, labels):
    ev = evaluate_coder(LearnedCoder(), segments, labels, n_splits=4, probabilities=True)
    p = ev.predictions["probability"]
    assert p.between(0, 1).all() and p.notna().all()
    curve = ev.coverage(cuts=[0, 0.5])
    assert curve.table.loc[0, "coded"] == len(ev.predictions)
    assert curve.table.loc[0, "kappa"] == pytest.approx(ev.kappa)
    # without the option there is nothing to read coverage from
    plain = evaluate_coder(LearnedCoder(), segments, labels, n_splits=4)
    assert "probability" not in plain.predictions
    with pytest.raises(InputError, match="probabilities=True"):
        plain.coverage()
    with pytest.raises(InputError, match="not calibrated"):
        evaluate_coder(LearnedCoder(calibration=None), segments, labels, probabilities=True)


def test_multilabel_coverage_uses_the_whole_answers_probability(segments, multilabel_codes):
    ev = evaluate_coder(LearnedCoder(), segments, multilabel_codes, n_splits=4, probabilities=True)
    assert ev.predictions["probability"].between(0, 1).all()
    assert ev.coverage(cuts=[0]).table.loc[0, "kappa"] == pytest.approx(ev.kappa)


def test_multilabel_codes_abstain_on_unsure_whole_answers(segments, multilabel_codes):
    trained = train_coder(segments, multilabel_codes, dimension="d", codebook_version="v")
    est = trained.estimator
    sure = answer_probability(est.predict(segments), est.predict_proba(segments))
    cut = float(np.median(sure))
    part = trained.code(segments, min_probability=cut)
    assert set(part.abstained) == set(np.flatnonzero(sure < cut))
    assert not set(part.codes["row"]) & set(part.abstained)
