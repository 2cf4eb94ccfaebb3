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

from ihms.sim._codes import CH, ENCOUNTER_TYPES, FOLLOWUP, PREVENTIVE, THC, TIERS, VC
from ihms.sim.careseeking import first_contact, preventive_place
from ihms.sim.chronic import ChronicTraits, chronic_followups, family_physician
from ihms.sim.config import SimulationConfig
from ihms.sim.costs import encounter_costs
from ihms.sim.episodes import (
    CHOICE,
    DIAG_DIABETES,
    DIAG_HYPERTENSION,
    DIAG_PREVENTIVE,
    PLACE,
    PLACE_CH,
    PLACE_DAY,
    WHICH_CH,
    WHICH_OUTSIDE,
    healthcare_visits,
    illness_episodes,
)
from ihms.sim.layout import Access, CountyLayout
from ihms.sim.population import Residents
from ihms.sim.referral import pathway, with_primary_revisits
from ihms.sim.regime import Behaviour
from ihms.sim.rng import COSTS, EPISODES, PRIMARY_REVISITS, KeyedUniforms, categories, stream
from ihms.sim.rng import HEALTHCARE as HC_STREAM
from ihms.sim.rows import Rows, episode_rows

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
    # Of each of year_months: health-promotion intensity and the regime's odds of
    # family-physician registration, month by month (nothing before a reform's month
    # depends on the reform).
    promotion: np.ndarray
    family_physician_odds: np.ndarray


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
    # (grids, months): insured and with a family physician (the members a per-member
    # family-physician fee is paid for)
    registered_insured_resident_months: np.ndarray
    # (3,): resident-months whose illness episodes, and preventive visits, the cap cut
    # short (ihms.sim.episodes.EPISODE_SLOTS, PREVENTIVE_SLOTS), and episodes whose extra
    # primary-care revisits it did (ihms.sim.referral.EXTRA_REVISITS_MOST)
    capped: np.ndarray

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
            registered_insured_resident_months=np.zeros((n_grids, n_months), np.int64),
            capped=np.zeros(3, np.int64),
        )


@dataclass(frozen=True)
class BlockYear:
    """Rows produced by one block in one year (columns of equal length per table)."""

    encounters: dict[str, np.ndarray]
    referrals: dict[str, np.ndarray]
    followups: dict[str, np.ndarray]


def _institution(tier, village, ch_pick, out_pick, access: Access) -> np.ndarray:
    return np.select(
        [tier == VC, tier == THC, tier == CH],
        [access.village_clinic[village], access.township_centre[village], ch_pick],
        default=out_pick,
    ).astype(np.int32)


