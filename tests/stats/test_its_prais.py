"""Prais-Winsten options of ITSModel as Stata's prais gives them: rhotype, vce(robust),
the Durbin-Watson statistics (itsa's help file runs itsa ... prais rhotype(tscorr)
vce(robust) on Linden's cigsales example)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from tests.stats.test_its import cig

# Stata [TS] prais, Options: rhotype(regress) e_t on e_{t-1}, no constant (the default);
# rhotype(freg) e_t on e_{t+1}; rhotype(tscorr) e'e_{t-1} / e'e; rhotype(dw) 1 - d/2.
# At convergence rho is that function of the residuals of the untransformed model.
_RHO_OF = {
    "regress": lambda e: np.sum(e[1:] * e[:-1]) / np.sum(e[:-1] ** 2),
    "freg": lambda e: np.sum(e[1:] * e[:-1]) / np.sum(e[1:] ** 2),
    "tscorr": lambda e: np.sum(e[1:] * e[:-1]) / np.sum(e**2),
    "dw": lambda e: 1 - np.sum(np.diff(e) ** 2) / np.sum(e**2) / 2,
}


@pytest.mark.parametrize("rhotype", sorted(_RHO_OF))
def test_prais_rhotypes_converge_to_their_stata_formula(rhotype):
    res = cig(single=True).fit(cov_type="prais", prais_rhotype=rhotype)
    d = res.design
    e = d.y - d.X @ res.params.to_numpy()
    assert res.rho == pytest.approx(_RHO_OF[rhotype](e), abs=1e-5)
    assert res.prais["rhotype"] == rhotype
    assert f"rhotype({rhotype})" in " ".join(res.summary().to_text().split())


def test_prais_robust_is_hc1_of_the_transformed_regression_and_dw_is_printed():
    # itsa's help file: prais rhotype(tscorr) vce(robust). vce(robust) is the sandwich of
    # the transformed regression with n/(n-k) (statsmodels' HC1 on the transformed data);
    # the Durbin-Watson statistics are those of the OLS residuals and of the transformed
    # regression's residuals (statsmodels' durbin_watson).
    from statsmodels.stats.stattools import durbin_watson

    model = cig(single=True)
    res = model.fit(cov_type="prais", prais_rhotype="tscorr", prais_robust=True)
    d = res.design
    rho = res.rho
    Xs = np.vstack([np.sqrt(1 - rho**2) * d.X[:1], d.X[1:] - rho * d.X[:-1]])
    ys = np.r_[np.sqrt(1 - rho**2) * d.y[:1], d.y[1:] - rho * d.y[:-1]]
    ref = sm.OLS(ys, Xs).fit(cov_type="HC1")
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse, rtol=1e-10)
    ols_resid = sm.OLS(d.y, d.X).fit().resid
    assert res.prais["dw_original"] == pytest.approx(durbin_watson(ols_resid), rel=1e-10)
    assert res.prais["dw_transformed"] == pytest.approx(durbin_watson(ref.resid), rel=1e-10)
    assert res.to_dict()["prais"]["robust"] is True
    text = " ".join(res.summary().to_text().split())
    assert "Durbin-Watson statistic (original)" in text and "robust (HC1)" in text
    plain = model.fit(cov_type="prais", prais_rhotype="tscorr")
    np.testing.assert_allclose(plain.params, res.params, rtol=1e-12)
    assert not np.allclose(plain.std_errors, res.std_errors)


def test_prais_options_are_refused_without_prais():
    with pytest.raises(ValueError, match="apply to cov_type 'prais', not 'newey'"):
        cig(single=True).fit(prais_robust=True)
    with pytest.raises(ValueError, match="expected one of regress, freg, tscorr, dw, theil, nagar"):
        cig(single=True).fit(cov_type="prais", prais_rhotype="durbin")
