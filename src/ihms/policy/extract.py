"""Metadata a Chinese policy document states in its own text.

Where the metadata sheet is silent, ihms reads the document number (发文字号, e.g.
``国办发〔2017〕32号``), the date (``2017年4月26日`` or ``二〇一七年四月二十六日``), the
issuing body and the title from the text, the way a reader finds them: the number under
the header, the issuer and date in the signature block at the end, the title in the
first lines. Each extracted value says where it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ihms.policy.numerals import cn_to_int
from ihms.policy.regions import province_by_abbrev

__all__ = [
    "DOC_NUMBER_RE",
    "Extracted",
    "extract_metadata",
    "find_dates",
    "is_date_line",
    "is_organ_line",
    "issuer_from_doc_number",
    "join_cjk_spaces",
    "normalize_doc_number",
    "parse_date",
]

_OPEN = re.escape("〔[［【(（")
_CLOSE = re.escape("〕]］】)）")
DOC_NUMBER_RE = re.compile(
    rf"([\u4e00-\u9fff]{{1,14}})\s*[{_OPEN}]\s*((?:19|20)\d{{2}})\s*[{_CLOSE}]\s*第?\s*(\d{{1,4}})\s*号"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
#: An office named after the body it belongs to (国家卫生健康委 办公厅): no body of its own.
_OFFICES = ("办公厅", "办公室")
_ISSUER_LABELS = ("发文机关", "发布机构", "发文单位", "来源")
_CN_DIGIT = "〇○零ＯO一二三四五六七八九"
_CN_NUM = _CN_DIGIT + "十"
_DATE_ARABIC = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(
    rf"([{_CN_DIGIT}]{{4}})\s*年\s*([{_CN_NUM}]{{1,2}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*日"
)
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_LABEL = re.compile(
    r"^\s*(标题|发文机关|发布机构|发文单位|来源|发文字号|文号|成文日期|发布日期|印发日期|日期)\s*[:：]\s*(.+)$"
)
_ORGAN_SUFFIX = re.compile(
    r"(国务院|办公厅|办公室|委员会|人民政府|卫生健康委|卫生计生委|卫健委|医保局|医疗保障局|"
    r"财政厅|财政部|人社厅|管理局|局|部|厅|委|办|中心|中共中央)$"
)
_DOC_TYPES = (
    "通知",
    "意见",
    "指导意见",
    "实施意见",
    "办法",
    "方案",
    "规划",
    "纲要",
    "细则",
    "决定",
    "规定",
    "批复",
    "函",
    "报告",
    "计划",
    "指南",
    "标准",
    "公告",
    "通告",
    "条例",
    "措施",
    "要点",
)

_NATIONAL_PREFIXES = (
    ("国办发", "国务院办公厅"),
    ("国办函", "国务院办公厅"),
    ("国发", "国务院"),
    ("国函", "国务院"),
    ("中发", "中共中央、国务院"),
    ("国卫", "国家卫生健康委员会"),
    ("国中医药", "国家中医药管理局"),
    ("医保发", "国家医疗保障局"),
    ("医保办发", "国家医疗保障局办公室"),
    ("财社", "财政部"),
    ("人社部发", "人力资源社会保障部"),
    ("发改", "国家发展改革委"),
)


@dataclass(frozen=True)
class Extracted:
    """Metadata found in a document's text; ``sources`` says where each came from."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: dt.date | None = None
    sources: tuple[tuple[str, str], ...] = ()

    def source_of(self, field_name: str) -> str | None:
        """Where a field's value was read from (``text (signature)`` ...), or None.

        Parameters
        ----------
        field_name
            ``title``, ``issuer``, ``doc_number`` or ``date``.
        """
        return dict(self.sources).get(field_name)


def normalize_doc_number(text: str) -> str | None:
    """The first document number in ``text``, written ``prefix〔year〕n号``.

    Parameters
    ----------
    text
        Text holding a number such as ``国办发[2017] 32 号`` (any brackets, spaces).

    Returns
    -------
    str or None
        The number with 〔〕 brackets and no leading zeros; None where there is none.

    Examples
    --------
    >>> normalize_doc_number("国办发[2017] 32 号")
    '国办发〔2017〕32号'
    """
    match = DOC_NUMBER_RE.search(text or "")
    if match is None:
        return None
    return f"{match.group(1)}〔{match.group(2)}〕{int(match.group(3))}号"


