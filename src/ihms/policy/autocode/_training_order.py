"""Training that does not depend on the order of the rows it is given.

The same segments and codes handed over in another row order (a table sorted another
way, documents exported in another order) must give the same model and the same model
id. Before fitting, a coder puts the segments in one canonical order
(:func:`canonical_order`: by document, position, text and code) and its training
digest (:func:`training_digest`) hashes the coded segments in that order.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ihms.policy.autocode._segments import CodeSet, SegmentBatch

__all__ = ["canonical_order", "code_texts", "reorder_codes", "training_digest"]

_UNCODED = "\x00"  # sorts before every code


def code_texts(codes: CodeSet) -> np.ndarray:
    """Each segment's code as text: the category, or the categories joined by ``;``
    (multi-label, in ``classes`` order); ``"\\x00"`` for an uncoded segment."""
    out = np.full(len(codes.coded), _UNCODED, dtype=object)
    for i in np.flatnonzero(codes.coded):
        if codes.multilabel:
            assert codes.indicator is not None
            out[i] = ";".join(str(c) for c in codes.classes[codes.indicator[i] == 1])
        else:
            assert codes.labels is not None
            out[i] = str(codes.labels[i])
    return out


def _ranks(values: np.ndarray) -> np.ndarray:
    return np.unique(np.asarray(values, dtype=str), return_inverse=True)[1].ravel()


def canonical_order(X: Any, batch: SegmentBatch, codes: CodeSet) -> np.ndarray:
    """Row positions of ``X`` in canonical order: by document id, position within the
    document (the ``position`` column, else the order the document's rows came in —
    their reading order, which a reordering of whole documents keeps), text and code;
    segments without documents by text and code alone.

    Examples
    --------
    >>> from ihms.policy.autocode._segments import as_segments, parse_codes
    >>> X = pd.DataFrame({"doc": ["b", "a", "b", "a"], "text": ["甲", "乙", "丙", "丁"]})
    >>> canonical_order(X, as_segments(X), parse_codes(["x", "y", None, "x"], 4)).tolist()
    [1, 3, 0, 2]
    """
    code = _ranks(code_texts(codes))
    text = _ranks(batch.texts)
    if not batch.has_context:
        return np.lexsort((code, text))
    if isinstance(X, pd.DataFrame) and "position" in X.columns:
        position = pd.to_numeric(X["position"]).to_numpy(dtype=float)
    else:
        position = np.arange(len(batch), dtype=float)
    return np.lexsort((code, text, position, _ranks(batch.docs)))


def reorder_codes(codes: CodeSet, order: np.ndarray) -> CodeSet:
    """``codes`` with their rows in ``order``."""
    return replace(
        codes,
        coded=codes.coded[order],
        labels=None if codes.labels is None else codes.labels[order],
        indicator=None if codes.indicator is None else codes.indicator[order],
    )


def training_digest(batch: SegmentBatch, codes: CodeSet) -> str:
    """SHA-256 of the coded segments' documents (when known), texts and codes, taken
    in the order of the rows (canonical, :func:`canonical_order`, when a coder fits)."""
    h = hashlib.sha256()
    code = code_texts(codes)
    for i in np.flatnonzero(codes.coded):
        doc = batch.docs[i] if batch.has_context else ""
        h.update(f"{doc}\x1f{batch.texts[i]}\x1f{code[i]}\x1e".encode())
    return h.hexdigest()
