"""The interrupted-time-series design matrix, coded exactly as Linden's Stata ``itsa``.

``itsa`` (Linden 2015, Stata Journal 15(2); ado version 2.x and 3.x) generates these
regressors, in this order, and we use the same names everywhere (results, JSON, tables):

single group (one unit, or ``single`` with one treated unit among several)::

    _t  _x<P1> _x_t<P1>  [_x<P2> _x_t<P2> ...]  covariates  _cons

multiple groups (one treated unit against one or more controls)::

    _t _z _z_t  _x<P1> _x_t<P1> _z_x<P1> _z_x_t<P1>  [... for P2 ...]  covariates  _cons

with ``_t = time - first time`` (so ``_t`` is 0 in the first period), ``_x<P> = time >=
P``, ``_x_t<P> = (time - P) * _x<P>`` (0 in the first treated period), ``_z`` = 1 for the
treated unit, and ``_z_*`` the interactions with ``_z``. ``<P>`` is the interruption as
Stata prints it: ``1989`` for integer time, ``2017m10`` for a monthly date, ``2017q3``,
``2017h1`` and ``2017w40`` for quarters, half-years and weeks (``itsa`` formats the
period with the time variable's ``%tm``, ``%tq``, ``%th`` or ``%tw`` format).

Dated time is coded as Stata's integers (months since 1960m1, quarters since 1960q1,
...); only differences of codes enter the regressors, so the coding only matters for
the names.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ihms._statfiles import CODE_LABELS
from ihms._warnings import caller_stacklevel
from ihms.errors import DataError, IhmsWarning, InputError, did_you_mean
from ihms.stats._cells import blank_rows, column_names, several_indicators
from ihms.stats._its_days import reading_note
from ihms.stats._its_spacing import check_delta, check_panels
from ihms.stats._its_time import (
    TimeAxis,
    numeric_column,
    parse_interruption,
    time_column,
)
from ihms.stats._its_units import unit_key
from ihms.stats._plain import plain

__all__ = ["ITSDesign", "TimeAxis", "build_design", "parse_interruption"]


@dataclass(frozen=True, eq=False)
class ITSDesign:
    """Everything a fit needs, sorted by unit then time; built by :func:`build_design`.

    Attributes
    ----------
    terms
        Regressor names in ``itsa``'s order, ``_cons`` last.
    X, y
        Design matrix ``(n, k)`` and outcome ``(n,)``.
    unit, time
        Unit label and time code of each row (``unit`` is ``None`` for one series).
    units
        Units in row order; the treated unit first is *not* implied: rows are sorted by
        unit as Stata's ``tsset panel time`` sorts them.
    treated
        Row mask of the treated unit (all True for a single group).
    interruptions
        Time codes of the interruptions, ascending.
    """

    terms: tuple[str, ...]
    X: np.ndarray
    y: np.ndarray
    unit: np.ndarray
    unit_code: np.ndarray
    time: np.ndarray
    units: tuple[Hashable, ...]
    treated: np.ndarray
    treated_unit: Hashable | None
    control_units: tuple[Hashable, ...]
    multi_group: bool
    axis: TimeAxis
    interruptions: tuple[int, ...]
    outcome: str
    time_column: str
    group_column: str | None
    covariates: tuple[str, ...]
    delta: int = 1

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def k(self) -> int:
        return int(self.X.shape[1])

    @property
    def interruption_labels(self) -> tuple[str, ...]:
        return tuple(self.axis.term_label(p) for p in self.interruptions)

    @property
    def times(self) -> np.ndarray:
        """The distinct time codes, ascending (every unit has all of them)."""
        return np.unique(self.time)

    @property
    def periods(self) -> np.ndarray:
        """Each row's period number from the first (0, 1, 2, ...): the time over
        ``delta``, what lags count (Stata's ``L.`` after ``tsset t, delta()``)."""
        return (self.time - self.times[0]) // self.delta

    @property
    def delta_note(self) -> str | None:
        """What a period of ``delta`` time units means for the results, or None."""
        if self.delta == 1:
            return None
        col, first = self.time_column, self.axis.display(int(self.times[0]))
        return (
            f"Time '{col}' every {self.delta} (Stata: tsset {col}, delta({self.delta})): "
            f"lags count periods of {self.delta}; _t = {col} - {first} and the _x_t terms "
            f"count '{col}' units as itsa codes them, so the slopes are per 1 {col} "
            f"(a period's change is {self.delta} x the slope)."
        )

    @property
    def notes(self) -> list[str]:
        """How the time column was read, when it is worth a note (quarters or years
        written as days: :func:`~ihms.stats._its_days.reading_note`; a period of
        ``delta``); else none."""
        note = reading_note(self.axis, self.time_column, self.times)
        return [n for n in (note, self.delta_note) if n]

    def rows_for(self, times: np.ndarray, *, treated: bool = True) -> np.ndarray:
        """Design rows of the treated unit (or, with ``treated=False``, of one control
        unit: all controls share their design rows) at the given time codes."""
        if treated:
            mask = self.treated
        else:
            first_control = self.unit_code[~self.treated][0]
            mask = self.unit_code == first_control
        lookup = dict(zip(self.time[mask].tolist(), np.flatnonzero(mask).tolist(), strict=True))
        missing = [t for t in times.tolist() if t not in lookup]
        if missing:
            shown = ", ".join(self.axis.display(t) for t in missing[:5])
            raise InputError(f"parameter 'at': time point(s) {shown} are not in the data")
        return self.X[[lookup[t] for t in times.tolist()]]


def _check_segments(times: np.ndarray, interruptions: Sequence[int], axis: TimeAxis) -> None:
    first, last = int(times[0]), int(times[-1])
    for p in interruptions:
        if p not in set(times.tolist()):
            raise InputError(
                f"parameter 'interruptions': {axis.display(p)} is outside the data; the "
                f"time column runs from {axis.display(first)} to {axis.display(last)}"
            )
    bounds = [first, *interruptions, last + 1]
    for i in range(len(bounds) - 1):
        lo, hi = bounds[i], bounds[i + 1]
        count = int(np.sum((times >= lo) & (times < hi)))
        if count < 3:
            if i == 0:
                where = f"before {axis.display(hi)}"
            elif i == len(bounds) - 2:
                where = f"from {axis.display(lo)} on"
            else:
                where = f"from {axis.display(lo)} to before {axis.display(hi)}"
            raise InputError(
                f"parameter 'interruptions': the segment {where} has {count} time point(s); "
                "each segment needs at least 3"
            )


def _check_rank(X: np.ndarray, terms: Sequence[str], covariates: Sequence[str]) -> None:
    k = X.shape[1]
    if np.linalg.matrix_rank(X) == k:
        return
    # Name the regressors that add nothing: walk through the design terms and _cons
    # first, then the covariates, and keep what raises the rank.
    order = [j for j in range(k) if terms[j] not in covariates]
    order += [j for j in range(k) if terms[j] in covariates]
    redundant: list[str] = []
    kept: list[int] = []
    for j in order:
        trial = [*kept, j]
        if np.linalg.matrix_rank(X[:, trial]) == len(trial):
            kept.append(j)
        else:
            redundant.append(terms[j])
    raise InputError(
        "singular design: regressor(s) " + ", ".join(redundant) + " are linear combinations "
        "of the others (a covariate that repeats time or a dummy, or a constant column); "
        "drop them"
    )


def build_design(
    data: pd.DataFrame,
    *,
    outcome: str,
    time: str,
    interruptions: Sequence[Any],
    group: str | None = None,
    treated: Any = None,
    controls: Sequence[Any] | None = None,
    single: bool = False,
    covariates: Sequence[str] = (),
    source: str | None = None,
    delta: int = 1,
) -> ITSDesign:
    """Validate ``data`` and build the ``itsa`` design; ``data`` is never modified.

    Parameters
    ----------
    outcome, time
        Column names of the outcome and the time (integers such as years, or months).
    interruptions
        One or more interruption periods, in the time column's units.
    group, treated, controls
        For several units: the unit column, the treated unit's value (compared as text,
        so ``3`` matches ``"3"``) and, optionally, which units are controls (default: all
        others).
    single
        With ``group``: analyse the treated unit alone (``itsa ..., single treatid()``).
    source
        File name to cite in error messages (rows then count from 2, as in a
        spreadsheet with a header).
    delta
        The period in time units (Stata's ``tsset t, delta()``): 2 for a survey every 2
        years. Time points are the first plus whole periods; ``_t`` stays in time units.
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"parameter 'data': expected a pandas DataFrame, got {type(data).__name__}"
        )
    where = f" of {source}" if source else ""
    needed = [("outcome", outcome), ("time", time), *(("covariates", c) for c in covariates)]
    needed += [("group", group)] if group is not None else []
    missing = [(role, c) for role, c in needed if c not in data.columns]
    missing_cols = [c for _, c in missing]
    if missing:
        given = ", ".join(f"{c!r} (parameter '{role}')" for role, c in missing)
        raise InputError(
            f"column(s) {given} not found"
            f"{f' in {source}' if source else ''}; "
            f"available: {column_names(data.columns)}"
            + did_you_mean(missing_cols[0], data.columns)
            + _empty_header_hint(data.columns)
        )
    if group is None and (treated is not None or controls):
        raise InputError("parameter 'treated'/'controls' needs parameter 'group' (the unit column)")
    if group is not None and treated is None:
        raise InputError(f"parameter 'treated': required with group column {group!r}")
    if single and controls:
        raise InputError("parameters 'single' and 'controls' cannot be combined")
    check_delta(delta, None)
    if len(interruptions) == 0:
        raise InputError("parameter 'interruptions': give at least one interruption period")

    # a wholly empty row (the ,,, lines at the end of an Excel export) is no observation
    positions = np.flatnonzero(~blank_rows(data))
    treated_unit: Hashable | None = None
    control_units: tuple[Hashable, ...] = ()
    if group is not None:
        every_key = data[group].astype(str).str.strip().to_numpy()
        keys = pd.Series(every_key[positions])
        present = list(pd.unique(keys))
        labels = dict(data.attrs.get(CODE_LABELS, {}).get(group, {}))
        unit_of = partial(unit_key, present=present, labels=labels, column=f"{group!r}{where}")
        treated_key = unit_of(treated, "treated")
        if single:
            wanted = [treated_key]
        elif controls:
            control_keys = [unit_of(c, "controls") for c in controls]
            if treated_key in control_keys:
                raise InputError("parameter 'controls': the treated unit is listed as a control")
            wanted = [treated_key, *control_keys]
        else:
            wanted = present
        if not single and len(wanted) < 2:
            raise InputError(
                f"column {group!r} has no control unit besides {treated!r}; pass single=True "
                "for a single-group analysis"
            )
        keep = keys.isin(wanted).to_numpy()
        positions = positions[keep]
        frame = data.iloc[positions]
        unit_keys = every_key[positions]
        # Sort units the way Stata's tsset sorts the panel variable: numerically when the
        # values are numbers, else as text.
        unit_raw = data[group].to_numpy()[positions]
        numeric_units = pd.to_numeric(pd.Series(unit_keys), errors="coerce")
        if numeric_units.notna().all():
            order_keys = sorted(set(unit_keys), key=lambda s: float(s))
        else:
            order_keys = sorted(set(unit_keys))
        # Python scalars (plain), so messages and reprs show 3, not np.int64(3)
        label_of = {k: plain(unit_raw[list(unit_keys).index(k)]) for k in order_keys}
        units: tuple[Hashable | None, ...] = tuple(label_of[k] for k in order_keys)
        code_of = {k: i for i, k in enumerate(order_keys)}
        unit_code = np.array([code_of[k] for k in unit_keys], dtype=np.int64)
        treated_unit = label_of[treated_key]
        control_units = tuple(label_of[k] for k in order_keys if k != treated_key)
        multi = not single
    else:
        frame = data.iloc[positions]
        units = (None,)
        unit_code = np.zeros(len(positions), dtype=np.int64)
        multi = False

    problems: list[str] = []
    y_all = numeric_column(frame, outcome, source, problems, positions)
    cov_values = [numeric_column(frame, c, source, problems, positions) for c in covariates]
    before_time = len(problems)
    axis, time_codes = time_column(frame, time, source, problems, positions)
    if problems:
        if len(problems) == before_time and axis is not None and len(frame):
            # the time points read: their gaps and repeats are said now too, not after
            # the cells are mended (demo review 23: two passes, "every problem" promised)
            problems += check_panels(
                unit_code, units, time_codes, axis, time, positions, data, source, delta
            )
        raise DataError(f"{len(problems)} problem(s) in the data{where}", problems)
    if len(frame) == 0 or axis is None:
        raise InputError(f"no rows to analyse{where}")

    delta = check_delta(delta, axis)
    panel_problems = check_panels(
        unit_code, units, time_codes, axis, time, positions, data, source, delta
    )
    if panel_problems:
        message = f"{len(panel_problems)} problem(s) in the time points{where}"
        counts = np.unique(np.unique(time_codes, return_counts=True)[1])
        several = several_indicators(data) if group is None else ""
        if several:  # a long table as `ihms indicators compute --out` writes it: no panel
            message += f": {several}"
        elif group is None and len(counts) == 1 and counts[0] > 1:
            message += (
                f": every time point appears {counts[0]} times — a panel of {counts[0]} units?"
            )
            if axis.kind == "integer" and counts[0] == 12:
                message += (
                    " Or 12 months a year, the month in another column? Then give one column "
                    "of months as the time (2017-10, 2017m10; Stata: gen t = ym(year, month), "
                    "format t %tm). For a panel,"
                )
            elif axis.kind == "integer" and counts[0] == 4:
                message += (
                    " Or 4 quarters a year, the quarter in another column? Then give one "
                    "column of quarters as the time (2017Q3; Stata: gen t = yq(year, "
                    "quarter), format t %tq). For a panel,"
                )
            name = " name" if message.endswith(",") else " Name"
            message += (
                f"{name} the column that tells the units apart (group=, --group on the "
                "command line)"
            )
        raise DataError(message, panel_problems)

    codes = sorted({parse_interruption(p, axis, parameter="interruptions") for p in interruptions})
    times = np.unique(time_codes)
    if note := reading_note(axis, time, times):
        zh = reading_note(axis, time, times, lang="zh")
        warnings.warn(IhmsWarning(note, zh=zh), stacklevel=caller_stacklevel())
    _check_segments(times, codes, axis)

    order = np.lexsort((time_codes, unit_code))
    unit_code = unit_code[order]
    time_codes = time_codes[order]
    y = y_all[order]
    covs = [c[order] for c in cov_values]
    n = len(y)
    t0 = int(times[0])
    t = (time_codes - t0).astype(float)
    is_treated = (
        np.ones(n, dtype=bool)
        if not multi
        else np.array([units[u] == treated_unit for u in unit_code.tolist()])
    )
    z = is_treated.astype(float)

    columns: list[np.ndarray] = [t]
    terms: list[str] = ["_t"]
    if multi:
        columns += [z, z * t]
        terms += ["_z", "_z_t"]
    for p in codes:
        label = axis.term_label(p)
        x = (time_codes >= p).astype(float)
        xt = (time_codes - p) * x
        columns += [x, xt]
        terms += [f"_x{label}", f"_x_t{label}"]
        if multi:
            columns += [z * x, z * xt]
            terms += [f"_z_x{label}", f"_z_x_t{label}"]
    for name, values in zip(covariates, covs, strict=True):
        if name in terms or name == "_cons":
            raise InputError(f"covariate {name!r} clashes with a generated regressor name")
        columns.append(values)
        terms.append(name)
    columns.append(np.ones(n))
    terms.append("_cons")
    X = np.column_stack(columns)
    _check_rank(X, terms, covariates)

    unit_labels = np.array([units[u] for u in unit_code.tolist()], dtype=object)
    return ITSDesign(
        terms=tuple(terms),
        X=X,
        y=y,
        unit=unit_labels,
        unit_code=unit_code,
        time=time_codes,
        units=tuple(units),
        treated=is_treated,
        treated_unit=treated_unit,
        control_units=control_units,
        multi_group=multi,
        axis=axis,
        interruptions=tuple(codes),
        outcome=outcome,
        time_column=time,
        group_column=group,
        covariates=tuple(covariates),
        delta=delta,
    )


def _empty_header_hint(columns: pd.Index) -> str:
    """A note for a header with empty cells (pandas' ``Unnamed: 2``): most often a header
    over two rows whose upper cells are merged (门急诊 over 人次 and 次均费用)."""
    empty = sum(str(c).startswith("Unnamed: ") for c in columns)
    if not empty:
        return ""
    return (
        f"; {empty} header cell{'s are' if empty > 1 else ' is'} empty (a header over two "
        "rows with merged cells?): give the table one header row naming every column"
    )
