"""Helpers of :mod:`ihms.data.synthetic`: institution choice, the register and the
synthetic multi-county system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ihms.data.schema import ENCOUNTER_TYPES
from ihms.system import (
    Affiliation,
    Consortium,
    ConsortiumType,
    County,
    Grid,
    Institution,
    Integration,
    Ownership,
    Resources,
    System,
    Tier,
)

if TYPE_CHECKING:  # pragma: no cover
    from ihms.data.synthetic import SyntheticRates

_TIERS = [t.value for t in Tier]
_EPOCH = np.datetime64("1970-01-01", "D")
_TYPES = list(ENCOUNTER_TYPES)
_CONDS = ["hypertension", "diabetes"]

# A small ICD-10 vocabulary: common ambulatory and inpatient diagnosis groups.
_DX_AMBULATORY = np.array(
    [
        "J06",
        "I10",
        "E11",
        "K29",
        "M54",
        "J20",
        "K52",
        "N39",
        "L30",
        "H10",
        "J02",
        "M17",
        "R51",
        "K21",
        "J45",
        "I25",
        "B34",
        "R10",
        "J18",
        "M79",
        "K30",
        "E78",
        "G43",
        "F41",
        "H52",
        "N76",
        "L23",
        "K05",
        "J30",
        "R05",
    ]
)
_DX_INPATIENT = np.array(
    [
        "J18",
        "I63",
        "I25",
        "I50",
        "J44",
        "K80",
        "K35",
        "S72",
        "O80",
        "N18",
        "E11",
        "I10",
        "C34",
        "C16",
        "K92",
        "J96",
        "A09",
        "N39",
        "S06",
        "K56",
    ]
)
_DX = [*_DX_AMBULATORY, *_DX_INPATIENT]


def _days(d: date) -> int:
    return int((np.datetime64(d, "D") - _EPOCH).astype(int))


def _ids(prefix: str, n: int, start: int = 0) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(start, start + n, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(pa.scalar(prefix), numbers, "")


def _date_array(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


class _Institutions:
    """Institution attributes as arrays, and a chooser of institutions by tier and area."""

    def __init__(self, system: System, rng: np.random.Generator) -> None:
        self.rng = rng
        insts = system.institutions
        self.ids = np.array([i.id for i in insts])
        self.tier = np.array([_TIERS.index(i.tier.value) for i in insts])
        grids = [g.id for g in system.grids]
        counties = [c.id for c in system.counties]
        self.grid = np.array([grids.index(i.grid) if i.grid in grids else -1 for i in insts])
        self.county = np.array([counties.index(i.county) for i in insts])
        self.active_from = np.array(
            [i.active_from if i.active_from is not None else -(10**6) for i in insts]
        )
        self.active_to = np.array(
            [i.active_to if i.active_to is not None else 10**6 for i in insts]
        )
        self.grid_county = np.array([counties.index(g.county) for g in system.grids])
        self.study = np.array([c.id in system.study_counties for c in system.counties])
        self._cache: dict[tuple[int, int, int], np.ndarray] = {}

    def candidates(self, tier: int, year: int, grid: int) -> np.ndarray:
        key = (tier, year, grid)
        if key not in self._cache:
            active = (self.active_from <= year) & (year <= self.active_to) & (self.tier == tier)
            county = self.grid_county[grid]
            if tier == _TIERS.index("tertiary"):
                steps = [active]
            elif tier == _TIERS.index("secondary"):
                steps = [active & (self.county == county), active]
            else:
                steps = [active & (self.grid == grid), active & (self.county == county), active]
            found = np.array([], dtype=np.int64)
            for mask in steps:
                found = np.flatnonzero(mask)
                if len(found):
                    break
            self._cache[key] = found
        return self._cache[key]

    def choose(self, tier: np.ndarray, year: np.ndarray, grid: np.ndarray) -> np.ndarray:
        """An institution index per row (-1 where no institution of the tier exists)."""
        out = np.full(len(tier), -1, dtype=np.int64)
        key = (tier.astype(np.int64) * 10_000 + (year.astype(np.int64) - 1900)) * 100_000 + grid
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        bounds = np.flatnonzero(np.diff(sorted_key)) + 1
        for part in np.split(order, bounds):
            if not len(part):
                continue
            r = part[0]
            cands = self.candidates(int(tier[r]), int(year[r]), int(grid[r]))
            if len(cands):
                out[part] = cands[self.rng.integers(0, len(cands), size=len(part))]
        return out


def _decode(codes: np.ndarray, names: list[str]) -> pa.Array:
    """Integer codes (-1 = null) to a string array, without Python strings per row."""
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(names)).cast(pa.string())


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.where(age < 35, 0, np.where(age < 60, 1, 2))


@dataclass(frozen=True)
class _Residents:
    table: pa.Table
    ids: pa.Array
    grid: np.ndarray
    entry: np.ndarray
    exit: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    span: np.ndarray
    hypertension: np.ndarray
    diabetes: np.ndarray


def _residents(
    system: System,
    years: tuple[int, ...],
    p0: int,
    p1: int,
    scale: float,
    rates: SyntheticRates,
    insts: _Institutions,
    rng: np.random.Generator,
) -> _Residents:
    """The register: each grid's year-end targets met by entries and exits."""
    grid_idx, entry, exit_, age0 = [], [], [], []
    for g_i, g in enumerate(system.grids):
        targets = [round(g.population.get(y, 0) * scale) for y in years]
        old_share = (
            g.aged_60_plus.get(years[0], 0) / g.population[years[0]]
            if g.population.get(years[0])
            else 0.15
        )
        n0 = targets[0]
        ent = [np.full(n0, -(10**6))]
        ext = [np.full(n0, 10**6)]
        for k in range(1, len(years)):
            change = targets[k] - targets[k - 1]
            y0, y1 = _days(date(years[k], 1, 1)), _days(date(years[k], 12, 31))
            if change > 0:
                ent.append(rng.integers(y0, y1 + 1, size=change))
                ext.append(np.full(change, 10**6))
            elif change < 0:
                pool = np.flatnonzero(np.concatenate(ext) == 10**6)
                leave = rng.choice(pool, size=-change, replace=False)
                all_ext = np.concatenate(ext)
                all_ext[leave] = rng.integers(y0, y1 + 1, size=-change)
                ext = [all_ext]
                ent = [np.concatenate(ent)]
        e, x = np.concatenate(ent), np.concatenate(ext)
        n = len(e)
        old = rng.random(n) < old_share
        age0.append(np.where(old, rng.integers(60, 91, n), rng.integers(0, 60, n)))
        grid_idx.append(np.full(n, g_i))
        entry.append(e)
        exit_.append(x)
    grid_of = np.concatenate(grid_idx)
    entry_d = np.concatenate(entry)
    exit_d = np.concatenate(exit_)
    age = np.concatenate(age0)
    n_res = len(grid_of)
    band = _age_band(age)
    ht = rng.random(n_res) < np.asarray(rates.hypertension_by_age)[band]
    dm = rng.random(n_res) < np.asarray(rates.diabetes_by_age)[band]
    fp = rng.random(n_res) < rates.fp_registered_share
    centre = insts.choose(
        np.full(n_res, _TIERS.index("primary_centre")), np.full(n_res, years[0]), grid_of
    )
    fp_inst = np.where(fp & (centre >= 0), centre, -1)
    res_ids = _ids("R", n_res)
    grid_ids = np.array([g.id for g in system.grids])
    born_entry = entry_d > -(10**6)
    fp_since = _registration_days(fp, entry_d, exit_d, years[0] - age, p0, p1, rng)
    residents = pa.table(
        {
            "resident_id": res_ids,
            "birth_year": pa.array((years[0] - age).astype(np.int16)),
            "sex": pa.array(np.where(rng.random(n_res) < 0.5, "F", "M")),
            "grid_id": pa.array(grid_ids[grid_of]),
            "insured": pa.array(rng.random(n_res) < rates.insured_share),
            "fp_registered": pa.array(fp),
            "fp_registered_date": _date_array(fp_since, mask=~fp),
            "fp_institution_id": pa.array(
                np.where(fp_inst >= 0, insts.ids[np.maximum(fp_inst, 0)], None)
            ),
            "hypertension": pa.array(ht),
            "diabetes": pa.array(dm),
            "entry_date": _date_array(np.where(born_entry, entry_d, 0), mask=~born_entry),
            "exit_date": _date_array(np.where(exit_d < 10**6, exit_d, 0), mask=exit_d >= 10**6),
        }
    )
    start = np.maximum(entry_d, p0)
    stop = np.minimum(exit_d - 1, p1)
    span = np.maximum(stop - start + 1, 0)

    return _Residents(residents, res_ids, grid_of, entry_d, exit_d, start, stop, span, ht, dm)


