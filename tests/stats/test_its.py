"""ITS as Stata's itsa: golden numbers printed by Stata, cross-checks with statsmodels,
a worked Newey-West example, and the invariants of the design."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.stats import ITSModel

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "cigsales.csv"


def cigsales(*, stata_float: bool = True) -> pd.DataFrame:
    df = pd.read_csv(GOLDEN)
    if stata_float:
        # Stata keeps cigsale as a 4-byte float; regress works on those values in double.
        df["cigsale"] = df["cigsale"].astype(np.float32).astype(np.float64)
    return df


def cig(**kwargs) -> ITSModel:
    """Linden's cigsales example: California (state 3) from 1989, as ITSModel options."""
    options = {
        "outcome": "cigsale",
        "time": "year",
        "interruptions": 1989,
        "group": "state",
        "treated": 3,
    }
    options.update(kwargs)
    return ITSModel(cigsales(), **options)


def assert_printed(value: float, printed: str) -> None:
    """``value`` shows as ``printed`` when rounded to the printed number of decimals."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    assert abs(value - float(printed)) <= 0.5 * 10**-decimals + 1e-12, (value, printed)


@pytest.fixture(scope="module")
def multi_glm():
    return cig().fit(cov_type="glm", lags=1)


@pytest.fixture(scope="module")
def single_newey():
    model = cig(single=True)
    return model.fit(lags=1)


# --- golden: printed by Stata (Linden, power_itsa.sthlp, SSC 2025; see tests/golden) ----


def test_multiple_group_coefficients_match_printed_stata(multi_glm):
    b = multi_glm.params
    assert list(b.index) == [
        "_t",
        "_z",
        "_z_t",
        "_x1989",
        "_x_t1989",
        "_z_x1989",
        "_z_x_t1989",
        "_cons",
    ]
    assert_printed(b["_cons"] + b["_z"], "132.2258")  # tint(132.2258), power_itsa.sthlp
    assert_printed(b["_t"] + b["_z_t"], "-1.779474")  # tpre(-1.779474)
    assert_printed(b["_x1989"] + b["_z_x1989"], "-20.0581")  # tstep(-20.0581)
    assert_printed(b["_cons"], "135.4995")  # cint(135.4995)
    assert_printed(b["_t"], "-.5477701")  # cpre(-.5477701)
    assert_printed(b["_x1989"], "-17.25168")  # cstep(-17.25168)
    assert_printed(b["_z_x1989"], "-2.806417")  # "_z_x = -2.806417"


def test_multiple_group_post_trends_match_printed_stata(multi_glm):
    trend = multi_glm.post_trend["coef"]
    assert_printed(trend[("1989", "treated")], "-3.274126")  # tpost(-3.274126)
    assert_printed(trend[("1989", "controls")], "-1.051279")  # cpost(-1.051279)
    assert trend[("1989", "difference")] == pytest.approx(
        trend[("1989", "treated")] - trend[("1989", "controls")], rel=1e-12
    )


def test_multiple_group_pvalues_match_printed_stata_itsa3(multi_glm):
    # itsa 3.x (glm, vce(hac nwest 1), vfactor(N/df)): "(P = 0.136)" for _z_x_t1989 and
    # "(P = 0.631)" for _z_x1989, power_itsa.sthlp, multiple-group examples 1 and 2.
    assert_printed(multi_glm.pvalues["_z_x_t1989"], "0.136")
    assert_printed(multi_glm.pvalues["_z_x1989"], "0.631")
    assert multi_glm.dist == "normal"


def test_single_group_matches_printed_stata(single_newey):
    b = single_newey.params
    assert list(b.index) == ["_t", "_x1989", "_x_t1989", "_cons"]
    assert_printed(b["_cons"], "132.2258")  # tint, power_itsa.sthlp
    assert_printed(b["_t"], "-1.779474")  # tpre
    assert_printed(b["_x1989"], "-20.0581")  # tstep
    assert_printed(single_newey.post_trend.loc[("1989", "treated"), "coef"], "-3.274126")


def test_single_group_counterfactual_matches_printed_stata(single_newey):
    # "the counterfactual [i.e. no intervention] of 98.416 ... thus 20.38% decrease in
    # 1989", power_itsa.sthlp, multiple-group example 2.
    row = single_newey.effect(at=1989).iloc[0]
    assert_printed(row["counterfactual"], "98.416")
    assert_printed(100 * row["relative_effect"], "-20.38")
    assert row["effect"] == pytest.approx(single_newey.params["_x1989"], rel=1e-12)


def test_cli_precision_data_give_the_same_printed_digits():
    # The CSV as published (one decimal, read as double) shows the same digits.
    res = ITSModel(
        cigsales(stata_float=False),
        outcome="cigsale",
        time="year",
        interruptions=1989,
        group="state",
        treated=3,
    ).fit(cov_type="glm", lags=1)
    assert_printed(res.params["_z_x1989"], "-2.806417")
    assert_printed(res.pvalues["_z_x_t1989"], "0.136")


# --- cross-checks: statsmodels computes the same documented estimators ---------------


@pytest.mark.parametrize("lags", [0, 1, 2, 4])
def test_single_group_newey_equals_statsmodels_hac(lags):
    res = cig(interruptions=[1982, 1989], single=True).fit(lags=lags)
    d = res.design
    ref = sm.OLS(d.y, d.X).fit(
        cov_type="HAC", use_t=True, cov_kwds={"maxlags": lags, "use_correction": True}
    )
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)
    np.testing.assert_allclose(res.pvalues.to_numpy(), ref.pvalues, rtol=1e-8)
    assert res.df_resid == ref.df_resid == 31 - 6


@pytest.mark.parametrize(
    ("cov_type", "lags", "sm_cov", "kwds"),
    [
        ("newey", 1, "HAC", {"maxlags": 1, "use_correction": True}),
        ("newey", 0, "HC1", {}),
        ("ols", 0, "nonrobust", {}),
    ],
)
def test_header_f_test_equals_statsmodels(cov_type, lags, sm_cov, kwds):
    # newey/regress print "F(3, 27) = ..., Prob > F" above the table: the Wald test that
    # every term but _cons is zero on the fit's covariance, as statsmodels' fvalue.
    res = cig(single=True).fit(cov_type=cov_type, lags=lags)
    d = res.design
    ref = sm.OLS(d.y, d.X).fit(cov_type=sm_cov, use_t=True, cov_kwds=kwds)
    test = res.model_test
    assert test["F"] == pytest.approx(float(np.squeeze(ref.fvalue)), rel=1e-9)
    assert test["p"] == pytest.approx(float(ref.f_pvalue), rel=1e-6, abs=1e-300)
    assert (test["df_num"], test["df_denom"]) == (ref.df_model, ref.df_resid) == (3, 27)
    assert f"F(3, 27) = {test['F']:.2f}" in " ".join(res.summary().to_text().split())
    assert res.to_dict()["model_test"] == test
    assert cig(single=True).fit(cov_type="glm", lags=1).model_test is None


def test_multiple_group_header_f_test_equals_statsmodels_hac_panel():
    res = cig(controls=[4, 8, 19]).fit(lags=1)
    d = res.design
    ref = sm.OLS(d.y, d.X).fit(
        cov_type="hac-panel",
        use_t=True,
        cov_kwds={"groups": d.unit_code, "maxlags": 1, "use_correction": "hac"},
    )
    assert res.model_test["F"] == pytest.approx(float(np.squeeze(ref.fvalue)), rel=1e-9)
    assert res.model_test["df_num"] == 7


@pytest.mark.parametrize("lags", [0, 1, 3])
def test_multiple_group_newey_equals_statsmodels_hac_panel(lags):
    res = cig(controls=[4, 8, 19]).fit(lags=lags)
    d = res.design
    ref = sm.OLS(d.y, d.X).fit(
        cov_type="hac-panel",
        use_t=True,
        cov_kwds={"groups": d.unit_code, "maxlags": lags, "use_correction": "hac"},
    )
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)
    assert res.n == 4 * 31 and res.df_resid == 124 - 8


def test_glm_variant_stacks_lags_across_units():
    model = cig(controls=[4, 8, 19])
    res = model.fit(cov_type="glm", lags=2)
    d = res.design
    ref = sm.OLS(d.y, d.X).fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True})
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)
    np.testing.assert_allclose(res.pvalues.to_numpy(), ref.pvalues, rtol=1e-8, atol=1e-300)
    assert not np.allclose(res.std_errors, model.fit(lags=2).std_errors)


def test_lag_zero_is_hc1_and_ols_is_regress():
    model = cig(single=True)
    d = model.fit().design
    np.testing.assert_allclose(
        model.fit(lags=0).std_errors, sm.OLS(d.y, d.X).fit(cov_type="HC1").bse, rtol=1e-10
    )
    np.testing.assert_allclose(
        model.fit(cov_type="ols").std_errors, sm.OLS(d.y, d.X).fit().bse, rtol=1e-10
    )


def test_newey_west_worked_example_from_stata_formula():
    # [TS] newey, Methods and formulas, for lag 1, n = 6, k = 4 (_t, _x3, _x_t3, _cons):
    # X'OmegaX = n/(n-k) [sum e_t^2 x_t x_t' + (1 - 1/2) sum_t e_t e_{t-1}
    #            (x_t x_{t-1}' + x_{t-1} x_t')],  V = (X'X)^-1 X'OmegaX (X'X)^-1.
    y = np.array([3.0, 5.0, 4.0, 9.0, 8.0, 12.0])
    df = pd.DataFrame({"t": np.arange(1, 7), "y": y})
    res = ITSModel(df, outcome="y", time="t", interruptions=4).fit(lags=1)
    X = np.array(
        [[0, 0, 0, 1], [1, 0, 0, 1], [2, 0, 0, 1], [3, 1, 0, 1], [4, 1, 1, 1], [5, 1, 2, 1]],
        dtype=float,
    )
    np.testing.assert_array_equal(res.design.X, X)
    b = np.linalg.solve(X.T @ X, X.T @ y)
    e = y - X @ b
    meat = np.zeros((4, 4))
    for t in range(6):
        meat += e[t] ** 2 * np.outer(X[t], X[t])
    for t in range(1, 6):
        meat += 0.5 * e[t] * e[t - 1] * (np.outer(X[t], X[t - 1]) + np.outer(X[t - 1], X[t]))
    meat *= 6 / (6 - 4)
    bread = np.linalg.inv(X.T @ X)
    V = bread @ meat @ bread
    np.testing.assert_allclose(res.params.to_numpy(), b, rtol=1e-12)
    np.testing.assert_allclose(res.cov_params.to_numpy(), V, rtol=1e-10, atol=1e-14)
    # pre-segment: y = 3, 5, 4 -> OLS slope 0.5, intercept 3.5 (by hand).
    assert res.params["_t"] == pytest.approx(0.5)
    assert res.params["_cons"] == pytest.approx(3.5)


# --- Prais-Winsten --------------------------------------------------------------------


def assert_prais_winsten_at(res, rho: float) -> None:
    """``res`` (one series) is OLS of the Prais-Winsten transform at ``rho``: the first
    row scaled by sqrt(1 - rho^2), the others quasi-differenced ([TS] prais, (1), (1'))."""
    d = res.design
    Xs = np.vstack([np.sqrt(1 - rho**2) * d.X[:1], d.X[1:] - rho * d.X[:-1]])
    ys = np.r_[np.sqrt(1 - rho**2) * d.y[:1], d.y[1:] - rho * d.y[:-1]]
    ref = sm.OLS(ys, Xs).fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)


def test_prais_winsten_converges_to_stata_fixed_point():
    model = cig(single=True)
    res = model.fit(cov_type="prais")
    d = res.design
    b = res.params.to_numpy()
    e = d.y - d.X @ b
    # rhotype(regress): rho from e_t = rho e_{t-1} of the untransformed model's residuals
    assert res.rho == pytest.approx(np.sum(e[1:] * e[:-1]) / np.sum(e[:-1] ** 2), abs=1e-5)
    assert_prais_winsten_at(res, res.rho)
    assert res.df_resid == 27
    twostep = model.fit(cov_type="prais", prais_twostep=True)
    assert twostep.rho != pytest.approx(res.rho, abs=1e-6)


def test_prais_winsten_on_panels_restarts_the_transform_in_each_unit():
    res = cig(controls=[4, 8]).fit(cov_type="prais")
    d = res.design
    rho = res.rho
    e = d.y - d.X @ res.params.to_numpy()
    same = d.unit_code[1:] == d.unit_code[:-1]
    # rho is pooled over the units; pairs never straddle two units
    pooled = np.sum((e[1:] * e[:-1])[same]) / np.sum((e[:-1] ** 2)[same])
    assert rho == pytest.approx(pooled, abs=1e-5)
    first = np.r_[True, ~same]
    Xs = d.X - rho * np.vstack([np.zeros((1, d.k)), d.X[:-1]])
    ys = d.y - rho * np.r_[0.0, d.y[:-1]]
    Xs[first] = np.sqrt(1 - rho**2) * d.X[first]
    ys[first] = np.sqrt(1 - rho**2) * d.y[first]
    ref = sm.OLS(ys, Xs).fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)


