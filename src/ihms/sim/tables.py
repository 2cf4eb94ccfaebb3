"""The simulator's output: the data layer's tables.

The engine produces columns of numpy arrays per block and year; the converters here turn
them into Arrow tables typed exactly as :data:`ihms.data.SCHEMAS` says (ids as text,
dates as dates, money as int64 fen, missing values as nulls), so the indicators, the
payment engine and the ITS read simulated data exactly as they read imported data. Two
tables the schema has no place for are written beside them for analyses of the
simulation itself: ``encounter_details`` (each illness encounter's episode and severity)
and ``staff`` (the simulated staff roster, :mod:`ihms.sim.staff`).

Where the tables go — a DuckDB store, Parquet files, memory — is :mod:`ihms.sim.sinks`
(its sinks are importable from here too).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ihms.data import SCHEMAS
from ihms.sim import sinks
from ihms.sim._codes import CONDITIONS, ENCOUNTER_TYPES, INPATIENT, SEVERITIES
from ihms.sim.config import SimulationConfig
from ihms.sim.episodes import diagnosis_labels
from ihms.sim.layout import CountyLayout
from ihms.sim.sinks import (  # noqa: F401  (importable from here, as before the split)
    EXTRA_TABLES,
    MemorySink,
    NullSink,
    ParquetSink,
    RunInfo,
    StoreSink,
    TableSink,
)

__all__ = [
    *sinks.__all__,
    "encounters_table",
    "followups_table",
    "referrals_table",
    "residents_table",
]


def _ids(values: np.ndarray, *, repeated: bool = False) -> pa.Array:
    """Integer ids as text. Ids that repeat (residents) are converted once each."""
    values = np.asarray(values, np.int64)
    if not repeated:
        return pc.cast(pa.array(values), pa.string())
    lo, hi = int(values.min(initial=0)), int(values.max(initial=0))
    if hi - lo < 4 * len(values) + 1024:  # a block range: index into it, no sorting
        text = pc.cast(pa.array(np.arange(lo, hi + 1, dtype=np.int64)), pa.string())
        return pc.take(text, pa.array(values - lo))
    unique, inverse = np.unique(values, return_inverse=True)
    return pc.take(pc.cast(pa.array(unique), pa.string()), pa.array(inverse.astype(np.int32)))


def _names(codes: np.ndarray, names, *, null_below: int | None = None) -> pa.Array:
    """Text values for integer codes (``null`` where a code is below ``null_below``)."""
    codes = np.asarray(codes, dtype=np.int32)
    mask = codes < null_below if null_below is not None else None
    indices = pa.array(np.where(mask, 0, codes) if mask is not None else codes, mask=mask)
    return pc.take(pa.array(list(names), pa.string()), indices)


def _dates(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), pa.date32(), mask=mask)


def _table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    return pa.table(columns, schema=SCHEMAS[name].to_arrow())


def encounters_table(
    cols: dict[str, np.ndarray], layout: CountyLayout, config: SimulationConfig
) -> pa.Table:
    """Encounters: visits, admissions, preventive visits and follow-ups."""
    ids = layout.institution_ids
    inpatient = cols["kind"] == INPATIENT
    total, insurance = cols["total_fen"], cols["insurance_fen"]
    return _table(
        "encounters",
        {
            "encounter_id": _ids(cols["encounter_id"]),
            "resident_id": _ids(cols["resident_id"], repeated=True),
            "institution_id": _names(cols["institution"], ids),
            "date": _dates(cols["date"]),
            "type": _names(cols["kind"], ENCOUNTER_TYPES),
            "diagnosis_group": pa.array(diagnosis_labels(config, cols["diagnosis"]), pa.string()),
            "total_cost_fen": pa.array(total, pa.int64()),
            "insurance_paid_fen": pa.array(insurance, pa.int64()),
            "out_of_pocket_fen": pa.array(total - insurance, pa.int64()),
            "length_of_stay_days": pa.array(
                cols["los"].astype(np.int32), pa.int32(), mask=~inpatient
            ),
            "referred_from_id": _names(cols["referred_from"], ids, null_below=0),
            "referred_to_id": _names(cols["referred_to"], ids, null_below=0),
        },
    )


def encounter_details_table(cols: dict[str, np.ndarray]) -> pa.Table:
    """The simulation's own detail of illness encounters: episode and severity."""
    ill = cols["episode"] >= 0
    return pa.table(
        {
            "encounter_id": _ids(cols["encounter_id"][ill]),
            "episode_id": pa.array(cols["episode"][ill], pa.int64()),
            "severity": _names(cols["severity"][ill], SEVERITIES),
        }
    )


