"""Institution resources by year: the county file's head counts and beds, with money.

Beds, GPs, specialists, nurses and health workers are the delivery system's (for Youxi
they reproduce Zhong et al. 2023 Table 2's ratios per 1,000 residents), scaled with the run's
population when the county is simulated at another size. The hospitals outside the
county that the file gives no figures for get sizes drawn by tier, as the synthetic data
draws them, each from its own random stream keyed by the run's seed and the hospital's
id (so the simulation's other draws do not move, and a hospital's size does not depend
on which other institutions the file lists or in what order). The simulation adds what
it knows: each county institution's revenue and medical income — what it charged for
the county's residents that year, exact fen — and personnel cost. Paid by volume (fee
for service, "other areas", Deqing: the rules' ``staff_pay.method`` is ``volume``), an
institution's personnel cost is the configured share of its revenue, rounded down to
the fen. Under the annual salary system (Sanming's rules, Zhong et al. 2023: staff pay decoupled
from the volume of services, raised by a share of the kept balance) the county
hospitals' and township health centres' personnel cost in a reformed year is their
salary pool (:class:`AnnualSalary`): each physician keeps the institution's personnel
cost per physician of the base year — the last year wholly before the reform, paid by
volume — and the institution gets its share, by physicians, of the staff incentive the
year's settlement assigns; the months of a year still before the reform are paid by
volume (the shares of the year are its months', exact —
:func:`ihms.sim.regime.reform_month_shares`: 3/12 of 2017 under an October 2017
reform — not the behaviour ramp's mean). A year a reform began within is its baseline,
not settled (:func:`ihms.sim.regime.first_settled_year`), so its salaried months carry
no staff incentive: the incentive is a settled year's, paid whole, and a pool given for
a year only partly reformed is refused. The physicians are counted by
:func:`ihms.sim.staff.physicians`, as the roster counts them. Village clinics and the
public-health institution, whose staff the county file does not count as physicians,
are paid by volume throughout. An outside hospital's money is left empty: what the
county's residents paid it is a sliver of its revenue, not its revenue. The money it
never records (consultation fees, total expense) is named in
:data:`UNRECORDED`, which a tables folder's ``dataset.json`` carries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ihms.data import resources_table, scale_resources
from ihms.data.synthetic import absent_resources
from ihms.errors import InputError
from ihms.payment.money import allocate
from ihms.payment.reform import SIM_PRODUCER
from ihms.sim._codes import OUT
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout
from ihms.sim.rng import RESOURCES
from ihms.sim.staff import SALARIED_TIERS, physicians
from ihms.system import RESOURCE_FIELDS, System, Tier

__all__ = ["PRODUCER", "UNRECORDED", "AnnualSalary", "institution_resources"]

#: The money the simulation records for each county institution (what it charged).
SIMULATED_MONEY = ("revenue_fen", "medical_income_fen", "personnel_cost_fen")
#: How the simulator's data sets name their maker, and the columns it never records,
#: by table (consultation fees within medical income, total expense): written to a
#: tables folder's dataset.json, so that ``ihms data check`` says these are not
#: simulated instead of asking for the figures (:func:`ihms.data.data_gaps`).
PRODUCER = SIM_PRODUCER
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


@dataclass(frozen=True)
class AnnualSalary:
    """Staff paid by annual salary in the reform regime's years (module docstring).

    Attributes
    ----------
    reformed
        Per year of the run (the layout's order), the share of its months from the
        reform on, exact (:func:`ihms.sim.regime.reform_month_shares`: ``Fraction(3,
        12)`` for 2017 under a reform in October 2017; not ``YearAccounts.reformed``, the
        behaviour ramp's mean); the base year is the last with 0 (else the first year).
    incentive_fen
        Per year, the staff-incentive pool the year's settlement assigns (fen), shared
        whole among the salaried. Only a settled year has one, and the run settles the
        whole years of the reform only (:func:`ihms.sim.regime.first_settled_year`): a
        year whose ``reformed`` share is below 1 (2017 under an October 2017 reform)
        has none, and a pool above 0 given for it is refused when the pools are built
        (:class:`~ihms.errors.InputError`, naming the year and its share).

    Raises
    ------
    TypeError
        A share that is not an exact ``Fraction`` (or int) from 0 to 1.
    """

    reformed: Sequence[Fraction]
    incentive_fen: Mapping[int, int]

    def __post_init__(self) -> None:
        for i, w in enumerate(self.reformed):
            if not isinstance(w, Fraction | int) or not 0 <= w <= 1:
                raise TypeError(
                    f"AnnualSalary.reformed[{i}]: expected an exact share of the year's "
                    f"months (Fraction from 0 to 1), got {w!r}"
                )


def _volume_fen(revenue: int, share_bp: int) -> int:
    return revenue * share_bp // 10_000


def _salary_pools(
    layout: CountyLayout,
    frame: pd.DataFrame,
    revenue_fen: np.ndarray,
    share_bp: int,
    salary: AnnualSalary,
) -> dict[tuple[int, int], int]:
    """Personnel cost (fen) of each salaried institution (index) and year (index) with any
    reform in it: the volume pay of the months before the reform, the base year's pay per
    physician for each physician over the reformed months, and — in a settled, wholly
    reformed year — the institution's share (by physicians, largest remainder) of the
    year's staff incentive."""
    years = layout.years
    reformed = list(salary.reformed)
    for yi, year in enumerate(years):
        pool = int(salary.incentive_fen.get(year, 0))
        if pool and reformed[yi] != 1:
            raise InputError(
                f"AnnualSalary.incentive_fen[{year}]: a staff incentive of {pool:,} fen for a "
                f"year only {reformed[yi]} under the reform (its salaried months' share); the "
                "incentive is a settled year's, and the run settles the whole years of the "
                "reform only (ihms.sim.regime.first_settled_year)"
            )
    before = [yi for yi, w in enumerate(reformed) if w == 0]
    base_yi = before[-1] if before else 0
    heads = physicians(frame.reset_index(), layout)
    # base pay per physician (fen, exact): the institution's own, else its tier's
    base: dict[int, tuple[int, int]] = {}
    for tier in SALARIED_TIERS:
        members = [
            i for i in range(len(layout.institution_ids)) if layout.institution_tier[i] == tier
        ]
        pool = sum(
            _volume_fen(int(revenue_fen[i, base_yi]), share_bp)
            for i in members
            if heads[i, base_yi]
        )
        count = sum(int(heads[i, base_yi]) for i in members)
        for i in members:
            own = int(heads[i, base_yi])
            base[i] = (
                (_volume_fen(int(revenue_fen[i, base_yi]), share_bp), own) if own else (pool, count)
            )
    out: dict[tuple[int, int], int] = {}
    for yi, year in enumerate(years):
        w = Fraction(reformed[yi])
        if w == 0:
            continue
        paid = [i for i in base if heads[i, yi] and base[i][1]]
        incentive = (
            allocate(
                int(salary.incentive_fen.get(year, 0)),
                [(str(i), int(heads[i, yi])) for i in paid],
            )
            if paid
            else {}
        )
        for i in paid:
            pool, count = base[i]
            volume = _volume_fen(int(revenue_fen[i, yi]), share_bp)
            mixed = (1 - w) * volume + w * heads[i, yi] * pool / count
            out[i, yi] = math.floor(mixed) + incentive[str(i)]
    return out


_BUILT: dict[tuple, tuple[System, pd.DataFrame]] = {}


def _beds_and_staff(
    system: System, years: tuple[int, ...], seed: int, scale: float
) -> pd.DataFrame:
    """The resources table's beds and staff by institution and year, scaled (the
    county file's, the unstaffed tiers' zeros, the outside hospitals' drawn sizes): a
    copy of the one built for this system object, years, seed and scale, which a
    comparison's runs and a session's repeated runs share (the county file read once,
    ``ihms.sim._parsed``)."""
    key = (id(system), years, seed, scale)
    held = _BUILT.get(key)
    if held is None or held[0] is not system:  # the system is held: its id is not reused
        parts = [
            resources_table(system, years=list(years)),
            _unstaffed(system, years),
            _outside(system, years, seed),
        ]
        frame = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
        frame = scale_resources(frame, system, scale=scale).set_index(["institution_id", "year"])
        while len(_BUILT) >= 8:
            del _BUILT[next(iter(_BUILT))]
        held = _BUILT[key] = (system, frame)
    return held[1].copy()


def institution_resources(
    system: System,
    layout: CountyLayout,
    config: SimulationConfig,
    *,
    revenue_fen: np.ndarray,
    scale: float = 1.0,
    annual_salary: AnnualSalary | None = None,
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
        institutions (Gao et al. 2022 Table 3's tertiary share of beds) does not depend on the
        run's size.
    annual_salary
        The reform regime pays its staff by annual salary (module docstring); None: all
        personnel cost is the configured share of revenue.
    """
    years = layout.years
    frame = _beds_and_staff(system, tuple(years), config.seed, scale)
    share_bp = round(config.resources.personnel_cost_share * 10_000)
    pools = (
        {}
        if annual_salary is None
        else _salary_pools(layout, frame, revenue_fen, share_bp, annual_salary)
    )
    rows = []
    for i, inst in enumerate(layout.institution_ids):
        if layout.institution_tier[i] == OUT:
            continue
        for yi, year in enumerate(years):
            if not layout.open_years[i, yi]:
                continue
            revenue = int(revenue_fen[i, yi])
            personnel = pools.get((i, yi), _volume_fen(revenue, share_bp))
            money = (revenue, revenue, personnel)
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
