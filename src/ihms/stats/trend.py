"""Chi-square tests on proportions across ordered groups (years, levels, doses).

- :func:`trend_test` — Cochran–Armitage chi-square test for a linear trend in
  proportions with group scores (default 1..k). ``form="n"`` is R's
  ``prop.trend.test`` and Stata's ``ptrend``; ``form="n-1"`` multiplies it by
  (N − 1)/N, which is Stata's ``tabodds`` score test and the "Mantel–Haenszel
  chi-square" (row mean scores / linear association) of SAS PROC FREQ with ``CMH``.
  The result also carries the Pearson chi-square of the k × 2 table and the
  chi-square for departure from linear trend (Pearson − trend, k − 2 df), the
  decomposition Stata's ``ptrend`` prints and R's help pairs with ``prop.test``.
- :func:`chi2_independence` — the k × 2 Pearson chi-square test of independence
  (:func:`scipy.stats.chi2_contingency` without continuity correction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ihms._arguments import wrong_kind
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._plain import plain_fields
from ihms.summary import SummaryTable, format_number, format_p

__all__ = [
    "ChiSquareResult",
    "TrendTestResult",
    "chi2_independence",
    "trend_test",
]

TrendForm = Literal["n", "n-1"]


@dataclass(frozen=True)
class ChiSquareResult(SummaryHtml):
    """Pearson chi-square test of independence of a k × 2 table (events, non-events).

    Attributes
    ----------
    chi2, df, pvalue
        Statistic, k − 1 degrees of freedom and p-value.
    n
        Total of the table.
    min_expected
        Smallest expected count (the usual caveat applies below 5).
    """

    chi2: float
    df: int
    pvalue: float
    n: float
    min_expected: float

    def summary(self) -> SummaryTable:
        """One row: chi2, df, p."""
        frame = pd.DataFrame(
            {"chi2": [self.chi2], "df": [self.df], "p": [self.pvalue]},
            index=pd.Index(["Pearson chi-square (independence)"], name=""),
        )
        return SummaryTable(
            frame,
            title="Chi-square test of independence",
            notes=(
                f"N = {format_number(self.n)}; smallest expected count {self.min_expected:.2f}.",
            ),
            formats={"df": "{:.0f}".format, "p": format_p},
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return plain_fields(self)


@dataclass(frozen=True)
class TrendTestResult(SummaryHtml):
    """Cochran–Armitage test for trend in proportions, with the overall test.

    Attributes
    ----------
    chi2, df, pvalue
        Chi-square for linear trend (1 df) in the chosen ``form`` and its p-value.
    z
        Signed square root of ``chi2``: positive when proportions rise with the score.
    slope
        Slope of the proportion on the score, weighted by group size (Stata ``ptrend``).
    form
        ``"n"`` (R ``prop.trend.test``, Stata ``ptrend``) or ``"n-1"`` (Stata
        ``tabodds``, SAS CMH): the latter is the former × (N − 1)/N.
    chi2_overall, df_overall, pvalue_overall
        Pearson chi-square of the k × 2 table (k − 1 df), not scaled by ``form``.
    chi2_departure, df_departure, pvalue_departure
        Departure from linear trend: ``chi2_overall`` minus the trend chi-square in the
        N form (k − 2 df), as Stata's ``ptrend``; NaN when k = 2.
    events, totals, scores, proportions
        The data, per group.
    n
        Total N.
    """

    chi2: float
    df: int
    pvalue: float
    z: float
    slope: float
    form: str
    chi2_overall: float
    df_overall: int
    pvalue_overall: float
    chi2_departure: float
    df_departure: int
    pvalue_departure: float
    events: tuple[float, ...]
    totals: tuple[float, ...]
    scores: tuple[float, ...]
    proportions: tuple[float, ...]
    n: float

    def __repr__(self) -> str:
        # the generated repr printed every group's events, totals, scores and proportions
        return brief_repr(
            self,
            chi2=round(self.chi2, 4),
            pvalue=self.pvalue,
            slope=self.slope,
            groups=len(self.events),
            n=self.n,
        )

    def groups(self) -> pd.DataFrame:
        """Events, totals, proportion and score per group."""
        return pd.DataFrame(
            {
                "score": self.scores,
                "events": self.events,
                "totals": self.totals,
                "proportion": self.proportions,
            }
        )

    def summary(self, *, lang: str = "en") -> SummaryTable:
        """Trend, departure from trend and overall chi-square, as ``ptrend`` prints.

        Parameters
        ----------
        lang
            ``"zh"``: title, rows, headers and notes in Chinese (率的趋势卡方检验,
            偏离线性趋势, 自由度; the words of :mod:`ihms._words`).
        """
        from ihms._words import said

        frame = pd.DataFrame(
            {
                said(lang, "trend chi2"): [self.chi2, self.chi2_departure, self.chi2_overall],
                said(lang, "trend df"): [self.df, self.df_departure, self.df_overall],
                "p": [self.pvalue, self.pvalue_departure, self.pvalue_overall],
            },
            index=pd.Index(
                [
                    said(lang, "trend row", form=self.form),
                    said(lang, "departure row"),
                    said(lang, "overall row"),
                ],
                name="",
            ),
        )
        props = ", ".join(f"{p:.4f}" for p in self.proportions)
        scores = ", ".join(f"{s:g}" for s in self.scores)
        notes = [
            said(lang, "trend note", props=props, scores=scores, n=format_number(self.n),
                 slope=self.slope, z=self.z)
        ]  # fmt: skip
        if self.form == "n-1":
            notes.append(said(lang, "departure note", gap=self.chi2_overall - self.chi2_departure))
        return SummaryTable(
            frame,
            title=said(lang, "trend title"),
            notes=tuple(notes),
            formats={said(lang, "trend df"): "{:.0f}".format, "p": format_p},
            lang=lang,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return plain_fields(self)


def _floats(values: Sequence[float], name: str) -> np.ndarray:
    if values is None or isinstance(values, (str, bytes)):  # not iterated as its letters
        raise InputError(
            wrong_kind(values, parameter=name, expected="a sequence of numbers, one per group")
        )
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: expected numbers, got {list(values)!r}") from exc
    if arr.ndim != 1:
        raise InputError(f"{name}: expected one number per group (a 1-D sequence)")
    return arr


def _as_counts(events: Sequence[float], totals: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x, n = _floats(events, "events"), _floats(totals, "totals")
    if x.size != n.size:
        raise InputError(
            f"events and totals: expected the same number of groups, got {x.size} events "
            f"and {n.size} totals"
        )
    if x.size < 2:
        raise InputError(f"events: expected at least 2 groups, got {x.size}")
    problems = []
    for i, (xi, ni) in enumerate(zip(x, n, strict=True), start=1):
        if not (np.isfinite(xi) and np.isfinite(ni)):
            problems.append(f"group {i}: expected finite counts, got events={xi}, totals={ni}")
        elif xi < 0 or ni < 0:
            problems.append(f"group {i}: expected counts >= 0, got events={xi:g}, totals={ni:g}")
        elif ni == 0:
            problems.append(f"group {i}: expected a total > 0, got 0")
        elif xi > ni:
            problems.append(f"group {i}: total {ni:g} is smaller than events {xi:g}")
    if problems:
        raise InputError("events and totals: " + "; ".join(problems))
    return x, n


def chi2_independence(events: Sequence[float], totals: Sequence[float]) -> ChiSquareResult:
    """Pearson chi-square test that the k proportions ``events / totals`` are equal.

    Parameters
    ----------
    events, totals
        Events and group sizes per group (totals >= events >= 0).

    Examples
    --------
    >>> r = chi2_independence([83, 90, 129, 70], [86, 93, 136, 82])
    >>> round(r.chi2, 2), r.df
    (12.6, 3)
    """
    x, n = _as_counts(events, totals)
    table = np.column_stack([x, n - x])
    if (table.sum(axis=0) == 0).any():
        raise InputError(
            "events: every group has the same outcome (all events or none), so the "
            "chi-square test is undefined"
        )
    chi2, p, df, expected = stats.chi2_contingency(table, correction=False)
    return ChiSquareResult(
        chi2=float(chi2),
        df=int(df),
        pvalue=float(p),
        n=float(table.sum()),
        min_expected=float(expected.min()),
    )


def trend_test(
    events: Sequence[float],
    totals: Sequence[float],
    *,
    scores: Sequence[float] | None = None,
    form: TrendForm = "n",
) -> TrendTestResult:
    """Cochran–Armitage chi-square test for trend in proportions.

    Parameters
    ----------
    events, totals
        Events and group sizes per ordered group (totals >= events >= 0).
    scores
        Score of each group (default 1..k); any affine change of the scores leaves the
        test unchanged.
    form
        ``"n"``: X² = [Σ xᵢ(sᵢ − s̄)]² / [p̄(1 − p̄) Σ nᵢ(sᵢ − s̄)²] with s̄ weighted by
        nᵢ (R ``prop.trend.test``, Stata ``ptrend``); ``"n-1"``: the same × (N − 1)/N
        (Stata ``tabodds``, SAS PROC FREQ CMH).

    Returns
    -------
    TrendTestResult

    Examples
    --------
    R's ``prop.trend.test`` help example:

    >>> r = trend_test([83, 90, 129, 70], [86, 93, 136, 82])
    >>> round(r.chi2, 4), r.df, round(r.pvalue, 6)
    (8.2249, 1, 0.004132)
    """
    if form not in ("n", "n-1"):
        raise InputError(f"parameter 'form': expected 'n' or 'n-1', got {form!r}")
    x, n = _as_counts(events, totals)
    k = x.size
    if scores is None:
        s = np.arange(1, k + 1, dtype=float)
    else:
        s = _floats(scores, "scores")
        if s.size != k:
            raise InputError(f"scores: expected {k} scores (one per group), got {s.size}")
        if not np.isfinite(s).all():
            raise InputError(f"scores: expected finite numbers, got {s.tolist()}")
    big_n = float(n.sum())
    p_bar = float(x.sum()) / big_n
    if p_bar in (0.0, 1.0):
        raise InputError(
            "events: every group has the same outcome (all events or none), so the "
            "trend test is undefined"
        )
    s_bar = float((n * s).sum()) / big_n
    ss = float((n * (s - s_bar) ** 2).sum())
    if ss <= 0:
        raise InputError(f"scores: expected at least two different scores, got {s.tolist()}")
    u = float((x * (s - s_bar)).sum())
    chi2_n = u**2 / (p_bar * (1 - p_bar) * ss)
    chi2 = chi2_n * (big_n - 1) / big_n if form == "n-1" else chi2_n
    overall = chi2_independence(x, n)
    departure = overall.chi2 - chi2_n if k > 2 else float("nan")
    if abs(departure) <= 1e-12 * overall.chi2:
        departure = 0.0  # proportions on a line: the subtraction leaves rounding (2.2e-16)
    pvalue_departure = float(stats.chi2.sf(departure, k - 2)) if k > 2 else float("nan")
    return TrendTestResult(
        chi2=float(chi2),
        df=1,
        pvalue=float(stats.chi2.sf(chi2, 1)),
        z=float(np.sign(u) * np.sqrt(chi2)),
        slope=u / ss,
        form=form,
        chi2_overall=overall.chi2,
        df_overall=overall.df,
        pvalue_overall=overall.pvalue,
        chi2_departure=float(departure),
        df_departure=k - 2,
        pvalue_departure=pvalue_departure,
        events=tuple(x.tolist()),
        totals=tuple(n.tolist()),
        scores=tuple(s.tolist()),
        proportions=tuple((x / n).tolist()),
        n=big_n,
    )
