"""Benchmark: the county simulator, Youxi size and 5 million residents.

Each run happens in a fresh Python process, which reports its wall time, the resident-
months simulated and its own peak resident memory (``ru_maxrss``):

1. Youxi size (about 363,000 residents, 48 months, ``examples/youxi_sim.yaml``) written
   to a DuckDB store (``ihms sim run``'s default) — the issue's 60-second target;
2. Youxi size streamed to Parquet — the baseline of the scaling comparison;
3. ``--residents`` (default 5 million) streamed to Parquet: it must cost about the same
   per resident-month as the baseline (the engine is linear) and its peak memory must
   stay close to the baseline's (bounded by the chunk, not by the county: blocks of
   residents are regenerated from their seeds instead of being kept).

The DuckDB store holds the whole data set in memory before its single transaction, so
large counties are written as Parquet (``ihms sim run --format parquet``). Parquet files
go to a temporary folder that is deleted afterwards; ``--sink null`` keeps nothing (the
engine alone) for runs 2 and 3.

Targets (issue 7): Youxi-size run <= 60 s; 5 million residents run with bounded memory.

Run: ``.venv/bin/python benchmarks/bench_sim.py [--residents 5000000] [--sink parquet]``
(``make bench`` runs it with the defaults; ``--residents 1000000`` for a quicker look).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "youxi_sim.yaml"
YOUXI_TARGET_S = 60.0


def child(residents: int | None, sink_kind: str, chunk: int) -> None:
    """Run one simulation in this process and print its measurements as JSON."""
    from ihms.sim import CountySimulation, NullSink, ParquetSink, StoreSink, load_sim_config

    config = load_sim_config(CONFIG)
    with tempfile.TemporaryDirectory(prefix="bench-sim-") as tmp:
        sinks = {
            "null": lambda: NullSink(),
            "parquet": lambda: ParquetSink(Path(tmp) / "tables"),
            # as `ihms sim run` writes it: valid by construction, not re-validated
            "store": lambda: StoreSink(Path(tmp) / "ihms.duckdb", validate=False),
        }
        sink = sinks[sink_kind]()
        start = time.perf_counter()
        results = CountySimulation(config, residents=residents).run(
            sink=sink, chunk_residents=chunk
        )
        seconds = time.perf_counter() - start
        written = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "residents": results.residents,
                "resident_months": results.resident_months,
                "encounters": int(results.tally.count.sum()),
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "written_mib": written / 2**20,
            }
        )
    )


def measure(residents: int | None, sink_kind: str, chunk: int) -> dict:
    cmd = [sys.executable, __file__, "--child", "--sink", sink_kind, "--chunk", str(chunk)]
    cmd += ["--residents", str(residents or 0)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=5_000_000)
    parser.add_argument("--sink", choices=["parquet", "null", "store"], default="parquet")
    parser.add_argument("--chunk", type=int, default=65_536, help="residents per chunk")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.residents or None, args.sink, args.chunk)
        return

    print(f"county simulator benchmark — sink: {args.sink}, chunk: {args.chunk:,} residents")
    store = measure(None, "store", args.chunk)
    base = measure(None, args.sink, args.chunk)
    big = measure(args.residents, args.sink, args.chunk)
    rows = [
        ("Youxi size -> DuckDB store", store),
        (f"Youxi size -> {args.sink} (baseline)", base),
        (f"{args.residents:,} residents -> {args.sink}", big),
    ]
    head = (
        f"{'run':<36}{'residents':>12}{'encounters':>14}{'s':>8}{'peak MiB':>10}"
        f"{'s per M res-mo':>16}{'MiB per M res-mo':>18}"
    )
    print(head)
    print("-" * len(head))
    for name, r in rows:
        m = r["resident_months"] / 1e6
        print(
            f"{name:<36}{r['residents']:>12,}{r['encounters']:>14,}{r['seconds']:>8.1f}"
            f"{r['peak_mib']:>10.0f}{r['seconds'] / m:>16.3f}{r['peak_mib'] / m:>18.2f}"
        )
    per_rm = (big["seconds"] / big["resident_months"]) / (base["seconds"] / base["resident_months"])
    mem = big["peak_mib"] / base["peak_mib"]
    size = big["resident_months"] / base["resident_months"]
    print()
    print(f"time per resident-month, large / baseline: {per_rm:.2f}  (linear engine: about 1)")
    print(
        f"peak memory, large / baseline: {mem:.2f} for {size:.1f}x the resident-months "
        "(bounded: about 1)"
    )
    print(
        f"target: Youxi-size run <= {YOUXI_TARGET_S:.0f} s — measured {store['seconds']:.1f} s "
        f"to a DuckDB store ({'met' if store['seconds'] <= YOUXI_TARGET_S else 'NOT met'}), "
        f"{base['seconds']:.1f} s to {args.sink}"
    )
    print(
        f"target: {args.residents:,} residents in bounded memory — peak {big['peak_mib']:.0f} MiB, "
        f"{mem:.2f}x the Youxi-size baseline's"
    )


if __name__ == "__main__":
    main()
