"""Evaluation statistics: pure numerics, pandas in and out, knowing nothing of health care.

- :mod:`ihms.stats.agreement` — percent agreement, Cohen's and Fleiss' kappa,
  Krippendorff's alpha and an agreement report over a long table of codings;
- :mod:`ihms.stats.trend` — Cochran–Armitage test for trend in proportions and the
  k × 2 chi-square test of independence;
- :mod:`ihms.stats.growth` — average annual (geometric) growth rates against a
  reference rate.
"""

from ihms.stats.agreement import (
    AgreementReport,
    CohenKappaResult,
    FleissKappaResult,
    KrippendorffAlphaResult,
    agreement_report,
    cohens_kappa,
    cohens_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    krippendorff_alpha,
    percent_agreement,
)
from ihms.stats.growth import (
    GrowthResult,
    GrowthTable,
    annual_growth,
    average_annual_growth_rate,
    growth_table,
)
from ihms.stats.trend import ChiSquareResult, TrendTestResult, chi2_independence, trend_test

__all__ = [
    "AgreementReport",
    "ChiSquareResult",
    "CohenKappaResult",
    "FleissKappaResult",
    "GrowthResult",
    "GrowthTable",
    "KrippendorffAlphaResult",
    "TrendTestResult",
    "agreement_report",
    "annual_growth",
    "average_annual_growth_rate",
    "chi2_independence",
    "cohens_kappa",
    "cohens_kappa_from_table",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "growth_table",
    "krippendorff_alpha",
    "percent_agreement",
    "trend_test",
]
