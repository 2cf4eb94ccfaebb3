"""Keys telling when two segments are the same text: the model's training texts
(agreement on them is in-sample) and held-out segments copied from a training document
(a flattering evaluation)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import numpy as np

__all__ = ["copy_key", "copy_keys", "held_out_twins", "text_key", "twin_groups"]

# a county, city or district name as county documents swap it into a copied paragraph:
# the two Chinese characters before 县/市/区/旗 (云溪县, 青山市, 龙泉区); three would
# also swallow the verb before a two-character name (成立云溪县)
_PLACE = re.compile(r"[\u3400-\u9fff]{2}(?:自治县|县|市|区|旗)")
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def text_key(text: str) -> str:
    """16 hex digits of the segment's text after NFKC with whitespace removed: the same
    paragraph, however it was spaced or full-/half-width written, has the same key."""
    plain = "".join(unicodedata.normalize("NFKC", str(text)).split())
    return hashlib.sha256(plain.encode()).hexdigest()[:16]


def copy_key(text: str) -> str:
    """The text as a copy of it reads in another county's document: its leading clause
    number (一、, （三）) stripped, NFKC, case folded, place names (two characters before 县/市/区/旗) as ``@``, numbers as ``0``,
    punctuation and spaces dropped. Two segments with one key are the same paragraph
    copied, but for the county and its figures."""
    from ihms.policy.autocode.features import clean_segment_text

    text = clean_segment_text(str(text), strip_numbering=True, fold_digits=False)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DIGITS.sub("0", _PLACE.sub("@", text))
    return _NOT_WORD.sub("", text.replace("@", "\x00")).replace("\x00", "@")


MIN_TWIN_LENGTH = 10  # shorter keys (headings, 一、) repeat in every document by nature


def copy_keys(texts: Any) -> list[str | None]:
    """:func:`copy_key` of each text; None for one too short to count as a copy."""
    keys = [copy_key(t) for t in texts]
    return [k if len(k) >= MIN_TWIN_LENGTH else None for k in keys]


def twin_groups(groups: np.ndarray, keys: list[str | None], coded: np.ndarray) -> np.ndarray:
    """``groups`` (one fold group per row) with every two groups holding coded rows of
    one copy key merged: copied paragraphs' documents kept in one fold."""
    parent = {g: g for g in np.unique(groups)}

    def root(g: Any) -> Any:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    first: dict[str, Any] = {}
    for g, k, c in zip(groups, keys, coded, strict=True):
        if k is None or not c:
            continue
        a, b = root(first.setdefault(k, g)), root(g)
        if a != b:
            parent[b] = a
    return np.array([root(g) for g in groups], dtype=groups.dtype)


def held_out_twins(keys: list[str | None], fold_of: np.ndarray) -> np.ndarray:
    """Per row: held out in one fold while a coded row of another fold (so in its
    training) has the same copy key. ``fold_of`` is -1 for rows not evaluated."""
    folds: dict[str, set[int]] = {}
    for k, f in zip(keys, fold_of, strict=True):
        if k is not None and f >= 0:
            folds.setdefault(k, set()).add(int(f))
    return np.array(
        [
            k is not None and f >= 0 and bool(folds[k] - {int(f)})
            for k, f in zip(keys, fold_of, strict=True)
        ]
    )
