"""Active learning: which segments a person should hand-code next.

:func:`suggest` trains the coder on the codes so far and picks uncoded segments by
**uncertainty with diversity**: it takes the segments the model is least sure about
(smallest margin between its two best categories; for a multi-label dimension, the
probability closest to a category's threshold), groups the most uncertain ones into as
many clusters as segments are wanted (k-means over a low-rank projection of their
features), and takes the most uncertain segment of each cluster, so that one batch does
not spend a coder's time on ten near-identical sentences.

:func:`simulate_active_learning` replays a finished project: starting from the same
random seed set, it grows the hand-coded set either by :func:`suggest` or at random and
records kappa on held-out documents after each batch — the evidence that active
selection reaches a target kappa with fewer hand codings.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._cross_validation import (
    fold_coder,
    masked_codes,
    take_rows,
    whole_answer_kappa,
)
from ihms.policy.autocode._folds import document_folds
from ihms.policy.autocode._segments import as_segments, parse_codes
from ihms.policy.autocode.curve import LearningCurve, fold_answers, pooled_kappas
from ihms.summary import SummaryTable

__all__ = ["Suggestion", "simulate_active_learning", "suggest", "uncertainty"]


def uncertainty(model: Any, X: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per segment: (uncertainty in [0, 1], best guess) from a fitted coder.

    Single-label: ``1 - (p1 - p2)``, with p1, p2 the two largest calibrated
    probabilities (or softmax-free scores squashed to [0, 1] when uncalibrated).
    Multi-label: how near the nearest category is to its cut, ``1 / (1 + min_k |s_k -
    c_k|)`` on scores (or ``1 - 2 min_k |p_k - t_k|`` for probability thresholds).

    Parameters
    ----------
    model : fitted coder
        A fitted :class:`LearnedCoder` (or a classifier with ``classes_`` and
        ``predict_proba`` or ``decision_function``).
    X : segments
        The segments to rank, as the model takes them.

    Returns
    -------
    tuple of numpy.ndarray
        The uncertainties (1 = most uncertain) and the best guesses (multi-label: the
        categories joined by ``;``).
    """
    if getattr(model, "multilabel_", False):
        scores = model.decision_function(X)
        coded = model._predict_from_scores(scores).astype(bool)
        guess = np.array(
            [";".join(str(c) for c in model.classes_[row]) for row in coded], dtype=object
        )
        if model.score_thresholds_ is not None:
            # distance of the nearest category's score from its cut, squashed into (0, 1]
            return 1.0 / (1.0 + np.abs(scores - model.score_thresholds_).min(axis=1)), guess
        proba = model._proba_from_scores(scores)
        t = np.array([model.thresholds_[str(c)] for c in model.classes_])
        return 1.0 - 2.0 * np.clip(np.abs(proba - t).min(axis=1), 0, 0.5), guess
    if hasattr(model, "predict_proba"):
        scores = model.predict_proba(X)
    else:
        raw = model.decision_function(X)
        scores = 1.0 / (1.0 + np.exp(-raw))  # monotone squash: margins comparable in [0, 1]
    if scores.ndim == 1:
        scores = np.c_[1 - scores, scores]
    top2 = np.sort(scores, axis=1)[:, -2:]
    guess = model.classes_[scores.argmax(axis=1)]
    return 1.0 - (top2[:, 1] - top2[:, 0]), guess


