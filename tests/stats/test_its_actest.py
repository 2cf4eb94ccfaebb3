"""Cumby–Huizinga tests (Baum and Schaffer's Stata ``actest``) after the ITS regression.

No printed Stata ``actest`` output for Linden's cigsales models was found (see
tests/golden/README.md), so the checks are (1) an identity that follows from Cumby and
Huizinga's (1992) formulas: homoskedastic with ``q = 0`` the joint statistic is the
Breusch–Godfrey ``N R^2``, which ``actest`` labels it and which
tests/stats/test_its.py checks against statsmodels' ``acorr_breusch_godfrey``; and
(2) worked examples computed here term by term from the paper's Propositions 1 and 2,
with explicit sums over observations, for the robust, ``q > 0`` and ``bp`` forms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tests.stats.test_its import cig

from ihms.errors import InputError, StatisticalWarning
from ihms.stats import ITSModel, breusch_godfrey, cumby_huizinga


def _design(single: bool):
    model = cig(single=single)
    d, _, _ = model.design()
    resid = d.y - d.X @ np.linalg.lstsq(d.X, d.y, rcond=None)[0]
    return model, d, resid


@pytest.mark.parametrize("single", [True, False])
def test_default_joint_test_is_breusch_godfrey(single):
    # Cumby and Huizinga (1992) with i.i.d. errors and q = 0: V_rhat = U'M_X U / (N s2)
    # and r = U'u / u'u, so N r' V_rhat^-1 r = N R^2 of u on [X, U] (estat bgodfrey).
    model, d, resid = _design(single)
    bg = breusch_godfrey(d.X, resid, d.unit_code, max_lag=6)
    ch = model.actest(lags=6)
    assert ch.table["chi2"].to_numpy() == pytest.approx(bg.table["chi2"].to_numpy(), rel=1e-9)
    assert ch.table["df"].tolist() == [1, 2, 3, 4, 5, 6]
    # the first row's two columns are the same test (lag 1 alone with q = 0)
    assert ch.table.loc[1, "lag_chi2"] == pytest.approx(ch.table.loc[1, "chi2"], rel=1e-12)
    assert ch.label == "Breusch-Godfrey form"


def _worked(X, u, units, lags_tested, q, robust, bp):
    """Cumby and Huizinga (1992), Propositions 1 and 2, one observation at a time."""
    n, h = X.shape
    idx = {(units[i], i - np.flatnonzero(units == units[i])[0]): i for i in range(n)}

    def lagged(i, j):  # u_{t-j} of row i's unit, 0 before its first period
        unit, t = units[i], i - np.flatnonzero(units == units[i])[0]
        return u[idx[(unit, t - j)]] if t - j >= 0 else 0.0

    eta = [list(X[i]) + [lagged(i, j) for j in lags_tested] for i in range(n)]
    eta = np.array(eta)
    s2 = sum(u[i] ** 2 for i in range(n)) / n
    L = eta.shape[1]
    psi = np.zeros((L, L))
    for i in range(n):
        w = u[i] ** 2 if robust else s2
        psi += w * np.outer(eta[i], eta[i])
    for tau in range(1, q + 1):
        g = np.zeros((L, L))
        cov = 0.0
        for i in range(n):
            unit, t = units[i], i - np.flatnonzero(units == units[i])[0]
            if t - tau < 0:
                continue
            k = idx[(unit, t - tau)]
            cov += u[i] * u[k] / n
            g += (u[i] * u[k] if robust else 1.0) * np.outer(eta[i], eta[k])
        if not robust:
            g *= cov
        psi += g + g.T
    psi /= n
    if np.linalg.det(psi) < 0:  # actest: eigenvalues replaced by their absolute values
        values, vectors = np.linalg.eigh(psi)
        psi = vectors @ np.diag(np.abs(values)) @ vectors.T
    mean_u = u.mean()
    r = []
    for j in lags_tested:
        lag = np.array([lagged(i, j) for i in range(n)])
        r.append(sum((u - mean_u) * (lag - lag.mean())) / sum((u - mean_u) ** 2))
    r = np.array(r)
    s = len(lags_tested)
    U = eta[:, h:]
    vr = np.eye(s) if bp else psi[h:, h:] / s2**2
    B = -(U.T @ X) / (n * s2)
    D = n * np.linalg.inv(X.T @ X)
    bvb = B @ D @ psi[:h, :h] @ D.T @ B.T
    if bp:
        vrhat = np.eye(s) - bvb
    else:
        bdc = B @ D @ psi[:h, h:] / s2
        vrhat = vr + bvb + bdc + bdc.T
    return float(n * r @ np.linalg.solve(vrhat, r))


@pytest.fixture(scope="module")
def small():
    # 3 units of 9 years, a level and slope change in year 5 (an ITS design)
    rng = np.random.default_rng(20261125)
    units = np.repeat([0, 1, 2], 9)
    t = np.tile(np.arange(9.0), 3)
    post = (t >= 5).astype(float)
    X = np.column_stack([t, post, post * (t - 5), np.ones_like(t)])
    e = np.zeros_like(t)
    for i in range(len(t)):
        e[i] = rng.normal() * (1 + t[i] / 4) + (0.5 * e[i - 1] if t[i] > 0 else 0.0)
    y = 10 - 0.3 * t - 2 * post + e
    u = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    return X, u, units


@pytest.mark.parametrize("robust", [False, True])
def test_both_columns_match_the_worked_formula(small, robust):
    X, u, units = small
    ch = cumby_huizinga(X, u, units, lags=3, robust=robust)
    for j in (1, 2, 3):
        joint = _worked(X, u, units, list(range(1, j + 1)), 0, robust, False)
        alone = _worked(X, u, units, [j], j - 1, robust, False)
        assert ch.table.loc[j, "chi2"] == pytest.approx(joint, rel=1e-9)
        assert ch.table.loc[j, "lag_chi2"] == pytest.approx(alone, rel=1e-9)
        assert ch.table.loc[j, "p"] == pytest.approx(stats.chi2.sf(joint, j), rel=1e-9)
    assert not ch.table["adjusted"].any()
    # the truncated kernel of lag 3 alone (q = 2) gives the robust Psi a negative
    # determinant here, which actest repairs (and its table marks)
    assert ch.table["lag_adjusted"].tolist() == [False, False, robust]
    assert ch.label == ("heteroskedasticity-robust" if robust else "Breusch-Godfrey form")


def test_q0_and_bp_match_the_worked_formula(small):
    X, u, units = small
    q0 = cumby_huizinga(X, u, units, lags=3, q0=True)
    bp = cumby_huizinga(X, u, units, lags=3, bp=True)
    for j in (1, 2, 3):
        assert q0.table.loc[j, "lag_chi2"] == pytest.approx(
            _worked(X, u, units, [j], 0, False, False), rel=1e-9
        )
        assert bp.table.loc[j, "chi2"] == pytest.approx(
            _worked(X, u, units, list(range(1, j + 1)), 0, False, True), rel=1e-9
        )
        assert bp.table.loc[j, "lag_chi2"] == pytest.approx(
            _worked(X, u, units, [j], 0, False, True), rel=1e-9
        )
    assert bp.q0 and bp.label == "modified Box-Pierce"


def test_summary_and_dict(small):
    X, u, units = small
    ch = cumby_huizinga(X, u, units, lags=2, robust=True)
    text = str(ch.summary())
    assert "Cumby-Huizinga" in text and "robust to heteroskedasticity" in text
    assert "adjusted" not in text  # no Psi needed its eigenvalues adjusted
    d = ch.to_dict()
    assert [row["lag"] for row in d["tests"]] == [1, 2] and d["robust"] is True


def test_bad_options_are_refused(small):
    X, u, units = small
    with pytest.raises(InputError, match="bp"):
        cumby_huizinga(X, u, units, lags=2, bp=True, robust=True)
    with pytest.raises(InputError, match="too large"):
        cumby_huizinga(X, u, units, lags=8)
    with pytest.raises(InputError, match="lags"):
        cumby_huizinga(X, u, units, lags=0)


def test_actest_uses_the_ols_residuals_of_the_model():
    df = pd.DataFrame({"year": range(2000, 2016), "y": [3.0, 5, 4, 6, 5, 7, 6, 8] * 2})
    model = ITSModel(df, outcome="y", time="year", interruptions=2008)
    d, _, _ = model.design()
    resid = d.y - d.X @ np.linalg.lstsq(d.X, d.y, rcond=None)[0]
    expected = cumby_huizinga(d.X, resid, d.unit_code, lags=2, robust=True)
    got = model.actest(lags=2, robust=True)
    assert got.table["chi2"].to_numpy() == pytest.approx(expected.table["chi2"].to_numpy())


def test_an_exact_fit_has_nothing_to_test():
    # on its fitted lines (the ITSModel docstring's series): residuals 0, chi2 0 as the
    # Breusch-Godfrey N R^2 gives, with the model's warning
    df = pd.DataFrame({"year": range(2000, 2012), "y": [10, 11, 12, 13, 14, 15] + [12.0] * 6})
    model = ITSModel(df, outcome="y", time="year", interruptions=2006)
    with pytest.warns(StatisticalWarning):
        ch = model.actest(lags=2, robust=True)
    assert ch.table["chi2"].tolist() == [0.0, 0.0]
    assert ch.table["lag_p"].tolist() == [1.0, 1.0]
