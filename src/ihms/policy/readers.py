"""Reading one policy document file into plain text.

Supported: ``.txt`` (UTF-8, GBK, GB18030, or what charset-normalizer detects; the
encoding used is reported), ``.docx`` (python-docx, with Word's list numbering written
out), ``.pdf`` (text layer via PDFium, pypdf as fallback; pages separated by form feeds) and ``.html``/
``.htm`` (lxml; scripts, navigation and data tables dropped, layout tables kept — older
government sites put the whole article in one; the ``<meta>`` tags Chinese government
sites publish — ArticleTitle, PubDate, ContentSource — kept as hints).

Every failure is an :class:`~ihms.errors.InputError` naming the file and what is wrong:
an encrypted or image-only PDF, a corrupt .docx, bytes no encoding can decode.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ihms._decode import decode_bytes
from ihms.errors import InputError

__all__ = ["SUPPORTED_SUFFIXES", "RawText", "decode_bytes", "read_document"]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")

# Tried strictly in this order. UTF-8 first: GBK bytes almost never form valid UTF-8,
# whereas UTF-8 bytes often happen to be valid GBK. GB18030 extends GBK, so a text
# that decodes as GBK is reported as GBK.
_DECLARED = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe")
_PARAGRAPH_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote")
# A table cell holding a paragraph of this many characters is page layout, not data.
_LAYOUT_CELL_CHARS = 100
_META_HINTS = {
    "articletitle": "title",
    "pubdate": "date",
    "firstpublishedtime": "date",
    "contentsource": "issuer",
}


@dataclass(frozen=True)
class RawText:
    """What a reader returns.

    Attributes
    ----------
    text
        Paragraphs separated by ``\\n``; PDF pages by ``\\f``.
    fmt
        ``txt``, ``docx``, ``pdf`` or ``html``.
    encoding
        The encoding used for ``.txt``/``.html`` bytes (``utf-8``, ``gbk``, ...).
    pages
        Number of PDF pages.
    hints
        Metadata the file itself states (HTML ``<meta>`` tags, docx core title).
    notes
        Things the user may want to know (pages without text, detector used).
    """

    text: str
    fmt: str
    encoding: str | None = None
    pages: int | None = None
    hints: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _read_txt(path: Path, encoding: str | None) -> RawText:
    text, enc, how = decode_bytes(path.read_bytes(), name=str(path), encoding=encoding)
    notes = (f"encoding {enc} ({how})",)
    return RawText(text.replace("\r\n", "\n").replace("\r", "\n"), "txt", enc, None, {}, notes)


def _read_docx(path: Path) -> RawText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ihms.policy._docx import docx_paragraphs

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable .docx (corrupt or not a Word 2007+ file: {exc}); "
            "re-save it from Word/WPS as .docx"
        ) from None
    except Exception as exc:  # lxml/zip errors inside a damaged package
        raise InputError(f"{path}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    paragraphs = docx_paragraphs(document)
    hints = {}
    title = (document.core_properties.title or "").strip()
    if title:
        hints["title"] = title
    notes = ()
    if document.tables:
        notes = (f"{len(document.tables)} table(s) not read: only paragraphs are imported",)
    return RawText("\n".join(paragraphs), "docx", None, None, hints, notes)


def _pdf_pages_pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise InputError(
                f"{path}: the PDF is encrypted (a password is needed to open it); "
                "save an unprotected copy first"
            ) from None
        raise
    try:
        pages = []
        for i in range(len(document)):
            textpage = document[i].get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        return pages
    finally:
        document.close()


def _pdf_pages_pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(
            f"{path}: the PDF is encrypted (a password is needed to open it); save an unprotected copy first"
        )
    return [page.extract_text() or "" for page in reader.pages]


def _read_pdf(path: Path) -> RawText:
    # PDFium (pypdfium2, C++) reads text layers ten times faster than pypdf; pypdf is
    # the second opinion for files PDFium rejects.
    try:
        texts = _pdf_pages_pdfium(path)
    except InputError:
        raise
    except Exception as first:
        try:
            texts = _pdf_pages_pypdf(path)
        except InputError:
            raise
        except Exception as exc:  # both readers failed: a damaged or non-PDF file
            if "crypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
                raise InputError(f"{path}: the PDF is encrypted ({exc})") from None
            raise InputError(
                f"{path}: not a readable PDF ({first}; {type(exc).__name__}: {exc})"
            ) from None
    if not texts or all(not t.strip() for t in texts):
        raise InputError(
            f"{path}: the PDF has no text layer on any of its {len(texts)} page(s) — "
            "probably scanned images; run OCR first (e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)"
        )
    empty = [str(i + 1) for i, t in enumerate(texts) if not t.strip()]
    notes = (f"page(s) {', '.join(empty)} have no text layer",) if empty else ()
    return RawText("\f".join(texts), "pdf", None, len(texts), {}, notes)


def _read_html(path: Path, encoding: str | None) -> RawText:
    import lxml.html

    data = path.read_bytes()
    declared = None
    match = _DECLARED.search(data[:4096])
    if match and encoding is None:
        declared = match.group(1).decode("ascii").lower()
        # Sites declare GB2312 but use GBK characters; GB18030 reads both.
        if declared in ("gb2312", "gbk", "gb18030", "x-gbk"):
            declared = "gb18030"
    try:
        text, enc, how = decode_bytes(data, name=str(path), encoding=encoding or declared)
        if declared and not encoding:
            how = f"declared {match.group(1).decode('ascii')}"
    except InputError:
        if declared is None:
            raise
        text, enc, how = decode_bytes(data, name=str(path))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.fromstring(text) if text.strip() else None
    except Exception as exc:
        raise InputError(f"{path}: not readable HTML ({exc})") from None
    if root is None:
        return RawText("", "html", enc, None, {}, ("empty file",))
    hints: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or "").lower()
        if key in _META_HINTS and meta.get("content"):
            hints.setdefault(_META_HINTS[key], meta.get("content").strip())
    title_el = root.find(".//title")
    if "title" not in hints and title_el is not None and (title_el.text or "").strip():
        hints["title"] = title_el.text.strip()
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    dropped = _drop_data_tables(root)
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    body = root.find(".//body")
    content = (body if body is not None else root).text_content()
    lines = [ln.strip() for ln in content.split("\n")]
    notes = (f"encoding {enc} ({how})",)
    if dropped:
        notes += (f"{dropped} table(s) not read: only the text around them is imported",)
    return RawText("\n".join(ln for ln in lines if ln), "html", enc, None, hints, notes)


def _is_layout_table(table) -> bool:
    """Whether a ``<table>`` lays out the page (a cell holds paragraphs of text) rather
    than holding data (short cells, one value or one ``<p>`` each, as Word exports)."""
    for cell in table.iter("td", "th"):
        if next(cell.iterancestors("table"), None) is not table:
            continue  # a nested table's cell: judged with that table
        if len(cell.text_content().strip()) >= _LAYOUT_CELL_CHARS:
            return True
        blocks = [el for el in cell.iter(*_PARAGRAPH_TAGS) if el is not cell]
        if sum(1 for el in blocks if el.text_content().strip()) >= 2:
            return True
    return False


def _drop_data_tables(root) -> int:
    """Drop data tables, innermost first, keeping layout tables; return how many."""
    dropped = 0
    for table in reversed(list(root.iter("table"))):
        if not _is_layout_table(table):
            table.drop_tree()
            dropped += 1
    return dropped


def read_document(path: str | Path, *, encoding: str | None = None) -> RawText:
    """Read one document file.

    Parameters
    ----------
    path
        A ``.txt``, ``.docx``, ``.pdf``, ``.html`` or ``.htm`` file.
    encoding
        Force this encoding for ``.txt``/``.html`` instead of detecting it.

    Raises
    ------
    InputError
        Unsupported suffix, unreadable file, encrypted or image-only PDF, corrupt docx,
        undecodable bytes.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; expected one of "
            f"{', '.join(SUPPORTED_SUFFIXES)}"
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".txt":
        return _read_txt(path, encoding)
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    return _read_html(path, encoding)
