"""Breusch–Godfrey tests for serial correlation, as Stata's ``estat bgodfrey``.

After ``regress``, ``estat bgodfrey, lags(1/k)`` regresses the residuals ``e_t`` on the
regressors and ``e_{t-1} .. e_{t-p}`` for each order ``p = 1..k`` and reports
``N R^2 ~ chi2(p)``. Lagged residuals that fall before the start of the series are set
to zero (Davidson and MacKinnon's approach, Stata's default; ``nomiss0`` drops those
observations instead). With several units the lags run within each unit, so every unit
starts with its own zeros. statsmodels' ``acorr_breusch_godfrey`` pads the same way.

For choosing the Newey–West lag, each order's auxiliary regression also gives the test
of its own highest lag (the coefficient on ``e_{t-p}``, a partial autocorrelation test).
The suggestion is our own rule: the larger of (a) the stepwise order, reading orders
1, 2, ... upward while each order's test rejects at ``alpha``, and (b) the highest order
whose own-lag p is below ``alpha / max_lag`` (Bonferroni over the orders tested). In (a)
order ``p`` rejects when its own-lag t test does; order 1 also when its ``N R^2`` test
does: at order 1 both test the one coefficient of ``e_{t-1}``, and ``N R^2`` is the p
``estat bgodfrey`` and ``actest`` print for lag 1 (Linden 2015 reads ``actest`` after
``itsa``: autocorrelation at lag 1 calls for a lag), so an order-1 rejection printed
beside the suggestion is never overruled by the t form's larger p. (a) alone missed a
quarterly series' strongly significant lag 2 after a non-significant lag 1; the highest
order significant at plain ``alpha`` gave 2 of 3 white-noise series of 48 points a lag
(12 uncorrected tests).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd
from scipy import stats
from scipy.linalg import solve_triangular

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.summary import SummaryTable, format_p

__all__ = ["BreuschGodfreyTest", "breusch_godfrey"]


@dataclass(frozen=True, eq=False)
class BreuschGodfreyTest(SummaryHtml):
    """Breusch–Godfrey tests for orders ``1..max_lag`` and the lag they suggest.

    Attributes
    ----------
    table
        One row per order ``p``: ``chi2``, ``df``, ``p`` (the ``N R^2`` test of
        ``estat bgodfrey``), ``nobs``, and ``lag_coef``, ``lag_t``, ``lag_p`` (the
        t test of ``e_{t-p}`` in that auxiliary regression).
    alpha
        The significance level the suggestion used.
    suggested_lag
        The larger of :attr:`stepwise_lag` and :attr:`bonferroni_lag` (0 when neither
        finds an order; see the module docstring).
    significant_orders
        The orders whose own lag is significant at ``alpha``.
    reason
        One sentence: the suggested lag and the orders that gave it (``fit(lags="auto")``
        notes it).
    zero_padded
        Whether missing lagged residuals were set to 0 (Stata's default).
    """

    table: pd.DataFrame
    alpha: float
    suggested_lag: int
    zero_padded: bool

    def __repr__(self) -> str:
        # the generated repr printed the table of orders
        return brief_repr(
            self, orders=len(self.table), alpha=self.alpha, suggested_lag=self.suggested_lag
        )

    @property
    def significant_orders(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.table.index[self.table["lag_p"] < self.alpha])

    @property
    def order_one_by_chi2(self) -> bool:
        """Whether order 1 rejects by its ``N R^2`` test alone (own-lag t not)."""
        first = self.table.iloc[0]
        return bool(first["p"] < self.alpha and not first["lag_p"] < self.alpha)

    @property
    def stepwise_lag(self) -> int:
        """Orders 1, 2, ... while each rejects at alpha: order 1 by its ``N R^2`` or its
        own-lag test (both test the coefficient of ``e_{t-1}``), higher orders by their
        own-lag test."""
        k = 0
        for p, row in self.table.iterrows():
            rejects = row["lag_p"] < self.alpha or (p == 1 and row["p"] < self.alpha)
            if not rejects:
                break
            k = int(p)
        return k

    @property
    def bonferroni_alpha(self) -> float:
        return self.alpha / len(self.table)

    @property
    def bonferroni_lag(self) -> int:
        """The highest order whose own-lag p is below alpha / max_lag."""
        hits = self.table.index[self.table["lag_p"] < self.bonferroni_alpha]
        return int(hits.max()) if len(hits) else 0

    @property
    def chosen_by(self) -> str:
        """Which part of the rule set the lag: 'none', 'stepwise', 'bonferroni' or 'both'."""
        a, b = self.stepwise_lag, self.bonferroni_lag
        if self.suggested_lag == 0:
            return "none"
        if a == b:
            return "both"
        return "stepwise" if a > b else "bonferroni"

    @property
    def reason(self) -> str:
        orders = self.significant_orders
        joint = [int(p) for p in self.table.index[self.table["p"] < self.alpha]]
        top = len(self.table)
        if orders:
            why = f"own-lag orders significant: {', '.join(map(str, orders))} of 1-{top}"
        else:
            why = f"no order of 1-{top} significant in its own-lag test"
        if self.order_one_by_chi2:
            first = self.table.iloc[0]
            why += (
                f"; order 1's chi2 rejects (p {first['p']:.3f}; own-lag p "
                f"{first['lag_p']:.3f}, the same hypothesis)"
            )
            joint = [p for p in joint if p != 1]
        if not orders and joint:
            why += (
                f"; the joint chi2 rejects at order(s) {', '.join(map(str, joint))}, "
                "so consider a lag by hand"
            )
        rule = (
            f"the larger of the stepwise order ({self.stepwise_lag}: orders 1, 2, ... while "
            f"each own-lag p, or order 1's chi2 p, < {self.alpha:g}) and the highest order "
            f"with own-lag p < "
            f"{self.alpha:g}/{top} = {self.bonferroni_alpha:.3g} (Bonferroni over {top} "
            f"orders: {self.bonferroni_lag})"
        )
        text = (
            f"lag {self.suggested_lag} chosen by Breusch-Godfrey (alpha = {self.alpha:g}): "
            f"{why}; rule: {rule}."
        )
        if self.chosen_by == "bonferroni":
            text += (
                f" The lag rests on the Bonferroni part alone: order {self.bonferroni_lag} "
                "is strongly significant above a non-significant lower order."
            )
        return text

    def summary(self) -> SummaryTable:
        return SummaryTable(
            self.table,
            title="Breusch-Godfrey LM test for autocorrelation (H0: no serial correlation)",
            notes=(
                "chi2 = N R^2 of the auxiliary regression of the residuals on the "
                "regressors and lags 1..p of the residuals"
                + (" (missing lags set to 0, Stata's default)." if self.zero_padded else "."),
                "lag_p tests the coefficient of the p-th lag; the suggested Newey-West lag is "
                "the larger of the stepwise order (1, 2, ... while lag_p < alpha; order 1 "
                "also when its p < alpha) and the highest order with lag_p < alpha/max_lag "
                f"(Bonferroni). {self.reason}",
            ),
            formats={
                # shown against the level the suggestion used, so a lag_p of 0.0496
                # that chose a lag never prints as 0.050
                "p": partial(format_p, alpha=self.alpha),
                "lag_p": partial(format_p, alpha=self.alpha),
                "df": "{:.0f}".format,
                "nobs": "{:.0f}".format,
            },
        )

    def to_dict(self) -> dict:
        return {
            "tests": self.table.reset_index().to_dict(orient="records"),
            "suggested_lag": self.suggested_lag,
            "significant_orders": list(self.significant_orders),
            "stepwise_lag": self.stepwise_lag,
            "order_one_by_chi2": self.order_one_by_chi2,
            "bonferroni_lag": self.bonferroni_lag,
            "bonferroni_alpha": self.bonferroni_alpha,
            "chosen_by": self.chosen_by,
            "reason": self.reason,
            "alpha": self.alpha,
        }


def default_max_lag(time_points: int) -> int:
    """12 orders, or a quarter of the time points if fewer (at least 1)."""
    return min(12, max(1, time_points // 4))


def _lagged(e: np.ndarray, unit_code: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """``e_{t-lag}`` within units (0 where it does not exist) and a mask of rows where it
    exists."""
    out = np.zeros_like(e)
    exists = np.zeros(len(e), dtype=bool)
    if lag < len(e):
        same = unit_code[lag:] == unit_code[:-lag]
        out[lag:][same] = e[:-lag][same]
        exists[lag:] = same
    return out, exists


def _least_squares(Z: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, float]:
    """The coefficients of ``e`` on ``Z`` and ``|R[-1, -1]|`` of ``Z = QR``, from one
    factorisation, of ``[Z | e]``: its ``R`` holds ``Z``'s and, above it in the last
    column, ``Q'e``, so ``Q`` is never formed. The last coefficient's variance is
    ``s2 / R[-1, -1]^2``, with no ``Z'Z``, whose condition number is the square of
    ``Z``'s (a population covariate of 1e6 +- 10). A ``Z`` that is rank deficient (lags
    of residuals that are all 0: an exact fit) takes ``lstsq``'s minimum-norm answer."""
    k = Z.shape[1]
    r = np.linalg.qr(np.column_stack([Z, e]), mode="r")
    diag = np.abs(np.diag(r)[:k])
    r_last = float(diag[-1])
    if diag.min() <= np.finfo(float).eps * max(Z.shape) * diag.max():
        return np.linalg.lstsq(Z, e, rcond=None)[0], r_last
    return solve_triangular(r[:k, :k], r[:k, k]), r_last


