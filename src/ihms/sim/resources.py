"""Institution resources by year: the county file's head counts and beds, with money.

Beds, GPs, specialists, nurses and health workers are the delivery system's (for Youxi
they reproduce seed 002 Table 2's ratios per 1,000 residents), scaled with the run's
population when the county is simulated at another size. The hospitals outside the
county that the file gives no figures for get sizes drawn by tier, as the synthetic data
draws them, each from its own random stream keyed by the run's seed and the hospital's
id (so the simulation's other draws do not move, and a hospital's size does not depend
on which other institutions the file lists or in what order). The simulation adds what
it knows: each county institution's revenue and medical income — what it charged for
the county's residents that year, exact fen — and personnel cost, the configured share
of that revenue rounded down to the fen. An outside hospital's money is left empty:
what the county's residents paid it is a sliver of its revenue, not its revenue. The
money it never records (consultation fees, total expense) is named in
:data:`UNRECORDED`, which a tables folder's ``dataset.json`` carries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ihms.data import resources_table, scale_resources
from ihms.data.synthetic import absent_resources
from ihms.sim._codes import OUT
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout
from ihms.sim.rng import RESOURCES
from ihms.system import RESOURCE_FIELDS, System, Tier

__all__ = ["PRODUCER", "UNRECORDED", "institution_resources"]

#: The money the simulation records for each county institution (what it charged).
SIMULATED_MONEY = ("revenue_fen", "medical_income_fen", "personnel_cost_fen")
#: How the simulator's data sets name their maker, and the columns it never records,
#: by table (consultation fees within medical income, total expense): written to a
#: tables folder's dataset.json, so that ``ihms data check`` says these are not
#: simulated instead of asking for the figures (:func:`ihms.data.data_gaps`).
PRODUCER = "ihms.sim"
UNRECORDED = {
    "resources": tuple(
        f for f in RESOURCE_FIELDS if f.endswith("_fen") and f not in SIMULATED_MONEY
    )
}


#: Tiers the county file gives no beds or practising staff for, and what the simulator
#: records for them: village clinics have no curative beds, and their village doctors
#: are neither practising physicians (``gps``, ``specialists``) nor registered nurses;
#: the public-health institution has no beds and its staff are not counted among seed
#: 002 Table 2's physicians and nurses (the county file's Table 2 totals are the county
#: hospitals' and THCs'). Their health personnel are not modelled: left empty.
_UNSTAFFED_TIERS = (Tier.VILLAGE_CLINIC, Tier.PUBLIC_HEALTH)
_NONE_COUNTED = ("beds", "gps", "specialists", "nurses")


def _unstaffed(system: System, years) -> pd.DataFrame:
    """Rows of the study county's village clinics and public-health institutions in the
    years they are open and the county file gives them no resources: 0 beds, physicians
    and nurses (so the county's sums exist), health personnel unknown."""
    study = set(system.study_counties)
    rows = [
        {"institution_id": inst.id, "year": year, **dict.fromkeys(_NONE_COUNTED, 0)}
        for inst in system.institutions
        if inst.county in study and inst.tier in _UNSTAFFED_TIERS
        for year in years
        if inst.active_in(year) and year not in inst.resources
    ]
    frame = pd.DataFrame(rows, columns=["institution_id", "year", *RESOURCE_FIELDS])
    for f in RESOURCE_FIELDS:
        frame[f] = pd.array(frame[f], dtype="Int64")
    return frame


def _outside(system: System, years, seed: int) -> pd.DataFrame:
    """Rows of the institutions outside the study counties (the hospitals the county's
    residents travel to) in the years they are open and the county file gives them no
    resources: beds and staff drawn by tier (:mod:`ihms.data.synthetic`'s sizes), the
    same for a seed, money empty."""
    study = set(system.study_counties)
    outside = {inst.id for inst in system.institutions if inst.county not in study}
    seeds = np.random.SeedSequence(seed, spawn_key=(RESOURCES,))
    return absent_resources(system, tuple(years), seeds, institutions=outside)


def institution_resources(
    system: System,
    layout: CountyLayout,
    config: SimulationConfig,
    *,
    revenue_fen: np.ndarray,
    scale: float = 1.0,
) -> pd.DataFrame:
    """The ``resources`` table of the run: one row per institution and year.

    Parameters
    ----------
    revenue_fen
        Institutions × years (the layout's order), exact int64 fen charged by the run.
    scale
        The run's population relative to the county file's: head counts and beds are
        scaled with it, so ratios per resident stay the county's. Each county's yearly
        total is scaled and rounded half up, then shared among the institutions by
        largest remainder: rounding each institution on its own would round every
        small one down to nothing in a small county (a THC's 9 physicians at 1 %).
        An outside hospital is scaled too, so that its weight among the data's
        institutions (seed 001 Table 3's tertiary share of beds) does not depend on the
        run's size.
    """
    years = layout.years
    parts = [
        resources_table(system, years=years),
        _unstaffed(system, years),
        _outside(system, years, config.seed),
    ]
    frame = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    frame = scale_resources(frame, system, scale=scale).set_index(["institution_id", "year"])
    share_bp = round(config.resources.personnel_cost_share * 10_000)
    rows = []
    for i, inst in enumerate(layout.institution_ids):
        if layout.institution_tier[i] == OUT:
            continue
        for yi, year in enumerate(years):
            if not layout.open_years[i, yi]:
                continue
            revenue = int(revenue_fen[i, yi])
            money = (revenue, revenue, revenue * share_bp // 10_000)
            rows.append(
                {
                    "institution_id": inst,
                    "year": year,
                    **dict(zip(SIMULATED_MONEY, money, strict=True)),
                }
            )
    money = pd.DataFrame(rows).set_index(["institution_id", "year"])
    out = frame.drop(columns=list(money.columns)).join(money, how="outer")
    for col in money.columns:
        out[col] = pd.array(out[col], dtype="Int64")
    return out.reset_index()
