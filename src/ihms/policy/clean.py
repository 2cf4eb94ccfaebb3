"""Cleaning a policy document's text before segmentation.

Documents copied from government websites, exported from PDF or typed in Word carry
debris that is not policy: full-width spaces and zero-width characters, "print this
page / close window" links, page headers, footers and page numbers, tables, the
signature block (issuer and date, kept as metadata instead), distribution notes
(抄送, 印发) and attachments. :func:`clean_text` removes them and records every removed
line with the reason, so a researcher can audit what was dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ihms.policy.extract import DOC_NUMBER_RE, is_date_line, is_organ_line, join_cjk_spaces

__all__ = [
    "BOILERPLATE_PATTERNS",
    "CleanText",
    "Removal",
    "clean_text",
    "normalize_chars",
    "strip_page_furniture",
]

#: Lines from web pages that are never policy text (matched against the whole line).
BOILERPLATE_PATTERNS = (
    r"[【\[]?\s*(打印本页|打印|关闭窗口|关闭|收藏|返回顶部|字号|大|中|小|默认|分享)\s*[】\]]?"
    r"(\s*[【\[]?\s*(打印本页|打印|关闭窗口|关闭|收藏|返回顶部|字号|大|中|小|默认|分享)\s*[】\]]?)*",
    r"字号\s*[:：].*",
    r"分享到\s*[:：]?.*",
    r"(扫一扫|微信扫一扫).*",
    r"(浏览次数|访问量|阅读量|点击数|点击量)\s*[:：]?\s*\d*.*",
    r"(首页|当前位置)\s*[>＞›»].*",
    r"当前位置\s*[:：].*",
    r"(上一篇|下一篇|相关链接|相关文章|相关阅读)\s*[:：]?.*",
    r"(版权所有|主办单位|承办单位|网站标识码|ICP备|京ICP|公网安备).*",
    r"(责任编辑|编辑|来源网站)\s*[:：].*",
    r".*(政府信息公开|信息公开目录|主题分类|索\s*引\s*号)\s*[:：].*",
    r"var\s+\w+.*|function\s*\(.*|\$\(.*",
    # a site menu: short items between bars (首页 | 政务公开 | 办事服务)
    r"[^|｜丨。，；：:]{1,12}(\s*[|｜丨]\s*[^|｜丨。，；：:]{1,12})+",
)
_BOILERPLATE = [re.compile(p) for p in BOILERPLATE_PATTERNS]
_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d+\s*/\s*\d+|[Pp]age\s*\d+(\s*of\s*\d+)?"
)
_TRAILER = re.compile(
    r"^[（(]?(此件|本件)?[^）)]{0,6}(公开发布|主动公开|依申请公开|不予公开|信息公开形式[^）)]*)[）)]?$|"
    r"^(抄送|抄报|主送|分送)\s*[:：].*|.*(印发|办公室|办公厅)\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$|"
    r"^.*\d{4}年\d{1,2}月\d{1,2}日印发$"
)
_ATTACHMENT_LIST = re.compile(
    r"^附\s*件\s*\d*\s*[:：].*|^附\s*件\s*[:：]?$|^\d+[.．、]\s*\S.*(表|清单|名单|目录)$"
)
_ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*\S{0,40}$")
# the addressee line (各省、自治区、直辖市人民政府：); a county notice's may end in a health
# body (各医共体，各乡镇卫生院： / 各村卫生室：)
_ADDRESSEE = re.compile(
    r"(各|有关|省|市|县|区|国务院|委|局|厅|人民政府|卫生)[^。；]{0,100}"
    r"(人民政府|部门|单位|委|局|厅|机构|医院|中心|卫生院|卫生室|医共体|医联体|共同体|集团)[:：]"
)
_TABLE_SPLIT = re.compile(r"\t|\s{2,}|[|｜]")


@dataclass(frozen=True)
class Removal:
    """One removed line and why (``boilerplate``, ``header/footer``, ``page number``,
    ``table``, ``title``, ``document number``, ``header``, ``addressee``, ``signature``,
    ``trailer``, ``attachment``)."""

    reason: str
    line: str


@dataclass(frozen=True)
class CleanText:
    """Cleaned text (paragraphs separated by ``\\n``), what was removed, and the
    signature block lines (issuer, date) that were taken off the end."""

    text: str
    removed: tuple[Removal, ...]
    signature: tuple[str, ...]

    def removed_by_reason(self) -> dict[str, int]:
        return dict(Counter(r.reason for r in self.removed))


def normalize_chars(text: str, *, join_cjk: bool = False) -> str:
    """Normalise characters without touching Chinese punctuation.

    Full-width ASCII letters and digits become ASCII; non-breaking and full-width spaces
    become spaces; zero-width characters and soft hyphens go; runs of spaces and tabs
    become two spaces (what the table detector reads as a cell border). With
    ``join_cjk``, spaces between two CJK characters are removed: a PDF's text layer
    spaces out letter-spaced titles and justified lines (``国 家 卫 生``); a file typed by
    people (.txt, .docx, .html) keeps them, as ``第一条 为推进`` was written.
    """
    table = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
    table.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
    table.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
    table.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
    for zw in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
        table[zw] = None
    text = text.translate(table)
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if join_cjk:
            line = join_cjk_spaces(line)
        # A run of two or more spaces (or a tab) separates table cells: keep it as two.
        lines.append(re.sub(r"[ \t]{2,}|\t", "  ", line))
    return "\n".join(lines)


def _page_furniture(pages: list[list[str]]) -> set[str]:
    """Short lines repeated at the top or bottom of at least half the pages (≥ 2),
    compared with digits masked (so "— 3 —" and "— 4 —" are one footer)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [ln for ln in lines if ln.strip()]
        keys = {
            re.sub(r"\d+", "#", ln.strip())
            for ln in edge[:2] + edge[-2:]
            if len(ln.strip()) <= 40 and not ln.rstrip().endswith(("。", "；"))
        }
        counts.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, c in counts.items() if c >= need}


