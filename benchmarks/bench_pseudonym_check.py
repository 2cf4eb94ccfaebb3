"""Benchmark: the pseudonym form check of a folder marked pseudonymised
(``ihms.data._pseudonym_check.check_pseudonyms``: every id the kind's letter and 20 hex
digits). The baseline, measured in the same run, is the check before session 31 (a
Python ``re`` match per id), kept here verbatim; the two must find the same rows.
``--rows`` resident ids, every one a pseudonym but one raw 身份证号 in 10,000.

    .venv/bin/python benchmarks/bench_pseudonym_check.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import re
import time

import numpy as np
import pandas as pd

from ihms.data._pseudonym_check import _not_of_form
from ihms.data.pseudonym import pseudonym_pattern


def _baseline(values: pd.Series, pattern: str) -> list[int]:
    """The check before session 31, verbatim but for its messages."""
    given = values.notna() & (values.astype("string").str.strip() != "")
    form = re.compile(pattern)

    def as_text(value: object) -> str:
        return value.strip() if isinstance(value, str) else str(value)

    return [
        pos
        for pos, (v, ok) in enumerate(zip(values.tolist(), given.tolist(), strict=True))
        if ok and not form.fullmatch(as_text(v))
    ]


def _best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(31)
    ids = [f"r{x:020x}" for x in rng.integers(0, 2**62, args.rows)]
    for pos in range(0, args.rows, 10_000):
        ids[pos] = "350426195001011234"
    values = pd.Series(ids, dtype=object)
    pattern = pseudonym_pattern("resident")
    assert list(_not_of_form(values, pattern)) == _baseline(values, pattern)
    old = _best(lambda: _baseline(values, pattern), args.repeat)
    new = _best(lambda: _not_of_form(values, pattern), args.repeat)
    print(f"{args.rows:,} resident ids: per-id re {old:.2f} s, Arrow regex {new:.2f} s")


if __name__ == "__main__":
    main()
