"""Cohen's kappa for two coders (statsmodels' estimate, Stata/SAS presentation)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats import inter_rater

from ihms._arguments import check_confidence
from ihms._repr import SummaryHtml, brief_repr
from ihms._warnings import caller_stacklevel
from ihms._words import TERMS
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import two_coder_table
from ihms.summary import SummaryTable, format_p

__all__ = ["CohenKappaResult", "KappaWeights", "cohens_kappa", "cohens_kappa_from_table"]

KappaWeights = Literal["linear", "quadratic"] | None

_PCT = "{:.2f}%".format


@dataclass(frozen=True, eq=False)
class CohenKappaResult(SummaryHtml):
    """Cohen's kappa for two coders, with both standard errors.

    Attributes
    ----------
    kappa
        Cohen's kappa (weighted when ``weights`` is not ``"none"``).
    std_error
        Asymptotic standard error (Fleiss, Cohen & Everitt 1969; SAS "ASE",
        statsmodels ``std_kappa``); the confidence interval uses it.
    ci_low, ci_high
        Wald confidence interval ``kappa ± z * std_error`` at ``confidence``, cut to
        [-1, 1] (the values kappa can take).
    std_error_null
        Standard error under H0: kappa = 0 (Stata ``kap`` "Std. Err.", SAS "ASE under
        H0", statsmodels ``std_kappa0``); ``z`` and the p-values use it.
    z, pvalue_one_sided, pvalue_two_sided
        Test of H0: kappa = 0. Stata prints the one-sided ``Prob>Z``.
    observed_agreement, expected_agreement
        Proportions (weighted agreement for weighted kappa).
    kappa_max
        Largest kappa the two coders' marginal distributions allow (Cohen 1960; for
        weighted kappa the largest weighted agreement over all tables with these row
        and column totals, a small linear programme).
    n_units
        Units coded by both coders.
    weights
        ``"none"``, ``"linear"`` (Cicchetti–Allison) or ``"quadratic"`` (Fleiss–Cohen).
    table
        The cross-tabulation: first coder in rows, second in columns.
    confidence
        Level of the confidence interval.
    """

    kappa: float
    std_error: float
    ci_low: float
    ci_high: float
    std_error_null: float
    z: float
    pvalue_one_sided: float
    pvalue_two_sided: float
    observed_agreement: float
    expected_agreement: float
    kappa_max: float
    n_units: int
    weights: str
    confidence: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        # the generated repr printed every statistic and the cross-table
        return brief_repr(
            self,
            kappa=round(self.kappa, 4),
            ci=(round(self.ci_low, 4), round(self.ci_high, 4)),
            n_units=self.n_units,
            weights=self.weights,
        )

    def summary(self) -> SummaryTable:
        """One row: kappa, ASE, CI, SE under H0, z and p, as SAS/Stata print them."""
        level = f"{100 * self.confidence:g}%"
        frame = pd.DataFrame(
            {
                "n": [self.n_units],
                "agreement": [100 * self.observed_agreement],
                "expected": [100 * self.expected_agreement],
                "kappa": [self.kappa],
                "std_error": [self.std_error],
                f"{level} low": [self.ci_low],
                f"{level} high": [self.ci_high],
                "std_error_H0": [self.std_error_null],
                "z": [self.z],
                "p>z": [self.pvalue_one_sided],
                "p>|z|": [self.pvalue_two_sided],
            },
            index=pd.Index(["Cohen's kappa" + _weights_label(self.weights)], name=""),
        )
        return SummaryTable(
            frame,
            title="Inter-coder agreement, two coders",
            notes=(
                "std_error: asymptotic (Fleiss, Cohen & Everitt 1969), used for the CI; "
                "std_error_H0: under kappa = 0, used for z (Stata kap, SAS PROC FREQ).",
            ),
            formats={
                "n": "{:,.0f}".format,
                "agreement": _PCT,
                "expected": _PCT,
                "p>z": format_p,
                "p>|z|": format_p,
            },
            decimal_columns=(
                "kappa",
                "std_error",
                f"{level} low",
                f"{level} high",
                "std_error_H0",
                "z",
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values; the table as ``{"categories": [...], "counts": [[...]]}``."""
        out = plain_fields(self, skip=("table",))
        out["table"] = _table_dict(self.table)
        return out


def _table_dict(table: pd.DataFrame) -> dict[str, Any]:
    """A cross-tabulation as ``{"categories": [...], "counts": [[...]]}``."""
    return {
        "categories": [str(c) for c in table.index],
        "counts": table.to_numpy().tolist(),
    }


def _weights_label(weights: str) -> str:
    return "" if weights == "none" else f" ({weights} weights)"


def _agreement_weights(k: int, weights: KappaWeights) -> np.ndarray:
    """1 on the diagonal, falling with distance: the weights Stata/SAS call agreement
    weights (statsmodels uses the complementary disagreement weights)."""
    if weights is None:
        return np.eye(k)
    pos = np.arange(k, dtype=float)
    dist = np.abs(pos[:, None] - pos[None, :]) / max(k - 1, 1)
    return 1.0 - (dist if weights == "linear" else dist**2)


