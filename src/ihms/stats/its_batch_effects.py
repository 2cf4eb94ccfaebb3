"""The interruption's effects in many series with one design, as one tidy table.

An analyst at a health commission fits the same interrupted time series to many
indicators (a wide table, one column each) or many counties (a long table with a series
column), as a Stata user loops ``itsa`` over variables. :func:`its_batch_effects` does
that and returns, per series and interruption, the level change (``_x<P>``), the slope
change (``_x_t<P>``) and the post-interruption slope (``_t + _x_t<P>``, itsa's
``posttrend``), each with its standard error, test, interval, ``n`` and the lag used,
and optionally Holm or Benjamini–Hochberg adjusted p-values across the series.

Every number is that of ``ITSModel(<one series>).fit(...)``: Newey–West, ``glm`` and OLS
fits with one lag for all series run batched in :func:`~ihms.stats.its_batch.fit_its_batch`
(which matches one-by-one fits); Prais–Winsten and ``lags="auto"`` (a lag per series, by
Breusch–Godfrey) fit each series with :class:`~ihms.stats.its.ITSModel`.

Data problems refuse the whole batch, as :func:`fit_its_batch` does: every problem of
every series is listed in one :class:`~ihms.errors.DataError` (a missing time point by
series and period, a bad or empty cell by file row and column), so the table is fixed in
one pass and no table leaves out a series silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms._renamed import renamed_parameter
from ihms._repr import SummaryHtml
from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, InputError, StatisticalWarning
from ihms.stats._autocorr import default_max_lag
from ihms.stats._cells import blank_rows
from ihms.stats._its_units import time_points
from ihms.stats._newey import exact_fit_message
from ihms.stats.its import ITSModel
from ihms.stats.its_batch import distinct_notes, fit_its_batch, series_names
from ihms.stats.its_results import _COV_LABEL, ITSResults
from ihms.summary import SummaryTable, format_p

__all__ = ["ADJUSTMENTS", "ITSBatchEffects", "its_batch_effects", "unadjusted_note"]

#: The note's advice when no adjustment was asked for, in Python's words (``ihms its
#: batch`` says its option instead: :func:`unadjusted_note`).
ADJUST_ADVICE = "adjust='holm' (family-wise error) or adjust='fdr_bh' (false discovery rate)"
#: ``adjust=`` values: statsmodels' ``multipletests`` methods, or none.
ADJUSTMENTS = ("none", "holm", "fdr_bh")
_ADJUST_LABEL = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg (false discovery rate)"}
_EFFECTS = ("level change", "slope change", "post-trend")
_STATS = ("coef", "std_error", "t", "p", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False)
class ITSBatchEffects(SummaryHtml):
    """Results of :func:`its_batch_effects`.

    Attributes
    ----------
    frame
        One row per series, interruption and effect (``level change``, ``slope change``,
        ``post-trend``): ``term``, ``coef``, ``std_error``, ``t``, ``p``, ``ci_low``,
        ``ci_high``, ``p_adjusted`` (with an adjustment), ``n`` and ``lags``.
    series_column
        What the series are: the series column of a long table, ``"outcome"`` for the
        columns of a wide one.
    cov_type, lags, level, adjust, delta
        The options of the fit (``lags`` as asked: an integer or ``"auto"``; ``delta``
        the period in time units, the slopes being per time unit).
    notes
        The method and caveats, each once.
    """

    frame: pd.DataFrame
    series_column: str
    cov_type: str
    lags: int | str
    level: float
    adjust: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    delta: int = 1

    @property
    def n_series(self) -> int:
        return self.frame[self.series_column].nunique()

    def summary(self, *, full: bool = False) -> SummaryTable:
        """The tidy table with the interval headed by its level; the term, ``n`` and a
        lag the same for every series are left to the notes unless ``full`` (for a
        file, to be read back as a table)."""
        pct = f"{100 * self.level:.10g}%"
        low, high = f"{pct} CI low", f"{pct} CI high"
        hidden = [] if full else ["term", "n", "lag_choice"]
        hidden += [] if full or self.lags == "auto" else ["lags"]
        frame = self.frame.drop(columns=hidden, errors="ignore").rename(
            columns={"ci_low": low, "ci_high": high}
        )
        if self.dist == "normal":
            frame = frame.rename(columns={"t": "z"})
        how = _COV_LABEL[self.cov_type]
        p_columns = [c for c in ("p", "p_adjusted") if c in frame]
        return SummaryTable(
            frame,
            title=f"Interrupted time series of {self.n_series} series ({how})",
            notes=self.notes,
            formats=dict.fromkeys(p_columns, format_p),
            show_index=False,
            key_columns=[self.series_column, "interruption", "effect"],
            short_headers={"std_error": "se", "p_adjusted": "p adj"},
            stack_under={low: "coef", high: "std_error"},
        )

    @property
    def dist(self) -> str:
        return "normal" if self.cov_type == "glm" else "t"

    def to_dict(self) -> dict:
        """Plain data for JSON: the options, ``rows`` (the tidy table's records, NaN as
        None) and ``notes``."""
        rows = self.frame.astype(object).where(self.frame.notna(), None).to_dict("records")
        return {
            "series_column": self.series_column,
            "cov_type": self.cov_type,
            "lags": self.lags,
            "level": self.level,
            "adjust": self.adjust,
            "delta": self.delta,
            "n_series": self.n_series,
            "rows": rows,
            "notes": list(self.notes),
        }


@renamed_parameter("level", "confidence", since="0.1.0")
def its_batch_effects(
    data: pd.DataFrame,
    *,
    outcomes: str | Sequence[str],
    time: str,
    interruptions: Any,
    series: str | None = None,
    cov_type: Literal["newey", "glm", "ols", "prais"] = "newey",
    lags: int | Literal["auto"] = 0,
    confidence: float = 0.95,
    seasonal: bool = False,
    max_lag: int | None = None,
    adjust: str = "none",
    source: str | None = None,
    delta: int = 1,
) -> ITSBatchEffects:
    """Fit one single-group ITS design to many series; the effects as one tidy table.

    Parameters
    ----------
    data
        A long table (one row per series and time point, ``series`` naming the series,
        one outcome) or a wide one (one row per time point, each of ``outcomes`` a
        series). Never modified.
    outcomes
        The outcome column, or (wide table) the outcome columns.
    time, interruptions, cov_type, lags, confidence, seasonal, max_lag
        As :meth:`ITSModel.fit <ihms.stats.its.ITSModel.fit>` takes them; ``lags="auto"``
        chooses a lag per series.
    series
        The series column of a long table; None for a wide one.
    adjust
        ``"holm"`` or ``"fdr_bh"``: adjust the p-values of each effect across the
        series (statsmodels' ``multipletests``), in a ``p_adjusted`` column; ``"none"``.
    source
        File name used in error messages.
    delta
        The period in time units (Stata's ``tsset year, delta(2)``), as
        :class:`~ihms.stats.its.ITSModel` takes it: lags count periods; the slopes, slope
        changes and post-trends are per time unit (per year), as ``itsa`` codes ``_t``.

    Raises
    ------
    DataError
        Any series has a bad, empty or duplicated cell or a missing time point: every
        problem, none fitted.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"year": range(2000, 2012),
    ...     "a": [10, 11.2, 11.9, 13.1, 14, 14.8, 12.1, 12, 11.8, 12.2, 12, 11.9],
    ...     "b": [5, 5.1, 4.9, 5, 5.2, 4.8, 8, 9.1, 9.9, 11, 12.1, 12.9]})
    >>> res = its_batch_effects(wide, outcomes=["a", "b"], time="year", interruptions=2006)
    >>> res.frame.set_index(["outcome", "effect"])["coef"].round(2).loc[:, "level change"]
    outcome
    a   -3.82
    b    3.09
    Name: coef, dtype: float64
    """
    if adjust not in ADJUSTMENTS:
        raise InputError(
            f"parameter 'adjust': expected one of {', '.join(ADJUSTMENTS)}, got {adjust!r}"
        )
    names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if not names:
        raise InputError("parameter 'outcomes': give at least one outcome column")
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise InputError(f"parameter 'outcomes': {', '.join(map(repr, twice))} given twice")
    if series is not None and len(names) > 1:
        raise InputError(
            "parameter 'outcomes': a long table (parameter 'series') takes one outcome "
            f"column, got {len(names)}; a wide table (one column per series) takes no series"
        )
    interruptions = list(time_points(interruptions))
    wide = series is None
    if wide:
        long, series, outcome = _long_from_wide(data, names, time, interruptions, source, delta)
        file = None  # rows of the melted table are no file's rows (checked on the file)
    else:
        long, outcome, file = data, names[0], source
    batched = cov_type in ("newey", "glm", "ols") and lags != "auto"
    # fit_its_batch checks every series (cells, duplicates, gaps) and refuses on any problem
    batch = fit_its_batch(
        long,
        outcome=outcome,
        time=time,
        series=series,
        interruptions=interruptions,
        cov_type=cov_type if batched else "ols",  # type: ignore[arg-type]
        lags=lags if batched else 0,  # type: ignore[arg-type]
        confidence=confidence,
        seasonal=seasonal,
        source=file,
        delta=delta,
    )
    results: dict[Hashable, ITSResults] = {}
    for key in names if wide else batch.series:  # a wide table's in the order given
        if batched:
            results[key] = batch.result(key)
            continue
        rows = long[series_names(long[series]) == key]
        model = ITSModel(rows, outcome=outcome, time=time, interruptions=interruptions,
                         seasonal=seasonal, delta=delta)  # fmt: skip
        try:
            with _said_once(f"{series} {key!r}", caller_stacklevel()):
                results[key] = model.fit(
                    cov_type=cov_type, lags=lags, confidence=confidence, max_lag=max_lag
                )
        except InputError as exc:
            raise type(exc)(f"{series} {key!r}: {exc}") from exc
    frame = _effects_frame(results, series)
    if adjust != "none":
        frame.insert(frame.columns.get_loc("p") + 1, "p_adjusted", _adjusted(frame, adjust))
    notes = _notes(batch.design.n, len(results), cov_type, lags, max_lag, adjust)
    notes += distinct_notes({key: r.design.notes for key, r in results.items()})
    return ITSBatchEffects(
        frame=frame,
        series_column=str(series),
        cov_type=cov_type,
        lags=lags,
        level=confidence,
        adjust=adjust,
        notes=tuple(notes),
        delta=batch.design.delta,
    )


def _long_from_wide(
    data: pd.DataFrame,
    outcomes: list[str],
    time: str,
    interruptions: Any,
    source: str | None,
    delta: int,
) -> tuple[pd.DataFrame, str, str]:
    """The wide table's columns stacked into one long table, once each column has been
    checked on the file's own rows (so a message names the file's row)."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"parameter 'data': expected a pandas DataFrame, got {type(data).__name__}"
        )
    problems: list[str] = []
    for outcome in outcomes:
        try:
            with _said_once(None, caller_stacklevel()):  # fit_its_batch: the notes, once
                ITSModel(data, outcome=outcome, time=time, interruptions=interruptions,
                         source=source, delta=delta).design()  # fmt: skip
        except DataError as exc:
            problems += [p for p in exc.problems if p not in problems]  # time's once
    if problems:
        raise DataError(f"{len(problems)} problem(s) in the data", problems)
    series, value = "outcome", "value"
    while series == time or value == time:
        series, value = f"_{series}", f"_{value}"
    kept = data.loc[~blank_rows(data[[time, *outcomes]]), [time, *outcomes]]
    long = kept.melt(id_vars=time, value_vars=outcomes, var_name=series, value_name=value)
    return long, series, value


