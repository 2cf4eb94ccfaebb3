"""Benchmark: the whole indicator catalogue by month and institution on ten million encounters.

Setup (not timed): a synthetic system of 436 institutions in 8 counties with one million
residents (``ihms.data.synthetic``), encounters at rates giving ~10 million over 48 months,
written to a DuckDB store and exported to Parquet.

Measured, each phase in its own process (so peak memory is the phase's own):

1. **ihms** — ``ihms.indicators.compute(store, level="institution", period="month")``:
   the whole catalogue, every indicator at institution x month or the nearest level and
   period it allows. Time (best of ``--repeat``) and peak resident memory.
   Targets: <= 30 s, <= 4 GB.
2. **pandas** — the same indicators with plain pandas doing the heavy part: the tables
   read from Parquet into DataFrames (load time reported apart), then one filter and
   group-by per measure, as an analyst would write it; the small roll-up is shared with
   ihms, and the two results are checked to be identical. Target: ihms >= 10x faster.
3. **SQL** — the two heaviest indicators (share of outpatient care outside the county by
   grid, the one needing a join of every encounter with the register; and the THC
   ambulatory disease spectrum by institution, a distinct count) as hand-written DuckDB
   queries, against ihms computing the same two. Target: ihms within 2x.

Run ``python benchmarks/bench_indicators.py`` (``--scale 0.1`` for a quick run).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_GB = 4.0
TARGET_PANDAS_RATIO = 10.0
TARGET_SQL_RATIO = 2.0
VISITS_PER_YEAR = {"outpatient": 1.0, "emergency": 0.1, "inpatient": 0.1, "preventive": 0.9}


def _peak_gb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


# -- phases (each runs in a child process) -----------------------------------------------------
def phase_setup(args) -> dict:
    from ihms.data import Store
    from ihms.data.synthetic import SyntheticRates, synthetic_dataset, synthetic_system

    t0 = time.perf_counter()
    system = synthetic_system(population_per_grid=round(25_000 * args.scale))
    rates = SyntheticRates(visits_per_year=VISITS_PER_YEAR)
    dataset = synthetic_dataset(system, seed=20171001, scale=1.0, rates=rates, validate=False)
    generated = time.perf_counter() - t0
    with Store(args.db) as store:
        store.write(dataset)
        store.export(args.parquet)
    return {
        "rows": dataset.row_counts(),
        "institutions": len(system.institutions),
        "generate_s": generated,
        "total_s": time.perf_counter() - t0,
    }


def phase_ihms(args) -> dict:
    from ihms.data import Store
    from ihms.indicators import compute

    stamps: list[tuple[str, float]] = []
    with Store(args.db, read_only=True) as store:

        def run():
            stamps.clear()
            return compute(
                store,
                level="institution",
                period="month",
                progress=lambda what: stamps.append((what, time.perf_counter())),
            )

        seconds, results = _best(run, args.repeat)
    results.to_frame().to_parquet(Path(args.out) / "ihms.parquet")
    steps = {}
    for (what, t), (_, t_next) in itertools.pairwise(stamps):
        steps[what] = round(t_next - t, 3)
    return {"seconds": seconds, "peak_gb": _peak_gb(), "rows": len(results.frame), "steps": steps}


def phase_pandas(args) -> dict:
    import pandas as pd

    from ihms.data import SCHEMAS, Store
    from ihms.indicators import CATALOGUE
    from ihms.indicators.compute import _compute

    t0 = time.perf_counter()
    frames = {name: pd.read_parquet(Path(args.parquet) / f"{name}.parquet") for name in SCHEMAS}
    load = time.perf_counter() - t0
    with Store(args.db, read_only=True) as store:
        # the small tables (structure, resources) for the roll-up, from the store
        from ihms.indicators import IndicatorTables

        tables = IndicatorTables.from_store(store)
        sources = _pandas_sources(frames)
        t1 = time.perf_counter()
        results = _compute(
            tables, list(CATALOGUE), "institution", "month", False, CATALOGUE, None, sources
        )
        seconds = time.perf_counter() - t1
    results.to_frame().to_parquet(Path(args.out) / "pandas.parquet")
    return {"seconds": seconds, "load_s": load, "peak_gb": _peak_gb(), "rows": len(results.frame)}


SQL_OUTSIDE = """
SELECT year(e.date) * 100 + month(e.date) AS period_key, r.grid_id,
       count(*) FILTER (WHERE i.county_id <> g.county_id) AS outside, count(*) AS visits
