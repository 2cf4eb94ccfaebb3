"""Evaluation statistics: pure numerics, pandas in and out, no health-care knowledge.

Interrupted time series as Linden's Stata ``itsa`` (:class:`ITSModel`, batch fitting
with :func:`fit_its_batch`, the figure :func:`plot_its`), Breusch–Godfrey tests
(:func:`breusch_godfrey`) and ratio-to-moving-average seasonal adjustment
(:func:`ratio_to_moving_average`).
"""

from ihms.stats._autocorr import BreuschGodfreyTest, breusch_godfrey
from ihms.stats.its import ITSModel, ITSResults
from ihms.stats.its_batch import ITSBatchResults, fit_its_batch
from ihms.stats.its_plot import its_plot_data, plot_its, save_figure
from ihms.stats.seasonal import SeasonalAdjustment, ratio_to_moving_average

__all__ = [
    "BreuschGodfreyTest",
    "ITSBatchResults",
    "ITSModel",
    "ITSResults",
    "SeasonalAdjustment",
    "breusch_godfrey",
    "fit_its_batch",
    "its_plot_data",
    "plot_its",
    "ratio_to_moving_average",
    "save_figure",
]
