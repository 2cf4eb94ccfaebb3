"""One block of residents through one year: demand → choice → pathway → rows.

:func:`simulate_block_year` is the engine's unit of work. It draws everything from the
block's own streams (keyed by component, block and year), so the rows it returns do not
depend on which other blocks run with it. Rows are returned as columns of numpy arrays
(institutions as indices into the layout); :mod:`ihms.sim.tables` turns them into the
data tables, and :class:`Tally` adds them up for the run's own accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ihms.sim._codes import (
    CH,
    EMERGENCY,
    ENCOUNTER_TYPES,
    FOLLOWUP,
    INPATIENT,
    OUTPATIENT,
    PREVENTIVE,
    THC,
    TIERS,
    VC,
)
from ihms.sim.careseeking import first_contact, preventive_place
from ihms.sim.chronic import ChronicTraits, chronic_followups, family_physician
from ihms.sim.config import SimulationConfig
from ihms.sim.costs import encounter_costs
from ihms.sim.episodes import (
    DIAG_DIABETES,
    DIAG_HYPERTENSION,
    DIAG_PREVENTIVE,
    healthcare_visit_counts,
    illness_episodes,
)
from ihms.sim.layout import Access, CountyLayout
from ihms.sim.population import Residents
from ihms.sim.referral import pathway
from ihms.sim.regime import Behaviour
from ihms.sim.rng import CARE, COSTS, EPISODES, REFERRAL, stream
from ihms.sim.rng import HEALTHCARE as HC_STREAM

__all__ = ["BlockYear", "Tally", "YearContext", "simulate_block_year"]

ID_STRIDE = 1 << 26  # ids per block-year: more rows than any block of ≤ 2**20 residents makes


@dataclass(frozen=True)
class YearContext:
    """What every block needs to know about the year being simulated."""

    year: int
    year_index: int
    n_years: int
    year_months: np.ndarray
    month_start: np.ndarray  # datetime64[D] first day of every period month
    period_end: np.datetime64
    access: Access
    behaviour: Behaviour
    promotion: float
    family_physician_odds: float


@dataclass
class Tally:
    """The run's own accounts, exact integers: encounters, fen and insurance fen by grid,
    month, tier and encounter type; revenue by institution and year; referrals."""

    count: np.ndarray
    total_fen: np.ndarray
    insurance_fen: np.ndarray
    revenue_fen: np.ndarray  # (institutions, years): total cost charged
    insurance_by_institution: np.ndarray  # (institutions, years)
    encounters_by_institution: np.ndarray  # (institutions, years)
    referrals: np.ndarray  # (months, 2): up, down
    resident_months: np.ndarray  # (grids, months)
    insured_resident_months: np.ndarray  # (grids, months)
    registered_resident_months: np.ndarray  # (grids, months): with a family physician

    @classmethod
    def empty(cls, n_grids: int, n_months: int, n_institutions: int, n_years: int) -> Tally:
        shape = (n_grids, n_months, len(TIERS), len(ENCOUNTER_TYPES))
        return cls(
            count=np.zeros(shape, np.int64),
            total_fen=np.zeros(shape, np.int64),
            insurance_fen=np.zeros(shape, np.int64),
            revenue_fen=np.zeros((n_institutions, n_years), np.int64),
            insurance_by_institution=np.zeros((n_institutions, n_years), np.int64),
            encounters_by_institution=np.zeros((n_institutions, n_years), np.int64),
            referrals=np.zeros((n_months, 2), np.int64),
            resident_months=np.zeros((n_grids, n_months), np.int64),
            insured_resident_months=np.zeros((n_grids, n_months), np.int64),
            registered_resident_months=np.zeros((n_grids, n_months), np.int64),
        )


@dataclass(frozen=True)
class BlockYear:
    """Rows produced by one block in one year (columns of equal length per table)."""

    encounters: dict[str, np.ndarray]
    referrals: dict[str, np.ndarray]
    followups: dict[str, np.ndarray]


def _institution(tier, village, ch_pick, access: Access, layout: CountyLayout) -> np.ndarray:
    return np.select(
        [tier == VC, tier == THC, tier == CH],
        [access.village_clinic[village], access.township_centre[village], ch_pick],
        default=layout.outside,
    ).astype(np.int32)


def _county_hospital(n: int, layout: CountyLayout, rng: np.random.Generator) -> np.ndarray:
    """Which county hospital each of ``n`` patients goes to, by the hospitals' shares."""
    pick = rng.choice(len(layout.county_hospitals), n, p=layout.county_hospital_weights)
    return layout.county_hospitals[pick]


