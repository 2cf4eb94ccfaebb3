"""A notebook shows computed indicators as their summary table (a review of the Python
API for Jupyter, session 33): the same rows and figures as the text, small cells
hidden as the text hides them."""

from __future__ import annotations

from tests.html_repr_check import check_html_repr

from ihms.indicators import compute


def test_indicator_results_show_their_summary_table(tiny_dataset):
    r = compute(
        tiny_dataset,
        indicators=["hospitalizations", "hospitalization_rate"],
        level="county",
        period="year",
    )
    page = check_html_repr(r)
    assert page.caption == "Indicators"
    assert page.cells.count("hospitalization_rate") == len(
        r.select(indicators="hospitalization_rate")
    )
    check_html_repr(r.suppress(5))
