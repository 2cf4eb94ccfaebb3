"""How an interrupted time series' time points are spaced: repeats, the points missing
between the first and the last, a series evenly spaced at a step other than its period,
and Stata's ``tsset t, delta()`` (a period of several time units: a survey every 2
years)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache
from itertools import pairwise

import numpy as np
import pandas as pd

from ihms.errors import InputError
from ihms.stats._cells import row_where
from ihms.stats._date_counts import day_count_hint, package_of
from ihms.stats._its_days import mostly_quarter_days
from ihms.stats._its_time import TimeAxis

__all__ = ["check_delta", "check_panels", "missing_points", "off_grid", "regular_step"]


def missing_points(times: list[int], shown: int = 10) -> tuple[list[int], int]:
    """The first ``shown`` time points missing between the first and last of ``times``
    (ascending, distinct) and how many are missing, without listing them all: SPSS's
    seconds read as time points leave tens of millions between two months."""
    first: list[int] = []
    for a, b in pairwise(times):
        first.extend(range(a + 1, min(b, a + 1 + shown - len(first))))
        if len(first) == shown:
            break
    return first, times[-1] - times[0] + 1 - len(times)


def regular_step(
    times: list[int], column: str, unit: str = "", *, delta: int = 1, hint: bool = True
) -> str | None:
    """The problem of integer time points (ascending, distinct, at least 3) evenly
    spaced by a step above the period ``delta`` — a survey every 2 or 5 years, 2000,
    2002, 2004, ... — or None. Listing 2001, 2003, ... as "missing" and asking for an
    evenly spaced series told the user the wrong thing: the series is evenly spaced, its
    period is not one year. ``hint`` offers ``delta`` (Stata's ``tsset year,
    delta(2)``); where there is none (a batch), only numbering the periods. ``unit``
    follows the column's name (`` for unit 'A'``)."""
    if len(times) < 3:
        return None
    steps = set(np.diff(times).tolist())
    if len(steps) != 1 or (step := steps.pop()) <= delta:
        return None
    apart = "1 apart" if delta == 1 else f"delta={delta} apart"
    offer = (
        f"give delta={step} (--delta {step} on the command line; Stata: tsset {column}, "
        f"delta({step})), or " * hint
    )
    return (
        f"column '{column}'{unit}: the time points are evenly spaced every {step} ({times[0]}, "
        f"{times[1]}, {times[2]}, ..., {times[-1]}), not {apart}: {offer}number the periods "
        f"1, 2, 3, ... in a column of their own (Stata: gen period = ({column} - {times[0]})/"
        f"{step} + 1) and give it as the time, the interruption as its period number; the "
        f"slopes are then per period of {step}"
    )


def check_delta(delta: object, axis: TimeAxis | None) -> int:
    """``delta`` as an integer >= 1, for integer time only (years, period numbers)."""
    if isinstance(delta, bool) or not isinstance(delta, (int, np.integer)) or delta < 1:
        raise InputError(f"parameter 'delta': expected an integer >= 1, got {delta!r}")
    if delta > 1 and axis is not None and axis.kind != "integer":
        raise InputError(
            f"parameter 'delta': applies to integer time (years, period numbers); the time "
            f"column holds {axis.kind} time, whose periods are one {axis.kind[:-2]} apart"
        )
    return int(delta)


def _unit_name(unit: Hashable | None) -> str:
    return "" if unit is None else f" for unit {unit!r}"


def off_grid(
    seen: dict[int, list[int]], t0: int, delta: int, column: str, name, frame, source
) -> str | None:
    """The problem of time points that are not ``t0`` plus whole periods of ``delta``."""
    off = sorted(code for code in seen if (code - t0) % delta)
    if not off:
        return None
    rows = ", ".join(str(row_where(frame, seen[c][0], source)) for c in off[:5])
    return (
        f"column '{column}'{_unit_name(name)}: time point(s) {', '.join(map(str, off[:5]))}"
        f"{' and more' if len(off) > 5 else ''} (rows {rows}) are not whole periods of "
        f"delta={delta} from the first, {t0}: with delta={delta} the time points are {t0}, "
        f"{t0 + delta}, {t0 + 2 * delta}, ...; check delta (the spacing of the years) or "
        "the time column"
    )


def check_panels(
    unit_code: np.ndarray,
    units: Sequence[Hashable | None],
    time: np.ndarray,
    axis: TimeAxis,
    time_column: str,
    positions: np.ndarray,
    frame: pd.DataFrame,
    source: str | None,
    delta: int = 1,
) -> list[str]:
    """Duplicate and missing time points per unit, and strong balance across units.
    With ``delta`` (integer time), time points are the first one plus whole periods of
    ``delta``, and a period without its time point is missing, as ``tsset, delta()``
    reports a gap."""
    problems: list[str] = []
    reference: set[int] | None = None
    reference_unit: Hashable | None = None
    t0 = int(time.min()) if len(time) else 0
    # once, at the first gap: a panel may have many units with gaps
    quarter_hint = cache(lambda: mostly_quarter_days(frame[time_column].unique().tolist()))
    for u, name in enumerate(units):
        mask = unit_code == u
        seen: dict[int, list[int]] = {}
        for code, p in zip(time[mask].tolist(), positions[mask].tolist(), strict=True):
            seen.setdefault(code, []).append(p)
        for code, ps in seen.items():
            if len(ps) > 1:
                rows = ", ".join(str(row_where(frame, p, source)) for p in ps)
                problems.append(
                    f"column '{time_column}': time point {axis.display(code)} appears "
                    f"{len(ps)} times{_unit_name(name)} (rows {rows})"
                )
        distinct = sorted(seen)
        off = delta > 1 and off_grid(seen, t0, delta, time_column, name, frame, source)
        step = axis.kind == "integer" and regular_step(
            distinct, time_column, _unit_name(name), delta=delta
        )
        if off or step:
            problems.append(off or step)  # type: ignore[arg-type]
        elif distinct:
            periods = [(c - t0) // delta for c in distinct]
            first, missing = missing_points(periods)
            if missing:
                shown = ", ".join(axis.display(t0 + m * delta) for m in first)
                more = f" and {missing - len(first):,} more" if missing > len(first) else ""
                problems.append(
                    f"column '{time_column}': missing time point(s) {shown}{more}"
                    f"{_unit_name(name)}; the series must be evenly spaced with no gaps"
                    + (f" (every delta={delta})" if delta > 1 else "")
                    + (
                        day_count_hint(distinct, package_of(source), time_column)
                        if axis.kind == "integer" and delta == 1
                        else ""
                    )
                    + (quarter_hint() if axis.kind == "monthly" else "")
                )
        if reference is None:
            reference, reference_unit = set(distinct), name
        elif set(distinct) != reference:
            extra = sorted(set(distinct) ^ reference)
            shown = ", ".join(axis.display(m) for m in extra[:10])
            problems.append(
                f"column '{time_column}': unit {name!r} and unit {reference_unit!r} do not "
                f"cover the same time points (differ at {shown}); the panel must be "
                "strongly balanced"
            )
    return problems