def cohens_kappa_from_table(
    table: Any, *, weights: KappaWeights = None, confidence: float = 0.95
) -> CohenKappaResult:
    """Cohen's kappa from a square cross-tabulation of two coders.

    Parameters
    ----------
    table
        k × k counts: first coder's categories in rows, second coder's in columns, in
        the same order (the order matters for weighted kappa).
    weights
        None for simple kappa, ``"linear"`` or ``"quadratic"`` for weighted kappa on
        the category positions (as statsmodels ``wt=``, Stata ``kap, wgt(w)``/``wgt(w2)``).
    confidence
        Level of the Wald confidence interval.

    Returns
    -------
    CohenKappaResult

    Examples
    --------
    >>> r = cohens_kappa_from_table([[1395, 118], [261, 158]])
    >>> round(r.kappa, 4), round(r.std_error_null, 4)
    (0.3412, 0.022)
    """
    if weights not in (None, "linear", "quadratic"):
        raise InputError(
            f"parameter 'weights': expected None, 'linear' or 'quadratic', got {weights!r}"
        )
    confidence = check_confidence(confidence)
    labels = list(table.index) if isinstance(table, pd.DataFrame) else None
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1:
        raise InputError(f"table: expected a square k × k table of counts, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError("table: expected finite counts >= 0")
    n = arr.sum()
    if n <= 0:
        raise InputError("table: expected at least one unit coded by both coders, got none")
    k = arr.shape[0]
    p = arr / n
    w = _agreement_weights(k, weights)
    row, col = p.sum(axis=1), p.sum(axis=0)
    observed = float((w * p).sum())
    expected = float((w * np.outer(row, col)).sum())
    frame = pd.DataFrame(arr, index=labels, columns=labels)
    nan = float("nan")
    if expected >= 1 - 1e-12:
        warnings.warn(
            StatisticalWarning(
                "Cohen's kappa is undefined: both coders used a single, identical category "
                f"for all {int(n)} units (expected agreement is 1)",
                zh=f"Cohen's κ 无定义：两名编码员对全部 {int(n)} 个分析单元都用了同一个类目"
                f"（期望{TERMS['zh']['percent agreement']}为 1）",
            ),
            stacklevel=caller_stacklevel(),
        )
        return CohenKappaResult(
            kappa=nan,
            std_error=nan,
            ci_low=nan,
            ci_high=nan,
            std_error_null=nan,
            z=nan,
            pvalue_one_sided=nan,
            pvalue_two_sided=nan,
            observed_agreement=observed,
            expected_agreement=expected,
            kappa_max=nan,
            n_units=round(float(n)),
            weights=weights or "none",
            confidence=confidence,
            table=frame,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        if weights is None:
            res = inter_rater.cohens_kappa(arr)
        else:
            res = inter_rater.cohens_kappa(arr, wt=weights)
    kappa = float(res.kappa)
    se = float(np.sqrt(max(float(res.var_kappa), 0.0)))
    se0 = float(np.sqrt(max(float(res.var_kappa0), 0.0)))
    crit = float(stats.norm.ppf(0.5 + confidence / 2))
    z = kappa / se0 if se0 > 0 else nan
    return CohenKappaResult(
        kappa=kappa,
        std_error=se,
        # kappa cannot exceed 1 (nor, for two raters, fall below -1): a small sample's
        # Wald interval is cut at those bounds rather than reported as 1.235.
        ci_low=max(kappa - crit * se, -1.0),
        ci_high=min(kappa + crit * se, 1.0),
        std_error_null=se0,
        z=z,
        pvalue_one_sided=float(stats.norm.sf(z)),
        pvalue_two_sided=float(2 * stats.norm.sf(abs(z))),
        observed_agreement=observed,
        expected_agreement=expected,
        kappa_max=float(res.kappa_max) if weights is None else _weighted_kappa_max(w, row, col),
        n_units=round(float(n)),
        weights=weights or "none",
        confidence=confidence,
        table=frame,
    )


def _weighted_kappa_max(w: np.ndarray, row: np.ndarray, col: np.ndarray) -> float:
    """Largest weighted kappa with these margins: maximise the weighted agreement over
    tables with row sums ``row`` and column sums ``col`` (a transportation problem)."""
    from scipy.optimize import linprog

    k = len(row)
    rows = np.kron(np.eye(k), np.ones((1, k)))  # sum over j of p[i, j] = row[i]
    cols = np.kron(np.ones((1, k)), np.eye(k))  # sum over i of p[i, j] = col[j]
    res = linprog(
        -w.ravel(),
        A_eq=np.vstack([rows, cols]),
        b_eq=np.concatenate([row, col]),
        bounds=(0, None),
        method="highs",
    )
    expected = float((w * np.outer(row, col)).sum())
    if not res.success:  # margins always admit a table; kept for safety
        return float("nan")
    return float((-res.fun - expected) / (1 - expected))


def cohens_kappa(
    coder_a: Sequence[Any],
    coder_b: Sequence[Any] | None = None,
    *,
    weights: KappaWeights = None,
    categories: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> CohenKappaResult:
    """Cohen's kappa of two coders' codes for the same units.

    Parameters
    ----------
    coder_a, coder_b
        Codes by unit, aligned; a unit missing for either coder is left out. Or, no
        ``coder_b``, a table of two columns (one per coder) as ``coder_a``.
    weights
        None (simple kappa), ``"linear"`` or ``"quadratic"`` (weighted kappa).
    categories
        All categories in order (needed for weighted kappa when the codes do not sort
        naturally, or to include categories nobody used). Without it the categories are
        those seen on units both coders coded, so a unit left out cannot move the
        weights.
    confidence
        Level of the confidence interval.

    Examples
    --------
    >>> r = cohens_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> round(r.kappa, 3)
    0.5
    """
    frame = two_coder_table(coder_a, coder_b, categories)
    return cohens_kappa_from_table(frame, weights=weights, confidence=confidence)
