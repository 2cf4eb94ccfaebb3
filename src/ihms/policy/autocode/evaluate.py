"""How well a machine coder agrees with people, measured on documents it has not seen.

:func:`evaluate_coder` cross-validates a coder **grouped by document**: every fold
holds out whole documents, trains on the codes of the others, and codes the held-out
ones, so no document is ever split between training and test. The result gives
per-category precision, recall and F1, and Cohen's kappa of machine vs human, the
statistic a journal sets beside the human–human kappa. For a multi-label dimension the
kappa compares whole answers (each distinct set of categories is one code, as the
project's agreement table does for a dimension), and each category also gets its
present/absent kappa. :func:`learning_curve` repeats this at
growing numbers of hand-coded segments.

Kappa comes from :func:`ihms.stats.agreement.cohens_kappa`, the same function the
project's human–human agreement uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import precision_recall_fscore_support

from ihms.errors import InputError
from ihms.policy.autocode._folds import (
    DUPLICATE_THRESHOLD,
    document_copies,
    document_folds,
    group_folds,
)
from ihms.policy.autocode._segments import CodeSet, SegmentBatch, as_segments, parse_codes
from ihms.stats.agreement import cohens_kappa
from ihms.summary import SummaryTable

__all__ = [
    "CoderEvaluation",
    "LearningCurve",
    "document_copies",
    "document_folds",
    "evaluate_coder",
    "learning_curve",
    "machine_human_kappa",
]


def machine_human_kappa(human: Any, machine: Any, *, categories: Any = None) -> float:
    """Cohen's kappa of two aligned code sequences (one category per segment)."""
    return float(cohens_kappa(list(human), list(machine), categories=categories).kappa)


def _answers(indicator: np.ndarray, names: Any) -> list[str]:
    """Multi-label rows as whole answers: sorted categories joined by ``;``."""
    names = np.asarray([str(c) for c in names], dtype=object)
    return [";".join(sorted(names[row == 1])) for row in indicator]


def _whole_answer_kappa(human: list[str], machine: list[str]) -> float:
    return machine_human_kappa(human, machine, categories=sorted(set(human) | set(machine)))


@dataclass(frozen=True)
class CoderEvaluation:
    """Grouped cross-validation of a machine coder against human codes.

    Attributes
    ----------
    kappa
        Machine vs human Cohen's kappa over all held-out coded segments (multi-label:
        whole answers compared).
    mean_category_kappa
        Multi-label: mean of the per-category present/absent kappas (None otherwise).
    accuracy
        Share of held-out segments coded exactly as the human did.
    per_category
        Precision, recall, F1 and support per category (multi-label: also kappa).
    predictions
        One row per held-out coded segment: ``row``, ``segment``, ``doc``, ``fold``,
        ``human``, ``machine`` (multi-label codes ``;``-joined).
    n_splits, n_training, n_documents
        Folds, coded segments and documents evaluated.
    multilabel
        Whether the dimension is multi-label.
    human_kappa
        Optional human–human kappa to show beside the machine's.
    """

    kappa: float
    accuracy: float
    per_category: pd.DataFrame
    predictions: pd.DataFrame
    n_splits: int
    n_training: int
    n_documents: int
    multilabel: bool
    human_kappa: float | None = None
    mean_category_kappa: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def with_human_kappa(self, kappa: float) -> CoderEvaluation:
        """A copy that shows ``kappa`` (human vs human) beside the machine's."""
        from dataclasses import replace

        return replace(self, human_kappa=float(kappa))

    def summary(self) -> SummaryTable:
        """Per-category table with the overall kappa in its title."""
        frame = self.per_category.copy()
        title = (
            f"Machine vs human, {self.n_splits}-fold cross-validation by document "
            f"({self.n_documents:,} documents, {self.n_training:,} coded segments): "
            f"kappa = {self.kappa:.3f}"
        )
        if self.human_kappa is not None:
            title += f" (human vs human: {self.human_kappa:.3f})"
        notes = (
            "Each fold trains on whole documents and codes documents it has never seen.",
            *self.notes,
        )
        return SummaryTable(frame, title=title, notes=notes, formats={"support": "{:,.0f}".format})

    def to_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "kappa": self.kappa,
            "mean_category_kappa": self.mean_category_kappa,
            "human_kappa": self.human_kappa,
            "accuracy": self.accuracy,
            "n_splits": self.n_splits,
            "n_training": self.n_training,
            "n_documents": self.n_documents,
            "multilabel": self.multilabel,
            "notes": list(self.notes),
            "per_category": self.per_category.reset_index().to_dict(orient="records"),
        }


def _fold_coder(coder: Any) -> Any:
    """A fresh copy for one fold. The minimum-codes check already ran on the whole
    project; a fold may hold fewer codes of a rare category than that. Calibration is
    skipped when it cannot change a code (codes come from scores unless thresholds are
    probabilities or self-training ranks by probability): evaluation needs codes only."""
    fold = clone(coder)
    params = fold.get_params(deep=False)
    updates = {k: v for k, v in (("min_per_category", 1), ("categories", None)) if k in params}
    if (
        "calibration" in params
        and params.get("thresholds") in ("tuned", "default")
        and not params.get("self_training")
    ):
        updates["calibration"] = None
    return fold.set_params(**updates) if updates else fold


