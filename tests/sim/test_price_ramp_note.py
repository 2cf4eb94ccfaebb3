"""The note on the county hospitals' cost per visit at the reform (session 35's review, A6).

Until 2026-11-27 one note (``targets._MIX_ONLY``) said the cost per visit moves "before
and at the reform only with their case mix". Before the reform it does; at the reform
the phased-in price rise does not start on the line of its later months, so an
interrupted time series fitted the way ``itsa`` codes it (``_x_t`` = 0 in the reform's
month) gives the price alone a level change of about -0.81 d.

Worked example (the golden numbers): under Youxi's three-month ramp the price added in
month k = m - r after the reform is 0, d / 3, then d (k - 1) for k >= 2
(:class:`ihms.sim.regime.Behaviour`), over the 26 months 2017-10 ... 2019-11 of Zhong
et al. 2023's window. That is the line -d + d k plus d at k = 0 and d / 3 at k = 1. The
least-squares line through 26 points k = 0 ... 25 (mean 12.5, sum of squares 1462.5)
weighs point k's value by 1/26 - 12.5 (k - 12.5) / 1462.5 in its intercept: 17/117 at
k = 0, 16/117 at k = 1. The intercept is -d + 17/117 d + 16/117 x d / 3 = -284/351 d =
-0.80912 d; the slope's weights (k - 12.5) / 1462.5 give d - 12.5/1462.5 d - 11.5/1462.5
x d / 3 = 8677/8775 d = 0.98883 d. The series before the reform is 0, so the level change
is the intercept.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from ihms.sim.calibrate import _fit_its
from ihms.sim.regime import behaviour
from ihms.sim.targets import _MIX_ONLY, _PRICE_RAMP, STUDY_WINDOW, TARGETS
from ihms.stats import ITSModel

LEVEL_PER_D = Fraction(-284, 351)
SLOPE_PER_D = Fraction(8677, 8775)


def test_the_worked_example_by_hand():
    n, mean = 26, Fraction(25, 2)
    sxx = sum((k - mean) ** 2 for k in range(n))
    assert sxx == Fraction(2925, 2)
    intercept = [Fraction(1, n) - mean * (k - mean) / sxx for k in range(n)]
    slope = [(k - mean) / sxx for k in range(n)]
    # the ramp's departures from the line -d + d k: +d at k = 0, +d / 3 at k = 1
    assert -1 + intercept[0] + intercept[1] / 3 == LEVEL_PER_D
    assert 1 + slope[0] + slope[1] / 3 == SLOPE_PER_D


@pytest.fixture(scope="module")
def price(youxi_config, youxi_system):
    from ihms.sim.layout import layout_from_system

    layout = layout_from_system(youxi_system, youxi_config)
    b = behaviour(youxi_config, layout, regime="sanming")
    months = pd.period_range(youxi_config.period.start, youxi_config.period.end, freq="M")
    series = pd.Series(b.ch_outpatient_price_yuan, index=months.astype(str))
    window = pd.period_range(*STUDY_WINDOW, freq="M").astype(str)
    d = youxi_config.regimes["sanming"].ch_outpatient_price_drift_yuan_per_month
    return series.reindex(window), d


def test_the_price_ramp_alone_lowers_the_level_change(price):
    series, d = price
    assert d == pytest.approx(1.3964)  # the committed tune's drift
    frame = pd.DataFrame({"month": series.index, "cost_per_outpatient_visit": 240.0 + series})
    plain = ITSModel(
        frame, outcome="cost_per_outpatient_visit", time="month", interruptions="2017-10"
    ).fit()
    assert plain.params["_x2017m10"] == pytest.approx(float(LEVEL_PER_D) * d, rel=1e-9)
    assert plain.params["_x_t2017m10"] == pytest.approx(float(SLOPE_PER_D) * d, rel=1e-9)
    assert plain.params["_t"] == pytest.approx(0.0, abs=1e-9)
    # measured as calibrate measures it (seasonal factors from the series): the same
    frame["outpatient_emergency_visits"] = frame["hospitalizations"] = 1.0
    measured = _fit_its(frame, "cost_per_outpatient_visit", "2017-10")
    assert measured.params["_x2017m10"] == pytest.approx(-1.13, abs=0.005)
    assert np.isfinite(measured.params["_x_t2017m10"])


def test_the_notes_say_so():
    notes = {t.key: t.note for t in TARGETS if t.key.startswith("ch_cost_per_visit_")}
    assert notes["ch_cost_per_visit_pre_slope"] == _MIX_ONLY
    assert notes["ch_cost_per_visit_level_change"] == _PRICE_RAMP
    assert "at the reform" not in _MIX_ONLY  # the old, wrong claim
    assert "0.81 d" in _PRICE_RAMP and "1.13 yuan" in _PRICE_RAMP
    assert round(float(LEVEL_PER_D), 2) == -0.81
    assert round(float(-LEVEL_PER_D) * 1.3964, 2) == 1.13


def test_the_notes_are_said_in_chinese():
    from ihms.sim._calibration_zh import _reasons

    reasons = _reasons()
    assert "0.81d" in reasons[_PRICE_RAMP] and "1.13 元" in reasons[_PRICE_RAMP]
    assert "改革时" not in reasons[_MIX_ONLY]
