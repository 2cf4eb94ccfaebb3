"""Reading .docx bodies with Word's automatic list numbering written out.

python-docx returns a paragraph's typed text only; clause numbers that Word draws from
its numbering definitions (``一、``, ``（一）``, ``1.``) are not in the text. Policy
documents typed in Word often number clauses that way, so we rebuild the labels from
``numbering.xml``: each paragraph's ``numId``/``ilvl`` (directly or through its style),
the level's ``numFmt``, ``lvlText`` and ``start``, with deeper counters restarting when a
shallower level advances. Tables are skipped (seed 000 drops them) unless
:func:`docx_body` is asked to read them: then each row becomes a paragraph where the
table stands (:mod:`ihms.policy._tables`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ihms.policy._tables import Cell, Row, cell_text, table_paragraphs
from ihms.policy.numerals import int_to_circled, int_to_cn, int_to_roman

__all__ = ["DocxBody", "docx_body"]

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


def _num_pr(document, p, cache: dict) -> tuple[str, int] | None:
    """The paragraph's (numId, ilvl), directly or through its style chain."""
    ppr = p.pPr
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


class _Numbering:
    """Word's list counters, advanced paragraph by paragraph in reading order."""

    def __init__(self, document) -> None:
        self.document = document
        self.nums, self.overrides = _numbering_levels(document)
        self.counters: dict[str, dict[int, int]] = {}
        self.cache: dict = {}

    def text(self, p) -> str:
        """A ``w:p`` element's text with its list label (``一、``, ``（四）``) in front."""
        text = p.text
        pr = _num_pr(self.document, p, self.cache) if self.nums else None
        if pr is None or pr[0] not in self.nums:
            return text
        num_id, ilvl = pr
        levels = self.nums[num_id]
        level = levels.get(ilvl)
        if level is None or level.fmt in ("none", "bullet"):
            return text
        state = self.counters.setdefault(num_id, {})
        start = self.overrides.get(num_id, {}).get(ilvl, level.start)
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
        return label + text


@dataclass(frozen=True)
class DocxBody:
    """The body read with its tables: the text (paragraphs and table rows in reading
    order, one per line), which lines are table rows, and how many tables there are
    (nested ones included)."""

    text: str
    row_lines: tuple[int, ...]
    tables: int


def _on(el) -> bool:
    """An OOXML on/off property (``<w:tblHeader/>``, ``w:val="false"``) is on."""
    return el is not None and el.get(_W + "val", "true") not in ("0", "false", "off")


def _table(tbl, numbering: _Numbering, counts: list[int]) -> list[str]:
    """A ``w:tbl``'s paragraphs, one per row, on its grid (see :mod:`._tables`)."""
    counts[0] += 1
    rows = []
    for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        tr_pr = tr.find(_W + "trPr")
        col = int(_attr(tr_pr.find(_W + "gridBefore") if tr_pr is not None else None, "val", "0"))
        header = tr_pr is not None and _on(tr_pr.find(_W + "tblHeader"))
        cells = []
        nested: list[str] = []
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            tc_pr = tc.find(_W + "tcPr")
            span = int(
                _attr(tc_pr.find(_W + "gridSpan") if tc_pr is not None else None, "val", "1")
            )
            merged = [
                tc_pr.find(_W + t) if tc_pr is not None else None for t in ("vMerge", "hMerge")
            ]
            # A continuation of a merged cell (no val, or "continue") shows the first
            # cell's text; that text is read once, where the merge starts.
            if not any(m is not None and _attr(m, "val", "continue") == "continue" for m in merged):
                parts: list[str] = []
                for el in tc.xpath(
                    "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/*[self::w:p or self::w:tbl]"
                ):
                    if el.tag == _W + "tbl":
                        nested.extend(_table(el, numbering, counts))
                    else:
                        parts.extend(numbering.text(el).split("\n"))
                cells.append(Cell(cell_text(parts), col, max(span, 1)))
            col += max(span, 1)
        rows.append(Row(tuple(cells), header, tuple(nested)))
    return table_paragraphs(rows)


def docx_body(document, *, tables: bool) -> DocxBody:
    """The body's paragraphs and, with ``tables``, each table row as a paragraph where
    the table stands (python-docx's ``document.paragraphs`` skips tables).

    Paragraphs are the body's, in order, list labels included; with ``tables`` list
    counters run on through the tables' paragraphs as Word's do (a 序号 column numbered
    by Word reads 1., 2., ...; a body list Word continues after a table numbered the
    same way continues from the table's count).
    """
    numbering = _Numbering(document)
    lines: list[str] = []
    row_lines: list[int] = []
    counts = [0]
    for el in document.element.body.iterchildren(_W + "p", _W + "tbl"):
        if el.tag == _W + "p":
            lines.extend(numbering.text(el).split("\n"))  # a line break starts a line
        elif tables:
            for row in _table(el, numbering, counts):
                row_lines.append(len(lines))
                lines.append(row)
        else:  # counted, not read
            counts[0] += len(el.xpath("descendant-or-self::w:tbl"))
    return DocxBody("\n".join(lines), tuple(row_lines), counts[0])
