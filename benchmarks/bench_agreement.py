"""Benchmark: the agreement statistics at coding-project sizes.

Prints, all measured in this run:

1. Krippendorff's alpha bootstrap (1,000 resamples of units) — ihms's vectorised
   resampling against the baseline a researcher would write: ``scipy.stats.bootstrap``
   over units with the ``krippendorff`` package as the statistic (the same resamples:
   both draw from ``numpy.random.default_rng(seed)``, so the numbers agree too);
2. Gwet's AC1 with its SE on the same table;
3. ``agreement_report`` with and without ``n_boot=1000`` on a two-coder project of
   2,000 segments and 12 present/absent categories.

No target is set in the brief; the report is interactive, so a second or two is the aim.

    .venv/bin/python benchmarks/bench_agreement.py
"""

from __future__ import annotations

import time

import krippendorff
import numpy as np
import pandas as pd
from scipy import stats

from ihms.stats import agreement_report, gwet_ac1, krippendorff_alpha_bootstrap

N_BOOT = 1000


def _ratings(units: int, coders: int, categories: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, categories, units)
    cols = [
        np.where(rng.random(units) < 0.85, truth, rng.integers(0, categories, units))
        for _ in range(coders)
    ]
    return np.column_stack(cols).astype(float)


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    data = _ratings(units=500, coders=3, categories=6)
    ours_s, ours = _timed(lambda: krippendorff_alpha_bootstrap(data, n_boot=N_BOOT, seed=1))
    base_s, base = _timed(
        lambda: stats.bootstrap(
            (np.arange(len(data)),),
            lambda idx: krippendorff.alpha(
                reliability_data=data[idx].T, level_of_measurement="nominal"
            ),
            vectorized=False,
            n_resamples=N_BOOT,
            method="percentile",
            rng=np.random.default_rng(1),
        )
    )
    same = np.allclose(ours.distribution, base.bootstrap_distribution, atol=1e-12)
    print(f"alpha bootstrap, 500 units x 3 coders, {N_BOOT:,} resamples:")
    print(f"  ihms {ours_s:.3f} s   scipy + krippendorff {base_s:.3f} s   "
          f"ratio {base_s / ours_s:.1f}x   same resamples and alphas: {same}")  # fmt: skip
    ac1_s, ac1 = _timed(lambda: gwet_ac1(data))
    print(f"Gwet's AC1 with SE, same table: {1000 * ac1_s:.1f} ms (AC1 {ac1.estimate:.3f})")

    rng = np.random.default_rng(2)
    cats = [f"c{i}" for i in range(12)]
    rows = []
    for seg in range(2000):
        truth = frozenset(c for c in cats if rng.random() < 0.15)
        for coder in ("A", "B"):
            noisy = {c for c in cats if (c in truth) != (rng.random() < 0.03)}
            rows.append({"unit": seg, "coder": coder, "code": ";".join(sorted(noisy))})
    codings = pd.DataFrame(rows)
    plain_s, _ = _timed(lambda: agreement_report(codings, multi_label=True))
    boot_s, _ = _timed(lambda: agreement_report(codings, multi_label=True, n_boot=N_BOOT))
    print("agreement_report, 2,000 segments x 2 coders, 12 categories:")
    print(f"  without bootstrap {plain_s:.2f} s   with n_boot={N_BOOT:,} {boot_s:.2f} s")


if __name__ == "__main__":
    main()
