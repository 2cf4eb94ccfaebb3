"""PABAK with the prevalence and bias indices of a two-coder table (Byrt, Bishop &
Carlin 1993), the figures that show why kappa is low while coders agree."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._cohen import _table_dict
from ihms.stats._plain import plain_fields
from ihms.stats._ratings import two_coder_table
from ihms.summary import SummaryTable

__all__ = ["PabakResult", "pabak", "pabak_from_table"]


@dataclass(frozen=True, eq=False)
class PabakResult(SummaryHtml):
    """Prevalence- and bias-adjusted kappa of two coders.

    Attributes
    ----------
    pabak
        ``(q * po - 1) / (q - 1)`` for q categories; ``2 * po - 1`` for a 2 × 2 table.
    observed_agreement
        po, the share of units both coders put in the same category.
    kappa
        Cohen's kappa of the same table, for comparison.
    prevalence_index
        2 × 2 only: ``(a - d) / n``, a = both coders chose the first category, d = both
        the second. Near ±1 when one category dominates; kappa then falls although the
        coders agree.
    bias_index
        2 × 2 only: ``(b - c) / n``, the difference in how often the two coders chose the
        first category (b: first coder only, c: second coder only).
    n_units
        Units coded by both coders.
    table
        The cross-tabulation: first coder in rows, second in columns.
    """

    pabak: float
    observed_agreement: float
    kappa: float
    prevalence_index: float
    bias_index: float
    n_units: int
    table: pd.DataFrame

    def __repr__(self) -> str:
        return brief_repr(
            self,
            pabak=round(self.pabak, 4),
            kappa=round(self.kappa, 4),
            prevalence_index=round(self.prevalence_index, 4),
            bias_index=round(self.bias_index, 4),
            n_units=self.n_units,
        )

    def summary(self) -> SummaryTable:
        """One row: agreement, kappa, PABAK and the two indices."""
        frame = pd.DataFrame(
            {
                "n": [self.n_units],
                "agreement": [100 * self.observed_agreement],
                "kappa": [self.kappa],
                "PABAK": [self.pabak],
                "prevalence index": [self.prevalence_index],
                "bias index": [self.bias_index],
            },
            index=pd.Index(["two coders"], name=""),
        )
        return SummaryTable(
            frame,
            title="Prevalence- and bias-adjusted kappa",
            notes=(
                "PABAK = 2·po − 1 (Byrt, Bishop & Carlin 1993); prevalence index (a − d)/n "
                "and bias index (b − c)/n, with the first category as a."
                if len(self.table) == 2
                else f"PABAK = (q·po − 1)/(q − 1) with q = {len(self.table)} categories "
                "(Byrt, Bishop & Carlin 1993); the prevalence and bias indices are defined "
                "for two categories only.",
            ),
            formats={"n": "{:,.0f}".format, "agreement": "{:.2f}%".format},
            decimal_columns=("kappa", "PABAK", "prevalence index", "bias index"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values; the table as ``{"categories": [...], "counts": [[...]]}``."""
        out = plain_fields(self, skip=("table",))
        out["table"] = _table_dict(self.table)
        return out


def pabak_from_table(table: Any) -> PabakResult:
    """PABAK, and for a 2 × 2 table the prevalence and bias indices, from a square
    cross-tabulation of two coders (first coder in rows).

    Parameters
    ----------
    table
        k × k counts (k >= 2), the second coder's categories in columns in the same
        order; for the indices the first category is "a" (put "present" first).

    Examples
    --------
    Both coders find a code present in 40 of 50 units and absent in 5 (a = 40, b = 3,
    c = 2, d = 5): po = 0.9, PABAK = 0.8, prevalence index (40 − 5)/50 = 0.7.

    >>> r = pabak_from_table([[40, 3], [2, 5]])
    >>> round(r.pabak, 3), round(r.prevalence_index, 3), round(r.bias_index, 3)
    (0.8, 0.7, 0.02)
    """
    labels = list(table.index) if isinstance(table, pd.DataFrame) else None
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 2:
        raise InputError(
            f"table: expected a square k × k table of counts with k >= 2, got shape {arr.shape}"
        )
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError("table: expected finite counts >= 0")
    n = float(arr.sum())
    if n <= 0:
        raise InputError("table: expected at least one unit coded by both coders, got none")
    q = arr.shape[0]
    po = float(np.trace(arr) / n)
    p = arr / n
    pe = float(p.sum(axis=1) @ p.sum(axis=0))
    nan = float("nan")
    kappa = (po - pe) / (1 - pe) if pe < 1 - 1e-12 else nan
    if q == 2:
        prevalence = float((arr[0, 0] - arr[1, 1]) / n)
        bias = float((arr[0, 1] - arr[1, 0]) / n)
    else:
        prevalence = bias = nan
    return PabakResult(
        pabak=(q * po - 1) / (q - 1),
        observed_agreement=po,
        kappa=float(kappa),
        prevalence_index=prevalence,
        bias_index=bias,
        n_units=round(n),
        table=pd.DataFrame(arr, index=labels, columns=labels),
    )


def pabak(
    coder_a: Sequence[Any],
    coder_b: Sequence[Any] | None = None,
    *,
    categories: Sequence[Hashable] | None = None,
) -> PabakResult:
    """PABAK and the prevalence and bias indices of two coders' codes.

    Parameters
    ----------
    coder_a, coder_b
        Codes by unit, aligned; a unit missing for either coder is left out. Or, no
        ``coder_b``, a table of two columns (one per coder) as ``coder_a``.
    categories
        All categories in order; the first is "a" of the indices (for present/absent
        codes give ``(1, 0)`` or ``("present", "absent")``). q = len(categories) enters
        PABAK; by default the categories seen, sorted.

    Examples
    --------
    >>> r = pabak([1, 1, 1, 1, 0], [1, 1, 1, 0, 0], categories=(1, 0))
    >>> round(r.pabak, 2), round(r.prevalence_index, 2)
    (0.6, 0.4)
    """
    table = two_coder_table(coder_a, coder_b, categories)
    if len(table) < 2:
        raise InputError(
            "parameter 'categories': PABAK needs at least 2 categories; give every category "
            f"of the code, got {list(table.index)!r}"
        )
    return pabak_from_table(table)