def referrals_table(
    cols: dict[str, np.ndarray], layout: CountyLayout, config: SimulationConfig
) -> pa.Table:
    """Referrals along the pathway, each linked to the encounter it was made at."""
    ids = layout.institution_ids
    return _table(
        "referrals",
        {
            "referral_id": _ids(cols["referral_id"]),
            "resident_id": _ids(cols["resident_id"], repeated=True),
            "date": _dates(cols["date"]),
            "from_institution_id": _names(cols["from"], ids),
            "to_institution_id": _names(cols["to"], ids),
            "diagnosis_group": pa.array(diagnosis_labels(config, cols["diagnosis"]), pa.string()),
            "encounter_id": _ids(cols["encounter_id"]),
        },
    )


def followups_table(cols: dict[str, np.ndarray], layout: CountyLayout) -> pa.Table:
    """Chronic follow-ups with the measurement taken (management and control are
    derived from these rows by the indicators)."""
    glucose = cols["glucose"]
    return _table(
        "followups",
        {
            "followup_id": _ids(cols["encounter_id"]),
            "resident_id": _ids(cols["resident_id"], repeated=True),
            "institution_id": _names(cols["institution"], layout.institution_ids),
            "date": _dates(cols["date"]),
            "condition": _names(cols["condition"], CONDITIONS),
            "systolic_mmhg": pa.array(cols["systolic"], pa.int16()),
            "diastolic_mmhg": pa.array(cols["diastolic"], pa.int16()),
            "fasting_glucose_mmol_l": pa.array(glucose, pa.float64(), mask=np.isnan(glucose)),
            "encounter_id": _ids(cols["encounter_id"]),
        },
    )


def residents_table(
    cols: dict[str, np.ndarray], layout: CountyLayout, month_start: np.ndarray
) -> pa.Table:
    """The population register: one row per resident ever present in the period.

    Residents present from the first month have no entry date ("before the data");
    a resident who leaves in month ``m`` has exit date the first day of month ``m + 1``,
    so every record of month ``m`` falls before it. The family-physician columns describe
    the resident's last year present; ``fp_registered_date`` is the first day of month
    ``fp_since`` (the first month of the unbroken run of registered years up to that
    year, or the arrival if later). A registration in force from the run's first month
    is dated at the period's start: the simulator has no earlier history. Counted on
    month ends, these dates give the run's registered resident-months exactly unless a
    resident's registration lapsed and resumed (only the current one is recorded).
    """
    n_months = len(month_start)
    after_end = (month_start[-1].astype("datetime64[M]") + 1).astype("datetime64[D]")
    starts = np.concatenate([month_start, [after_end]])
    left = cols["exit"] <= n_months
    fp = cols["fp_institution"]
    return _table(
        "residents",
        {
            "resident_id": _ids(cols["resident_id"], repeated=True),
            "birth_year": pa.array(cols["birth_year"], pa.int16()),
            "sex": _names(np.where(cols["male"], 0, 1), ("M", "F")),
            "grid_id": _names(layout.village_grid[cols["village"]], layout.grid_ids),
            "insured": pa.array(cols["insured"], pa.bool_()),
            "fp_registered": pa.array(fp >= 0, pa.bool_()),
            "fp_registered_date": _dates(month_start[cols["fp_since"]], mask=fp < 0),
            "fp_institution_id": _names(fp, layout.institution_ids, null_below=0),
            "hypertension": pa.array(cols["hypertension"], pa.bool_()),
            "diabetes": pa.array(cols["diabetes"], pa.bool_()),
            "entry_date": _dates(month_start[cols["entry"]], mask=cols["entry"] == 0),
            "exit_date": _dates(starts[np.minimum(cols["exit"], n_months)], mask=~left),
        },
    )
