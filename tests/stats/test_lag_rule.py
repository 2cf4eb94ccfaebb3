"""The --lags auto rule (ours): the larger of the stepwise order and the highest order
significant at alpha/max_lag (Bonferroni). Simulations seeded; thresholds fixed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.stats import ITSModel

# a user's quarterly inpatient series (2015Q1-2019Q4), interruption 2017Q3 (index 10):
# own-lag p at order 2 < 0.001 (statsmodels' auxiliary OLS), order 1 not significant
QUARTERLY = [5843, 6101, 6187, 6221, 5886, 6490, 6606, 6304, 6195, 6504,
             6160, 5993, 5744, 5924, 6310, 5949, 5856, 6206, 6273, 6020]  # fmt: skip


def level_change(u: np.ndarray) -> pd.DataFrame:
    n = len(u)
    t = np.arange(n)
    return pd.DataFrame({"t": t, "y": 50 + 0.3 * t - 4 * (t >= n // 2) + u})


def test_white_noise_mostly_gets_no_lag():
    # the review's simulation (session 21, review B): 200 white-noise series of 48 points
    # with a level change. The rule merged first that session (the highest order whose
    # own-lag p < 0.05, of 12) gave 67 % of such series a lag; the rule now: the
    # stepwise part's order-1 test alone rejects ~7-10 % here (the zero-padded
    # auxiliary regressions run a little above their nominal 5 %), the Bonferroni part
    # adds ~5 %, so about 86 % get lag 0 (measured 86.5 %: the bar below is 85 %).
    rng = np.random.default_rng(2026)
    picks, plain = [], []
    for _ in range(200):
        model = ITSModel(level_change(rng.normal(size=48)), outcome="y", time="t", interruptions=24)
        tests = model.lag_tests()
        picks.append(tests.suggested_lag)
        significant = tests.table.index[tests.table["lag_p"] < 0.05]
        plain.append(int(significant.max()) if len(significant) else 0)
    rate = np.mean(np.array(picks) == 0)
    plain_rate = np.mean(np.array(plain) == 0)
    assert rate >= 0.85, rate
    assert rate - plain_rate >= 0.4, (rate, plain_rate)


def test_quarterly_lag_two_after_quiet_lag_one():
    frame = pd.DataFrame({"t": np.arange(20), "y": np.array(QUARTERLY, dtype=float)})
    tests = ITSModel(frame, outcome="y", time="t", interruptions=10).lag_tests()
    assert tests.table.loc[2, "lag_p"] < 0.001
    assert tests.suggested_lag >= 2
    assert tests.stepwise_lag == 0
    assert tests.chosen_by == "bonferroni"
    assert "Bonferroni part alone" in tests.reason


def test_ar1_gets_a_lag():
    rng = np.random.default_rng(7)
    u = np.zeros(120)
    for t in range(1, 120):
        u[t] = 0.6 * u[t - 1] + rng.normal()
    tests = ITSModel(level_change(u), outcome="y", time="t", interruptions=60).lag_tests()
    assert tests.suggested_lag >= 1
    assert tests.chosen_by in ("stepwise", "both")
