"""Prais-Winsten ``rhotype(theil)`` and ``rhotype(nagar)`` as Stata computes them.

Stata's [TS] prais, Options, and the help of ``_crcar1`` (the routine ``prais.ado``
calls; https://www.stata.com/help.cgi?_crcar1) define

    theil: rho_theil = rho_tscorr (N - k) / N
    nagar: rho_nagar = (rho_dw N^2 + k^2) / (N^2 - k^2)

with ``k`` "the number of parameters estimated in the model". The code does a little
otherwise: ``prais.ado`` (version 6.4.5) passes ``k(`k')`` with ``local k : word count
$T_fullv``, its variable list *with the dependent variable* and the constant, so
``K = k + 1``; and ``_crcar1.ado`` (4.0.2) divides theil's ``(N - K) e'e_{t-1}`` by
``r(N) e'e`` where ``r(N)`` counts the lag pairs (``N - 1`` for one series). Stata's own
output agrees with the code: on Statalist ("prais with rhotype nagar option", thread
1738814) ``prais csales isales, two rho(dw)`` on ``qsales`` gives rho .63263622 and
``rho(nagar)`` .6702161, which is the formula with ``K = 3`` (two coefficients), not 2.
We follow Stata's arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.stats.test_its import assert_prais_winsten_at, cig

from ihms.stats import ITSModel

# a small yearly series, interrupted in 2008, with autocorrelated noise (fixed numbers)
_Y = [10.2, 11.5, 11.9, 13.4, 13.1, 14.8, 15.2, 16.9, 15.1, 14.2, 14.9, 13.8, 13.0, 13.9, 12.6]


def small() -> ITSModel:
    df = pd.DataFrame({"year": range(2000, 2015), "y": _Y})
    return ITSModel(df, outcome="y", time="year", interruptions=2008)


def theil(e: np.ndarray, n_coef: int) -> float:
    """_crcar1's theil for one series: (N - K) e'e_{t-1} / ((N - 1) e'e), K = k + 1."""
    n, big_k = len(e), n_coef + 1
    return (n - big_k) * np.sum(e[1:] * e[:-1]) / ((n - 1) * np.sum(e**2))


def nagar(e: np.ndarray, n_coef: int) -> float:
    """_crcar1's nagar: (N^2 (1 - d/2) + K^2) / (N^2 - K^2), K = k + 1."""
    n, big_k = len(e), n_coef + 1
    rho_dw = 1 - np.sum(np.diff(e) ** 2) / np.sum(e**2) / 2
    return (n**2 * rho_dw + big_k**2) / (n**2 - big_k**2)


_BY_HAND = {"theil": theil, "nagar": nagar}


def test_the_statalist_qsales_numbers_hold_with_k_plus_one():
    # Stata 18 output quoted on Statalist: rho_dw .63263622, rho_nagar .6702161, N = 20,
    # csales on isales and a constant (2 coefficients): K = 3 reproduces it, K = 2 not.
    rho_dw, n = 0.63263622, 20
    assert (rho_dw * n**2 + 3**2) / (n**2 - 3**2) == pytest.approx(0.6702161, abs=1e-7)
    assert (rho_dw * n**2 + 2**2) / (n**2 - 2**2) != pytest.approx(0.6702161, abs=1e-3)


@pytest.mark.parametrize("rhotype", ["theil", "nagar"])
def test_twostep_rho_is_the_formula_of_the_ols_residuals(rhotype):
    res = small().fit(cov_type="prais", prais_rhotype=rhotype, prais_twostep=True)
    d = res.design
    e = d.y - d.X @ np.linalg.lstsq(d.X, d.y, rcond=None)[0]
    assert d.k == 4  # _t _x2008 _x_t2008 _cons
    assert res.rho == pytest.approx(_BY_HAND[rhotype](e, d.k), rel=1e-12)
    assert res.prais["rhotype"] == rhotype and res.prais["iterations"] == 1


@pytest.mark.parametrize("rhotype", ["theil", "nagar"])
def test_iterated_fit_is_prais_winsten_at_its_rho(rhotype):
    res = small().fit(cov_type="prais", prais_rhotype=rhotype)
    d = res.design
    b = res.params.to_numpy()
    # at convergence rho is the formula of the untransformed model's residuals
    assert res.rho == pytest.approx(_BY_HAND[rhotype](d.y - d.X @ b, d.k), abs=1e-6)
    # and the coefficients are OLS of the Prais-Winsten transform at that rho
    assert_prais_winsten_at(res, res.rho)
    assert f"rhotype({rhotype})" in " ".join(res.summary().to_text().split())


def test_theil_and_nagar_on_panels_count_rows_and_pairs_within_units():
    # itsa with controls runs prais on tsset panel data: N counts every row, the lag
    # pairs stay within a unit (N - 3 of them for 3 units), as _crcar1's l. operator does
    for rhotype in ("theil", "nagar"):
        res = cig(controls=[4, 8]).fit(cov_type="prais", prais_rhotype=rhotype, prais_twostep=True)
        d = res.design
        e = d.y - d.X @ np.linalg.lstsq(d.X, d.y, rcond=None)[0]
        same = d.unit_code[1:] == d.unit_code[:-1]
        n, big_k = d.n, d.k + 1
        assert same.sum() == n - 3
        if rhotype == "theil":
            tscorr = np.sum((e[1:] * e[:-1])[same]) / np.sum(e**2)
            want = tscorr * (n - big_k) / (n - 3)
        else:
            rho_dw = 1 - np.sum((np.diff(e) ** 2)[same]) / np.sum(e**2) / 2
            want = (n**2 * rho_dw + big_k**2) / (n**2 - big_k**2)
        assert res.rho == pytest.approx(want, rel=1e-12)
