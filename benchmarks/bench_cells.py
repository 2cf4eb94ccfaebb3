"""Benchmark: the data import's cell normaliser (``ihms.data._cell_text.cell_text``).

Every column ``ihms data import`` reads as numbers, dates, money, vocabularies or yes/no
goes through ``cell_text``: stripped text, full-width forms as ASCII
(``ihms.stats._cells.normal_text`` on each cell that is not ASCII). A county's tables
repeat a few Chinese names down a million rows (乡镇卫生院, 门诊, 是). The baseline,
measured in the same run, is the function before session 18 (``normal_text`` per
non-ASCII cell, then ``Series.mask``), kept here verbatim; the two must give the same
cells. Three columns of ``--rows`` cells (10 % empty in the first):

- ``50 names``: 50 distinct Chinese strings, some with full-width digits and brackets
  and a trailing ideographic space, drawn at random (the case the change is for);
- ``ids + a few wide``: distinct ASCII ids, one cell in 1,000 full-width;
- ``distinct Chinese``: every cell a different Chinese string (the worst case: nothing
  repeats, and the distinct values are found for nothing).

    .venv/bin/python benchmarks/bench_cells.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ihms.data._cell_text import cell_text
from ihms.stats._cells import normal_text


def _per_cell(s: pd.Series) -> pd.Series:
    """``cell_text`` before session 18: ``normal_text`` once per non-ASCII cell."""
    text = s.astype("string")
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():
        text = text.mask(wide, text[wide].map(normal_text).astype("string"))
    return text.str.strip()


def _columns(rows: int) -> dict[str, pd.Series]:
    rng = np.random.default_rng(18)
    names = np.array(
        [
            f"乡镇卫生院{i}号\u3000"
            if i % 3 == 0
            else f"县医院（{i}）"
            if i % 3 == 1
            else f"门诊１２{i}"
            for i in range(50)
        ],
        dtype=object,
    )
    repeated = pd.Series(names[rng.integers(0, len(names), rows)])
    repeated[rng.random(rows) < 0.1] = None
    ids = pd.Series([f"R{i:07d}" for i in range(rows)], dtype=object)
    ids[::1000] = "Ｒ１２３"
    distinct = pd.Series([f"患者{i}\u3000" for i in range(rows)], dtype=object)
    return {"50 names": repeated, "ids + a few wide": ids, "distinct Chinese": distinct}


def _best(fn, s: pd.Series, repeat: int) -> tuple[float, pd.Series]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(s)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.rows:,} cells per column, best of {args.repeat}")
    for name, column in _columns(args.rows).items():
        before, expected = _best(_per_cell, column, args.repeat)
        after, got = _best(cell_text, column, args.repeat)
        pd.testing.assert_series_equal(got, expected)
        print(
            f"{name:>18}: per unique value {after:.3f} s, per cell {before:.3f} s "
            f"({before / after:.1f}×); same cells"
        )


if __name__ == "__main__":
    main()
