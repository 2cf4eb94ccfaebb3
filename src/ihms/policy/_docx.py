"""Reading .docx bodies with Word's automatic list numbering written out.

python-docx returns a paragraph's typed text only; clause numbers that Word draws from
its numbering definitions (``一、``, ``（一）``, ``1.``) are not in the text. Policy
documents typed in Word often number clauses that way, so we rebuild the labels from
``numbering.xml``: each paragraph's ``numId``/``ilvl`` (directly or through its style),
the level's ``numFmt``, ``lvlText`` and ``start``, with deeper counters restarting when a
shallower level advances. Tables are skipped (seed 000 drops them).
"""

from __future__ import annotations

from dataclasses import dataclass

from ihms.policy.numerals import int_to_circled, int_to_cn, int_to_roman

__all__ = ["docx_paragraphs"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


def _fmt_number(value: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalZero"):
        return str(value) if fmt == "decimal" else f"{value:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) - ord("0") + 0xFF10) for c in str(value))
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographTraditional",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "japaneseCounting",
    ):
        return int_to_cn(value)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return int_to_circled(value)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedFullstop"):
        return f"({value})" if fmt == "decimalEnclosedParen" else f"{value}."
    if fmt == "upperRoman":
        return int_to_roman(value)
    if fmt == "lowerRoman":
        return int_to_roman(value).lower()
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    return str(value)


def _attr(el, name: str, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(_W + name, default)


def _numbering_levels(document) -> tuple[dict[str, dict[int, _Level]], dict[str, dict[int, int]]]:
    """numId → ilvl → level definition, and numId → ilvl → start override."""
    try:
        part = document.part.numbering_part
    except (KeyError, NotImplementedError, AttributeError):
        return {}, {}
    root = part.element
    abstract: dict[str, dict[int, _Level]] = {}
    for an in root.iter(_W + "abstractNum"):
        levels = {}
        for lvl in an.iter(_W + "lvl"):
            ilvl = int(_attr(lvl, "ilvl", "0"))
            levels[ilvl] = _Level(
                fmt=_attr(lvl.find(_W + "numFmt"), "val", "decimal"),
                text=_attr(lvl.find(_W + "lvlText"), "val", "") or "",
                start=int(_attr(lvl.find(_W + "start"), "val", "1")),
            )
        abstract[_attr(an, "abstractNumId")] = levels
    nums: dict[str, dict[int, _Level]] = {}
    overrides: dict[str, dict[int, int]] = {}
    for num in root.iter(_W + "num"):
        num_id = _attr(num, "numId")
        aid = _attr(num.find(_W + "abstractNumId"), "val")
        nums[num_id] = abstract.get(aid, {})
        for ov in num.iter(_W + "lvlOverride"):
            start = ov.find(_W + "startOverride")
            if start is not None:
                overrides.setdefault(num_id, {})[int(_attr(ov, "ilvl", "0"))] = int(
                    _attr(start, "val", "1")
                )
    return nums, overrides


def _style_num_pr(document, style_id: str | None, cache: dict):
    """numPr inherited through a paragraph style chain (looked up once per style)."""
    if style_id in cache:
        return cache[style_id]
    found = None
    style = None
    try:
        style = document.styles.get_by_id(style_id, 1) if style_id else None  # 1: paragraph
    except (KeyError, ValueError):
        style = None
    while style is not None:
        spr = style.element.pPr
        if spr is not None and spr.numPr is not None:
            found = spr.numPr
            break
        style = style.base_style
    cache[style_id] = found
    return found


def _num_pr(document, paragraph, cache: dict) -> tuple[str, int] | None:
    """The paragraph's (numId, ilvl), directly or through its style chain."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is None:
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        num_pr = _style_num_pr(document, style_id, cache)
    if num_pr is None:
        return None
    num_id = num_pr.numId.val if num_pr.numId is not None else None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    if num_id is None or str(num_id) == "0":
        return None
    return str(num_id), int(ilvl)


def docx_paragraphs(document) -> list[str]:
    """Body paragraphs of a python-docx ``Document`` in order, list labels included."""
    nums, overrides = _numbering_levels(document)
    counters: dict[str, dict[int, int]] = {}
    out: list[str] = []
    cache: dict = {}
    for paragraph in document.paragraphs:
        text = paragraph.text
        pr = _num_pr(document, paragraph, cache) if nums else None
        if pr is not None and pr[0] in nums:
            num_id, ilvl = pr
            levels = nums[num_id]
            level = levels.get(ilvl)
            if level is not None and level.fmt not in ("none", "bullet"):
                state = counters.setdefault(num_id, {})
                start = overrides.get(num_id, {}).get(ilvl, level.start)
                state[ilvl] = state.get(ilvl, start - 1) + 1
                for deeper in [k for k in state if k > ilvl]:
                    del state[deeper]
                label = level.text
                for k in range(ilvl, -1, -1):
                    lv = levels.get(k)
                    if lv is None:
                        continue
                    value = state.get(k, lv.start)
                    label = label.replace(f"%{k + 1}", _fmt_number(value, lv.fmt))
                text = label + text
        out.append(text)
    return out
