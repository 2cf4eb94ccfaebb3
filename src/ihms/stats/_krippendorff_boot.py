"""A bootstrap distribution of Krippendorff's alpha: a confidence interval and the
probability that alpha falls below a minimum acceptable value, the two figures Hayes &
Krippendorff's (2007) KALPHA macro reports.

KALPHA resamples pairs of values from the coincidence matrix with a fixed expected
disagreement; Gwet (2015) showed that understates the standard error. This module
resamples **units** with replacement (Efron's nonparametric bootstrap, as R's ``boot``
over units, and ``scipy.stats.bootstrap`` with the units as data) and recomputes alpha,
expected disagreement included, in each resample; the percentile interval follows.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._arguments import check_confidence
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._krippendorff import AlphaLevel, _distances, krippendorff_alpha
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import encode_ratings, value_counts
from ihms.summary import SummaryTable

__all__ = ["AlphaBootstrap", "krippendorff_alpha_bootstrap"]

_CHUNK = 256  # resamples per vectorised block, to bound memory on large tables


@dataclass(frozen=True, eq=False)
class AlphaBootstrap(SummaryHtml):
    """Krippendorff's alpha with its bootstrap distribution.

    Attributes
    ----------
    alpha
        Alpha of the data (as :func:`krippendorff_alpha`).
    level
        Metric.
    ci_low, ci_high
        Percentile interval of the bootstrap alphas at ``confidence``.
    std_error
        Standard deviation of the bootstrap alphas.
    minimums, prob_below
        For each minimum acceptable alpha, the share of resamples whose alpha is below
        it (KALPHA's "probability of failure to achieve an alpha of at least alphamin").
    n_boot, seed
        Resamples drawn and the seed of ``numpy.random.default_rng``; the same seed
        gives the same numbers.
    n_undefined
        Resamples without variation, where alpha is undefined (left out of the interval
        and the probabilities).
    n_units
        Pairable units resampled.
    confidence
        Level of the interval.
    distribution
        The bootstrap alphas (NaN where undefined), in draw order.
    """

    alpha: float
    level: str
    ci_low: float
    ci_high: float
    std_error: float
    minimums: tuple[float, ...]
    prob_below: tuple[float, ...]
    n_boot: int
    seed: int
    n_undefined: int
    n_units: int
    confidence: float
    distribution: np.ndarray

    def __repr__(self) -> str:
        return brief_repr(
            self,
            alpha=round(self.alpha, 4),
            ci=(round(self.ci_low, 4), round(self.ci_high, 4)),
            n_boot=self.n_boot,
            seed=self.seed,
        )

    def summary(self) -> SummaryTable:
        """One row: alpha, bootstrap SE, interval and P(alpha < minimum) per minimum."""
        level = f"{100 * self.confidence:g}%"
        row: dict[str, list[Any]] = {
            "alpha": [self.alpha],
            "boot SE": [self.std_error],
            f"{level} low": [self.ci_low],
            f"{level} high": [self.ci_high],
        }
        for m, p in zip(self.minimums, self.prob_below, strict=True):
            row[f"P(alpha < {m:g})"] = [p]
        frame = pd.DataFrame(row, index=pd.Index([f"Krippendorff's alpha ({self.level})"], name=""))
        notes = [
            f"{self.n_boot:,} bootstrap resamples of the {self.n_units:,} pairable units "
            f"(seed {self.seed}); percentile interval.",
        ]
        if self.n_undefined:
            notes.append(f"{self.n_undefined:,} resamples without variation were left out.")
        # shares of resamples, four decimals as KALPHA prints q: "0" read as a count
        shares = {c: "{:.4f}".format for c in frame if c.startswith("P(alpha")}
        return SummaryTable(
            frame,
            title="Krippendorff's alpha, bootstrap",
            notes=tuple(notes),
            formats=shares,
            decimal_columns=("alpha", "boot SE", f"{level} low", f"{level} high"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values, without the distribution (it can be long)."""
        out = plain_fields(self, skip=("distribution",))
        out["prob_below"] = {
            f"{m:g}": p for m, p in zip(self.minimums, self.prob_below, strict=True)
        }
        return out


def _unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """units × q × q: each pairable unit's share of the coincidence matrix (ordinal
    alpha needs it whole, its distances moving with the resample's marginals)."""
    per_unit = counts.sum(axis=1)
    pairs = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(counts.shape[1])
    pairs[:, idx, idx] -= counts
    return pairs / (per_unit - 1)[:, None, None]


def _alphas(
    weights: np.ndarray,
    counts: np.ndarray,
    level: str,
    categories: tuple[Hashable, ...],
) -> np.ndarray:
    """Alpha of each resample: ``weights[b, u]`` is how often unit u was drawn.

    A unit adds its values to the marginals and, with fixed distances (nominal,
    interval, ratio), a single number to the observed disagreement, so a resample is
    two matrix products; ordinal distances follow the resample's marginals and need
    each unit's coincidences.
    """
    marginals = weights @ counts
    n = marginals.sum(axis=1)
    if level == "ordinal":
        coincidences = np.einsum("bu,uck->bck", weights, _unit_coincidences(counts))
        q = marginals.shape[1]
        cum = np.concatenate([np.zeros((len(n), 1)), np.cumsum(marginals, axis=1)], axis=1)
        lo = np.minimum.outer(np.arange(q), np.arange(q))
        hi = np.maximum.outer(np.arange(q), np.arange(q))
        between = cum[:, hi + 1] - cum[:, lo]
        delta = (between - (marginals[:, :, None] + marginals[:, None, :]) / 2) ** 2
        observed = (coincidences * delta).sum(axis=(1, 2))
        expected = (np.einsum("bc,bck,bk->b", marginals, delta, marginals)
                    - np.einsum("bc,bcc->b", marginals, delta))  # fmt: skip
    else:
        delta = _distances(level, categories, marginals[0])
        scale = 1.0 / (counts.sum(axis=1) - 1)
        # Σ_ck o_ck δ_ck of each unit; δ_cc = 0 for every metric
        per_unit = ((counts @ delta) * counts).sum(axis=1) * scale
        observed = weights @ per_unit
        expected = ((marginals @ delta) * marginals).sum(axis=1)
    expected = expected / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 0, 1.0 - observed / expected, np.nan)


