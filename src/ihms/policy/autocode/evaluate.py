"""How well a machine coder agrees with people, measured on documents it has not seen.

:func:`evaluate_coder` cross-validates a coder **grouped by document**: every fold
holds out whole documents, trains on the codes of the others, and codes the held-out
ones, so no document is ever split between training and test. The result gives
per-category precision, recall and F1, and Cohen's kappa of machine vs human, the
statistic a journal sets beside the human–human kappa. For a multi-label dimension the
kappa compares whole answers (each distinct set of categories is one code, as the
project's agreement table does for a dimension), and each category also gets its
present/absent kappa. :mod:`~ihms.policy.autocode.curve` repeats this at growing
numbers of hand-coded segments; :meth:`CoderEvaluation.coverage` shows what the machine
could code at a chosen agreement.

Kappa comes from :func:`ihms.stats.agreement.cohens_kappa`, the same function the
project's human–human agreement uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ihms._renamed import renamed_parameter
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.policy.autocode._cross_validation import (
    coder_evaluation,
    fold_coder,
    machine_human_kappa,
    masked_codes,
    take_rows,
)
from ihms.policy.autocode._cuts import fold_cut_note, fold_cuts_refused
from ihms.policy.autocode._folds import (
    DUPLICATE_THRESHOLD,
    document_copies,
    document_folds,
    group_folds,
)
from ihms.policy.autocode._notes import Note
from ihms.policy.autocode._segments import as_segments, parse_codes
from ihms.policy.autocode._twins import copy_keys, held_out_twins, twin_groups
from ihms.policy.autocode.bootstrap import N_BOOT, AgreementBootstrap, bootstrap_agreement
from ihms.policy.autocode.coverage import CoverageCurve, answer_probability, coverage_curve
from ihms.summary import SummaryTable

__all__ = [
    "CoderEvaluation",
    "document_copies",
    "document_folds",
    "evaluate_coder",
    "machine_human_kappa",
]


@dataclass(frozen=True, eq=False)
class CoderEvaluation(SummaryHtml):
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
        ``human``, ``machine`` (multi-label codes ``;``-joined); with
        ``probabilities=True`` also ``probability``, the machine's calibrated
        probability for its own code (multi-label: for the whole answer); ``twin``:
        a coded segment of a training fold has the same text but for place names and
        numbers; ``cluster``: the documents kept in one fold as one policy
        (near-identical copies; with ``twins_together``, twins) named by one of their
        document ids (copies: the first one's), the unit :meth:`with_bootstrap`
        resamples.
    n_splits, n_training, n_documents
        Folds, coded segments and documents evaluated.
    multilabel
        Whether the dimension is multi-label.
    human_kappa
        Optional human–human kappa to show beside the machine's.
    notes
        What the summary should say besides the numbers (documents kept in one fold as
        near-identical copies; held-out twins).
    uncut_categories
        Multi-label: the categories whose tuned cut fold models refused, with how many
        folds did, by kind (``{category: {"never" | "always": folds}}``; a note says
        so, :func:`~ihms.policy.autocode._cuts.fold_cut_note`).
    n_twins, kappa_without_twins
        Held-out segments with a twin in training, and kappa on the others (None when
        there is no twin).
    interval
        The cluster bootstrap over documents of kappa and per-category F1, documents
        kept together resampled together (:meth:`with_bootstrap`; None until asked
        for).
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
    uncut_categories: dict[str, dict[str, int]] = field(default_factory=dict)
    n_twins: int = 0
    kappa_without_twins: float | None = None
    interval: AgreementBootstrap | None = None

    def __repr__(self) -> str:
        # the generated repr printed the per-category table and every prediction
        return brief_repr(
            self,
            kappa=round(self.kappa, 3),
            accuracy=round(self.accuracy, 3),
            human_kappa=None if self.human_kappa is None else round(self.human_kappa, 3),
            n_splits=self.n_splits,
            n_training=self.n_training,
            n_documents=self.n_documents,
            multilabel=self.multilabel,
        )

    def with_human_kappa(self, kappa: float) -> CoderEvaluation:
        """A copy that shows ``kappa`` (human vs human) beside the machine's.

        Parameters
        ----------
        kappa : float
            The human coders' Cohen's kappa on the same dimension.
        """
        return replace(self, human_kappa=float(kappa))

    @renamed_parameter("level", "confidence", since="0.1.0")
    def with_bootstrap(
        self, n_boot: int = N_BOOT, *, random_state: int = 0, confidence: float = 0.95
    ) -> CoderEvaluation:
        """A copy with :attr:`interval`: kappa's and each category's F1 interval from
        a cluster bootstrap over the held-out documents
        (:func:`~ihms.policy.autocode.bootstrap.bootstrap_agreement`, reconciled codes
        first). Documents the evaluation kept in one fold as one policy (the
        predictions' ``cluster``) are drawn together; without that column, each
        document alone.

        Parameters
        ----------
        n_boot : int, default N_BOOT (2000)
            Resamples of the documents.
        random_state : int, default 0
            Seed of the resamples.
        confidence : float, default 0.95
            Confidence level of the percentile intervals (``level`` before 0.1.0, still
            taken with a DeprecationWarning).
        """
        p = self.predictions
        interval = bootstrap_agreement(
            p["human"], p["machine"], p["doc"], clusters=p.get("cluster"),
            categories=list(self.per_category.index),
            multilabel=self.multilabel, n_boot=n_boot, random_state=random_state, confidence=confidence,
        )  # fmt: skip
        return replace(self, interval=interval)

    def coverage(self, cuts: Any = None) -> CoverageCurve:
        """Kappa on the segments the machine would code at each ``min_probability``
        cut, and how many it would leave to people (needs ``probabilities=True``).

        Parameters
        ----------
        cuts : sequence of float, optional
            Probability cuts, each in [0, 1]; None gives 0, 0.05, ..., 0.95.

        Raises
        ------
        InputError
            The evaluation recorded no probabilities.
        """
        if "probability" not in self.predictions:
            raise InputError(
                "coverage needs each code's probability: evaluate with probabilities=True "
                "(CLI: --coverage)"
            )
        p = self.predictions
        known = p["probability"].notna()
        if not known.any():
            raise InputError(
                "coverage: no fold's model could calibrate its probabilities (a category "
                "coded in too few documents); code more segments, in more documents"
            )
        kw = {} if cuts is None else {"cuts": cuts}
        p = p[known]
        curve = coverage_curve(p["human"], p["machine"], p["probability"], **kw)
        return replace(curve, n_uncalibrated=int((~known).sum()))

    def summary(self) -> SummaryTable:
        """Per-category table with the overall kappa in its title."""
        frame = self.per_category.copy()
        title = (
            f"Machine vs human, {self.n_splits}-fold cross-validation by document "
            f"({self.n_documents:,} documents, {self.n_training:,} coded segments): "
            f"kappa = {self.kappa:.3f}"
        )
        if self.interval is not None:
            i = self.interval
            title += f" ({i.level:.0%} CI {i.low:.3f} to {i.high:.3f})"
            frame["f1 low"] = i.categories["f1_low"].reindex(frame.index)
            frame["f1 high"] = i.categories["f1_high"].reindex(frame.index)
        if self.human_kappa is not None:
            title += f" (human vs human: {self.human_kappa:.3f})"
        notes = (
            "Each fold trains on whole documents and codes documents it has never seen.",
            *([] if self.interval is None else [self.interval.note()]),
            *self.notes,
        )
        return SummaryTable(
            frame,
            title=title,
            notes=notes,
            formats={"support": "{:,.0f}".format},
            digits=3,  # as the project's evaluation and the agreement tables print kappas
        )

    def _per_category(self) -> pd.DataFrame:
        """The per-category table, with F1's interval when bootstrapped."""
        if self.interval is None:
            return self.per_category
        return self.per_category.join(self.interval.categories[["f1_low", "f1_high"]])

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
            "uncut_categories": self.uncut_categories,
            "n_twins": self.n_twins,
            "kappa_without_twins": self.kappa_without_twins,
            "bootstrap": None if self.interval is None else self.interval.to_dict(),
            "per_category": self._per_category().reset_index().to_dict(orient="records"),
        }


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
    probabilities: bool = False,
    twins_together: bool = False,
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
    probabilities
        Also record the calibrated probability of each held-out answer (multi-label:
        of the whole answer, :func:`~ihms.policy.autocode.coverage.answer_probability`),
        for :meth:`CoderEvaluation.coverage`. Slower: the folds' models calibrate.
    twins_together
        Keep in one fold the documents that share a coded paragraph but for place names
        and numbers (:func:`~ihms.policy.autocode._twins.copy_key`). Without it such
        held-out *twins* are counted (``n_twins``, a ``twin`` column in the predictions)
        and kappa is also given without them (``kappa_without_twins``).

    Raises
    ------
    TooFewCodesError
        When the project as a whole has too few codes in some category.
    """
    batch = as_segments(X)
    codes = parse_codes(y, len(batch))
    check = clone(coder)
    if hasattr(check, "_check_params"):
        check._check_params()  # the folds relax min_per_category: its range is checked here
    if hasattr(check, "_check_counts"):
        check._check_counts(codes)
    if probabilities and getattr(coder, "calibration", "") is None:
        raise InputError(
            "parameter 'probabilities': the coder is not calibrated (calibration=None)"
        )
    groups, copies = document_copies(batch, threshold=duplicate_threshold)
    keys = copy_keys(batch.texts)
    if twins_together:
        groups = twin_groups(groups, keys, codes.coded)
    folds = group_folds(groups, codes, n_splits=n_splits, random_state=random_state)
    n = len(batch)
    fold_of = np.full(n, -1)
    if codes.multilabel:
        machine = np.zeros((n, len(codes.classes)), dtype=np.int8)
    else:
        machine = np.empty(n, dtype=object)
    prob = np.full(n, np.nan)
    uncalibrated: list[tuple[int, int]] = []  # (fold, held-out segments)
    refused: list[dict[str, str]] = []  # each fold model's categories without a cut
    for k, (_train, test) in enumerate(folds):
        test_docs = np.isin(batch.docs, np.unique(batch.docs[test]))
        model = fold_coder(coder, keep_calibration=probabilities)
        if transductive:
            model.fit(X, masked_codes(y, codes, test_docs))
        else:
            keep = np.flatnonzero(~test_docs)
            model.fit(take_rows(X, keep), [masked_codes(y, codes, test_docs)[i] for i in keep])
        refused.append(dict(getattr(model, "uncut_categories_", None) or {}))
        doc_rows = np.flatnonzero(test_docs)
        held = take_rows(X, doc_rows)
        # a LearnedCoder's scores, featurised once for its codes and probabilities
        scores = model._scores(held) if hasattr(model, "_proba_from_scores") else None
        pred = model.predict(held) if scores is None else model._predict_from_scores(scores)
        where = np.searchsorted(doc_rows, test)
        if probabilities and not getattr(model, "calibrated_", True):
            # its probabilities are an order, not chances: no cut may be read off them
            uncalibrated.append((k + 1, len(test)))
        elif probabilities:
            # the same batch as the codes: context features depend on the whole document
            proba = (
                model.predict_proba(held) if scores is None else model._proba_from_scores(scores)
            )[where]
            if codes.multilabel:
                prob[test] = answer_probability(pred[where], proba)
            else:
                col = {c: j for j, c in enumerate(model.classes_)}
                prob[test] = proba[np.arange(len(test)), [col[c] for c in pred[where]]]
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
        Note("copies in fold", docs=tuple(map(str, group)), threshold=duplicate_threshold)
        for group in copies
    )
    if uncalibrated:
        notes = (*notes, _uncalibrated_note(uncalibrated))
    uncut = fold_cuts_refused(refused)
    if uncut:
        notes = (*notes, fold_cut_note(uncut, len(refused)))
    ev = coder_evaluation(batch, codes, machine, fold_of, rows, n_splits, human_kappa, notes)
    ev = replace(ev, uncut_categories=uncut)
    if probabilities:
        ev.predictions["probability"] = prob[rows]
    ev = _with_twins(ev, held_out_twins(keys, fold_of)[rows])
    ev.predictions["cluster"] = groups[rows]  # the unit with_bootstrap resamples
    return ev


def _uncalibrated_note(folds: list[tuple[int, int]]) -> Note:
    """The folds (number, held-out segments) whose model could not calibrate."""
    return Note("uncalibrated", folds=tuple(folds))


def _with_twins(ev: CoderEvaluation, twin: np.ndarray) -> CoderEvaluation:
    """``ev`` with its held-out twins marked, counted and left out of a second kappa."""
    ev.predictions["twin"] = twin
    n = int(twin.sum())
    if not n:
        return replace(ev, n_twins=0)
    rest = ev.predictions[~twin]
    h, m = list(rest["human"]), list(rest["machine"])
    k = machine_human_kappa(h, m, categories=sorted(set(h) | set(m))) if len(rest) else np.nan
    note = Note(
        "twins", n=n, total=len(twin), rest=len(rest), kappa=float(k) if len(rest) else None
    )
    return replace(ev, n_twins=n, kappa_without_twins=float(k), notes=(*ev.notes, note))
