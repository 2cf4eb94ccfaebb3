"""Evaluation statistics: pure numerics, pandas in and out, knowing nothing of health care.

- :mod:`ihms.stats.its` — interrupted time series as Linden's Stata ``itsa``
  (:class:`ITSModel`, batch fitting with :func:`fit_its_batch`, the figure
  :func:`plot_its`), Breusch–Godfrey tests (:func:`breusch_godfrey`) and
  Cumby–Huizinga tests (:func:`cumby_huizinga`, Stata's ``actest``);
- :mod:`ihms.stats.seasonal` — ratio-to-moving-average seasonal adjustment
  (:func:`ratio_to_moving_average`);
- :mod:`ihms.stats.agreement` — percent agreement, Cohen's and Fleiss' kappa,
  Gwet's AC1/AC2, Brennan–Prediger/PABAK with the prevalence and bias indices,
  Krippendorff's alpha (with a bootstrap interval) and an agreement report over a long
  table of codings;
- :mod:`ihms.stats.trend` — Cochran–Armitage test for trend in proportions and the
  k × 2 chi-square test of independence;
- :mod:`ihms.stats.growth` — average annual (geometric) growth rates against a
  reference rate;
- :mod:`ihms.stats.growth_yoy` — year-on-year (同比) and quarter- or month-on-month (环比)
  growth, percentage-point changes of rates and fixed-base indices (:func:`growth_series`);
- :mod:`ihms.stats.growth_cumulative` — year-to-date cumulative figures (累计) and their
  growth (累计同比, :func:`cumulative_growth`);
- :mod:`ihms.stats.growth_aggregate` — monthly or quarterly flows summed to quarters or
  years, rates as ratios of summed parts (:func:`aggregate_periods`);
- :mod:`ihms.stats.growth_real` — growth at comparable prices (按可比价格), deflated by a
  price index (:func:`comparable_growth`).
"""

from ihms.stats._autocorr import BreuschGodfreyTest, breusch_godfrey
from ihms.stats._cumby import CumbyHuizingaTest, cumby_huizinga
from ihms.stats._paradox import kappa_paradox
from ihms.stats.agreement import (
    AgreementReport,
    AlphaBootstrap,
    ChanceAgreementResult,
    CohenKappaResult,
    FleissKappaResult,
    KrippendorffAlphaResult,
    PabakResult,
    agreement_report,
    brennan_prediger,
    brennan_prediger_from_counts,
    cohens_kappa,
    cohens_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    gwet_ac1_from_counts,
    gwet_ac1_from_table,
    krippendorff_alpha,
    krippendorff_alpha_bootstrap,
    pabak,
    pabak_from_table,
    percent_agreement,
)
from ihms.stats.growth import (
    GrowthResult,
    GrowthTable,
    annual_growth,
    average_annual_growth_rate,
    growth_table,
)
from ihms.stats.growth_aggregate import AggregatedSeries, aggregate_periods
from ihms.stats.growth_cumulative import CumulativeGrowth, cumulative_growth
from ihms.stats.growth_real import ComparableGrowth, comparable_growth
from ihms.stats.growth_yoy import GrowthSeries, growth_series
from ihms.stats.its import ITSModel, ITSResults
from ihms.stats.its_batch import ITSBatchResults, fit_its_batch
from ihms.stats.its_plot import check_figure_path, its_plot_data, plot_its, save_figure
from ihms.stats.seasonal import SeasonalAdjustment, ratio_to_moving_average
from ihms.stats.trend import ChiSquareResult, TrendTestResult, chi2_independence, trend_test

__all__ = [
    "AggregatedSeries",
    "AgreementReport",
    "AlphaBootstrap",
    "BreuschGodfreyTest",
    "ChanceAgreementResult",
    "ChiSquareResult",
    "CohenKappaResult",
    "ComparableGrowth",
    "CumbyHuizingaTest",
    "CumulativeGrowth",
    "FleissKappaResult",
    "GrowthResult",
    "GrowthSeries",
    "GrowthTable",
    "ITSBatchResults",
    "ITSModel",
    "ITSResults",
    "KrippendorffAlphaResult",
    "PabakResult",
    "SeasonalAdjustment",
    "TrendTestResult",
    "aggregate_periods",
    "agreement_report",
    "annual_growth",
    "average_annual_growth_rate",
    "brennan_prediger",
    "brennan_prediger_from_counts",
    "breusch_godfrey",
    "check_figure_path",
    "chi2_independence",
    "cohens_kappa",
    "cohens_kappa_from_table",
    "comparable_growth",
    "cumby_huizinga",
    "cumulative_growth",
    "fit_its_batch",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "growth_series",
    "growth_table",
    "gwet_ac1",
    "gwet_ac1_from_counts",
    "gwet_ac1_from_table",
    "its_plot_data",
    "kappa_paradox",
    "krippendorff_alpha",
    "krippendorff_alpha_bootstrap",
    "pabak",
    "pabak_from_table",
    "percent_agreement",
    "plot_its",
    "ratio_to_moving_average",
    "save_figure",
    "trend_test",
]
