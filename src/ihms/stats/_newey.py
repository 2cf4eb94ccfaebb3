"""Least squares with the covariance estimators Stata's ``itsa`` wraps, batched.

Every function takes a design ``X`` of shape ``(n, k)`` and outcomes ``Y`` of shape
``(n, m)``: ``m`` series that share one design (one per institution or indicator) are
fitted with one factorisation and a handful of ``einsum`` calls. A single fit is the
case ``m = 1`` of the same code, so batch and one-by-one numbers agree.

Formulas, as Stata's manuals give them ([TS] newey, [TS] prais, Methods and formulas):

Newey–West (``newey y x, lag(L)``)::

    V = (X'X)^-1 S (X'X)^-1,   S = n/(n-k) [ sum_t e_t^2 x_t x_t'
        + sum_{l=1..L} (1 - l/(L+1)) sum_t e_t e_{t-l} (x_t x_{t-l}' + x_{t-l} x_t') ]

with ``t`` tests on ``n - k`` degrees of freedom. ``L = 0`` is ``regress, vce(robust)``
(HC1). On panel data (``tsset panel time``) the pair ``(t, t-l)`` exists only within a
panel, because ``newey`` forms it with the lag operator.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from ihms._warnings import caller_stacklevel
from ihms.errors import StatisticalWarning

__all__ = [
    "RHO_TYPES",
    "LSFactor",
    "LagPairs",
    "PraisFit",
    "exact_fit_message",
    "exact_fits",
    "lag_pairs",
    "newey_west_cov",
    "ols_batch",
    "ols_cov",
    "prais_winsten",
]

LagPairs = list[tuple[np.ndarray, np.ndarray]]


def lag_pairs(
    unit_code: np.ndarray, time: np.ndarray, max_lag: int, *, across_units: bool = False
) -> LagPairs:
    """Row pairs ``(i, j)`` with ``j`` the ``l``-th lag of ``i``, for ``l = 1..max_lag``.

    Rows must be sorted by unit then time. Within units (``newey`` on ``tsset panel
    time`` data), ``j`` must be the same unit at time ``time[i] - l``. With
    ``across_units=True`` the data are one stacked series (``glm, vce(hac nwest L)``, the
    ``itsa`` default since version 3.0, sees it that way) and ``j = i - l``.
    """
    n = len(time)
    pairs: LagPairs = []
    for lag in range(1, max_lag + 1):
        i = np.arange(lag, n)
        j = i - lag
        if not across_units:
            ok = (unit_code[i] == unit_code[j]) & (time[i] - time[j] == lag)
            i, j = i[ok], j[ok]
        pairs.append((i, j))
    return pairs


@dataclass(frozen=True)
class LSFactor:
    """The QR factorisation ``X = Q R`` of a design, shared by all series.

    ``rinv`` is ``R^-1``, so ``(X'X)^-1 = rinv rinv'`` (:attr:`inverse`). Covariances are
    formed in the ``Q`` coordinates (``x_t = R' q_t``), where they are well conditioned,
    and mapped back with ``rinv``: forming ``X'X`` squares the condition number (a
    population covariate of 1e6 +/- 10 gave ``cond(X'X)`` near 1e24 and a wrong ``_cons``).
    """

    q: np.ndarray
    rinv: np.ndarray

    @property
    def inverse(self) -> np.ndarray:
        """``(X'X)^-1``."""
        return self.rinv @ self.rinv.T


def ols_batch(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray, LSFactor]:
    """OLS of every column of ``Y`` on ``X``, by Householder QR of the column-scaled design.

    Returns
    -------
    params
        ``(m, k)`` coefficients.
    resid
        ``(n, m)`` residuals; exactly 0 for a series that lies on its fitted lines, where
        the arithmetic leaves only rounding noise (see :func:`exact_fits`).
    factor
        The design's :class:`LSFactor`, for :func:`ols_cov` and :func:`newey_west_cov`.
    """
    n, k = X.shape
    norms = np.linalg.norm(X, axis=0)
    norms[norms == 0] = 1.0
    q, r = np.linalg.qr(X / norms)
    rinv = linalg.solve_triangular(r, np.eye(k)) / norms[:, None]
    params = (rinv @ (q.T @ Y)).T
    resid = Y - X @ params.T
    # Rounding noise is no residual: taken as one it gave standard errors of 1e-14,
    # negative variances, t of 1e14, and Breusch-Godfrey tests that found every lag
    # significant. Householder QR is backward stable column by column, so what rounding
    # leaves of an exact fit is at most about n k eps (|Y| + sum_j |X_j b_j|): the size of
    # the terms that cancel, whatever the conditioning of X and wherever Y is located.
    scale = np.linalg.norm(Y, axis=0) + norms @ np.abs(params.T)
    bound = _EXACT * n * k * scale
    noise = np.linalg.norm(resid, axis=0) <= bound
    resid[:, noise] = 0.0
    # ... and so is a coefficient whose term it is: a constant series printed slopes of
    # -2.4e-16 beside its _cons (by the same bound on |b_j| ||X_j||)
    params[noise[:, None] & (np.abs(params) * norms[None, :] <= bound[:, None])] = 0.0
    return params, resid, LSFactor(q=q, rinv=rinv)


#: Residual norms below this multiple of ``n k (||Y|| + sum_j ||X_j|| |b_j|)`` are rounding
#: noise (machine epsilon).
_EXACT = np.finfo(float).eps


def exact_fits(resid: np.ndarray) -> np.ndarray:
    """Which series of an :func:`ols_batch` residual matrix ``(n, m)`` lie exactly on
    their fitted lines: their standard errors are 0 and no test can be made."""
    return ~resid.any(axis=0)


def exact_fit_message(what: str, *, lang: str = "en") -> str:
    """The warning for a series on its fitted lines (one fit, or a batch's series); in
    Chinese with ``lang="zh"`` (``what`` said in Chinese by the caller)."""
    if lang == "zh":
        return (
            f"{what}：恰好落在拟合线上（没有残差），故标准误为 0，t 值、P 值、F 值和 "
            "Breusch-Godfrey 检验无法计算（滞后 0 阶）——该序列是否由公式算出，或全为 0？"
        )
    return (
        f"{what}: exactly on the fitted lines (no residual is left), so the standard "
        "errors are 0, and t, p, F and the Breusch-Godfrey tests cannot be computed "
        "(lag 0) — a series computed by a formula, or one that is 0 throughout?"
    )


def ols_cov(resid: np.ndarray, factor: LSFactor, n: int, k: int) -> np.ndarray:
    """Conventional OLS covariance ``s^2 (X'X)^-1`` per series: ``(m, k, k)``."""
    s2 = np.einsum("tm,tm->m", resid, resid) / (n - k)
    return s2[:, None, None] * factor.inverse[None, :, :]


def newey_west_cov(
    resid: np.ndarray,
    factor: LSFactor,
    pairs: LagPairs,
    *,
    small_sample: bool = True,
) -> np.ndarray:
    """Newey–West covariance of every series, ``(m, k, k)``; see the module docstring.

    ``pairs`` comes from :func:`lag_pairs`; its length is the maximum lag ``L``.
    ``small_sample`` applies Stata's ``n/(n-k)`` factor. Computed as ``R^-1 S_q R^-T``
    with ``S_q`` the same sums over ``q_t`` (``x_t = R' q_t``), which equals the formula.
    """
    Q = factor.q
    n, k = Q.shape
    max_lag = len(pairs)
    # scores u_t = e_t q_t of every series, stacked as (m, n, k) for batched matmul
    scores = resid.T[:, :, None] * Q[None, :, :]
    meat = np.matmul(scores.transpose(0, 2, 1), scores)
    for lag, (i, j) in enumerate(pairs, start=1):
        if len(i) == 0:
            continue
        weight = 1.0 - lag / (max_lag + 1.0)
        cross = np.matmul(scores[:, i, :].transpose(0, 2, 1), scores[:, j, :])
        meat += weight * (cross + cross.transpose(0, 2, 1))
    if small_sample:
        meat *= n / (n - k)
    rinv = factor.rinv[None, :, :]
    return np.matmul(np.matmul(rinv, meat), rinv.transpose(0, 2, 1))


@dataclass(frozen=True)
class PraisFit:
    """A Prais–Winsten AR(1) fit: coefficients, their covariance and the final rho."""

    params: np.ndarray
    cov: np.ndarray
    rho: float
    iterations: int
    converged: bool
    resid: np.ndarray
    dw_original: float
    dw_transformed: float


def _durbin_watson(e: np.ndarray, unit_code: np.ndarray) -> float:
    same = unit_code[1:] == unit_code[:-1]
    d = (e[1:] - e[:-1])[same]
    return float(np.sum(d * d) / np.sum(e * e))


#: Stata's ``prais, rhotype()`` estimators of rho that we offer ([TS] prais, Options).
RHO_TYPES = ("regress", "freg", "tscorr", "dw", "theil", "nagar")


def _rho(e: np.ndarray, unit_code: np.ndarray, rhotype: str = "regress", k: int = 0) -> float:
    """rho from residuals as Stata's ``prais, rhotype()`` computes it, lag pairs within
    panels: ``regress`` (the default) regresses e_t on e_{t-1} without a constant,
    ``freg`` e_t on e_{t+1}; ``tscorr`` is the autocorrelation e'e_{t-1} / e'e; ``dw`` is
    1 - d/2 with d the Durbin-Watson statistic.

    ``theil`` and ``nagar`` adjust ``tscorr`` and ``dw`` for the ``k`` coefficients, as
    Stata's ``_crcar1.ado`` (version 4.0.2, which ``prais.ado`` 6.4.5 calls) computes
    them: ``theil = tscorr (N - K) / P`` and ``nagar = (N^2 (1 - d/2) + K^2) / (N^2 -
    K^2)``, with ``N`` the residuals, ``P`` the lag pairs (``N - 1`` for one series) and
    ``K = k + 1``: ``prais.ado`` passes ``k(`k')`` with ``k`` the word count of its
    variable list, the dependent variable included. The manual ([TS] prais; help
    ``_crcar1``) writes ``(N - k)/N`` and ``k``; a Statalist check of ``prais csales isales,
    twostep rhotype(nagar)`` on ``qsales`` (N = 20, two coefficients: rho .6702161 from
    rho_dw .63263622) holds with ``K = 3``, not 2."""
    same = unit_code[1:] == unit_code[:-1]
    cur, prev = e[1:][same], e[:-1][same]
    if rhotype == "regress":
        return float(np.sum(cur * prev) / np.sum(prev * prev))
    if rhotype == "freg":
        return float(np.sum(cur * prev) / np.sum(cur * cur))
    n, words = len(e), k + 1
    if rhotype in ("tscorr", "theil"):
        tscorr = float(np.sum(cur * prev) / np.sum(e * e))
        return tscorr if rhotype == "tscorr" else tscorr * (n - words) / len(cur)
    dw_rho = 1.0 - _durbin_watson(e, unit_code) / 2.0
    if rhotype == "dw":
        return dw_rho
    return (n * n * dw_rho + words * words) / (n * n - words * words)


def _transform(
    X: np.ndarray, y: np.ndarray, unit_code: np.ndarray, rho: float
) -> tuple[np.ndarray, np.ndarray]:
    first = np.ones(len(y), dtype=bool)
    first[1:] = unit_code[1:] != unit_code[:-1]
    Xs = X.copy()
    ys = y.copy()
    Xs[1:] = X[1:] - rho * X[:-1]
    ys[1:] = y[1:] - rho * y[:-1]
    factor = np.sqrt(1.0 - rho * rho)
    Xs[first] = factor * X[first]
    ys[first] = factor * y[first]
    return Xs, ys


def prais_winsten(
    X: np.ndarray,
    y: np.ndarray,
    unit_code: np.ndarray,
    *,
    twostep: bool = False,
    rhotype: str = "regress",
    robust: bool = False,
    tolerance: float = 1e-6,
    max_iter: int = 100,
) -> PraisFit:
    """Prais–Winsten regression with AR(1) errors as Stata's ``prais`` fits it.

    Stata's default iterates: estimate rho from the residuals of the untransformed model
    by ``rhotype(regress)`` (``e_t`` on ``e_{t-1}``, no constant; ``rhotype`` picks
    another of :data:`RHO_TYPES`, see :func:`_rho`), transform (the first
    observation of each panel is kept, scaled by ``sqrt(1 - rho^2)``), refit by OLS, and
    repeat until rho changes by less than ``tolerance``. ``twostep=True`` stops after the
    first transformation (Stata's ``twostep`` option). The covariance is the OLS one of
    the transformed regression (Stata's default ``vce(ols)``), on ``n - k`` degrees of
    freedom; ``robust=True`` (``vce(robust)``) is the sandwich of the transformed
    regression with the ``n/(n-k)`` factor (HC1), as ``regress, vce(robust)`` on it.
    """
    if rhotype not in RHO_TYPES:
        raise ValueError(f"rhotype: expected one of {', '.join(RHO_TYPES)}, got {rhotype!r}")
    n, k = X.shape
    params, resid, _ = ols_batch(X, y[:, None])
    if exact_fits(resid)[0]:  # rho would be read off rounding noise
        raise ValueError(
            "the outcome lies exactly on the fitted lines (no residual is left), so there "
            "is no autocorrelation for rho to estimate; fit it without Prais-Winsten"
        )
    b = params[0]
    dw_original = _durbin_watson(resid[:, 0], unit_code)
    rho = 0.0
    converged = False
    iterations = 0
    Xs, ys = X, y
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        e = y - X @ b
        new_rho = _rho(e, unit_code, rhotype, k)
        if not -1.0 < new_rho < 1.0:
            raise ValueError(f"estimated rho {new_rho:.4f} is outside (-1, 1)")
        change = abs(new_rho - rho)
        rho = new_rho
        Xs, ys = _transform(X, y, unit_code, rho)
        b = ols_batch(Xs, ys[:, None])[0][0]
        if twostep or change < tolerance:
            converged = True
            break
    if not converged:
        warnings.warn(
            StatisticalWarning(
                f"Prais-Winsten did not converge in {max_iter} iterations (last rho {rho:.6f})",
                zh=f"Prais-Winsten 迭代 {max_iter} 次未收敛（最后一次 rho 为 {rho:.6f}）",
            ),
            stacklevel=caller_stacklevel(),
        )
    params_t, resid_t, factor = ols_batch(Xs, ys[:, None])
    # vce(robust): HC1 of the transformed regression, Newey-West with no lag pairs
    cov = newey_west_cov(resid_t, factor, [])[0] if robust else ols_cov(resid_t, factor, n, k)[0]
    return PraisFit(
        params=params_t[0],
        cov=cov,
        rho=rho,
        iterations=iterations,
        converged=converged,
        resid=y - X @ params_t[0],
        dw_original=dw_original,
        dw_transformed=_durbin_watson(resid_t[:, 0], unit_code),
    )
