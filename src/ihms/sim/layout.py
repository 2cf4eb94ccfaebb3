"""Where institutions and villages are: the county's geography as the simulator sees it.

A :class:`CountyLayout` holds every institution (id, tier, grid), the townships and
villages residents live in, and for each year which clinic, township health centre and
county hospital a village can reach and how far away they are. :func:`synthesize_layout`
lays a county out from counts (seed 002 Table 2 gives the number of county hospitals,
township health centres and village clinics per year): township centres are scattered
around the county seat, villages around their township centre, and facilities open in a
fixed order so that a count that grows adds facilities and one that shrinks closes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ihms.sim._codes import CH, OUT, THC, VC
from ihms.sim.config import SimulationConfig, parse_month
from ihms.sim.rng import LAYOUT, stream

__all__ = ["Access", "CountyLayout", "synthesize_layout"]


@dataclass(frozen=True)
class Access:
    """What the residents of each village can reach in one year (arrays by village)."""

    village_clinic: np.ndarray  # institution index of the nearest open clinic
    village_clinic_km: np.ndarray
    township_centre: np.ndarray  # institution index of the nearest open THC
    township_centre_km: np.ndarray
    county_hospital_km: np.ndarray
    outside_km: float


@dataclass(frozen=True)
class CountyLayout:
    """Institutions, grids, townships and villages of one county.

    Attributes
    ----------
    institution_ids, institution_tier, institution_grid
        One entry per institution (tier codes index :data:`ihms.sim._codes.TIERS`; the
        grid is ``""`` for institutions outside the county).
    open_years
        Boolean array (institutions × years): open in that year.
    county_hospitals, county_hospital_weights
        Indices of the county hospitals and the share of county-hospital patients each
        draws (the general hospital first).
    outside
        Index of the pseudo-institution that stands for hospitals outside the county.
    village_township, township_grid, village_weight
        Village → township → grid, and each village's share of the population.
    grid_ids
        Grid names, indexed by ``township_grid``.
    consortium_start, consortium_integration
        Per grid: the month its consortium starts (``NaT`` if none) and the integration
        degree (``"full"``/``"half"``/``"flexible"``).
    """

    years: tuple[int, ...]
    institution_ids: tuple[str, ...]
    institution_tier: np.ndarray
    institution_grid: tuple[str, ...]
    open_years: np.ndarray
    county_hospitals: np.ndarray
    county_hospital_weights: np.ndarray
    outside: int
    township_xy: np.ndarray
    township_grid: np.ndarray
    village_township: np.ndarray
    village_xy: np.ndarray
    village_weight: np.ndarray
    grid_ids: tuple[str, ...]
    consortium_ids: tuple[str, ...]
    consortium_start: np.ndarray
    consortium_integration: tuple[str, ...]
    outside_km: float
    clinic_village: np.ndarray  # per institution: the village of a clinic, else -1
    centre_township: np.ndarray  # per institution: the township of a THC, else -1
    village_clinic_index: np.ndarray  # per village: the institution index of its clinic

    @property
    def n_villages(self) -> int:
        return len(self.village_township)

    def institutions_of_tier(self, tier: int, year: int | None = None) -> np.ndarray:
        """Indices of the institutions of one tier (open in ``year`` if given)."""
        mask = self.institution_tier == tier
        if year is not None:
            mask &= self.open_years[:, self.years.index(year)]
        return np.flatnonzero(mask)

    def access(self, year: int) -> Access:
        """The nearest open clinic and THC of every village in ``year``, with distances."""
        y = self.years.index(year)
        vc = self.institutions_of_tier(VC, year)
        thc = self.institutions_of_tier(THC, year)
        vc_xy = self.village_xy[self.clinic_village[vc]]
        thc_xy = self.township_xy[self.centre_township[thc]]
        d_vc = np.hypot(*(self.village_xy[:, None, :] - vc_xy[None, :, :]).transpose(2, 0, 1))
        d_thc = np.hypot(*(self.village_xy[:, None, :] - thc_xy[None, :, :]).transpose(2, 0, 1))
        nearest_vc = np.argmin(d_vc, axis=1)
        nearest_thc = np.argmin(d_thc, axis=1)
        rows = np.arange(self.n_villages)
        own = self.open_years[self.village_clinic_index, y]
        vc_km = np.where(own, 0.5, np.maximum(d_vc[rows, nearest_vc], 0.5))
        return Access(
            village_clinic=vc[nearest_vc],
            village_clinic_km=vc_km,
            township_centre=thc[nearest_thc],
            township_centre_km=np.maximum(d_thc[rows, nearest_thc], 1.0),
            county_hospital_km=np.maximum(np.hypot(*self.village_xy.T), 1.0),
            outside_km=self.outside_km,
        )

    def consortium_active(self, months: np.ndarray) -> np.ndarray:
        """Boolean (grids × months): the grid's consortium exists in that month."""
        start = self.consortium_start
        return (~np.isnat(start))[:, None] & (start[:, None] <= months[None, :])


