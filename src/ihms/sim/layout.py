"""Where institutions and residents are: the county's geography as the simulator sees it.

The structure comes from the delivery system (:mod:`ihms.system`, e.g.
``examples/youxi.yaml``): grids with their populations, the county hospitals, township
health centres and village clinics with the years they operate, the consortia serving
the grids, and the hospitals outside the county. The system has no coordinates, so
:func:`layout_from_system` places them, deterministically from the seed: the grids where
the county hospitals stand form the county seat, the other grid centres lie at a distance
drawn from ``geography.grid_distance_km``; every village clinic stands for one village at
``geography.village_distance_km`` from its grid centre; a grid's first township health
centre stands at the centre, any further one a few kilometres off. Hospitals outside the
county are at the road distances the config gives. Residents then reach, each year, the
nearest open clinic and centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ihms._repr import brief_repr
from ihms.errors import ConfigError
from ihms.sim._codes import CH, OUT, THC, VC, has_budget
from ihms.sim.config import SimulationConfig, parse_month
from ihms.sim.rng import LAYOUT, stream
from ihms.system import System, Tier

__all__ = ["Access", "CountyLayout", "check_reform_consortia", "layout_from_system"]

_TIER_CODE = {Tier.VILLAGE_CLINIC: VC, Tier.PRIMARY_CENTRE: THC, Tier.SECONDARY: CH}


@dataclass(frozen=True)
class Access:
    """What the residents of each village can reach in one year (arrays by village)."""

    village_clinic: np.ndarray  # institution index of the nearest open clinic
    village_clinic_km: np.ndarray
    township_centre: np.ndarray  # institution index of the nearest open THC
    township_centre_km: np.ndarray
    county_hospital_km: np.ndarray
    outside_km: np.ndarray  # per outside hospital


@dataclass(frozen=True)
class CountyLayout:
    """Institutions, grids and villages of one county, placed on a plane (km).

    Attributes
    ----------
    years
        The calendar years of the simulated period.
    institution_ids, institution_tier, institution_xy
        One entry per institution the simulation uses (tier codes index
        :data:`ihms.sim._codes.TIERS`; hospitals outside the county have code ``OUT``).
    open_years
        Boolean (institutions × years): operating that year.
    county_hospitals, county_hospital_weights
        Indices of the county hospitals and the share of county-hospital patients each
        draws (in proportion to its beds in the first year).
    outside, outside_weights, outside_km
        Indices of the hospitals outside the county, their shares of outside patients
        and their road distances.
    village_grid, village_xy, village_clinic_index, village_weight
        One entry per village: its grid, position, the institution index of its own
        clinic and its share of the grid's residents.
    grid_ids, grid_weight
        Grids of the study county and their shares of the first year's population.
    consortium_start, consortium_integration, consortium_ids
        Per grid: the first month of the consortium serving it (``NaT`` if none), its
        integration degree and id.
    """

    years: tuple[int, ...]
    institution_ids: tuple[str, ...]
    institution_tier: np.ndarray
    institution_xy: np.ndarray
    open_years: np.ndarray
    county_hospitals: np.ndarray
    county_hospital_weights: np.ndarray
    outside: np.ndarray
    outside_weights: np.ndarray
    outside_km: np.ndarray
    village_grid: np.ndarray
    village_xy: np.ndarray
    village_clinic_index: np.ndarray
    village_weight: np.ndarray
    grid_ids: tuple[str, ...]
    grid_weight: np.ndarray
    consortium_ids: tuple[str, ...]
    consortium_start: np.ndarray
    consortium_integration: tuple[str, ...]

    def __repr__(self) -> str:
        return brief_repr(
            self,
            years=self.years,
            institutions=len(self.institution_ids),
            grids=len(self.grid_ids),
            villages=len(self.village_grid),
            consortia=len(set(self.consortium_ids) - {""}),
        )

    @property
    def n_villages(self) -> int:
        return len(self.village_grid)

    def institutions_of_tier(self, tier: int, year: int | None = None) -> np.ndarray:
        """Indices of the institutions of one tier (open in ``year`` if given).

        Parameters
        ----------
        tier : int
            A tier code of :mod:`ihms.sim._codes` (``VC``, ``THC``, ``CH``, ``OUT``).
        year : int, optional
            A calendar year of :attr:`years`; None (the default) ignores opening years.
        """
        mask = self.institution_tier == tier
        if year is not None:
            mask &= self.open_years[:, self.years.index(year)]
        return np.flatnonzero(mask)

    def access(self, year: int) -> Access:
        """The nearest open clinic and THC of every village in ``year``, with distances.

        Parameters
        ----------
        year : int
            A calendar year of :attr:`years`.

        Returns
        -------
        Access
            Per village: institution indices and road distances in km (a village's own
            open clinic counts as 0.5 km; the THC and county seat at least 1 km).
        """
        vc = self.institutions_of_tier(VC, year)
        thc = self.institutions_of_tier(THC, year)
        d_vc = _distances(self.village_xy, self.institution_xy[vc])
        d_thc = _distances(self.village_xy, self.institution_xy[thc])
        nearest_vc = np.argmin(d_vc, axis=1)
        nearest_thc = np.argmin(d_thc, axis=1)
        rows = np.arange(self.n_villages)
        own = self.open_years[self.village_clinic_index, self.years.index(year)]
        seat = self.institution_xy[self.county_hospitals].mean(axis=0)
        return Access(
            village_clinic=vc[nearest_vc],
            village_clinic_km=np.where(own, 0.5, np.maximum(d_vc[rows, nearest_vc], 0.5)),
            township_centre=thc[nearest_thc],
            township_centre_km=np.maximum(d_thc[rows, nearest_thc], 1.0),
            county_hospital_km=np.maximum(np.hypot(*(self.village_xy - seat).T), 1.0),
            outside_km=self.outside_km,
        )

    def consortium_active(self, months: np.ndarray) -> np.ndarray:
        """Boolean (grids × months): the grid's consortium exists in that month.

        Parameters
        ----------
        months : numpy.ndarray
            Months as ``datetime64[M]``, compared with :attr:`consortium_start`.
        """
        start = self.consortium_start
        return (~np.isnat(start))[:, None] & (start[:, None] <= months[None, :])


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])


def layout_from_system(system: System, config: SimulationConfig) -> CountyLayout:
    """Place the study county of ``system`` on a plane and index it for the engine.

    Parameters
    ----------
    system : System
        The delivery system (counties, grids, institutions, consortia) read from the
        config's county file.
    config : SimulationConfig
        The simulation config: its period gives the years and its geography the
        placement.

    Raises
    ------
    ConfigError
        When the system lacks what the simulation needs: a county hospital and a
        township health centre open every year, a village clinic in every grid, or an
        outside hospital the config names. (Grid populations are checked by
        :func:`ihms.sim.population.population_targets`, which runs first.)
    """
    geo = config.geography
    years = config.period.years
    study = set(system.study_counties)
    grids = [g for g in system.grids if g.county in study]
    problems: list[str] = []
    grid_ids = tuple(g.id for g in grids)
    grid_index = {g: i for i, g in enumerate(grid_ids)}
    local = [
        i
        for i in system.institutions
        if i.county in study and i.tier in _TIER_CODE and i.grid in grid_index
    ]
    outside = []
    for inst_id in geo.outside:
        try:
            inst = system.institution(inst_id)
        except KeyError:
            problems.append(
                f"the simulation config's key 'simulation.geography.outside' names {inst_id!r}, "
                "which this county file lacks"
            )
            continue
        if inst.county in study:
            problems.append(
                f"the simulation config's key 'simulation.geography.outside' names {inst_id!r}, "
                "which is inside the county"
            )
        outside.append(inst)
    institutions = local + outside
    tiers = np.array([_TIER_CODE.get(i.tier, OUT) for i in local] + [OUT] * len(outside), np.int8)
    open_years = np.array([[i.active_in(y) for y in years] for i in institutions], bool)
    for code, name in ((CH, "county hospital"), (THC, "township health centre")):
        if not (open_years[tiers == code].any(axis=0)).all():
            problems.append(f"the study county needs a {name} open in every year of {years}")
    if problems:
        raise ConfigError(
            f"{system.source or 'county file'}: cannot simulate this county:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )

    rng = stream(config.seed, LAYOUT)
    xy = np.zeros((len(institutions), 2))
    inst_grid = np.array([grid_index.get(i.grid, -1) for i in institutions])
    seat_grids = {i.grid for i in local if i.tier is Tier.SECONDARY}
    lo, hi = geo.grid_distance_km
    radius = np.sqrt(rng.uniform(lo**2, hi**2, len(grids)))
    angle = rng.uniform(0, 2 * np.pi, len(grids))
    centre = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    for g, gid in enumerate(grid_ids):
        if gid in seat_grids:
            centre[g] = rng.uniform(-geo.seat_km, geo.seat_km, 2)
    vlo, vhi = geo.village_distance_km
    thc_seen: set[int] = set()
    for k, inst in enumerate(local):
        g = inst_grid[k]
        if inst.tier is Tier.SECONDARY:
            xy[k] = 0.0
        elif inst.tier is Tier.PRIMARY_CENTRE:
            offset = 0.0 if g not in thc_seen else rng.uniform(3.0, 8.0)
            a = rng.uniform(0, 2 * np.pi)
            xy[k] = centre[g] + offset * np.array([np.cos(a), np.sin(a)])
            thc_seen.add(g)
        else:
            r, a = rng.uniform(vlo, vhi), rng.uniform(0, 2 * np.pi)
            xy[k] = centre[g] + r * np.array([np.cos(a), np.sin(a)])

    villages = np.flatnonzero(tiers == VC)
    village_grid = inst_grid[villages]
    weight = rng.gamma(6.0, 1.0, len(villages))
    first = years[0]
    grid_pop = np.array([g.population[first] for g in grids], float)
    for g in range(len(grids)):
        sel = village_grid == g
        if not sel.any():
            raise ConfigError(
                f"grid {grid_ids[g]!r} has no village clinic; the simulation needs one"
            )
        weight[sel] *= grid_pop[g] / weight[sel].sum()
    ch = np.flatnonzero(tiers == CH)
    beds = np.array([_beds(local[i], first) for i in ch], float)
    ch_w = beds / beds.sum() if beds.sum() > 0 else np.full(len(ch), 1 / len(ch))
    out = np.flatnonzero(tiers == OUT)
    out_w = np.array([geo.outside[i.id].share for i in outside], float)

    starts = np.full(len(grids), np.datetime64("NaT"), dtype="datetime64[M]")
    integration = ["flexible"] * len(grids)
    serving = [""] * len(grids)
    for g, gid in enumerate(grid_ids):
        for cons in system.grid_consortia(gid):
            if not cons.type.serves_grid:
                continue
            start = parse_month(f"{cons.start_year or first:04d}-01")
            if np.isnat(starts[g]) or cons.fully_integrated or start < starts[g]:
                starts[g], integration[g], serving[g] = start, cons.integration.value, cons.id

    return CountyLayout(
        years=tuple(years),
        institution_ids=tuple(i.id for i in institutions),
        institution_tier=tiers,
        institution_xy=xy,
        open_years=open_years,
        county_hospitals=ch,
        county_hospital_weights=ch_w,
        outside=out,
        outside_weights=out_w / out_w.sum(),
        outside_km=np.array([geo.outside[i.id].km for i in outside], float),
        village_grid=village_grid,
        village_xy=xy[villages],
        village_clinic_index=villages,
        village_weight=weight / weight.sum(),
        grid_ids=grid_ids,
        grid_weight=grid_pop / grid_pop.sum(),
        consortium_ids=tuple(serving),
        consortium_start=starts,
        consortium_integration=tuple(integration),
    )


def _beds(inst, year: int) -> float:
    res = inst.resources.get(year)
    return float(res.beds or 0) if res is not None else 0.0


def check_reform_consortia(
    layout: CountyLayout, *, regime: str, reform: str, source: str = ""
) -> None:
    """An integrated regime pays a consortium per grid: every grid needs one by the
    reform month. Fee for service needs none.

    Raises
    ------
    ConfigError
        Naming the county file (``source``), each grid without a consortium by then and
        the consortium that serves it later with its ``start_year``, and the first
        reform month that would work.
    """
    if not has_budget(regime):
        return
    month = parse_month(reform)
    serving = getattr(layout, "consortium_ids", None) or [""] * len(layout.grid_ids)
    missing = [
        (gid, start, cid)
        for gid, start, cid in zip(layout.grid_ids, layout.consortium_start, serving, strict=True)
        if np.isnat(start) or start > month
    ]
    if not missing:
        return
    said = [
        f"grid {gid!r} has no county medical community or urban medical group"
        if np.isnat(start)
        else f"grid {gid!r} is served by consortium {cid!r} only from its start_year "
        f"{str(start)[:4]}"
        for gid, start, cid in missing
    ]
    later = [start for _, start, _ in missing if not np.isnat(start)]
    fix = (
        f"give a reform from {str(max(later))[:4]}-01 on (--reform or reform.date) or an "
        "earlier start_year"
        if len(later) == len(missing)
        else "give each grid a consortium in the county file"
    )
    where = f"{source}: " if source else ""
    raise ConfigError(
        f"{where}regime {regime!r} from {reform} pays a consortium for each grid, but "
        f"{'; '.join(said)}; {fix}"
    )