def test_prais_rejects_lags():
    model = cig(single=True)
    with pytest.raises(ValueError, match="takes no lags"):
        model.fit(cov_type="prais", lags=1)


# --- design: names, monthly dates, several interruptions ------------------------------


def monthly_frame(start: str = "2016-02", periods: int = 46, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=periods, freq="M")
    t = np.arange(periods)
    y = 100 + 2 * t - 10 * (t >= 20) - 1.5 * np.clip(t - 20, 0, None) + rng.normal(0, 1, periods)
    return pd.DataFrame({"month": months.astype(str), "y": y})


@pytest.mark.parametrize(
    "given_as", ["2017-10", "2017m10", pd.Period("2017-10", freq="M"), pd.Timestamp("2017-10-01")]
)
def test_monthly_terms_are_named_as_stata_tm(given_as):
    res = ITSModel(monthly_frame(), outcome="y", time="month", interruptions=given_as).fit()
    assert list(res.params.index) == ["_t", "_x2017m10", "_x_t2017m10", "_cons"]
    X = res.design.X
    assert X[0, 0] == 0 and X[-1, 0] == 45  # _t starts at 0
    assert X[19, 1] == 0 and X[20, 1] == 1  # Oct 2017 is month 21 of Feb 2016 - Nov 2019
    assert X[20, 2] == 0 and X[21, 2] == 1