def _masked(y: Any, codes: CodeSet, hide: np.ndarray) -> list[Any]:
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


def _take(X: Any, rows: np.ndarray) -> Any:
    if isinstance(X, pd.DataFrame):
        return X.iloc[rows]
    return [X[i] for i in rows]


def evaluate_coder(
    coder: Any,
    X: Any,
    y: Any,
    *,
    n_splits: int = 5,
    random_state: int = 0,
    transductive: bool = True,
    human_kappa: float | None = None,
    duplicate_threshold: float | None = DUPLICATE_THRESHOLD,
) -> CoderEvaluation:
    """Cross-validate ``coder`` grouped by document and compare it with human codes.

    Parameters
    ----------
    coder
        An unfitted :class:`~ihms.policy.autocode.LearnedCoder` (or any classifier
        taking segments and codes).
    X
        Segments with a ``doc`` column (without one, every segment counts as its own
        document).
    y
        Human codes; ``None`` for uncoded segments (they still inform the features).
    n_splits
        Folds.
    random_state
        Seed of the fold assignment.
    transductive
        Give each fold's model the held-out documents' texts as *uncoded* segments, as
        a project hands its model the segments it is about to code. With False the
        held-out documents are removed from training entirely.
    human_kappa
        Human–human kappa to show beside the machine's.
    duplicate_threshold
        Documents this similar (Jaccard of character 5-grams of their joined texts) are
        copies of one policy and stay in the same fold (see :func:`document_copies`);
        ``None`` trusts the ``doc`` column alone.

    Raises
    ------
    TooFewCodesError
        When the project as a whole has too few codes in some category.
    """
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    check = clone(coder)
    if hasattr(check, "_check_counts"):
        check._check_counts(codes)
    groups, copies = document_copies(batch, threshold=duplicate_threshold)
    folds = group_folds(groups, codes, n_splits=n_splits, random_state=random_state)
    n = len(batch)
    fold_of = np.full(n, -1)
    if codes.multilabel:
        machine = np.zeros((n, len(codes.classes)), dtype=np.int8)
    else:
        machine = np.empty(n, dtype=object)
    for k, (_train, test) in enumerate(folds):
        test_docs = np.isin(batch.docs, np.unique(batch.docs[test]))
        model = _fold_coder(coder)
        if transductive:
            model.fit(X, _masked(y, codes, test_docs))
        else:
            keep = np.flatnonzero(~test_docs)
            model.fit(_take(X, keep), [_masked(y, codes, test_docs)[i] for i in keep])
        doc_rows = np.flatnonzero(test_docs)
        pred = model.predict(_take(X, doc_rows))
        where = np.searchsorted(doc_rows, test)
        if codes.multilabel:
            cols = {str(c): j for j, c in enumerate(model.classes_)}
            for j, c in enumerate(codes.classes):
                if str(c) in cols:
                    machine[test, j] = pred[where, cols[str(c)]]
        else:
            machine[test] = pred[where]
        fold_of[test] = k
    rows = np.flatnonzero(fold_of >= 0)
    notes = tuple(
        f"Documents {', '.join(map(str, group))} are near-identical copies (Jaccard >= "
        f"{duplicate_threshold:g} of character 5-grams) and were kept in one fold."
        for group in copies
    )
    return _evaluation(batch, codes, machine, fold_of, rows, n_splits, human_kappa, notes)


def _evaluation(
    batch: SegmentBatch,
    codes: CodeSet,
    machine: np.ndarray,
    fold_of: np.ndarray,
    rows: np.ndarray,
    n_splits: int,
    human_kappa: float | None,
    notes: tuple[str, ...] = (),
) -> CoderEvaluation:
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
        human, mach = _answers(H, names), _answers(M, names)
        kappa = _whole_answer_kappa(human, mach)
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


