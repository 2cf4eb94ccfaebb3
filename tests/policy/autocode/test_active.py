import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.autocode import LearnedCoder, simulate_active_learning, suggest, uncertainty


def _partly_coded(labels, keep_docs, docs):
    return [v if d in keep_docs else None for v, d in zip(labels, docs, strict=True)]


def test_suggest_picks_distinct_uncoded_segments_reproducibly(segments, labels):
    codes = _partly_coded(labels, {"doc01", "doc02", "doc03"}, segments["doc"])
    a = suggest(LearnedCoder(), segments, codes, n=6, random_state=4)
    b = suggest(LearnedCoder(), segments, codes, n=6, random_state=4)
    pd.testing.assert_frame_equal(a.segments, b.segments)
    rows = a.segments["row"].to_numpy()
    assert len(set(rows)) == 6
    assert all(codes[r] is None for r in rows)
    assert a.segments["cluster"].is_unique  # one segment per cluster
    assert a.segments["uncertainty"].is_monotonic_decreasing
    assert a.n_coded == 36 and a.n_uncoded == len(segments) - 36
    assert "Next 6 segments" in a.summary().title


def test_suggestions_come_from_the_most_uncertain_pool(segments, labels):
    codes = _partly_coded(labels, {"doc01", "doc02", "doc03"}, segments["doc"])
    picked = suggest(LearnedCoder(), segments, codes, n=4, pool_factor=2).segments
    model = LearnedCoder().fit(segments, codes)
    unc, _ = uncertainty(model, segments)
    uncoded = np.flatnonzero([c is None for c in codes])
    pool = uncoded[np.argsort(-unc[uncoded], kind="stable")[:8]]
    assert set(picked["row"]) <= set(pool)


class FixedProba:
    classes_ = np.array(["a", "b", "c"])

    def predict_proba(self, X):
        return np.array([[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.9, 0.05, 0.05]])


def test_uncertainty_is_one_minus_the_top_two_margin():
    unc, guess = uncertainty(FixedProba(), None)
    # margins 0.2, 0.0, 0.85
    np.testing.assert_allclose(unc, [0.8, 1.0, 0.15])
    assert guess.tolist() == ["a", "a", "a"]


def test_nothing_left_to_suggest(segments, labels):
    everything = [v if v is not None else "资金支持" for v in labels]
    with pytest.raises(InputError, match="nothing to suggest"):
        suggest(LearnedCoder(), segments, everything)
    with pytest.raises(InputError, match="parameter 'n'"):
        suggest(LearnedCoder(), segments, labels, n=0)


def test_simulation_starts_both_strategies_from_the_same_codes(segments, labels):
    curve = simulate_active_learning(
        LearnedCoder(calibration=None),
        segments,
        labels,
        initial=12,
        batch_size=12,
        rounds=2,
        n_splits=4,
        folds_used=2,
    )
    pts = curve.points
    assert set(pts["strategy"]) == {"active", "random"}
    assert sorted(set(pts["n_coded"])) == [12, 24, 36]
    first = pts[pts["n_coded"] == 12].pivot(index="repeat", columns="strategy", values="kappa")
    np.testing.assert_allclose(first["active"], first["random"])
    with pytest.raises(InputError, match="strategies"):
        simulate_active_learning(LearnedCoder(), segments, labels, strategies=["greedy"])


def test_multilabel_guess_is_the_set_the_model_would_code(segments, multilabel_codes):
    # user review M, LOW 10: suggest's machine_guess on a multi-label dimension must be
    # the whole answer the model gives (both categories where it codes both), not one
    docs = segments["doc"]
    codes = [
        v if d in {"doc01", "doc02", "doc03", "doc04"} else None
        for v, d in zip(multilabel_codes, docs, strict=True)
    ]
    picked = suggest(LearnedCoder(), segments, codes, n=6, pool_factor=100).segments
    model = LearnedCoder().fit(segments, codes)
    predicted = model.predict(segments)
    expected = [
        ";".join(str(c) for c in model.classes_[predicted[r].astype(bool)]) for r in picked["row"]
    ]
    assert list(picked["machine_guess"]) == expected
    assert any(";" in g for g in picked["machine_guess"])  # a two-category answer shown whole
