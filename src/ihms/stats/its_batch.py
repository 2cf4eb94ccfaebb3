"""Many interrupted time series with one design, fitted with batched linear algebra.

When every series (one per institution, indicator or county) shares its time points and
interruptions, the design matrix is the same for all of them. :func:`fit_its_batch`
factorises it once, solves for all coefficient vectors together and forms every
Newey–West covariance with ``einsum`` over the stack of series, instead of fitting each
series on its own. :meth:`ITSBatchResults.result` returns the usual
:class:`~ihms.stats.its.ITSResults` of one series; its numbers are those of
``ITSModel(...).fit()`` on that series alone (the same code with ``m = 1``).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._arguments import check_confidence
from ihms._listing import first_of
from ihms._renamed import renamed_parameter
from ihms._repr import SummaryHtml, brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, InputError, StatisticalWarning
from ihms.stats._cells import blank_rows, column_names
from ihms.stats._its_days import reading_note
from ihms.stats._its_design import ITSDesign, build_design
from ihms.stats._its_spacing import check_delta, off_grid, regular_step
from ihms.stats._its_time import (
    _where,
    numeric_column,
    parse_interruption,
    row_where,
    time_column,
)
from ihms.stats._its_units import time_points
from ihms.stats._newey import (
    exact_fit_message,
    exact_fits,
    lag_pairs,
    newey_west_cov,
    ols_batch,
    ols_cov,
)
from ihms.stats.its_results import ITSResults, _fit_label, _test
from ihms.stats.seasonal import ratio_to_moving_average
from ihms.summary import SummaryTable, format_p

__all__ = ["ITSBatchResults", "distinct_notes", "fit_its_batch", "series_names", "series_order"]


@dataclass(frozen=True, eq=False)
class ITSBatchResults(SummaryHtml):
    """Results of :func:`fit_its_batch`.

    Attributes
    ----------
    series
        Series identifiers, in the order of the rows of every table.
    params, std_errors, tvalues, pvalues
        One row per series, one column per term (``_t``, ``_x<P>``, ..., ``_cons``).
    cov
        Covariance matrices, shape ``(series, k, k)``.
    design
        The design shared by every series (its ``y`` is the first series').
    Y, observed_raw
        The outcomes as modelled (seasonally adjusted if asked) and as given, shape
        ``(time points, series)``.
    cov_type, lags, level
        The options of the fit.
    dist
        ``"t"`` (tests on ``df_resid`` degrees of freedom) or ``"normal"``.
    notes
        (property) The distinct notes of the series' results, each once (also under
        :meth:`summary`).
    """

    design: ITSDesign
    series: tuple[Hashable, ...]
    Y: np.ndarray
    observed_raw: np.ndarray
    params: pd.DataFrame
    cov: np.ndarray
    cov_type: str
    lags: int
    level: float
    dist: str

    def __repr__(self) -> str:
        return brief_repr(
            self,
            outcome=self.design.outcome,
            time=self.design.time_column,
            interruptions=self.design.interruption_labels,
            series=len(self.series),
            n_per_series=self.design.n,
            cov_type=self.cov_type,
            lags=self.lags,
        )

    @property
    def df_resid(self) -> int:
        return self.design.n - self.design.k

    @property
    def std_errors(self) -> pd.DataFrame:
        se = np.sqrt(np.einsum("mkk->mk", self.cov))
        return pd.DataFrame(se, index=self.params.index, columns=self.params.columns)

    def _tests(self) -> dict[str, np.ndarray]:
        return _test(
            self.params.to_numpy(), self.std_errors.to_numpy(), self.dist, self.df_resid, self.level
        )

    @property
    def tvalues(self) -> pd.DataFrame:
        return pd.DataFrame(
            self._tests()["t"], index=self.params.index, columns=self.params.columns
        )

    @property
    def pvalues(self) -> pd.DataFrame:
        return pd.DataFrame(
            self._tests()["p"], index=self.params.index, columns=self.params.columns
        )

    @property
    def post_trend(self) -> pd.DataFrame:
        """Post-interruption slope of every series: one row per series and interruption."""
        terms = list(self.design.terms)
        weights = np.zeros(len(terms))
        weights[terms.index("_t")] = 1.0
        frames = []
        for label in self.design.interruption_labels:
            weights[terms.index(f"_x_t{label}")] = 1.0
            est = self.params.to_numpy() @ weights
            se = np.sqrt(np.einsum("k,mkj,j->m", weights, self.cov, weights))
            out = _test(est, se, self.dist, self.df_resid, self.level)
            frame = pd.DataFrame(out, index=self.params.index)
            frame.insert(0, "interruption", label)
            frames.append(frame)
        return pd.concat(frames).set_index("interruption", append=True)

    @property
    def notes(self) -> list[str]:
        """The distinct notes of the series' results (``result(s).to_dict()["notes"]``),
        each once, naming its series when not every series has it
        (:func:`distinct_notes`). Today the one such note is how the time column was
        read (:func:`~ihms.stats._its_days.reading_note`), the same for every series:
        they share the column."""
        return distinct_notes(dict.fromkeys(self.series, self.design.notes))

    def table(self) -> pd.DataFrame:
        """Long table: one row per series and term with coef, std_error, t, p, CI."""
        tests = self._tests()
        parts = {
            key: pd.DataFrame(value, index=self.params.index, columns=self.params.columns).stack()
            for key, value in tests.items()
        }
        out = pd.DataFrame(parts)
        out.index = out.index.set_names([self.params.index.name, "term"])
        return out

    def summary(self) -> SummaryTable:
        """One row per series: at each interruption the change in level (``_x<P>``), the
        change in slope (``_x_t<P>``) and the post-interruption slope, each with its p."""
        pvalues = self.pvalues
        post = self.post_trend
        columns: dict[str, pd.Series] = {}
        for label in self.design.interruption_labels:
            for term, name in ((f"_x{label}", "level change"), (f"_x_t{label}", "slope change")):
                columns[f"{name} {label}"] = self.params[term]
                columns[f"p {name} {label}"] = pvalues[term]
            trend = post.xs(label, level="interruption")
            columns[f"post-trend {label}"] = trend["coef"]
            columns[f"p post-trend {label}"] = trend["p"]
        frame = pd.DataFrame(columns)
        how = _fit_label(self.cov_type, self.lags)
        d = self.design
        p_columns = [c for c in frame if c.startswith("p ")]
        return SummaryTable(
            frame,
            title=f"Interrupted time series of {len(self.series)} series: {d.outcome} ({how})",
            notes=(
                f"N = {d.n} time points each, df = {self.df_resid}; interruption(s): "
                + ", ".join(d.axis.display(p) for p in d.interruptions)
                + ". Post-trend: _t + _x_t (itsa's posttrend); result(series) gives one "
                "series' full table.",
                *self.notes,
            ),
            formats=dict.fromkeys(p_columns, format_p),
        )

    def result(self, series: Hashable) -> ITSResults:
        """The full :class:`ITSResults` of one series.

        Parameters
        ----------
        series : hashable
            A name of :attr:`series` (compared as given, then as text).

        Raises
        ------
        InputError
            ``series`` is not one of the fitted series.
        """
        matches = [i for i, s in enumerate(self.series) if s == series or str(s) == str(series)]
        if not matches:
            raise InputError(f"parameter 'series': {series!r} is not one of the fitted series")
        i = matches[0]
        index = pd.Index(self.design.terms, name="term")
        return ITSResults(
            design=dataclasses.replace(self.design, y=self.Y[:, i].copy()),
            params=pd.Series(self.params.to_numpy()[i], index=index, name="coef"),
            cov_params=pd.DataFrame(self.cov[i], index=index, columns=index),
            cov_type=self.cov_type,
            lags=self.lags,
            level=self.level,
            dist=self.dist,
            observed_raw=self.observed_raw[:, i].copy(),
        )


def series_names(column: pd.Series) -> pd.Series:
    """The series each row belongs to: a text name without its outer blanks ("Utah " and
    "Utah" are one series, as ``ITSModel(group=...)`` reads its unit column); a number
    as it is.

    >>> series_names(pd.Series(["Utah ", " Utah", 3])).tolist()
    ['Utah', 'Utah', 3]
    """
    return column.map(lambda key: key.strip() if isinstance(key, str) else key)


def series_order(keys: pd.Series) -> list[Hashable]:
    """The distinct series of ``keys`` (:func:`series_names`) in the order Stata's
    ``tsset`` sorts a panel variable, as ``ITSModel(group=...)`` sorts its units:
    numerically when every one is a number or text reading as one (1, 2, 10), else as
    text.

    >>> series_order(pd.Series(["10", "2", "1", "2"]))
    ['1', '2', '10']
    >>> series_order(pd.Series(["Utah", "Nevada"]))
    ['Nevada', 'Utah']
    """
    distinct = pd.unique(keys).tolist()  # Python scalars: messages show 2, not np.int64(2)
    numbers = pd.to_numeric(pd.Series([str(k) for k in distinct]), errors="coerce")
    if numbers.notna().all():
        order = sorted(range(len(distinct)), key=lambda i: float(numbers[i]))
        return [distinct[i] for i in order]
    return sorted(distinct, key=str)


def distinct_notes(by_series: dict[Hashable, list[str]]) -> list[str]:
    """Each distinct note of ``by_series`` (a series' notes) once, in order, prefixed
    with the series that have it when not every series does.

    Examples
    --------
    >>> distinct_notes({"a": ["x", "y"], "b": ["x"], "c": ["x"]})
    ['x', 'series a: y']
    """
    holders: dict[str, list[Hashable]] = {}
    for name, notes in by_series.items():
        for note in notes:
            holders.setdefault(note, []).append(name)
    return [
        note if len(names) == len(by_series) else f"series {first_of(map(str, names))}: {note}"
        for note, names in holders.items()
    ]


def _off_grid(
    codes: np.ndarray,
    first: int,
    delta: int,
    column: str,
    data: pd.DataFrame,
    source: str | None,
    positions: np.ndarray,
) -> str | None:
    """The problem of time points (of any series) not ``first`` plus whole periods of
    ``delta``, naming the file rows where each first appears; or None."""
    seen: dict[int, list[int]] = {}
    for code, p in zip(codes.tolist(), positions.tolist(), strict=True):
        seen.setdefault(code, []).append(p)
    return off_grid(seen, first, delta, column, None, data, source)


@renamed_parameter("level", "confidence", since="0.1.0")
def fit_its_batch(
    data: pd.DataFrame,
    *,
    outcome: str,
    time: str,
    series: str,
    interruptions: Any,
    cov_type: str = "newey",
    lags: int = 0,
    confidence: float = 0.95,
    seasonal: bool = False,
    source: str | None = None,
    delta: int = 1,
) -> ITSBatchResults:
    """Fit the same single-group ITS design to every series in a long table.

    Parameters
    ----------
    data
        Long table: one row per series and time point. Never modified.
    outcome, time, series
        Column names; ``series`` identifies each series (institution, indicator...), a
        text name without its outer blanks (:func:`series_names`).
    interruptions
        As in :class:`~ihms.stats.its.ITSModel`.
    cov_type
        ``"newey"``, ``"glm"`` or ``"ols"`` (Prais–Winsten iterates per series and is
        not batched: fit those with :class:`~ihms.stats.its.ITSModel`).
    lags
        Newey–West lag, the same for every series.
    confidence
        Confidence level of the intervals, a fraction in (0, 1); default 0.95 (``level``
        before 0.1.0, still taken with a DeprecationWarning).
    seasonal
        Seasonally adjust each series first (monthly time).
    source
        File name used in error messages.
    delta
        The period in time units, as in :class:`~ihms.stats.its.ITSModel` (Stata's
        ``tsset year, delta(2)``): lags count periods, the slopes stay per time unit.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> long = pd.DataFrame({"unit": np.repeat(["a", "b"], 12),
    ...                      "year": np.tile(np.arange(2000, 2012), 2),
    ...                      "y": rng.normal(size=24)})
    >>> res = fit_its_batch(long, outcome="y", time="year", series="unit", interruptions=2006)
    >>> res.params.shape
    (2, 4)
    """
    if cov_type not in ("newey", "glm", "ols"):
        raise InputError(
            f"parameter 'cov_type': batch fitting supports 'newey', 'glm' and 'ols', got "
            f"{cov_type!r}"
        )
    if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or lags < 0:
        raise InputError(f"parameter 'lags': expected an integer >= 0, got {lags!r}")
    if cov_type == "ols" and lags:
        raise InputError(f"parameter 'lags': cov_type 'ols' takes no lags, got {lags}")
    confidence = check_confidence(confidence)
    check_delta(delta, None)
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"parameter 'data': expected a pandas DataFrame, got {type(data).__name__}"
        )
    missing = [c for c in (outcome, time, series) if c not in data.columns]
    if missing:
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not found; available: "
            f"{column_names(data.columns)}"
        )
    interruptions = list(time_points(interruptions))

    problems: list[str] = []
    # a wholly empty row (the ,,, lines of an Excel export) is no observation, as in
    # ITSModel; ``positions`` keeps the file's row numbers in messages
    positions = np.flatnonzero(~blank_rows(data))
    rows_kept = data.iloc[positions]
    y = numeric_column(rows_kept, outcome, source, problems, positions)
    axis, codes = time_column(rows_kept, time, source, problems, positions)
    keys = series_names(rows_kept[series])
    for pos in np.flatnonzero(keys.isna().to_numpy() | (keys.astype(str) == "")):
        # an empty cell read as text ("") would otherwise be a series of its own
        where = _where(source, row_where(rows_kept, int(pos), source, positions), series)
        problems.append(f"{where}: an empty cell; every row needs the series it belongs to")
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the data", problems)
    delta = check_delta(delta, axis)
    first, last = int(codes.min()), int(codes.max())
    if delta > 1 and (off := _off_grid(codes, first, delta, time, data, source, positions)):
        raise DataError("1 problem(s) in the time points", [off])
    if axis.kind == "integer" and (
        step := regular_step(sorted(set(codes.tolist())), time, delta=delta)
    ):
        raise DataError("1 problem(s) in the time points", [step])  # every 2 years, ...
    # Place every value in a (time, series) grid; count cells to find duplicates and gaps.
    series_keys = pd.Index(series_order(keys), dtype=object)
    series_idx = series_keys.get_indexer(keys)
    time_idx = (codes - first) // delta
    n_times, n_series = (last - first) // delta + 1, len(series_keys)
    cell = time_idx * n_series + series_idx
    counts = np.bincount(cell, minlength=n_times * n_series).reshape(n_times, n_series)
    if (counts > 1).any():
        for ti, sj in zip(*np.nonzero(counts > 1), strict=True):
            rows = np.flatnonzero(cell == ti * n_series + sj)
            where = ", ".join(str(row_where(rows_kept, int(p), source, positions)) for p in rows)
            problems.append(
                f"column '{time}': time point {axis.display(first + ti * delta)} appears "
                f"{len(rows)} times in series {series_keys[sj]!r} (rows {where})"
            )
        raise DataError(f"{len(problems)} duplicate time point(s)", problems)
    if (counts == 0).any():
        every = f" (every delta={delta})" if delta > 1 else ""
        for sj in np.flatnonzero((counts == 0).any(axis=0)):
            gaps = np.flatnonzero(counts[:, sj] == 0) * delta + first
            shown = ", ".join(axis.display(t) for t in gaps[:10])
            problems.append(f"series {series_keys[sj]!r}: missing time point(s) {shown}{every}")
        raise DataError(
            f"{len(problems)} series do not cover the common time points; every series must "
            "have every period",
            problems,
        )
    grid = np.empty((n_times, n_series))
    grid[time_idx, series_idx] = y
    times = np.arange(first, last + 1, delta)
    template = pd.DataFrame({"time": [axis.to_period(t) for t in times], "y": 0.0})
    if note := reading_note(axis, time, times):  # quarters or years written as days
        # the template's time is plain quarters or years: give it the interruptions so
        interruptions = [
            axis.to_period(parse_interruption(p, axis, parameter="interruptions"))
            for p in interruptions
        ]
        zh = reading_note(axis, time, times, lang="zh")
        warnings.warn(IhmsWarning(note, zh=zh), stacklevel=caller_stacklevel())
    design = build_design(
        template, outcome="y", time="time", interruptions=interruptions, delta=delta
    )
    Y_raw = grid
    Y = Y_raw.copy()
    if seasonal:
        months = axis.seasonal_index(times)
        for j, s in enumerate(series_keys):
            label = f"column {outcome!r} of series {s!r}" + (f" of {source}" if source else "")
            breaks = axis.seasonal_index(design.interruptions)
            adj = ratio_to_moving_average(
                pd.Series(Y_raw[:, j], index=months), label=label, breaks=breaks
            )
            Y[:, j] = adj.adjusted.to_numpy()
    if lags >= design.n:
        raise InputError(f"parameter 'lags': {lags} is not below the {design.n} time points")
    B, E, factor = ols_batch(design.X, Y)
    exact = [str(series_keys[j]) for j in np.flatnonzero(exact_fits(E))]
    if exact:
        shown = ", ".join(exact[:10]) + (f" and {len(exact) - 10} more" if len(exact) > 10 else "")
        what = f"{series} {shown} ({outcome!r})"
        shown_zh = "、".join(exact[:10]) + (f" 等 {len(exact)} 个" if len(exact) > 10 else "")
        zh = exact_fit_message(f"{series} {shown_zh}（{outcome!r}）", lang="zh")
        warnings.warn(
            StatisticalWarning(exact_fit_message(what), zh=zh), stacklevel=caller_stacklevel()
        )
    if cov_type == "ols":
        cov = ols_cov(E, factor, design.n, design.k)
    else:
        pairs = lag_pairs(design.unit_code, design.periods, int(lags), across_units=True)
        cov = newey_west_cov(E, factor, pairs)
    index = pd.Index(series_keys, name=series)
    return ITSBatchResults(
        design=dataclasses.replace(design, outcome=outcome, time_column=time, axis=axis),
        series=tuple(series_keys),
        Y=Y,
        observed_raw=Y_raw,
        params=pd.DataFrame(B, index=index, columns=list(design.terms)),
        cov=cov,
        cov_type=cov_type,
        lags=int(lags),
        level=confidence,
        dist="normal" if cov_type == "glm" else "t",
    )
