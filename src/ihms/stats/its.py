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
    Stata's ``prais`` does by default; ``prais_twostep=True`` stops after one step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ihms.errors import InputError
from ihms.stats._autocorr import BreuschGodfreyTest, breusch_godfrey
from ihms.stats._its_design import ITSDesign, build_design, parse_interruption
from ihms.stats._newey import lag_pairs, newey_west_cov, ols_batch, ols_cov, prais_winsten
from ihms.stats.seasonal import SeasonalAdjustment, ratio_to_moving_average
from ihms.summary import SummaryTable

__all__ = ["CovType", "ITSModel", "ITSResults"]

CovType = Literal["newey", "glm", "ols", "prais"]
_COV_TYPES = ("newey", "glm", "ols", "prais")
_COV_LABEL = {
    "newey": "OLS with Newey-West standard errors",
    "glm": "GLM (Gaussian) with Newey-West standard errors over the stacked data",
    "ols": "OLS with conventional standard errors",
    "prais": "Prais-Winsten AR(1) regression",
}


def _test(estimate: np.ndarray, se: np.ndarray, dist: str, df: int, level: float) -> dict:
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = estimate / se
    if dist == "t":
        p = 2 * stats.t.sf(np.abs(stat), df)
        q = stats.t.ppf(0.5 + level / 2, df)
    else:
        p = 2 * stats.norm.sf(np.abs(stat))
        q = stats.norm.ppf(0.5 + level / 2)
    return {
        "coef": estimate,
        "std_error": se,
        "t": stat,
        "p": p,
        "ci_low": estimate - q * se,
        "ci_high": estimate + q * se,
    }


