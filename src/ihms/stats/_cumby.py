"""Cumby–Huizinga general test of serial correlation, as Baum and Schaffer's Stata
``actest`` computes it after ``regress`` or ``newey``.

Cumby and Huizinga (1992, *Econometrica* 60: 185–195) test the null that the
regression error is a moving average of known order ``q`` against autocorrelation at
lags ``q+1 .. q+s``, allowing predetermined (not only strictly exogenous) regressors and,
with ``robust``, heteroskedasticity. With residuals ``u``, regressors ``X`` (with the
constant) and the lagged residuals ``U = [u_{t-q-1} .. u_{t-q-s}]`` (0 before a unit's
first period, lags within units):

- ``r``: the slopes of ``U``'s columns regressed on ``u`` (the sample autocorrelations);
- ``Psi``: the covariance of the orthogonality conditions ``(X_t, U_t) u_t``, divided by
  ``N`` — homoskedastic ``s2 [X U]'[X U] / N`` with ``s2 = u'u / N``, or
  heteroskedasticity-robust ``sum u_t^2 (X_t, U_t)'(X_t, U_t) / N``; for ``q > 0`` it adds
  the autocovariances up to ``q`` within units with weight 1 (truncated kernel);
- ``V_r`` = the ``U`` block of ``Psi`` over ``s2^2``; ``B = -U'X / (N s2)``,
  ``D = N (X'X)^-1``; ``V_rhat = V_r + B D Psi_XX D' B' + C + C'`` with
  ``C = B D Psi_XU / s2`` (Proposition 1);
- the statistic ``N r' V_rhat^-1 r ~ chi2(s)`` (Proposition 2).

``actest, lags(k)`` prints two columns for each ``j = 1..k``: the joint test of lags
``1..j`` with ``q = 0`` and the test of lag ``j`` alone with ``q = j - 1`` (the truncated
kernel of bandwidth ``j - 1``); ``q0`` keeps ``q = 0`` in the second column too; ``bp``
(Hayashi's modified Box–Pierce) sets ``V_r = I`` and ``V_rhat = I - B D Psi_XX D' B'``.
Homoskedastic with ``q = 0`` the joint test is exactly Breusch–Godfrey's ``N R^2``
(``estat bgodfrey``), which ``actest`` labels it. A ``Psi`` whose determinant is negative
(a truncated kernel can give one) has its eigenvalues replaced by their absolute values,
as ``actest`` does, and the row says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._autocorr import _lagged
from ihms.summary import SummaryTable, format_p

__all__ = ["CumbyHuizingaTest", "cumby_huizinga"]


@dataclass(frozen=True, eq=False)
class CumbyHuizingaTest(SummaryHtml):
    """The two columns of ``actest, lags(k)``.

    Attributes
    ----------
    table
        One row per lag ``j = 1..k``: ``chi2``, ``df``, ``p`` of the joint test of lags
        ``1..j`` (H0: no serial correlation), and ``lag_chi2``, ``lag_p`` of lag ``j``
        alone (df 1; H0: a moving average of order ``j - 1``, or of order 0 with ``q0``);
        ``adjusted`` / ``lag_adjusted``: whether that statistic's ``Psi`` had its
        eigenvalues made non-negative.
    robust, q0, bp
        The options the test was computed with.
    """

    table: pd.DataFrame
    robust: bool
    q0: bool
    bp: bool

    def __repr__(self) -> str:
        return brief_repr(self, lags=len(self.table), robust=self.robust, q0=self.q0, bp=self.bp)

    @property
    def label(self) -> str:
        """What ``actest`` calls the test with these options."""
        if self.bp:
            return "modified Box-Pierce"
        return "heteroskedasticity-robust" if self.robust else "Breusch-Godfrey form"

    def summary(self) -> SummaryTable:
        lag_h0 = "MA(0)" if self.q0 or self.bp else "MA(j-1)"
        notes = [
            f"chi2: lags 1..j jointly, H0 no serial correlation; lag_chi2: lag j alone (df 1), "
            f"H0 {lag_h0}; as Baum and Schaffer's actest (Cumby and Huizinga 1992) after "
            "regress or newey: the OLS residuals (not a Prais-Winsten fit's).",
            "Test allows predetermined regressors; "
            + (
                "robust to heteroskedasticity."
                if self.robust
                else "requires conditional homoskedasticity."
            ),
        ]
        table = self.table
        if table[["adjusted", "lag_adjusted"]].to_numpy().any():
            notes.append(
                "Eigenvalues of Psi made non-negative (absolute values) where adjusted is True."
            )
        else:
            table = table.drop(columns=["adjusted", "lag_adjusted"])
        return SummaryTable(
            table,
            title=f"Cumby-Huizinga test for autocorrelation ({self.label})",
            notes=tuple(notes),
            formats={
                "p": format_p,
                "lag_p": format_p,
                "df": "{:.0f}".format,
                "chi2": "{:.3f}".format,
                "lag_chi2": "{:.3f}".format,
            },
        )

    def to_dict(self) -> dict:
        return {
            "tests": self.table.reset_index().to_dict(orient="records"),
            "robust": self.robust,
            "q0": self.q0,
            "bp": self.bp,
            "label": self.label,
            "residuals": "OLS",
        }


def _psi(
    u: np.ndarray, eta: np.ndarray, unit_code: np.ndarray, bw: int, robust: bool
) -> np.ndarray:
    """The covariance of ``eta_t u_t`` over ``N``, with autocovariances to ``bw`` (weight 1)."""
    n = len(u)

    def cross(a: np.ndarray, b: np.ndarray, ua: np.ndarray, ub: np.ndarray) -> np.ndarray:
        # robust: sum u_a u_b a b'; homoskedastic: (sum u_a u_b / N) sum a b'
        if robust:
            return (a * (ua * ub)[:, None]).T @ b
        return (ua @ ub / n) * (a.T @ b)

    shat = cross(eta, eta, u, u)
    for tau in range(1, min(bw, n - 1) + 1):
        same = unit_code[tau:] == unit_code[:-tau]
        ghat = cross(eta[tau:][same], eta[:-tau][same], u[tau:][same], u[:-tau][same])
        shat = shat + ghat + ghat.T
    return (shat + shat.T) / (2 * n)


def _statistic(
    X: np.ndarray,
    u: np.ndarray,
    unit_code: np.ndarray,
    lagged: list[np.ndarray],
    r: np.ndarray,
    bw: int,
    robust: bool,
    bp: bool,
) -> tuple[float, bool]:
    n, h = X.shape
    s = len(lagged)
    U = np.column_stack(lagged)
    eta = np.column_stack([X, U])
    psi = _psi(u, eta, unit_code, bw, robust)
    adjusted = bool(np.linalg.det(psi) < 0)
    if adjusted:
        values, vectors = np.linalg.eigh(psi)
        psi = (vectors * np.abs(values)) @ vectors.T
    s2 = u @ u / n
    vr = np.eye(s) if bp else psi[h:, h:] / s2**2
    D = n * np.linalg.pinv(X.T @ X)
    B = -(U.T @ X) / n / s2
    BD = B @ D
    bvb = BD @ psi[:h, :h] @ BD.T
    if bp:
        vrhat = np.eye(s) - bvb
    else:
        bdc = BD @ psi[:h, h:] / s2
        vrhat = vr + bvb + bdc + bdc.T
    chi2 = float(n * r @ np.linalg.pinv(vrhat) @ r)
    return chi2, adjusted


def cumby_huizinga(
    X: np.ndarray,
    resid: np.ndarray,
    unit_code: np.ndarray,
    *,
    lags: int = 1,
    q0: bool = False,
    robust: bool = False,
    bp: bool = False,
) -> CumbyHuizingaTest:
    """Stata's ``actest, lags(lags) [q0 robust bp]`` after ``regress`` of ``X``.

    Parameters
    ----------
    X
        The regression's design ``(n, k)`` with the constant; rows sorted by unit, then
        time.
    resid
        Its OLS residuals ``(n,)``.
    unit_code
        Unit of each row (all zeros for one series).
    lags
        Test lags ``1..lags`` (``actest``'s default is 1).
    q0
        Test each lag alone under H0 of no serial correlation, not an MA of order
        ``lag - 1``.
    robust
        Heteroskedasticity-robust ``Psi``.
    bp
        Hayashi's modified Box–Pierce form (implies ``q0``; not with ``robust``).
    """
    per_unit = np.bincount(unit_code)
    if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or lags < 1:
        raise InputError(f"parameter 'lags': expected an integer >= 1, got {lags!r}")
    if lags >= per_unit.min() - 1:
        raise InputError(
            f"parameter 'lags': {lags} is too large for series of {per_unit.min()} time points"
        )
    if bp and robust:
        raise InputError("parameters 'bp' and 'robust': actest's bp is not allowed with robust")
    q0 = q0 or bp
    u = np.asarray(resid, dtype=float)
    lagged = [_lagged(u, unit_code, j)[0] for j in range(1, lags + 1)]
    centred = u - u.mean()
    denom = centred @ centred
    if denom == 0:
        # an exact fit (the caller warns): no autocorrelation to test; chi2 0 as
        # Breusch-Godfrey's N R^2 gives, which the q = 0 statistic equals
        zero = {"chi2": 0.0, "p": 1.0, "lag_chi2": 0.0, "lag_p": 1.0}
        rows = [{"lag": j, **zero, "df": j, "adjusted": False, "lag_adjusted": False}
                for j in range(1, lags + 1)]  # fmt: skip
        columns = ["lag", "chi2", "df", "p", "lag_chi2", "lag_p", "adjusted", "lag_adjusted"]
        table = pd.DataFrame(rows)[columns].set_index("lag")
        return CumbyHuizingaTest(table, robust, q0, bp)
    # the slope of each lagged residual regressed on the residual, with a constant
    r_all = np.array([centred @ (lag - lag.mean()) / denom for lag in lagged])
    rows = []
    for j in range(1, lags + 1):
        chi2, adjusted = _statistic(X, u, unit_code, lagged[:j], r_all[:j], 0, robust, bp)
        bw = 0 if q0 else j - 1
        lag_chi2, lag_adjusted = _statistic(
            X, u, unit_code, [lagged[j - 1]], r_all[j - 1 : j], bw, robust, bp
        )
        rows.append(
            {
                "lag": j,
                "chi2": chi2,
                "df": j,
                "p": float(stats.chi2.sf(chi2, j)),
                "lag_chi2": lag_chi2,
                "lag_p": float(stats.chi2.sf(lag_chi2, 1)),
                "adjusted": adjusted,
                "lag_adjusted": lag_adjusted,
            }
        )
    return CumbyHuizingaTest(pd.DataFrame(rows).set_index("lag"), robust, q0, bp)