def breusch_godfrey(
    X: np.ndarray,
    resid: np.ndarray,
    unit_code: np.ndarray,
    *,
    max_lag: int | None = None,
    alpha: float = 0.05,
    zero_pad: bool = True,
) -> BreuschGodfreyTest:
    """Breusch–Godfrey tests of OLS residuals for orders ``1..max_lag``.

    Parameters
    ----------
    X
        The regression's design ``(n, k)``, including the constant; rows sorted by unit
        then time.
    resid
        OLS residuals ``(n,)``.
    unit_code
        Unit of each row (all zeros for one series).
    max_lag
        Highest order tested; default 12 or a quarter of a unit's time points, if fewer
        (a 20-quarter series: 5): the suggestion takes the highest significant order,
        and an auxiliary regression with lags to half the series finds chance ones.
    alpha
        Significance level of each lag's own test, for the suggested lag.
    zero_pad
        Stata's default (``True``); ``False`` is ``estat bgodfrey, nomiss0``.
    """
    n = X.shape[0]
    per_unit = np.bincount(unit_code)
    if max_lag is None:
        max_lag = default_max_lag(int(per_unit.min()))
    if not isinstance(max_lag, (int, np.integer)) or max_lag < 1:
        raise InputError(f"parameter 'max_lag': expected an integer >= 1, got {max_lag!r}")
    if max_lag >= per_unit.min() - 1:
        raise InputError(
            f"parameter 'max_lag': {max_lag} is too large for series of {per_unit.min()} "
            "time points"
        )
    if not 0 < alpha < 1:
        raise InputError(f"parameter 'alpha': expected a number in (0, 1), got {alpha!r}")
    lags = []
    masks = []
    for p in range(1, max_lag + 1):
        values, exists = _lagged(resid, unit_code, p)
        lags.append(values)
        masks.append(exists)
    rows = []
    for p in range(1, max_lag + 1):
        Z = np.column_stack([X, *lags[:p]])
        keep = np.ones(n, dtype=bool) if zero_pad else np.logical_and.reduce(masks[:p])
        Zk, ek = Z[keep], resid[keep]
        nobs = int(keep.sum())
        coef, r_last = _least_squares(Zk, ek)
        u = ek - Zk @ coef
        tss = np.sum((ek - ek.mean()) ** 2)
        r2 = 1.0 - np.sum(u * u) / tss if tss > 0 else 0.0
        chi2 = nobs * r2
        df_aux = nobs - Zk.shape[1]
        s2 = np.sum(u * u) / df_aux
        se_last = float(np.sqrt(s2)) / r_last if r_last > 0 else np.inf
        t_last = float(coef[-1] / se_last) if se_last > 0 else np.nan
        rows.append(
            {
                "lag": p,
                "chi2": float(chi2),
                "df": p,
                "p": float(stats.chi2.sf(chi2, p)),
                "nobs": nobs,
                "lag_coef": float(coef[-1]),
                "lag_t": t_last,
                "lag_p": float(2 * stats.t.sf(abs(t_last), df_aux)),
            }
        )
    table = pd.DataFrame(rows).set_index("lag")
    test = BreuschGodfreyTest(table, alpha, 0, zero_pad)
    return replace(test, suggested_lag=max(test.stepwise_lag, test.bonferroni_lag))
