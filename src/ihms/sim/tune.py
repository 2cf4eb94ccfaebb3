"""Tuning: the documented procedure that sets the calibrated parameters.

A handful of behavioural parameters (:data:`TUNED`) have no published value; they are
solved, within bounds, against Zhong et al. 2023's figures (:data:`ihms.sim.calibrate.TARGETS`) by
nonlinear least squares (``scipy.optimize.least_squares``, trust-region reflective,
forward differences scaled to each parameter's range) on a scaled-down county with a
fixed seed — common random numbers make the objective a smooth function of the
parameters at this size. Each residual is the log ratio of simulated to published
value in units of the figure's tolerance (``log 1.1`` for a rate or count, ``log √10`` for
an ITS term), so a residual of ±1 is a figure at the edge of its rule whatever its kind
(exactly for an ITS term and at +10 %; −10 % is −1.105, the rule being linear there);
below a tenth of the published value (the wrong sign included) the log continues as its
tangent line, so the fit is pushed back across zero. Gated figures have weight 1; the ITS
terms only shown have half weight, and only those whose published 95 % interval excludes
zero (a term the study could not tell from zero is no target to fit), as has a shown
figure marked :attr:`~ihms.sim.targets.Target.fit` (the county hospitals' 2016 level). The
result is written into the config's ``calibration:`` block, with the run that produced
it, and is then verified at full size by ``ihms sim calibrate``.
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import numbers
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from ihms._repr import SummaryHtml
from ihms.errors import ConfigError, InputError
from ihms.sim._tuned_block import write_tuned
from ihms.sim.config import SimulationConfig
from ihms.sim.targets import MAGNITUDE_FACTOR, RELATIVE_TOLERANCE, TARGETS, Target
from ihms.sources import ZHONG_2023
from ihms.summary import SummaryTable
from ihms.system._messages import Locator

__all__ = [
    "TUNED",
    "TuningResults",
    "apply_tuned",
    "fitted_targets",
    "numeric_slot",
    "tune",
    "write_tuned",
]


@dataclass(frozen=True)
class Tunable:
    """A config parameter the procedure solves for, with its bounds."""

    path: str
    low: float
    high: float


TUNED: tuple[Tunable, ...] = (
    Tunable("regimes.fee-for-service.ch_admission_factor", 0.3, 4.0),
    Tunable("regimes.sanming.ch_admission_factor", 0.2, 3.0),
    Tunable("regimes.fee-for-service.ch_admission_drift_per_year", -0.3, 0.5),
    Tunable("regimes.fee-for-service.ch_attraction_drift_per_year", 0.0, 2.0),
    Tunable("regimes.fee-for-service.ch_mild_attraction", -3.0, 4.0),
    Tunable("regimes.sanming.ch_mild_attraction", -3.0, 4.0),
    Tunable("regimes.sanming.ch_attraction_drift_per_year", -1.5, 0.5),
    Tunable("regimes.sanming.ch_admission_drift_per_year", -0.3, 0.3),
    Tunable("costs.outpatient_yuan.county_hospital", 60.0, 300.0),
    Tunable("illness.trend_per_year", -0.05, 0.15),
    Tunable("admission.probability.moderate.township_health_centre", 0.01, 0.6),
    Tunable("regimes.sanming.primary_extra_revisits", 0.0, 3.0),
    Tunable("regimes.sanming.primary_extra_revisits_growth_per_year", 0.0, 0.5),
    Tunable("regimes.sanming.ch_outpatient_price_drift_yuan_per_month", 0.0, 10.0),
    Tunable("chronic.hypertension.management_logit", -2.0, 4.0),
    Tunable("chronic.hypertension.management_promotion", 0.2, 5.0),
    Tunable("chronic.hypertension.control_logit", -2.0, 3.0),
    Tunable("chronic.hypertension.control_promotion", 0.2, 4.0),
    Tunable("chronic.diabetes.management_logit", -2.0, 4.0),
    Tunable("chronic.diabetes.management_promotion", 0.2, 5.0),
    Tunable("chronic.diabetes.control_logit", -2.0, 3.0),
    Tunable("chronic.diabetes.control_promotion", 0.2, 4.0),
    Tunable("chronic.diabetes.control_trend_per_year", -0.5, 1.0),
)

# The effects of health promotion on chronic-disease management and control are bounded
# below at 0.2 (logit per unit of promotion): seed 002 attributes the rise of both to the
# consortium's health promotion, so the fit may weaken that mechanism but not remove it.
# The county hospitals' mean outpatient price sets how many yuan a change of case mix
# moves their cost per visit (seed 002 Table 3 reads the rise after the reform as heavier
# cases staying); no study gives the price, so it is tuned, within 60-300 yuan.
# Under Sanming the extra primary-care revisits of an episode (their mean and its growth
# a year) and the rise of the county hospitals' outpatient price (yuan a month) carry
# Table 4's growth of primary-care contacts and Table 3's rise of the cost per visit;
# their bounds are the config's own (ihms.sim._bounds). The county hospitals' pull on
# mild cases is tuned under both regimes, so that they carry Table 4's 49.2 % of the
# county's contacts in 2016 (-3 to 4: the hand-found start of 2026-11-26 is 2.0 and 1.8).
_SHOWN_WEIGHT = 0.5


def _get(data: dict, path: str) -> Any:
    node = data
    for part in path.split("."):
        node = node[part]
    return node


def apply_tuned(
    data: dict[str, Any], tuned: dict[str, float], *, where: str = "config"
) -> dict[str, Any]:
    """A copy of the simulation section ``data`` with each ``path: value`` of ``tuned``
    set (paths are dotted keys, e.g. ``regimes.sanming.ch_mild_attraction``).

    Raises
    ------
    ConfigError
        Listing every path that names no numeric parameter and every value that is no
        number.
    """
    out, problems = tuned_applied(data, tuned, where=where)
    if problems:
        raise ConfigError("\n".join(problems))
    return out


def tuned_applied(
    data: dict[str, Any],
    tuned: dict[str, Any],
    *,
    where: str = "config",
    locator: Locator | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """:func:`apply_tuned` that returns its problems (one per bad entry, the entry left
    out) with the copy instead of raising, so a loader can list them with the rest;
    ``locator`` (the section's composed YAML) puts each entry's line after ``where``."""
    out = copy.deepcopy(data)
    problems = []
    for path, value in tuned.items():
        at = where if locator is None else locator.at(("calibration", "tuned", path))
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(
                f"{at}: key 'simulation.calibration.tuned' entry '{path}': expected a "
                f"number, got {value!r}"
            )
            continue
        try:
            node, leaf = numeric_slot(out, path)
        except KeyError:
            problems.append(
                f"{at}: key 'simulation.calibration.tuned': no numeric parameter {path!r}"
            )
            continue
        node[leaf] = float(value)
    return out, problems


def _key_in(node: dict, part: str) -> Any:
    """The key of ``node`` that the path's ``part`` names: the text itself, or the year it
    spells in a map keyed by int (``family_physician.registration.2016``); ``02016`` is no
    year, so each key has one spelling."""
    if part not in node and part.lstrip("-").isdigit() and str(int(part)) == part:
        return int(part)
    return part


def numeric_slot(data: dict[str, Any], path: str) -> tuple[dict, Any]:
    """The map in ``data`` holding the number at the dotted ``path`` and its key there
    (``KeyError`` when the path names no number: a bool is none)."""
    *parents, leaf = path.split(".")
    node: Any = data
    try:
        for part in parents:
            node = node[_key_in(node, part)]
        key = _key_in(node, leaf)
        if not isinstance(node[key], (int, float)) or isinstance(node[key], bool):
            raise KeyError(path)
    except (KeyError, TypeError):
        raise KeyError(path) from None
    return node, key


_LOG_FLOOR = 0.1  # below this ratio the log continues as its tangent


def _log_ratio(ratio: float) -> float:
    """``log(ratio)``, continued below :data:`_LOG_FLOOR` by its tangent line (finite and
    increasing through zero and negative ratios)."""
    if ratio >= _LOG_FLOOR:
        return math.log(ratio)
    return math.log(_LOG_FLOOR) + (ratio - _LOG_FLOOR) / _LOG_FLOOR


def _residuals(values: dict[str, float]) -> np.ndarray:
    out = []
    for t in fitted_targets():
        sim = values[t.key]
        if not np.isfinite(sim):
            out.append(10.0)
            continue
        tolerance = math.log(1 + RELATIVE_TOLERANCE if t.check == "relative" else MAGNITUDE_FACTOR)
        weight = 1.0 if t.rule != "shown" else _SHOWN_WEIGHT
        out.append(weight * _log_ratio(sim / t.value) / tolerance)
    return np.array(out)


def fitted_targets() -> list[Target]:
    """Gated figures, and the ITS terms only shown that the study established
    (:attr:`~ihms.sim.targets.Target.fitted`)."""
    return [t for t in TARGETS if t.fitted]


class _BudgetSpent(Exception):
    """The objective's signal that the budget of simulation runs is spent."""


@dataclass(frozen=True, eq=False)
class TuningResults(SummaryHtml):
    """The solved parameters and how they were found."""

    tuned: dict[str, float]
    start: dict[str, float]
    residuals: pd.DataFrame
    run: dict[str, Any]

    def summary(self) -> SummaryTable:
        frame = pd.DataFrame({"start": pd.Series(self.start), "tuned": pd.Series(self.tuned)})
        frame.index.name = "parameter"
        return SummaryTable(
            frame,
            title=f"Tuned parameters (least squares against {ZHONG_2023}'s figures)",
            notes=tuple(f"{k}: {v}" for k, v in self.run.items()),
        )


def _note_clipped_start(parameters: tuple[Tunable, ...], x0: np.ndarray) -> None:
    """Warn (:class:`~ihms.errors.IhmsWarning`, a note in the CLI) for each starting value
    outside its bounds, naming the key, the value, the bounds and the start used instead."""
    import warnings

    from ihms._warnings import caller_stacklevel
    from ihms.errors import IhmsWarning

    for p, value in zip(parameters, x0, strict=True):
        if not p.low <= value <= p.high:
            nearest = p.low if value < p.low else p.high
            warnings.warn(
                f"tuning: key 'simulation.{p.path}' starts at {value:g}, outside the bounds "
                f"searched ({p.low:g} to {p.high:g}); the tuning starts from {nearest:g} "
                "instead and writes a value within the bounds",
                IhmsWarning,
                stacklevel=caller_stacklevel(),
            )


def tune(
    config: SimulationConfig,
    evaluate: Callable[[SimulationConfig], dict[str, float]],
    *,
    parameters: tuple[Tunable, ...] = TUNED,
    max_evaluations: int = 300,
    details: dict[str, Any] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> TuningResults:
    """Solve ``parameters`` so that ``evaluate(config)`` matches the targets.

    Parameters
    ----------
    config
        The starting config (its current values are the starting point).
    evaluate
        Runs the simulation for a config and returns the measured figures by target key
        (see :func:`ihms.sim.calibrate.measure`).
    max_evaluations
        Budget of simulation runs: every call of ``evaluate`` counts, the runs of the
        finite-difference Jacobian (one per parameter each iteration) included. When it
        is spent the solver stops, even within a Jacobian, and the result is the best
        point evaluated; ``run["status"]`` then says the budget ran out.
    details
        Recorded with the result (population size, seed, ...).
    progress
        Called after each evaluation with its number and the sum of squared residuals.

    Returns
    -------
    TuningResults
        The point of lowest sum of squares among those evaluated (the solver's last
        iterate, or a finite-difference point beside it), with the residuals measured
        there; ``run["evaluations"]`` is the number of simulations run and
        ``run["evaluation_budget"]`` the ``max_evaluations`` they were allowed (the
        written block records both, so a run the budget stopped can be told from one that
        converged and repeated with the same budget).

    Raises
    ------
    InputError
        When ``max_evaluations`` is below 1.

    Warns
    -----
    IhmsWarning
        For each parameter whose starting value lies outside its bounds: the tuning
        starts from the nearest bound instead (scipy refuses a start outside them), so
        the run goes on and the message names the key, the value and the bounds.
    """
    from ihms.sim.load import config_from_mapping

    if (
        isinstance(max_evaluations, bool)
        or not isinstance(max_evaluations, numbers.Integral)
        or max_evaluations < 1
    ):
        raise InputError(f"max_evaluations: expected an integer >= 1, got {max_evaluations!r}")

    base = config.model_dump()
    base.pop("calibration", None)
    x0 = np.array([float(_get(base, p.path)) for p in parameters])
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    _note_clipped_start(parameters, x0)
    # a start outside the bounds begins at the nearest one (scipy refuses it otherwise);
    # just inside them, as trf needs a start strictly within
    x0 = np.clip(x0, low + 1e-9, high - 1e-9)
    # The solver works on z = 1 + (x - low) / step, one unit being a tenth of each
    # parameter's range, so every parameter has a comparable finite-difference step
    # (8 % of z: 1-9 % of the range, wide enough to see through the small jitter a
    # changed parameter causes by shifting later draws). z stays >= 1: scipy's relative
    # step would collapse to machine precision at z = 0 and see a flat objective.
    step = (high - low) / 10
    count = 0
    best: dict[str, Any] = {}

    def fun(z: np.ndarray) -> np.ndarray:
        # scipy's max_nfev leaves out the Jacobian's runs (its least_squares docs), so
        # the budget is counted here, over every run
        nonlocal count
        if count >= max_evaluations:
            raise _BudgetSpent
        x = low + step * (z - 1)
        data = apply_tuned(base, {p.path: v for p, v in zip(parameters, x, strict=True)})
        values = evaluate(config_from_mapping(data, where="tuning"))
        res = _residuals(values)
        count += 1
        ss = float(res @ res)
        if not best or ss < best["ss"]:
            best.update(z=np.array(z, dtype=float), values=values, res=res, ss=ss)
        if progress is not None:
            progress(count, ss)
        return res

    started = time.perf_counter()
    try:
        fit = least_squares(
            fun,
            1 + (x0 - low) / step,
            bounds=(np.ones(len(parameters)), np.full(len(parameters), 11.0)),
            diff_step=0.08,
            max_nfev=max_evaluations,  # never the limit that stops: ours counts more runs
            method="trf",
        )
        status = fit.message
    except _BudgetSpent:
        status = (
            f"budget of {max_evaluations} simulation runs spent before the solver "
            "converged; the best point evaluated is kept"
        )
    final = best["res"]
    solved = low + step * (best["z"] - 1)
    rows = [
        {"figure": t.key, "target": t.value, "simulated": best["values"][t.key], "residual": r}
        for t, r in zip(fitted_targets(), final, strict=True)
    ]
    run = {
        "date": _dt.date.today().isoformat(),
        "method": "scipy.optimize.least_squares (trf; forward differences of 8 % of "
        "1 + (x - low) / (range / 10))",
        "evaluations": count,
        "evaluation_budget": max_evaluations,
        "sum_of_squares": round(best["ss"], 6),
        "status": status,
        "seconds": round(time.perf_counter() - started, 1),
        **(details or {}),
    }
    return TuningResults(
        tuned={p.path: round(float(v), 4) for p, v in zip(parameters, solved, strict=True)},
        start={p.path: float(v) for p, v in zip(parameters, x0, strict=True)},
        residuals=pd.DataFrame(rows).set_index("figure"),
        run=run,
    )
