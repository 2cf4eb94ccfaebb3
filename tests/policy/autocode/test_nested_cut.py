"""The coverage cut chosen inside each fold, on its training documents alone."""

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.policy.autocode import LearnedCoder, evaluate_coder
from ihms.policy.autocode.coverage import nested_cut

from .conftest import make_corpus


@pytest.fixture(scope="module")
def evaluated():
    """One evaluation for the three tests (each reads it; nested_cut changes nothing)."""
    corpus = make_corpus(n_docs=12, seed=3)
    X = corpus[["id", "doc", "position", "text"]]
    y = [None if v is None or v != v else v for v in corpus["label"]]
    ev = evaluate_coder(LearnedCoder(), X, y, n_splits=3, probabilities=True)
    return ev, X, y


def test_each_folds_cut_comes_from_its_training_documents_only(evaluated):
    ev, X, y = evaluated
    target = 0.5
    nc = nested_cut(ev, LearnedCoder(), X, y, target=target, inner_splits=2, min_coded=5)
    pred = ev.predictions
    assert len(nc.cuts) == pred["fold"].nunique() == 3
    # fold 0 by hand: hide its held-out documents' codes, cross-validate the rest
    held = set(pred.loc[pred["fold"] == 0, "doc"])
    hidden = [None if d in held else v for d, v in zip(X["doc"], y, strict=True)]
    inner = evaluate_coder(
        LearnedCoder(min_per_category=1), X, hidden, n_splits=2, probabilities=True
    )
    assert not set(inner.predictions["doc"]) & held
    assert nc.cuts[0] == inner.coverage().min_probability_for(target, min_coded=5)
    # the pooled figure: each fold's held-out segments at or above its own cut
    keep = np.zeros(len(pred), dtype=bool)
    for k, cut in enumerate(nc.cuts):
        if cut is not None:
            keep |= (pred["fold"] == k).to_numpy() & (pred["probability"] >= cut).to_numpy()
    assert nc.coded == keep.sum() and nc.n_segments == len(pred)
    if len(set(pred["human"][keep])) > 1:
        assert nc.kappa == pytest.approx(
            cohen_kappa_score(pred["human"][keep], pred["machine"][keep])
        )


def test_a_bar_every_cut_meets_codes_everything_and_an_impossible_one_nothing(evaluated):
    ev, X, y = evaluated
    easy = nested_cut(ev, LearnedCoder(), X, y, target=-1.0, inner_splits=2, min_coded=5)
    assert easy.cuts == (0.0, 0.0, 0.0)
    assert easy.coded == len(ev.predictions) and easy.kappa == pytest.approx(ev.kappa)
    hard = nested_cut(ev, LearnedCoder(), X, y, target=1.01, inner_splits=2, min_coded=5)
    assert hard.cuts == (None, None, None) and hard.coded == 0 and np.isnan(hard.kappa)
    assert "would code nothing" in hard.describe()
    assert "the figure to report" in easy.describe()


def test_the_inner_folds_keep_twins_together_when_the_outer_ones_did(evaluated, monkeypatch):
    # review of session 28: the nested cut's inner cross-validation ignored
    # --twins-together, so a paragraph copied between documents could straddle its folds
    from ihms.policy.autocode import evaluate as evaluate_module

    ev, X, y = evaluated
    seen = []
    real = evaluate_module.evaluate_coder

    def spy(*args, **kwargs):
        # recorded, then run without: this corpus's templated texts make every
        # document a twin of every other, one fold group, too few to cross-validate
        seen.append(kwargs.pop("twins_together", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "evaluate_coder", spy)
    nested_cut(ev, LearnedCoder(), X, y, target=0.5, inner_splits=2, twins_together=True)
    assert seen and all(seen)
    seen.clear()
    nested_cut(ev, LearnedCoder(), X, y, target=0.5, inner_splits=2)
    assert seen and not any(seen)