def _pick(
    model: Any, X: Any, candidates: np.ndarray, n: int, *, pool_factor: int, random_state: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Choose ``n`` of ``candidates`` (row positions) from a fitted model.

    Returns rows, their uncertainty, the model's guess and the cluster of each.
    """
    unc, guess = uncertainty(model, X)
    unc_c = unc[candidates]
    order = np.argsort(-unc_c, kind="stable")
    pool = candidates[order[: max(n, pool_factor * n)]]
    if len(pool) <= n:
        return pool, unc[pool], guess[pool], np.arange(len(pool))
    F = model.features_.transform(take_rows(X, pool))
    k = min(50, F.shape[1] - 1, len(pool) - 1)
    Z = TruncatedSVD(k, random_state=random_state).fit_transform(F) if k >= 2 else F.toarray()
    Z = normalize(Z)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=Warning, module="sklearn.cluster")
        labels = KMeans(n, n_init=3, random_state=random_state).fit_predict(Z)
    chosen, cluster = [], []
    for c in range(n):
        members = np.flatnonzero(labels == c)
        if len(members):
            best = members[np.argmax(unc[pool[members]])]
            chosen.append(pool[best])
            cluster.append(c)
    chosen_arr = np.asarray(chosen)
    by_unc = np.argsort(-unc[chosen_arr], kind="stable")
    chosen_arr = chosen_arr[by_unc]
    return chosen_arr, unc[chosen_arr], guess[chosen_arr], np.asarray(cluster)[by_unc]


@dataclass(frozen=True, eq=False)
class Suggestion(SummaryHtml):
    """Segments to hand-code next, most uncertain first.

    Attributes
    ----------
    segments
        Columns ``rank``, ``row``, ``segment``, ``doc``, ``text``, ``machine_guess``,
        ``uncertainty``, ``cluster``.
    n_coded
        Hand-coded segments the model was trained on.
    n_uncoded
        Uncoded segments it chose from.
    multilabel
        Whether the dimension is multi-label (uncertainty is then a category's nearness
        to its cut).
    """

    segments: pd.DataFrame
    n_coded: int
    n_uncoded: int
    multilabel: bool = False

    def __repr__(self) -> str:
        # the generated repr printed the suggested segments' texts
        return brief_repr(
            self, segments=len(self.segments), n_coded=self.n_coded, n_uncoded=self.n_uncoded
        )

    def summary(self) -> SummaryTable:
        """The suggestions; their texts' starts below the table, where they have the
        line's width (a text column beside the others was squeezed to a few
        characters). The whole texts are in ``segments``."""
        frame = self.segments.set_index("rank")[
            ["segment", "doc", "machine_guess", "uncertainty"]
        ].copy()
        texts = [
            f"{r}. {_start(t)}" for r, t in zip(frame.index, self.segments["text"], strict=True)
        ]
        frame["machine_guess"] = frame["machine_guess"].str.replace(";", "; ", regex=False)
        how = (
            "Uncertainty 1 = a category's score sits at its cut: the model cannot tell "
            "whether it applies"
            if self.multilabel
            else "Uncertainty 1 = the model cannot tell its two best categories apart"
        )
        return SummaryTable(
            frame,
            title=(
                f"Next {len(frame)} segments to hand-code (from {self.n_uncoded:,} uncoded; "
                f"model trained on {self.n_coded:,} codes)"
            ),
            notes=(
                f"{how}; one segment per cluster of similar uncertain segments. Their texts, "
                f"cut at {SHOWN:,} characters (--out writes them whole):",
                *texts,
            ),
            digits=3,
        )


def suggest(
    coder: Any, X: Any, y: Any, *, n: int = 20, pool_factor: int = 5, random_state: int = 0
) -> Suggestion:
    """Train ``coder`` on the codes so far and pick ``n`` uncoded segments to code next.

    Parameters
    ----------
    coder
        An unfitted coder (cloned; the caller's object is not changed).
    X, y
        All segments and their codes (``None`` = not coded yet).
    n
        How many segments to suggest.
    pool_factor
        Diversity is sought among the ``pool_factor * n`` most uncertain segments.
    random_state
        Seed of the projection and clustering.

    Raises
    ------
    InputError
        When nothing is left uncoded, or ``n`` is not a positive integer.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise InputError(f"parameter 'n': expected a positive integer, got {n!r}")
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    candidates = np.flatnonzero(~codes.coded)
    if len(candidates) == 0:
        raise InputError("every segment is already coded; there is nothing to suggest")
    model = clone(coder).fit(X, y)
    rows, unc, guess, cluster = _pick(
        model, X, candidates, int(n), pool_factor=pool_factor, random_state=random_state
    )
    frame = pd.DataFrame(
        {
            "rank": np.arange(1, len(rows) + 1),
            "row": rows,
            "segment": batch.ids[rows],
            "doc": batch.docs[rows] if batch.has_context else [None] * len(rows),
            "text": batch.texts[rows],
            "machine_guess": guess,
            "uncertainty": unc,
            "cluster": cluster,
        }
    )
    return Suggestion(
        segments=frame, n_coded=int(codes.coded.sum()), n_uncoded=len(candidates),
        multilabel=bool(getattr(model, "multilabel_", False)),
    )  # fmt: skip


SHOWN = 60  # characters of a suggested segment's text the summary shows


def _start(text: str) -> str:
    """A text's first :data:`SHOWN` characters, on one line."""
    text = " ".join(str(text).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def simulate_active_learning(
    coder: Any,
    X: Any,
    y: Any,
    *,
    initial: int = 100,
    batch_size: int = 100,
    rounds: int | None = 5,
    n_splits: int = 5,
    folds_used: int | None = None,
    strategies: Sequence[str] = ("active", "random"),
    pool_factor: int = 5,
    random_state: int = 0,
) -> LearningCurve:
    """Replay a coded project: kappa on held-out documents as the hand-coded set grows.

    For each fold (grouped by document) the training documents' coded segments form
    the pool a person could be asked to code. Every strategy starts from the same
    random ``initial`` segments, then adds ``batch_size`` segments per round — chosen
    by :func:`suggest`'s rule (``"active"``) or at random (``"random"``) — and is scored
    on the held-out documents after each round.

    Parameters
    ----------
    coder
        An unfitted coder (cloned for every fit).
    X, y
        All segments and their codes (``None`` = not coded; never offered to the
        simulated person).
    initial
        Hand-coded segments every strategy starts from.
    batch_size
        Segments added per round.
    rounds
        Rounds after the initial set (each strategy is scored ``rounds + 1`` times);
        None grows the set until the smallest used fold's pool is all coded (the last
        batch cut short to end there), so every fold's curve reaches the full training
        size at the same point.
    n_splits
        Folds, grouped by document.
    folds_used
        Use only the first few folds (the simulation refits once per round and
        strategy; this bounds its cost).
    strategies
        ``"active"`` (:func:`suggest`'s uncertainty with diversity) and/or ``"random"``.
    pool_factor
        As :func:`suggest`: diversity is sought among the ``pool_factor * batch_size``
        most uncertain segments.
    random_state
        Seed of the folds, the initial set and every choice.
    """
    unknown = sorted(set(strategies) - {"active", "random"})
    if unknown:
        raise InputError(
            f"parameter 'strategies': expected 'active' and/or 'random', got {unknown}"
        )
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    folds = document_folds(batch, codes, n_splits=n_splits, random_state=random_state)
    folds = folds[: folds_used or len(folds)]
    full = min(len(train) for train, _ in folds)
    records = []
    answers: dict = {}
    for k, (train, test) in enumerate(folds):
        rng = np.random.default_rng([random_state, k])
        seed_rows = rng.choice(train, size=min(initial, len(train)), replace=False)
        test_docs = np.flatnonzero(np.isin(batch.docs, np.unique(batch.docs[test])))
        where = np.searchsorted(test_docs, test)
        for strategy in strategies:
            chosen = np.zeros(len(batch), dtype=bool)
            chosen[seed_rows] = True
            srng = np.random.default_rng([random_state, k, 1])
            _round = 0
            while True:
                model = fold_coder(coder)
                model.fit(X, masked_codes(y, codes, ~chosen))
                pred = model.predict(take_rows(X, test_docs))[where]
                got = fold_answers(codes, test, pred, model.classes_)
                n_coded = int(chosen.sum())
                answers.setdefault((strategy, n_coded), []).append(got)
                records.append(
                    {
                        "strategy": strategy,
                        "n_coded": n_coded,
                        "repeat": k,
                        "kappa": whole_answer_kappa(*got),
                    }
                )
                remaining = train[~chosen[train]]
                last = _round == rounds if rounds is not None else n_coded >= full
                if last or len(remaining) == 0:
                    break
                _round += 1
                take = min(batch_size, len(remaining))
                if rounds is None:
                    take = min(take, full - n_coded)
                if strategy == "random":
                    picked = srng.choice(remaining, size=take, replace=False)
                else:
                    picked, *_ = _pick(
                        model,
                        X,
                        remaining,
                        take,
                        pool_factor=pool_factor,
                        random_state=random_state,
                    )
                chosen[picked] = True
    return LearningCurve(pd.DataFrame(records), pooled_kappas(answers))
