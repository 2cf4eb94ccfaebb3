"""Splitting documents into the units that coders code.

Two schemes, after the two source studies:

* **paragraphs** (Yu et al. 2024): one segment per paragraph mark; a bare numbered heading
  (``二、主要任务``) is joined to the paragraph after it, so no segment is a heading
  alone. Title, issuer and date stay document metadata.
* **clauses** (the VI-HQMR policy study): one segment per numbered entry, coded
  ``level-file-clause-item`` (``00-29-6-2``: national, file 29, clause 六, item （二）).
  Numbering is read from the text: 第一部分 / 第一篇, 第一章 / 第一条, 一、, （一）, 1. or 1、 or
  ⒈, （1） or ⑴, ①, and the English 'Part 1' (or 'Part I'), 'Chapter 1', 'Article 1', I.,
  A., 1., 1.1, (a), (i). Depth follows the usual Chinese order (第一部分 above 第一章 above
  一、 above （一） above 1. above （1） above ①); a style not seen before
  nests under the current one, a style already open closes what is below it.

Segment ids are stable: a hash of the document id, the scheme and the segment's text
(whitespace ignored), so re-importing a document gives its unchanged segments the same
ids and their codings stay attached.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ihms.errors import InputError
from ihms.policy.numerals import CIRCLED, cn_to_int, roman_to_int

__all__ = [
    "Numbering",
    "Segment",
    "numbering_of",
    "segment_clauses",
    "segment_id",
    "segment_paragraphs",
]

_CN = "〇零一二三四五六七八九十百"
_OPEN = "（("
_CLOSE = "）)"
# one-character numbers Word and converted files use: ⒈ … ⒛ for 1. and ⑴ … ⒇ for （1）
_DIGIT_STOP = "".join(map(chr, range(0x2488, 0x249C)))
_PAREN_DIGIT = "".join(map(chr, range(0x2474, 0x2488)))
# (style, canonical depth, pattern). The pattern's group 1 is the numeral.
_PATTERNS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("part", -1, re.compile(rf"^第\s*([{_CN}\d]+)\s*(?:部分|篇)\s*")),
    ("chapter", 0, re.compile(rf"^第\s*([{_CN}\d]+)\s*章\s*")),
    ("section", 1, re.compile(rf"^第\s*([{_CN}\d]+)\s*节\s*")),
    ("article", 2, re.compile(rf"^第\s*([{_CN}\d]+)\s*条\s*")),
    ("part", -1, re.compile(r"^(?:Part|PART)\s+(\d+|[IVXLC]+)\b[.:]?\s*")),
    ("chapter", 0, re.compile(r"^(?:Chapter|CHAPTER)\s+(\d+|[IVXLC]+)\b[.:]?\s*")),
    ("article", 2, re.compile(r"^(?:Article|ARTICLE)\s+(\d+)\b[.:]?\s*")),
    ("cn", 3, re.compile(rf"^([{_CN}]+)\s*[、.．]\s*")),
    ("cn_paren", 4, re.compile(rf"^[{_OPEN}]\s*([{_CN}]+)\s*[{_CLOSE}]\s*")),
    ("dotted", 5, re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)(?![\d%％])\.?\s+")),
    ("arabic", 5, re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?![\d%％]))\s*")),
    ("arabic_paren", 6, re.compile(rf"^[{_OPEN}]\s*(\d{{1,2}})\s*[{_CLOSE}]\s*")),
    ("arabic", 5, re.compile(rf"^([{_DIGIT_STOP}])\s*")),
    ("arabic_paren", 6, re.compile(rf"^([{_PAREN_DIGIT}])\s*")),
    ("circled", 7, re.compile(rf"^([{CIRCLED}])\s*")),
    ("roman", 3, re.compile(r"^([IVX]{1,5})\.\s+")),
    ("upper_alpha", 4, re.compile(r"^([A-H])\.\s+")),
    ("lower_alpha", 6, re.compile(r"^\(([a-h])\)\s*")),
    ("lower_roman", 7, re.compile(r"^\(((?:i|ii|iii|iv|v|vi|vii|viii|ix|x))\)\s*")),
)
_SENTENCE_END = ("。", "；", ";", "！", "？", ".")


@dataclass(frozen=True)
class Numbering:
    """A clause number at the start of a line: style, depth, value and label."""

    style: str
    depth: float
    value: int
    label: str
    rest: str


def _value(style: str, token: str) -> int:
    if style in ("cn", "cn_paren") or (
        style in ("part", "chapter", "section", "article") and not token.isdigit()
    ):
        if style in ("part", "chapter") and re.fullmatch(r"[IVXLC]+", token):
            return roman_to_int(token)
        return cn_to_int(token)
    if style == "circled":
        return CIRCLED.index(token) + 1
    if style in ("roman", "lower_roman"):
        return roman_to_int(token)
    if style in ("upper_alpha", "lower_alpha"):
        return ord(token.lower()) - ord("a") + 1
    if style == "dotted":
        return int(token.split(".")[-1])
    for chars in (_DIGIT_STOP, _PAREN_DIGIT):
        if token in chars:
            return chars.index(token) + 1
    return int(token)


def numbering_of(line: str) -> Numbering | None:
    """The clause numbering that starts ``line``, or None.

    Parameters
    ----------
    line
        One line of a policy text; leading spaces are ignored. A numbering with no text
        after it counts only for 编, 章 and 节 headings.

    Returns
    -------
    Numbering or None
        The style, depth, value and label of the numbering, and the text after it.

    Examples
    --------
    >>> n = numbering_of("（二）推进家庭医生签约服务。")
    >>> (n.style, n.value, n.label)
    ('cn_paren', 2, '（二）')
    >>> numbering_of("2017年底前，全面启动。") is None
    True
    """
    s = line.lstrip()
    for style, depth, pattern in _PATTERNS:
        m = pattern.match(s)
        if m is None or (not s[m.end() :].strip() and style not in ("part", "chapter", "section")):
            continue
        token = m.group(1)
        try:
            value = _value(style, token)
        except ValueError:
            continue
        if style == "dotted":
            depth = 5 + 0.1 * token.count(".")
        return Numbering(style, depth, value, m.group(0).strip(), s[m.end() :].strip())
    return None


@dataclass(frozen=True)
class Segment:
    """One unit to code.

    Attributes
    ----------
    id
        Stable id (see :func:`segment_id`).
    doc_id
        The document's id.
    scheme
        ``paragraph`` or ``clause``.
    ordinal
        Position in the document, from 1.
    code
        ``level-file-…``: ``00-29-6-2`` for clause 6 item 2, ``00-29-P3`` for the third
        paragraph.
    path
        The clause numbers (``(6, 2)``), empty for paragraphs and the preamble.
    context
        Labels of the enclosing clauses (``一、总体要求 > （二）基本原则``) for coders.
    text
        The segment's text.
    """

    id: str
    doc_id: str
    scheme: str
    ordinal: int
    code: str
    path: tuple[str, ...]
    context: str
    text: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def segment_id(doc_id: str, scheme: str, text: str, occurrence: int = 0) -> str:
    """Stable id of a segment: ``p``/``c`` + 11 hex digits of SHA-1 over the document
    id, the scheme, the whitespace-free text and the occurrence index (for a text that
    repeats verbatim within one document)."""
    key = "\x00".join((doc_id, scheme, _norm(text), str(occurrence)))
    return scheme[0] + hashlib.sha1(key.encode("utf-8")).hexdigest()[:11]


def _is_bare_heading(line: str, join_numbers: bool = True) -> bool:
    num = numbering_of(line)
    if num is None:
        return join_numbers and _number_only(line)  # 一、 with a numbered line after it
    return len(line) <= 40 and not line.rstrip().endswith(_SENTENCE_END)


def _number_only(line: str) -> bool:
    """``一、`` or ``（一）`` alone on its line, as converted files often leave a heading's
    number (:func:`numbering_of` reads none there: nothing follows it; a ``第一章`` alone
    it reads as a heading, and it stays so)."""
    return numbering_of(line) is None and any(
        (m := p.match(line)) and not line[m.end() :].strip() for _, _, p in _PATTERNS
    )


def _lines(text: str, min_chars: int = 1, join_numbers: bool = True) -> list[str]:
    """The text's non-empty lines, stripped, each number standing alone on its line joined
    to the line after it (``一、`` + ``总体要求`` → ``一、总体要求``) unless that line has a
    number of its own."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    out: list[str] = []
    for line in lines:
        if (
            join_numbers
            and out
            and _number_only(out[-1])
            and numbering_of(line) is None
            and not _number_only(line)
        ):
            out[-1] += "\n" + line
            continue
        out.append(line)
    return [ln for ln in out if len(ln) >= min_chars]


