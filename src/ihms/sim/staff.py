"""The county's physicians paid by annual salary, and the activities their scorecards count.

Sanming's annual-salary scorecards count, for doctors, health education sessions held and
— the cooperation Zhong et al. 2023 names — county-hospital doctors going down to the township
health centres to consult; the online supervision system records each one (the data
layer's ``staff_activities``). The simulator gives the county the staff and the records:

- **Roster** (:func:`simulated_staff`): one physician per head the ``resources`` table
  counts (``gps + specialists``) at each county hospital and township health centre of
  the study county, each year — so a scaled run has the scaled head counts. A
  physician is a slot of the institution: slot *k* works there in every year the
  institution counts more than *k* physicians, so the same person stays from year to
  year and a growing hospital adds people. The staff id is a pseudonym drawn from the
  seed and the slot (``S`` and 12 hex digits), the same in every run with that seed.
- **Activities** (:func:`staff_activities`): each month a physician holds a Poisson
  number of health education sessions and consults on a Poisson number of days, with
  means the configured yearly rates of the regime in force (blended over the reform's
  ramp as the other behaviour is) ÷ 12, times the physician's own propensity (log-normal,
  mean one, ``doctor_sd``). Each falls on a distinct working day (Monday to Friday;
  public holidays are not modelled) of the month. A session is held at the physician's
  own institution; a county-hospital physician consults at one township health centre
  a year, a centre's physician at one village clinic of the centre's grid, each drawn
  among those operating that year (the schema's rule: a consultation day is at another,
  primary-care institution) — none when there is none.

Every draw is a :class:`~ihms.sim.rng.KeyedUniforms` value of the run's own ``STAFF``
component, keyed by physician, month and day: no other draw of the run moves, and the
regimes of a comparison share the staff's draws too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.special import ndtri

from ihms.data import SCHEMAS
from ihms.errors import ConfigError
from ihms.sim._codes import CH, THC, TIERS, VC
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import CountyLayout
from ihms.sim.regime import Behaviour
from ihms.sim.rng import STAFF, KeyedUniforms, poisson_counts
from ihms.system import System

__all__ = [
    "SALARIED_TIERS",
    "STAFF_COLUMNS",
    "physicians",
    "simulated_staff",
    "staff_activities",
    "staff_table",
]

#: Columns of the simulated roster: one row per physician and year worked; ``slot`` is
#: the physician's place at the institution (0 the first), which keys their draws.
STAFF_COLUMNS = ("staff_id", "institution_id", "tier", "year", "slot")

_SLOTS = 1 << 20  # slots per institution in a physician's key
_MONTHS = 1 << 10  # months (or years) per physician in a key
_DAYS = 32
# attributes of the keyed draws
_ID, _PROPENSITY, _HOST = 0, 1, 2
_COUNT = {"health_education_session": 3, "thc_consultation_day": 4}
_DAY = {"health_education_session": 5, "thc_consultation_day": 6}
_RATE = {
    "health_education_session": "health_education_sessions",
    "thc_consultation_day": "consultation_days",
}
#: Tiers whose physicians the annual salary system pays (and the roster counts).
SALARIED_TIERS = (CH, THC)


def physicians(resources: pd.DataFrame, layout: CountyLayout) -> np.ndarray:
    """The physicians the annual salary system pays: per institution × year (the
    layout's orders), ``gps + specialists`` of each county hospital and township health
    centre in the years it is open, a missing count taken as 0; 0 for every other
    institution and year. The roster (:func:`simulated_staff`), the salary pools
    (:mod:`ihms.sim.resources`) and the comparison's per-physician rows
    (:mod:`ihms.sim.compare`) all count them here.

    Parameters
    ----------
    resources
        A ``resources`` table: ``institution_id``, ``year``, ``gps``, ``specialists``
        (rows of institutions or years the layout lacks are ignored).
    layout
        The county's institutions, their tiers and open years.

    Returns
    -------
    numpy.ndarray
        int64, institutions × years.
    """
    counts = np.zeros((len(layout.institution_ids), len(layout.years)), np.int64)
    index = {inst: i for i, inst in enumerate(layout.institution_ids)}
    years = {y: j for j, y in enumerate(layout.years)}
    heads = resources["gps"].fillna(0).astype(int) + resources["specialists"].fillna(0).astype(int)
    for inst, year, n in zip(resources["institution_id"], resources["year"], heads, strict=True):
        i, j = index.get(inst), years.get(int(year))
        if i is not None and j is not None and layout.institution_tier[i] in SALARIED_TIERS:
            counts[i, j] = int(n) if layout.open_years[i, j] else 0
    return counts


def _keys(layout: CountyLayout, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Institution index and key of every physician slot any year uses."""
    most = counts.max(axis=1)
    inst = np.repeat(np.arange(len(most)), most)
    slot = np.concatenate([np.arange(n) for n in most]) if most.sum() else np.zeros(0, int)
    return inst, inst.astype(np.int64) * _SLOTS + slot


def simulated_staff(
    resources: pd.DataFrame, layout: CountyLayout, config: SimulationConfig
) -> pd.DataFrame:
    """The physicians of the county hospitals and township health centres, per year.

    Parameters
    ----------
    resources
        The run's ``resources`` table (head counts already scaled to the run's size).
    layout
        The county's institutions (which are county hospitals and centres, and open).
    config
        For the seed.

    Returns
    -------
    pandas.DataFrame
        :data:`STAFF_COLUMNS`: one row per physician and year worked, sorted by year,
        institution and slot; ``tier`` as the simulator names it
        (``county_hospital``, ``township_health_centre``).

    Raises
    ------
    ConfigError
        An institution counting more physicians than a key can address (2**20).
    """
    counts = physicians(resources, layout)
    if counts.max(initial=0) >= _SLOTS:
        raise ConfigError(f"resources: more than {_SLOTS - 1:,} physicians at one institution")
    inst, key = _keys(layout, counts)
    draws = KeyedUniforms(config.seed, STAFF)
    hashed = draws.bits(key, _ID) >> np.uint64(16)
    ids = np.array([f"S{int(h):012x}" for h in hashed], dtype=object)
    if len(set(ids)) != len(ids):  # 48 bits: practically never; then the seed is refused
        raise ConfigError(f"seed {config.seed}: two simulated staff ids coincide; choose another")
    slot = key % _SLOTS
    rows = [
        (ids[s], layout.institution_ids[i], TIERS[layout.institution_tier[i]], year, int(slot[s]))
        for j, year in enumerate(layout.years)
        for s in np.flatnonzero(slot < counts[inst, j])
        for i in (inst[s],)
    ]
    return pd.DataFrame(rows, columns=list(STAFF_COLUMNS)).astype(
        {"year": "int64", "slot": "int64"}
    )


def _hosts(system: System, layout: CountyLayout) -> dict[int, list[np.ndarray]]:
    """Per institution index and year: the indices of the primary-care institutions its
    physicians may consult at (a county hospital's: the township health centres; a
    centre's: the village clinics of its grid), operating that year."""
    grid = {inst.id: inst.grid for inst in system.institutions}
    tier = layout.institution_tier
    ids = layout.institution_ids
    centres = np.flatnonzero(tier == THC)
    hosts: dict[int, list[np.ndarray]] = {}
    for i in np.flatnonzero(np.isin(tier, SALARIED_TIERS)):
        pool = (
            centres
            if tier[i] == CH
            else np.array(
                [c for c in np.flatnonzero(tier == VC) if grid.get(ids[c]) == grid[ids[i]]]
            )
        ).astype(np.int64)
        hosts[int(i)] = [pool[layout.open_years[pool, j]] for j in range(len(layout.years))]
    return hosts


def _working_days(months: np.ndarray) -> np.ndarray:
    """Months × 31 first-of-month offsets of the month's working days (-1: none)."""
    out = np.full((len(months), 31), -1, np.int64)
    for m, month in enumerate(months):
        first = month.astype("datetime64[D]")
        days = np.arange(first, (month + 1).astype("datetime64[D]"))
        work = days[(days.astype(np.int64) + 3) % 7 < 5]  # 1970-01-01 was a Thursday
        out[m, : len(work)] = (work - first).astype(np.int64)
    return out


def staff_activities(
    staff: pd.DataFrame,
    system: System,
    layout: CountyLayout,
    config: SimulationConfig,
    behaviour: Behaviour,
) -> pa.Table:
    """The ``staff_activities`` table of the run: the roster's sessions and consultation
    days, month by month under the regime in force (module docstring).

    Parameters
    ----------
    staff
        :func:`simulated_staff`.
    system, layout
        The county (each centre's grid, who operates when).
    config
        Its ``staff`` section gives the rates; None gives an empty table.
    behaviour
        The run's behaviour (``reformed``: the reform regime's share each month).
    """
    schema = SCHEMAS["staff_activities"].to_arrow()
    rates = config.staff
    if rates is None or staff.empty:
        return schema.empty_table()
    draws = KeyedUniforms(config.seed, STAFF)
    months = config.period.months
    month_year = months.astype("datetime64[Y]").astype(int) + 1970
    work = _working_days(months)
    n_work = (work >= 0).sum(axis=1)
    base = rates.regimes[config.baseline_regime]
    new = rates.regimes[behaviour.regime]
    index = {inst: i for i, inst in enumerate(layout.institution_ids)}
    year_index = {y: j for j, y in enumerate(layout.years)}
    hosts = _hosts(system, layout)

    inst = staff["institution_id"].map(index).to_numpy(np.int64)
    key = inst * _SLOTS + staff["slot"].to_numpy(np.int64)
    z = ndtri(np.clip(draws.u(key, _PROPENSITY), 1e-12, 1 - 1e-12))
    propensity = np.exp(rates.doctor_sd * z - rates.doctor_sd**2 / 2)
    tier = staff["tier"].to_numpy()
    year = staff["year"].to_numpy(np.int64)
    consulted_at = _consulted(draws, key, inst, year, hosts, year_index)
    parts = []
    for activity, count_attr in _COUNT.items():
        rate_of = _RATE[activity]
        for m in range(len(months)):
            here = np.flatnonzero(year == month_year[m])
            if not len(here):
                continue
            w = behaviour.reformed[m]
            per_year = np.array(
                [
                    (1 - w) * getattr(base, rate_of)[t] + w * getattr(new, rate_of)[t]
                    for t in tier[here]
                ]
            )
            k_m = key[here] * _MONTHS + m
            count = poisson_counts(
                draws.u(k_m, count_attr), per_year / 12 * propensity[here], most=int(n_work[m])
            ).astype(np.int64)
            host = inst[here]
            if activity == "thc_consultation_day":  # no host that year, no days
                host = consulted_at[here]
                count = np.where(host >= 0, count, 0)
            parts.append(_days(draws, k_m, count, host, here, work[m], months[m], activity))
    parts = [p for p in parts if len(p)]
    if not parts:
        return schema.empty_table()
    frame = pd.concat(parts, ignore_index=True)
    row = frame["row"].to_numpy(np.int64)
    ids = np.array(layout.institution_ids, dtype=object)
    out = pd.DataFrame(
        {
            "staff_id": staff["staff_id"].to_numpy()[row],
            "institution_id": staff["institution_id"].to_numpy()[row],
            "date": frame["date"].to_numpy(),
            "activity": frame["activity"].to_numpy(),
            "host_institution_id": ids[frame["host"].to_numpy(np.int64)],
        }
    ).sort_values(["staff_id", "date", "activity"], kind="stable", ignore_index=True)
    return pa.Table.from_pandas(out, schema=schema, preserve_index=False)


def _consulted(draws, key, inst, year, hosts, year_index):
    """The host of each physician's consultation days that year (-1: none operating)."""
    host = np.full(len(key), -1, np.int64)
    u = draws.u(key * _MONTHS + np.array([year_index[int(y)] for y in year]), _HOST)
    for r in range(len(key)):
        pool = hosts[int(inst[r])][year_index[int(year[r])]]
        if len(pool):
            host[r] = pool[min(int(u[r] * len(pool)), len(pool) - 1)]
    return host


def _days(draws, k_m, count, host, rows, work, month, activity) -> pd.DataFrame:
    """``count`` distinct working days of ``month`` per row, at ``host``."""
    busy = np.flatnonzero(count > 0)
    if not len(busy):
        return pd.DataFrame(columns=["row", "date", "activity", "host"])
    days = np.arange(_DAYS - 1)
    keys = (k_m[busy, None] * _DAYS + days[None, :]).ravel()
    u = draws.u(keys, _DAY[activity]).reshape(len(busy), -1)
    u[:, work < 0] = np.inf  # not a working day: never chosen
    rank = np.argsort(np.argsort(u, axis=1), axis=1)
    chosen = rank < count[busy, None]
    r, d = np.nonzero(chosen)
    first = month.astype("datetime64[D]")
    return pd.DataFrame(
        {
            "row": rows[busy[r]],
            "date": first + work[d].astype("timedelta64[D]"),
            "activity": activity,
            "host": host[busy[r]],
        }
    )


def staff_table(staff: pd.DataFrame) -> pa.Table:
    """The roster as the Arrow table the sinks write (``simulation/staff.parquet``)."""
    return pa.Table.from_pandas(staff, preserve_index=False)
