"""Cross-validation folds that keep documents whole, and copies of a document together.

Every evaluation of a machine coder (:func:`~ihms.policy.autocode.evaluate_coder`, the
learning curve, the active-learning replay) scores it on documents it has not seen.
"Not seen" needs two things: a document is never split between training and test, and
two near-identical copies of one policy filed under two ids count as one document.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.model_selection import GroupKFold, KFold, StratifiedGroupKFold, StratifiedKFold

from ihms.errors import InputError
from ihms.policy.autocode._segments import CodeSet, SegmentBatch

__all__ = [
    "DUPLICATE_THRESHOLD",
    "calibration_folds",
    "document_copies",
    "document_folds",
    "group_folds",
]

DUPLICATE_THRESHOLD = 0.9


def document_copies(
    batch: SegmentBatch, *, threshold: float | None = DUPLICATE_THRESHOLD
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Fold groups of the segments' documents, with near-identical copies merged.

    A corpus collected from several websites can hold one policy twice under two ids.
    Cross-validation that put one copy in training and the other in test would score
    the machine on text it has already been taught: the kappa would be too good. Here
    documents whose texts (their segments joined) have a Jaccard similarity of
    character 5-grams of at least ``threshold`` (the measure of
    :func:`ihms.policy.find_duplicates`) form one group.

    Parameters
    ----------
    batch : SegmentBatch
        The segments, with their document ids.
    threshold : float or None, default DUPLICATE_THRESHOLD (0.9)
        Jaccard similarity (0 to 1) from which two documents are copies; None (or
        segments without document context) keeps every document its own group.

    Returns
    -------
    groups
        One group key per segment row (the document id of the group's first copy).
    copies
        Each group of two or more documents, as their ids.
    """
    if threshold is None or not batch.has_context:
        return batch.docs, []
    from ihms.policy.dedupe import near_identical_groups

    sorted_docs, first, inv = np.unique(batch.docs, return_index=True, return_inverse=True)
    order = np.argsort(first)  # documents in reading order of first appearance
    docs = sorted_docs[order]
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    doc_of_row = rank[inv]
    parts: list[list[str]] = [[] for _ in docs]
    for d, t in zip(doc_of_row, batch.texts, strict=True):
        parts[d].append(str(t))
    label = near_identical_groups(["".join(p) for p in parts], threshold=threshold)
    copies = [tuple(docs[label == g]) for g in np.unique(label) if (label == g).sum() > 1]
    return docs[label][doc_of_row], copies


def group_folds(
    groups: np.ndarray, codes: CodeSet, *, n_splits: int, random_state: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds over the *coded* rows that never split a group (see :func:`document_folds`)."""
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise InputError(
            f"parameter 'n_splits' (--folds on the command line): cross-validation needs at "
            f"least 2 folds, got {n_splits!r}"
        )
    rows = np.flatnonzero(codes.coded)
    n_docs = len(np.unique(groups[rows]))
    if n_docs < n_splits:
        raise InputError(
            f"parameter 'n_splits' (--folds on the command line): grouped cross-validation "
            f"needs at least {n_splits} documents with codes (near-identical copies count "
            f"once), got {n_docs}; lower it or code segments of more documents"
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        if codes.multilabel:
            splitter = GroupKFold(n_splits, shuffle=True, random_state=random_state)
            splits = splitter.split(rows, groups=groups[rows])
        else:
            assert codes.labels is not None
            splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
            splits = splitter.split(rows, codes.labels[rows].astype(str), groups=groups[rows])
        return [(rows[a], rows[b]) for a, b in splits]


def document_folds(
    batch: SegmentBatch,
    codes: CodeSet,
    *,
    n_splits: int,
    random_state: int,
    duplicate_threshold: float | None = DUPLICATE_THRESHOLD,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds over the *coded* rows that never split a document, nor two near-identical
    copies of one (see :func:`document_copies`).

    Single-label folds are also stratified by category (scikit-learn's
    ``StratifiedGroupKFold``) so rare categories spread over the folds.
    Returns (train rows, test rows) as positions in the whole segment table.
    """
    groups, _ = document_copies(batch, threshold=duplicate_threshold)
    return group_folds(groups, codes, n_splits=n_splits, random_state=random_state)


def calibration_folds(
    groups: np.ndarray | None,
    rows: np.ndarray,
    strata: np.ndarray | None,
    *,
    n_splits: int,
    random_state: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds over ``rows`` for a coder's own calibration and thresholds (positions into
    ``rows``): ``groups`` (documents, copies merged; ``None`` when unknown) are kept
    whole when there are enough of them, and categories spread over the folds when
    ``strata`` is given."""
    if len(rows) < n_splits:
        raise InputError(
            f"calibration needs at least {n_splits} coded segments, got {len(rows)}; "
            "code more segments"
        )
    if strata is not None and np.unique(strata, return_counts=True)[1].max() < n_splits:
        strata = None  # no category has a code for every fold (one code each): not stratified
    grouped = groups is not None and len(np.unique(groups[rows])) >= n_splits
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        if grouped and strata is not None:
            splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
            return list(splitter.split(rows, strata, groups=groups[rows]))
        if grouped:
            splitter = GroupKFold(n_splits, shuffle=True, random_state=random_state)
            return list(splitter.split(rows, groups=groups[rows]))
        if strata is not None:
            splitter = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
            return list(splitter.split(rows, strata))
        return list(KFold(n_splits, shuffle=True, random_state=random_state).split(rows))