def test_january_interruption_label_and_datetime_column():
    df = monthly_frame()
    df["month"] = pd.PeriodIndex(df["month"], freq="M").to_timestamp()
    res = ITSModel(df, outcome="y", time="month", interruptions="2018-01").fit()
    assert "_x2018m1" in res.params.index


def test_multiple_interruptions_and_post_trends_are_lincoms():
    res = cig(interruptions=[1989, 1982], controls=[4, 8, 19]).fit(lags=1)
    assert list(res.params.index) == [
        "_t",
        "_z",
        "_z_t",
        "_x1982",
        "_x_t1982",
        "_z_x1982",
        "_z_x_t1982",
        "_x1989",
        "_x_t1989",
        "_z_x1989",
        "_z_x_t1989",
        "_cons",
    ]
    b, V = res.params, res.cov_params
    terms = ["_t", "_z_t", "_x_t1982", "_z_x_t1982", "_x_t1989", "_z_x_t1989"]
    c = pd.Series(0.0, index=b.index)
    c[terms] = 1.0
    row = res.post_trend.loc[("1989", "treated")]
    assert row["coef"] == pytest.approx(float(c @ b), rel=1e-12)
    assert row["std_error"] == pytest.approx(float(np.sqrt(c @ V @ c)), rel=1e-12)
    diff = res.post_trend.loc[("1982", "difference"), "coef"]
    assert diff == pytest.approx(b["_z_t"] + b["_z_x_t1982"], rel=1e-12)


