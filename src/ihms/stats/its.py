"""Interrupted time-series analysis as Linden's Stata ``itsa`` computes it.

:class:`ITSModel` holds the data and the design options and does nothing until
:meth:`ITSModel.fit`, which returns a frozen :class:`ITSResults`. The design (term
names, time coding, single and multiple groups, several interruptions) is in
:mod:`ihms.stats._its_design`; the estimators in :mod:`ihms.stats._newey`.

Covariance options (``cov_type``):

``"newey"`` (default)
    OLS with Newey–West standard errors, as ``itsa`` 2.x (``newey ..., lag(L)``; with
    several units ``newey ..., lag(L) force`` on ``tsset panel time`` data, so lags stay
    within each unit); ``t`` tests on ``n - k`` degrees of freedom. ``lags=0`` gives
    heteroskedasticity-robust (HC1) errors.
``"glm"``
    ``itsa`` 3.x's default (``glm ..., vce(hac nwest L) vfactor(N/df)``): the same
    estimator and scaling, but the Newey–West lags run over the stacked data set (across
    unit boundaries, in panel order) and tests use the normal distribution. For one
    series it differs from ``"newey"`` only in using ``z``.
``"ols"``
    Conventional OLS standard errors (``regress``).
``"prais"``
    Prais–Winsten AR(1) regression (``itsa ..., prais``), iterated to convergence as
    Stata's ``prais`` does by default; ``prais_twostep=True`` stops after one step,
    ``prais_rhotype`` is ``prais, rhotype()`` and ``prais_robust=True`` its
    ``vce(robust)`` (Linden's help file fits ``prais rhotype(tscorr) vce(robust)``).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms._arguments import check_confidence
from ihms._renamed import renamed_parameter
from ihms._repr import brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._autocorr import BreuschGodfreyTest, breusch_godfrey
from ihms.stats._cumby import CumbyHuizingaTest, cumby_huizinga
from ihms.stats._its_design import ITSDesign, build_design
from ihms.stats._its_units import time_points
from ihms.stats._newey import (
    RHO_TYPES,
    LSFactor,
    exact_fit_message,
    exact_fits,
    lag_pairs,
    newey_west_cov,
    ols_batch,
    ols_cov,
    prais_winsten,
)
from ihms.stats.its_results import ITSResults
from ihms.stats.seasonal import SeasonalAdjustment, ratio_to_moving_average

__all__ = ["CovType", "ITSModel", "ITSResults"]

CovType = Literal["newey", "glm", "ols", "prais"]
_COV_TYPES = ("newey", "glm", "ols", "prais")


class ITSModel:
    """An interrupted time series: data and design options. Nothing runs until :meth:`fit`.

    Parameters
    ----------
    data
        One row per unit and time point. Never modified.
    outcome, time
        Column names. Time holds integers (years, period numbers) or months
        (``2017-10``, ``2017m10``, dates, Periods).
    interruptions
        The first period of each intervention phase, e.g. ``1989`` or ``"2017-10"``.
    group, treated, controls, single
        For several units: the unit column, the treated unit, the controls (default all
        other units) or ``single=True`` to analyse the treated unit alone.
    covariates
        Extra numeric columns added to the regression.
    seasonal
        Seasonally adjust the outcome of each unit first (monthly time only); see
        :func:`ihms.stats.seasonal.ratio_to_moving_average`.
    source
        File name used in error messages.
    delta
        The period in time units, Stata's ``tsset year, delta(2)``: a survey every 2
        years is read as evenly spaced, a missing survey year as a gap. Lags (Newey–West,
        Breusch–Godfrey, Cumby–Huizinga, Prais–Winsten's rho) count periods; ``_t`` and
        the ``_x_t`` terms stay in time units, as ``itsa`` codes them (``_t = year -
        first year``), so slopes are per year and a period's change is ``delta`` times
        the slope (said in the results' notes).

    Examples
    --------
    >>> import pandas as pd
    >>> # a little noise about two lines (a series exactly on them has standard errors
    >>> # of 0, and a StatisticalWarning says so); it leaves both lines where they were
    >>> df = pd.DataFrame({"year": range(2000, 2012),
    ...                    "y": [10.1, 10.9, 12, 13, 13.9, 15.1,
    ...                          12.1, 11.9, 12, 12, 11.9, 12.1]})
    >>> res = ITSModel(df, outcome="y", time="year", interruptions=2006).fit(lags=0)
    >>> # the pre-2006 line (slope 1) would reach 16 in 2006; the series stays about 12
    >>> float(round(res.params["_x2006"], 6)), float(round(res.params["_x_t2006"], 6))
    (-4.0, -1.0)
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        outcome: str,
        time: str,
        interruptions: Any,
        group: str | None = None,
        treated: Any = None,
        controls: Sequence[Any] | None = None,
        single: bool = False,
        covariates: Sequence[str] = (),
        seasonal: bool = False,
        source: str | None = None,
        delta: int = 1,
    ) -> None:
        self.data = data
        self.outcome = outcome
        self.time = time
        self.interruptions = time_points(interruptions)
        self.group = group
        self.treated = treated
        self.controls = None if controls is None else tuple(controls)
        self.single = single
        self.covariates = tuple(covariates)
        self.seasonal = seasonal
        self.source = source
        self.delta = delta

    def __repr__(self) -> str:
        return brief_repr(
            self,
            outcome=self.outcome,
            time=self.time,
            interruptions=self.interruptions,
            group=self.group,
            treated=self.treated,
            rows=len(self.data),
        )

    def design(self) -> tuple[ITSDesign, np.ndarray, dict[Any, SeasonalAdjustment] | None]:
        """Validate the data and build the design; returns ``(design, observed,
        seasonal)`` where ``observed`` is the unadjusted outcome in design order."""
        d = build_design(
            self.data,
            outcome=self.outcome,
            time=self.time,
            interruptions=self.interruptions,
            group=self.group,
            treated=self.treated,
            controls=self.controls,
            single=self.single,
            covariates=self.covariates,
            source=self.source,
            delta=self.delta,
        )
        observed = d.y.copy()
        if not self.seasonal:
            return d, observed, None
        y = d.y.copy()
        adjustments: dict[Any, SeasonalAdjustment] = {}
        for code in np.unique(d.unit_code):
            rows = np.flatnonzero(d.unit_code == code)
            months = d.axis.seasonal_index(d.time[rows])
            unit = d.unit[rows[0]]
            label = f"column {self.outcome!r}"
            label += "" if unit is None else f" of unit {unit!r}"
            label += f" of {self.source}" if self.source else ""
            adj = ratio_to_moving_average(
                pd.Series(d.y[rows], index=months),
                label=label,
                breaks=d.axis.seasonal_index(d.interruptions),
            )
            adjustments[unit] = adj
            y[rows] = adj.adjusted.to_numpy()
        return dataclasses.replace(d, y=y), observed, adjustments

    def lag_tests(self, *, max_lag: int | None = None, alpha: float = 0.05) -> BreuschGodfreyTest:
        """Breusch–Godfrey tests of the OLS residuals for orders ``1..max_lag`` (Stata's
        ``estat bgodfrey, lags(1/max_lag)`` after ``regress``) and the suggested lag.

        Parameters
        ----------
        max_lag
            Highest order tested; default 12, or a quarter of the time points if fewer.
        alpha
            Significance level at which a lag counts (see
            :attr:`BreuschGodfreyTest.suggested_lag`).
        """
        d, _, _ = self.design()
        _, resid, _ = self._ols(d)
        return breusch_godfrey(d.X, resid[:, 0], d.unit_code, max_lag=max_lag, alpha=alpha)

    def actest(
        self, *, lags: int = 1, q0: bool = False, robust: bool = False, bp: bool = False
    ) -> CumbyHuizingaTest:
        """Cumby–Huizinga tests of the OLS residuals (Baum and Schaffer's ``actest,
        lags(lags)`` after ``itsa``'s ``newey``, which Linden's help file runs after every
        example): lags ``1..j`` jointly and lag ``j`` alone, for ``j = 1..lags``. Without
        options the joint test equals :meth:`lag_tests`' ``chi2``; ``robust`` allows
        heteroskedasticity, ``q0`` tests each lag alone against no serial correlation,
        ``bp`` is the modified Box–Pierce form. See :mod:`ihms.stats._cumby`.

        Parameters
        ----------
        lags : int, default 1
            The highest lag tested (``actest, lags()``).
        q0 : bool, default False
            Test lag ``j`` alone against no serial correlation (``q = 0``), not against a
            moving average of order ``j - 1``.
        robust : bool, default False
            Allow heteroskedasticity (``actest, robust``).
        bp : bool, default False
            Hayashi's modified Box–Pierce form (``actest, bp``).
        """
        d, _, _ = self.design()
        _, resid, _ = self._ols(d)
        return cumby_huizinga(d.X, resid[:, 0], d.unit_code, lags=lags, q0=q0, robust=robust, bp=bp)

    def _ols(self, d: ITSDesign) -> tuple[np.ndarray, np.ndarray, LSFactor]:
        """:func:`ols_batch` of the outcome, with a warning at ihms's caller's line when it
        lies exactly on the fitted lines (nothing left to estimate a standard error or
        autocorrelation from)."""
        fit = ols_batch(d.X, d.y[:, None])
        if exact_fits(fit[1])[0]:
            warnings.warn(
                StatisticalWarning(
                    exact_fit_message(f"outcome {self.outcome!r}"),
                    zh=exact_fit_message(f"结局指标 {self.outcome!r}", lang="zh"),
                ),
                stacklevel=caller_stacklevel(),
            )
        return fit

    @renamed_parameter("level", "confidence", since="0.1.0")
    def fit(
        self,
        *,
        cov_type: CovType = "newey",
        lags: int | Literal["auto"] = 0,
        confidence: float = 0.95,
        max_lag: int | None = None,
        prais_twostep: bool = False,
        prais_rhotype: str = "regress",
        prais_robust: bool = False,
    ) -> ITSResults:
        """Fit the model.

        Parameters
        ----------
        cov_type
            ``"newey"``, ``"glm"``, ``"ols"`` or ``"prais"`` (see the module docstring).
        lags
            Newey–West maximum lag, or ``"auto"``: the lag :meth:`lag_tests` suggests
            over ``max_lag`` orders, the larger of the stepwise order (orders 1, 2, ...
            while each one's own-lag test rejects at 0.05, order 1 also by its
            Breusch–Godfrey ``N R^2`` test) and the highest order whose own-lag p is
            below 0.05/``max_lag`` (Bonferroni; see :mod:`ihms.stats._autocorr`), with a
            note of the orders that chose it. Only for ``"newey"`` and ``"glm"``.
        confidence
            Confidence level of the intervals, a fraction in (0, 1); default 0.95
            (``level`` before 0.1.0, still taken with a DeprecationWarning).
        max_lag
            With ``lags="auto"``: the highest order :meth:`lag_tests` tries (default 12,
            or a quarter of the time points if fewer).
        prais_twostep
            Prais–Winsten: stop after the first transformation (Stata's ``twostep``).
        prais_rhotype
            Prais–Winsten: how rho is estimated from the residuals, Stata's
            ``rhotype()``: ``"regress"`` (the default), ``"freg"``, ``"tscorr"``, ``"dw"``,
            ``"theil"`` or ``"nagar"`` (see :func:`ihms.stats._newey._rho`).
        prais_robust
            Prais–Winsten: heteroskedasticity-robust standard errors of the transformed
            regression (Stata's ``vce(robust)``) instead of the OLS ones.
        """
        if cov_type not in _COV_TYPES:
            raise InputError(
                f"parameter 'cov_type': expected one of {', '.join(_COV_TYPES)}, got {cov_type!r}"
            )
        confidence = check_confidence(confidence)
        if prais_rhotype not in RHO_TYPES:
            raise InputError(
                f"parameter 'prais_rhotype': expected one of {', '.join(RHO_TYPES)}, "
                f"got {prais_rhotype!r}"
            )
        if cov_type != "prais" and (prais_twostep or prais_robust or prais_rhotype != "regress"):
            raise InputError(
                "parameters 'prais_twostep', 'prais_rhotype' and 'prais_robust' apply to "
                f"cov_type 'prais', not {cov_type!r}"
            )
        d, observed, seasonal = self.design()
        ols = None
        if lags == "auto":
            if cov_type not in ("newey", "glm"):
                raise InputError("parameter 'lags': 'auto' applies to cov_type 'newey' or 'glm'")
            ols = self._ols(d)
            bg = breusch_godfrey(d.X, ols[1][:, 0], d.unit_code, max_lag=max_lag)
            lags, lag_choice = bg.suggested_lag, bg.reason
        else:
            lag_choice = None
        if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or lags < 0:
            raise InputError(f"parameter 'lags': expected an integer >= 0 or 'auto', got {lags!r}")
        if cov_type in ("ols", "prais") and lags != 0:
            raise InputError(
                f"parameter 'lags': cov_type {cov_type!r} takes no lags (itsa: lag() may not "
                f"be combined with prais); got {lags}"
            )
        per_unit = len(d.times)
        if lags >= per_unit:
            raise InputError(
                f"parameter 'lags': {lags} is not below the {per_unit} time points of a series"
            )
        rho = prais = None
        if cov_type == "prais":
            try:
                pw = prais_winsten(
                    d.X,
                    d.y,
                    d.unit_code,
                    twostep=prais_twostep,
                    rhotype=prais_rhotype,
                    robust=prais_robust,
                )
            except ValueError as exc:
                raise InputError(f"Prais-Winsten: {exc}") from exc
            params, cov, rho = pw.params, pw.cov, pw.rho
            prais = {
                "rhotype": prais_rhotype,
                "twostep": prais_twostep,
                "robust": prais_robust,
                "iterations": pw.iterations,
                "dw_original": pw.dw_original,
                "dw_transformed": pw.dw_transformed,
            }
        else:
            B, E, factor = self._ols(d) if ols is None else ols
            params = B[0]
            if cov_type == "ols":
                cov = ols_cov(E, factor, d.n, d.k)[0]
            else:
                pairs = lag_pairs(d.unit_code, d.periods, int(lags), across_units=cov_type == "glm")
                cov = newey_west_cov(E, factor, pairs)[0]
        index = pd.Index(d.terms, name="term")
        return ITSResults(
            design=d,
            params=pd.Series(params, index=index, name="coef"),
            cov_params=pd.DataFrame(cov, index=index, columns=index),
            cov_type=cov_type,
            lags=int(lags),
            level=confidence,
            dist="normal" if cov_type == "glm" else "t",
            observed_raw=observed,
            rho=rho,
            prais=prais,
            seasonal=seasonal,
            lag_choice=lag_choice,
        )
