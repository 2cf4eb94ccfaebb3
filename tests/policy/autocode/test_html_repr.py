"""A notebook shows a coder's cross-validated evaluation as its summary table (a review
of the Python API for Jupyter, session 33), the kappa in the caption."""

from __future__ import annotations

from tests.html_repr_check import check_html_repr

from ihms.policy.autocode import LearnedCoder, evaluate_coder


def test_a_coder_evaluation_shows_its_summary_table(segments, labels):
    ev = evaluate_coder(LearnedCoder(calibration=None), segments, labels, n_splits=2)
    page = check_html_repr(ev)
    assert f"kappa = {ev.kappa:.3f}" in page.caption
    assert set(map(str, ev.per_category.index)) <= set(page.cells)
