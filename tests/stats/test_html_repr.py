"""A notebook shows a fitted ITS model, a batch of fits and an agreement report as the
table their ``summary()`` prints (a review of the Python API for Jupyter, session 33):
the caption is the summary's title, the cells its words, every value escaped."""

from __future__ import annotations

import pandas as pd
from tests.html_repr_check import check_html_repr
from tests.stats.test_reprs_and_inputs import monthly_units

from ihms.stats import ITSModel, agreement_report, fit_its_batch


def test_an_its_fit_and_a_batch_show_their_summary_tables():
    model = ITSModel(
        monthly_units(), outcome="visits", time="month", interruptions="2017-01",
        group="unit", treated="a",
    )  # fmt: skip
    res = model.fit(lags=1)
    page = check_html_repr(res)
    assert [c for c in page.cells if c in set(res.params.index)] == list(res.params.index)
    assert f"{res.params['_x2017m1']:.4f}" in page.cells  # the level change, as printed
    assert "&lt;0.001" in res._repr_html_() and "<0.001" in page.cells  # _cons's p
    batch = fit_its_batch(
        monthly_units(), outcome="visits", time="month", series="unit",
        interruptions="2017-01",
    )  # fmt: skip
    check_html_repr(batch)


def test_an_agreement_report_shows_a_category_named_as_markup_literally():
    a = ["<b>", "<b>", "y & z", "y & z", "<b>", "y & z", "<b>", "<b>"]
    b = ["<b>", "y & z", "y & z", "y & z", "<b>", "y & z", "<b>", "y & z"]
    codings = pd.DataFrame(
        [
            {"segment": f"s{i}", "coder": coder, "dimension": "tools", "code": code}
            for coder, codes in (("A", a), ("B", b))
            for i, code in enumerate(codes)
        ]
    )
    report = agreement_report(codings, unit="segment", dimension="dimension")
    page = check_html_repr(report)
    html = report._repr_html_()
    assert "<b>" not in html and "&lt;b&gt;" in html and "y &amp; z" in html
    assert "b" not in page.tags  # the category is text, never a tag
    assert {"<b>", "y & z"} <= {c.strip() for c in page.cells}
