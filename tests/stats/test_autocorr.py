"""Breusch-Godfrey tests as Stata's estat bgodfrey (zero-padded lags, N R^2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_breusch_godfrey

from ihms.errors import InputError
from ihms.stats import ITSModel, breusch_godfrey


def ar1_frame(rho: float, n: int = 60, seed: int = 11, order: int = 1) -> pd.DataFrame:
    """Noise correlated at lag ``order`` only, interruption halfway."""
    rng = np.random.default_rng(seed)
    u = np.zeros(n)
    for t in range(order, n):
        u[t] = rho * u[t - order] + rng.normal()
    t = np.arange(n)
    return pd.DataFrame({"t": t, "y": 50 + 0.3 * t - 4 * (t >= n // 2) + u})


@pytest.mark.parametrize("rho", [0.0, 0.6])
def test_matches_statsmodels_breusch_godfrey(rho):
    model = ITSModel(ar1_frame(rho), outcome="y", time="t", interruptions=30)
    tests = model.lag_tests(max_lag=6)
    d = model.fit().design
    ols = sm.OLS(d.y, d.X).fit()
    for p in range(1, 7):
        ref = acorr_breusch_godfrey(ols, nlags=p, result_object=True)
        row = tests.table.loc[p]
        assert row["chi2"] == pytest.approx(ref.lm, rel=1e-9)
        assert row["p"] == pytest.approx(ref.lmpval, rel=1e-8)
        assert row["nobs"] == 60


def test_lag_coefficient_test_is_the_auxiliary_regression_t_test():
    model = ITSModel(ar1_frame(0.6), outcome="y", time="t", interruptions=30)
    d = model.fit().design
    e = sm.OLS(d.y, d.X).fit().resid
    lag1, lag2 = np.r_[0.0, e[:-1]], np.r_[0.0, 0.0, e[:-2]]
    aux = sm.OLS(e, np.column_stack([d.X, lag1, lag2])).fit()
    row = model.lag_tests(max_lag=2).table.loc[2]
    assert row["lag_coef"] == pytest.approx(aux.params[-1], rel=1e-9)
    assert row["lag_p"] == pytest.approx(aux.pvalues[-1], rel=1e-8)


def ar2_frame(seed: int = 0) -> pd.DataFrame:
    """Noise correlated at lag 2 only (a quarterly series' half-year echo)."""
    return ar1_frame(-0.7, n=40, seed=seed, order=2)


def own_lag_p_values(model: ITSModel, max_lag: int) -> list[float]:
    """Each order's own-lag p-value from statsmodels' OLS of the zero-padded auxiliary
    regression (the reference for the table's lag_p)."""
    d = model.fit().design
    e = sm.OLS(d.y, d.X).fit().resid
    lags = [np.r_[np.zeros(p), e[:-p]] for p in range(1, max_lag + 1)]
    return [
        float(sm.OLS(e, np.column_stack([d.X, *lags[:p]])).fit().pvalues[-1])
        for p in range(1, max_lag + 1)
    ]


def test_suggested_lag_reaches_a_strong_order_above_a_quiet_one():
    # our rule (not Linden's): the larger of the stepwise order and the highest order
    # with own-lag p < alpha/max_lag (Bonferroni).
    # statsmodels (the auxiliary OLS): lag 1 p = 0.83, lag 2 p < 0.001, lags 3-4 > 0.3,
    # so the suggestion is 2; reading upward from lag 1 stopped at 0.
    model = ITSModel(ar2_frame(), outcome="y", time="t", interruptions=20)
    ref = own_lag_p_values(model, 4)
    assert ref[0] > 0.05 and ref[1] < 0.001 and min(ref[2:]) > 0.05
    tests = model.lag_tests(max_lag=4)
    assert tests.table["lag_p"].tolist() == pytest.approx(ref, rel=1e-8)
    assert tests.suggested_lag == 2
    assert tests.significant_orders == (2,)
    assert "orders significant: 2" in tests.reason
    quiet = ITSModel(ar1_frame(0.0, seed=5), outcome="y", time="t", interruptions=30)
    assert max(own_lag_p_values(quiet, 6)) > 0.05
    assert quiet.lag_tests(max_lag=6).suggested_lag == 0
    assert "no order of 1-6 significant" in quiet.lag_tests(max_lag=6).reason


def test_a_weak_high_order_does_not_choose_the_lag():
    # seed 3: own-lag p 0.74, <0.001, 0.048, 0.34 (statsmodels): orders 2 and 3 reject at
    # 0.05, but only order 2 is below 0.05/4, so the lag is 2 (the old rule took 3)
    model = ITSModel(ar2_frame(seed=3), outcome="y", time="t", interruptions=20)
    ref = own_lag_p_values(model, 4)
    assert [p < 0.05 for p in ref] == [False, True, True, False]
    tests = model.lag_tests(max_lag=4)
    assert tests.suggested_lag == 2
    assert tests.bonferroni_lag == 2 and tests.stepwise_lag == 0
    assert "orders significant: 2, 3" in tests.reason


def test_lags_auto_says_which_lag_and_why():
    model = ITSModel(ar2_frame(), outcome="y", time="t", interruptions=20)
    res = model.fit(lags="auto", max_lag=4)
    assert res.lags == 2
    note = next(n for n in res.to_dict()["notes"] if "Breusch-Godfrey" in n)
    assert note.startswith("lag 2 chosen by Breusch-Godfrey")
    assert any(n.startswith("lag 2 chosen") for n in res.summary().notes)
    assert not any("chosen" in n for n in model.fit(lags=2).to_dict()["notes"])


def test_panels_start_their_own_lags():
    a = ar1_frame(0.5, seed=1).assign(unit="a")
    b = ar1_frame(0.5, seed=2).assign(unit="b")
    model = ITSModel(
        pd.concat([a, b]), outcome="y", time="t", interruptions=30, group="unit", treated="a"
    )
    d = model.fit().design
    e = sm.OLS(d.y, d.X).fit().resid
    lag1 = np.r_[0.0, e[:-1]]
    lag1[60] = 0.0  # unit b's first period has no lag within b
    aux = sm.OLS(e, np.column_stack([d.X, lag1])).fit()
    assert model.lag_tests(max_lag=1).table.loc[1, "chi2"] == pytest.approx(
        120 * aux.rsquared, rel=1e-9
    )
    dropped = breusch_godfrey(d.X, e, d.unit_code, max_lag=2, zero_pad=False)
    assert dropped.table.loc[2, "nobs"] == 120 - 2 * 2


def test_bad_max_lag():
    model = ITSModel(ar1_frame(0.2, n=12), outcome="y", time="t", interruptions=6)
    with pytest.raises(InputError, match="'max_lag': 12 is too large"):
        model.lag_tests(max_lag=12)
    with pytest.raises(InputError, match="'max_lag': expected an integer >= 1"):
        model.lag_tests(max_lag=0)


def test_lag_t_stays_exact_with_an_ill_conditioned_covariate():
    # a population covariate of 1e6 +- 10 makes X'X's condition number ~1e24, past double
    # precision; the auxiliary regression's t must still match statsmodels' (which solves
    # by pinv of X itself, not X'X)
    rng = np.random.default_rng(3)
    n = 60
    t = np.arange(n, dtype=float)
    pop = 1e6 + rng.uniform(-10, 10, n)
    X = np.column_stack([np.ones(n), t, pop])
    y = 5 + 0.2 * t + 0.01 * (pop - 1e6) + rng.normal(size=n)
    e = sm.OLS(y, X).fit().resid
    lag1, lag2 = np.r_[0.0, e[:-1]], np.r_[0.0, 0.0, e[:-2]]
    aux = sm.OLS(e, np.column_stack([X, lag1, lag2])).fit()
    row = breusch_godfrey(X, e, np.zeros(n, dtype=int), max_lag=2).table.loc[2]
    assert row["lag_t"] == pytest.approx(aux.tvalues[-1], rel=1e-6)
