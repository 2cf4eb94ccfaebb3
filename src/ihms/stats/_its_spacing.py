"""How an interrupted time series' time points are spaced: the points missing between
the first and the last, and a series evenly spaced at a step other than one period."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

__all__ = ["missing_points", "regular_step"]


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


def regular_step(times: list[int], column: str, unit: str = "") -> str | None:
    """The problem of integer time points (ascending, distinct, at least 3) evenly
    spaced by a step above 1 — a survey every 2 or 5 years, 2000, 2002, 2004, ... — or
    None. Listing 2001, 2003, ... as "missing" and asking for an evenly spaced series
    told the user the wrong thing: the series is evenly spaced, its periods are not
    numbered one apart. (Stata reads it after ``tsset year, delta(2)``; here the slopes
    would be per period, so the periods are numbered.) ``unit`` follows the column's
    name (`` for unit 'A'``)."""
    if len(times) < 3:
        return None
    steps = set(np.diff(times).tolist())
    if len(steps) != 1 or (step := steps.pop()) <= 1:
        return None
    return (
        f"column '{column}'{unit}: the time points are evenly spaced every {step} ({times[0]}, "
        f"{times[1]}, {times[2]}, ..., {times[-1]}), not 1 apart: number the periods 1, "
        f"2, 3, ... in a column of their own (Stata: gen period = ({column} - {times[0]})/"
        f"{step} + 1) and give it as the time, the interruption as its period number; the "
        f"slopes are then per period of {step}"
    )
