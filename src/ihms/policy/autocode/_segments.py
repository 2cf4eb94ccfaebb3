"""What every auto-coder reads: segments (text plus where they sit) and codes.

Segments arrive as a :class:`pandas.DataFrame` with a ``text`` column and, optionally,
``doc`` (the document a segment belongs to), ``position`` (its order within the
document), ``section`` (the clause it belongs to, e.g. the first part of a hierarchical
entry code ``00-29-6``) and ``id``; or as a plain sequence of strings, in which case each
text stands alone (no document context). Codes arrive as one entry per segment: a
category (single-label), a collection of categories (multi-label), or ``None`` for a
segment nobody has coded yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import brief_repr
from ihms.errors import DataError, InputError

__all__ = [
    "CodeSet",
    "SegmentBatch",
    "as_segments",
    "parse_codes",
    "section_starts",
]

# Sections are read from the clause numbering the policy segmenter understands
# (:func:`ihms.policy.segment.numbering_of`): 第一章 / 第一条 / 一、 (and Chapter, Article,
# I.) open a section; （一） (and A.) also open a subsection. A ``section`` column given by
# the caller (the clause part of an entry code) takes precedence.
_SECTION_DEPTH = 3
_SUBSECTION_DEPTH = 4


def section_starts(texts: Sequence[str], *, level: int = 1) -> np.ndarray:
    """Boolean mask: which texts open a new section (``level=1``) or a new subsection
    (``level=2``, which also counts every section start) by their numbering.

    Parameters
    ----------
    texts : sequence of str
        Segment texts in reading order.
    level : int, default 1
        1 for section starts (一、, 第一章, ...); 2 also counts subsections (（一）).

    Examples
    --------
    >>> section_starts(["一、总体要求", "加强领导。", "（二）保障措施"]).tolist()
    [True, False, False]
    >>> section_starts(["一、总体要求", "加强领导。", "（二）保障措施"], level=2).tolist()
    [True, False, True]
    """
    from ihms.policy.segment import numbering_of

    deepest = _SECTION_DEPTH if level == 1 else _SUBSECTION_DEPTH
    out = np.zeros(len(texts), dtype=bool)
    for i, t in enumerate(texts):
        # only a line that starts like a number can carry one; skip the parser otherwise
        head = t.lstrip()[:1]
        if head and not ("\u4e00" <= head <= "\u9fff" and head not in _NUMERAL_HEADS):
            n = numbering_of(t)
            out[i] = n is not None and n.depth <= deepest
    return out


_NUMERAL_HEADS = set("〇零一二三四五六七八九十百第")


@dataclass(frozen=True, eq=False)
class SegmentBatch:
    """Segments in canonical form; arrays are aligned with the caller's rows.

    Attributes
    ----------
    texts
        Segment texts (object array of str).
    ids
        Segment ids as given (column ``id``), else row numbers.
    docs
        Document of each segment; each row is its own document when none was given.
    prev, next
        Row index of the previous / next segment of the same document in reading
        order, ``-1`` at a document's edge.
    section, subsection
        Integer keys: segments sharing a key belong to the same clause (section) or
        sub-clause (subsection).
    relative_position
        Position within the document scaled to [0, 1].
    has_context
        Whether documents were given (otherwise neighbours and sections are empty).
    """

    texts: np.ndarray
    ids: np.ndarray
    docs: np.ndarray
    prev: np.ndarray
    next: np.ndarray
    section: np.ndarray
    subsection: np.ndarray
    relative_position: np.ndarray
    has_context: bool

    def __len__(self) -> int:
        return len(self.texts)

    def __repr__(self) -> str:
        return brief_repr(
            self,
            segments=len(self),
            documents=len(np.unique(self.docs)) if self.has_context else None,
            has_context=self.has_context,
        )


def _where(ids: np.ndarray | None, row: int) -> str:
    """``segment row 3`` (counting from 1), and its id as the user wrote it when they
    gave ids (a plain number, not numpy's ``np.int64(7)``)."""
    if ids is None:
        return f"segment row {row + 1}"
    key = ids[row].item() if isinstance(ids[row], np.generic) else ids[row]
    return f"segment row {row + 1} (id {key!r})"


def as_segments(X: Any, *, name: str = "X") -> SegmentBatch:
    """Validate segments and compute their neighbours and sections.

    Parameters
    ----------
    X
        DataFrame with a ``text`` column (optional ``doc``, ``position``, ``section``,
        ``id``), or a sequence of strings.
    name
        Parameter name used in error messages.

    Raises
    ------
    DataError
        Listing every empty or non-text segment.
    InputError
        When ``X`` has no ``text`` column or no rows.
    """
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise InputError(
                f"parameter {name!r}: expected a table with a 'text' column "
                f"(optional 'doc', 'position', 'section', 'id'), got columns {list(X.columns)}"
            )
        frame = X
    elif isinstance(X, str):
        raise InputError(
            f"parameter {name!r}: expected a sequence of segment texts, got one string"
        )
    else:
        try:
            frame = pd.DataFrame({"text": list(X)})
        except TypeError:
            raise InputError(
                f"parameter {name!r}: expected a table or a sequence of texts, "
                f"got {type(X).__name__}"
            ) from None
    n = len(frame)
    if n == 0:
        raise InputError(f"parameter {name!r}: expected at least one segment, got none")
    texts = frame["text"].to_numpy(dtype=object)
    ids = frame["id"].to_numpy(dtype=object) if "id" in frame.columns else np.arange(n)
    shown = ids if "id" in frame.columns else None  # made-up ids are not shown
    problems = []
    for i, t in enumerate(texts):
        if _is_uncoded(t) and not isinstance(t, str):
            problems.append(
                f"{_where(shown, i)}, column 'text': expected text, got a missing value"
            )
        elif not isinstance(t, str):
            problems.append(f"{_where(shown, i)}, column 'text': expected text, got {t!r}")
        elif not t.strip():
            problems.append(f"{_where(shown, i)}, column 'text': expected text, got an empty one")
    if problems:
        raise DataError(
            f"{len(problems):,} of {n:,} segments cannot be coded; nothing was coded", problems
        )

    has_context = "doc" in frame.columns
    if has_context:
        docs = frame["doc"].astype(str).to_numpy(dtype=object)
    else:
        docs = np.array([f"#{i}" for i in range(n)], dtype=object)
    if "position" in frame.columns:
        pos = pd.to_numeric(frame["position"], errors="coerce").to_numpy(dtype=float)
        if np.isnan(pos).any():
            bad = np.flatnonzero(np.isnan(pos))
            raise DataError(
                "column 'position' must hold numbers",
                [
                    f"{_where(shown, i)}: expected a number, got {frame['position'].iloc[i]!r}"
                    for i in bad
                ],
            )
    else:
        pos = np.arange(n, dtype=float)
    doc_codes, doc_index = np.unique(docs, return_inverse=True)
    order = np.lexsort((np.arange(n), pos, doc_index))
    same_next = doc_index[order[1:]] == doc_index[order[:-1]]
    prev = np.full(n, -1)
    nxt = np.full(n, -1)
    prev[order[1:][same_next]] = order[:-1][same_next]
    nxt[order[:-1][same_next]] = order[1:][same_next]

    # rank within the document, scaled to [0, 1]
    first = np.r_[True, ~same_next]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank = np.arange(n) - group_start
    sizes = np.bincount(doc_index, minlength=len(doc_codes))[doc_index[order]]
    rel = np.empty(n)
    rel[order] = np.where(sizes > 1, rank / np.maximum(sizes - 1, 1), 0.0)

    ordered = texts[order]
    if "section" in frame.columns:
        given = frame["section"].astype(str).to_numpy(dtype=object)[order]
        top = first | np.r_[True, given[1:] != given[:-1]]
    else:
        top = first | section_starts(ordered, level=1)
    fine = top | section_starts(ordered, level=2)
    section = np.empty(n, dtype=np.int64)
    subsection = np.empty(n, dtype=np.int64)
    section[order] = np.cumsum(top) - 1
    subsection[order] = np.cumsum(fine) - 1
    return SegmentBatch(
        texts=texts,
        ids=ids,
        docs=docs,
        prev=prev,
        next=nxt,
        section=section,
        subsection=subsection,
        relative_position=rel,
        has_context=has_context,
    )


def _is_uncoded(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return bool(isinstance(v, str) and not v.strip())


@dataclass(frozen=True, eq=False)
class CodeSet:
    """Codes in canonical form.

    Attributes
    ----------
    multilabel
        True when a segment may carry several categories.
    coded
        Boolean mask of segments a person has coded.
    classes
        Sorted category names.
    labels
        Single-label: object array of categories (``None`` where uncoded).
    indicator
        Multi-label: (n, k) 0/1 array over ``classes`` (rows of uncoded segments are 0).
    """

    multilabel: bool
    coded: np.ndarray
    classes: np.ndarray
    labels: np.ndarray | None
    indicator: np.ndarray | None

    def counts(self) -> pd.Series:
        """Coded segments per category."""
        if self.multilabel:
            assert self.indicator is not None
            values = self.indicator[self.coded].sum(axis=0)
        else:
            assert self.labels is not None
            lab = self.labels[self.coded]
            values = [(lab == c).sum() for c in self.classes]
        return pd.Series(np.asarray(values, dtype=int), index=list(self.classes), name="coded")


def parse_codes(y: Any, n: int, *, name: str = "y") -> CodeSet:
    """Read codes: one entry per segment.

    Single-label codes are category names; multi-label codes are lists/sets/tuples of
    names (an empty one means "coded, no category applies") or a 2-D 0/1 array.
    ``None``, NaN and empty strings mark segments nobody has coded yet.

    Parameters
    ----------
    y : array-like or DataFrame
        The codes, one entry (or one row of 0/1) per segment.
    n : int
        The number of segments; ``y`` must have as many entries.
    name : str, default "y"
        The parameter name error messages use.

    Raises
    ------
    InputError
        ``y`` has the wrong length, or a 2-D array holds values other than 0 and 1.
    """
    if isinstance(y, pd.DataFrame):
        y = y.to_numpy()
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.dtype != object:
        if y.shape[0] != n:
            raise InputError(
                f"parameter {name!r}: expected {n:,} rows of codes, got {y.shape[0]:,}"
            )
        if not np.isin(y, (0, 1)).all():
            raise InputError(f"parameter {name!r}: a 2-D code array must hold only 0 and 1")
        k = y.shape[1]
        return CodeSet(
            multilabel=True,
            coded=np.ones(n, dtype=bool),
            classes=np.arange(k),
            labels=None,
            indicator=y.astype(np.int8),
        )
    values = list(y.tolist() if isinstance(y, (np.ndarray, pd.Series)) else y)
    if len(values) != n:
        raise InputError(
            f"parameter {name!r}: expected {n:,} codes (one per segment), got {len(values):,}"
        )
    multi = [isinstance(v, (list, tuple, set, frozenset, np.ndarray)) for v in values]
    coded = np.array([not _is_uncoded(v) for v in values], dtype=bool)
    if any(multi):
        if not all(m or not c for m, c in zip(multi, coded, strict=True)):
            raise InputError(
                f"parameter {name!r}: mixes single categories and lists of categories; "
                "use lists for every coded segment of a multi-label dimension"
            )
        cats = sorted({str(c) for v, m in zip(values, multi, strict=True) if m for c in v})
        classes = np.array(cats, dtype=object)
        where = {c: j for j, c in enumerate(cats)}
        ind = np.zeros((n, len(cats)), dtype=np.int8)
        for i, v in enumerate(values):
            if multi[i]:
                for c in v:
                    ind[i, where[str(c)]] = 1
        return CodeSet(True, coded, classes, None, ind)
    labels = np.array(
        [None if not c else str(v) for v, c in zip(values, coded, strict=True)], dtype=object
    )
    classes = np.array(sorted({v for v in labels if v is not None}), dtype=object)
    return CodeSet(False, coded, classes, labels, None)


def numbering_only(texts: Sequence[str]) -> np.ndarray:
    """Per text: True when nothing but clause numbers and punctuation is left once every
    line's leading numbers (一、, （一）, 第三条 …, several in a row: ``三、\n（一）``) are
    stripped — a heading's number on a line of its own in a converted file, with nothing
    for a coder to code."""
    import re

    from ihms.policy.autocode.features import clean_segment_text

    wordy = re.compile(r"[\u3400-\u9fffA-Za-z]")

    def rest(line: str) -> str:
        while (
            shorter := clean_segment_text(line, strip_numbering=True, fold_digits=False)
        ) != line:
            line = shorter
        return line

    return np.array(
        [not any(wordy.search(rest(line)) for line in str(t).splitlines()) for t in texts],
        dtype=bool,
    )
