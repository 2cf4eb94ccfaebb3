"""Benchmark: ITS with Newey-West standard errors on 1,000 monthly series of 46 points.

Batched (:func:`ihms.stats.fit_its_batch`: one factorisation, einsum over the stack of
series, starting from the long table) against a plain loop of statsmodels
``OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True},
use_t=True)``, measured in the same run on the same data.

Targets (issue 2): at least 20x faster; identical numbers (max relative difference of
coefficients, standard errors and p-values <= 1e-9).

Both timings are the best of several runs (the machine may be shared). Run:
``.venv/bin/python benchmarks/bench_its.py`` (or ``make bench``).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ihms.stats import fit_its_batch

SERIES = 1_000
MONTHS = 46
LAGS = 2
BATCH_REPEATS = 7
LOOP_REPEATS = 3


def make_data(seed: int = 20171001) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range("2016-02", periods=MONTHS, freq="M").astype(str)
    t = np.arange(MONTHS)
    post = (t >= 20).astype(float)
    level = rng.uniform(500, 50_000, SERIES)[:, None]
    slope = rng.normal(0.01, 0.005, SERIES)[:, None] * level
    y = level + slope * t - 0.05 * level * post - 0.8 * slope * (t - 20) * post
    y = y + rng.normal(0, 0.02, (SERIES, MONTHS)) * level
    return pd.DataFrame(
        {
            "institution": np.repeat([f"inst{i:04d}" for i in range(SERIES)], MONTHS),
            "month": np.tile(months, SERIES),
            "visits": y.ravel(),
        }
    )


def batched(data: pd.DataFrame):
    return fit_its_batch(
        data,
        outcome="visits",
        time="month",
        series="institution",
        interruptions="2017-10",
        lags=LAGS,
    )


def statsmodels_loop(data: pd.DataFrame, X: np.ndarray) -> dict[str, np.ndarray]:
    params, bse, pvalues = [], [], []
    for _, part in data.groupby("institution", sort=True):
        y = part["visits"].to_numpy()
        res = sm.OLS(y, X).fit(
            cov_type="HAC", cov_kwds={"maxlags": LAGS, "use_correction": True}, use_t=True
        )
        params.append(res.params)
        bse.append(res.bse)
        pvalues.append(res.pvalues)
    return {"params": np.array(params), "bse": np.array(bse), "p": np.array(pvalues)}


def best_of(func, repeats: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    data = make_data()
    t_batch, res = best_of(lambda: batched(data), BATCH_REPEATS)
    X = res.design.X
    t_loop, ref = best_of(lambda: statsmodels_loop(data, X), LOOP_REPEATS)

    def rel(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))

    diff = max(
        rel(res.params.to_numpy(), ref["params"]),
        rel(res.std_errors.to_numpy(), ref["bse"]),
        rel(res.pvalues.to_numpy(), ref["p"]),
    )
    ratio = t_loop / t_batch
    print(f"ITS, Newey-West lag {LAGS}: {SERIES:,} monthly series x {MONTHS} points")
    print(f"  batched (ihms.stats.fit_its_batch, from the long table): {t_batch * 1e3:8.1f} ms")
    print(f"  loop of statsmodels OLS + HAC fits:                      {t_loop * 1e3:8.1f} ms")
    print(f"  speed-up: {ratio:.1f}x   (target >= 20x)  {'OK' if ratio >= 20 else 'MISSED'}")
    print(
        f"  max relative difference (coef, SE, p): {diff:.2e}   (target <= 1e-9)  "
        f"{'OK' if diff <= 1e-9 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
