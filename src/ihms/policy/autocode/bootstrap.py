"""How sure a machine coder's kappa is: a bootstrap over documents.

Segments of one document are not independent (one drafter, one topic, paragraphs
copied between sections), so the unit a coding study samples is the document. The
*cluster bootstrap* (Field & Welsh 2007; Cameron, Gelbach & Miller 2008) resamples
whole documents with replacement, keeps every segment of each document drawn (a
document drawn twice counts twice), and recomputes the statistic; the 2.5th and 97.5th
percentiles of the resamples are a 95% interval (the *percentile* interval, as
``scipy.stats.bootstrap(method="percentile")``).

The same resamples give every figure at once: each document's cross-table of the two
codings is counted once, a resample's table is the documents' tables weighted by how
often each was drawn, and Cohen's kappa, a category's present/absent kappa and its F1
are read off those tables. The interval covers which documents were coded, given the
fold models; it does not refit the models (repeated cross-validation, ``repeats``,
shows how much the fold assignment moves kappa).

Documents an evaluation counts as one policy (near-identical copies filed under two
ids, which a cross-validation keeps in one fold; with ``twins_together`` also documents
sharing a copied paragraph) are not independent either: they are resampled as one
*cluster* (``clusters``; each document is its own cluster otherwise). Keyword rules'
evaluation draws near-identical copies together too.

Resample ``b`` draws the clusters ``numpy.random.default_rng(seed).integers(0, C,
size=(n_boot, C))[b]`` of the clusters sorted by id (without ``clusters``: the
documents sorted by id), so the resamples can be rebuilt outside ihms (the tests
recompute them with scikit-learn's ``cohen_kappa_score``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._arguments import check_confidence
from ihms._renamed import renamed_parameter
from ihms._repr import brief_repr
from ihms.errors import InputError

__all__ = ["N_BOOT", "AgreementBootstrap", "bootstrap_agreement", "document_resamples"]

N_BOOT = 2000
"""Resamples by default: enough for a stable 95% percentile interval (Efron &
Tibshirani 1993 ask for 1,000 or more for percentiles)."""

_CHUNK = 256  # resamples per block, to bound memory when there are many answers


def document_resamples(n_documents: int, n_boot: int, random_state: int) -> np.ndarray:
    """``(n_boot, n_documents)`` positions of the documents drawn in each resample.

    Examples
    --------
    >>> document_resamples(3, 2, 0).tolist()
    [[2, 1, 1], [0, 0, 0]]
    """
    rng = np.random.default_rng(random_state)
    return rng.integers(0, n_documents, size=(n_boot, n_documents))


def kappa_of_tables(tables: np.ndarray) -> np.ndarray:
    """Cohen's kappa of each square cross-table on the last two axes (rows: first
    coder; columns: second); NaN where the expected agreement is 1 (kappa undefined).

    Examples
    --------
    >>> float(kappa_of_tables(np.array([[20, 5], [10, 15]])).round(4))
    0.4
    """
    t = np.asarray(tables, dtype=float)
    n = t.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        po = np.trace(t, axis1=-2, axis2=-1) / n
        pe = (t.sum(axis=-1) * t.sum(axis=-2)).sum(axis=-1) / n**2
        kappa = (po - pe) / (1.0 - pe)
    return np.where(np.isclose(pe, 1.0) | (n == 0), np.nan, kappa)


def _f1_of_tables(tables: np.ndarray) -> np.ndarray:
    """F1 of "present" (index 1) from 2x2 tables; NaN where neither coder used it."""
    t = np.asarray(tables, dtype=float)
    tp, fp, fn = t[..., 1, 1], t[..., 0, 1], t[..., 1, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


@dataclass(frozen=True, eq=False)
class AgreementBootstrap:
    """Percentile intervals of kappa (and per-category kappa and F1) over documents.

    Attributes
    ----------
    kappa, low, high
        Kappa of the data and its interval (whole answers for a multi-label dimension).
    categories
        Per category: ``kappa_low``, ``kappa_high`` (present/absent kappa), ``f1_low``,
        ``f1_high`` (the second coding scored against the first).
    replicates
        Kappa of every resample (NaN where undefined).
    n_boot, level, seed, n_documents
        Resamples, interval level, seed and documents resampled.
    n_clusters
        Clusters resampled: the documents, with those kept together as one policy
        counted once (equal to ``n_documents`` when none are).
    """

    kappa: float
    low: float
    high: float
    categories: pd.DataFrame
    replicates: np.ndarray
    n_boot: int
    level: float
    seed: int
    n_documents: int
    n_clusters: int | None = None

    def __repr__(self) -> str:
        return brief_repr(
            self, kappa=round(self.kappa, 3), low=round(self.low, 3), high=round(self.high, 3),
            n_boot=self.n_boot, n_documents=self.n_documents, n_clusters=self.clusters,
        )  # fmt: skip

    @property
    def clusters(self) -> int:
        """Clusters resampled (``n_documents`` when not recorded)."""
        return self.n_documents if self.n_clusters is None else self.n_clusters

    @property
    def n_undefined(self) -> int:
        """Resamples whose kappa is undefined (left out of the interval)."""
        return int(np.isnan(self.replicates).sum())

    def interval_text(self) -> str:
        """``0.445 (95% CI 0.351 to 0.530)``."""
        return f"{self.kappa:.3f} ({self.level:.0%} CI {self.low:.3f} to {self.high:.3f})"

    def note(self, what: str = "Machine vs human") -> str:
        """The method in one sentence, for a table's notes."""
        undefined = (
            f"; {self.n_undefined:,} resamples with undefined kappa left out"
            if self.n_undefined
            else ""
        )
        drawn = f"the {self.n_documents:,} documents"
        if self.clusters != self.n_documents:
            drawn = (
                f"{self.clusters:,} clusters of the {self.n_documents:,} documents, those "
                "counted as one policy drawn together"
            )
        return (
            f"{what} {self.level:.0%} CI: percentile interval of a cluster bootstrap over "
            f"documents ({self.n_boot:,} resamples of {drawn} with replacement, seed "
            f"{self.seed}{undefined}); it covers which documents were coded, not a refit of "
            "the models."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kappa": self.kappa,
            "low": self.low,
            "high": self.high,
            "level": self.level,
            "n_boot": self.n_boot,
            "seed": self.seed,
            "n_documents": self.n_documents,
            "n_clusters": self.clusters,
            "n_undefined": self.n_undefined,
            "method": "percentile, cluster bootstrap over documents",
        }


