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
