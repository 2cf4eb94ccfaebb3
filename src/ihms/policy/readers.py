"""Reading one policy document file into plain text.

Supported: ``.txt`` (UTF-8, GBK, GB18030, or what charset-normalizer detects; the
encoding used is reported), ``.docx`` (python-docx, with Word's list numbering written
out), ``.pdf`` (text layer via PDFium, pypdf as fallback; pages separated by form feeds) and ``.html``/
``.htm`` (lxml; scripts, navigation and data tables dropped, layout tables kept — older
government sites put the whole article in one; the ``<meta>`` tags Chinese government
sites publish — ArticleTitle, PubDate, ContentSource — kept as hints).

Tables of .docx and .html files are left out by default, as Yu et al. 2024 left them out of
its coding; ``tables="rows"`` reads each row as a paragraph where the table stands
(:mod:`ihms.policy._tables` says how). A PDF has no tables to choose from: its text
layer holds the cells as laid-out lines either way.

Every failure is an :class:`~ihms.errors.InputError` naming the file and what is wrong:
an encrypted or image-only PDF, a corrupt .docx, bytes no encoding can decode.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ihms._decode import decode_bytes
from ihms.errors import InputError
from ihms.policy._tables import BLOCK_TAGS, html_data_tables

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TABLE_MODES",
    "RawText",
    "check_tables",
    "decode_bytes",
    "read_document",
]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")
#: What to do with the tables of .docx and .html files: leave them out, or read each
#: row as a paragraph.
TABLE_MODES = ("skip", "rows")

# Tried strictly in this order. UTF-8 first: GBK bytes almost never form valid UTF-8,
# whereas UTF-8 bytes often happen to be valid GBK. GB18030 extends GBK, so a text
# that decodes as GBK is reported as GBK.
_DECLARED = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe")
# Marks a table row's line while the page's text is laid out: a Unicode noncharacter,
# which lxml accepts and no text means anything by (a page's own are removed first).
_ROW_MARK = "\ufdd0"
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
        Things the user may want to know (pages without text, detector used, tables).
    tables
        Tables in a .docx or data tables in an .html file, nested ones included.
    row_lines
        Which lines of ``text`` (0-based) are table rows (none unless
        ``tables="rows"``). Metadata is extracted from the other lines, so reading
        tables changes no metadata.
    """

    text: str
    fmt: str
    encoding: str | None = None
    pages: int | None = None
    hints: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    tables: int = 0
    row_lines: tuple[int, ...] = ()

    @property
    def paragraphs_text(self) -> str:
        """``text`` without the table rows."""
        if not self.row_lines:
            return self.text
        rows = set(self.row_lines)
        return "\n".join(ln for i, ln in enumerate(self.text.split("\n")) if i not in rows)


def _read_txt(path: Path, encoding: str | None) -> RawText:
    text, enc, how = decode_bytes(path.read_bytes(), name=str(path), encoding=encoding)
    notes = (f"encoding {enc} ({how})",)
    return RawText(text.replace("\r\n", "\n").replace("\r", "\n"), "txt", enc, None, {}, notes)


def _tables_note(tables: int, rows: int, read: bool, left_out: str) -> tuple[str, ...]:
    if not tables:
        return ()
    if read:
        return (f"{tables} table(s) read: {rows} row(s), one paragraph each",)
    return (f"{tables} table(s) not read: {left_out}",)


def _read_docx(path: Path, tables: str) -> RawText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ihms.policy._docx import docx_body

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable .docx (corrupt or not a Word 2007+ file: {exc}); "
            "re-save it from Word/WPS as .docx"
        ) from None
    except Exception as exc:  # lxml/zip errors inside a damaged package
        raise InputError(f"{path}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    body = docx_body(document, tables=tables == "rows")
    hints = {}
    title = (document.core_properties.title or "").strip()
    if title:
        hints["title"] = title
    notes = _tables_note(
        body.tables, len(body.row_lines), tables == "rows", "only paragraphs are imported"
    )
    return RawText(body.text, "docx", None, None, hints, notes, body.tables, body.row_lines)


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


@contextmanager
def _pypdf_quiet(said: list[str]) -> Iterator[None]:
    """pypdf's log messages and warnings (``EOF marker not found``, bare on stderr
    before ihms's own note) kept in ``said`` instead, for the note or error that
    names the file; the ``pypdf`` logger is as it was afterwards."""
    import logging
    import warnings

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = _Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield
            finally:
                said.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _pypdf_words(said: list[str]) -> str:
    """What pypdf said, each message once, for a note or an error."""
    return "pypdf: " + "; ".join(dict.fromkeys(m.strip() for m in said if m.strip()))


def _pdf_pages_pypdf(path: Path, said: list[str]) -> list[str]:
    from pypdf import PdfReader

    with _pypdf_quiet(said):
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f"{path}: the PDF is encrypted (a password is needed to open it); "
                "save an unprotected copy first"
            )
        return [page.extract_text() or "" for page in reader.pages]


