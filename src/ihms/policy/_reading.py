"""What was read of a document's tables, recorded in its provenance.

A document with tables carries ``("text", ...)`` in its provenance: ``paragraphs only:
2 table(s) left out`` (the default reading) or ``paragraphs and table rows: 9 row(s) of
2 table(s)`` (``tables="rows"``). It is stored with the document in the coding project,
so the project says which documents were coded with table rows; a document without the
entry has no tables, or was imported before ihms recorded it (its tables were left out).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ihms.policy.clean import CleanText, Removal, clean_text, normalize_chars
from ihms.policy.readers import RawText
from ihms.sources import YU_2024

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.corpus import Document

__all__ = ["TableReading", "clean_read", "table_reading", "tables_notes"]


@dataclass(frozen=True)
class TableReading:
    """What was read of a document's tables.

    Attributes
    ----------
    mode
        ``skip`` (left out) or ``rows`` (each row read as a paragraph).
    tables
        Tables in the file, nested ones included.
    rows
        Rows read, one paragraph each.
    kept
        Rows in the cleaned text: the others were above the body, in the signature
        block or in the attachments, and were cleaned away with them.
    """

    mode: str
    tables: int
    rows: int = 0
    kept: int = 0

    def __str__(self) -> str:
        if self.mode == "rows":
            return (
                f"paragraphs and table rows: {self.rows} row(s) of {self.tables} table(s) "
                f"read, {self.kept} kept after cleaning"
            )
        return f"paragraphs only: {self.tables} table(s) left out"


_READING = re.compile(
    r"paragraphs and table rows: (?P<rows>\d+) row\(s\) of (?P<read>\d+) table\(s\) "
    r"read, (?P<kept>\d+) kept after cleaning"
    r"|paragraphs only: (?P<left>\d+) table\(s\) left out"
)


def table_reading(document: Document) -> TableReading | None:
    """How ``document``'s tables were read, from its provenance; None if it has no
    tables (or was imported before ihms recorded it: its tables were left out).

    Parameters
    ----------
    document
        A :class:`Document` (or any object with ``provenance`` pairs).

    Examples
    --------
    >>> from ihms.policy.corpus import Document
    >>> reading = TableReading("rows", 2, 9, 7)
    >>> str(reading)
    'paragraphs and table rows: 9 row(s) of 2 table(s) read, 7 kept after cleaning'
    >>> table_reading(Document("d1", "d1.docx", "docx", "", "", provenance=(("text", str(reading)),)))
    TableReading(mode='rows', tables=2, rows=9, kept=7)
    """
    m = _READING.fullmatch(dict(getattr(document, "provenance", ())).get("text") or "")
    if m is None:
        return None
    if m["left"] is not None:
        return TableReading("skip", int(m["left"]))
    return TableReading("rows", int(m["read"]), int(m["rows"]), int(m["kept"]))


def tables_notes(documents: Sequence, tables: str) -> list[str]:
    """What was read of the corpus's tables, and for PDFs that the option did not apply."""
    readings = [r for r in map(table_reading, documents) if r is not None]
    count = sum(r.tables for r in readings)
    notes = []
    if tables == "skip" and count:
        notes.append(
            f"{count} table(s) in {len(readings)} document(s) not read: tables are left "
            f"out by default, as {YU_2024} left them out of coding; tables='rows' "
            "(--tables rows) reads each table row as a paragraph"
        )
    elif tables == "rows" and not count:
        notes.append("tables='rows': no .docx or .html file of the corpus has a table")
    elif tables == "rows":
        rows = sum(r.rows for r in readings)
        gone = rows - sum(r.kept for r in readings)
        notes.append(
            f"{count} table(s) in {len(readings)} document(s) read: {rows} row(s), one "
            "paragraph each, where the table stands"
            + (
                f"; {gone} of them cleaned away with the header, signature or attachments "
                "around them (see the documents' notes)"
                if gone
                else ""
            )
        )
    pdfs = sum(d.fmt == "pdf" for d in documents)
    if tables == "rows" and pdfs:
        notes.append(
            f"{pdfs} PDF file(s) read from their text layer as before (tables='rows' "
            "applies to .docx and .html): a PDF table's cells come through as lines of "
            "that layer, run together where only a space separated them, and runs of "
            "lines split by wide gaps are dropped by the cleaner as table debris"
        )
    return notes