def strip_page_furniture(text: str, *, join_cjk: bool = False) -> str:
    """``text`` with running headers, footers and page numbers removed and pages
    joined; characters normalised, and with ``join_cjk`` (a PDF's text layer) spaces
    between CJK characters removed. Metadata extraction reads every document through
    this (a PDF's running header is not mistaken for the title); a file typed by people
    keeps its spaces, which separate two issuers signing on one line
    (:func:`ihms.policy.extract.extract_metadata`)."""
    pages = [normalize_chars(p, join_cjk=join_cjk).split("\n") for p in text.split("\f")]
    furniture = _page_furniture(pages)
    keep = []
    for page in pages:
        for line in page:
            s = line.strip()
            if s and (re.sub(r"\d+", "#", s) in furniture or _PAGE_NUMBER.fullmatch(s)):
                continue
            keep.append(line)
    return "\n".join(keep)


def _is_table_row(line: str) -> bool:
    cells = [c for c in _TABLE_SPLIT.split(line.strip()) if c.strip()]
    if len(cells) < 3:
        return False
    short = sum(1 for c in cells if len(c.strip()) <= 12)
    return short >= len(cells) - 1 and not line.rstrip().endswith("。")


def _reflow(lines: list[str]) -> list[str]:
    """Join PDF visual lines into paragraphs: a line continues the previous one unless
    the previous ended a sentence or was clearly short, or this one starts a number."""
    from ihms.policy.segment import numbering_of

    lengths = sorted(len(ln) for ln in lines if ln)
    if not lengths:
        return lines
    full = lengths[int(0.9 * (len(lengths) - 1))]
    out: list[str] = []
    for line in lines:
        if not line:
            out.append(line)
            continue
        prev = out[-1] if out else ""
        continues = (
            prev
            and not prev.endswith(("。", "！", "？", "；", "：", "”", "」", "》"))
            and len(prev.split("\n")[-1]) >= 0.85 * full
            and numbering_of(line) is None
            and not is_date_line(line)
            and not DOC_NUMBER_RE.fullmatch(line)
            and not DOC_NUMBER_RE.fullmatch(prev)
        )
        if continues:
            out[-1] = prev + line
        else:
            out.append(line)
    return out


