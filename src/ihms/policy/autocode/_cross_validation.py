"""The pieces every grouped cross-validation of a machine coder shares.

:func:`~ihms.policy.autocode.evaluate_coder`, the nested coverage cut
(:mod:`~ihms.policy.autocode.coverage`), the learning curve
(:mod:`~ihms.policy.autocode.curve`), the active-learning replay
(:mod:`~ihms.policy.autocode.active`) and the keyword rules' evaluation
(:mod:`~ihms.policy.autocode.rules_evaluation`) fit a fresh copy of a coder per fold
(:func:`fold_coder`) on the codes with the held-out documents' hidden
(:func:`masked_codes`), take rows of the segments (:func:`take_rows`), compare whole
answers (:func:`joined_answers`, :func:`whole_answer_kappa`) and assemble a
:class:`~ihms.policy.autocode.CoderEvaluation` (:func:`coder_evaluation`). Kappa is
:func:`ihms.stats.agreement.cohens_kappa`, as for the human coders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import precision_recall_fscore_support

from ihms.policy.autocode._segments import CodeSet, SegmentBatch
from ihms.stats.agreement import cohens_kappa

if TYPE_CHECKING:
    from ihms.policy.autocode.evaluate import CoderEvaluation

__all__ = [
    "coder_evaluation",
    "fold_coder",
    "joined_answers",
    "machine_human_kappa",
    "masked_codes",
    "take_rows",
    "whole_answer_kappa",
]


def machine_human_kappa(human: Any, machine: Any, *, categories: Any = None) -> float:
    """Cohen's kappa of two aligned code sequences (one category per segment).

    Parameters
    ----------
    human, machine : sequence
        The human's and the machine's category for each segment, aligned.
    categories : sequence, optional
        Every category, in order (as :func:`ihms.stats.cohens_kappa` takes it); None
        uses the categories that occur.
    """
    return float(cohens_kappa(list(human), list(machine), categories=categories).kappa)


def joined_answers(indicator: np.ndarray, names: Any) -> list[str]:
    """Multi-label rows as whole answers: sorted categories joined by ``;``."""
    names = np.asarray([str(c) for c in names], dtype=object)
    return [";".join(sorted(names[row == 1])) for row in indicator]


def whole_answer_kappa(human: list[str], machine: list[str]) -> float:
    """Kappa of two lists of whole answers, over every answer either gives."""
    return machine_human_kappa(human, machine, categories=sorted(set(human) | set(machine)))


def fold_coder(coder: Any, *, keep_calibration: bool = False) -> Any:
    """A fresh copy for one fold. The minimum-codes check already ran on the whole
    project; a fold may hold fewer codes of a rare category than that. Unless
    ``keep_calibration``, calibration is skipped when it cannot change a code (codes
    come from scores unless thresholds are probabilities or self-training ranks by
    probability)."""
    fold = clone(coder)
    params = fold.get_params(deep=False)
    updates = {k: v for k, v in (("min_per_category", 1), ("categories", None)) if k in params}
    if (
        not keep_calibration
        and "calibration" in params
        and params.get("thresholds") in ("tuned", "default")
        and not params.get("self_training")
    ):
        updates["calibration"] = None
    return fold.set_params(**updates) if updates else fold


def masked_codes(y: Any, codes: CodeSet, hide: np.ndarray) -> list[Any]:
    """The codes ``y`` with the rows in ``hide`` (and every uncoded one) as None."""
    out: list[Any] = []
    for i in range(len(codes.coded)):
        if not codes.coded[i] or hide[i]:
            out.append(None)
        elif codes.multilabel:
            assert codes.indicator is not None
            out.append([str(c) for c in codes.classes[codes.indicator[i] == 1]])
        else:
            assert codes.labels is not None
            out.append(codes.labels[i])
    return out


def take_rows(X: Any, rows: np.ndarray) -> Any:
    """The segments at positions ``rows`` (a DataFrame's rows or a list's items)."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[rows]
    return [X[i] for i in rows]


def coder_evaluation(
    batch: SegmentBatch,
    codes: CodeSet,
    machine: np.ndarray,
    fold_of: np.ndarray,
    rows: np.ndarray,
    n_splits: int,
    human_kappa: float | None,
    notes: tuple[str, ...] = (),
) -> CoderEvaluation:
    """The evaluation of ``machine``'s codes on the coded ``rows`` held out in ``fold_of``
    against ``codes``: per-category table, kappa (multi-label: whole answers, plus each
    category's present/absent kappa), accuracy and one prediction row per segment."""
    names = [str(c) for c in codes.classes]
    if codes.multilabel:
        assert codes.indicator is not None
        H, M = codes.indicator[rows], machine[rows]
        p, r, f, s = precision_recall_fscore_support(H, M, zero_division=0)
        kappas = [
            machine_human_kappa(H[:, j], M[:, j], categories=[0, 1]) for j in range(len(names))
        ]
        per = pd.DataFrame(
            {"precision": p, "recall": r, "f1": f, "support": s, "kappa": kappas},
            index=pd.Index(names, name="category"),
        )
        mean_category = float(np.mean(kappas))
        accuracy = float((H == M).all(axis=1).mean())
        human, mach = joined_answers(H, names), joined_answers(M, names)
        kappa = whole_answer_kappa(human, mach)
    else:
        assert codes.labels is not None
        human = list(codes.labels[rows].astype(str))
        mach = list(machine[rows].astype(str))
        labels = sorted(set(names) | set(mach))
        p, r, f, s = precision_recall_fscore_support(human, mach, labels=labels, zero_division=0)
        per = pd.DataFrame(
            {"precision": p, "recall": r, "f1": f, "support": s},
            index=pd.Index(labels, name="category"),
        )
        kappa = machine_human_kappa(human, mach, categories=labels)
        mean_category = None
        accuracy = float(np.mean(np.array(human) == np.array(mach)))
    predictions = pd.DataFrame(
        {
            "row": rows,
            "segment": batch.ids[rows],
            "doc": batch.docs[rows],
            "fold": fold_of[rows],
            "human": human,
            "machine": mach,
        }
    )
    from ihms.policy.autocode.evaluate import CoderEvaluation  # it imports this module

    return CoderEvaluation(
        kappa=kappa,
        accuracy=accuracy,
        per_category=per,
        predictions=predictions,
        n_splits=n_splits,
        n_training=len(rows),
        n_documents=len(np.unique(batch.docs[rows])),
        multilabel=codes.multilabel,
        human_kappa=human_kappa,
        mean_category_kappa=mean_category,
        notes=notes,
    )
