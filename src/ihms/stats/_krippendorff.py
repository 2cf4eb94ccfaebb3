"""Krippendorff's alpha with missing values, by coincidence matrices.

Follows Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C
(any number of coders, missing values, nominal/ordinal/interval/ratio metrics). The
``krippendorff`` package (a dev dependency) is the reference the tests compare with.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import encode_ratings, value_counts
from ihms.summary import SummaryTable

__all__ = ["AlphaLevel", "KrippendorffAlphaResult", "krippendorff_alpha"]

AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]
_LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True, eq=False)
class KrippendorffAlphaResult(SummaryHtml):
    """Krippendorff's alpha.

    Attributes
    ----------
    alpha
        ``1 - observed_disagreement / expected_disagreement``.
    level
        Metric: ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.
    observed_disagreement, expected_disagreement
        D_o and D_e (Krippendorff 2011, section C).
    n_units
        Pairable units (coded by at least two coders).
    n_values
        Pairable values n.. (codes in pairable units).
    n_coders
        Columns of the ratings table.
    coincidences
        The coincidence matrix o_ck (categories × categories).
    """

    alpha: float
    level: str
    observed_disagreement: float
    expected_disagreement: float
    n_units: int
    n_values: int
    n_coders: int
    coincidences: pd.DataFrame

    def __repr__(self) -> str:
        # the generated repr printed the coincidence matrix
        return brief_repr(
            self,
            alpha=round(self.alpha, 4),
            level=self.level,
            n_units=self.n_units,
            n_coders=self.n_coders,
            n_values=self.n_values,
        )

    def summary(self) -> SummaryTable:
        """One row: alpha, D_o, D_e and the counts it rests on."""
        frame = pd.DataFrame(
            {
                "alpha": [self.alpha],
                "D_o": [self.observed_disagreement],
                "D_e": [self.expected_disagreement],
                "units": [self.n_units],
                "values": [self.n_values],
                "coders": [self.n_coders],
            },
            index=pd.Index([f"Krippendorff's alpha ({self.level})"], name=""),
        )
        return SummaryTable(
            frame,
            title="Krippendorff's alpha",
            notes=("Units coded by fewer than two coders are not pairable and left out.",),
            formats={c: "{:,.0f}".format for c in ("units", "values", "coders")},
            decimal_columns=("alpha", "D_o", "D_e"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values; the coincidence matrix as categories and a nested list."""
        out = plain_fields(self, skip=("coincidences",))
        out["coincidences"] = {
            "categories": [str(c) for c in self.coincidences.index],
            "matrix": self.coincidences.to_numpy().tolist(),
        }
        return out


def _distances(level: str, categories: tuple[Hashable, ...], marginals: np.ndarray) -> np.ndarray:
    """Squared distance δ²(c, k) between every pair of categories."""
    k = len(categories)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        # δ²(c,k) = (sum of n_g for g from c to k  -  (n_c + n_k) / 2)²
        cum = np.concatenate([[0.0], np.cumsum(marginals)])
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cum[hi + 1] - cum[lo]
        return (between - (marginals[:, None] + marginals[None, :]) / 2) ** 2
    bad = [c for c in categories if not isinstance(c, numbers.Real) or isinstance(c, bool)]
    if bad:
        raise InputError(f"parameter 'level': {level} alpha needs numeric codes, got {bad[:5]!r}")
    values = np.asarray(categories, dtype=float)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        return diff**2
    if (values < 0).any():
        raise InputError(f"parameter 'level': ratio alpha needs codes >= 0, got {values.min()}")
    total = values[:, None] + values[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total != 0, (diff / total) ** 2, 0.0)


def krippendorff_alpha(
    ratings: Any,
    *,
    level: AlphaLevel = "nominal",
    categories: Sequence[Hashable] | None = None,
) -> KrippendorffAlphaResult:
    """Krippendorff's alpha for any number of coders, with missing values.

    Parameters
    ----------
    ratings
        Units × coders table; None/NaN where a coder did not code a unit. (The
        ``krippendorff`` package takes the transpose, coders × units.)
    level
        ``"nominal"`` (default), ``"ordinal"``, ``"interval"`` or ``"ratio"``.
    categories
        All categories; for ``"ordinal"`` their order (default: sorted codes).

    Returns
    -------
    KrippendorffAlphaResult
        ``alpha`` is NaN (with a :class:`~ihms.errors.StatisticalWarning`) when the
        pairable values show no variation, where alpha is undefined.

    Examples
    --------
    Krippendorff (2011), section C: 4 coders, 12 units, missing values.

    >>> nan = None
    >>> data = [[1, 1, nan, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2],
    ...         [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [nan, 5, 5, 5],
    ...         [nan, nan, 1, 1], [nan, 3, nan, nan]]
    >>> round(krippendorff_alpha(data).alpha, 3)
    0.743
    """
    if level not in _LEVELS:
        raise InputError(f"parameter 'level': expected one of {_LEVELS}, got {level!r}")
    coded = encode_ratings(ratings, categories=categories)
    counts = value_counts(coded).astype(float)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    if not pairable.any():
        raise InputError("ratings: no unit was coded by at least 2 coders")
    counts, per_unit = counts[pairable], per_unit[pairable]
    # o_ck = Σ_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1), as a matrix product: a units ×
    # categories × categories array is gigabytes when multi-label sets make hundreds of
    # categories
    scaled = counts / (per_unit - 1)[:, None]
    coincidences = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    marginals = coincidences.sum(axis=0)
    n_values = float(marginals.sum())
    expected = (np.outer(marginals, marginals) - np.diag(marginals)) / (n_values - 1)
    delta = _distances(level, coded.categories, marginals)
    d_observed = float((coincidences * delta).sum() / n_values)
    d_expected = float((expected * delta).sum() / n_values)
    if d_expected <= 0:
        warnings.warn(
            StatisticalWarning(
                "Krippendorff's alpha is undefined: the pairable codes show no variation "
                "(every coder used the same single value)",
                zh="Krippendorff's α 无定义：可配对的编码没有变异（每名编码员都用了同一个值）",
            ),
            stacklevel=caller_stacklevel(),
        )
        alpha = float("nan")
    else:
        alpha = 1.0 - d_observed / d_expected
    labels = list(coded.categories)
    return KrippendorffAlphaResult(
        alpha=alpha,
        level=level,
        observed_disagreement=d_observed,
        expected_disagreement=d_expected,
        n_units=int(pairable.sum()),
        n_values=round(n_values),
        n_coders=len(coded.coders),
        coincidences=pd.DataFrame(coincidences, index=labels, columns=labels),
    )
