"""Keys telling when two segments are the same text: the model's training texts
(agreement on them is in-sample) and held-out segments copied from a training document
(a flattering evaluation)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["copy_key", "text_key"]

# a county, city or district name as county documents swap it into a copied paragraph:
# two to three Chinese characters before 县/市/区/旗 (云溪县, 青山市, 龙泉区)
_PLACE = re.compile(r"[\u3400-\u9fff]{2,3}(?:自治县|县|市|区|旗)")
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def text_key(text: str) -> str:
    """16 hex digits of the segment's text after NFKC with whitespace removed: the same
    paragraph, however it was spaced or full-/half-width written, has the same key."""
    plain = "".join(unicodedata.normalize("NFKC", str(text)).split())
    return hashlib.sha256(plain.encode()).hexdigest()[:16]


def copy_key(text: str) -> str:
    """The text as a copy of it reads in another county's document: NFKC, case folded,
    place names (two to three characters before 县/市/区/旗) as ``@``, numbers as ``0``,
    punctuation and spaces dropped. Two segments with one key are the same paragraph
    copied, but for the county and its figures."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _DIGITS.sub("0", _PLACE.sub("@", text))
    return _NOT_WORD.sub("", text.replace("@", "\x00")).replace("\x00", "@")
