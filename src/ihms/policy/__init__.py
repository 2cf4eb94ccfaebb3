"""Policy text analysis after seeds 000 and 003.

Corpus (``corpus``, ``readers``, ``extract``, ``clean``, ``sheet``), duplicates and
PRISMA screening (``dedupe``, ``prisma``), segmentation (``segment``). Later layers —
codebooks, coding projects, tables, text statistics and networks — build on these.
"""

from ihms.policy.clean import CleanText, Removal, clean_text
from ihms.policy.corpus import CorpusImport, Document, ImportFailure, import_folder, load_document
from ihms.policy.dedupe import Duplicate, find_duplicates
from ihms.policy.extract import Extracted, extract_metadata, normalize_doc_number, parse_date
from ihms.policy.fonts import find_cjk_font, use_cjk_font
from ihms.policy.prisma import (
    Screening,
    ScreeningCriteria,
    ScreeningDecision,
    prisma_figure,
    read_screening_decisions,
    screen,
)
from ihms.policy.readers import RawText, read_document
from ihms.policy.segment import Segment, numbering_of, segment_clauses, segment_paragraphs
from ihms.policy.sheet import read_metadata_sheet

__all__ = [
    "CleanText",
    "CorpusImport",
    "Document",
    "Duplicate",
    "Extracted",
    "ImportFailure",
    "RawText",
    "Removal",
    "Screening",
    "ScreeningCriteria",
    "ScreeningDecision",
    "Segment",
    "clean_text",
    "extract_metadata",
    "find_cjk_font",
    "find_duplicates",
    "import_folder",
    "load_document",
    "normalize_doc_number",
    "numbering_of",
    "parse_date",
    "prisma_figure",
    "read_document",
    "read_metadata_sheet",
    "read_screening_decisions",
    "screen",
    "segment_clauses",
    "segment_paragraphs",
    "use_cjk_font",
]