def _by_year(mapping: dict[int, int], years: list[int]) -> list[int]:
    """Counts for each year, carrying the last given count forward."""
    out, last = [], None
    for y in years:
        last = mapping.get(y, last)
        out.append(int(last))
    return out


def synthesize_layout(config: SimulationConfig) -> CountyLayout:
    """Lay a county out from the counts in ``config.geography``.

    Deterministic given ``config.seed``. Township centres lie at a distance drawn between
    ``township_distance_km`` from the county seat (where the county hospitals are);
    villages lie ``village_distance_km`` from their township centre. Township health
    centres open in township order and village clinics in a fixed random order, so the
    number open each year follows the configured counts.
    """
    geo = config.geography
    years = config.period.years
    rng = stream(config.seed, LAYOUT)
    n_t, n_v = geo.townships, geo.villages

    lo, hi = geo.township_distance_km
    radius = np.sqrt(rng.uniform(lo**2, hi**2, n_t))
    radius[0] = lo  # the county seat's own township
    angle = rng.uniform(0, 2 * np.pi, n_t)
    township_xy = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    township_grid = np.repeat(np.arange(len(geo.grids)), list(geo.grids.values()))

    size = rng.gamma(4.0, 1.0, n_t)
    village_township = np.sort(rng.choice(n_t, size=n_v, p=size / size.sum()))
    village_township[:n_t] = np.arange(n_t)  # every township has at least one village
    village_township = np.sort(village_township)
    vlo, vhi = geo.village_distance_km
    vr = rng.uniform(vlo, vhi, n_v)
    va = rng.uniform(0, 2 * np.pi, n_v)
    village_xy = township_xy[village_township] + np.column_stack([vr * np.cos(va), vr * np.sin(va)])
    village_weight = rng.gamma(6.0, 1.0, n_v)
    village_weight /= village_weight.sum()

    ids: list[str] = []
    tiers: list[int] = []
    grids: list[str] = []
    open_rows: list[np.ndarray] = []
    grid_names = list(geo.grids)

    ch_weights = 0.5 ** np.arange(geo.county_hospitals)
    for k in range(geo.county_hospitals):
        ids.append(f"CH{k + 1}")
        tiers.append(CH)
        grids.append(grid_names[0])
        open_rows.append(np.ones(len(years), bool))
    thc_counts = _by_year(geo.township_health_centres, years)
    thc_township = np.arange(n_t)
    for t in range(n_t):
        ids.append(f"THC{t + 1:02d}")
        tiers.append(THC)
        grids.append(grid_names[township_grid[t]])
        open_rows.append(np.array([t < c for c in thc_counts]))
    vc_counts = _by_year(geo.village_clinics, years)
    vc_rank = rng.permutation(n_v)
    vc_village = np.arange(n_v)
    for v in range(n_v):
        ids.append(f"VC{v + 1:03d}")
        tiers.append(VC)
        grids.append(grid_names[township_grid[village_township[v]]])
        open_rows.append(np.array([vc_rank[v] < c for c in vc_counts]))
    ids.append("OUT1")
    tiers.append(OUT)
    grids.append("")
    open_rows.append(np.ones(len(years), bool))

    tier_arr = np.array(tiers, dtype=np.int8)
    vc_index = np.flatnonzero(tier_arr == VC)
    thc_index = np.flatnonzero(tier_arr == THC)
    full_vc_village = np.full(len(ids), -1)
    full_vc_village[vc_index] = vc_village
    full_thc_township = np.full(len(ids), -1)
    full_thc_township[thc_index] = thc_township

    starts = np.full(len(grid_names), np.datetime64("NaT"), dtype="datetime64[M]")
    integration = ["flexible"] * len(grid_names)
    serving = [""] * len(grid_names)
    for cons in geo.consortia:
        for g in cons.grids:
            i = grid_names.index(g)
            start = parse_month(cons.start)
            better = cons.integration == "full" or np.isnat(starts[i]) or start < starts[i]
            if better:
                starts[i] = start
                integration[i] = cons.integration
                serving[i] = cons.id

    return CountyLayout(
        years=tuple(years),
        institution_ids=tuple(ids),
        institution_tier=tier_arr,
        institution_grid=tuple(grids),
        open_years=np.array(open_rows),
        county_hospitals=np.flatnonzero(tier_arr == CH),
        county_hospital_weights=ch_weights / ch_weights.sum(),
        outside=len(ids) - 1,
        township_xy=township_xy,
        township_grid=township_grid,
        village_township=village_township,
        village_xy=village_xy,
        village_weight=village_weight,
        grid_ids=tuple(grid_names),
        consortium_ids=tuple(serving),
        consortium_start=starts,
        consortium_integration=tuple(integration),
        outside_km=float(geo.outside_distance_km),
        clinic_village=full_vc_village,
        centre_township=full_thc_township,
        village_clinic_index=vc_index[np.argsort(vc_village)],
    )