_HEADER_BLOCK = ("title", "document number", "header", "addressee")


def clean_read(
    raw: RawText, *, tables: str, title: str | None
) -> tuple[CleanText, TableReading | None, tuple[str, ...]]:
    """Clean what a reader read with ``tables``: the cleaned text, the record of what was
    read of the tables, and the reader's notes with one on rows cleaned away."""
    if not raw.row_lines:
        pdf = raw.fmt == "pdf"  # its text layer spaces letters out: join them
        cleaned = clean_text(raw.text, title=title, reflow=pdf, join_cjk=pdf)
        reading = TableReading(tables, raw.tables) if raw.tables else None
        return cleaned, reading, raw.notes
    cleaned, gone = _clean_with_rows(raw, title=title)
    rows = len(raw.row_lines)
    reading = TableReading("rows", raw.tables, rows, rows - sum(gone.values()))
    notes = raw.notes
    if gone:
        reasons = ", ".join(f"{r} {n}" for r, n in gone.most_common())
        notes += (
            f"{sum(gone.values())} of {rows} table row(s) cleaned away with the text "
            f"around them ({reasons})",
        )
    return cleaned, reading, notes


def _clean_with_rows(raw: RawText, *, title: str | None) -> tuple[CleanText, Counter[str]]:
    """Clean a text read with its table rows; count the rows cleaned away, by reason.

    The paragraphs are cleaned exactly as without the rows, so the header block, the
    signature and the attachments are found as always (a table above the title — the
    information table of a government site — would otherwise hide the header block).
    A row is then kept where the text around it is: with a kept paragraph before or
    after it, or when no paragraph is kept at all (a file that is one table). Rows above
    the body (reason ``header``), in the signature block or in the attachments go with
    them, under their neighbour's reason; a kept row is cleaned like a line of its own
    (web debris such as ``相关链接；政策解读`` goes).
    """
    lines = raw.text.split("\n")
    rows = set(raw.row_lines)
    paragraphs = [ln for i, ln in enumerate(lines) if i not in rows]
    base = clean_text("\n".join(paragraphs), title=title)
    out = base.text.split("\n") if base.text else []
    # The cleaner keeps lines as normalised, in order: find which paragraph lines it kept.
    normal = [ln.strip() for ln in normalize_chars("\n".join(paragraphs)).split("\n")]
    kept = [False] * len(normal)
    k = 0
    for i, line in enumerate(normal):
        if k < len(out) and line and line == out[k]:
            kept[i] = True
            k += 1
    # the cleaner only drops lines (it reflows PDF text alone, and PDFs have no rows)
    assert k == len(out), "a cleaned line is not one of the normalised input lines"
    why = {r.line: r.reason for r in base.removed}
    text: list[str] = []
    removed = list(base.removed)
    gone: Counter[str] = Counter()
    j = 0  # the next paragraph line
    for i, line in enumerate(lines):
        if i not in rows:
            if kept[j]:
                text.append(normal[j])
            j += 1
            continue
        around = [n for n in (j - 1, j) if 0 <= n < len(normal)]
        if not any(kept) or any(kept[n] for n in around):
            row = clean_text(line, drop_header=False, drop_signature=False, drop_attachments=False)
            if row.text:
                text.append(row.text)
                continue
            reason = row.removed[0].reason if row.removed else "empty"
        else:
            reason = why.get(normal[around[0]], "removed")
            reason = "header" if reason in _HEADER_BLOCK else reason
        removed.append(Removal(reason, normalize_chars(line).strip()))
        gone[reason] += 1
    return CleanText("\n".join(text), tuple(removed), base.signature), gone
