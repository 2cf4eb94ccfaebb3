"""Gwet's AC1/AC2 and the Brennan–Prediger coefficient, with standard errors, for any
number of coders and missing codes (Gwet 2008; Gwet 2014, ch. 2–5).

Both coefficients share Gwet's observed agreement (mean over units coded by at least two
coders of the share of agreeing coder pairs) and his linearised variance over units, as
R ``irrCAC``'s ``*.raw``/``*.dist`` functions and Stata's ``kappaetc`` compute them: the
standard error has ``n - 1`` degrees of freedom and the confidence interval and p-value
use Student's t. They differ only in chance agreement: AC1 takes it from how far the
categories' shares are from uniform, Brennan–Prediger (with two coders and two
categories the prevalence- and bias-adjusted kappa, PABAK) fixes it at ``1/q``.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from ihms._arguments import check_confidence
from ihms._repr import SummaryHtml, brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._cohen import KappaWeights, _agreement_weights, _weights_label
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import encode_ratings, read_counts, value_counts
from ihms.summary import SummaryTable, format_p

__all__ = [
    "ChanceAgreementResult",
    "brennan_prediger",
    "brennan_prediger_from_counts",
    "gwet_ac1",
    "gwet_ac1_from_counts",
    "gwet_ac1_from_table",
]

_Kind = Literal["ac1", "bp"]


@dataclass(frozen=True, eq=False)
class ChanceAgreementResult(SummaryHtml):
    """Gwet's AC1/AC2 or Brennan–Prediger's coefficient with its precision.

    Attributes
    ----------
    coefficient
        ``"Gwet's AC1"``, ``"Gwet's AC2"`` (weighted) or ``"Brennan-Prediger"``.
    estimate
        The coefficient.
    std_error
        Gwet's linearised standard error over units (irrCAC ``coeff.se``, kappaetc
        "Std. Err."), conditional on the coders.
    ci_low, ci_high
        ``estimate ± t(df) * std_error`` at ``confidence``, cut to [-1, 1].
    t, df, pvalue_two_sided
        Test of coefficient = 0 against Student's t with ``df = n_units - 1``.
    observed_agreement, expected_agreement
        Gwet's pa and pe, as proportions (weighted for AC2).
    n_units
        Units coded by at least one coder (the n of the variance).
    n_pairable
        Units coded by at least two coders (the units pa averages over).
    n_coders
        Columns of the ratings (coders per unit for counts input).
    weights
        ``"none"``, ``"linear"`` or ``"quadratic"``.
    categories
        The q categories (chance agreement depends on q).
    confidence
        Level of the confidence interval.
    """

    coefficient: str
    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    pvalue_two_sided: float
    observed_agreement: float
    expected_agreement: float
    n_units: int
    n_pairable: int
    n_coders: int
    weights: str
    categories: tuple[Hashable, ...]
    confidence: float

    def __repr__(self) -> str:
        return brief_repr(
            self,
            coefficient=self.coefficient,
            estimate=round(self.estimate, 4),
            ci=(round(self.ci_low, 4), round(self.ci_high, 4)),
            n_units=self.n_units,
        )

    def summary(self) -> SummaryTable:
        """One row as irrCAC and kappaetc print it: pa, pe, coefficient, SE, CI, t, p."""
        level = f"{100 * self.confidence:g}%"
        frame = pd.DataFrame(
            {
                "n": [self.n_units],
                "agreement": [100 * self.observed_agreement],
                "expected": [100 * self.expected_agreement],
                "estimate": [self.estimate],
                "std_error": [self.std_error],
                f"{level} low": [self.ci_low],
                f"{level} high": [self.ci_high],
                "t": [self.t],
                "p>|t|": [self.pvalue_two_sided],
            },
            index=pd.Index([self.coefficient + _weights_label(self.weights)], name=""),
        )
        return SummaryTable(
            frame,
            title="Chance-corrected agreement",
            notes=(
                f"std_error: Gwet's linearised SE over units; CI and p from t with "
                f"{self.df} df (irrCAC, Stata kappaetc); {len(self.categories)} categories.",
            ),
            formats={
                "n": "{:,.0f}".format,
                "agreement": "{:.2f}%".format,
                "expected": "{:.2f}%".format,
                "p>|t|": format_p,
            },
            decimal_columns=("estimate", "std_error", f"{level} low", f"{level} high", "t"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values (categories as strings)."""
        out = plain_fields(self, skip=("categories",))
        out["categories"] = [str(c) for c in self.categories]
        return out