def _month_of(dates: np.ndarray, start: np.datetime64, n_months: int) -> np.ndarray:
    idx = (dates.astype("datetime64[M]") - start).astype(np.int64)
    return np.clip(idx, 0, n_months - 1)


def simulate_block_year(
    res: Residents,
    traits: ChronicTraits,
    ctx: YearContext,
    *,
    layout: CountyLayout,
    config: SimulationConfig,
    tally: Tally,
) -> BlockYear:
    """Simulate one block for one year and add its rows to ``tally``."""
    b, y = res.block, ctx.year
    n_months = len(ctx.month_start)
    ym = ctx.year_months
    present = res.present(ym)
    access = ctx.access
    chronic = traits.any_chronic(y)
    registered = family_physician(res, traits, config, y, ctx.family_physician_odds)
    village = res.village.astype(np.int64)
    grid_of_res = layout.township_grid[layout.village_township[village]]
    where = (grid_of_res[None, :], ym[:, None])
    np.add.at(tally.resident_months, where, present.astype(np.int64))
    np.add.at(tally.insured_resident_months, where, (present & res.insured).astype(np.int64))
    np.add.at(tally.registered_resident_months, where, (present & registered).astype(np.int64))

    # Illness episodes and their pathway.
    ep = illness_episodes(
        res,
        chronic,
        config,
        year=y,
        year_months=ym,
        present=present,
        promotion=ctx.promotion,
        rng=stream(config.seed, EPISODES, b, y),
    )
    r = ep.resident
    grid = grid_of_res[r]
    beh = ctx.behaviour
    care_rng = stream(config.seed, CARE, b, y)
    first = first_contact(
        ep.severity,
        village[r],
        registered[r],
        grid,
        ep.month,
        access=access,
        config=config,
        ch_attraction=beh.ch_attraction,
        keep_in_county=beh.keep_in_county,
        rng=care_rng,
    )
    ch_pick = _county_hospital(len(r), layout, care_rng)
    path = pathway(
        first,
        ep.severity,
        grid,
        ep.month,
        config=config,
        ch_admission_factor=beh.ch_admission_factor,
        keep_in_county=beh.keep_in_county,
        downward_referral=beh.downward_referral,
        rng=stream(config.seed, REFERRAL, b, y),
    )
    date = ctx.month_start[ep.month] + (ep.day - 1).astype("timedelta64[D]")
    month_end = ctx.month_start[np.minimum(ep.month + 1, n_months - 1)]
    month_end = np.where(
        ep.month + 1 < n_months, month_end - np.timedelta64(1, "D"), ctx.period_end
    )

    parts: list[dict[str, np.ndarray]] = []
    ref_parts: list[dict[str, np.ndarray]] = []
    episode_id = ((b * ctx.n_years + ctx.year_index) * ID_STRIDE + np.arange(len(r))).astype(
        np.int64
    )
    hop_inst = [_institution(path.hops[h], village[r], ch_pick, access, layout) for h in range(3)]

    def add(sel: np.ndarray, **cols) -> np.ndarray:
        """Append the rows where the mask ``sel`` holds (columns are arrays as long as
        ``sel``, or scalars); return their positions in the block-year's table."""
        start = sum(len(p["resident"]) for p in parts)
        n = int(np.count_nonzero(sel))
        parts.append(
            {k: (v[sel] if isinstance(v, np.ndarray) else np.full(n, v)) for k, v in cols.items()}
        )
        return np.arange(start, start + n)

    no_ref = np.full(len(r), -1, np.int32)
    hop_rows = []
    for h in range(3):
        sel = path.hops[h] >= 0
        kind = np.where(path.emergency[h], EMERGENCY, OUTPATIENT)
        rows = add(
            sel,
            resident=r,
            institution=hop_inst[h],
            tier=path.hops[h],
            date=date,
            kind=kind,
            severity=ep.severity,
            diagnosis=ep.diagnosis,
            episode=episode_id,
            los=np.zeros(len(r), np.int16),
            referred_from=hop_inst[h - 1] if h else no_ref,
        )
        hop_rows.append((sel, rows))
    for h in (1, 2):
        sel, rows = hop_rows[h]
        ref_parts.append(
            {
                "resident": r[sel],
                "date": date[sel],
                "from": hop_inst[h - 1][sel],
                "to": hop_inst[h][sel],
                "down": np.zeros(sel.sum(), bool),
                "row": rows,
                "episode": episode_id[sel],
            }
        )

    # Revisits: further outpatient visits at the final tier within the month.
    final_inst = np.where(
        path.hops[2] >= 0, hop_inst[2], np.where(path.hops[1] >= 0, hop_inst[1], hop_inst[0])
    )
    rep = np.repeat(np.arange(len(r)), path.revisits)
    nth = np.arange(len(rep)) - np.repeat(np.cumsum(path.revisits) - path.revisits, path.revisits)
    re_date = np.minimum(date[rep] + (3 * (nth + 1)).astype("timedelta64[D]"), month_end[rep])
    add(
        np.ones(len(rep), bool),
        resident=r[rep],
        institution=final_inst[rep],
        tier=path.final[rep],
        date=re_date,
        kind=OUTPATIENT,
        severity=ep.severity[rep],
        diagnosis=ep.diagnosis[rep],
        episode=episode_id[rep],
        los=np.zeros(len(rep), np.int16),
        referred_from=-1,
    )
    adm = path.admitted
    add(
        adm,
        resident=r,
        institution=final_inst,
        tier=path.final,
        date=date,
        kind=INPATIENT,
        severity=ep.severity,
        diagnosis=ep.diagnosis,
        episode=episode_id,
        los=path.los,
        referred_from=no_ref,
    )
    discharge = date + path.los.astype("timedelta64[D]")
    down_date = discharge + path.down_delay.astype("timedelta64[D]")
    down = path.down & (down_date <= ctx.period_end)
    thc = access.township_centre[village[r]]
    down_rows = add(
        down,
        resident=r,
        institution=thc,
        tier=np.full(len(r), THC, np.int8),
        date=down_date,
        kind=OUTPATIENT,
        severity=ep.severity,
        diagnosis=ep.diagnosis,
        episode=episode_id,
        los=np.zeros(len(r), np.int16),
        referred_from=final_inst,
    )
    ref_parts.append(
        {
            "resident": r[down],
            "date": discharge[down],
            "from": final_inst[down],
            "to": thc[down],
            "down": np.ones(down.sum(), bool),
            "row": down_rows,
            "episode": episode_id[down],
        }
    )

    # Preventive (healthcare) visits.
    hc_rng = stream(config.seed, HC_STREAM, b, y)
    hc_month, hc_res = healthcare_visit_counts(
        res,
        chronic,
        config,
        year=y,
        year_months=ym,
        present=present,
        promotion=ctx.promotion,
        rng=hc_rng,
    )
    place = preventive_place(
        village[hc_res],
        registered[hc_res],
        hc_month,
        access=access,
        config=config,
        primary_push=beh.healthcare_primary_push,
        promotion=ctx.promotion,
        rng=hc_rng,
    )
    hc_ch = _county_hospital(len(hc_res), layout, hc_rng)
    hc_inst = _institution(place, village[hc_res], hc_ch, access, layout)
    hc_date = ctx.month_start[hc_month] + hc_rng.integers(0, 28, len(hc_res)).astype(
        "timedelta64[D]"
    )
    add(
        np.ones(len(hc_res), bool),
        resident=hc_res,
        institution=hc_inst,
        tier=place,
        date=hc_date,
        kind=PREVENTIVE,
        severity=np.full(len(hc_res), -1, np.int8),
        diagnosis=np.full(len(hc_res), DIAG_PREVENTIVE, np.int8),
        episode=np.full(len(hc_res), -1),
        los=np.zeros(len(hc_res), np.int16),
        referred_from=-1,
    )

    # Chronic follow-ups (each also an encounter).
    primary = np.where(
        layout.open_years[access.village_clinic[village], ctx.year_index]
        & (access.village_clinic_km[village] <= 0.5),
        access.village_clinic[village],
        access.township_centre[village],
    )
    fu = chronic_followups(
        res,
        traits,
        config,
        year=y,
        year_months=ym,
        present=present,
        promotion=ctx.promotion,
        registered=registered,
        primary_institution=primary,
        county_hospital=int(layout.county_hospitals[0]),
    )
    fu_date = ctx.month_start[fu.month] + (fu.day - 1).astype("timedelta64[D]")
    fu_rows = add(
        np.ones(len(fu.resident), bool),
        resident=fu.resident,
        institution=fu.institution,
        tier=layout.institution_tier[fu.institution],
        date=fu_date,
        kind=FOLLOWUP,
        severity=np.full(len(fu.resident), -1, np.int8),
        diagnosis=np.where(fu.condition == 0, DIAG_HYPERTENSION, DIAG_DIABETES).astype(np.int8),
        episode=np.full(len(fu.resident), -1),
        los=np.zeros(len(fu.resident), np.int16),
        referred_from=-1,
    )

    enc = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    base = (b * ctx.n_years + ctx.year_index) * ID_STRIDE
    enc_id = base + np.arange(len(enc["resident"]), dtype=np.int64)
    total, insurance = encounter_costs(
        enc["kind"],
        enc["tier"],
        enc["severity"],
        enc["los"],
        res.insured[enc["resident"]],
        config=config,
        rng=stream(config.seed, COSTS, b, y),
    )
    enc.update(encounter_id=enc_id, total_fen=total, insurance_fen=insurance)
    rows_res = enc.pop("resident")
    enc["resident_id"] = res.resident_id[rows_res]

    month = _month_of(enc["date"], ctx.month_start[0].astype("datetime64[M]"), n_months)
    g = grid_of_res[rows_res]
    key = (g, month, enc["tier"], enc["kind"])
    np.add.at(tally.count, key, 1)
    np.add.at(tally.total_fen, key, total)
    np.add.at(tally.insurance_fen, key, insurance)
    at_year = (enc["institution"], ctx.year_index)
    np.add.at(tally.revenue_fen, at_year, total)
    np.add.at(tally.insurance_by_institution, at_year, insurance)
    np.add.at(tally.encounters_by_institution, at_year, 1)

    refs = {k: np.concatenate([p[k] for p in ref_parts]) for k in ref_parts[0]}
    refs["encounter_id"] = enc_id[refs.pop("row")]
    refs["resident_id"] = res.resident_id[refs.pop("resident")]
    refs["referral_id"] = refs["encounter_id"]
    ref_month = _month_of(refs["date"], ctx.month_start[0].astype("datetime64[M]"), n_months)
    np.add.at(tally.referrals, (ref_month, refs["down"].astype(np.int64)), 1)

    follow = {
        "followup_id": enc_id[fu_rows],
        "encounter_id": enc_id[fu_rows],
        "resident_id": res.resident_id[fu.resident],
        "institution": fu.institution,
        "date": fu_date,
        "condition": fu.condition,
        "systolic": fu.systolic,
        "diastolic": fu.diastolic,
        "glucose": fu.glucose,
        "managed": fu.managed,
        "controlled": fu.controlled,
    }
    return BlockYear(encounters=enc, referrals=refs, followups=follow)