def test_fitted_counterfactual_and_effect_relative_to_controls():
    res = cig().fit(lags=1)
    b = res.params
    cf = res.counterfactual.set_index("time")
    assert cf.loc["1995", "counterfactual"] == pytest.approx(
        b["_cons"] + b["_z"] + 25 * (b["_t"] + b["_z_t"]), rel=1e-12
    )
    did = res.effect(at=["1995"], relative_to="controls").iloc[0]
    assert did["effect"] == pytest.approx(b["_z_x1989"] + 6 * b["_z_x_t1989"], rel=1e-12)
    c = pd.Series(0.0, index=b.index)
    c[["_z_x1989", "_z_x_t1989"]] = [1.0, 6.0]
    assert did["std_error"] == pytest.approx(np.sqrt(c @ res.cov_params @ c), rel=1e-12)
    assert len(res.effect()) == 12  # 1989..2000
    assert len(res.fitted) == 39 * 31


def test_summary_and_to_dict_use_stata_names(single_newey):
    text = single_newey.summary().to_text()
    assert "_x_t1989" in text and "Newey-West" in text and "lag 1" in text
    out = single_newey.to_dict()
    assert set(out["params"]["_t"]) == {"coef", "std_error", "t", "p", "ci_low", "ci_high"}
    assert out["n"] == 31 and out["df_resid"] == 27 and out["lags"] == 1
    assert set(out["post_trend"]["1989"]) == {"treated"}
    ci = single_newey.conf_int(0.90)
    assert (ci["ci_low"] < single_newey.params).all()


