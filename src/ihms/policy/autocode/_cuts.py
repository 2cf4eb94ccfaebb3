"""A multi-label coder's per-category cuts tuned for F1, and what it says about the
categories no cut could be trusted for (:func:`~ihms.policy.autocode._scores.best_f1_cut`
gives each cut)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ihms.policy.autocode._notes import Note
from ihms.policy.autocode._scores import CUT_ALPHA, best_f1_cut

__all__ = ["cut_note", "fold_cut_note", "fold_cuts_refused", "probability_cuts", "tuned_cuts"]


def tuned_cuts(
    Y: np.ndarray, scores: np.ndarray, names: Sequence[str]
) -> tuple[np.ndarray, dict[str, str]]:
    """Each category's score cut (:func:`best_f1_cut` on its out-of-fold ``scores``
    against the codes ``Y``), and the categories whose cut was refused: ``{name:
    "never"}`` (cut ``inf``) or ``{name: "always"}`` (cut ``-inf``)."""
    cuts = np.array([best_f1_cut(Y[:, j], scores[:, j]) for j in range(len(names))])
    uncut = {
        str(names[j]): "never" if cuts[j] > 0 else "always"
        for j in np.flatnonzero(~np.isfinite(cuts))
    }
    return cuts, uncut


def probability_cuts(
    proba_at: Callable[[np.ndarray], np.ndarray], cuts: np.ndarray, names: Sequence[str]
) -> dict[str, float]:
    """The probability at each score cut (``proba_at``: scores, one row, to
    probabilities), so ``p >= threshold`` codes what ``score >= cut`` codes; a category
    never coded gets ``inf``, one coded on every segment 0."""
    finite = np.where(np.isfinite(cuts), cuts, 0.0)
    at = proba_at(finite[None, :])[0]
    return {
        str(c): float(at[j]) if np.isfinite(cuts[j]) else (np.inf if cuts[j] > 0 else 0.0)
        for j, c in enumerate(names)
    }


def cut_note(uncut: dict[str, str]) -> str | None:
    """What the coder says about the categories :func:`tuned_cuts` refused a cut (None
    when there are none)."""
    if not uncut:
        return None
    parts = []
    for kind, what in (("never", "never coded"), ("always", "coded on every segment")):
        names = [c for c, k in uncut.items() if k == kind]
        if names:
            one = len(names) == 1
            parts.append(
                f"{len(names)} categor{'y' if one else 'ies'} ({', '.join(names)}) "
                f"{'is' if one else 'are'} {what}"
            )
    return (
        f"{' and '.join(parts)}: at the cut that gave the best F1 on the calibration "
        "folds' held-out segments, the codes lay above the cut no more often than chance "
        f"would put them there (one-sided hypergeometric test, p >= {CUT_ALPHA:g}), so the "
        "score does not tell the category's segments apart and the majority answer of "
        "the codes is given (never, unless most coded segments have the category). Code "
        "more segments, in more documents, to give it a cut"
    )


def fold_cuts_refused(refused: Sequence[dict[str, str]]) -> dict[str, dict[str, int]]:
    """How many of a cross-validation's fold models refused each category's cut, by
    kind (``{category: {"never": folds, "always": folds}}``), from each fold model's
    ``uncut_categories_`` (``refused``, one per fold).

    Examples
    --------
    >>> fold_cuts_refused([{"a": "never"}, {}, {"a": "never", "b": "always"}])
    {'a': {'never': 2}, 'b': {'always': 1}}
    """
    counts: dict[str, dict[str, int]] = {}
    for uncut in refused:
        for category, kind in uncut.items():
            by_kind = counts.setdefault(str(category), {})
            by_kind[kind] = by_kind.get(kind, 0) + 1
    return counts


def fold_cut_note(counts: dict[str, dict[str, int]], n_folds: int) -> Note | None:
    """What a cross-validation says about the categories its fold models refused a cut
    (:func:`fold_cuts_refused`'s ``counts``; None when none did)."""
    if not counts:
        return None
    return Note("refused cuts", counts=counts, n_folds=n_folds, alpha=CUT_ALPHA)