def _read_pdf(path: Path) -> RawText:
    # PDFium (pypdfium2, C++) reads text layers ten times faster than pypdf; pypdf is
    # the second opinion for files PDFium rejects.
    said: list[str] = []  # pypdf's messages: in the error or a note, not bare on stderr
    try:
        texts = _pdf_pages_pdfium(path)
    except InputError:
        raise
    except Exception as first:
        try:
            texts = _pdf_pages_pypdf(path, said)
        except InputError:
            raise
        except Exception as exc:  # both readers failed: a damaged or non-PDF file
            if "crypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
                raise InputError(f"{path}: the PDF is encrypted ({exc})") from None
            also = f"; {_pypdf_words(said)}" if said else ""
            raise InputError(
                f"{path}: not a readable PDF ({first}; {type(exc).__name__}: {exc}{also})"
            ) from None
    if not texts or all(not t.strip() for t in texts):
        raise InputError(
            f"{path}: the PDF has no text layer on any of its {len(texts)} page(s) — "
            "probably scanned images; run OCR first (e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)"
        )
    empty = [str(i + 1) for i, t in enumerate(texts) if not t.strip()]
    notes = (f"page(s) {', '.join(empty)} have no text layer",) if empty else ()
    if said:  # PDFium refused the file and pypdf read it, saying what it mended
        notes += (f"read by pypdf after PDFium refused it ({_pypdf_words(said)})",)
    return RawText("\f".join(texts), "pdf", None, len(texts), {}, notes)


def _read_html(path: Path, encoding: str | None, tables: str) -> RawText:
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
    if tables == "rows":
        text = text.replace(_ROW_MARK, "")
    try:
        root = lxml.html.fromstring(text) if text.strip() else None
    except Exception as exc:
        raise InputError(f"{path}: not readable HTML ({exc})") from None
    if root is None:
        return RawText("", "html", enc, None, {}, ("empty file",))
    # a page that is one element (a bare <table>) comes back as that element, under a
    # <body> lxml added: read from the top, so the element can be replaced like any other
    root = root.getroottree().getroot()
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
    found = html_data_tables(root)
    for el in root.iter(*BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    body = root.find(".//body")
    body = body if body is not None else root
    if tables == "rows":
        for placeholder, paragraphs in found.placeholders:
            placeholder.text = "".join(f"\n{_ROW_MARK}{p}" for p in paragraphs) + "\n"
    lines = [ln.strip() for ln in body.text_content().split("\n")]
    lines = [ln for ln in lines if ln]
    row_lines = tuple(i for i, ln in enumerate(lines) if ln.startswith(_ROW_MARK))
    text = "\n".join(ln.removeprefix(_ROW_MARK) for ln in lines)
    notes = (f"encoding {enc} ({how})",)
    notes += _tables_note(
        found.count, len(row_lines), tables == "rows", "only the text around them is imported"
    )
    return RawText(text, "html", enc, None, hints, notes, found.count, row_lines)


def read_document(
    path: str | Path, *, encoding: str | None = None, tables: str = "skip"
) -> RawText:
    """Read one document file.

    Parameters
    ----------
    path
        A ``.txt``, ``.docx``, ``.pdf``, ``.html`` or ``.htm`` file.
    encoding
        Force this encoding for ``.txt``/``.html`` instead of detecting it.
    tables
        ``"skip"`` (default): tables of .docx files and data tables of web pages are
        left out and counted in the notes. ``"rows"``: each table row is read as a
        paragraph where the table stands — cells joined with ``；``, each prefixed with
        its column's name when the table has a header row (``任务：…；牵头单位：…``),
        a merged cell's text once, empty rows left out, nested tables' rows after the
        row holding them. No effect on .txt and .pdf files.

    Raises
    ------
    InputError
        Unsupported suffix, unreadable file, encrypted or image-only PDF, corrupt docx,
        undecodable bytes, a ``tables`` value other than ``"skip"`` or ``"rows"``.
    """
    check_tables(tables)
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
        return _read_docx(path, tables)
    if suffix == ".pdf":
        return _read_pdf(path)
    return _read_html(path, encoding, tables)


def check_tables(tables: object) -> None:
    """Raise :class:`InputError` unless ``tables`` is one of :data:`TABLE_MODES`."""
    if tables not in TABLE_MODES:
        raise InputError(
            f"tables must be one of {', '.join(repr(m) for m in TABLE_MODES)}, got {tables!r}"
        )
