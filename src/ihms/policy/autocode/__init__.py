"""Machine-assisted coding: keyword-rule and learned auto-coders that propose codes,
grouped-by-document evaluation against human coders, and active learning.

- :mod:`~ihms.policy.autocode.rules` — :class:`KeywordCoder`: AND / OR / NOT rules
  and exclusions per category, every code naming the rule that fired;
- :mod:`~ihms.policy.autocode.features` — :class:`SegmentFeatures`: character
  n-grams, jieba words with a user dictionary, neighbouring sentences, section, position
  and document metadata;
- :mod:`~ihms.policy.autocode.learned` — :class:`LearnedCoder`: a scikit-learn
  classifier (single- or multi-label, class-weighted, calibrated, optionally
  self-training on uncoded segments);
- :mod:`~ihms.policy.autocode.evaluate` — :func:`evaluate_coder` (cross-validation by
  document, per-category precision/recall/F1, machine-vs-human kappa);
  :mod:`~ihms.policy.autocode.curve` — :func:`learning_curve`;
  :mod:`~ihms.policy.autocode.coverage` — :class:`CoverageCurve`: how much the machine
  codes, and at what kappa, when it leaves its unsure segments to people;
- :mod:`~ihms.policy.autocode.active` — :func:`suggest` (uncertainty with diversity)
  and :func:`simulate_active_learning` (active vs random);
- :mod:`~ihms.policy.autocode.trained` — :func:`train_coder`, :class:`TrainedCoder`
  (model id, codebook version, provenance), :func:`load_coder`;
- :mod:`~ihms.policy.autocode.project` — the same inside a coding project: train on
  reconciled codes; :mod:`~ihms.policy.autocode.project_evaluation` — evaluate beside
  the human coders;
- :mod:`~ihms.policy.autocode.apply` — machine codes entering the project as
  ``machine:<model id>`` (or ``machine:rules-<digest>``) with their provenance;
  :mod:`~ihms.policy.autocode.review` — the sheet a person accepts or rejects them on.
"""

from ihms.policy.autocode._scores import best_f1_cut
from ihms.policy.autocode._segments import SegmentBatch, as_segments, parse_codes, section_starts
from ihms.policy.autocode.active import Suggestion, simulate_active_learning, suggest, uncertainty
from ihms.policy.autocode.apply import (
    AppliedCodes,
    apply_rules_to_project,
    apply_to_project,
    rules_model_id,
)
from ihms.policy.autocode.coverage import CoverageCurve, coverage_curve
from ihms.policy.autocode.curve import LearningCurve, learning_curve
from ihms.policy.autocode.evaluate import (
    CoderEvaluation,
    document_copies,
    evaluate_coder,
    machine_human_kappa,
)
from ihms.policy.autocode.features import FeatureBlocks, SegmentFeatures, clean_segment_text
from ihms.policy.autocode.learned import LearnedCoder, TooFewCodesError
from ihms.policy.autocode.project import (
    ProjectCodes,
    codebook_version_of,
    default_coder,
    policy_terms,
    project_codes,
    project_dictionary,
    train_on_project,
)
from ihms.policy.autocode.project_evaluation import ProjectEvaluation, evaluate_on_project
from ihms.policy.autocode.review import read_review_sheet, review_from_sheet, review_sheet
from ihms.policy.autocode.rules import (
    KeywordCoder,
    KeywordRule,
    RuleCoding,
    RuleSet,
    rules_for_dimension,
    rules_from_codebook,
    rules_from_keywords,
    rules_from_mapping,
)
from ihms.policy.autocode.table import SegmentTable, read_segment_table
from ihms.policy.autocode.trained import (
    MachineCoding,
    TrainedCoder,
    load_coder,
    model_id_of,
    train_coder,
)

__all__ = [
    "AppliedCodes",
    "CoderEvaluation",
    "CoverageCurve",
    "FeatureBlocks",
    "KeywordCoder",
    "KeywordRule",
    "LearnedCoder",
    "LearningCurve",
    "MachineCoding",
    "ProjectCodes",
    "ProjectEvaluation",
    "RuleCoding",
    "RuleSet",
    "SegmentBatch",
    "SegmentFeatures",
    "SegmentTable",
    "Suggestion",
    "TooFewCodesError",
    "TrainedCoder",
    "apply_rules_to_project",
    "apply_to_project",
    "as_segments",
    "best_f1_cut",
    "clean_segment_text",
    "codebook_version_of",
    "coverage_curve",
    "default_coder",
    "document_copies",
    "evaluate_coder",
    "evaluate_on_project",
    "learning_curve",
    "load_coder",
    "machine_human_kappa",
    "model_id_of",
    "parse_codes",
    "policy_terms",
    "project_codes",
    "project_dictionary",
    "read_review_sheet",
    "read_segment_table",
    "review_from_sheet",
    "review_sheet",
    "rules_for_dimension",
    "rules_from_codebook",
    "rules_from_keywords",
    "rules_from_mapping",
    "rules_model_id",
    "section_starts",
    "simulate_active_learning",
    "suggest",
    "train_coder",
    "train_on_project",
    "uncertainty",
]