def krippendorff_alpha_bootstrap(
    ratings: Any,
    *,
    level: AlphaLevel = "nominal",
    categories: Sequence[Hashable] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    minimums: Sequence[float] = (0.667, 0.8),
) -> AlphaBootstrap:
    """Krippendorff's alpha with a bootstrap confidence interval and the probability
    that it is below each minimum acceptable value.

    Parameters
    ----------
    ratings, level, categories
        As :func:`krippendorff_alpha`.
    n_boot
        Resamples (KALPHA suggests 1,000 at least; 10,000 for a published figure).
    seed
        Seed of the random generator; results are reproducible for a seed.
    confidence
        Level of the percentile interval.
    minimums
        Minimum acceptable alphas; Krippendorff (2004) suggests 0.8, and 0.667 for
        tentative conclusions.

    Returns
    -------
    AlphaBootstrap

    Examples
    --------
    >>> data = [[1, 1], [2, 2], [3, 3], [1, 2], [2, 2], [3, 3], [1, 1], [2, 3]]
    >>> r = krippendorff_alpha_bootstrap(data, n_boot=200, seed=1)
    >>> round(r.alpha, 3), r.ci_low <= r.alpha <= r.ci_high
    (0.647, True)
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
        raise InputError(f"parameter 'n_boot': expected a whole number >= 2, got {n_boot!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"parameter 'seed': expected a whole number >= 0, got {seed!r}")
    confidence = check_confidence(confidence)
    mins = tuple(float(m) for m in minimums)
    if any(not -1 <= m <= 1 for m in mins):
        raise InputError(f"parameter 'minimums': expected values in [-1, 1], got {list(minimums)}")
    point = krippendorff_alpha(ratings, level=level, categories=categories)
    coded = encode_ratings(ratings, categories=categories)
    counts = value_counts(coded).astype(float)
    counts = counts[counts.sum(axis=1) >= 2]
    n_units = counts.shape[0]
    rng = np.random.default_rng(seed)
    # drawn in one call, so that scipy.stats.bootstrap with the same generator draws
    # the same resamples (the tests rely on it)
    draws = rng.integers(0, n_units, (int(n_boot), n_units))
    alphas = np.empty(int(n_boot))
    for start in range(0, int(n_boot), _CHUNK):
        block = draws[start : start + _CHUNK]
        flat = (np.arange(block.shape[0])[:, None] * n_units + block).ravel()
        weights = np.bincount(flat, minlength=block.size).reshape(block.shape).astype(float)
        alphas[start : start + _CHUNK] = _alphas(weights, counts, level, coded.categories)
    defined = alphas[np.isfinite(alphas)]
    nan = float("nan")
    tail = (1 - confidence) / 2
    if defined.size:
        low, high = np.percentile(defined, [100 * tail, 100 * (1 - tail)])
        below = tuple(float((defined < m).mean()) for m in mins)
        sd = float(defined.std(ddof=1)) if defined.size > 1 else nan
    else:
        low = high = sd = nan
        below = tuple(nan for _ in mins)
    return AlphaBootstrap(
        alpha=point.alpha,
        level=level,
        ci_low=float(low),
        ci_high=float(high),
        std_error=sd,
        minimums=mins,
        prob_below=below,
        n_boot=int(n_boot),
        seed=seed,
        n_undefined=int(alphas.size - defined.size),
        n_units=n_units,
        confidence=confidence,
        distribution=alphas,
    )
