"""Repeated grouped cross-validation: how much kappa moves with the fold assignment and
the solver's seed (``ihms policy autocode evaluate --repeats`` and ``table evaluate
--repeats``; :func:`~ihms.policy.autocode.evaluate_on_project` ``repeats``).

Run 0 is the headline evaluation: its folds seeded ``random_state`` and the coder as
given (its own solver seed). Run ``r`` > 0 seeds the folds and the solver with
``random_state + r``. The bootstrap covers which documents were coded given the fold
models; the repeats show what refitting them on other folds does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from ihms.errors import InputError
from ihms.policy.autocode._notes import Note
from ihms.policy.autocode.evaluate import CoderEvaluation, evaluate_coder

__all__ = ["repeat_note", "repeat_summary", "repeated_kappas"]


def repeated_kappas(
    coder: Any,
    X: Any,
    y: Any,
    *,
    n_splits: int,
    random_state: int,
    repeats: int,
    twins_together: bool = False,
    first: CoderEvaluation | None = None,
) -> tuple[float, ...]:
    """Kappa of ``repeats`` grouped cross-validations of ``coder`` on ``X``, ``y``.

    Run 0 is :func:`~ihms.policy.autocode.evaluate_coder` with folds seeded
    ``random_state`` and the coder's own solver seed (``first`` when given: the
    headline evaluation already run); run ``r`` > 0 seeds the folds and the coder's
    ``random_state`` (when it has one) with ``random_state + r``.

    Raises
    ------
    InputError
        ``repeats`` below 1.
    """
    if int(repeats) < 1:
        raise InputError(f"parameter 'repeats' (--repeats): expected at least 1, got {repeats!r}")
    if first is None:
        first = evaluate_coder(
            coder, X, y, n_splits=n_splits, random_state=random_state,
            twins_together=twins_together,
        )  # fmt: skip
    kappas = [first.kappa]
    for r in range(1, int(repeats)):
        again = clone(coder)
        if "random_state" in again.get_params(deep=False):
            again.set_params(random_state=random_state + r)
        kappas.append(
            evaluate_coder(
                again, X, y, n_splits=n_splits, random_state=random_state + r,
                twins_together=twins_together,
            ).kappa
        )  # fmt: skip
    return tuple(kappas)


def repeat_summary(kappas: Any, seed: int) -> dict[str, Any] | None:
    """Fold seeds, kappas, mean, SD (n - 1), min and max of repeated runs whose first
    folds were seeded ``seed``; None for fewer than two runs."""
    k = np.asarray(kappas, dtype=float)
    if len(k) < 2:
        return None
    return {
        "seeds": list(range(int(seed), int(seed) + len(k))),
        "kappas": k.tolist(),
        "mean": float(k.mean()),
        "sd": float(k.std(ddof=1)),
        "min": float(k.min()),
        "max": float(k.max()),
    }


def repeat_note(summary: dict[str, Any] | None) -> tuple[Note, ...]:
    """The repeats in one note (none without them)."""
    return () if summary is None else (Note("repeats", summary=summary),)
