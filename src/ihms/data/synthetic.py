"""Random data with the right shape, for tests, benchmarks and the demo.

:func:`synthetic_dataset` fills every table of the schema for a
:class:`~ihms.system.System`: a population register following the grids' populations,
encounters of every type at institutions chosen by tier (primary care near home,
secondary care in the county, tertiary care outside), costs, insurance, lengths of stay,
referrals, chronic follow-ups with blood pressure and glucose, settled claims and yearly
resources for every institution in every year it operates (the system file's figures;
plausible ones drawn by tier where it gives none — the village clinics, CDC and outside
hospitals of ``examples/youxi.yaml``). It has **no behaviour**: rates are constant over time and nobody reacts to
anything; that is the county simulator's job. Everything is drawn from one seeded
generator with numpy and pyarrow (ten million encounters in well under a minute).

:func:`synthetic_system` builds a multi-county system of a chosen size (the benchmark's
~400 institutions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ihms.data._synthetic import (
    _CONDS,
    _DX,
    _DX_AMBULATORY,
    _DX_INPATIENT,
    _TIERS,
    _TYPES,
    _date_array,
    _days,
    _decode,
    _ids,
    _Institutions,
    _residents,
    synthetic_system,
)
from ihms.data._synthetic_resources import _resources, absent_resources
from ihms.data.dataset import Dataset, Period
from ihms.data.structure import structural_tables
from ihms.system import System

__all__ = ["SyntheticRates", "absent_resources", "synthetic_dataset", "synthetic_system"]


@dataclass(frozen=True)
class SyntheticRates:
    """Constant rates of the generator (per resident-year, shares, mean costs in yuan)."""

    visits_per_year: Mapping[str, float] = field(
        default_factory=lambda: {
            "outpatient": 3.0,
            "emergency": 0.3,
            "inpatient": 0.17,
            "preventive": 3.0,
        }
    )
    tier_mix: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: {
            "outpatient": {
                "village_clinic": 0.35,
                "primary_centre": 0.30,
                "secondary": 0.29,
                "tertiary": 0.06,
            },
            "emergency": {"primary_centre": 0.20, "secondary": 0.70, "tertiary": 0.10},
            "inpatient": {"primary_centre": 0.04, "secondary": 0.70, "tertiary": 0.26},
            "preventive": {"village_clinic": 0.25, "primary_centre": 0.35, "secondary": 0.40},
            "chronic_followup": {"village_clinic": 0.6, "primary_centre": 0.4},
        }
    )
    mean_cost_yuan: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: {
            "outpatient": {
                "village_clinic": 30,
                "primary_centre": 80,
                "secondary": 200,
                "tertiary": 450,
            },
            "emergency": {"primary_centre": 150, "secondary": 350, "tertiary": 700},
            "inpatient": {"primary_centre": 2500, "secondary": 7000, "tertiary": 20000},
            "preventive": {"village_clinic": 20, "primary_centre": 60, "secondary": 150},
            "chronic_followup": {"village_clinic": 10, "primary_centre": 25},
        }
    )
    insurance_share: Mapping[str, float] = field(
        default_factory=lambda: {
            "outpatient": 0.45,
            "emergency": 0.45,
            "inpatient": 0.65,
            "preventive": 0.30,
            "chronic_followup": 0.50,
        }
    )
    mean_stay_days: Mapping[str, float] = field(
        default_factory=lambda: {"primary_centre": 6.0, "secondary": 8.0, "tertiary": 11.0}
    )
    hypertension_by_age: tuple[float, float, float] = (0.02, 0.15, 0.40)  # <35, 35-59, 60+
    diabetes_by_age: tuple[float, float, float] = (0.005, 0.06, 0.15)
    managed_share: float = 0.75
    followups_per_managed_year: float = 4.0
    fp_registered_share: float = 0.4
    insured_share: float = 0.97
    referral_up_share: float = 0.3  # of inpatient stays at tertiary hospitals
    referral_down_share: float = 0.05  # of inpatient stays at secondary hospitals
    claim_share: float = 0.1  # of inpatient stays settled by a separate claim

    def __post_init__(self) -> None:
        for name in (
            "visits_per_year",
            "tier_mix",
            "mean_cost_yuan",
            "insurance_share",
            "mean_stay_days",
        ):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


def synthetic_dataset(
    system: System,
    *,
    seed: int,
    scale: float = 0.1,
    period: Period | None = None,
    rates: SyntheticRates | None = None,
    validate: bool = True,
) -> Dataset:
    """Random records for ``system`` (see the module docstring).

    Parameters
    ----------
    system
        The delivery system; its grids' populations (times ``scale``) size the register.
    seed
        Seed of the one random generator.
    scale
        Residents per inhabitant (0.1: one resident in the data per ten in the grids).
        The resources' head counts and beds are scaled with it (each county's yearly
        totals, shared by :func:`~ihms.data.scale_resources`), so staff and beds per
        resident and bed occupancy stay the county's, while an institution's size
        (beds per THC, revenue per THC) shrinks with the sample.
    period
        Defaults to the system's period.
    rates
        The generator's constant rates.
    validate
        Validate the result (the output is valid by construction; skip for speed at
        benchmark scale).
    """
    rates = rates or SyntheticRates()
    rng = np.random.default_rng(seed)
    if period is None:
        if system.period is None:
            raise ValueError("the system has no period; pass one")
        period = Period(*system.period)
    years = period.years
    p0, p1 = _days(period.start), _days(period.end)
    insts = _Institutions(system, rng)

    r = _residents(system, years, p0, p1, scale, rates, insts, rng)
    res_ids, grid_of, exit_d = r.ids, r.grid, r.exit
    start, stop, span, ht, dm = r.start, r.stop, r.span, r.hypertension, r.diabetes
    n_res, residents = len(grid_of), r.table

    # -- encounters ----------------------------------------------------------------------------
    parts: list[dict[str, np.ndarray]] = []
    for etype, per_year in rates.visits_per_year.items():
        counts = rng.poisson(per_year * span / 365.25)
        who = np.repeat(np.arange(n_res), counts)
        day = start[who] + (rng.random(len(who)) * span[who]).astype(np.int64)
        parts.append(
            {"who": who, "day": day, "type": np.full(len(who), _TYPES.index(etype), np.int8)}
        )

    # chronic follow-ups: managed residents, per condition and year
    fu_parts = []
    for cond, has in (("hypertension", ht), ("diabetes", dm)):
        for y in years:
            y0, y1 = max(_days(date(y, 1, 1)), p0), min(_days(date(y, 12, 31)), p1)
            lo, hi = np.maximum(start, y0), np.minimum(stop, y1)
            eligible = np.flatnonzero(has & (hi >= lo))
            managed = eligible[rng.random(len(eligible)) < rates.managed_share]
            k = 1 + rng.poisson(rates.followups_per_managed_year - 1, len(managed))
            who = np.repeat(managed, k)
            day = lo[who] + (rng.random(len(who)) * (hi[who] - lo[who] + 1)).astype(np.int64)
            fu_parts.append(
                {"who": who, "day": day, "cond": np.full(len(who), _CONDS.index(cond), np.int8)}
            )
    fu_who = np.concatenate([p["who"] for p in fu_parts])
    fu_day = np.concatenate([p["day"] for p in fu_parts])
    fu_cond = np.concatenate([p["cond"] for p in fu_parts])
    parts.append(
        {
            "who": fu_who,
            "day": fu_day,
            "type": np.full(len(fu_who), _TYPES.index("chronic_followup"), np.int8),
        }
    )

    who = np.concatenate([p["who"] for p in parts])
    day = np.concatenate([p["day"] for p in parts])
    etype = np.concatenate([p["type"] for p in parts])
    n_enc = len(who)
    year = (day.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970).astype(np.int64)
    tier = np.empty(n_enc, dtype=np.int64)
    for t, mix in rates.tier_mix.items():
        sel = np.flatnonzero(etype == _TYPES.index(t))
        names = list(mix)
        p = np.array([mix[k] for k in names], dtype=float)
        tier[sel] = np.array([_TIERS.index(k) for k in names])[
            rng.choice(len(names), size=len(sel), p=p / p.sum())
        ]
    inst = insts.choose(tier, year, grid_of[who])
    if (inst < 0).any():
        # no institution of that tier anywhere in the system: fall back to secondary care
        lost = inst < 0
        tier[lost] = _TIERS.index("secondary")
        inst[lost] = insts.choose(tier[lost], year[lost], grid_of[who][lost])

    mean = np.zeros(n_enc)
    for t, by_tier in rates.mean_cost_yuan.items():
        for k, v in by_tier.items():
            mean[(etype == _TYPES.index(t)) & (tier == _TIERS.index(k))] = v
    mean[mean == 0] = 100.0
    total = np.rint(mean * 100 * rng.lognormal(-0.18, 0.6, n_enc)).astype(np.int64)
    share = np.zeros(n_enc)
    for t, s in rates.insurance_share.items():
        share[etype == _TYPES.index(t)] = s
    outside = ~insts.study[insts.county[inst]]
    share = np.where(outside, share * 0.75, share) * rng.uniform(0.85, 1.1, n_enc)
    insurance = np.minimum(np.rint(total * np.clip(share, 0, 1)).astype(np.int64), total)
    oop = total - insurance
    inpatient = etype == _TYPES.index("inpatient")
    stay_mean = np.array([rates.mean_stay_days.get(k, 7.0) for k in _TIERS])[tier]
    los = np.where(inpatient, 1 + rng.poisson(np.maximum(stay_mean - 1, 0.1)), 0)
    amb = np.isin(etype, [_TYPES.index("outpatient"), _TYPES.index("emergency")])
    dx = np.full(n_enc, -1, dtype=np.int16)  # index into _DX, -1 = none
    zipf_a = 1.0 / np.arange(1, len(_DX_AMBULATORY) + 1)
    zipf_i = 1.0 / np.arange(1, len(_DX_INPATIENT) + 1)
    dx[amb] = rng.choice(len(zipf_a), size=int(amb.sum()), p=zipf_a / zipf_a.sum())
    dx[inpatient] = len(_DX_AMBULATORY) + rng.choice(
        len(zipf_i), size=int(inpatient.sum()), p=zipf_i / zipf_i.sum()
    )
    # the follow-up encounters come last, in the order of fu_who
    dx[n_enc - len(fu_who) :] = np.where(fu_cond == 0, _DX.index("I10"), _DX.index("E11"))

    # referrals: up to tertiary stays from the county's secondary hospitals; down from
    # secondary stays to the resident's primary centre after discharge
    tert_stays = np.flatnonzero(inpatient & (tier == _TIERS.index("tertiary")))
    up = tert_stays[rng.random(len(tert_stays)) < rates.referral_up_share]
    up_from = insts.choose(np.full(len(up), _TIERS.index("secondary")), year[up], grid_of[who[up]])
    sec_stays = np.flatnonzero(inpatient & (tier == _TIERS.index("secondary")))
    down = sec_stays[rng.random(len(sec_stays)) < rates.referral_down_share]
    down_day = np.minimum(day[down] + los[down], p1)
    down_to = insts.choose(
        np.full(len(down), _TIERS.index("primary_centre")), year[down], grid_of[who[down]]
    )
    keep_down = (down_to >= 0) & (down_day < exit_d[who[down]])
    down, down_day, down_to = down[keep_down], down_day[keep_down], down_to[keep_down]
    referred_from = np.full(n_enc, -1)
    referred_from[up] = up_from
    referred_to = np.full(n_enc, -1)
    referred_to[down] = down_to

    enc_ids = _ids("E", n_enc)
    encounters = pa.table(
        {
            "encounter_id": enc_ids,
            "resident_id": res_ids.take(pa.array(who)),
            "institution_id": pa.array(insts.ids[inst]),
            "date": _date_array(day),
            "type": _decode(etype, _TYPES),
            "diagnosis_group": _decode(dx, _DX),
            "total_cost_fen": pa.array(total),
            "insurance_paid_fen": pa.array(insurance),
            "out_of_pocket_fen": pa.array(oop),
            "length_of_stay_days": pa.array(los.astype(np.int32), mask=~inpatient),
            "referred_from_id": pa.array(
                np.where(referred_from >= 0, insts.ids[np.maximum(referred_from, 0)], None)
            ),
            "referred_to_id": pa.array(
                np.where(referred_to >= 0, insts.ids[np.maximum(referred_to, 0)], None)
            ),
        }
    )

    ref_src = np.concatenate([up[up_from >= 0], down])
    ref_from = np.concatenate([up_from[up_from >= 0], inst[down]])
    ref_to = np.concatenate([inst[up[up_from >= 0]], down_to])
    ref_day = np.concatenate([day[up[up_from >= 0]], down_day])
    ref_enc = np.concatenate([np.full(int((up_from >= 0).sum()), -1), down])
    referrals = pa.table(
        {
            "referral_id": _ids("X", len(ref_src)),
            "resident_id": res_ids.take(pa.array(who[ref_src])),
            "date": _date_array(ref_day),
            "from_institution_id": pa.array(insts.ids[ref_from]),
            "to_institution_id": pa.array(insts.ids[ref_to]),
            "diagnosis_group": _decode(dx[ref_src], _DX),
            "encounter_id": pc.if_else(
                pa.array(ref_enc >= 0),
                enc_ids.take(pa.array(np.maximum(ref_enc, 0))),
                pa.scalar(None, pa.string()),
            ),
        }
    )

    # follow-ups: the last len(fu_who) encounters are the chronic follow-ups
    n_fu = len(fu_who)
    fu_first = n_enc - n_fu
    is_ht = fu_cond == 0
    sbp = np.clip(np.rint(rng.normal(136, 14, n_fu)), 90, 220).astype(np.int16)
    dbp = np.clip(np.rint(rng.normal(84, 9, n_fu)), 50, 130).astype(np.int16)
    dbp = np.minimum(dbp, sbp - 20).astype(np.int16)
    glucose = np.round(np.clip(rng.lognormal(np.log(6.6), 0.2, n_fu), 3.0, 25.0), 1)
    measured = rng.random(n_fu) < 0.95
    followups = pa.table(
        {
            "followup_id": _ids("F", n_fu),
            "resident_id": res_ids.take(pa.array(fu_who)),
            "institution_id": pa.array(insts.ids[inst[fu_first:]]),
            "date": _date_array(fu_day),
            "condition": _decode(fu_cond, _CONDS),
            "systolic_mmhg": pa.array(sbp, mask=~(is_ht & measured)),
            "diastolic_mmhg": pa.array(dbp, mask=~(is_ht & measured)),
            "fasting_glucose_mmol_l": pa.array(glucose, mask=~(~is_ht & measured)),
            "encounter_id": enc_ids.slice(fu_first),
        }
    )

    # claims: a share of inpatient stays settled later, slightly below the bill
    stays = np.flatnonzero(inpatient)
    claimed = stays[rng.random(len(stays)) < rates.claim_share]
    c_ins = np.rint(insurance[claimed] * rng.uniform(0.9, 1.0, len(claimed))).astype(np.int64)
    claims = pa.table(
        {
            "claim_id": _ids("C", len(claimed)),
            "encounter_id": enc_ids.take(pa.array(claimed)),
            "settled_date": _date_array(
                day[claimed] + los[claimed] + rng.integers(0, 31, len(claimed))
            ),
            "insurance_paid_fen": pa.array(c_ins),
            "out_of_pocket_fen": pa.array(oop[claimed]),
        }
    )

    frames: dict[str, pa.Table | pd.DataFrame] = dict(structural_tables(system))
    frames.update(
        residents=residents,
        encounters=encounters,
        referrals=referrals,
        followups=followups,
        claims=claims,
        resources=_resources(system, years, rng, scale),
    )
    return Dataset.from_frames(
        frames,
        period=period,
        id_scheme="synthetic",
        source=f"ihms.data.synthetic (seed {seed}, scale {scale})",
        validate=validate,
    )
