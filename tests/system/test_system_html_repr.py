"""A notebook shows a system's coverage and its cooperation chain as their summary tables
(a review of the Python API for Jupyter, session 33)."""

from __future__ import annotations

from pathlib import Path

from tests.html_repr_check import check_html_repr
from tests.system.test_cooperation import COUNTY

from ihms.system import cooperation_chain, coverage, load_system, parse_system

YOUXI = Path(__file__).resolve().parents[2] / "examples" / "youxi.yaml"


def test_coverage_shows_its_summary_table():
    cov = coverage(load_system(YOUXI), year=2019)  # as test_coverage's Youxi
    page = check_html_repr(cov)
    assert "363,000" in " ".join(page.cells)  # Youxi's population, fully covered


def test_a_cooperation_chain_shows_its_summary_table():
    chain = cooperation_chain(parse_system(COUNTY))  # test_cooperation's county
    check_html_repr(chain)
