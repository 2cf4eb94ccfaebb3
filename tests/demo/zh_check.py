"""What of a Chinese demo report is still English: the check behind every test of
``ihms demo --lang zh``'s sections.

:func:`english_left`: a run of three or more English words in a paragraph, a title, a
caption or a table's title, notes, headers or row labels is a sentence left
untranslated. Not counted: code spans (backticks: commands, file names, indicator ids,
which stay as typed), ihms's modules (``ihms.stats.agreement``), the source studies'
citations (``Zhong et al. 2023``), web addresses, file paths, and the phrases a test names in ``allowed`` (a product's or
method's name, such as ``Newey-West``).

:func:`latin_words_left` is stricter: any Latin word of two letters or more that is not
a name a Chinese text keeps (:data:`NAMES`, or ``allowed``) — a word or two left in
English (``min_probability``, ``lead``) is found too. :func:`figure_texts` collects the
words a matplotlib figure draws, for either check.
"""

from __future__ import annotations

import contextlib
import re

from ihms.report import Figure, Paragraph, Section, Table
from ihms.sources import SOURCE_STUDIES

__all__ = [
    "NAMES",
    "collecting_figure_texts",
    "english_left",
    "figure_texts",
    "latin_words_left",
    "section_texts",
]

_CODE = re.compile(r"`[^`]*`")
_URL = re.compile(r"https?://\S+")
# a module of ihms named as it is imported (ihms.stats.agreement)
_MODULE = re.compile(r"\bihms(?:\.\w+)+")
# a file path: one that opens at ./ ../ or ~/, or a/b ending in a file's extension
# (a word/word such as present/absent is no path), or a file's name with its extension
_PATH = re.compile(
    r"(?:\.\.?/|~/)[\w.*~/-]*|[\w.~-]*(?:/[\w.*~-]+)+\.[A-Za-z]\w*/?"
    r"|\b[\w-]+\.(?:xlsx|csv|html|txt|pdf|docx|yaml|json|md|py|sav|dta|png|svg)\b"
)
# three or more words of Latin letters in a row, joined by spaces, full stops, hyphens,
# commas or apostrophes; a "word" of one letter (a variable name such as t or p) does
# not count
_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ ,.\-]+[A-Za-z][A-Za-z'’]+){2,}")
# a command's option or a keyword argument as typed (--min-probability, seed=0)
_TYPED = re.compile(r"--[\w-]+|\b\w+=\w+")
# a hash or an id made of one (a model's id, a commit): hex digits, a digit among them
_HASH = re.compile(r"(?=.*\d)[0-9a-f]{6,}")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’_-]*[A-Za-z0-9]")

#: The names a Chinese text keeps as they are: statistics, methods, file formats,
#: software, standards (each matched as a whole word).
NAMES = (
    "Cohen's", "Gwet's", "Krippendorff's", "AC1", "PABAK", "PRISMA", "F1", "TF-IDF",
    "bootstrap", "UTF-8", "GBK", "GB18030", "jieba", "SPSS", "Stata", "itsa", "UTC", "CSV",
    "PDF", "Word", "Excel", "DuckDB", "ihms", "Newey-West", "Breusch-Godfrey",
    "Prais-Winsten", "OLS", "Jaccard", "gram", "sha256", "git", "CI", "HTML", "xlsx",
    "csv", "txt", "html", "docx", "pdf", "sav", "dta", "VI-HQMR", "Brennan", "Prediger",
)  # fmt: skip


def _citations() -> list[str]:
    """The studies' in-text names (``Zhong et al. 2023``), longest first."""
    return sorted({s.short for s in SOURCE_STUDIES.values()}, key=len, reverse=True)


def _without_names(text: str, allowed: tuple[str, ...]) -> str:
    for pattern in (_CODE, _URL, _MODULE):
        text = pattern.sub(" ", text)
    for phrase in sorted((*allowed, *_citations()), key=len, reverse=True):
        text = text.replace(phrase, " ")
    return _PATH.sub(" ", text)


def english_left(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The runs of three or more English words in ``text``, after the code spans,
    citations, addresses, paths and ``allowed`` phrases are taken out.

    >>> english_left("门诊人次（`outpatient_contacts`）见 Zhong et al. 2023，表4。")
    []
    >>> english_left("门诊人次 fell after the reform。")
    ['fell after the reform']
    >>> english_left("Machine vs. human：见 present/absent")
    ['Machine vs. human', 'present/absent']
    """
    text = _without_names(text, allowed)
    return _RUN.findall(text) + re.findall(r"\b[A-Za-z]{2,}/[A-Za-z]{2,}\b", text)


def latin_words_left(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every Latin word of two letters or more in ``text`` that is not one of
    :data:`NAMES` or ``allowed``, after the code spans, citations, addresses, paths and
    typed options are taken out.

    >>> latin_words_left("κ 0.710，min_probability 0.4；课题负责人（lead）；Cohen's κ")
    ['min_probability', 'lead']
    >>> latin_words_left("课题负责人（`lead`）；`--min-probability`；t 检验")
    []
    """
    text = _TYPED.sub(" ", _without_names(text, allowed))
    names = {*NAMES, *allowed}
    words = [w for w in _WORD.findall(text) if sum(c.isalpha() for c in w) >= 2]
    return [w for w in words if w not in names and not _HASH.fullmatch(w)]


def section_texts(section: Section) -> list[str]:
    """Every piece of text a reader of ``section`` sees: its title, what it mirrors,
    paragraphs, captions, and each table's title, notes, column headers, the names of
    its index and columns, and row labels (cells that are text too). A figure's own
    words are in its bytes: :func:`collecting_figure_texts` gathers them."""
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
            texts += [str(n) for n in (*frame.index.names, *frame.columns.names) if n]
            texts += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return [t for t in texts if t]


def figure_texts(fig) -> list[str]:
    """Every non-empty text a matplotlib figure draws (titles, labels, ticks, legend)."""
    import matplotlib.text

    texts = (t.get_text() for t in fig.findobj(matplotlib.text.Text))
    return [t for t in texts if t.strip()]


@contextlib.contextmanager
def collecting_figure_texts():
    """Within it, each figure a section adds (:meth:`Figure.from_matplotlib`) has its
    texts appended to the list it yields, keyed by the figure's name."""
    collected: dict[str, list[str]] = {}
    original = Figure.from_matplotlib.__func__

    def from_matplotlib(cls, name, fig, **kwargs):
        collected[name] = figure_texts(fig)
        return original(cls, name, fig, **kwargs)

    Figure.from_matplotlib = classmethod(from_matplotlib)
    try:
        yield collected
    finally:
        Figure.from_matplotlib = classmethod(original)