def clean_text(
    text: str,
    *,
    title: str | None = None,
    reflow: bool = False,
    join_cjk: bool = False,
    drop_header: bool = True,
    drop_signature: bool = True,
    drop_attachments: bool = True,
    extra_patterns: tuple[str, ...] = (),
) -> CleanText:
    """Clean one document's text.

    Parameters
    ----------
    text
        As read (PDF pages separated by ``\\f``).
    title
        The document's title; its lines at the top are taken off the body.
    reflow
        Join visual lines into paragraphs (for PDF text, where every printed line is a
        line of text).
    join_cjk
        Remove spaces between two CJK characters (:func:`normalize_chars`): for PDF text,
        whose text layer spaces out letter-spaced titles. Other text keeps them.
    drop_header
        Take the header block off the top: the title, an ``XX文件`` masthead, the document
        number, a date line and the addressee line (``各省、自治区、直辖市人民政府：``).
    drop_signature
        Take the issuer/date block at the end off the body (it is metadata).
    drop_attachments
        Remove the attachment list before the signature and attachment pages after it.
    extra_patterns
        More regular expressions for whole lines to drop as boilerplate.
    """
    removed: list[Removal] = []
    patterns = _BOILERPLATE + [re.compile(p) for p in extra_patterns]
    pages = [normalize_chars(p, join_cjk=join_cjk).split("\n") for p in text.split("\f")]
    furniture = _page_furniture(pages)
    kept: list[str] = []
    for page in pages:
        page_lines: list[str] = []
        for line in page:
            s = line.strip()
            if not s:
                page_lines.append("")
                continue
            if re.sub(r"\d+", "#", s) in furniture:
                removed.append(Removal("header/footer", s))
            elif _PAGE_NUMBER.fullmatch(s):
                removed.append(Removal("page number", s))
            elif any(p.fullmatch(s) for p in patterns):
                removed.append(Removal("boilerplate", s))
            else:
                page_lines.append(s)
        kept.extend(page_lines)
    # Tables: two or more consecutive table-like rows.
    flags = [bool(ln) and _is_table_row(ln) for ln in kept]
    body: list[str] = []
    for i, line in enumerate(kept):
        near = (i > 0 and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1])
        if flags[i] and near:
            removed.append(Removal("table", line))
        else:
            body.append(line)
    if reflow:
        body = _reflow(body)
    lines = [ln for ln in body if ln]
    if drop_header:
        lines = _drop_header(lines, title, removed)
    signature: list[str] = []
    if drop_signature or drop_attachments:
        lines, signature = _split_tail(lines, removed, drop_signature, drop_attachments)
    return CleanText("\n".join(lines), tuple(removed), tuple(signature))


def _drop_header(lines: list[str], title: str | None, removed: list[Removal]) -> list[str]:
    target = re.sub(r"\s", "", title or "").strip("《》")
    i = 0
    consumed = ""
    while i < min(len(lines), 12):
        line = lines[i]
        flat = re.sub(r"\s", "", line).strip("《》")
        if target and flat and target.startswith(consumed + flat):
            consumed += flat
            removed.append(Removal("title", line))
        elif DOC_NUMBER_RE.fullmatch(flat) or (DOC_NUMBER_RE.search(flat) and len(flat) <= 30):
            removed.append(Removal("document number", line))
        elif (flat.endswith("文件") and is_organ_line(flat[:-2])) or is_date_line(line):
            removed.append(Removal("header", line))
        elif _ADDRESSEE.fullmatch(flat):
            removed.append(Removal("addressee", line))
            i += 1
            break
        else:
            break
        i += 1
    return lines[i:]


def _split_tail(
    lines: list[str], removed: list[Removal], drop_signature: bool, drop_attachments: bool
) -> tuple[list[str], list[str]]:
    n = len(lines)
    date_i = None
    for i in range(n - 1, int(n * 0.3) - 1, -1):
        if is_date_line(lines[i]):
            date_i = i
            break
    signature: list[str] = []
    if date_i is None:
        end = n
        # No signature: only a trailing attachment list can be dropped.
        while drop_attachments and end > 0 and _ATTACHMENT_LIST.match(lines[end - 1]):
            end -= 1
        for ln in lines[end:]:
            removed.append(Removal("attachment", ln))
        return lines[:end], signature
    start = date_i
    while start > 0 and is_organ_line(lines[start - 1]) and date_i - start < 6:
        start -= 1
    tail = lines[date_i + 1 :]
    head = lines[:start]
    if drop_attachments:
        cut = len(head)
        while cut > 0 and _ATTACHMENT_LIST.match(head[cut - 1]):
            cut -= 1
        for ln in head[cut:]:
            removed.append(Removal("attachment", ln))
        head = head[:cut]
    if drop_signature:
        signature = lines[start : date_i + 1]
        for ln in signature:
            removed.append(Removal("signature", ln))
    else:
        head = head + lines[start : date_i + 1]
    keep_tail: list[str] = []
    in_attachment = False
    for ln in tail:
        if _TRAILER.match(ln):
            removed.append(Removal("trailer", ln))
        elif drop_attachments and (in_attachment or _ATTACHMENT_HEAD.match(ln)):
            in_attachment = True
            removed.append(Removal("attachment", ln))
        else:
            keep_tail.append(ln)
    return head + keep_tail, signature
