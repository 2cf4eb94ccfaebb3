"""A notebook shows a coder's cross-validated evaluation as its summary table (a review
of the Python API for Jupyter, session 33), the kappa in the caption."""

from __future__ import annotations

import pytest
from tests.html_repr_check import check_html_repr
from tests.policy.autocode.test_apply import _applied

from ihms.policy.autocode import (
    KeywordCoder,
    LearnedCoder,
    evaluate_coder,
    evaluate_on_project,
    learning_curve,
    rules_from_keywords,
    suggest,
    train_coder,
)


def test_a_coder_evaluation_shows_its_summary_table(segments, labels):
    ev = evaluate_coder(LearnedCoder(calibration=None), segments, labels, n_splits=2)
    page = check_html_repr(ev)
    assert f"kappa = {ev.kappa:.3f}" in page.caption
    assert set(map(str, ev.per_category.index)) <= set(page.cells)


# every other autocode result, built as tests/policy/autocode/test_public_api.py builds
# them (AppliedCodes as test_apply.py, ProjectEvaluation as test_project.py)
_CHEAP = LearnedCoder(calibration=None)
_RESULTS = {
    "TrainedCoder": lambda s, y, project: train_coder(
        s, y, codebook_version="v1", dimension="tools"
    ),
    "MachineCoding": lambda s, y, project: train_coder(
        s, y, codebook_version="v1", dimension="tools"
    ).code(s, min_probability=0.5),
    "RuleCoding": lambda s, y, project: (
        KeywordCoder(rules_from_keywords({"资金支持": ["资金"]})).fit().code(s)
    ),
    "LearningCurve": lambda s, y, project: learning_curve(_CHEAP, s, y, sizes=[40, 80], n_splits=2),
    "Suggestion": lambda s, y, project: suggest(
        _CHEAP, s, [v if i < 60 else None for i, v in enumerate(y)], n=5
    ),
    "CoverageCurve": lambda s, y, project: evaluate_coder(
        LearnedCoder(), s, y, n_splits=2, probabilities=True
    ).coverage(),
    "ProjectEvaluation": lambda s, y, project: evaluate_on_project(
        project(), "stakeholders", n_splits=3
    ),
    "AppliedCodes": lambda s, y, project: _applied(),
}


@pytest.mark.parametrize("name", sorted(_RESULTS))
def test_every_autocode_result_shows_its_summary_table(name, segments, labels, request):
    def project():  # the example project, built only for the result that needs it
        return request.getfixturevalue("coded_project")

    result = _RESULTS[name](segments, labels, project)
    assert type(result).__name__ == name
    check_html_repr(result)
