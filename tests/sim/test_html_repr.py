"""A notebook shows a simulation run as its per-year summary table (a review of the
Python API for Jupyter, session 33)."""

from __future__ import annotations

from tests.html_repr_check import check_html_repr


def test_a_simulation_run_shows_its_summary_table(small_run):
    page = check_html_repr(small_run)
    assert page.caption.startswith("Simulated county")
    years = [str(y) for y in small_run.summary().frame.index]
    assert [c for c in page.cells if c in years] == years
    check_html_repr(small_run.accounts[0])