def _indicators(codes: Any, categories: list[str], multilabel: bool) -> np.ndarray:
    index = {c: j for j, c in enumerate(categories)}
    out = np.zeros((len(codes), len(categories)), dtype=np.int64)
    for i, code in enumerate(codes):
        for c in str(code).split(";") if multilabel else [str(code)]:
            if c in index:
                out[i, index[c]] = 1
    return out


@renamed_parameter("level", "confidence", since="0.1.0")
def bootstrap_agreement(
    first: Any,
    second: Any,
    docs: Any,
    *,
    clusters: Any = None,
    categories: Any = None,
    multilabel: bool = False,
    n_boot: int = N_BOOT,
    random_state: int = 0,
    confidence: float = 0.95,
) -> AgreementBootstrap:
    """Cluster-bootstrap intervals for the agreement of two aligned codings.

    Parameters
    ----------
    first, second
        One code per segment (the reference, e.g. the reconciled human codes, first);
        multi-label codes as ``;``-joined categories, compared as whole answers.
    docs
        The document of each segment: the unit resampled, unless ``clusters``.
    clusters
        The cluster of each segment's document (documents drawn together, e.g. the
        first document id of near-identical copies); None resamples documents. A
        document must lie in one cluster.
    categories
        Categories to report per category (default: those either coding uses).
    multilabel
        Whether codes are ``;``-joined sets of categories.
    n_boot, random_state, confidence
        Resamples (at least 1), the seed of :func:`document_resamples`, the intervals'
        confidence level (``level`` before 0.1.0, taken with a DeprecationWarning).

    Raises
    ------
    InputError
        Bad ``n_boot`` or ``confidence``, codings of different lengths, or a document in
        two clusters.
    """
    a = np.asarray([str(v) for v in first], dtype=object)
    b = np.asarray([str(v) for v in second], dtype=object)
    d = np.asarray(docs, dtype=object).astype(str)
    if not (len(a) == len(b) == len(d)):
        raise InputError(
            f"bootstrap: the codings ({len(a)}, {len(b)}) and documents ({len(d)}) must align"
        )
    units = d if clusters is None else np.asarray(clusters, dtype=object).astype(str)
    if len(units) != len(d):
        raise InputError(
            f"bootstrap: the clusters ({len(units)}) and documents ({len(d)}) must align"
        )
    split = pd.DataFrame({"doc": d, "cluster": units}).drop_duplicates()
    twice = split.loc[split["doc"].duplicated(), "doc"]
    if len(twice):
        raise InputError(
            f"bootstrap: document {twice.iloc[0]!r} is in more than one cluster "
            f"({', '.join(sorted(split.loc[split['doc'] == twice.iloc[0], 'cluster']))})"
        )
    if int(n_boot) < 1:
        raise InputError(f"parameter 'n_boot' (--bootstrap): expected at least 1, got {n_boot!r}")
    confidence = check_confidence(confidence)
    answers = sorted(set(a) | set(b))
    col = {c: j for j, c in enumerate(answers)}
    # the unit resampled: clusters sorted by id (documents unless clusters merge some)
    cluster_ids, unit_of = np.unique(units, return_inverse=True)
    n_units, k = len(cluster_ids), len(answers)
    whole = np.zeros((n_units, k * k))
    np.add.at(whole, (unit_of, [col[x] * k + col[y] for x, y in zip(a, b, strict=True)]), 1)
    if categories is None:
        parts = (c.split(";") for c in answers) if multilabel else ([c] for c in answers)
        categories = sorted({c for p in parts for c in p if c})
    categories = [str(c) for c in categories]
    ha, hb = _indicators(a, categories, multilabel), _indicators(b, categories, multilabel)
    binary = np.zeros((n_units, len(categories), 4))
    for j in range(len(categories)):
        np.add.at(binary[:, j], (unit_of, ha[:, j] * 2 + hb[:, j]), 1)
    draws = document_resamples(n_units, int(n_boot), random_state)
    kappas, cat_k, cat_f = [], [], []
    for start in range(0, len(draws), _CHUNK):
        block = draws[start : start + _CHUNK]
        weights = np.zeros((len(block), n_units))
        np.add.at(weights, (np.repeat(np.arange(len(block)), n_units), block.ravel()), 1)
        kappas.append(kappa_of_tables((weights @ whole).reshape(-1, k, k)))
        cats = np.einsum("bd,dcx->bcx", weights, binary).reshape(len(block), -1, 2, 2)
        cat_k.append(kappa_of_tables(cats))
        cat_f.append(_f1_of_tables(cats))
    reps = np.concatenate(kappas)
    tails = [(1 - confidence) / 2 * 100, (1 + confidence) / 2 * 100]

    def bounds(values: np.ndarray) -> np.ndarray:
        out = np.full((2, *values.shape[1:]), np.nan)
        for idx in np.ndindex(values.shape[1:]):
            ok = values[(slice(None), *idx)]
            ok = ok[~np.isnan(ok)]
            if len(ok):
                out[(slice(None), *idx)] = np.percentile(ok, tails)
        return out

    low, high = bounds(reps)
    ck, cf = bounds(np.concatenate(cat_k)), bounds(np.concatenate(cat_f))
    per = pd.DataFrame(
        {"kappa_low": ck[0], "kappa_high": ck[1], "f1_low": cf[0], "f1_high": cf[1]},
        index=pd.Index(categories, name="category"),
    )
    return AgreementBootstrap(
        kappa=float(kappa_of_tables(whole.sum(axis=0).reshape(k, k))),
        low=float(low), high=float(high), categories=per, replicates=reps,
        n_boot=int(n_boot), level=float(confidence), seed=int(random_state),
        n_documents=len(np.unique(d)), n_clusters=n_units,
    )  # fmt: skip
