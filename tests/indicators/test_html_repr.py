"""A notebook shows computed indicators as their summary table (a review of the Python
API for Jupyter, session 33): the same rows and figures as the text, small cells
hidden as the text hides them."""

from __future__ import annotations

from dataclasses import replace

from tests.html_repr_check import Page, check_html_repr
from tests.indicators.test_results import _cells

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


def test_a_long_table_shows_its_first_and_last_rows_as_the_console_does(monkeypatch):
    # 100 units: a notebook showed every row of results of thousands (a page of
    # megabytes); now the console's cap (60 rows: the first and last 20, a row of ⋮)
    monkeypatch.delenv("IHMS_MAX_ROWS", raising=False)
    rows = [("hypertension_control_rate", f"c{i:03d}", i, 200) for i in range(1, 101)]
    r = _cells(rows)
    r = replace(r, frame=r.frame.assign(unit_name=r.frame["unit"]))
    page = Page()
    page.feed(r._repr_html_())
    units = [c for c in page.cells if c.startswith("c") and c[1:].isdigit()]
    assert units == [f"c{i:03d}" for i in (*range(1, 21), *range(81, 101))]
    assert page.cells.count("⋮") == len(r.summary().frame.columns) + 1  # one row of ⋮
    assert "Showing 40 of 100 rows (the first 20 and the last 20)." in page.notes
    assert "c050" in r.summary().to_html()  # a report's table keeps every row
    monkeypatch.setenv("IHMS_MAX_ROWS", "0")  # no cap: every row, as the text
    check_html_repr(r)