@dataclass(frozen=True, eq=False)
class ITSResults:
    """A fitted interrupted time series. Build it with :meth:`ITSModel.fit`.

    Attributes
    ----------
    params
        Coefficients named as ``itsa`` names them (``_t``, ``_x1989``, ``_cons``, ...).
    cov_params
        Their covariance matrix.
    cov_type, lags, level
        The options of the fit.
    dist
        ``"t"`` (tests on ``df_resid`` degrees of freedom) or ``"normal"``.
    rho
        Prais–Winsten's AR(1) coefficient (``None`` for other fits).
    seasonal
        Per unit, the seasonal adjustment applied to the outcome before fitting.
    """

    design: ITSDesign
    params: pd.Series
    cov_params: pd.DataFrame
    cov_type: str
    lags: int
    level: float
    dist: str
    observed_raw: np.ndarray
    rho: float | None = None
    seasonal: dict[Any, SeasonalAdjustment] | None = None

    # -- coefficient table -------------------------------------------------------
    @property
    def n(self) -> int:
        return self.design.n

    @property
    def observed(self) -> np.ndarray:
        """The outcome as modelled (seasonally adjusted if the fit asked for it), in
        design order; ``observed_raw`` holds the values as given."""
        return self.design.y

    @property
    def df_resid(self) -> int:
        return self.design.n - self.design.k

    @property
    def std_errors(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.cov_params.to_numpy())), index=self.params.index)

    def _table(self, level: float | None = None) -> pd.DataFrame:
        out = _test(
            self.params.to_numpy(),
            self.std_errors.to_numpy(),
            self.dist,
            self.df_resid,
            self.level if level is None else level,
        )
        return pd.DataFrame(out, index=pd.Index(self.params.index, name="term"))

    @property
    def tvalues(self) -> pd.Series:
        return self._table()["t"]

    @property
    def pvalues(self) -> pd.Series:
        return self._table()["p"]

    def conf_int(self, level: float | None = None) -> pd.DataFrame:
        """Confidence intervals (``level`` defaults to the fit's, 0.95)."""
        if level is not None and not 0 < level < 1:
            raise InputError(f"parameter 'level': expected a number in (0, 1), got {level!r}")
        return self._table(level)[["ci_low", "ci_high"]]

    def lincom(self, weights: dict[str, float]) -> dict[str, float]:
        """A linear combination of coefficients with its test, as Stata's ``lincom``."""
        unknown = [t for t in weights if t not in self.params.index]
        if unknown:
            raise InputError(f"parameter 'weights': unknown term(s) {', '.join(unknown)}")
        c = np.array([weights.get(t, 0.0) for t in self.params.index])
        est = float(c @ self.params.to_numpy())
        se = float(np.sqrt(c @ self.cov_params.to_numpy() @ c))
        out = _test(np.array([est]), np.array([se]), self.dist, self.df_resid, self.level)
        return {key: float(v[0]) for key, v in out.items()}

    # -- post-intervention trends (itsa's posttrend) --------------------------------
    @property
    def post_trend(self) -> pd.DataFrame:
        """The slope of each post-interruption segment: for the treated unit and, with
        controls, for the controls and the difference (``itsa ..., posttrend``)."""
        rows = []
        treated = {"_t": 1.0}
        controls = {"_t": 1.0}
        difference: dict[str, float] = {}
        if self.design.multi_group:
            treated["_z_t"] = 1.0
            difference["_z_t"] = 1.0
        for label in self.design.interruption_labels:
            treated[f"_x_t{label}"] = 1.0
            controls[f"_x_t{label}"] = 1.0
            groups = [("treated", dict(treated))]
            if self.design.multi_group:
                treated[f"_z_x_t{label}"] = 1.0
                difference[f"_z_x_t{label}"] = 1.0
                groups = [
                    ("treated", dict(treated)),
                    ("controls", dict(controls)),
                    ("difference", dict(difference)),
                ]
            for group, weights in groups:
                rows.append({"interruption": label, "group": group, **self.lincom(weights)})
        return pd.DataFrame(rows).set_index(["interruption", "group"])

    # -- fitted values, counterfactual, effects -------------------------------------
    @property
    def fitted(self) -> pd.DataFrame:
        """Observed (as modelled) and fitted values of every row, sorted by unit and
        time."""
        d = self.design
        frame = pd.DataFrame(
            {
                "time": [d.axis.display(t) for t in d.time],
                "observed": self.observed,
                "fitted": d.X @ self.params.to_numpy(),
            }
        )
        if d.group_column is not None:
            frame.insert(0, "unit", d.unit)
        return frame

    def _dropped_terms(self, relative_to: str) -> list[str]:
        terms = self.design.terms
        if relative_to == "own_trend":
            return [t for t in terms if t.startswith(("_x", "_z_x"))]
        if relative_to == "controls":
            if not self.design.multi_group:
                raise InputError("parameter 'relative_to': 'controls' needs a multiple-group fit")
            return [t for t in terms if t.startswith("_z_x")]
        raise InputError(
            f"parameter 'relative_to': expected 'own_trend' or 'controls', got {relative_to!r}"
        )

    def _effect_rows(self, times: np.ndarray, relative_to: str) -> pd.DataFrame:
        d = self.design
        X = d.rows_for(times)
        b = self.params.to_numpy()
        drop = np.isin(np.array(d.terms), self._dropped_terms(relative_to))
        C = np.where(drop[None, :], X, 0.0)  # the part of each row the intervention adds
        fitted = X @ b
        effect = C @ b
        se = np.sqrt(np.einsum("ik,kj,ij->i", C, self.cov_params.to_numpy(), C))
        test = _test(effect, se, self.dist, self.df_resid, self.level)
        counterfactual = fitted - effect
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = effect / counterfactual
        obs = dict(zip(d.time[d.treated].tolist(), self.observed[d.treated].tolist(), strict=True))
        return pd.DataFrame(
            {
                "time": [d.axis.display(t) for t in times],
                "observed": [obs[t] for t in times.tolist()],
                "fitted": fitted,
                "counterfactual": counterfactual,
                "effect": effect,
                "std_error": se,
                "ci_low": test["ci_low"],
                "ci_high": test["ci_high"],
                "p": test["p"],
                "relative_effect": relative,
            }
        )

    @property
    def counterfactual(self) -> pd.DataFrame:
        """The treated unit over all times: observed, fitted, and the counterfactual (its
        pre-interruption level and trend carried forward)."""
        rows = self._effect_rows(self.design.times, "own_trend")
        return rows[["time", "observed", "fitted", "counterfactual"]]

    def effect(self, at: Any = None, *, relative_to: str = "own_trend") -> pd.DataFrame:
        """The effect of the intervention on the treated unit at chosen times.

        Parameters
        ----------
        at
            One time point or several (``1995``, ``"2019-06"``, ...); default every time
            from the first interruption on.
        relative_to
            ``"own_trend"``: fitted minus the treated unit's pre-interruption trajectory
            (Linden's counterfactual). ``"controls"`` (multiple groups): fitted minus the
            trajectory the treated unit would have had if it had changed as the controls
            did (the difference-in-differences terms ``_z_x``, ``_z_x_t``).

        Returns
        -------
        DataFrame
            ``time, observed, fitted, counterfactual, effect, std_error, ci_low, ci_high,
            p, relative_effect`` (effect / counterfactual). The standard error is the
            ``lincom`` of the interruption terms.
        """
        d = self.design
        if at is None:
            times = d.times[d.times >= d.interruptions[0]]
        else:
            values = [at] if isinstance(at, (str, int, np.integer, pd.Period)) else list(at)
            times = np.array([parse_interruption(v, d.axis, parameter="at") for v in values])
        return self._effect_rows(np.asarray(times, dtype=np.int64), relative_to)

    # -- rendering -----------------------------------------------------------------
    def _title(self) -> str:
        how = _COV_LABEL[self.cov_type]
        if self.cov_type in ("newey", "glm"):
            how += f", lag {self.lags}"
        return f"Interrupted time series: {self.design.outcome} ({how})"

    def _notes(self) -> list[str]:
        d = self.design
        notes = [
            f"N = {d.n}, df = {self.df_resid}; interruption(s): "
            + ", ".join(d.axis.display(p) for p in d.interruptions)
            + "; _t = 0 in the first period.",
        ]
        if d.multi_group:
            notes.append(
                f"Treated: {d.treated_unit}; {len(d.control_units)} control unit(s). "
                "_z terms are the treated-minus-controls differences."
            )
        if self.rho is not None:
            notes.append(f"rho = {self.rho:.4f}")
        if self.seasonal is not None:
            notes.append("Outcome seasonally adjusted (ratio to centred 2x12 moving average).")
        if self.dist == "normal":
            notes.append("Tests use the normal distribution (z).")
        return notes

    def summary(self) -> SummaryTable:
        """The coefficient table as ``itsa`` prints it (coef, std_error, t, p, CI)."""
        return SummaryTable(
            self._table(),
            title=self._title(),
            notes=tuple(self._notes()),
            formats={"p": "{:.4f}".format},
        )

    def post_trend_summary(self) -> SummaryTable:
        frame = self.post_trend.reset_index()
        frame.index = pd.Index(
            [f"{g} ({i})" for i, g in zip(frame["interruption"], frame["group"], strict=True)],
            name="post-interruption trend",
        )
        return SummaryTable(
            frame.drop(columns=["interruption", "group"]),
            title=f"Post-interruption linear trends: {self.design.outcome}",
            notes=("lincom of _t and the _x_t (and _z) terms, as itsa's posttrend option.",),
            formats={"p": "{:.4f}".format},
        )

    def to_dict(self) -> dict:
        """Plain data for JSON: ``params``, ``post_trend``, ``n``, ``df_resid``, ``lags``..."""
        table = self._table()
        params = {term: {k: float(v) for k, v in row.items()} for term, row in table.iterrows()}
        post: dict[str, dict] = {}
        for (label, group), row in self.post_trend.iterrows():
            post.setdefault(label, {})[group] = {k: float(v) for k, v in row.items()}
        d = self.design
        return {
            "outcome": d.outcome,
            "cov_type": self.cov_type,
            "lags": self.lags,
            "level": self.level,
            "dist": self.dist,
            "n": d.n,
            "df_resid": self.df_resid,
            "interruptions": [d.axis.display(p) for p in d.interruptions],
            "treated": None if d.treated_unit is None else str(d.treated_unit),
            "controls": [str(c) for c in d.control_units],
            "rho": self.rho,
            "seasonally_adjusted": self.seasonal is not None,
            "params": params,
            "post_trend": post,
        }

    def get_plot_data(self) -> pd.DataFrame:
        """What :func:`ihms.stats.its_plot.plot_its` draws (see there)."""
        from ihms.stats.its_plot import its_plot_data

        return its_plot_data(self)


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

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": range(2000, 2012),
    ...                    "y": [10, 11, 12, 13, 14, 15, 12, 12, 12, 12, 12, 12.0]})
    >>> res = ITSModel(df, outcome="y", time="year", interruptions=2006).fit(lags=0)
    >>> round(res.params["_x2006"], 6), round(res.params["_x_t2006"], 6)
    (-3.0, -1.0)
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
    ) -> None:
        self.data = data
        self.outcome = outcome
        self.time = time
        if isinstance(interruptions, (str, int, np.integer, pd.Period, pd.Timestamp)):
            interruptions = [interruptions]
        self.interruptions = tuple(interruptions)
        self.group = group
        self.treated = treated
        self.controls = None if controls is None else tuple(controls)
        self.single = single
        self.covariates = tuple(covariates)
        self.seasonal = seasonal
        self.source = source

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
        )
        observed = d.y.copy()
        if not self.seasonal:
            return d, observed, None
        if d.axis.kind != "monthly":
            raise InputError("parameter 'seasonal': seasonal adjustment needs monthly time")
        y = d.y.copy()
        adjustments: dict[Any, SeasonalAdjustment] = {}
        for code in np.unique(d.unit_code):
            rows = np.flatnonzero(d.unit_code == code)
            months = pd.PeriodIndex([d.axis.to_period(t) for t in d.time[rows]], freq="M")
            unit = d.unit[rows[0]]
            name = self.outcome if unit is None else f"{self.outcome} of unit {unit!r}"
            adj = ratio_to_moving_average(pd.Series(d.y[rows], index=months), name=name)
            adjustments[unit] = adj
            y[rows] = adj.adjusted.to_numpy()
        return dataclasses.replace(d, y=y), observed, adjustments

    def lag_tests(self, *, max_lag: int = 12, alpha: float = 0.05) -> BreuschGodfreyTest:
        """Breusch–Godfrey tests of the OLS residuals for orders ``1..max_lag`` (Stata's
        ``estat bgodfrey, lags(1/max_lag)`` after ``regress``) and the suggested lag."""
        d, _, _ = self.design()
        _, resid, _ = ols_batch(d.X, d.y[:, None])
        return breusch_godfrey(d.X, resid[:, 0], d.unit_code, max_lag=max_lag, alpha=alpha)

    def fit(
        self,
        *,
        cov_type: CovType = "newey",
        lags: int | Literal["auto"] = 0,
        level: float = 0.95,
        max_lag: int = 12,
        prais_twostep: bool = False,
    ) -> ITSResults:
        """Fit the model.

        Parameters
        ----------
        cov_type
            ``"newey"``, ``"glm"``, ``"ols"`` or ``"prais"`` (see the module docstring).
        lags
            Newey–West maximum lag, or ``"auto"``: the lag suggested by
            :meth:`lag_tests` (``max_lag`` orders). Only for ``"newey"`` and ``"glm"``.
        level
            Confidence level of the intervals.
        prais_twostep
            Prais–Winsten: stop after the first transformation (Stata's ``twostep``).
        """
        if cov_type not in _COV_TYPES:
            raise InputError(
                f"parameter 'cov_type': expected one of {', '.join(_COV_TYPES)}, got {cov_type!r}"
            )
        if not 0 < level < 1:
            raise InputError(f"parameter 'level': expected a number in (0, 1), got {level!r}")
        d, observed, seasonal = self.design()
        if lags == "auto":
            if cov_type not in ("newey", "glm"):
                raise InputError("parameter 'lags': 'auto' applies to cov_type 'newey' or 'glm'")
            _, resid, _ = ols_batch(d.X, d.y[:, None])
            lags = breusch_godfrey(d.X, resid[:, 0], d.unit_code, max_lag=max_lag).suggested_lag
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
        rho = None
        if cov_type == "prais":
            try:
                pw = prais_winsten(d.X, d.y, d.unit_code, twostep=prais_twostep)
            except ValueError as exc:
                raise InputError(f"Prais-Winsten: {exc}") from exc
            params, cov, rho = pw.params, pw.cov, pw.rho
        else:
            B, E, bread = ols_batch(d.X, d.y[:, None])
            params = B[0]
            if cov_type == "ols":
                cov = ols_cov(E, bread, d.n, d.k)[0]
            else:
                pairs = lag_pairs(d.unit_code, d.time, int(lags), across_units=cov_type == "glm")
                cov = newey_west_cov(d.X, E, bread, pairs)[0]
        index = pd.Index(d.terms, name="term")
        return ITSResults(
            design=d,
            params=pd.Series(params, index=index, name="coef"),
            cov_params=pd.DataFrame(cov, index=index, columns=index),
            cov_type=cov_type,
            lags=int(lags),
            level=level,
            dist="normal" if cov_type == "glm" else "t",
            observed_raw=observed,
            rho=rho,
            seasonal=seasonal,
        )
