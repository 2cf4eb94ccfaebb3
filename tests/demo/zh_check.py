"""What of a Chinese demo report is still English: the check behind every test of
``ihms demo --lang zh``'s sections.

A run of three or more English words in a paragraph, a title, a caption or a table's
title, notes, headers or row labels is a sentence left untranslated. Not counted: code
spans (backticks: commands, file names, indicator ids, which stay as typed), the source
studies' citations (``Zhong et al. 2023``), web addresses, file paths, and the phrases a
test names in ``allowed`` (a product's or method's name, such as ``Newey-West``).
"""

from __future__ import annotations

import re

from ihms.report import Figure, Paragraph, Section, Table
from ihms.sources import SOURCE_STUDIES

__all__ = ["english_left", "section_texts"]

_CODE = re.compile(r"`[^`]*`")
_URL = re.compile(r"https?://\S+")
_PATH = re.compile(r"[\w.~-]*(?:/[\w.*~-]+)+/?")
# three or more words of Latin letters in a row, joined by spaces, hyphens, commas or
# apostrophes; a "word" of one letter (a variable name such as t or p) does not count
_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ ,\-]+[A-Za-z][A-Za-z'’]+){2,}")


def _citations() -> list[str]:
    """The studies' in-text names (``Zhong et al. 2023``), longest first."""
    return sorted({s.short for s in SOURCE_STUDIES.values()}, key=len, reverse=True)


def english_left(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The runs of three or more English words in ``text``, after the code spans,
    citations, addresses, paths and ``allowed`` phrases are taken out.

    >>> english_left("门诊人次（`outpatient_contacts`）见 Zhong et al. 2023，表4。")
    []
    >>> english_left("门诊人次 fell after the reform。")
    ['fell after the reform']
    """
    for pattern in (_CODE, _URL):
        text = pattern.sub(" ", text)
    for phrase in (*allowed, *_citations()):
        text = text.replace(phrase, " ")
    text = _PATH.sub(" ", text)
    return _RUN.findall(text)


def section_texts(section: Section) -> list[str]:
    """Every piece of text a reader of ``section`` sees: its title, what it mirrors,
    paragraphs, captions, and each table's title, notes, column headers and row labels
    (cells that are text too)."""
    texts = [section.title, section.mirrors]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, Figure):
            texts.append(block.caption)
        elif isinstance(block, Table):
            table = block.table
            frame = table.frame
            texts += [table.title, *table.notes]
            texts += [str(c) for c in frame.columns]
            texts += [str(i) for i in frame.index]
            texts += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return [t for t in texts if t]
