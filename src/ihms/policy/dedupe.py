"""Finding duplicate documents: the same document number, or near-identical text.

A corpus gathered from several websites holds the same policy more than once: the
issuing body's own copy, a province's repost, a think tank's re-typed version. Two
criteria, reported separately so the researcher sees why a record was removed:

* **document number**: the same normalised 发文字号 (``国办发[2015]66号`` and
  ``国办发〔2015〕66号`` are one number);
* **near-identical text**: Jaccard similarity of the sets of character 5-grams of the
  whitespace-free texts at or above a threshold (0.9 by default), for copies whose
  number was lost (web pages often omit it).

Of each group of duplicates, one document is kept: the one with a document number,
then the longest text, then the smallest id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ihms.errors import InputError

__all__ = ["Duplicate", "find_duplicates", "near_identical_groups"]


@dataclass(frozen=True)
class Duplicate:
    """``doc_id`` duplicates ``duplicate_of`` by ``criterion`` (``document number`` or
    ``near-identical text``); ``detail`` gives the number or the similarity."""

    doc_id: str
    duplicate_of: str
    criterion: str
    detail: str


def _similar_pairs(texts: list[str], threshold: float, ngram: int) -> list[tuple[int, int, float]]:
    """Pairs whose n-gram sets have Jaccard ≥ threshold, via one sparse product
    (documents × n-grams, binary) so a thousand documents take well under a second."""
    from scipy import sparse

    cleaned = ["".join(t.split()) for t in texts]
    usable = [i for i, t in enumerate(cleaned) if len(t) >= ngram]
    if len(usable) < 2:
        return []
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for i in usable:
        t = cleaned[i]
        cols = {vocab.setdefault(t[k : k + ngram], len(vocab)) for k in range(len(t) - ngram + 1)}
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    X = sparse.csr_matrix((data, indices, indptr), shape=(len(usable), len(vocab)))
    sizes = np.diff(X.indptr)
    inter = sparse.triu(X @ X.T, k=1).tocoo()
    union = sizes[inter.row] + sizes[inter.col] - inter.data
    jac = inter.data / union
    keep = jac >= threshold
    return [
        (usable[a], usable[b], float(j))
        for a, b, j in zip(inter.row[keep], inter.col[keep], jac[keep], strict=True)
    ]


def near_identical_groups(
    texts: Sequence[str], *, threshold: float = 0.9, ngram: int = 5
) -> np.ndarray:
    """Group label of every text: texts whose character ``ngram``-gram sets have Jaccard
    similarity ``>= threshold`` share a label (transitively); the label is the position
    of the group's first text.

    Examples
    --------
    >>> near_identical_groups(["对企业给予资金补助。", "对企业给予资金补助。", "加强组织领导。"]).tolist()
    [0, 0, 2]
    """
    if not 0 < threshold <= 1:
        raise InputError(f"threshold must be in (0, 1], got {threshold}")
    if ngram < 1:
        raise InputError(f"ngram must be at least 1, got {ngram}")
    parent = np.arange(len(texts))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for a, b, _ in _similar_pairs(list(texts), threshold, ngram):
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(len(texts))])


def find_duplicates(
    documents: Sequence, *, threshold: float = 0.9, ngram: int = 5
) -> list[Duplicate]:
    """Duplicates among ``documents`` (objects with ``id``, ``doc_number``, ``text``).

    Parameters
    ----------
    documents
        Objects with ``id``, ``doc_number`` and ``text``; the first of a group is kept.
    threshold
        Jaccard similarity of character ``ngram``-gram sets at or above which two texts
        are near-identical.
    ngram
        Length of the character n-grams.

    Returns
    -------
    list of Duplicate
        One entry per removed document, pointing at the kept one.
    """
    if not 0 < threshold <= 1:
        raise InputError(f"threshold must be in (0, 1], got {threshold}")
    if ngram < 1:
        raise InputError(f"ngram must be at least 1, got {ngram}")
    docs = list(documents)
    n = len(docs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links: dict[tuple[int, int], tuple[str, str]] = {}
    by_number: dict[str, int] = {}
    for i, d in enumerate(docs):
        number = getattr(d, "doc_number", None)
        if not number:
            continue
        if number in by_number:
            j = by_number[number]
            links[(j, i)] = ("document number", number)
            parent[find(i)] = find(j)
        else:
            by_number[number] = i
    for a, b, jac in _similar_pairs([d.text or "" for d in docs], threshold, ngram):
        links.setdefault(
            (a, b), ("near-identical text", f"Jaccard {jac:.3f} of character {ngram}-grams")
        )
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out: list[Duplicate] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = min(
            members, key=lambda i: (not docs[i].doc_number, -len(docs[i].text or ""), docs[i].id)
        )
        for i in sorted(members, key=lambda i: docs[i].id):
            if i == keep:
                continue
            link = links.get((min(i, keep), max(i, keep)))
            if link is None:  # linked through a third copy
                link = next(v for k, v in links.items() if i in k)
            out.append(Duplicate(docs[i].id, docs[keep].id, link[0], link[1]))
    return out