def _check(weights: KappaWeights, confidence: float) -> None:
    if weights not in (None, "linear", "quadratic"):
        raise InputError(
            f"parameter 'weights': expected None, 'linear' or 'quadratic', got {weights!r}"
        )
    check_confidence(confidence)


def _chance_corrected(
    counts: np.ndarray,
    *,
    kind: _Kind,
    weights: KappaWeights,
    categories: tuple[Hashable, ...],
    n_coders: int,
    confidence: float,
) -> ChanceAgreementResult:
    """The coefficient from a units × categories table of counts (Gwet 2014, eq. 5.3–5.8
    for AC1; the same linearisation with constant pe for Brennan–Prediger)."""
    counts = counts[counts.sum(axis=1) > 0].astype(float)  # units nobody coded carry nothing
    n, q = counts.shape
    name = (
        "Brennan-Prediger" if kind == "bp" else ("Gwet's AC1" if weights is None else "Gwet's AC2")
    )
    w = _agreement_weights(q, weights)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    n_pairable = int(pairable.sum())
    if n == 0 or n_pairable == 0:
        raise InputError("ratings: no unit was coded by at least 2 coders")
    # each coder's code, credited with the weighted agreement it finds among the others
    agree = (counts * (counts @ w.T - 1)).sum(axis=1)
    pairs = per_unit * (per_unit - 1)
    pa_unit = np.where(pairable, agree / np.where(pairable, pairs, 1), 0.0)
    pa = float(pa_unit[pairable].mean())
    share = (counts / per_unit[:, None]).mean(axis=0)  # π_k, mean over units
    nan = float("nan")
    if kind == "bp":
        pe = float(w.sum() / q**2)
        pe_unit = np.full(n, pe)
    elif q < 2:
        pe = pe_unit = nan
    else:
        scale = w.sum() / (q * (q - 1))
        pe = float(scale * (share * (1 - share)).sum())
        pe_unit = scale * (counts @ (1 - share)) / per_unit
    if not np.isfinite(pe) or pe >= 1 - 1e-12:
        warnings.warn(
            StatisticalWarning(
                f"{name} is undefined: every coder used a single category ({q} in all)",
                zh=f"{name} 无定义：每名编码员都只用了一个类目（共 {q} 个类目）",
            ),
            stacklevel=caller_stacklevel(),
        )
        estimate = se = nan
    else:
        estimate = (pa - pe) / (1 - pe)
        unit_terms = (n / n_pairable) * (pa_unit - pe * pairable) / (1 - pe)
        unit_terms = unit_terms - 2 * (1 - estimate) * (pe_unit - pe) / (1 - pe)
        se = float(np.sqrt(((unit_terms - estimate) ** 2).sum() / (n * (n - 1)))) if n > 1 else nan
    df = n - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate / se if se > 0 else nan
    crit = float(stats.t.ppf(0.5 + confidence / 2, df)) if df > 0 else nan
    return ChanceAgreementResult(
        coefficient=name,
        estimate=float(estimate),
        std_error=se,
        ci_low=max(estimate - crit * se, -1.0) if np.isfinite(se) else nan,
        ci_high=min(estimate + crit * se, 1.0) if np.isfinite(se) else nan,
        t=float(t),
        df=df,
        pvalue_two_sided=float(2 * stats.t.sf(abs(t), df)) if np.isfinite(t) else nan,
        observed_agreement=pa,
        expected_agreement=float(pe),
        n_units=n,
        n_pairable=n_pairable,
        n_coders=n_coders,
        weights=weights or "none",
        categories=categories,
        confidence=confidence,
    )


def _from_ratings(
    ratings: Any,
    kind: _Kind,
    weights: KappaWeights,
    categories: Sequence[Hashable] | None,
    confidence: float,
) -> ChanceAgreementResult:
    _check(weights, confidence)
    coded = encode_ratings(ratings, categories=categories)
    return _chance_corrected(
        value_counts(coded),
        kind=kind,
        weights=weights,
        categories=coded.categories,
        n_coders=len(coded.coders),
        confidence=confidence,
    )


def _from_counts(
    counts: Any,
    kind: _Kind,
    weights: KappaWeights,
    categories: Sequence[Hashable] | None,
    confidence: float,
) -> ChanceAgreementResult:
    _check(weights, confidence)
    arr, labels = read_counts(counts, categories)
    return _chance_corrected(
        arr,
        kind=kind,
        weights=weights,
        categories=tuple(labels),
        n_coders=int(arr.sum(axis=1).max()),
        confidence=confidence,
    )