def _registration_days(
    registered: np.ndarray,
    entry: np.ndarray,
    exit_: np.ndarray,
    birth_year: np.ndarray,
    p0: int,
    p1: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Day each registration began: uniform from the latest of three years before the
    period, the resident's arrival and birth, to the earlier of the day before leaving
    and the period's end (registration shares rise over the period, as in the seeds).
    Drawn from a child generator, so the rest of the data set is unchanged by it."""
    draw = rng.spawn(1)[0]
    # 1 January of the birth year, in days since 1970 like the other day counts
    birth_days = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(int)
    lo = np.maximum.reduce([np.full(len(entry), p0 - 3 * 365), entry, birth_days])
    hi = np.maximum(np.minimum(exit_ - 1, p1), lo)
    days = lo + np.floor(draw.random(len(entry)) * (hi - lo + 1)).astype(np.int64)
    return np.where(registered, days, 0)


def synthetic_system(
    *,
    counties: int = 8,
    grids_per_county: int = 5,
    centres_per_grid: int = 2,
    clinics_per_grid: int = 8,
    population_per_grid: int = 25_000,
    tertiary: int = 4,
    years: tuple[int, int] = (2016, 2019),
) -> System:
    """A system of identical counties, each with three county hospitals (the first
    leading a fully integrated county medical community over its grids), primary
    centres and village clinics per grid and a CDC; tertiary hospitals in a city
    outside. The defaults give 436 institutions and one million residents."""
    county_objs = [
        County(f"C{c:02d}", f"County {c:02d}", "Prefecture") for c in range(1, counties + 1)
    ]
    county_objs.append(County("CITY", "City districts", "Prefecture", kind="district"))
    grids: list[Grid] = []
    insts: list[Institution] = []
    consortia: list[Consortium] = []
    first, last = years
    tertiary_ids = [f"T{k:02d}" for k in range(1, tertiary + 1)]
    for t in tertiary_ids:
        insts.append(
            Institution(
                t,
                f"Tertiary hospital {t}",
                Tier.TERTIARY,
                Affiliation.PROVINCIAL,
                Ownership.PUBLIC,
                "CITY",
            )
        )
    for c in county_objs[:-1]:
        members = []
        cgrids = []
        for g in range(1, grids_per_county + 1):
            gid = f"{c.id}-G{g}"
            cgrids.append(gid)
            grids.append(
                Grid(
                    gid,
                    f"{c.name} grid {g}",
                    c.id,
                    {y: population_per_grid for y in range(first, last + 1)},
                )
            )
            for k in range(1, centres_per_grid + 1):
                iid = f"{gid}-THC{k}"
                res = {
                    y: Resources(
                        y, beds=20 + 5 * k, gps=4 + k, specialists=6, nurses=10, health_workers=30
                    )
                    for y in range(first, last + 1)
                }
                insts.append(
                    Institution(
                        iid,
                        f"Centre {iid}",
                        Tier.PRIMARY_CENTRE,
                        Affiliation.COUNTY,
                        Ownership.PUBLIC,
                        c.id,
                        gid,
                        resources=res,
                    )
                )
                members.append(iid)
            for k in range(1, clinics_per_grid + 1):
                iid = f"{gid}-VC{k}"
                insts.append(
                    Institution(
                        iid,
                        f"Clinic {iid}",
                        Tier.VILLAGE_CLINIC,
                        Affiliation.COUNTY,
                        Ownership.COLLECTIVE,
                        c.id,
                        gid,
                        parent=f"{gid}-THC1",
                    )
                )
                members.append(iid)
        for k in range(1, 4):
            iid = f"{c.id}-CH{k}"
            res = {
                y: Resources(
                    y,
                    beds=300 // k,
                    gps=5,
                    specialists=120 // k,
                    nurses=150 // k,
                    health_workers=400 // k,
                )
                for y in range(first, last + 1)
            }
            insts.append(
                Institution(
                    iid,
                    f"County hospital {iid}",
                    Tier.SECONDARY,
                    Affiliation.COUNTY,
                    Ownership.PUBLIC,
                    c.id,
                    cgrids[0],
                    resources=res,
                )
            )
            members.append(iid)
        insts.append(
            Institution(
                f"{c.id}-CDC",
                f"CDC {c.id}",
                Tier.PUBLIC_HEALTH,
                Affiliation.COUNTY,
                Ownership.PUBLIC,
                c.id,
                cgrids[0],
            )
        )
        consortia.append(
            Consortium(
                f"{c.id}-CMC",
                f"{c.name} medical community",
                ConsortiumType.COUNTY_MEDICAL_COMMUNITY,
                Integration.FULL,
                f"{c.id}-CH1",
                tuple(members),
                tuple(cgrids),
                refers_up_to=tuple(tertiary_ids[:2]),
            )
        )
    return System(
        name=f"Synthetic system ({counties} counties)",
        counties=tuple(county_objs),
        grids=tuple(grids),
        institutions=tuple(insts),
        consortia=tuple(consortia),
        period=(date(first, 1, 1), date(last, 12, 31)),
    ).check()
