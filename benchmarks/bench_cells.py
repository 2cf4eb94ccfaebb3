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

Then the thousands separators ``coerce(..., thousands=True)`` reads in number columns
(``ihms.stats._cells.ungrouped``: since session 18 once per distinct value, the
numbers found kept for the reading; the baseline, kept verbatim, ran it once per cell
with a comma to find them, then once per such cell again to read them), timed alone
and with the whole ``coerce``, on two columns of ``--rows`` yuan amounts:

- ``1,000 amounts``: 1,000 distinct amounts with separators (``12,345.50``) drawn at
  random, one cell in ten without (``880``);
- ``distinct amounts``: every cell a different amount with separators (the worst case).

    .venv/bin/python benchmarks/bench_cells.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ihms.data._cell_text import cell_text, is_blank
from ihms.data._coerce import COERCERS, coerce, without_separators
from ihms.stats._cells import normal_text, ungrouped


def _per_cell(s: pd.Series) -> pd.Series:
    """``cell_text`` before session 18: ``normal_text`` once per non-ASCII cell."""
    text = s.astype("string")
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():
        text = text.mask(wide, text[wide].map(normal_text).astype("string"))
    return text.str.strip()


def _separators_per_cell(s: pd.Series) -> pd.Series:
    """Finding and reading the thousands separators before session 18: ``ungrouped``
    once per cell with a comma, then once per grouped cell again."""
    text = cell_text(s.map(lambda v: v if isinstance(v, str) else None))
    comma = text.str.contains(",", regex=False).fillna(False).astype(bool)
    grouped = pd.Series(False, index=s.index)
    if comma.any():
        grouped[comma] = text[comma].map(lambda v: ungrouped(v) is not None).astype(bool)
    if not grouped.any():
        return s
    return s.mask(grouped, cell_text(s[grouped]).map(ungrouped).astype(object))


def _coerce_per_cell(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``coerce(s, "yuan", thousands=True)`` before session 18."""
    values, bad = COERCERS["yuan"](_separators_per_cell(s))
    return values, bad | (~is_blank(s) & values.isna()).astype(bool)


def _amounts(rows: int) -> dict[str, pd.Series]:
    rng = np.random.default_rng(18)
    drawn = np.array([f"{v:,}.50" for v in rng.integers(1_000, 900_000, 1_000)], dtype=object)
    repeated = pd.Series(drawn[rng.integers(0, len(drawn), rows)])
    repeated[rng.random(rows) < 0.1] = "880"
    distinct = pd.Series([f"{1_000 + i:,}.{i % 100:02d}" for i in range(rows)], dtype=object)
    return {"1,000 amounts": repeated, "distinct amounts": distinct}


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
    print("thousands separators in yuan amounts: finding and reading them; whole coerce")
    for name, column in _amounts(args.rows).items():
        before, expected = _best(_separators_per_cell, column, args.repeat)
        after, got = _best(without_separators, column, args.repeat)
        pd.testing.assert_series_equal(got, expected)
        whole_before, old = _best(_coerce_per_cell, column, args.repeat)
        whole_after, new = _best(lambda s: coerce(s, "yuan", thousands=True), column, args.repeat)
        for a, b in zip(old, new, strict=True):
            pd.testing.assert_series_equal(b, a)
        print(
            f"{name:>18}: per unique value {after:.3f} s, per cell {before:.3f} s "
            f"({before / after:.1f}×); whole coerce {whole_after:.3f} s against "
            f"{whole_before:.3f} s ({whole_before / whole_after:.1f}×); same cells"
        )


if __name__ == "__main__":
    main()
