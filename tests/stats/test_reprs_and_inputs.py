"""What a user sees of the stats package at a prompt: short reprs, and inputs left as
they were given (a model never modifies the caller's data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.stats import (
    ITSModel,
    chi2_independence,
    fit_its_batch,
    ratio_to_moving_average,
    trend_test,
)


def monthly_units(units: str = "abc", months: int = 48, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stamps = pd.period_range("2015-01", periods=months, freq="M").astype(str)
    season = 10 * np.sin(np.arange(months) * 2 * np.pi / 12)
    return pd.concat(
        [
            pd.DataFrame(
                {"unit": u, "month": stamps, "visits": 100 + season + rng.normal(0, 1, months)}
            )
            for u in units
        ],
        ignore_index=True,
    )


def test_a_fitted_model_reprs_in_one_line_not_its_design_matrix():
    data = monthly_units()
    model = ITSModel(
        data, outcome="visits", time="month", interruptions="2017-01", group="unit",
        treated="a", seasonal=True,
    )  # fmt: skip
    res = model.fit(lags=1)
    text = repr(res)
    # before: the dataclass repr printed the design matrix and every series, ~25,000
    # characters over ~500 lines for these 144 rows
    assert "\n" not in text and len(text) < 200
    assert "outcome='visits'" in text and "n=144" in text and "lags=1" in text
    assert "controls=2" in text and "treated='a'" in text
    assert repr(model).startswith("<ITSModel: outcome='visits'")
    assert "object at 0x" not in repr(model)
    assert "\n" not in repr(res.seasonal["a"]) and "n=48" in repr(res.seasonal["a"])


def test_a_batch_fit_reprs_in_one_line():
    many = pd.concat(
        [monthly_units(seed=s).assign(unit=lambda f, s=s: f["unit"] + str(s)) for s in range(10)]
    )
    res = fit_its_batch(
        many, outcome="visits", time="month", series="unit", interruptions="2017-01"
    )
    text = repr(res)
    assert "\n" not in text and "series=30" in text and "n_per_series=48" in text


def test_models_leave_the_callers_frame_and_series_as_given():
    data = monthly_units().sample(frac=1.0, random_state=1)  # unsorted, on purpose
    before = data.copy()
    ITSModel(
        data, outcome="visits", time="month", interruptions="2017-01", group="unit",
        treated="a", seasonal=True,
    ).fit(lags=1)  # fmt: skip
    fit_its_batch(
        data, outcome="visits", time="month", series="unit", interruptions="2017-01",
        seasonal=True,
    )  # fmt: skip
    pd.testing.assert_frame_equal(data, before)

    series = data[data["unit"] == "b"].set_index("month")["visits"]
    series_before = series.copy()
    ratio_to_moving_average(series)
    pd.testing.assert_series_equal(series, series_before)


@pytest.mark.parametrize("test", [trend_test, chi2_independence])
def test_trend_tests_leave_pandas_inputs_as_given(test):
    events = pd.Series([12, 20, 31], index=["2016", "2017", "2018"])
    totals = pd.Series([100, 100, 100], index=["2016", "2017", "2018"])
    e0, t0 = events.copy(), totals.copy()
    test(events, totals)
    pd.testing.assert_series_equal(events, e0)
    pd.testing.assert_series_equal(totals, t0)


def test_agreement_trend_and_growth_results_repr_in_one_line():
    from ihms.stats import (
        BreuschGodfreyTest,
        agreement_report,
        cohens_kappa_from_table,
        fleiss_kappa_from_counts,
        growth_table,
        krippendorff_alpha,
    )

    # Cohen: 2 × 2 table with 40 + 40 agreements of 100: p_o = 0.8, p_e = 0.5, kappa 0.6
    cohen = cohens_kappa_from_table([[40, 10], [10, 40]])
    fleiss = fleiss_kappa_from_counts([[3, 0], [0, 3], [2, 1], [1, 2]])
    alpha = krippendorff_alpha([[1, 1, 2, 2], [1, 1, 2, 1]])
    codings = pd.DataFrame(
        {
            "unit": [1, 2, 3, 1, 2, 3],
            "coder": ["a", "a", "a", "b", "b", "b"],
            "code": ["x", "y", "x", "x", "y", "y"],
        }
    )
    report = agreement_report(codings)
    trend = trend_test([10, 20, 30], [100, 100, 100])
    growth = growth_table(
        pd.DataFrame({"year": [2015, 2019, 2015, 2019], "value": [1.0, 2.0, 3.0, 4.0],
                      "indicator": ["a", "a", "b", "b"]}),
        indicator_col="indicator",
    )  # fmt: skip
    bg = BreuschGodfreyTest(pd.DataFrame({"lag": range(1, 13)}), 0.05, 2, True)
    shown = [repr(r) for r in (cohen, fleiss, alpha, report, trend, growth, bg)]
    # before: each printed its tables and arrays (e.g. the coincidence matrix, every
    # category row of an agreement report): up to ~2,000 characters each
    for text in shown:
        assert "\n" not in text and len(text) < 200
    ci = (round(cohen.ci_low, 4), round(cohen.ci_high, 4))
    assert shown[0] == f"<CohenKappaResult: kappa=0.6, ci={ci}, n_units=100, weights='none'>"
    assert shown[1].startswith("<FleissKappaResult: kappa=") and "n_units=4, n_coders=3" in shown[1]
    assert shown[2].startswith("<KrippendorffAlphaResult: alpha=") and "level='nominal'" in shown[2]
    assert shown[3].startswith("<AgreementReport: coders=('a', 'b'), dimensions=1")
    assert shown[4].startswith("<TrendTestResult: chi2=") and "groups=3, n=300" in shown[4]
    assert shown[5] == "<GrowthTable: indicators=2, start_year=2015, end_year=2019>"
    assert shown[6] == "<BreuschGodfreyTest: orders=12, alpha=0.05, suggested_lag=2>"


def test_arguments_of_the_wrong_kind_are_named_not_iterated():
    # a user walk (session 32): a file name was iterated as its letters ("events:
    # expected numbers, got ['e', 'x', ...]"); None gave a raw TypeError
    from ihms.errors import InputError
    from ihms.stats import cohens_kappa

    with pytest.raises(InputError, match="parameter 'events': expected a sequence of numbers"):
        trend_test("examples/series/smokers.csv", None)
    with pytest.raises(InputError, match="parameter 'coder_a': expected a sequence of codes"):
        cohens_kappa(None, None)
    with pytest.raises(InputError, match=r"parameter 'coder_a': .*got str 'aabb'"):
        cohens_kappa("aabb", "abbb")
    three = pd.DataFrame({"a": list("aabb"), "b": list("abbb"), "c": list("abbb")})
    with pytest.raises(InputError, match=r"exactly 2 columns.*got DataFrame of 3 columns"):
        cohens_kappa(three)


def test_a_two_column_table_is_two_coders_as_the_other_agreement_functions_take():
    from ihms.stats import cohens_kappa, pabak

    table = pd.DataFrame({"a": ["a", "a", "b", "b"], "b": ["a", "b", "b", "b"]})
    # the docstring example of cohens_kappa: kappa 0.5 from the two lists
    assert cohens_kappa(table).kappa == cohens_kappa(table["a"], table["b"]).kappa == 0.5
    codes = pd.DataFrame({"a": [1, 1, 1, 1, 0], "b": [1, 1, 1, 0, 0]})
    assert round(pabak(codes, categories=(1, 0)).pabak, 2) == 0.6  # pabak's docstring example