@dataclass(frozen=True)
class LearningCurve:
    """Machine-vs-human kappa against the number of hand-coded segments.

    Attributes
    ----------
    points
        Columns ``strategy``, ``n_coded``, ``repeat``, ``kappa``.
    """

    points: pd.DataFrame

    def mean(self) -> pd.DataFrame:
        """Mean kappa per strategy and number of coded segments."""
        return self.points.groupby(["strategy", "n_coded"], as_index=False)["kappa"].mean()

    def segments_to_reach(self, target: float) -> dict[str, float | None]:
        """Hand-coded segments each strategy needs before its mean kappa reaches
        ``target``: read off the mean curve, linearly interpolated between the two
        points that straddle the target; ``None`` when the curve never gets there.

        A target the first point already meets returns that point's size, which tells
        strategies apart only if they start below it: pick a target the curves have to
        climb to (e.g. the random curve's last kappa minus a small margin).

        Examples
        --------
        >>> pts = pd.DataFrame({"strategy": ["a", "a", "a"], "n_coded": [100, 200, 300],
        ...                     "repeat": 0, "kappa": [0.40, 0.50, 0.70]})
        >>> LearningCurve(pts).segments_to_reach(0.6)
        {'a': 250.0}
        """
        out: dict[str, float | None] = {}
        for strategy, part in self.mean().groupby("strategy"):
            n = part["n_coded"].to_numpy(dtype=float)
            k = part["kappa"].to_numpy(dtype=float)
            hit = np.flatnonzero(k >= target)
            if len(hit) == 0:
                out[str(strategy)] = None
            elif hit[0] == 0:
                out[str(strategy)] = float(n[0])
            else:
                i = hit[0]
                share = (target - k[i - 1]) / (k[i] - k[i - 1])
                out[str(strategy)] = float(n[i - 1] + share * (n[i] - n[i - 1]))
        return out

    def summary(self) -> SummaryTable:
        """One column per strategy, one row per number of coded segments."""
        wide = self.mean().pivot(index="n_coded", columns="strategy", values="kappa")
        wide.columns = [f"kappa ({c})" for c in wide.columns]
        wide.index.name = "hand-coded segments"
        return SummaryTable(
            wide,
            title="Learning curve: machine vs human kappa on unseen documents",
            notes=(
                "Each point trains on that many hand-coded segments and is scored on "
                "held-out documents.",
            ),
            digits=3,
        )

    def figure(self, *, target: float | None = None, human_kappa: float | None = None):
        """Line chart of kappa against hand-coded segments, one line per strategy."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        for strategy, part in self.mean().groupby("strategy"):
            ax.plot(part["n_coded"], part["kappa"], marker="o", label=str(strategy))
        if human_kappa is not None:
            ax.axhline(human_kappa, color="grey", linestyle="--", label="human vs human")
        if target is not None:
            ax.axhline(target, color="grey", linestyle=":", label=f"target {target:g}")
        ax.set_xlabel("hand-coded segments")
        ax.set_ylabel("Cohen's kappa, machine vs human")
        ax.legend(loc="lower right")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig


def learning_curve(
    coder: Any,
    X: Any,
    y: Any,
    *,
    sizes: Any,
    n_splits: int = 5,
    random_state: int = 0,
) -> LearningCurve:
    """Kappa on held-out documents when training on random subsets of growing size.

    For every grouped fold, the training documents' coded segments are shuffled once
    (seeded) and the first ``size`` of them are used, so larger sizes extend smaller
    ones; the other training segments stay in as uncoded text.
    """
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    folds = document_folds(batch, codes, n_splits=n_splits, random_state=random_state)
    rng = np.random.default_rng(random_state)
    records = []
    for k, (train, test) in enumerate(folds):
        order = rng.permutation(train)
        for size in sizes:
            keep = np.zeros(len(batch), dtype=bool)
            keep[order[: int(size)]] = True
            kappa = _score_subset(coder, X, y, codes, batch, keep, test)
            records.append(
                {"strategy": "random", "n_coded": int(size), "repeat": k, "kappa": kappa}
            )
    return LearningCurve(pd.DataFrame(records))


def _score_subset(
    coder: Any,
    X: Any,
    y: Any,
    codes: CodeSet,
    batch: SegmentBatch,
    keep: np.ndarray,
    test: np.ndarray,
) -> float:
    """Train on the coded rows in ``keep`` (everything else uncoded) and return kappa on
    ``test``; NaN when the subset is too small to train on."""
    model = _fold_coder(coder)
    try:
        model.fit(X, _masked(y, codes, ~keep))
    except InputError:
        return float("nan")
    doc_rows = np.flatnonzero(np.isin(batch.docs, np.unique(batch.docs[test])))
    pred = model.predict(_take(X, doc_rows))[np.searchsorted(doc_rows, test)]
    return fold_kappa(codes, test, pred, model.classes_)


def fold_kappa(codes: CodeSet, test: np.ndarray, pred: np.ndarray, classes: np.ndarray) -> float:
    """Machine-vs-human kappa on the rows ``test`` (multi-label: whole answers; a
    category the model never learned counts as absent)."""
    if codes.multilabel:
        assert codes.indicator is not None
        cols = {str(c): j for j, c in enumerate(classes)}
        machine = np.zeros((len(test), len(codes.classes)), dtype=np.int8)
        for j, c in enumerate(codes.classes):
            if str(c) in cols:
                machine[:, j] = pred[:, cols[str(c)]]
        return _whole_answer_kappa(
            _answers(codes.indicator[test], codes.classes), _answers(machine, codes.classes)
        )
    assert codes.labels is not None
    human = codes.labels[test].astype(str)
    machine = pred.astype(str)
    return machine_human_kappa(human, machine, categories=sorted(set(human) | set(machine)))
