"""Breusch-Godfrey tests as Stata's estat bgodfrey (zero-padded lags, N R^2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_breusch_godfrey

from ihms.errors import InputError
from ihms.stats import ITSModel, breusch_godfrey


def ar1_frame(rho: float, n: int = 60, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    u = np.zeros(n)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + rng.normal()
    t = np.arange(n)
    return pd.DataFrame({"t": t, "y": 50 + 0.3 * t - 4 * (t >= 30) + u})


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


def test_suggested_lag_reads_upward_from_lag_one():
    assert (
        ITSModel(ar1_frame(0.8), outcome="y", time="t", interruptions=30)
        .lag_tests(max_lag=6)
        .suggested_lag
        >= 1
    )
    assert (
        ITSModel(ar1_frame(0.0, seed=5), outcome="y", time="t", interruptions=30)
        .lag_tests(max_lag=6)
        .suggested_lag
        == 0
    )


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