def _cn_part(text: str) -> int:
    return cn_to_int(text) if not text.isdigit() else int(text)


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every valid date in ``text`` with its character offset, in order."""
    out: list[tuple[int, dt.date]] = []
    for pattern in (_DATE_ARABIC, _DATE_CN, _DATE_ISO):
        for m in pattern.finditer(text):
            try:
                y, mo, d = (_cn_part(m.group(i)) for i in (1, 2, 3))
                out.append((m.start(), dt.date(y, mo, d)))
            except ValueError:
                continue
    return sorted(out, key=lambda t: t[0])


def parse_date(value: object) -> dt.date | None:
    """Parse a date cell: ``date``/``datetime``, ``2017-04-26``, ``2017/4/26``,
    ``2017年4月26日``, ``二〇一七年四月二十六日`` or ``20170426``. Empty → None.

    Parameters
    ----------
    value
        A cell: a date, a pandas Timestamp, or text holding a date; None, "", NaN and
        NaT are empty.

    Raises
    ------
    ValueError
        If ``value`` is not empty and no date can be read from it.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    text = str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    if re.fullmatch(r"(19|20)\d{6}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    found = find_dates(text)
    if not found:
        raise ValueError(f"not a date: {text!r}")
    return found[0][1]


def issuer_from_doc_number(doc_number: str, *, year: int | None = None) -> str | None:
    """Guess the issuing body from a document number's prefix (国办发 → 国务院办公厅,
    浙政办发 → 浙江省人民政府办公厅, 沪卫 → 上海市卫生健康委员会).

    Health commissions were named 卫生和计划生育委员会 before the 2018 reorganisation;
    pass the document's ``year`` to get the name it was issued under."""
    prefix = doc_number.split("〔")[0]
    health = "卫生健康委员会" if year is None or year >= 2018 else "卫生和计划生育委员会"
    for key, organ in _NATIONAL_PREFIXES:
        if prefix.startswith(key):
            return organ.replace("卫生健康委员会", health)
    found = province_by_abbrev(prefix[:1])
    if found is None:
        return None
    province = found.name
    rest = prefix[1:]
    if rest.startswith(("政办", "府办")):
        return province + "人民政府办公厅"
    if rest.startswith(("政", "府")):
        return province + "人民政府"
    if rest.startswith(("卫", "卫健", "卫生")):
        return province + health
    if rest.startswith("医保"):
        return province + "医疗保障局"
    return None


def is_date_line(line: str) -> bool:
    """True if the whole line is a date (a signature date line)."""
    stripped = re.sub(r"\s", "", line)
    for pattern in (_DATE_ARABIC, _DATE_CN, _DATE_ISO):
        m = pattern.fullmatch(stripped)
        if m:
            return True
    return False


def is_organ_line(line: str) -> bool:
    """True if the line looks like an organ's name (a signature or header line)."""
    s = line.strip()
    return 2 <= len(s) <= 40 and not re.search(r"[。，；：:]", s) and bool(_ORGAN_SUFFIX.search(s))


def join_cjk_spaces(line: str) -> str:
    """``line`` without the spaces between two CJK characters: a PDF's text layer spaces
    out letter-spaced titles and justified lines, and people space out a title by hand.

    Examples
    --------
    >>> join_cjk_spaces("关 于 做 好 工 作 的 通 知  2020")
    '关于做好工作的通知  2020'
    """
    return _SPACE_BETWEEN_CJK.sub("", line)


# a body that names its own jurisdiction (国家…, 中共…, 福建省…, 三明市…) or stands alone as a
# ministry is an issuer of its own; a department after a space (医政医管局, 组织部,
# 基层卫生健康司) belongs to the body before it
_JURISDICTION = re.compile(
    r"^(国家|国务院|中共|中央|全国|中国)|^[\u4e00-\u9fff]{1,6}?(省|自治区|市|州|盟|县|旗|区)"
)
_PARTY_UNITS = ("组织部", "宣传部", "统战部", "政法委", "编办")


def department_of(body: str, part: str) -> bool:
    """True if ``part``, written after ``body`` and a space, is a department of that body
    (``国家卫生健康委`` ``医政医管局``; ``中共三明市委`` ``组织部``; an office, 办公厅), not
    a body of its own (``国家医保局``, ``财政部``, ``三明市医疗保障局``).

    Examples
    --------
    >>> department_of("国家卫生健康委", "医政医管局"), department_of("国家卫生健康委", "财政部")
    (True, False)
    """
    if part in _OFFICES or part in _PARTY_UNITS:
        return True
    if _JURISDICTION.match(part):
        return False
    if part.endswith(("司", "处", "科", "室")):
        return True
    return part.endswith("局") and body.endswith(("委", "委员会", "部", "厅"))


def _issuers(line: str) -> list[str]:
    """The issuing bodies one signature or 发文机关 line names: the parts between its
    spaces when each is an organ's name (a joint notice typed with both bodies on one
    line, ``福建省卫生健康委员会 福建省医疗保障局``), an office (办公厅) kept with the body
    before it; else the line as one name, its spaces between CJK characters joined (a
    name spaced out by hand, ``福 建 省 医 疗 保 障 局``)."""
    parts = line.split()
    if len(parts) < 2 or not all(
        is_organ_line(p) or (i and department_of(parts[i - 1], p)) for i, p in enumerate(parts)
    ):
        return [join_cjk_spaces(line.strip())]
    names: list[str] = []
    for part in parts:
        if names and department_of(names[-1], part):
            names[-1] += part
        else:
            names.append(part)
    return names


def _title_from_lines(lines: list[str]) -> str | None:
    head = [ln.strip() for ln in lines[:12] if ln.strip()]
    for i, line in enumerate(head):
        if DOC_NUMBER_RE.search(line) and len(line) < 30:
            continue
        if is_date_line(line) or _LABEL.match(line) or line.endswith("文件"):
            continue
        if "关于" in line or line.startswith("《") or line.endswith(_DOC_TYPES):
            title = line
            j = i + 1
            while not title.endswith((*_DOC_TYPES, "》")) and j < min(len(head), i + 3):
                nxt = head[j]
                if (
                    DOC_NUMBER_RE.search(nxt)
                    or is_date_line(nxt)
                    or _LABEL.match(nxt)
                    or nxt.endswith(("：", ":", "。"))
                    or len(nxt) > 40
                ):
                    break
                title += nxt
                j += 1
            if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
                title = title[1:-1]
            return title
    for line in head:
        if not (DOC_NUMBER_RE.fullmatch(line) or is_date_line(line)) and len(line) <= 60:
            return line
    return None


def extract_metadata(text: str, *, hints: dict[str, str] | None = None) -> Extracted:
    """Find title, issuer, document number and date in a document's text.

    Spaces between CJK characters are read as nothing (a title spaced out reads whole,
    :func:`join_cjk_spaces`), except between two organs' names on a signature or
    发文机关 line, where they separate two issuing bodies: a text whose spaces were
    joined already (a PDF's text layer, whose letter spacing cannot be told from a
    space) names them as one.

    Parameters
    ----------
    text
        The document as read (before cleaning: headers and signature blocks are where
        the metadata sits).
    hints
        Values the file states in its own metadata (HTML ``<meta>``, docx core title);
        used when the text has nothing better. Default None: none.
    """
    hints = hints or {}
    spaced = [ln.strip() for ln in text.replace("\f", "\n").split("\n")]
    stripped = [join_cjk_spaces(ln) for ln in spaced]
    sources: list[tuple[str, str]] = []
    labelled: dict[str, str] = {}
    for line, as_typed in zip(stripped[:40], spaced, strict=False):
        m = _LABEL.match(line)
        if m and m.group(1) not in labelled:
            typed = _LABEL.match(as_typed) if m.group(1) in _ISSUER_LABELS else None
            value = "、".join(_issuers(typed.group(2))) if typed else m.group(2)
            labelled[m.group(1)] = value.strip()

    doc_number = None
    head_text = "\n".join(stripped[:15])
    for cand in (labelled.get("发文字号"), labelled.get("文号"), head_text, "\n".join(stripped)):
        if cand and (doc_number := normalize_doc_number(cand)):
            sources.append(("doc_number", "text"))
            break

    date = None
    date_index = None
    n = len(stripped)
    for i in range(n - 1, max(-1, n - 60), -1):
        if stripped[i] and is_date_line(stripped[i]):
            found = find_dates(re.sub(r"\s", "", stripped[i]))
            if found:
                date, date_index = found[0][1], i
                sources.append(("date", "signature"))
                break
    if date is None:
        for key in ("成文日期", "发布日期", "印发日期", "日期"):
            if key in labelled and (found := find_dates(labelled[key])):
                date = found[0][1]
                sources.append(("date", f"label {key}"))
                break
    if date is None and "date" in hints:
        found = find_dates(hints["date"])
        if found:
            date = found[0][1]
            sources.append(("date", "file metadata"))
    if date is None:
        found = find_dates("\n".join(stripped[:10]))
        if found:
            date = found[0][1]
            sources.append(("date", "header"))

    issuer = None
    if date_index is not None:
        organs: list[list[str]] = []
        j = date_index - 1
        while j >= 0 and (not stripped[j] or is_organ_line(stripped[j])) and len(organs) < 6:
            if stripped[j]:
                organs.append(_issuers(spaced[j]))
            j -= 1
        if organs:
            issuer = "、".join(name for names in reversed(organs) for name in names)
            sources.append(("issuer", "signature"))
    if issuer is None:
        for key in _ISSUER_LABELS:
            if labelled.get(key):
                issuer = labelled[key]
                sources.append(("issuer", f"label {key}"))
                break
    if issuer is None and hints.get("issuer") and is_organ_line(hints["issuer"]):
        issuer = hints["issuer"]
        sources.append(("issuer", "file metadata"))
    if issuer is None:
        for line, as_typed in zip(stripped[:5], spaced, strict=False):
            if line.endswith("文件") and is_organ_line(line[:-2]):
                typed = as_typed.endswith("文件") and len(_issuers(as_typed[:-2])) > 1
                issuer = "、".join(_issuers(as_typed[:-2])) if typed else line[:-2]
                sources.append(("issuer", "header"))
                break
    if issuer is None and doc_number is not None:
        issuer = issuer_from_doc_number(doc_number, year=date.year if date else None)
        if issuer:
            sources.append(("issuer", "document number prefix"))

    title = labelled.get("标题")
    if title:
        sources.append(("title", "label 标题"))
    else:
        from_text = _title_from_lines(stripped)
        typical = bool(from_text) and ("关于" in from_text or from_text.endswith(_DOC_TYPES))
        if typical or not hints.get("title"):
            title = from_text
            if title:
                sources.append(("title", "text"))
        else:
            title = hints["title"]
            sources.append(("title", "file metadata"))
    return Extracted(title, issuer, doc_number, date, tuple(sources))
