"""Policy text analysis after Yu et al. 2024 and the VI-HQMR policy study.

Corpus (``corpus``, ``readers``, ``extract``, ``clean``, ``sheet``), duplicates and
PRISMA screening by rules and independent reviewers (``dedupe``, ``prisma``,
``screening_reviewers``, ``screening_sheets``, Rayyan exports: ``screening_rayyan``),
segmentation (``segment``), codebooks
(``codebook``, ``frameworks/*.yaml``), coding projects in SQLite (``project``),
codings and spreadsheets (``coding``), agreement between coders (``agreement``:
:func:`coder_agreement`, :func:`agreement_table`), reconciliation (``reconcile``), exchange with
NVivo, ATLAS.ti and MAXQDA as REFI-QDA ``.qdpx`` files (``qdpx``).
"""

from ihms.fonts import find_cjk_font, use_cjk_font
from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.clean import CleanText, Removal, clean_text
from ihms.policy.codebook import (
    Category,
    Codebook,
    Dimension,
    Group,
    derive_metadata,
    load_codebook,
    parse_codebook,
)
from ihms.policy.coding import CodingImport, add_codings, codings, import_codings
from ihms.policy.coding_export import export_codings
from ihms.policy.corpus import (
    CorpusImport,
    Document,
    ImportFailure,
    TableReading,
    import_folder,
    load_document,
    table_reading,
)
from ihms.policy.dataset import AnalysisDataset, analysis_dataset
from ihms.policy.dedupe import Duplicate, find_duplicates
from ihms.policy.extract import Extracted, extract_metadata, normalize_doc_number, parse_date
from ihms.policy.prisma import (
    Screening,
    ScreeningCriteria,
    ScreeningDecision,
    prisma_figure,
    read_screening_decisions,
    screen,
)
from ihms.policy.project import Project
from ihms.policy.qdpx import QdpxExport, QdpxImport, export_qdpx, import_qdpx
from ihms.policy.readers import RawText, read_document
from ihms.policy.reconcile import (
    CodedData,
    Reconciliation,
    check_sheet_path,
    coded_data,
    export_disagreements,
    final_codings,
    read_decisions,
    reconcile,
    record_decisions,
)
from ihms.policy.screening_rayyan import RayyanImport, read_rayyan
from ihms.policy.screening_reviewers import (
    Conflict,
    ScreeningMethod,
    Settlement,
    StageAgreement,
    UnresolvedConflicts,
)
from ihms.policy.screening_sheets import (
    read_resolutions,
    read_reviewer_decisions,
    write_conflicts,
    write_screening_sheet,
)
from ihms.policy.segment import Segment, numbering_of, segment_clauses, segment_paragraphs
from ihms.policy.sheet import read_metadata_sheet

__all__ = [
    "AnalysisDataset",
    "Category",
    "CleanText",
    "Codebook",
    "CodedData",
    "CodingImport",
    "Conflict",
    "CorpusImport",
    "Dimension",
    "Document",
    "Duplicate",
    "Extracted",
    "Group",
    "ImportFailure",
    "Project",
    "QdpxExport",
    "QdpxImport",
    "RawText",
    "RayyanImport",
    "Reconciliation",
    "Removal",
    "Screening",
    "ScreeningCriteria",
    "ScreeningDecision",
    "ScreeningMethod",
    "Segment",
    "Settlement",
    "StageAgreement",
    "TableReading",
    "UnresolvedConflicts",
    "add_codings",
    "agreement_table",
    "analysis_dataset",
    "check_sheet_path",
    "clean_text",
    "coded_data",
    "coder_agreement",
    "codings",
    "derive_metadata",
    "export_codings",
    "export_disagreements",
    "export_qdpx",
    "extract_metadata",
    "final_codings",
    "find_cjk_font",
    "find_duplicates",
    "import_codings",
    "import_folder",
    "import_qdpx",
    "load_codebook",
    "load_document",
    "normalize_doc_number",
    "numbering_of",
    "parse_codebook",
    "parse_date",
    "prisma_figure",
    "read_decisions",
    "read_document",
    "read_metadata_sheet",
    "read_rayyan",
    "read_resolutions",
    "read_reviewer_decisions",
    "read_screening_decisions",
    "reconcile",
    "record_decisions",
    "screen",
    "segment_clauses",
    "segment_paragraphs",
    "table_reading",
    "use_cjk_font",
    "write_conflicts",
    "write_screening_sheet",
]
