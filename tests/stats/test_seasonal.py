"""Ratio-to-moving-average seasonal adjustment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.seasonal import seasonal_decompose

from ihms.errors import InputError, StatisticalWarning
from ihms.stats import ratio_to_moving_average


def noisy_series(start: str, periods: int = 46, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=periods, freq="M")
    factors = 1 + 0.15 * np.sin(2 * np.pi * (months.month.to_numpy() - 1) / 12)
    level = 5000 + 40 * np.arange(periods)
    return pd.Series(level * factors * rng.lognormal(0, 0.03, periods), index=months)


@pytest.mark.parametrize("start", ["2016-01", "2016-02", "2016-07", "2015Q1", "2015Q3"])
def test_matches_statsmodels_multiplicative_decomposition(start):
    # quarters: statsmodels period=4, a centred 2x4 moving average
    quarterly = "Q" in start
    y = noisy_quarters(start) if quarterly else noisy_series(start)
    ours = ratio_to_moving_average(y)
    ref = seasonal_decompose(y.to_numpy(), model="multiplicative", period=4 if quarterly else 12)
    # statsmodels keys its indices by position from the first month; on the same months
    # both give the same numbers.
    season = y.index.quarter if quarterly else y.index.month
    np.testing.assert_allclose(ours.trend.to_numpy(), ref.trend, rtol=1e-12)
    np.testing.assert_allclose(ours.indices[season].to_numpy(), ref.seasonal, rtol=1e-12)
    np.testing.assert_allclose(ours.adjusted.to_numpy(), y.to_numpy() / ref.seasonal, rtol=1e-12)
    assert ours.indices.mean() == pytest.approx(1.0, rel=1e-14)
    assert ours.method == f"ratio to centred 2x{4 if quarterly else 12} moving average"
    assert ours.indices_text().startswith("Q1 " if quarterly else "Jan ")


def test_hand_worked_periodic_series():
    # y = 100 * f(month) with f averaging 1. A centred 2x12 window spans 13 months whose
    # first and last are the same calendar month: (f_m/2 + 11 other f + f_m/2) / 12 * 100
    # = 100 * mean(f) = 100. So every ratio is f(month), every index is f, and the
    # adjusted series is 100 throughout.
    f = np.array([0.80, 0.90, 1.00, 1.05, 1.10, 1.15, 1.20, 1.10, 1.00, 0.95, 0.90, 0.85])
    assert f.mean() == pytest.approx(1.0)
    months = pd.period_range("2016-02", periods=36, freq="M")
    y = pd.Series(100 * f[months.month - 1], index=months)
    res = ratio_to_moving_average(y)
    np.testing.assert_allclose(res.indices.to_numpy(), f, rtol=1e-12)
    np.testing.assert_allclose(res.adjusted.to_numpy(), 100.0, rtol=1e-12)
    # The first trend value (August 2016, the 7th month), written out:
    # (0.5*90 + 100 + 105 + 110 + 115 + 120 + 110 + 100 + 95 + 90 + 85 + 80 + 0.5*90)/12
    # = 1200/12 = 100
    assert res.trend.iloc[6] == pytest.approx(100.0)
    assert np.isnan(res.trend.iloc[5]) and np.isnan(res.trend.iloc[-6])


def test_hand_worked_indices_of_a_two_year_series():
    # 24 months from Jan 2016, level 10 and +1 every month (y_t = 10 + t), no season.
    # Trend at t = 6..17 equals y_t (a symmetric average of a line), so all twelve
    # ratios are 1 and the indices are exactly 1.
    months = pd.period_range("2016-01", periods=24, freq="M")
    y = pd.Series(10.0 + np.arange(24), index=months)
    res = ratio_to_moving_average(y)
    np.testing.assert_allclose(res.trend.iloc[6:18].to_numpy(), y.iloc[6:18].to_numpy())
    np.testing.assert_allclose(res.indices.to_numpy(), 1.0, rtol=1e-12)


@pytest.mark.parametrize("start", ["2016-01", "2016-02", "2016-05", "2016-12"])
def test_indices_are_keyed_by_calendar_month(start):
    months = pd.period_range(start, periods=36, freq="M")
    y = pd.Series([130.0 if m.month == 2 else 100.0 for m in months], index=months)
    res = ratio_to_moving_average(y)
    assert res.indices.idxmax() == 2  # February gets February's index
    feb = res.adjusted[res.adjusted.index.month == 2]
    np.testing.assert_allclose(
        feb.to_numpy(), res.adjusted[res.adjusted.index.month == 3].to_numpy()
    )


def test_accepts_datetime_and_text_indices():
    y = noisy_series("2016-02", 30)
    by_date = y.copy()
    by_date.index = y.index.to_timestamp()
    by_text = y.copy()
    by_text.index = y.index.astype(str)
    a = ratio_to_moving_average(y)
    pd.testing.assert_series_equal(a.indices, ratio_to_moving_average(by_date).indices)
    pd.testing.assert_series_equal(a.indices, ratio_to_moving_average(by_text).indices)
    assert "Feb" in a.summary().to_text()


def test_fewer_than_two_cycles_is_a_clear_error():
    y = noisy_series("2016-02", 23)
    with pytest.raises(InputError, match="at least 2 full cycles \\(24 months\\), got 23"):
        ratio_to_moving_average(y.rename("visits"))


def test_other_bad_input():
    y = noisy_series("2016-02", 30)
    with pytest.raises(InputError, match="values > 0, got 2016-04 \\(0\\)"):
        ratio_to_moving_average(y.where(y.index != pd.Period("2016-04", "M"), 0.0))
    with pytest.raises(InputError, match="missing month\\(s\\) after 2016-05"):
        ratio_to_moving_average(y.drop(pd.Period("2016-06", "M")))
    with pytest.raises(InputError, match="missing or non-numeric value\\(s\\) at 2016-03"):
        ratio_to_moving_average(y.where(y.index != pd.Period("2016-03", "M")))
    with pytest.raises(InputError, match="expected a monthly or quarterly index"):
        ratio_to_moving_average(
            pd.Series(np.ones(30), index=pd.period_range("2000", periods=30, freq="Y"))
        )


def noisy_quarters(start: str, periods: int = 20, seed: int = 4) -> pd.Series:
    rng = np.random.default_rng(seed)
    quarters = pd.period_range(start, periods=periods, freq="Q")
    factors = np.array([0.85, 1.0, 1.1, 1.05])[quarters.quarter.to_numpy() - 1]
    level = 6000 + 50 * np.arange(periods)
    return pd.Series(level * factors * rng.lognormal(0, 0.03, periods), index=quarters)


def test_quarter_labels_are_read_as_quarters():
    y = noisy_quarters("2016Q1", periods=12)
    by_text = pd.Series(y.to_numpy(), index=[str(q) for q in y.index])
    pd.testing.assert_series_equal(
        ratio_to_moving_average(y).indices, ratio_to_moving_average(by_text).indices
    )
    with pytest.raises(InputError, match="8 quarters"):
        ratio_to_moving_average(y.iloc[:7])


@pytest.mark.parametrize("freq", ["QS", "QE"])
def test_quarter_dates_on_a_datetime_index_are_quarters(freq):
    # review 21b #10: a DatetimeIndex was always read as months, so quarter-start (or
    # quarter-end) timestamps failed with "missing month(s)"; the same series on a
    # quarterly PeriodIndex is the golden (itself checked against statsmodels'
    # seasonal_decompose(period=4) in this file)
    values = [100.0, 120, 90, 110, 104, 126, 93, 115, 108, 131, 97, 119]
    days = pd.date_range("2015-01-01" if freq == "QS" else "2015-03-31", periods=12, freq=freq)
    quarters = pd.period_range("2015Q1", periods=12, freq="Q")
    got = ratio_to_moving_average(pd.Series(values, index=days))
    want = ratio_to_moving_average(pd.Series(values, index=quarters))
    np.testing.assert_allclose(got.adjusted.to_numpy(), want.adjusted.to_numpy())


def test_ratios_whose_average_straddles_a_break_are_left_out():
    # Worked by hand: a level of 1,000 that steps to 1,100 in January 2018, times a
    # seasonal pattern s. A centred 2x12 average whose 13 months lie on one side is the
    # level itself, so every such ratio is s of its month and the indices are s / mean(s)
    # exactly. The 12 averages from July 2017 to June 2018 straddle the step (8 months
    # of 1,000 and 5 of 1,100 at July 2017, ...): left out.
    months = pd.period_range("2016-01", periods=48, freq="M")
    s = 1 + 0.1 * np.sin(2 * np.pi * np.arange(12) / 12)
    level = np.where(np.arange(48) >= 24, 1100.0, 1000.0)
    y = pd.Series(level * s[np.arange(48) % 12], index=months)
    res = ratio_to_moving_average(y, breaks=["2018-01"])
    np.testing.assert_allclose(res.indices.to_numpy(), s / s.mean(), rtol=1e-12)
    np.testing.assert_allclose(res.adjusted.to_numpy(), level * s.mean(), rtol=1e-12)
    assert res.left_out == 12
    assert res.ratios["2017-07":"2018-06"].isna().all()
    assert "12 ratio(s) left out" in " ".join(res.summary().to_text().split())
    # without the break the step leaks into the indices (July-December low, January-June
    # high) and the adjusted series' step is no longer 100 * mean(s)
    plain = ratio_to_moving_average(y)
    assert plain.left_out == 0
    assert not np.allclose(plain.indices.to_numpy(), s / s.mean(), rtol=1e-3)


def test_a_series_too_short_to_leave_them_out_keeps_them_with_a_warning():
    months = pd.period_range("2016-01", periods=24, freq="M")
    y = pd.Series(100.0 + np.arange(24) + 10 * (np.arange(24) >= 12), index=months)
    with pytest.warns(StatisticalWarning, match="too short to leave out"):
        res = ratio_to_moving_average(y, breaks=["2017-01"])
    assert res.indices.notna().all()