def gwet_ac1(
    ratings: Any,
    *,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> ChanceAgreementResult:
    """Gwet's AC1 (or AC2 with weights) for two or more coders, with missing codes.

    AC1 corrects agreement for chance as kappa does, but takes chance agreement from
    how far the categories' shares are from uniform, so a category that is present in
    nearly every unit (or nearly none) does not drive it to zero while the coders
    agree — the "kappa paradox" (Gwet 2008).

    Parameters
    ----------
    ratings
        Units × coders table; None/NaN where a coder did not code a unit. Units coded
        by nobody are left out; units coded by one coder count in the variance and in
        the categories' shares, not in observed agreement (as irrCAC).
    weights
        None (AC1), ``"linear"`` or ``"quadratic"`` (AC2) on the categories' positions.
    categories
        Every category in order. q, the number of categories, enters chance agreement:
        give the codebook's categories when some were never used.
    confidence
        Level of the confidence interval.

    Examples
    --------
    irrCAC's ``cac.raw4raters`` (4 coders, 12 units, missing codes) gives 0.77544.

    >>> nan = None
    >>> data = [[1, 1, nan, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2],
    ...         [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [nan, 5, 5, 5],
    ...         [nan, nan, 1, 1], [nan, nan, 3, nan]]
    >>> round(gwet_ac1(data).estimate, 5)
    0.77544
    """
    return _from_ratings(ratings, "ac1", weights, categories, confidence)


def gwet_ac1_from_counts(
    counts: Any,
    *,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> ChanceAgreementResult:
    """Gwet's AC1/AC2 from a units × categories table: how many coders put each unit
    in each category (irrCAC ``gwet.ac1.dist``); the number of coders may vary.

    Parameters
    ----------
    counts
        ``counts[i, j]``: coders who put unit i in category j (whole numbers >= 0).
    weights, confidence
        As :func:`gwet_ac1`.
    categories
        Labels of the columns (default: the DataFrame's columns or 0..k-1).
    """
    return _from_counts(counts, "ac1", weights, categories, confidence)


def gwet_ac1_from_table(
    table: Any, *, weights: KappaWeights = None, confidence: float = 0.95
) -> ChanceAgreementResult:
    """Gwet's AC1/AC2 of two coders from their k × k cross-tabulation.

    The estimate is irrCAC's ``gwet.ac1.table``; the standard error is the one of the
    raw codes (``gwet.ac1.raw``, Stata ``kappaetc``), which divides by n(n - 1) where
    ``gwet.ac1.table`` divides by n², so it is larger by sqrt(n / (n - 1)).

    Parameters
    ----------
    table
        k × k counts: first coder's categories in rows, second coder's in columns, in
        the same order.
    weights, confidence
        As :func:`gwet_ac1`.
    """
    labels = list(table.index) if isinstance(table, pd.DataFrame) else None
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1:
        raise InputError(f"table: expected a square k × k table of counts, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr != np.round(arr)).any():
        raise InputError("table: expected whole-number counts >= 0")
    k = arr.shape[0]
    eye = np.eye(k)
    # one unit per tabulated pair: a count for the first coder's and the second's category
    rows, cols = np.nonzero(arr)
    reps = arr[rows, cols].astype(np.int64)
    units = np.repeat(eye[rows] + eye[cols], reps, axis=0)
    if units.shape[0] == 0:
        raise InputError("table: expected at least one unit coded by both coders, got none")
    return _from_counts(
        units, "ac1", weights, labels if labels is not None else list(range(k)), confidence
    )


def brennan_prediger(
    ratings: Any,
    *,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> ChanceAgreementResult:
    """Brennan–Prediger's coefficient (free-marginal kappa) for two or more coders.

    Chance agreement is ``1/q`` for q categories (the sum of the weights over q²
    when weighted). With two coders this is the prevalence- and bias-adjusted kappa,
    PABAK = (q·po − 1)/(q − 1) (Byrt, Bishop & Carlin 1993); with more it is Randolph's
    free-marginal multirater kappa.

    Parameters
    ----------
    ratings, weights, categories, confidence
        As :func:`gwet_ac1`; ``categories`` matters most here, as q is all chance
        agreement depends on.

    Examples
    --------
    >>> round(brennan_prediger([["a", "a"], ["a", "b"], ["b", "b"], ["a", "a"]]).estimate, 2)
    0.5
    """
    return _from_ratings(ratings, "bp", weights, categories, confidence)


def brennan_prediger_from_counts(
    counts: Any,
    *,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> ChanceAgreementResult:
    """Brennan–Prediger's coefficient from a units × categories table of counts
    (irrCAC ``bp.coeff.dist``).

    Parameters
    ----------
    counts, weights, categories, confidence
        As :func:`gwet_ac1_from_counts`.
    """
    return _from_counts(counts, "bp", weights, categories, confidence)