@contextmanager
def _said_once(series: str | None, level: int) -> Iterator[None]:
    """Leave out the block's notes that :func:`fit_its_batch` has given for every series
    (how the time column was read, which series lie exactly on their lines): one fit per
    series would repeat them. Its other statistical warnings (Prais-Winsten not
    converging) are given once, naming ``series``; other warnings pass on. ``level``
    is :func:`~ihms._warnings.caller_stacklevel` in the function holding the ``with``
    (here contextlib's frame would end its count), so they point at ihms's caller."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    exact = exact_fit_message("").removeprefix(": ")
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, IhmsWarning):
            if series is None or exact in text or not issubclass(w.category, StatisticalWarning):
                continue
            zh = getattr(w.message, "zh", None)
            warnings.warn(  # + this, contextlib
                w.category(f"{series}: {text}", zh=zh and f"{series}：{zh}"), stacklevel=level + 2
            )
            continue
        warnings.warn(text, w.category, stacklevel=level + 2)


def _effects_frame(results: dict[Hashable, ITSResults], series: str) -> pd.DataFrame:
    rows = []
    for key, res in results.items():
        fit = res.to_dict()
        for label in res.design.interruption_labels:
            terms = (f"_x{label}", f"_x_t{label}", f"_t + _x_t{label}")
            stats = (fit["params"][terms[0]], fit["params"][terms[1]],
                     fit["post_trend"][label]["treated"])  # fmt: skip
            for effect, term, values in zip(_EFFECTS, terms, stats, strict=True):
                rows.append(
                    {
                        series: key,
                        "interruption": label,
                        "effect": effect,
                        "term": term,
                        **{k: values[k] for k in _STATS},
                        "n": res.n,
                        "lags": res.lags,
                        # with lags="auto": the orders that chose this series' lag
                        **({} if res.lag_choice is None else {"lag_choice": res.lag_choice}),
                    }
                )
    return pd.DataFrame(rows)


def _adjusted(frame: pd.DataFrame, method: str) -> np.ndarray:
    """Each effect's p-values adjusted across the series (a family per interruption and
    effect); an undefined p (an exact fit) stays undefined and is no test."""
    from statsmodels.stats.multitest import multipletests

    out = np.full(len(frame), np.nan)
    for _, rows in frame.groupby(["interruption", "effect"], sort=False).indices.items():
        p = frame["p"].to_numpy()[rows]
        finite = np.isfinite(p)
        if finite.any():
            out[rows[finite]] = multipletests(p[finite], method=method)[1]
    return out


def unadjusted_note(n_series: int, advice: str = ADJUST_ADVICE) -> str:
    """The note of a batch of ``n_series`` without an adjustment: how many tests fall
    below 0.05 by chance alone, and ``advice`` on adjusting, in Python's words unless
    the caller gives its own (``ihms its batch`` names its option)."""
    return (
        f"p is per test: with {n_series} series about {0.05 * n_series:g} of each "
        "effect's tests would fall below 0.05 by chance alone if no series had an "
        f"effect; {advice} corrects for that."
    )


def _notes(
    n: int, n_series: int, cov_type: str, lags: int | str, max_lag: int | None, adjust: str
) -> list[str]:
    if lags == "auto":
        max_lag = default_max_lag(n) if max_lag is None else max_lag
        lag = f"lag per series by Breusch-Godfrey tests of orders 1 to {max_lag} (column lags)"
    elif cov_type in ("newey", "glm"):
        lag = f"lag {lags} in every series"
    else:
        lag = "no lags"
    notes = [
        f"{n_series} series, N = {n} time points each; {lag}. Level change: _x<P>; slope "
        "change: _x_t<P>; post-trend: _t + _x_t<P> (itsa's posttrend). Each series' "
        "numbers are those of its own ihms its fit."
    ]
    if adjust == "none":
        notes.append(unadjusted_note(n_series))
    else:
        notes.append(
            f"p_adjusted: {_ADJUST_LABEL[adjust]}, within each interruption and effect "
            f"across the {n_series} series (statsmodels multipletests)."
        )
    return notes
