"""A multi-label coder's per-category cuts tuned for F1, and what it says about the
categories no cut could be trusted for (:func:`~ihms.policy.autocode._scores.best_f1_cut`
gives each cut)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ihms.policy.autocode._scores import CUT_ALPHA, best_f1_cut

__all__ = ["cut_note", "probability_cuts", "tuned_cuts"]


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
