"""Benchmark the payment engine's data path (a plain script, not a test).

1. Deriving a spending table from encounter-level data (``spending_from_encounters``,
   vectorised pandas) against a straightforward Python loop over the same rows, measured
   in the same run on 2 million encounters.
2. Settling a year and posting it to the SQLite ledger: settlements per second, and the
   cost of an idempotent re-post (which must write nothing).

There is no numeric target in the issue; the ratios are printed for the record.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ihms.payment import (
    IndicatorValues,
    Ledger,
    PopulationTable,
    SpendingTable,
    StaffRoster,
    load_rules,
    settle_year,
    settlement_inputs,
    spending_from_encounters,
)

ROOT = Path(__file__).resolve().parents[1]
N = 2_000_000


def encounters(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    inst = (
        [f"CH{i:02d}" for i in range(3)]
        + [f"THC{i:02d}" for i in range(23)]
        + ["OUT1", "OUT2", "PRIV1"]
    )
    settings = ["consortium"] * 26 + ["outside_county"] * 2 + ["private"]
    total = rng.integers(2_000, 500_000, n)
    paid = (total * rng.uniform(0.4, 0.8, n)).astype("int64")
    days = rng.integers(0, 4 * 365, n)
    frame = pd.DataFrame(
        {
            "resident_id": rng.integers(0, 360_000, n).astype(str),
            "institution_id": np.array(inst)[rng.integers(0, len(inst), n)],
            "date": pd.Timestamp("2016-01-01") + pd.to_timedelta(days, unit="D"),
            "encounter_type": "outpatient",
            "total_cost_fen": total,
            "insurance_paid_fen": paid,
            "out_of_pocket_fen": total - paid,
        }
    )
    return frame, pd.DataFrame({"institution_id": inst, "setting": settings})


def loop_baseline(frame: pd.DataFrame, institutions: pd.DataFrame) -> dict:
    setting = dict(zip(institutions["institution_id"], institutions["setting"], strict=True))
    sums: dict[tuple[int, str], int] = {}
    for d, i, p in zip(
        frame["date"], frame["institution_id"], frame["insurance_paid_fen"], strict=True
    ):
        if setting.get(i) is None or p < 0:
            raise ValueError(i)
        key = (d.year, i)
        sums[key] = sums.get(key, 0) + int(p)
    return sums


def main() -> None:
    frame, inst = encounters(N)
    t0 = time.perf_counter()
    table = spending_from_encounters(frame, inst)
    t_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    sums = loop_baseline(frame, inst)
    t_loop = time.perf_counter() - t0
    check = table.to_frame().set_index(["year", "institution_id"])["insurance_paid_fen"].to_dict()
    assert check == {k: v for k, v in sums.items()}, "vectorised and loop results differ"
    print(
        f"spending_from_encounters, {N:,} encounters: {t_vec:.2f} s "
        f"(validated, aggregated); Python loop baseline (no validation): {t_loop:.2f} s; "
        f"speed-up {t_loop / t_vec:.1f}x"
    )

    ex = ROOT / "examples" / "payment"
    sp, pop = SpendingTable.read(ex / "spending.csv"), PopulationTable.read(ex / "population.csv")
    ind, staff = IndicatorValues.read(ex / "indicators.csv"), StaffRoster.read(ex / "staff.csv")
    rules = load_rules("sanming")
    n_scopes = 40
    with tempfile.TemporaryDirectory() as tmp, Ledger(Path(tmp) / "l.sqlite") as ledger:
        t0 = time.perf_counter()
        records = []
        for _ in range(n_scopes):
            for y in (2017, 2018, 2019):
                inputs = settlement_inputs(
                    rules, y, spending=sp, population=pop, indicators=ind, staff=staff
                )
                records.append(settle_year(rules, inputs))
        t_settle = time.perf_counter() - t0
        t0 = time.perf_counter()
        for k, rec in enumerate(records):
            ledger.post(rec, scope=f"county-{k // 3}")
        t_post = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = [ledger.post(rec, scope=f"county-{k // 3}") for k, rec in enumerate(records)]
        t_repost = time.perf_counter() - t0
        assert all(r.status == "unchanged" for r in again)
        n_postings = len(ledger.postings())
    n = len(records)
    print(f"settle_year: {n} settlements in {t_settle:.2f} s ({n / t_settle:.0f}/s)")
    print(
        f"ledger post: {n} batches, {n_postings:,} postings in {t_post:.2f} s ({n / t_post:.0f} batches/s); "
        f"idempotent re-post {t_repost:.2f} s (ratio re-post/post {t_repost / t_post:.2f})"
    )


if __name__ == "__main__":
    main()