def _pick(choices: np.ndarray, weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which of ``choices`` (county or outside hospitals) each patient uses, by the
    hospitals' shares, from each patient's uniform ``u``."""
    cumulative = np.broadcast_to(np.cumsum(weights), (len(u), len(weights)))
    return choices[categories(cumulative, u)]


def _add(target: np.ndarray, index: tuple[np.ndarray, ...], values) -> None:
    """``target[index] += values`` with repeated indices summed (exact for integers)."""
    flat = np.ravel_multi_index(np.broadcast_arrays(*index), target.shape)
    np.add.at(target.reshape(-1), flat.ravel(), np.broadcast_to(values, flat.shape).ravel())


def _month_of(dates: np.ndarray, start: np.datetime64, n_months: int) -> np.ndarray:
    idx = (dates.astype("datetime64[M]") - start).astype(np.int64)
    return np.clip(idx, 0, n_months - 1)


def _year_index(dates: np.ndarray, ctx: YearContext) -> np.ndarray:
    """Index (in the period's years) of the calendar year of each date; never earlier
    than the simulated year (no row is dated before its episode) and within the period
    (no row is dated after it)."""
    first = ctx.year - ctx.year_index
    idx = dates.astype("datetime64[Y]").astype(np.int64) + 1970 - first
    return np.clip(idx, ctx.year_index, ctx.n_years - 1)


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
    access, beh = ctx.access, ctx.behaviour
    chronic = traits.any_chronic(y)
    # months of the year × residents
    registered = family_physician(res, traits, config, y, ctx.family_physician_odds)
    village = res.village.astype(np.int64)
    grid_of_res = layout.village_grid[village]
    where = (grid_of_res[None, :], ym[:, None])
    _add(tally.resident_months, where, present.astype(np.int64))
    _add(tally.insured_resident_months, where, (present & res.insured).astype(np.int64))
    _add(
        tally.registered_insured_resident_months,
        where,
        (present & res.insured[None, :] & registered).astype(np.int64),
    )
    rows = Rows()

    # Illness episodes: first contact, pathway, rows.
    ep = illness_episodes(
        res,
        chronic,
        config,
        year=y,
        year_months=ym,
        present=present,
        promotion=ctx.promotion,
        draws=KeyedUniforms(config.seed, EPISODES),
    )
    tally.capped[0] += ep.capped
    r = ep.resident
    grid = grid_of_res[r]
    first = first_contact(
        ep.severity,
        village[r],
        registered[ep.month - ym[0], r],
        grid,
        ep.month,
        access=access,
        outside_km=float(layout.outside_weights @ access.outside_km),
        config=config,
        ch_attraction=beh.ch_attraction,
        keep_in_county=beh.keep_in_county,
        u=ep.u(CHOICE),
    )
    ch_pick = _pick(layout.county_hospitals, layout.county_hospital_weights, ep.u(WHICH_CH))
    out_pick = _pick(layout.outside, layout.outside_weights, ep.u(WHICH_OUTSIDE))
    path = pathway(
        first,
        ep.severity,
        grid,
        ep.month,
        config=config,
        ch_admission_factor=beh.ch_admission_factor,
        keep_in_county=beh.keep_in_county,
        downward_referral=beh.downward_referral,
        u=ep.u,
    )
    path, revisits_capped = with_primary_revisits(
        path,
        ep.month,
        beh.primary_extra_revisits,
        lambda: KeyedUniforms(config.seed, PRIMARY_REVISITS).u(ep.key, 0),
    )
    tally.capped[2] += revisits_capped
    date = ctx.month_start[ep.month] + (ep.day - 1).astype("timedelta64[D]")
    next_start = ctx.month_start[np.minimum(ep.month + 1, n_months - 1)]
    month_end = np.where(
        ep.month + 1 < n_months, next_start - np.timedelta64(1, "D"), ctx.period_end
    )
    base = (b * ctx.n_years + ctx.year_index) * ID_STRIDE
    episode_rows(
        rows,
        ep,
        path,
        hop_institution=[
            _institution(path.hops[h], village[r], ch_pick, out_pick, access) for h in range(3)
        ],
        township_centre=access.township_centre[village[r]],
        episode_id=base + np.arange(len(r), dtype=np.int64),
        date=date,
        month_end=month_end,
        leave=np.concatenate([ctx.month_start, [ctx.period_end + np.timedelta64(1, "D")]])[
            np.minimum(res.exit[r], n_months)
        ],
    )

    # Preventive (healthcare) visits.
    visits = healthcare_visits(
        res,
        chronic,
        config,
        year=y,
        year_months=ym,
        present=present,
        promotion=ctx.promotion,
        draws=KeyedUniforms(config.seed, HC_STREAM),
    )
    tally.capped[1] += visits.capped
    hc_month, hc_res = visits.month, visits.resident
    place = preventive_place(
        village[hc_res],
        registered[hc_month - ym[0], hc_res],
        hc_month,
        access=access,
        config=config,
        primary_push=beh.healthcare_primary_push,
        promotion=ctx.promotion[hc_month - ym[0]],
        u=visits.u(PLACE),
    )
    hc_ch = _pick(layout.county_hospitals, layout.county_hospital_weights, visits.u(PLACE_CH))
    rows.add(
        np.ones(len(hc_res), bool),
        resident=hc_res,
        tier=place,
        institution=_institution(place, village[hc_res], hc_ch, -1, access),
        date=ctx.month_start[hc_month]
        + (visits.u(PLACE_DAY) * 28).astype(np.int64).astype("timedelta64[D]"),
        kind=PREVENTIVE,
        diagnosis=DIAG_PREVENTIVE,
    )

    # Chronic follow-ups (each also an encounter) by the family-physician team.
    own_clinic = layout.open_years[access.village_clinic[village], ctx.year_index] & (
        access.village_clinic_km[village] <= 0.5
    )
    primary = np.where(own_clinic, access.village_clinic[village], access.township_centre[village])
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
    fu_pos = rows.add(
        np.ones(len(fu.resident), bool),
        resident=fu.resident,
        institution=fu.institution,
        tier=layout.institution_tier[fu.institution],
        date=fu_date,
        kind=FOLLOWUP,
        diagnosis=np.where(fu.condition == 0, DIAG_HYPERTENSION, DIAG_DIABETES),
    )

    # Rows in order of their month (stable), so the rows of the months before a reform
    # come first, in the same order as in the baseline run: the same ids and the same
    # cost draws (the costs stream is read row by row), whatever happens after.
    start = ctx.month_start[0].astype("datetime64[M]")
    enc = rows.encounters()
    order = np.argsort(_month_of(enc["date"], start, n_months), kind="stable")
    enc = {k: v[order] for k, v in enc.items()}
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    enc_id = base + np.arange(rows.n, dtype=np.int64)
    enc_month = _month_of(enc["date"], start, n_months)
    total, insurance = encounter_costs(
        enc["kind"],
        enc["tier"],
        enc["severity"],
        enc["los"],
        res.insured[enc["resident"]],
        config=config,
        rng=stream(config.seed, COSTS, b, y),
        # the per-month drift checked, not one entry per encounter: off by default
        ch_outpatient_extra_yuan=(
            beh.ch_outpatient_price_yuan[enc_month] if beh.ch_outpatient_price_yuan.any() else None
        ),
    )
    who = enc.pop("resident")
    enc.update(
        encounter_id=enc_id,
        total_fen=total,
        insurance_fen=insurance,
        resident_id=res.resident_id[who],
    )
    key = (grid_of_res[who], enc_month, enc["tier"], enc["kind"])
    _add(tally.count, key, 1)
    _add(tally.total_fen, key, total)
    _add(tally.insurance_fen, key, insurance)
    # Revenue, insurance and encounters by institution go to the calendar year of the
    # encounter's date, as the tables (and so the payment engine reading them) date it:
    # care crossing New Year (a follow-up after a December discharge) belongs to the
    # next year's accounts, not to the year its episode began in.
    at_year = (enc["institution"], _year_index(enc["date"], ctx))
    _add(tally.revenue_fen, at_year, total)
    _add(tally.insurance_by_institution, at_year, insurance)
    _add(tally.encounters_by_institution, at_year, 1)

    ref = rows.referrals()
    ref_order = np.argsort(_month_of(ref["date"], start, n_months), kind="stable")
    ref = {k: v[ref_order] for k, v in ref.items()}
    refs = {
        "referral_id": base + np.arange(len(ref["resident"]), dtype=np.int64),
        "resident_id": res.resident_id[ref["resident"]],
        "date": ref["date"],
        "from": ref["src"],
        "to": ref["dst"],
        "diagnosis": ref["diagnosis"],
        "encounter_id": enc_id[position[ref["source"]]],
        "down": ref["down"],
    }
    np.add.at(
        tally.referrals, (_month_of(ref["date"], start, n_months), ref["down"].astype(np.int64)), 1
    )
    follow = {
        "encounter_id": enc_id[position[fu_pos]],
        "resident_id": res.resident_id[fu.resident],
        "institution": fu.institution,
        "date": fu_date,
        "condition": fu.condition,
        "systolic": fu.systolic,
        "diastolic": fu.diastolic,
        "glucose": fu.glucose,
        "managed": fu.managed,
    }
    return BlockYear(encounters=enc, referrals=refs, followups=follow)