FROM encounters e
JOIN residents r ON r.resident_id = e.resident_id
JOIN institutions i ON i.institution_id = e.institution_id
JOIN grids g ON g.grid_id = r.grid_id
WHERE e.type IN ('outpatient', 'emergency')
GROUP BY 1, 2
"""
SQL_SPECTRUM = """
SELECT year(e.date) * 100 + month(e.date) AS period_key, e.institution_id,
       count(DISTINCT e.diagnosis_group) AS diagnoses
FROM encounters e JOIN institutions i ON i.institution_id = e.institution_id
WHERE i.tier = 'primary_centre' AND e.type IN ('outpatient', 'emergency')
  AND e.diagnosis_group IS NOT NULL
GROUP BY 1, 2
"""


def phase_sql(args) -> dict:
    from ihms.data import Store
    from ihms.indicators import compute

    runs = {"sql_outside": [], "sql_spectrum": [], "ihms_outside": [], "ihms_spectrum": []}
    with Store(args.db, read_only=True) as store:
        con = store.backend.con  # the same DuckDB connection for both

        def timed(name, fn):
            t0 = time.perf_counter()
            result = fn()
            runs[name].append(time.perf_counter() - t0)
            return result

        # interleaved, so both meet the same machine load; best of --repeat
        for _ in range(args.repeat):
            a = timed("sql_outside", lambda: con.sql(SQL_OUTSIDE).df())
            r1 = timed(
                "ihms_outside",
                lambda: compute(
                    store,
                    indicators=["outpatient_outside_county_share"],
                    level="grid",
                    period="month",
                ),
            )
            b = timed("sql_spectrum", lambda: con.sql(SQL_SPECTRUM).df())
            r2 = timed(
                "ihms_spectrum",
                lambda: compute(
                    store,
                    indicators=["thc_disease_spectrum_ambulatory"],
                    level="institution",
                    period="month",
                ),
            )
    # the hand-written queries and ihms agree
    f1 = r1.to_frame()
    assert int(f1["numerator"].sum()) == int(a["outside"].sum())
    assert int(f1["denominator"].sum()) == int(a["visits"].sum())
    assert int(r2.to_frame()["numerator"].sum()) == int(b["diagnoses"].sum())
    return {name: min(times) for name, times in runs.items()}


# -- the straightforward pandas implementation of the engine's sources --------------------------
def _pandas_sources(frames):
    import numpy as np
    import pandas as pd

    from ihms.indicators._sources import (
        DIABETES_CONTROL_MMOL_L,
        HYPERTENSION_CONTROL_MMHG,
        population_measures,
    )

    def key(dates, period):
        d = pd.to_datetime(dates)
        return (d.dt.year * 100 + d.dt.month) if period == "month" else d.dt.year

    def mask(df, conditions):
        m = pd.Series(True, index=df.index)
        for c in conditions:
            col = df[c.column]
            if c.values is not None:
                m &= col.isin(list(c.values))
            if c.min is not None:
                m &= col >= c.min
            if c.max is not None:
                m &= col <= c.max
        return m

    def per_measure(df, unit, measures):
        # one filter and one group-by per measure
        parts = []
        for m in measures:
            sel = df[mask(df, m.record_where).to_numpy()]
            grouped = sel.groupby(["period_key", unit])
            s = grouped.size() if m.agg == "count" else grouped[m.column].sum()
            parts.append(s.rename(m.engine_key))
        out = pd.concat(parts, axis=1).fillna(0).astype("int64").reset_index()
        return out

    def settled():
        enc = frames["encounters"]
        claims = (
            frames["claims"]
            .groupby("encounter_id")[["insurance_paid_fen", "out_of_pocket_fen"]]
            .sum()
        )
        ins = enc["encounter_id"].map(claims["insurance_paid_fen"])
        oop = enc["encounter_id"].map(claims["out_of_pocket_fen"])
        return enc.assign(
            insurance_paid_fen=ins.fillna(enc["insurance_paid_fen"]).astype("int64"),
            out_of_pocket_fen=oop.fillna(enc["out_of_pocket_fen"]).astype("int64"),
        )

    inst = frames["institutions"].set_index("institution_id")
    care = (
        inst["tier"]
        .map(
            {
                "tertiary": "hospital",
                "secondary": "hospital",
                "primary_centre": "primary",
                "village_clinic": "primary",
            }
        )
        .fillna("other")
    )
    rank = inst["tier"].map(
        {
            "village_clinic": 1,
            "primary_centre": 2,
            "public_health": 2,
            "secondary": 3,
            "tertiary": 4,
        }
    )

    def encounters(t, period, measures):
        enc = settled().assign(period_key=lambda d: key(d["date"], period))
        return per_measure(enc, "institution_id", measures)

    def resident_encounters(t, period, measures):
        enc = settled().merge(frames["residents"][["resident_id", "grid_id"]], on="resident_id")
        res_county = enc["grid_id"].map(frames["grids"].set_index("grid_id")["county_id"])
        enc = enc.assign(
            period_key=key(enc["date"], period),
            tier=enc["institution_id"].map(inst["tier"]),
            care_level=enc["institution_id"].map(care),
            outside_county=enc["institution_id"].map(inst["county_id"]) != res_county,
        )
        return per_measure(enc, "grid_id", measures)

    def referrals(t, period, measures):
        ref = frames["referrals"]
        up = ref["to_institution_id"].map(rank) - ref["from_institution_id"].map(rank)
        ref = ref.assign(
            period_key=key(ref["date"], period),
            institution_id=ref["from_institution_id"],
            direction=np.select([up > 0, up < 0], ["up", "down"], "lateral"),
        )
        return per_measure(ref, "institution_id", measures)

    def diagnoses(t, period, measures):
        enc = frames["encounters"]
        enc = enc[enc["diagnosis_group"].notna()].assign(
            period_key=lambda d: key(d["date"], period)
        )
        amb = (
            enc[enc["type"].isin(["outpatient", "emergency"])]
            .groupby(["period_key", "institution_id"])["diagnosis_group"]
            .nunique()
        )
        inp = (
            enc[enc["type"] == "inpatient"]
            .groupby(["period_key", "institution_id"])["diagnosis_group"]
            .nunique()
        )
        per = (
            pd.concat(
                [amb.rename("ambulatory_diagnoses"), inp.rename("inpatient_diagnoses")], axis=1
            )
            .fillna(0)
            .reset_index()
        )
        return per_measure(per, "institution_id", measures)

    def chronic_patients(t, period, measures):
        fu = frames["followups"].assign(period_key=lambda d: pd.to_datetime(d["date"]).dt.year)
        keys = ["period_key", "resident_id", "condition"]
        # follow-up days, not records: two records of one day are one visit
        counts = fu.groupby(keys)["date"].nunique().rename("followups")
        ht = fu["condition"] == "hypertension"
        measured = fu[
            np.where(
                ht,
                fu["systolic_mmhg"].notna() & fu["diastolic_mmhg"].notna(),
                fu["fasting_glucose_mmol_l"].notna(),
            )
        ]
        # the last day's readings; several on it count as the lowest of each
        on_last = measured[measured["date"] == measured.groupby(keys)["date"].transform("max")]
        readings = ["systolic_mmhg", "diastolic_mmhg", "fasting_glucose_mmol_l"]
        last = on_last.groupby(keys, as_index=False)[readings].min()
        sbp, dbp = HYPERTENSION_CONTROL_MMHG
        ok = np.where(
            last["condition"] == "hypertension",
            (last["systolic_mmhg"] < sbp) & (last["diastolic_mmhg"] < dbp),
            last["fasting_glucose_mmol_l"] < DIABETES_CONTROL_MMOL_L,
        )
        last = last.assign(controlled=pd.Series(ok, index=last.index).fillna(False).astype(bool))
        patients = counts.reset_index().merge(last[[*keys, "controlled"]], on=keys, how="left")
        patients["controlled"] = patients["controlled"].fillna(False).astype(bool)
        res = frames["residents"][["resident_id", "grid_id", "hypertension", "diabetes"]]
        patients = patients.merge(res, on="resident_id")
        keep = ((patients["condition"] == "hypertension") & patients["hypertension"]) | (
            (patients["condition"] == "diabetes") & patients["diabetes"]
        )
        return per_measure(patients[keep.to_numpy()], "grid_id", measures)

    def population(t, period, measures, periods):
        res = frames["residents"]
        entry = key(res["entry_date"], period).fillna(0)
        exit_ = key(res["exit_date"], period).fillna(10**9)
        insured = res["insured"].fillna(False).astype(bool)  # unknown: not insured, as ihms
        keyed = {"grid_id": res["grid_id"], "entry_key": entry, "exit_key": exit_}
        grouped = pd.DataFrame({**keyed, "insured": insured}).value_counts()
        grouped = grouped.rename("n").reset_index()
        # the start and end counts from residents grouped by entry and exit, as ihms
        return population_measures(grouped, measures, periods)

    return {
        "encounters": encounters,
        "resident_encounters": resident_encounters,
        "referrals": referrals,
        "diagnoses": diagnoses,
        "chronic_patients": chronic_patients,
        "population": population,
    }


# -- orchestration -------------------------------------------------------------------------------
PHASES = {"setup": phase_setup, "ihms": phase_ihms, "pandas": phase_pandas, "sql": phase_sql}


def _child(phase: str, args) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--db",
        args.db,
        "--parquet",
        args.parquet,
        "--out",
        args.out,
        "--scale",
        str(args.scale),
        "--repeat",
        str(args.repeat),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Population scale (1.0: one million residents)."
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="Best of this many runs for the timed parts."
    )
    parser.add_argument(
        "--workdir", default=None, help="Where to put the store (default: a temporary folder)."
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="ihms-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.db, args.parquet, args.out = str(work / "bench.duckdb"), str(work / "parquet"), str(work)
    if os.path.exists(args.db):
        os.remove(args.db)
    try:
        _compare(args, work)
    finally:
        if not args.workdir:  # a temporary folder: its store is gigabytes at full scale
            shutil.rmtree(work, ignore_errors=True)


def _compare(args: argparse.Namespace, work: Path) -> None:
    """Build the store, run the three phases side by side and print the ratios."""
    print(f"bench_indicators: scale {args.scale}, best of {args.repeat}, work folder {work}")
    setup = _child("setup", args)
    rows = setup["rows"]
    print(
        f"setup (not timed): {rows['encounters']:,} encounters, {rows['residents']:,} residents, "
        f"{setup['institutions']} institutions, {rows['followups']:,} follow-ups; "
        f"generated in {setup['generate_s']:.1f} s, stored in {setup['total_s']:.1f} s"
    )
    ihms = _child("ihms", args)
    print(
        f"ihms: whole catalogue by institution x month in {ihms['seconds']:.2f} s, peak {ihms['peak_gb']:.2f} GB, {ihms['rows']:,} rows"
    )
    print("      engine steps (s): " + ", ".join(f"{k} {v}" for k, v in ihms["steps"].items()))
    pandas_ = _child("pandas", args)
    import pandas as pd

    a = pd.read_parquet(Path(args.out) / "ihms.parquet")
    b = pd.read_parquet(Path(args.out) / "pandas.parquet")
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    print(
        f"pandas: same catalogue in {pandas_['seconds']:.2f} s (+ {pandas_['load_s']:.1f} s reading Parquet), "
        f"peak {pandas_['peak_gb']:.2f} GB; results identical to ihms"
    )
    sql = _child("sql", args)
    sql_total = sql["sql_outside"] + sql["sql_spectrum"]
    ihms_total = sql["ihms_outside"] + sql["ihms_spectrum"]
    print(
        f"two heaviest indicators: hand-written DuckDB SQL {sql['sql_outside']:.2f} + {sql['sql_spectrum']:.2f} s, "
        f"ihms {sql['ihms_outside']:.2f} + {sql['ihms_spectrum']:.2f} s"
    )

    ratio_pandas = pandas_["seconds"] / ihms["seconds"]
    ratio_sql = ihms_total / sql_total
    seconds, gb = ihms["seconds"], ihms["peak_gb"]
    checks = [
        (
            "time, whole catalogue",
            f"{seconds:.2f} s",
            f"<= {TARGET_SECONDS:.0f} s",
            seconds <= TARGET_SECONDS,
        ),
        ("peak memory", f"{gb:.2f} GB", f"<= {TARGET_GB:.0f} GB", gb <= TARGET_GB),
        (
            "pandas / ihms",
            f"{ratio_pandas:.1f}x",
            f">= {TARGET_PANDAS_RATIO:.0f}x",
            ratio_pandas >= TARGET_PANDAS_RATIO,
        ),
        (
            "ihms / hand SQL",
            f"{ratio_sql:.2f}x",
            f"<= {TARGET_SQL_RATIO:.0f}x",
            ratio_sql <= TARGET_SQL_RATIO,
        ),
    ]
    print()
    print(f"{'measure':24} {'got':>10} {'target':>10}  met")
    for name, got, target, ok in checks:
        print(f"{name:24} {got:>10} {target:>10}  {'yes' if ok else 'NO'}")
    print("(2 cores shared with other work; absolute times are pessimistic, ratios are what count)")


if __name__ == "__main__":
    main()
