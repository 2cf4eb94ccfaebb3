"""The simulator's output tables and where they go.

The engine produces columns of numpy arrays per block and year; the functions here turn
them into Arrow tables with the delivery-system schemas (institutions by id, dates as
dates, money as int64 fen, missing values as nulls), and a sink writes them:
:class:`MemorySink` keeps them (small runs, tests), :class:`ParquetSink` writes one
Parquet dataset per table into a folder that appears only when the run completes,
:class:`NullSink` counts rows and keeps nothing (benchmarks of the engine alone).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ihms.sim._codes import CONDITIONS, ENCOUNTER_TYPES, INPATIENT, SEVERITIES
from ihms.sim.config import SimulationConfig
from ihms.sim.episodes import diagnosis_labels
from ihms.sim.layout import CountyLayout

__all__ = [
    "TABLES",
    "MemorySink",
    "NullSink",
    "ParquetSink",
    "TableSink",
    "encounters_table",
    "followups_table",
    "population_table",
    "referrals_table",
]

TABLES = ("population", "encounters", "referrals", "chronic_followups", "institution_resources")


class TableSink(Protocol):
    """Where simulated tables go. ``write`` may be called many times per table."""

    def write(self, name: str, table: pa.Table) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def _dictionary(codes: np.ndarray, names, *, null_below: int | None = None) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int32)
    mask = codes < null_below if null_below is not None else None
    return pa.DictionaryArray.from_arrays(
        pa.array(np.where(mask, 0, codes) if mask is not None else codes, mask=mask),
        pa.array(list(names), pa.string()),
    )


def _dates(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), pa.date32())


def _nullable(values: np.ndarray, mask: np.ndarray, type_: pa.DataType) -> pa.Array:
    return pa.array(values, type=type_, mask=mask)


def encounters_table(
    cols: dict[str, np.ndarray], layout: CountyLayout, config: SimulationConfig
) -> pa.Table:
    """Encounters: one row per visit, admission, preventive visit or follow-up."""
    ids = layout.institution_ids
    kind = cols["kind"]
    inpatient = kind == INPATIENT
    total = cols["total_fen"]
    insurance = cols["insurance_fen"]
    los = cols["los"].astype(np.int16)
    discharge = cols["date"] + los.astype("timedelta64[D]")
    return pa.table(
        {
            "encounter_id": pa.array(cols["encounter_id"], pa.int64()),
            "resident_id": pa.array(cols["resident_id"], pa.int64()),
            "institution_id": _dictionary(cols["institution"], ids),
            "date": _dates(cols["date"]),
            "type": _dictionary(kind, ENCOUNTER_TYPES),
            "episode_id": _nullable(
                cols["episode"].astype(np.int64), cols["episode"] < 0, pa.int64()
            ),
            "severity": _dictionary(cols["severity"], SEVERITIES, null_below=0),
            "diagnosis_group": pa.array(diagnosis_labels(config, cols["diagnosis"]), pa.string()),
            "total_cost_fen": pa.array(total, pa.int64()),
            "insurance_paid_fen": pa.array(insurance, pa.int64()),
            "out_of_pocket_fen": pa.array(total - insurance, pa.int64()),
            "length_of_stay_days": _nullable(los, ~inpatient, pa.int16()),
            "discharge_date": pa.array(
                discharge.astype("datetime64[D]"), pa.date32(), mask=~inpatient
            ),
            "referred_from": _dictionary(cols["referred_from"], ids, null_below=0),
        }
    )


def referrals_table(cols: dict[str, np.ndarray], layout: CountyLayout) -> pa.Table:
    """Referrals along the pathway: one row per referral, linked to the encounter it led to."""
    ids = layout.institution_ids
    return pa.table(
        {
            "referral_id": pa.array(cols["referral_id"], pa.int64()),
            "resident_id": pa.array(cols["resident_id"], pa.int64()),
            "date": _dates(cols["date"]),
            "from_institution": _dictionary(cols["from"], ids),
            "to_institution": _dictionary(cols["to"], ids),
            "direction": _dictionary(cols["down"].astype(np.int32), ("up", "down")),
            "encounter_id": pa.array(cols["encounter_id"], pa.int64()),
            "episode_id": pa.array(cols["episode"], pa.int64()),
        }
    )


def followups_table(cols: dict[str, np.ndarray], layout: CountyLayout) -> pa.Table:
    """Chronic follow-ups with the measurement taken and whether it was controlled."""
    glucose = cols["glucose"]
    return pa.table(
        {
            "followup_id": pa.array(cols["followup_id"], pa.int64()),
            "encounter_id": pa.array(cols["encounter_id"], pa.int64()),
            "resident_id": pa.array(cols["resident_id"], pa.int64()),
            "institution_id": _dictionary(cols["institution"], layout.institution_ids),
            "date": _dates(cols["date"]),
            "condition": _dictionary(cols["condition"], CONDITIONS),
            "systolic_mmhg": pa.array(cols["systolic"], pa.int16()),
            "diastolic_mmhg": pa.array(cols["diastolic"], pa.int16()),
            "glucose_mmol_l": pa.array(glucose, pa.float64(), mask=np.isnan(glucose)),
            "managed": pa.array(cols["managed"], pa.bool_()),
            "controlled": pa.array(cols["controlled"], pa.bool_()),
        }
    )


def population_table(
    cols: dict[str, np.ndarray], layout: CountyLayout, month_start: np.ndarray
) -> pa.Table:
    """The population register: one row per resident ever present in the period."""
    n_months = len(month_start)
    never = np.int16(9999)
    entry = month_start[cols["entry"]]
    left = cols["exit"] <= n_months
    # A resident who leaves is present in month exit - 1 and gone from month exit on.
    exit_date = month_start[np.clip(cols["exit"] - 1, 0, n_months - 1)] + np.timedelta64(14, "D")
    grid = layout.township_grid[layout.village_township[cols["village"]]]
    return pa.table(
        {
            "resident_id": pa.array(cols["resident_id"], pa.int64()),
            "birth_year": pa.array(cols["birth_year"], pa.int16()),
            "sex": _dictionary(np.where(cols["male"], 0, 1), ("M", "F")),
            "grid": _dictionary(grid, layout.grid_ids),
            "village": pa.array(cols["village"].astype(np.int32), pa.int32()),
            "insured": pa.array(cols["insured"], pa.bool_()),
            "family_physician_since": _nullable(
                cols["fp_since"], cols["fp_since"] == never, pa.int16()
            ),
            "hypertension_since": _nullable(
                cols["ht_since"], cols["ht_since"] == never, pa.int16()
            ),
            "diabetes_since": _nullable(cols["dm_since"], cols["dm_since"] == never, pa.int16()),
            "entry_date": _dates(entry),
            "exit_date": pa.array(exit_date.astype("datetime64[D]"), pa.date32(), mask=~left),
            "exit_reason": _dictionary(
                np.where(left, np.where(cols["died"], 0, 1), -1), ("death", "moved"), null_below=0
            ),
        }
    )


class MemorySink:
    """Keeps every table in memory; :meth:`frames` returns them as pandas DataFrames."""

    def __init__(self) -> None:
        self._parts: dict[str, list[pa.Table]] = {}

    def write(self, name: str, table: pa.Table) -> None:
        self._parts.setdefault(name, []).append(table)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        self._parts.clear()

    def names(self) -> list[str]:
        """Names of the tables written so far."""
        return sorted(self._parts)

    def table(self, name: str) -> pa.Table:
        parts = self._parts.get(name, [])
        if not parts:
            raise KeyError(f"no table {name!r} was written; tables: {sorted(self._parts)}")
        return pa.concat_tables(parts, promote_options="permissive").unify_dictionaries()

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: self.table(name).to_pandas() for name in self._parts}


class NullSink:
    """Counts rows per table and keeps nothing."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    def write(self, name: str, table: pa.Table) -> None:
        self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class ParquetSink:
    """Writes ``<folder>/<table>/part-NNNNN.parquet``; the folder appears only on
    :meth:`close` (written beside it first, then renamed), and :meth:`abort` leaves any
    previous folder untouched."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}-", dir=self.folder.parent))
        self._count: dict[str, int] = {}

    def write(self, name: str, table: pa.Table) -> None:
        n = self._count.get(name, 0)
        (self._tmp / name).mkdir(exist_ok=True)
        pq.write_table(table, self._tmp / name / f"part-{n:05d}.parquet")
        self._count[name] = n + 1

    def close(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self._tmp.rename(self.folder)

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)
