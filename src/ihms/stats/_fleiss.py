"""Fleiss' kappa for a fixed number of coders per unit, with its standard error under
the null (Fleiss, Nee & Landis 1979) and category-wise kappas (Fleiss 1971)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats import inter_rater

from ihms._repr import SummaryHtml, brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import InputError, StatisticalWarning
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import encode_ratings, read_counts, value_counts
from ihms.summary import SummaryTable, format_p

__all__ = ["FleissKappaResult", "fleiss_kappa", "fleiss_kappa_from_counts"]


@dataclass(frozen=True, eq=False)
class FleissKappaResult(SummaryHtml):
    """Fleiss' kappa (``method="fleiss"`` of statsmodels) with its test of kappa = 0.

    Attributes
    ----------
    kappa
        Fleiss' kappa.
    std_error_null
        Standard error under H0: kappa = 0 (Fleiss, Nee & Landis 1979), as R's
        ``irr::kappam.fleiss`` and Stata's ``kap`` (several raters) report it. No
        asymptotic standard error for a confidence interval is given: the one in Fleiss
        (1971) is only valid under the null.
    z, pvalue_one_sided, pvalue_two_sided
        ``kappa / std_error_null`` and its normal p-values (Stata prints the one-sided
        ``Prob>Z``, irr the two-sided one).
    observed_agreement, expected_agreement
        Fleiss' mean pairwise agreement P̄ and chance agreement P̄e, as proportions.
    n_units, n_coders
        Units used and coders per unit.
    n_dropped
        Units left out because not every coder coded them (listwise, as irr does).
    categories
        One row per category: share of all codes, kappa for that category against all
        others, its standard error under H0, z and p-values (Fleiss 1971).
    """

    kappa: float
    std_error_null: float
    z: float
    pvalue_one_sided: float
    pvalue_two_sided: float
    observed_agreement: float
    expected_agreement: float
    n_units: int
    n_coders: int
    n_dropped: int
    categories: pd.DataFrame

    def __repr__(self) -> str:
        # the generated repr printed every statistic and the category table
        return brief_repr(
            self,
            kappa=round(self.kappa, 4),
            pvalue_two_sided=self.pvalue_two_sided,
            n_units=self.n_units,
            n_coders=self.n_coders,
            categories=len(self.categories),
        )

    def summary(self) -> SummaryTable:
        """The overall kappa followed by the category-wise kappas."""
        overall = pd.DataFrame(
            {
                "share": [float("nan")],
                "kappa": [self.kappa],
                "std_error_H0": [self.std_error_null],
                "z": [self.z],
                "p>z": [self.pvalue_one_sided],
                "p>|z|": [self.pvalue_two_sided],
            },
            index=["overall"],
        )
        per = self.categories.set_index("category")[list(overall.columns)]
        per.index = [str(c) for c in per.index]
        frame = pd.concat([overall, per])
        frame.index.name = ""
        notes = [
            f"{self.n_units:,} units, {self.n_coders} coders each; observed agreement "
            f"{100 * self.observed_agreement:.2f}%, chance {100 * self.expected_agreement:.2f}%.",
            "std_error_H0: Fleiss, Nee & Landis (1979), under kappa = 0.",
        ]
        if self.n_dropped:
            notes.append(f"{self.n_dropped:,} units not coded by every coder were left out.")
        return SummaryTable(
            frame,
            title="Fleiss' kappa",
            notes=tuple(notes),
            formats={"share": _percent_of_one, "p>z": format_p, "p>|z|": format_p},
            decimal_columns=("kappa", "std_error_H0", "z"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values; ``categories`` as a list of records."""
        return plain_fields(self)


def _percent_of_one(value: object) -> str:
    return f"{100 * float(value):.2f}%"  # type: ignore[arg-type]


