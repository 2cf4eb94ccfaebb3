"""The results of an interrupted time-series fit: :class:`ITSResults`.

Coefficients carry ``itsa``'s names; ``post_trend`` is ``itsa``'s ``posttrend`` table
(Stata ``lincom``); :meth:`ITSResults.effect` and ``counterfactual`` give the
intervention's effect on the treated unit with ``lincom`` standard errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ihms._arguments import check_confidence
from ihms._renamed import renamed_parameter
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._its_design import ITSDesign, parse_interruption
from ihms.stats._its_units import time_points
from ihms.stats.seasonal import SeasonalAdjustment
from ihms.summary import SummaryTable, format_p

__all__ = ["ITSResults"]

#: Headers of the coefficient tables in a console too narrow for the full ones (80
#: columns): the words that cannot wrap are shortened, the numbers stay.
_SHORT = {"std_error": "se", "post-interruption trend": "trend"}

_COV_LABEL = {
    "newey": "OLS with Newey-West standard errors",
    "glm": "GLM (Gaussian) with Newey-West standard errors over the stacked data",
    "ols": "OLS with conventional standard errors",
    "prais": "Prais-Winsten AR(1) regression",
}


def _fit_label(cov_type: str, lags: int) -> str:
    """How a fit was estimated, for titles: ``OLS with Newey-West ..., lag 2``."""
    how = _COV_LABEL[cov_type]
    return how + (f", lag {lags}" if cov_type in ("newey", "glm") else "")


def _test(estimate: np.ndarray, se: np.ndarray, dist: str, df: int, level: float) -> dict:
    with np.errstate(divide="ignore", invalid="ignore"):
        # a standard error of 0 (an exact fit) leaves the test undefined, as Stata's "."
        stat = np.where(se > 0, estimate / se, np.nan)
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
class ITSResults(SummaryHtml):
    """A fitted interrupted time series. Build it with :meth:`ITSModel.fit`.

    Attributes
    ----------
    design
        The regression design (terms, design matrix, units and time codes, sorted by unit
        then time).
    params
        Coefficients named as ``itsa`` names them (``_t``, ``_x1989``, ``_cons``, ...).
    cov_params
        Their covariance matrix.
    std_errors, tvalues, pvalues
        Per coefficient; :meth:`conf_int` gives the intervals.
    n, df_resid
        Observations, and residual degrees of freedom (``n`` minus the terms).
    model_test
        The header's ``F`` test that every term but ``_cons`` is zero.
    observed, observed_raw
        The outcome as modelled (seasonally adjusted if asked) and as given, in design
        order.
    cov_type, lags, level
        The options of the fit.
    dist
        ``"t"`` (tests on ``df_resid`` degrees of freedom) or ``"normal"``.
    rho
        Prais–Winsten's AR(1) coefficient (``None`` for other fits).
    prais
        Prais–Winsten's options and diagnostics (``rhotype``, ``twostep``, ``robust``,
        ``iterations``, the Durbin–Watson statistics ``dw_original`` and
        ``dw_transformed`` Stata prints under the table); ``None`` for other fits.
    seasonal
        Per unit, the seasonal adjustment applied to the outcome before fitting.
    lag_choice
        With ``lags="auto"``: which lag Breusch–Godfrey chose and why (a note).
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
    prais: dict[str, Any] | None = None
    seasonal: dict[Any, SeasonalAdjustment] | None = None
    lag_choice: str | None = None

    def __repr__(self) -> str:
        d = self.design
        return brief_repr(
            self,
            outcome=d.outcome,
            time=d.time_column,
            interruptions=d.interruption_labels,
            treated=d.treated_unit,
            controls=len(d.control_units) or None,
            n=self.n,
            cov_type=self.cov_type,
            lags=self.lags,
        )

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

    @renamed_parameter("level", "confidence", since="0.1.0")
    def conf_int(self, confidence: float | None = None) -> pd.DataFrame:
        """Confidence intervals (``confidence`` defaults to the fit's, 0.95).

        Parameters
        ----------
        confidence : float, optional
            Confidence level as a fraction in (0, 1) (0.9, not 90); None uses the fit's
            (``level`` before 0.1.0, still taken with a DeprecationWarning).

        Returns
        -------
        pandas.DataFrame
            Columns ``ci_low`` and ``ci_high``, one row per term.
        """
        if confidence is not None:
            confidence = check_confidence(confidence)
        return self._table(confidence)[["ci_low", "ci_high"]]

    def lincom(self, weights: dict[str, float]) -> dict[str, float]:
        """A linear combination of coefficients with its test, as Stata's ``lincom``.

        Parameters
        ----------
        weights : dict of str to float
            ``term → weight``; terms not named have weight 0.

        Returns
        -------
        dict
            ``coef, std_error, t, p, ci_low, ci_high`` of the combination, at the fit's
            level and distribution.

        Raises
        ------
        InputError
            A term that is not in :attr:`params`.
        """
        unknown = [t for t in weights if t not in self.params.index]
        if unknown:
            raise InputError(f"parameter 'weights': unknown term(s) {', '.join(unknown)}")
        c = np.array([weights.get(t, 0.0) for t in self.params.index])
        est = float(c @ self.params.to_numpy())
        se = float(np.sqrt(c @ self.cov_params.to_numpy() @ c))
        out = _test(np.array([est]), np.array([se]), self.dist, self.df_resid, self.level)
        return {key: float(v[0]) for key, v in out.items()}

    @property
    def model_test(self) -> dict[str, float] | None:
        """The test in the header of Stata's ``newey``/``regress``/``prais`` output: all
        coefficients but ``_cons`` are zero, ``F(q, n - k)`` as a Wald test on the fit's
        covariance (``F``, ``df_num``, ``df_denom``, ``p``). ``None`` for ``glm``, whose
        output has no such test."""
        if self.dist != "t":
            return None
        terms = [t for t in self.params.index if t != "_cons"]
        b = self.params[terms].to_numpy()
        V = self.cov_params.loc[terms, terms].to_numpy()
        try:
            F = float(b @ np.linalg.solve(V, b)) / len(terms)
        except np.linalg.LinAlgError:
            F = float("nan")
        p = float(stats.f.sf(F, len(terms), self.df_resid))
        return {"F": F, "df_num": len(terms), "df_denom": self.df_resid, "p": p}

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
            times = np.array(
                [parse_interruption(v, d.axis, parameter="at") for v in time_points(at)]
            )
        return self._effect_rows(np.asarray(times, dtype=np.int64), relative_to)

    # -- rendering -----------------------------------------------------------------
    def _title(self) -> str:
        return f"Interrupted time series: {self.design.outcome} ({_fit_label(self.cov_type, self.lags)})"

    def _notes(self) -> list[str]:
        d = self.design
        notes = [
            f"N = {d.n}, df = {self.df_resid}; interruption(s): "
            + ", ".join(d.axis.display(p) for p in d.interruptions)
            + "; _t = 0 in the first period.",
        ]
        test = self.model_test
        if test is not None:
            p = format_p(test["p"])
            notes.append(
                f"F({test['df_num']}, {test['df_denom']}) = "
                f"{'—' if np.isnan(test['F']) else format(test['F'], '.2f')}, "
                f"Prob > F {'< ' + p[1:] if p.startswith('<') else '= ' + p} (all terms but _cons "
                "are zero)."
            )
        if d.delta_note:
            notes.append(d.delta_note)
        if d.multi_group:
            notes.append(
                f"Treated: {d.treated_unit}; {len(d.control_units)} control unit(s). "
                "_z terms are the treated-minus-controls differences."
            )
        if self.lag_choice is not None:
            notes.append(self.lag_choice)
        if self.prais is not None:
            pw = self.prais
            how = f"rhotype({pw['rhotype']})" + (", twostep" if pw["twostep"] else "")
            notes.append(
                f"rho = {self.rho:.4f} ({how}, {pw['iterations']} iteration(s)); Durbin-Watson "
                f"statistic (original) {pw['dw_original']:.6f}, (transformed) "
                f"{pw['dw_transformed']:.6f}"
                + ("; robust (HC1) standard errors." if pw["robust"] else ".")
            )
        if self.seasonal is not None:
            first = next(iter(self.seasonal.values()))
            notes.append(
                f"Outcome seasonally adjusted ({first.method}). The standard errors take "
                "the seasonal indices as known, as a fit of the adjusted series in Stata "
                "does: their estimation is not carried into them."
            )
            notes += first.left_out_note()
            # keyed by unit label: None without a group column, the treated unit's
            # label with one (also under ``single``)
            treated = self.seasonal[d.treated_unit]
            whose = "" if d.treated_unit is None else f" of {d.treated_unit}"
            notes.append(f"Seasonal indices{whose}: {treated.indices_text()}.")
        if self.dist == "normal":
            notes.append("Tests use the normal distribution (z).")
        return notes

    def _shown(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Test columns as Stata heads them: ``z`` for normal-theory tests (``glm``), and
        the intervals' level (``95% CI low``), which the table would otherwise not say."""
        pct = f"{100 * self.level:.10g}%"
        names = {"ci_low": f"{pct} CI low", "ci_high": f"{pct} CI high"}
        if self.dist == "normal":
            names["t"] = "z"
        return frame.rename(columns=names)

    def _stacked(self) -> dict[str, str]:
        """In a narrow console the interval goes under coef and std_error."""
        low, high = self._shown(pd.DataFrame(columns=["ci_low", "ci_high"])).columns
        return {low: "coef", high: "std_error"}

    def summary(self) -> SummaryTable:
        """The coefficient table as ``itsa`` prints it: coef, std_error, t (z for
        ``glm``), p and the confidence interval, headed with its level."""
        return SummaryTable(
            self._shown(self._table()),
            title=self._title(),
            notes=tuple(self._notes()),
            formats={"p": format_p},
            short_headers=_SHORT,
            stack_under=self._stacked(),
        )

    def post_trend_summary(self) -> SummaryTable:
        """:attr:`post_trend` as ``itsa ..., posttrend`` prints it, one row per group
        and interruption, with the columns of :meth:`summary`."""
        frame = self.post_trend.reset_index()
        frame.index = pd.Index(
            [f"{g} ({i})" for i, g in zip(frame["interruption"], frame["group"], strict=True)],
            name="post-interruption trend",
        )
        return SummaryTable(
            self._shown(frame.drop(columns=["interruption", "group"])),
            title=f"Post-interruption linear trends: {self.design.outcome}",
            notes=("lincom of _t and the _x_t (and _z) terms, as itsa's posttrend option.",),
            formats={"p": format_p},
            short_headers=_SHORT,
            stack_under=self._stacked(),
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
            "delta": d.delta,
            "interruptions": [d.axis.display(p) for p in d.interruptions],
            "treated": None if d.treated_unit is None else str(d.treated_unit),
            "controls": [str(c) for c in d.control_units],
            "rho": self.rho,
            "prais": self.prais,
            "model_test": self.model_test,
            "seasonally_adjusted": self.seasonal is not None,
            "seasonal_indices": None
            if self.seasonal is None
            else {
                "treated" if unit is None else str(unit): adj.to_dict()["indices"]
                for unit, adj in self.seasonal.items()
            },
            "params": params,
            "post_trend": post,
            "notes": d.notes + ([self.lag_choice] if self.lag_choice else []),
        }

    def get_plot_data(self) -> pd.DataFrame:
        """What :func:`ihms.stats.its_plot.plot_its` draws (see there)."""
        from ihms.stats.its_plot import its_plot_data

        return its_plot_data(self)
