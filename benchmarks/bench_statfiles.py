"""Benchmark: Stata dates read from a ``.dta`` file's counts into ISO text.

``ihms._stat_dates.stata_dates`` converts a ``%tm``, ``%td``, ``%tc`` or ``%tC`` column
whole (numpy datetimes); the baseline, measured in the same run, is the row loop it
replaced (one ``pd.Timestamp`` per cell), kept here verbatim. Both must give the same
text for every cell of 1,000,000 rows (10 % missing).

    .venv/bin/python benchmarks/bench_statfiles.py [--rows N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ihms._stat_dates import _EPOCH, stata_clock, stata_dates

#: A count range for each format: 1970-2030 in its unit.
_RANGES = {
    "%tm": (120, 840),
    "%td": (3_653, 25_567),
    "%tc": (3_653 * 86_400_000, 25_567 * 86_400_000),
    "%tC": (3_653 * 86_400_000, 25_567 * 86_400_000),
}


def _row_loop(values: pd.Series, kind: str) -> list:
    """The reader before session 17: one Python step per cell."""
    if kind == "m":
        return [
            None if pd.isna(v) else f"{1960 + int(v) // 12:04d}-{int(v) % 12 + 1:02d}"
            for v in values
        ]
    if kind == "d":
        return [
            None if pd.isna(v) else (_EPOCH + pd.Timedelta(days=int(v))).strftime("%Y-%m-%d")
            for v in values
        ]
    return [
        None
        if pd.isna(v)
        else stata_clock(v, leap_seconds=kind == "C").strftime("%Y-%m-%d %H:%M:%S")
        for v in values
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    rng = np.random.default_rng(17)
    print(f"{rows:,} rows per column, 10 % missing")
    for fmt, (low, high) in _RANGES.items():
        counts = rng.integers(low, high, rows).astype(float)
        counts[rng.random(rows) < 0.1] = np.nan
        frame = pd.DataFrame({"when": counts})
        start = time.perf_counter()
        ours = stata_dates(frame, {"when": fmt}, times=True)["when"]
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        loop = _row_loop(frame["when"], fmt[2])
        loop_s = time.perf_counter() - start
        same = ours.fillna("").tolist() == [v or "" for v in loop]
        print(
            f"{fmt}: whole column {ours_s:.3f} s, row loop {loop_s:.2f} s "
            f"({loop_s / ours_s:.0f}× faster), same text: {same}"
        )
        if not same:
            raise SystemExit(f"{fmt}: the whole-column reading differs from the row loop")


if __name__ == "__main__":
    main()
