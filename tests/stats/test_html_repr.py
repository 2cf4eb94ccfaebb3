"""A notebook shows a fitted ITS model, a batch of fits and an agreement report as the
table their ``summary()`` prints (a review of the Python API for Jupyter, session 33):
the caption is the summary's title, the cells its words, every value escaped."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.html_repr_check import check_html_repr
from tests.stats.test_reprs_and_inputs import monthly_units

from ihms.stats import (
    ITSModel,
    aggregate_periods,
    agreement_report,
    annual_growth,
    chi2_independence,
    cohens_kappa,
    comparable_growth,
    cumulative_growth,
    fit_its_batch,
    fleiss_kappa,
    growth_series,
    growth_table,
    gwet_ac1,
    krippendorff_alpha,
    krippendorff_alpha_bootstrap,
    pabak,
    ratio_to_moving_average,
    trend_test,
)
from ihms.stats.its_batch_effects import its_batch_effects


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


def _its_model():
    return ITSModel(monthly_units("a"), outcome="visits", time="month", interruptions="2017-01")


def _seasonal():
    months = pd.period_range("2016-02", periods=36, freq="M")
    visits = [100.0 + (10 if m.month == 2 else 0) + m.month / 10 for m in months]
    return ratio_to_moving_average(pd.Series(visits, index=months))


_KAPPA_DATA = [[1, 1], [2, 2], [3, 3], [1, 2], [2, 2], [3, 3], [1, 1], [2, 3]]
_YEARS = pd.DataFrame({"year": [2019, 2020, 2021], "value": [1015.4, 1067.8, 1124.2]})

# every other stats result with a summary, built as its docstring example builds it
_RESULTS = {
    "GrowthResult": lambda: annual_growth(1.04, 1.63, start_year=2016, end_year=2018),
    "GrowthTable": lambda: growth_table(_YEARS),
    "GrowthSeries": lambda: growth_series(_YEARS),
    "CumulativeGrowth": lambda: cumulative_growth(
        pd.DataFrame(
            {
                "quarter": ["2018Q1", "2018Q2", "2019Q1", "2019Q2"],
                "value": [7815, 14063, 8493, 15294],
            }
        ),
        frequency="quarter",
        given="cumulative",
    ),
    "ComparableGrowth": lambda: comparable_growth(
        pd.DataFrame({"year": [2016, 2017], "value": [23821, 25974], "cpi": [102.0, 101.6]}),
        price_col="cpi",
    ),
    "AggregatedSeries": lambda: aggregate_periods(
        pd.DataFrame(
            {"month": ["2019-01", "2019-02", "2019-03", "2019-04"], "visits": [310, 280, 330, 300]}
        ),
        to="quarter",
        value_col="visits",
    ),
    "ChanceAgreementResult": lambda: gwet_ac1(_KAPPA_DATA),
    "CohenKappaResult": lambda: cohens_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]),
    "PabakResult": lambda: pabak([1, 1, 1, 1, 0], [1, 1, 1, 0, 0], categories=(1, 0)),
    "FleissKappaResult": lambda: fleiss_kappa([["a", "a", "a"], ["a", "b", "b"], ["b", "b", "b"]]),
    "KrippendorffAlphaResult": lambda: krippendorff_alpha(_KAPPA_DATA),
    "AlphaBootstrap": lambda: krippendorff_alpha_bootstrap(_KAPPA_DATA, n_boot=50, seed=1),
    "ChiSquareResult": lambda: chi2_independence([83, 90, 129, 70], [86, 93, 136, 82]),
    "TrendTestResult": lambda: trend_test([83, 90, 129, 70], [86, 93, 136, 82]),
    "SeasonalAdjustment": _seasonal,
    "BreuschGodfreyTest": lambda: _its_model().lag_tests(max_lag=3),
    "CumbyHuizingaTest": lambda: _its_model().actest(lags=3),
    "ITSBatchEffects": lambda: its_batch_effects(
        monthly_units(),
        outcomes="visits",
        time="month",
        series="unit",
        interruptions="2017-01",
    ),
}


@pytest.mark.parametrize("name", sorted(_RESULTS))
def test_every_stats_result_shows_its_summary_table(name):
    result = _RESULTS[name]()
    assert type(result).__name__ == name
    check_html_repr(result)
