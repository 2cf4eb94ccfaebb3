"""The heavy part of the indicators, written once as Ibis expressions.

For each source and period type, one query groups the records by period and by their
finest unit (the institution for institution-basis sources, the grid of residence for
resident-basis ones) and computes every needed measure as a conditional aggregate, in
one scan. The result is small (periods x units) and comes back as pandas; everything
after that (institution filters, roll-up to tiers, counties and consortia, ratios) is
done by :mod:`ihms.indicators.compute` on those small frames, the same way whichever
engine ran the query. The same expressions run on DuckDB and on PySpark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ihms.data.dataset import Period
from ihms.data.settled import settled_encounters
from ihms.indicators.catalogue import Condition, Measure

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["DIABETES_CONTROL_MMOL_L", "HYPERTENSION_CONTROL_MMHG", "IndicatorTables"]

# WHO HEARTS: blood pressure controlled when below 140/90 mmHg at the last visit.
HYPERTENSION_CONTROL_MMHG = (140, 90)
# Fasting plasma glucose target of WHO HEARTS-D and China's NBPHS standard (2017).
DIABETES_CONTROL_MMOL_L = 7.0

UNIT0 = {"institution": "institution_id", "resident": "grid_id"}


@dataclass(frozen=True)
class IndicatorTables:
    """The tables the indicators read, as Ibis tables of one backend, plus the period.

    Build it from a store with :meth:`from_store`, or from any Ibis backend holding the
    schema's tables (a PySpark session, say) with :meth:`from_backend`.
    """

    tables: Mapping[str, ibis.Table]
    period: Period

    @classmethod
    def from_store(cls, store) -> IndicatorTables:
        return cls(store.tables(), store.info().period)

    @classmethod
    def from_backend(cls, backend, period: Period) -> IndicatorTables:
        from ihms.data.schema import SCHEMAS

        return cls({name: backend.table(name) for name in SCHEMAS}, period)

    def __getitem__(self, name: str) -> ibis.Table:
        return self.tables[name]


def period_key(date_col, period: str):
    """Integer period key: ``yyyymm`` for months, ``yyyy`` for years."""
    if period == "month":
        return (date_col.year() * 100 + date_col.month()).cast("int64")
    return date_col.year().cast("int64")


def _condition(table, cond: Condition):
    col = table[cond.column]
    if cond.values is not None:
        if all(isinstance(v, bool) for v in cond.values):
            expr = None
            for v in cond.values:
                e = col == v
                expr = e if expr is None else (expr | e)
            return expr
        return col.isin(list(cond.values))
    expr = None
    if cond.min is not None:
        expr = col >= cond.min
    if cond.max is not None:
        e = col <= cond.max
        expr = e if expr is None else (expr & e)
    return expr


def _where(table, conditions: tuple[Condition, ...]):
    expr = None
    for cond in conditions:
        e = _condition(table, cond)
        expr = e if expr is None else (expr & e)
    return expr


def _reduction(table, measure: Measure):
    where = _where(table, measure.record_where)
    if measure.agg == "count":
        return table.count(where=where) if where is not None else table.count()
    col = table[measure.column]
    return col.sum(where=where) if where is not None else col.sum()


def _tier_expr(tier):
    import ibis

    return ibis.cases(
        (tier.isin(["tertiary", "secondary"]), "hospital"),
        (tier.isin(["primary_centre", "village_clinic"]), "primary"),
        else_="other",
    )


def _rank_expr(tier):
    import ibis

    return ibis.cases(
        (tier == "village_clinic", 1),
        (tier.isin(["primary_centre", "public_health"]), 2),
        (tier == "secondary", 3),
        (tier == "tertiary", 4),
        else_=0,
    )


def _uses(measures: list[Measure], columns: set[str]) -> bool:
    return any(
        (m.column in columns) or any(c.column in columns for c in m.record_where) for m in measures
    )


def _aggregate(facts, keys: list, measures: list[Measure]) -> pd.DataFrame:
    aggs = {f"m{i}": _reduction(facts, m) for i, m in enumerate(measures)}
    frame = facts.group_by(keys).aggregate(**aggs).to_pandas()
    return _finish(frame, measures)


def _finish(frame: pd.DataFrame, measures: list[Measure]) -> pd.DataFrame:
    frame = frame.rename(columns={f"m{i}": m.engine_key for i, m in enumerate(measures)})
    for m in measures:
        frame[m.engine_key] = pd.to_numeric(frame[m.engine_key]).fillna(0).astype("int64")
    frame["period_key"] = frame["period_key"].astype("int64")
    return frame


# -- the sources ---------------------------------------------------------------------------
def encounters(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    enc = (
        settled_encounters(t.tables)
        if _uses(measures, {"insurance_paid_fen", "out_of_pocket_fen"})
        else t["encounters"]
    )
    facts = enc.mutate(period_key=period_key(enc.date, period))
    return _aggregate(facts, ["period_key", "institution_id"], measures)


def resident_encounters(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    enc = (
        settled_encounters(t.tables)
        if _uses(measures, {"insurance_paid_fen", "out_of_pocket_fen"})
        else t["encounters"]
    )
    res = t["residents"].select("resident_id", "grid_id")
    facts = enc.inner_join(res, "resident_id")
    if _uses(measures, {"tier", "care_level", "outside_county"}):
        inst = t["institutions"].select(
            "institution_id", "tier", inst_county=t["institutions"].county_id
        )
        grids = t["grids"].select("grid_id", res_county=t["grids"].county_id)
        facts = facts.inner_join(inst, "institution_id").inner_join(grids, "grid_id")
        facts = facts.mutate(
            care_level=_tier_expr(facts.tier),
            outside_county=facts.inst_county != facts.res_county,
        )
    facts = facts.mutate(period_key=period_key(facts.date, period))
    return _aggregate(facts, ["period_key", "grid_id"], measures)


def referrals(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    ref = t["referrals"]
    inst = t["institutions"]
    frm = inst.select(from_institution_id=inst.institution_id, from_rank=_rank_expr(inst.tier))
    to = inst.select(to_institution_id=inst.institution_id, to_rank=_rank_expr(inst.tier))
    facts = ref.inner_join(frm, "from_institution_id").inner_join(to, "to_institution_id")
    import ibis

    facts = facts.mutate(
        direction=ibis.cases(
            (facts.to_rank > facts.from_rank, "up"),
            (facts.to_rank < facts.from_rank, "down"),
            else_="lateral",
        ),
        period_key=period_key(facts.date, period),
        institution_id=facts.from_institution_id,
    )
    return _aggregate(facts, ["period_key", "institution_id"], measures)


def diagnoses(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    enc = t["encounters"]
    coded = enc.filter(enc.diagnosis_group.notnull())
    coded = coded.mutate(period_key=period_key(coded.date, period))
    per_inst = coded.group_by(["period_key", "institution_id"]).aggregate(
        ambulatory_diagnoses=coded.diagnosis_group.nunique(
            where=coded.type.isin(["outpatient", "emergency"])
        ),
        inpatient_diagnoses=coded.diagnosis_group.nunique(where=coded.type == "inpatient"),
    )
    return _aggregate(per_inst, ["period_key", "institution_id"], measures)


def chronic_patients(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    import ibis

    fu = t["followups"]
    sbp_max, dbp_max = HYPERTENSION_CONTROL_MMHG
    fu = fu.mutate(
        period_key=period_key(fu.date, "year"),
        measured=ibis.ifelse(
            fu.condition == "hypertension",
            fu.systolic_mmhg.notnull() & fu.diastolic_mmhg.notnull(),
            fu.fasting_glucose_mmol_l.notnull(),
        ),
        in_control=ibis.ifelse(
            fu.condition == "hypertension",
            (fu.systolic_mmhg < sbp_max) & (fu.diastolic_mmhg < dbp_max),
            fu.fasting_glucose_mmol_l < DIABETES_CONTROL_MMOL_L,
        ),
    )
    keys = ["period_key", "resident_id", "condition"]
    counts = fu.group_by(keys).aggregate(followups=fu.count())
    measured = fu.filter(fu.measured)
    # WHO HEARTS: the last measurement of the period decides (ties broken by id).
    w = ibis.window(
        group_by=[measured.resident_id, measured.condition, measured.period_key],
        order_by=[ibis.desc(measured.date), ibis.desc(measured.followup_id)],
    )
    last = (
        measured.mutate(_rn=ibis.row_number().over(w))
        .filter(lambda x: x._rn == 0)
        .select(*keys, last_controlled=lambda x: x.in_control)
    )
    patients = counts.left_join(last, keys).select(
        *keys,
        "followups",
        controlled=lambda x: x.last_controlled.fill_null(False),
    )
    res = t["residents"].select("resident_id", "grid_id", "hypertension", "diabetes")
    patients = patients.inner_join(res, "resident_id")
    patients = patients.filter(
        ((patients.condition == "hypertension") & patients.hypertension)
        | ((patients.condition == "diabetes") & patients.diabetes)
    )
    return _aggregate(patients, ["period_key", "grid_id"], measures)


def population(
    t: IndicatorTables, period: str, measures: list[Measure], periods: list[int]
) -> pd.DataFrame:
    """Residents present on each period's last day, by grid.

    The engine counts residents by (grid, entry period, exit period); a resident is
    present at the end of period p when entry_key <= p < exit_key.
    """
    import ibis

    res = t["residents"]
    entry = ibis.coalesce(period_key(res.entry_date, period), 0)
    exit_ = ibis.coalesce(period_key(res.exit_date, period), 10**9)
    keyed = res.mutate(entry_key=entry, exit_key=exit_)
    grouped = (
        keyed.group_by(["grid_id", "entry_key", "exit_key"]).aggregate(n=keyed.count()).to_pandas()
    )
    rows = []
    for p in periods:
        present = grouped[(grouped["entry_key"] <= p) & (grouped["exit_key"] > p)]
        counts = present.groupby("grid_id")["n"].sum()
        rows.append(
            pd.DataFrame({"period_key": p, "grid_id": counts.index, "n": counts.to_numpy()})
        )
    frame = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(columns=["period_key", "grid_id", "n"])
    )
    for m in measures:
        frame[m.engine_key] = frame["n"].astype("int64")
    frame["period_key"] = frame["period_key"].astype("int64")
    return frame.drop(columns="n")


def resources(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    frame = t["resources"].to_pandas()
    frame = frame[frame["year"].isin(t.period.years)]
    gps = pd.to_numeric(frame["gps"])
    spec = pd.to_numeric(frame["specialists"])
    frame = frame.assign(
        physicians=gps.fillna(0) + spec.fillna(0), period_key=frame["year"].astype("int64")
    )
    return _pandas_aggregate(frame, measures)


def institutions(t: IndicatorTables, period: str, measures: list[Measure]) -> pd.DataFrame:
    inst = t["institutions"].select("institution_id", "active_from", "active_to").to_pandas()
    rows = []
    for year in t.period.years:
        lo = pd.to_numeric(inst["active_from"]).fillna(-(10**6))
        hi = pd.to_numeric(inst["active_to"]).fillna(10**6)
        active = inst[(lo <= year) & (year <= hi)]
        rows.append(
            pd.DataFrame(
                {"period_key": year, "institution_id": active["institution_id"].to_numpy()}
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    return _pandas_aggregate(frame, measures)


def _pandas_aggregate(frame: pd.DataFrame, measures: list[Measure]) -> pd.DataFrame:
    """The same measures as :func:`_aggregate`, on a small record frame in pandas."""
    out = frame[["period_key", "institution_id"]].copy()
    for i, m in enumerate(measures):
        mask = pd.Series(True, index=frame.index)
        for c in m.record_where:
            col = frame[c.column]
            if c.values is not None:
                mask &= col.isin(c.values)
            if c.min is not None:
                mask &= col >= c.min
            if c.max is not None:
                mask &= col <= c.max
        if m.agg == "count":
            out[f"m{i}"] = mask.astype("int64")
        else:
            out[f"m{i}"] = pd.to_numeric(frame[m.column]).where(mask).fillna(0)
    grouped = out.groupby(["period_key", "institution_id"], as_index=False).sum()
    return _finish(grouped, measures)


ENGINE_SOURCES = {
    "encounters": encounters,
    "resident_encounters": resident_encounters,
    "referrals": referrals,
    "diagnoses": diagnoses,
    "chronic_patients": chronic_patients,
    "resources": resources,
    "institutions": institutions,
}