def _ids(doc_id: str, scheme: str, texts: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        k = seen.get(_norm(text), 0)
        seen[_norm(text)] = k + 1
        out.append(segment_id(doc_id, scheme, text, k))
    return out


def _check(doc_id: str, text: str) -> None:
    if not doc_id:
        raise InputError("segmenting: document id must not be empty")
    if not isinstance(text, str):
        raise InputError(f"segmenting document {doc_id!r}: text must be a string")


def segment_paragraphs(
    doc_id: str,
    text: str,
    *,
    prefix: str = "",
    merge_headings: bool = True,
    min_chars: int = 2,
    join_numbers: bool = True,
) -> list[Segment]:
    """Split cleaned text at paragraph marks (Yu et al. 2024).

    Parameters
    ----------
    doc_id
        The document's id (part of every segment id).
    text
        Cleaned text, one paragraph per line.
    prefix
        ``level-file`` part of the codes (``"00-29"``); codes are ``{prefix}-P{n}``.
    merge_headings
        Join a bare numbered heading to the paragraph that follows it.
    join_numbers
        Read a number alone on its line (``一、``) with the line after it; False
        segments as ihms did before (a project's documents segmented then keep their
        segments: :func:`ihms.policy._segmenting.segment_project`).
    min_chars
        Drop paragraphs shorter than this (stray characters).
    """
    _check(doc_id, text)
    lines = _lines(text, min_chars, join_numbers)
    paragraphs: list[str] = []
    pending: list[str] = []
    for line in lines:
        if merge_headings and _is_bare_heading(line, join_numbers):
            pending.append(line)
            continue
        paragraphs.append("\n".join([*pending, line]))
        pending = []
    if pending:
        paragraphs.append("\n".join(pending))
    ids = _ids(doc_id, "paragraph", paragraphs)
    head = f"{prefix}-" if prefix else ""
    return [
        Segment(sid, doc_id, "paragraph", i + 1, f"{head}P{i + 1}", (), "", para)
        for i, (sid, para) in enumerate(zip(ids, paragraphs, strict=True))
    ]


def segment_clauses(
    doc_id: str,
    text: str,
    *,
    prefix: str = "",
    keep_bare_headings: bool = False,
    join_numbers: bool = True,
) -> list[Segment]:
    """Split cleaned text into numbered entries with hierarchical codes (the VI-HQMR policy study).

    Text before the first number is entry ``0`` (the preamble). A clause whose own text
    is only a short heading and which has numbered children is not an entry of its own
    (unless ``keep_bare_headings``); its label shows in its children's ``context``.

    Parameters
    ----------
    doc_id
        The document's id (part of every segment id).
    text
        Cleaned text, one paragraph per line.
    prefix
        ``level-file`` part of the codes, e.g. ``"00-29"`` gives ``00-29-6-2``.
    keep_bare_headings
        Keep a heading-only clause with numbered children as an entry of its own.
        Default False.
    join_numbers
        As :func:`segment_paragraphs`'.
    """
    _check(doc_id, text)
    units: list[dict] = []
    stack: list[tuple[str, float, str, str]] = []  # style, depth, component, label
    current = {"path": (), "lines": [], "context": "", "children": 0}
    units.append(current)
    for line in _lines(text, join_numbers=join_numbers):
        num = numbering_of(line)
        if num is None:
            current["lines"].append(line)
            continue
        styles = [s[0] for s in stack]
        if num.style in styles:
            del stack[styles.index(num.style) :]
        else:
            while stack and stack[-1][1] >= num.depth:
                stack.pop()
        component = num.label.strip("、.．（）() ") if num.style == "dotted" else str(num.value)
        if num.style == "dotted":
            component = component.split(".")[-1]
        parent_path = tuple(s[2] for s in stack)
        for unit in reversed(units):
            if unit["path"] == parent_path:
                unit["children"] += 1
                break
        context = " > ".join(s[3] for s in stack)
        stack.append((num.style, num.depth, component, _short_label(num, line)))
        current = {"path": tuple(s[2] for s in stack), "lines": [line], "context": context}
        current["children"] = 0
        units.append(current)
    emitted: list[tuple[tuple[str, ...], str, str]] = []
    used: set[tuple[str, ...]] = set()
    for unit in units:
        body = "\n".join(unit["lines"]).strip()
        if not body:
            continue
        bare = len(unit["lines"]) == 1 and _is_bare_heading(unit["lines"][0], join_numbers)
        if bare and unit["children"] and not keep_bare_headings:
            continue
        path = unit["path"] or ("0",)
        if path in used:  # the document repeats a number: keep codes unique
            k = 2
            while (*path[:-1], f"{path[-1]}.{k}") in used:
                k += 1
            path = (*path[:-1], f"{path[-1]}.{k}")
        used.add(path)
        emitted.append((path, unit["context"], body))
    ids = _ids(doc_id, "clause", [b for _, _, b in emitted])
    head = f"{prefix}-" if prefix else ""
    return [
        Segment(sid, doc_id, "clause", i + 1, head + "-".join(path), path, ctx, body)
        for i, (sid, (path, ctx, body)) in enumerate(zip(ids, emitted, strict=True))
    ]


def _short_label(num: Numbering, line: str) -> str:
    rest = num.rest
    for stop in ("。", "；", "，", "："):
        if stop in rest:
            rest = rest.split(stop)[0]
            break
    return (num.label + rest[:20]).strip()