def fleiss_kappa_from_counts(
    counts: Any, *, categories: Sequence[Hashable] | None = None, n_dropped: int = 0
) -> FleissKappaResult:
    """Fleiss' kappa from a units × categories table of counts.

    Parameters
    ----------
    counts
        ``counts[i, j]`` is how many coders put unit i in category j; every row must
        sum to the same number of coders (at least 2).
    categories
        Labels of the columns (default: the DataFrame's columns or 0..k-1).
    n_dropped
        Reported in the result only (units the caller left out).

    Examples
    --------
    Fleiss (1971), Table 1 shape: 10 units, 14 raters, 5 categories (Wikipedia's
    example) gives kappa 0.210.
    """
    arr, labels = read_counts(counts, categories)
    per_unit = arr.sum(axis=1)
    m = per_unit[0]
    uneven = np.nonzero(per_unit != m)[0]
    if uneven.size:
        raise InputError(
            f"counts: every unit must be coded by the same number of coders; row 0 has "
            f"{int(m)}, row {int(uneven[0])} has {int(per_unit[uneven[0]])}"
        )
    if m < 2:
        raise InputError(f"counts: expected at least 2 coders per unit, got {int(m)}")
    n = arr.shape[0]
    p = arr.sum(axis=0) / (n * m)
    q = 1 - p
    pq = p * q
    observed = float(((arr * (arr - 1)).sum(axis=1) / (m * (m - 1))).mean())
    expected = float((p * p).sum())
    nan = float("nan")
    scale = 2.0 / (n * m * (m - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        per_kappa = 1 - (arr * (m - arr)).sum(axis=0) / (n * m * (m - 1) * pq)
    per_kappa = np.where(pq > 0, per_kappa, nan)
    per_se = np.where(pq > 0, np.sqrt(scale), nan)
    per_z = per_kappa / per_se
    per = pd.DataFrame(
        {
            "category": labels,
            "share": p,
            "kappa": per_kappa,
            "std_error_H0": per_se,
            "z": per_z,
            "p>z": stats.norm.sf(per_z),
            "p>|z|": 2 * stats.norm.sf(np.abs(per_z)),
        }
    )
    total_pq = float(pq.sum())
    if total_pq <= 0:
        warnings.warn(
            StatisticalWarning(
                "Fleiss' kappa is undefined: every coder used the same single category "
                f"for all {n} units",
                zh=f"Fleiss' κ 无定义：每名编码员对全部 {n} 个分析单元都用了同一个类目",
            ),
            stacklevel=caller_stacklevel(),
        )
        kappa = se0 = z = nan
    else:
        kappa = float(inter_rater.fleiss_kappa(arr, method="fleiss"))
        var0 = scale * (total_pq**2 - float((pq * (q - p)).sum())) / total_pq**2
        se0 = float(np.sqrt(var0))
        z = kappa / se0
    return FleissKappaResult(
        kappa=kappa,
        std_error_null=se0,
        z=z,
        pvalue_one_sided=float(stats.norm.sf(z)),
        pvalue_two_sided=float(2 * stats.norm.sf(abs(z))),
        observed_agreement=observed,
        expected_agreement=expected,
        n_units=n,
        n_coders=int(m),
        n_dropped=int(n_dropped),
        categories=per,
    )


def fleiss_kappa(
    ratings: Any, *, categories: Sequence[Hashable] | None = None
) -> FleissKappaResult:
    """Fleiss' kappa of three or more coders (two work too, but differ from Cohen's).

    Parameters
    ----------
    ratings
        Units × coders table; units not coded by every coder are left out (listwise,
        as ``irr::kappam.fleiss``) and counted in ``n_dropped``.
    categories
        All categories (default: those used, sorted).

    Examples
    --------
    >>> r = fleiss_kappa([["a", "a", "a"], ["a", "b", "b"], ["b", "b", "b"], ["a", "a", "b"]])
    >>> round(r.kappa, 4)
    0.3333
    """
    coded = encode_ratings(ratings, categories=categories)
    complete = (coded.codes >= 0).all(axis=1)
    if not complete.any():
        raise InputError("ratings: no unit was coded by every coder, so Fleiss' kappa has no data")
    counts = value_counts(coded)[complete]
    return fleiss_kappa_from_counts(
        counts, categories=coded.categories, n_dropped=int((~complete).sum())
    )
