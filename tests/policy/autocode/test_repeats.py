"""Repeated cross-validation: run 0 is the headline evaluation (folds seeded
``random_state``, the coder's own solver seed), run r seeds folds and solver with
``random_state + r`` — each run checked against evaluate_coder called by hand."""

from dataclasses import replace

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from ihms.errors import InputError
from ihms.policy.autocode import evaluate_coder
from ihms.policy.autocode._repeats import repeat_note, repeat_summary, repeated_kappas


class SeededGuess(BaseEstimator, ClassifierMixin):
    """Guesses a category per segment from its own seed: a run's kappa shows which
    solver seed it used."""

    def __init__(self, random_state=0):
        self.random_state = random_state

    def fit(self, X, y):
        self.classes_ = np.array(sorted({v for v in y if v is not None}), dtype=object)
        return self

    def predict(self, X):
        rng = np.random.default_rng(self.random_state)
        return rng.choice(self.classes_, len(X))


def test_each_run_is_evaluate_coder_with_its_seeds(segments, labels):
    got = repeated_kappas(
        SeededGuess(random_state=7), segments, labels, n_splits=3, random_state=3, repeats=3
    )
    by_hand = [
        # run 0: folds seeded 3, the coder's own solver seed 7
        evaluate_coder(SeededGuess(7), segments, labels, n_splits=3, random_state=3).kappa,
        # run r: folds and solver seeded 3 + r
        *(
            evaluate_coder(
                SeededGuess(3 + r), segments, labels, n_splits=3, random_state=3 + r
            ).kappa
            for r in (1, 2)
        ),
    ]
    assert got == pytest.approx(by_hand, abs=1e-12)
    # the solver's seed shows: run 0 with solver seed 3 would have given another kappa
    other = evaluate_coder(SeededGuess(3), segments, labels, n_splits=3, random_state=3).kappa
    assert other != pytest.approx(got[0])
    # a headline evaluation already run is run 0, not run again
    first = evaluate_coder(SeededGuess(7), segments, labels, n_splits=3, random_state=3)
    again = repeated_kappas(
        SeededGuess(7), segments, labels, n_splits=3, random_state=3, repeats=2,
        first=replace(first, kappa=0.123),
    )  # fmt: skip
    assert again == pytest.approx((0.123, by_hand[1]), abs=1e-12)
    with pytest.raises(InputError, match="'repeats'"):
        repeated_kappas(SeededGuess(), segments, labels, n_splits=3, random_state=3, repeats=0)


def test_the_summary_and_note_say_which_seeds_ran():
    s = repeat_summary([0.5, 0.7, 0.6], seed=4)
    assert s["seeds"] == [4, 5, 6] and s["mean"] == pytest.approx(0.6)
    assert s["sd"] == pytest.approx(np.std([0.5, 0.7, 0.6], ddof=1))
    assert (s["min"], s["max"]) == (0.5, 0.7)
    (note,) = repeat_note(s)
    assert note.startswith("Repeated cross-validation: 3 runs, seeds 4 to 6")
    assert "folds seeded 4, the coder's own solver seed" in note
    assert repeat_summary([0.5], seed=0) is None and repeat_note(None) == ()