def test_tables_say_the_interval_level_and_z_for_normal_tests():
    # Stata heads the interval "[90% Conf. Interval]" and glm's tests "z"; the tables
    # had "ci_low"/"t" whatever the level and distribution.
    res = cig(single=True).fit(cov_type="glm", lags=1, confidence=0.90)
    for table in (res.summary().to_frame(), res.post_trend_summary().to_frame()):
        assert {"z", "90% CI low", "90% CI high"} <= set(table.columns)
        assert not {"t", "ci_low", "ci_high"} & set(table.columns)
    newey = cig(single=True).fit(lags=1, confidence=0.975).summary().to_frame()
    assert {"t", "97.5% CI low", "97.5% CI high"} <= set(newey.columns)
    assert set(res.to_dict()["params"]["_t"]) == {
        "coef",
        "std_error",
        "t",
        "p",
        "ci_low",
        "ci_high",
    }


def test_lags_auto_uses_breusch_godfrey():
    model = cig(single=True)
    res = model.fit(lags="auto")
    assert res.lags == model.lag_tests().suggested_lag


# --- invariants -----------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_permuting_rows_and_units_changes_nothing(seed):
    rng = np.random.default_rng(seed)
    base = cigsales()
    subset = base[base["state"].isin([3, 4, 8, 19, 21])]
    shuffled = subset.iloc[rng.permutation(len(subset))]
    before = shuffled.copy()
    kwargs = {
        "outcome": "cigsale",
        "time": "year",
        "interruptions": 1989,
        "group": "state",
        "treated": 3,
    }
    a = ITSModel(subset, **kwargs).fit(lags=1)
    b = ITSModel(shuffled, **kwargs).fit(lags=1)
    pd.testing.assert_frame_equal(shuffled, before)  # the caller's frame is untouched
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10)
    np.testing.assert_allclose(a.std_errors, b.std_errors, rtol=1e-10)
    pd.testing.assert_frame_equal(a.post_trend, b.post_trend, rtol=1e-9)


def test_a_quarterly_series_is_seasonally_adjusted_by_quarter():
    # the fit equals OLS (statsmodels) of y / the indices of seasonal_decompose(period=4)'s
    # ratios y / trend, each quarter's mean, leaving out the ratios whose centred 2x4
    # moving average straddles the interruption (positions 8-11 around 2017Q3 = 10)
    import statsmodels.api as sm
    from statsmodels.tsa.seasonal import seasonal_decompose

    rng = np.random.default_rng(8)
    quarters = pd.period_range("2015Q1", periods=20, freq="Q")
    t = np.arange(20)
    y = (5000 + 40 * t - 300 * (t >= 10)) * np.array([0.85, 1.0, 1.1, 1.05])[t % 4]
    y = y * rng.lognormal(0, 0.02, 20)
    frame = pd.DataFrame({"q": [str(q) for q in quarters], "y": y})
    res = ITSModel(frame, outcome="y", time="q", interruptions="2017Q3", seasonal=True).fit()
    ratios = y / seasonal_decompose(y, model="multiplicative", period=4).trend
    ratios[8:12] = np.nan
    raw = np.array([np.nanmean(ratios[t % 4 == q]) for q in range(4)])
    s = (raw / raw.mean())[t % 4]
    post = (t >= 10).astype(float)
    X = np.column_stack([t, post, post * (t - 10), np.ones(20)])
    ref = sm.OLS(y / s, X).fit()
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-10)
    assert res.to_dict()["seasonal_indices"]["treated"][1] == pytest.approx(s[0], rel=1e-12)
    assert res.seasonal[None].left_out == 4
    # the SEs are the fit's of the adjusted series (ref above): the note says so
    ols = ITSModel(frame, outcome="y", time="q", interruptions="2017Q3", seasonal=True)
    np.testing.assert_allclose(ols.fit(cov_type="ols").std_errors.to_numpy(), ref.bse, rtol=1e-8)
    assert any("take the seasonal indices as known" in n for n in res.summary().notes)
