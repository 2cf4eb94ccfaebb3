"""Benchmark: naming the claims of a Synthea ``claims_transactions.csv``
(``ihms.data.adapters._synthea_claims.ClaimRecords``: each claim's first row, CLAIMID
and PAYMENT rows, which a problem of the ``claims`` table names). The baseline, measured
in the same run, is the naming of session 31's first version (one message per claim,
made at import), kept here verbatim; both must word the claims a check names alike.
``--claims`` claims of 3 rows each (CHARGE, PAYMENT, PAYMENT); 100 claims are looked
up, as a check names at most 100 rows.

    .venv/bin/python benchmarks/bench_synthea_claims.py [--claims N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ihms.data.adapters._synthea_claims import ClaimRecords, _payment_rows

_FILE_ROW = "_row"


def _baseline(tx: pd.DataFrame, is_pay: pd.Series) -> dict[int, str]:
    """The eager naming before the change, verbatim."""
    by_claim = tx.groupby("CLAIMID", sort=True)
    at = by_claim[_FILE_ROW].min().astype(np.int64)
    payments = tx[_FILE_ROW].where(is_pay).dropna().astype(np.int64)
    paid_at = payments.groupby(tx.loc[payments.index, "CLAIMID"]).agg(list)
    return {
        int(at[claim]): f"the first row of claim {claim}; " + _payment_rows(paid_at.get(claim, []))
        for claim in at.index
    }


def _lazy(tx: pd.DataFrame, is_pay: pd.Series) -> ClaimRecords:
    """As ``read_synthea`` builds it."""
    by_claim = tx.groupby("CLAIMID", sort=True)
    at = by_claim[_FILE_ROW].min().astype(np.int64)
    return ClaimRecords(
        at.index,
        at.to_numpy(),
        by_claim.ngroup().to_numpy(),
        tx[_FILE_ROW].to_numpy(),
        is_pay.to_numpy(dtype=bool, na_value=False),
    )


def _best(run, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    n = args.claims
    rng = np.random.default_rng(31)
    ids = np.char.add("c", rng.permutation(n).astype(str))
    tx = pd.DataFrame(
        {
            "CLAIMID": np.repeat(ids, 3),
            _FILE_ROW: np.arange(2, 3 * n + 2),
            "TYPE": np.tile(["CHARGE", "PAYMENT", "PAYMENT"], n),
        }
    )
    is_pay = tx["TYPE"] == "PAYMENT"
    old, eager = _best(lambda: _baseline(tx, is_pay), args.repeat)
    new, lazy = _best(lambda: _lazy(tx, is_pay), args.repeat)
    named = [int(r) for r in rng.choice(tx[_FILE_ROW].to_numpy()[::3], 100)]
    start = time.perf_counter()
    got = [lazy.get(r) for r in named]
    look = time.perf_counter() - start
    assert got == [eager.get(r) for r in named] and len(lazy) == len(eager)
    print(
        f"{n:,} claims: every message at import {old:.2f} s, "
        f"lazy {new:.2f} s + 100 look-ups {look * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
