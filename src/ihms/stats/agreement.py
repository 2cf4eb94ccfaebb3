"""Inter-coder agreement: percent agreement, Cohen's kappa, Fleiss' kappa,
Krippendorff's alpha, and an agreement report over a long table of codings.

The coefficient functions take ratings as a table with **one row per unit** (segment,
patient, document) and **one column per coder**; a missing value (None, NaN) means the
coder did not code that unit:

- :func:`percent_agreement` — share of units on which all coders agree;
- :func:`cohens_kappa` / :func:`cohens_kappa_from_table` — two coders; statsmodels'
  estimate with both standard errors (asymptotic, for the CI; under H0, for z), as SAS
  PROC FREQ and Stata ``kap`` print them; optional linear/quadratic weights;
- :func:`fleiss_kappa` / :func:`fleiss_kappa_from_counts` — a fixed number of coders;
  statsmodels' estimate, the Fleiss–Nee–Landis standard error under H0 and
  category-wise kappas (R ``irr::kappam.fleiss``);
- :func:`krippendorff_alpha` — any number of coders, missing values, nominal / ordinal
  / interval / ratio (Krippendorff 2011).

:func:`agreement_report` takes the long table a coding project produces (unit, coder,
code, optionally dimension; multi-label codes as sets or ``"a;b;c"``) and returns every
statistic per dimension and per category (present/absent), with the average kappa over
dimensions that Yu et al. 2024 reports.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ihms._arguments import check_confidence
from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.stats._agreement_dims import WHOLE_SET_NOTE, dimension_rows, scale_of
from ihms.stats._agreement_row import REPORT_COLUMNS, UnitCoverage, mean_kappa_words
from ihms.stats._agreement_zh import in_chinese
from ihms.stats._codings import read_codings
from ihms.stats._cohen import CohenKappaResult, cohens_kappa, cohens_kappa_from_table
from ihms.stats._fleiss import FleissKappaResult, fleiss_kappa, fleiss_kappa_from_counts
from ihms.stats._gwet import (
    ChanceAgreementResult,
    brennan_prediger,
    brennan_prediger_from_counts,
    gwet_ac1,
    gwet_ac1_from_counts,
    gwet_ac1_from_table,
)
from ihms.stats._krippendorff import KrippendorffAlphaResult, krippendorff_alpha
from ihms.stats._krippendorff_boot import AlphaBootstrap, krippendorff_alpha_bootstrap
from ihms.stats._pabak import PabakResult, pabak, pabak_from_table
from ihms.stats._plain import plain
from ihms.stats._ratings import percent_agreement
from ihms.summary import SummaryTable, format_p

__all__ = [
    "AgreementReport",
    "AlphaBootstrap",
    "ChanceAgreementResult",
    "CohenKappaResult",
    "FleissKappaResult",
    "KrippendorffAlphaResult",
    "PabakResult",
    "UnitCoverage",
    "agreement_report",
    "brennan_prediger",
    "brennan_prediger_from_counts",
    "cohens_kappa",
    "cohens_kappa_from_table",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "gwet_ac1",
    "gwet_ac1_from_counts",
    "gwet_ac1_from_table",
    "krippendorff_alpha",
    "krippendorff_alpha_bootstrap",
    "pabak",
    "pabak_from_table",
    "percent_agreement",
]


@dataclass(frozen=True, eq=False)
class AgreementReport(SummaryHtml):
    """Agreement per dimension and per category.

    Attributes
    ----------
    table
        One row per dimension (``category`` empty) followed by one row per category of
        that dimension. Columns: ``dimension``, ``category``, ``basis`` (``"code"``,
        ``"code set"`` for a multi-label dimension compared as whole sets, or
        ``"present/absent"`` for a category), ``n_units`` (units coded by at least two
        coders), ``n_coders``, ``percent_agreement`` (0–100, all coders agree),
        ``statistic`` (``"Cohen"`` with two coders, ``"Fleiss"`` with more),
        ``kappa_units`` (the units the kappa used: Cohen's the ``n_units``, Fleiss' only
        those every coder coded), ``kappa``, ``std_error`` and ``ci_low``/``ci_high`` (asymptotic; Cohen only),
        ``std_error_null``, ``z``, ``p_value`` (two-sided test of kappa = 0),
        ``alpha`` (Krippendorff, nominal, all pairable units), ``ac1`` with
        ``ac1_std_error`` and ``ac1_ci_low``/``ac1_ci_high`` (Gwet, t interval, over
        the ``n_units`` units coded by at least two coders — irrCAC's raw functions
        also keep units one coder coded in the chance agreement), ``pabak`` (Brennan–Prediger's free-marginal kappa: PABAK with two coders),
        ``prevalence_index`` and ``bias_index`` (two coders, present/absent rows, with
        "present" as the first category) and, when bootstrapped,
        ``alpha_ci_low``/``alpha_ci_high`` and ``alpha_p_below`` (share of resamples
        with alpha below ``alpha_minimum``), and ``kappa_units_agreement``,
        ``kappa_units_ac1``, ``kappa_units_pabak`` (on Fleiss' kappa's units, where it
        used fewer than ``n_units``; the kappa-paradox rule compares those). A whole
        code set has no AC1 or PABAK.
    coders
        Every coder in the table.
    multi_label
        The dimensions treated as multi-label.
    confidence
        Level of the kappa confidence intervals.
    notes
        Caveats (undefined coefficients, units left out, the kappa paradox).
    n_boot, seed, alpha_minimum
        Bootstrap resamples for alpha's interval (0: none), their seed, and the minimum
        acceptable alpha whose shortfall probability is reported.
    coverage
        ``(dimension, UnitCoverage)``: how many units two or more, one, or every coder
        coded — the same for the whole code and each category, so each note on them is
        said once per dimension (:attr:`fleiss_left_out`, :attr:`fleiss_missing`).
    """

    table: pd.DataFrame
    coders: tuple[Hashable, ...]
    multi_label: tuple[str, ...]
    confidence: float
    notes: tuple[str, ...]
    n_boot: int = 0
    seed: int = 0
    alpha_minimum: float = 0.667
    coverage: tuple[tuple[Hashable, UnitCoverage], ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed the whole table
        return brief_repr(
            self,
            coders=self.coders,
            dimensions=len(self.dimensions),
            multi_label=self.multi_label or None,
            mean_kappa=round(self.mean_kappa, 4),
        )

    @property
    def fleiss_left_out(self) -> tuple[tuple[Hashable, int], ...]:
        """``(dimension, units)`` where Fleiss' kappa left out units that two or more
        coders but not all coded (its rows' ``n_units`` − ``kappa_units``)."""
        return tuple((d, c.fleiss_left_out) for d, c in self.coverage if c.fleiss_left_out)

    @property
    def fleiss_missing(self) -> tuple[Hashable, ...]:
        """The dimensions of more than two coders where no unit was coded by all."""
        return tuple(d for d, c in self.coverage if c.fleiss_missing)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions, in table order."""
        return tuple(dict.fromkeys(self.table["dimension"]))

    def dimension_rows(self) -> pd.DataFrame:
        """The rows with one dimension each (no categories)."""
        return self.table[self.table["category"].isna()].reset_index(drop=True)

    def category_rows(self) -> pd.DataFrame:
        """The present/absent rows, one per category."""
        return self.table[self.table["category"].notna()].reset_index(drop=True)

    @property
    def mean_kappa(self) -> float:
        """Unweighted mean of the dimensions' kappas (undefined ones skipped).

        Yu et al. 2024 summarises its two coders by such an average over the dimensions of
        its framework (0.746).
        """
        kappas = self.dimension_rows()["kappa"].astype(float)
        return float(kappas.mean()) if kappas.notna().any() else float("nan")

    @property
    def mean_category_kappa(self) -> float:
        """Unweighted mean of the category (present/absent) kappas."""
        kappas = self.category_rows()["kappa"].astype(float)
        return float(kappas.mean()) if kappas.notna().any() else float("nan")

    def row(self, dimension: str, category: Hashable | None = None) -> dict[str, Any]:
        """One row of :attr:`table` as a dict.

        Parameters
        ----------
        dimension : str
            The coding dimension.
        category : hashable, optional
            A category of that dimension; None (the default) gives the dimension's own
            (all categories) row.

        Raises
        ------
        InputError
            The report has no such row.
        """
        t = self.table
        mask = t["dimension"] == dimension
        mask &= t["category"].isna() if category is None else t["category"] == category
        if not mask.any():
            what = f"dimension {dimension!r}" + (
                "" if category is None else f", category {category!r}"
            )
            raise InputError(f"agreement report: no row for {what}")
        return plain(t[mask].iloc[0].to_dict())

    def summary(
        self, *, categories: bool = True, detail: bool = False, lang: str = "en"
    ) -> SummaryTable:
        """The table: each dimension followed by its categories (indented).

        Parameters
        ----------
        categories
            False keeps only the dimension rows.
        detail
            True shows every column (standard errors, z, basis, coders, the prevalence and
            bias indices); the default keeps n, agreement, the statistic, kappa with its CI
            and p, alpha (with its bootstrap interval when there is one), AC1 and PABAK.
        lang
            ``"zh"``: title, headers and notes in Chinese (:mod:`ihms.stats._agreement_zh`).
        """
        rows = self.table if categories else self.dimension_rows()
        frame = rows.copy()
        label = np.where(
            frame["category"].isna(),
            frame["dimension"].astype(str),
            "  " + frame["category"].astype(str),
        )
        frame.index = pd.Index(label, name="dimension / category")
        frame = frame.drop(columns=["dimension", "category"])
        boot_columns = ["alpha_ci_low", "alpha_ci_high", "alpha_p_below"]
        if not detail:
            frame = frame[
                ["n_units", "percent_agreement", "statistic", "kappa", "ci_low", "ci_high",
                 "p_value", "alpha", "ac1", "pabak"] + (boot_columns if self.n_boot else [])
            ]  # fmt: skip
        elif not self.n_boot:
            frame = frame.drop(columns=boot_columns)
        level = f"{100 * self.confidence:g}%"
        frame = frame.rename(
            columns={
                "n_units": "n",
                "percent_agreement": "agree",
                "statistic": "type",
                "ci_low": f"{level} low",
                "ci_high": f"{level} high",
                "p_value": "p",
                "ac1": "AC1",
                "pabak": "PABAK",
                "alpha_ci_low": f"alpha {level} low",
                "alpha_ci_high": f"alpha {level} high",
                "alpha_p_below": f"P(alpha<{self.alpha_minimum:g})",
            }
        )
        mean = mean_kappa_words(self.dimension_rows()["kappa"])
        p_below = f"P(alpha<{self.alpha_minimum:g})"
        # a narrow console: kappa and p over their interval (as ITS puts coef and se over
        # theirs), alpha and P(alpha<min) over alpha's, n over type (and agreement, for
        # room for the bootstrap's columns), AC1 over PABAK
        stack_under = {
            f"{level} low": "kappa",
            f"{level} high": "p",
            f"alpha {level} low": "alpha",
            f"alpha {level} high": p_below,
            "type": "n",
            "PABAK": "AC1",
        } | ({"agree": "n"} if self.n_boot else {})
        short_headers = {
            "dimension / category": "dimension",
            "kappa": "κ",
            "alpha": "α",
            f"{level} low": f"{level} lo",
            f"{level} high": f"{level} hi",
            f"alpha {level} low": "α lo",
            f"alpha {level} high": "α hi",
            p_below: f"P(α<{self.alpha_minimum:g})",
        }
        notes = [
            "n: units coded by at least two coders; agree: every coder who coded the unit "
            "gave the same code (with 3+ coders not the mean pairwise agreement); type/kappa: "
            "Cohen's (2 coders, CI from the asymptotic SE) or Fleiss' (more); p: "
            "two-sided test of kappa = 0 (SE under H0); alpha: Krippendorff, nominal.",
            "AC1: Gwet's; PABAK: prevalence- and bias-adjusted kappa (Brennan–Prediger "
            "with more than 2 coders); neither falls when one answer dominates.",
            WHOLE_SET_NOTE if self.multi_label else "",
            f"alpha interval and P(alpha<{self.alpha_minimum:g}): {self.n_boot:,} bootstrap "
            f"resamples of units, seed {self.seed}, {level} percentile interval."
            if self.n_boot
            else "",
            f"Mean kappa over dimensions: {mean}." if mean else "",
            *self.notes,
        ]
        table = SummaryTable(
            frame,
            title=f"Inter-coder agreement ({len(self.coders)} coders)",
            notes=tuple(n for n in notes if n),
            formats={
                "n": "{:,.0f}".format,
                "n_coders": "{:,.0f}".format,
                "agree": "{:.1f}%".format,
                "p": format_p,
                f"P(alpha<{self.alpha_minimum:g})": "{:.3f}".format,
            },
            digits=3,
            short_headers=short_headers,
            stack_under=stack_under,
            decimal_columns=tuple(frame.columns),  # statistics: a kappa of 1 is 1.000
        )
        return table if lang == "en" else in_chinese(self, table)

    def to_dict(self) -> dict[str, Any]:
        """``coders``, ``multi_label``, ``mean_kappa``, ``mean_category_kappa``,
        ``notes`` and ``rows`` (the table as records)."""
        return {
            "coders": plain(list(self.coders)),
            "multi_label": list(self.multi_label),
            "confidence": self.confidence,
            "mean_kappa": self.mean_kappa,
            "mean_category_kappa": self.mean_category_kappa,
            "notes": list(self.notes),
            "bootstrap": dict(n_boot=self.n_boot, seed=self.seed, alpha_minimum=self.alpha_minimum),
            "rows": plain(self.table),
        }


def agreement_report(
    codings: pd.DataFrame,
    *,
    unit: str = "unit",
    coder: str = "coder",
    code: str = "code",
    coders: Sequence[str] | None = None,
    dimension: str | None = None,
    multi_label: bool | Collection[str] = False,
    separator: str = ";",
    confidence: float = 0.95,
    n_boot: int = 0,
    seed: int = 0,
    alpha_minimum: float = 0.667,
    source: str | None = None,
    categories: Mapping[Hashable, Sequence[Hashable]] | None = None,
) -> AgreementReport:
    """Agreement between coders per dimension and per category, from a long table
    (one row per unit and coder) or a wide one (one column per coder, ``coders``).

    Parameters
    ----------
    codings
        One row per unit, coder (and dimension): who gave which code to which unit;
        or, with ``coders``, one row per unit (and dimension) and one column per coder.
        A missing code means the coder did not code the unit. Messages name a row
        by its index label, or, with ``source``, as the file numbers it (with a header,
        the first data row is 2).
    unit, coder, code
        Column names. In a wide table ``coder`` and ``code`` are no columns; ``code``
        still names the one dimension of a table without ``dimension``.
    coders
        The coders' columns of a wide table (at least two), as SPSS, Stata and Excel
        users keep codings; the same codings give the same report in either layout.
    dimension
        Column naming the dimension (policy tool, stakeholder, ...); without it the
        whole table is one dimension named after ``code``, and rows of one unit and
        coder that differ in another column that looks like a dimension column (text,
        at most 50 values, each in two or more units) are refused rather than pooled
        into one code set; a timestamp, row id or note column is no dimension.
    multi_label
        True (every dimension), or the dimensions whose codes are sets of categories.
        A cell holding a set/list makes its dimension multi-label anyway; strings are
        split at ``separator``. Several rows for one unit and coder in a multi-label
        dimension are combined.
    separator
        Separator of multi-label codes written as text (``"a;b;c"``).
    confidence
        Level of the confidence intervals (Cohen's kappa, AC1, bootstrapped alpha).
    n_boot
        Bootstrap resamples of units for alpha's percentile interval and the
        probability that alpha is below ``alpha_minimum`` (0, the default: none; see
        :func:`krippendorff_alpha_bootstrap`).
    seed
        Seed of the bootstrap; the same seed gives the same numbers.
    alpha_minimum
        Minimum acceptable alpha (Krippendorff: 0.8, or 0.667 for tentative
        conclusions).
    source
        File name used in error messages.
    categories
        Per dimension, every category of its scale (a codebook's, "none applies" too if
        coders may answer it): q for a single-label dimension's AC1 and PABAK, which
        depend on categories never used (Gwet 2014). Without it, q is the categories
        seen. A whole code set has no AC1 or PABAK either way (its q would be every
        possible set, at which both are percent agreement).

    Returns
    -------
    AgreementReport
        A dimension row (whole codes, or whole code sets for multi-label dimensions)
        followed by one present/absent row per category.

    Raises
    ------
    DataError
        Listing every problem: missing columns, empty unit/coder cells, a coder coding a
        unit twice, a dimension with fewer than 2 coders.
    InputError
        A code outside its dimension's ``categories``; without ``dimension``, rows of
        one unit and coder that differ in a column that looks like a dimension column.

    Examples
    --------
    >>> codings = pd.DataFrame({
    ...     "unit": [1, 1, 2, 2, 3, 3], "coder": ["A", "B"] * 3,
    ...     "code": ["x", "x", "y", "y", "x", "y"]})
    >>> report = agreement_report(codings)
    >>> round(report.row("code")["kappa"], 3)
    0.4
    """
    confidence = check_confidence(confidence)
    if not separator:
        raise InputError("parameter 'separator': expected a non-empty string")
    if (
        isinstance(n_boot, bool)
        or not isinstance(n_boot, (int, np.integer))
        or n_boot == 1
        or n_boot < 0
    ):
        raise InputError(f"parameter 'n_boot': expected 0 or a whole number >= 2, got {n_boot!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"parameter 'seed': expected a whole number >= 0, got {seed!r}")
    if not -1 <= alpha_minimum <= 1:
        raise InputError(
            f"parameter 'alpha_minimum': expected a value in [-1, 1], got {alpha_minimum}"
        )
    boot = {"n_boot": n_boot, "seed": seed, "alpha_minimum": alpha_minimum}
    dims, coded_by = read_codings(
        codings,
        unit=unit,
        coder=coder,
        code=code,
        dimension=dimension,
        multi_label=multi_label,
        separator=separator,
        source=source,
        coders=coders,
    )
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    coverage: list[tuple[Hashable, UnitCoverage]] = []
    for dim in dims:
        scale = scale_of(dim, categories)
        dim_rows, cover, dim_notes = dimension_rows(dim, confidence, scale, boot)
        rows += dim_rows
        coverage.append((dim.name, cover))
        notes += dim_notes
    table = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    # Keep None (not NaN) for dimension rows and the categories' own types.
    table["category"] = pd.Series([r["category"] for r in rows], dtype=object)
    return AgreementReport(
        table=table,
        coders=coded_by,
        multi_label=tuple(d.name for d in dims if d.multi_label),
        confidence=confidence,
        notes=tuple(dict.fromkeys(notes)),
        **boot,
        coverage=tuple(coverage),
    )
