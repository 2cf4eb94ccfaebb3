"""An outcome lying exactly on the ITS lines (a computed series, a clinic's months of
zero admissions): the coefficients are the lines', and nothing is left to estimate a
standard error from. Rounding noise must not pass for residuals: it gave a negative F
(-1.2e43), t statistics of 1e14, a RuntimeWarning from ``sqrt`` of a negative variance,
and Breusch-Godfrey tests that found every lag significant and chose lag 11."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError, StatisticalWarning
from ihms.stats import ITSModel, fit_its_batch


def exact_series() -> pd.DataFrame:
    """1,000 + 20 t before 2023-01; from it a level change of +300 and a slope change of
    +10 a month (the lines themselves are the golden numbers)."""
    t = np.arange(24)
    y = 1000 + 20 * t + (t >= 12) * (300 + 10 * (t - 12))
    months = pd.period_range("2022-01", periods=24, freq="M").astype(str)
    return pd.DataFrame({"month": months, "visits": y.astype(float)})


def model() -> ITSModel:
    return ITSModel(exact_series(), outcome="visits", time="month", interruptions="2023-01")


@pytest.mark.parametrize(("cov_type", "lags"), [("newey", 0), ("newey", 2), ("ols", 0)])
def test_exact_fit_has_zero_standard_errors_and_no_tests(cov_type, lags):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = model().fit(cov_type=cov_type, lags=lags)
    messages = [str(w.message) for w in caught if issubclass(w.category, StatisticalWarning)]
    assert any("exactly" in m for m in messages), messages
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    np.testing.assert_allclose(
        results.params[["_t", "_x2023m1", "_x_t2023m1", "_cons"]], [20, 300, 10, 1000], rtol=1e-9
    )
    np.testing.assert_array_equal(results.std_errors.to_numpy(), 0.0)
    assert results.tvalues.isna().all()
    assert results.pvalues.isna().all()
    assert np.isnan(results.model_test["F"])
    trend = results.post_trend.iloc[0]
    assert trend["coef"] == pytest.approx(30, rel=1e-9)
    assert trend["std_error"] == 0.0
    assert np.isnan(trend["t"])


def test_exact_fit_lag_tests_find_no_autocorrelation_to_test():
    with pytest.warns(StatisticalWarning, match="exactly"):
        tests = model().lag_tests(max_lag=3)
    assert tests.suggested_lag == 0
    assert (tests.table["chi2"] == 0).all()
    with pytest.warns(StatisticalWarning, match="exactly"):
        results = model().fit(lags="auto")
    assert results.lags == 0


def test_batch_names_the_series_fitted_exactly():
    noisy = exact_series().assign(
        visits=lambda f: f["visits"] + np.random.default_rng(3).normal(0, 5, len(f))
    )
    data = pd.concat(
        [exact_series().assign(clinic="VC1"), noisy.assign(clinic="THC1")], ignore_index=True
    )
    with pytest.warns(StatisticalWarning, match="VC1") as record:
        batch = fit_its_batch(
            data, outcome="visits", time="month", series="clinic", interruptions="2023-01"
        )
    assert not any("THC1" in str(w.message) for w in record)
    assert (batch.std_errors.loc["VC1"] == 0).all()
    assert batch.tvalues.loc["VC1"].isna().all()
    assert (batch.std_errors.loc["THC1"] > 0).all()


def test_prais_winsten_on_an_exact_fit_says_there_is_no_autocorrelation_to_estimate():
    # Before: "Prais-Winsten: estimated rho 1.0108 is outside (-1, 1)" — a rho read off
    # rounding noise.
    with pytest.raises(InputError, match="exactly on the fitted lines") as err:
        model().fit(cov_type="prais")
    assert "rho 1.0" not in str(err.value)


def population_series(noise: float = 0.0, offset: float = 0.0) -> pd.DataFrame:
    """The lines of :func:`exact_series` plus 0.5 x a population of 1,000,000 +/- 10 (a
    design with cond(X) near 1e12), a constant 3 (+ ``offset``) and, optionally, noise."""
    rng = np.random.default_rng(17)
    frame = exact_series()
    pop = 1_000_000 + rng.integers(-10, 11, len(frame)).astype(float)
    y = 3 + offset + (frame["visits"] - 1000) + 0.5 * pop + rng.normal(0, noise, len(frame))
    return frame.assign(population=pop, visits=y)


def population_model(frame: pd.DataFrame) -> ITSModel:
    return ITSModel(
        frame, outcome="visits", time="month", interruptions="2023-01", covariates=["population"]
    )


def test_ill_conditioned_covariate_exact_fit_gives_the_generating_coefficients():
    # Before: normal equations gave _cons 2.994, SE 2.47e-08, t 8e7 and F 9e17 — the
    # exact fit was not recognised. Golden: the coefficients the series was built from.
    frame = population_series()
    with pytest.warns(StatisticalWarning, match="exactly"):
        results = population_model(frame).fit(lags=1)
    np.testing.assert_allclose(
        results.params[["_t", "_x2023m1", "_x_t2023m1", "population"]],
        [20, 300, 10, 0.5],
        rtol=1e-9,
    )
    # _cons is 3 against 0.5 x 1e6: the data themselves (rounded to 2.2e-16 x 5e5) fix it
    # only to about 1e-4.
    assert results.params["_cons"] == pytest.approx(3, abs=1e-4)
    np.testing.assert_array_equal(results.std_errors.to_numpy(), 0.0)
    assert np.isnan(results.model_test["F"])


def statsmodels_ols(frame: pd.DataFrame, results) -> tuple[np.ndarray, np.ndarray]:
    """Reference: statsmodels OLS (pinv / QR based) on the same design."""
    sm = pytest.importorskip("statsmodels.api")
    X = results.design.X
    fit = sm.OLS(frame["visits"].to_numpy(), X).fit()
    return fit.params, fit.bse


def test_ill_conditioned_covariate_with_noise_matches_statsmodels():
    frame = population_series(noise=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)
        results = population_model(frame).fit(cov_type="ols")
    params, bse = statsmodels_ols(frame, results)
    np.testing.assert_allclose(results.params.to_numpy(), params, rtol=1e-6)
    np.testing.assert_allclose(results.std_errors.to_numpy(), bse, rtol=1e-6)


def test_large_offset_with_a_real_residual_is_not_taken_for_an_exact_fit():
    # Before: 1e9 + residuals of 0.01 fell under 1e-10 x max|Y| and were zeroed.
    frame = exact_series().assign(
        visits=lambda f: 1e9 + f["visits"] + np.random.default_rng(5).normal(0, 0.01, len(f))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)
        results = ITSModel(frame, outcome="visits", time="month", interruptions="2023-01").fit(
            cov_type="ols"
        )
    params, bse = statsmodels_ols(frame, results)
    assert (results.std_errors > 0).all()
    # 1e9 is stored to 1.2e-7, which bounds what any method can agree on.
    np.testing.assert_allclose(results.params.to_numpy(), params, rtol=0, atol=1e-5)
    # residuals of 0.01 known to 1.2e-7: standard errors agree to about 1e-5
    np.testing.assert_allclose(results.std_errors.to_numpy(), bse, rtol=1e-4)


def test_large_offset_exact_fit_is_still_recognised():
    frame = exact_series().assign(visits=lambda f: 1e9 + f["visits"])
    with pytest.warns(StatisticalWarning, match="exactly"):
        results = ITSModel(frame, outcome="visits", time="month", interruptions="2023-01").fit()
    np.testing.assert_array_equal(results.std_errors.to_numpy(), 0.0)
    np.testing.assert_allclose(  # to the 1.2e-7 to which 1e9 + y is stored
        results.params[["_t", "_x2023m1", "_x_t2023m1"]], [20, 300, 10], rtol=0, atol=1e-5
    )


def test_a_constant_series_has_slopes_of_exactly_zero_not_rounding_noise():
    # 12 months of 0 admissions (or any constant): _t, _x and _x_t are 0 by hand; they
    # printed as -2.4e-16 and 4.0e-16 beside _cons, in scientific notation.
    frame = exact_series().assign(visits=7.0)
    with pytest.warns(StatisticalWarning):
        res = ITSModel(frame, outcome="visits", time="month", interruptions="2023-01").fit()
    assert res.params.iloc[:3].tolist() == [0.0, 0.0, 0.0]
    assert res.params["_cons"] == pytest.approx(7.0, rel=1e-14)
    assert "e-1" not in res.summary().to_text()
    # the lines of an exact fit that are not zero keep their values
    with pytest.warns(StatisticalWarning):
        lines = model().fit().params
    np.testing.assert_allclose(lines.to_numpy(), [20, 300, 10, 1000], rtol=1e-12)
