"""Residents: who lives in the county, from when to when, where, and with what traits.

Two steps. :func:`plan_population` projects the expected population month by month
(cohort-component method: deaths, births, net migration) and solves for the few free
numbers — the first-year total, the single-year cohorts who turn 60 during the period and
each later year's net migration — so that the year-end totals and 60+ shares follow the
county file's grids (for Youxi, Zhong et al. 2023 Table 2). :func:`sample_residents` then draws
the residents of one fixed
block independently from that plan with the block's own random stream, so a block is the
same whichever chunk it is processed in, and any block can be regenerated on demand
(memory stays bounded by the chunk, not the county).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from ihms.errors import ConfigError
from ihms.sim.config import SimulationConfig
from ihms.sim.rng import POPULATION, stream

__all__ = [
    "PopulationPlan",
    "Residents",
    "plan_population",
    "population_targets",
    "sample_residents",
]

MAX_AGE = 100
_BORN, _INITIAL, _MIGRANT = 0, 1, 2


@dataclass(frozen=True)
class PopulationPlan:
    """Expected demography of the county, month by month (all counts already scaled).

    Attributes
    ----------
    months
        The simulated months (``datetime64[M]``).
    initial_birth_years, initial
        Birth years of the first month's residents and their expected counts.
    births, inmigrants
        Expected arrivals per month (in-migrants are aged ``migration_ages``).
    death_hazard
        Monthly death probability under 60 and at 60+.
    outmigration_hazard
        Monthly probability that a resident of migration age leaves.
    expected_total, expected_60_plus
        The projection the plan was solved for, per month.
    """

    months: np.ndarray
    initial_birth_years: np.ndarray
    initial: np.ndarray
    births: np.ndarray
    inmigrants: np.ndarray
    death_hazard: tuple[float, float]
    outmigration_hazard: np.ndarray
    migration_ages: tuple[int, int]
    expected_total: np.ndarray
    expected_60_plus: np.ndarray
    scale: float

    @property
    def n_slots(self) -> int:
        """Number of residents ever present in the period (rounded expectation)."""
        return round(self.initial.sum() + self.births.sum() + self.inmigrants.sum())

    def year_end(self) -> dict[int, tuple[float, float]]:
        """Expected population and 60+ share in the last month of each calendar year."""
        years = self.months.astype("datetime64[Y]").astype(int) + 1970
        out = {}
        for y in np.unique(years):
            last = np.flatnonzero(years == y)[-1]
            out[int(y)] = (
                float(self.expected_total[last]),
                float(self.expected_60_plus[last] / self.expected_total[last]),
            )
        return out

    def mean_population(self, year: int) -> float:
        """Expected mean population over the months of ``year``."""
        years = self.months.astype("datetime64[Y]").astype(int) + 1970
        return float(self.expected_total[years == year].mean())


@dataclass(frozen=True)
class Residents:
    """The residents of one block (arrays of equal length).

    ``entry``/``exit`` are month indices into the period: present in month ``m`` when
    ``entry <= m < exit``; ``exit`` is ``n_months + 1`` for a resident who stays to the
    end (a resident who leaves in the last month has ``exit == n_months``).
    """

    block: int
    resident_id: np.ndarray
    birth_year: np.ndarray
    male: np.ndarray
    village: np.ndarray
    entry: np.ndarray
    exit: np.ndarray
    died: np.ndarray
    insured: np.ndarray

    def __len__(self) -> int:
        return len(self.resident_id)

    def present(self, months: np.ndarray) -> np.ndarray:
        """Boolean (len(months) × residents): present in each month index."""
        return (self.entry[None, :] <= months[:, None]) & (months[:, None] < self.exit[None, :])


def _initial_shape(config: SimulationConfig, free: np.ndarray) -> np.ndarray:
    """Relative counts by age 0..MAX_AGE for the first year, before the solved parts."""
    pop = config.population
    shape = np.zeros(MAX_AGE + 1)
    for band, weight in pop.age_weights.items():
        lo, hi = (int(x) for x in band.split("-"))
        shape[lo : hi + 1] = weight / (hi - lo + 1)
    shape[free] = 0.0
    shape[60:] = 0.0
    return shape / shape.sum()


def _project(
    x: np.ndarray, config: SimulationConfig, n_months: int, free_ages: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expected counts by age per month for the unknowns ``x``.

    ``x = [N_young, N_old, cohort sizes (one per free age), net migration per later
    year (per month)]``.
    """
    pop = config.population
    years = config.period.years
    start_month = int(config.period.start[5:7]) - 1
    n_free = len(free_ages)
    young, old = x[0], x[1]
    cohorts = x[2 : 2 + n_free]
    migration = np.concatenate([[0.0], x[2 + n_free :]])
    q_young = 1 - (1 - pop.death_rate_under_60) ** (1 / 12)
    q_old = 1 - (1 - pop.death_rate_60_plus) ** (1 / 12)
    counts = _initial_shape(config, free_ages) * young
    counts[free_ages] = cohorts
    old_shape = (1 - pop.death_rate_60_plus) ** np.arange(MAX_AGE + 1 - 60)
    counts[60:] = old * old_shape / old_shape.sum()
    lo, hi = pop.migration_ages
    mig = np.zeros(MAX_AGE + 1, bool)
    mig[lo : hi + 1] = True
    total = np.empty(n_months)
    over60 = np.empty(n_months)
    births = np.empty(n_months)
    inflow = np.empty(n_months)
    out_hazard = np.empty(n_months)
    initial = counts.copy()
    for m in range(n_months):
        cal = start_month + m
        if m > 0 and cal % 12 == 0:  # a new calendar year: everyone is a year older
            counts = np.concatenate([[0.0], counts[:-2], [counts[-2] + counts[-1]]])
        total[m] = counts.sum()
        over60[m] = counts[60:].sum()
        flow = migration[min(cal // 12, len(years) - 1)]
        births[m] = total[m] * pop.birth_rate / 12
        inflow[m] = max(flow, 0.0)
        out_hazard[m] = max(-flow, 0.0) / max(counts[mig].sum(), 1e-9)
        counts = counts.copy()
        counts[:60] *= 1 - q_young
        counts[60:] *= 1 - q_old
        counts[mig] *= 1 - out_hazard[m]
        counts[0] += births[m]
        counts[mig] += inflow[m] / mig.sum()
    return initial, total, over60, births, np.column_stack([inflow, out_hazard])


def population_targets(system, years) -> dict[int, tuple[float, float]]:
    """Year-end population and share aged 60+ of the study county's grids, by year.

    Raises
    ------
    ConfigError
        When a grid lacks the population or the 60+ count of a year, or when the study
        counties' grids together have population 0 in a year (there is no one to
        simulate, and the 60+ share is undefined).
    """
    study = set(system.study_counties)
    grids = [g for g in system.grids if g.county in study]
    missing = [
        f"grid {g.id!r}: {key} for {y}"
        for g in grids
        for y in years
        for key, mapping in (("population", g.population), ("aged_60_plus", g.aged_60_plus))
        if y not in mapping
    ]
    if missing:
        raise ConfigError(
            "the county file lacks what the population plan needs: " + "; ".join(missing[:10])
        )
    empty = [y for y in years if sum(g.population[y] for g in grids) <= 0]
    if empty:
        where = f"{system.source}: " if system.source else ""
        ids = ", ".join(g.id for g in grids) or "none"
        raise ConfigError(
            f"{where}the study counties' grids ({ids}) have population 0 in "
            f"{', '.join(map(str, empty))}; the simulation needs residents: give at least "
            "one grid a positive 'population' in every year of the period"
        )
    out = {}
    for y in years:
        total = sum(g.population[y] for g in grids)
        old = sum(g.aged_60_plus[y] for g in grids)
        out[y] = (float(total), old / total)
    return out


_SOLVED: dict[tuple, tuple[np.ndarray, ...]] = {}


def _solve(
    config: SimulationConfig, targets: dict[int, tuple[float, float]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_project` of the demography :func:`plan_population` solves for, unscaled."""
    years = config.period.years
    months = config.period.months
    month_year = months.astype("datetime64[Y]").astype(int) + 1970
    free_ages = np.array([60 - j for j in range(1, len(years))], dtype=int)
    target_total = np.array([targets[y][0] for y in years], float)
    target_share = np.array([targets[y][1] for y in years], float)
    year_end = np.array([np.flatnonzero(month_year == y)[-1] for y in years])

    def residuals(x: np.ndarray) -> np.ndarray:
        _, total, over60, _, _ = _project(x, config, len(months), free_ages)
        res = []
        for i, m in enumerate(year_end):
            res.append(total[m] / target_total[i] - 1)
            res.append(over60[m] / total[m] - target_share[i])
        return np.array(res)

    n0 = target_total[0]
    x0 = np.concatenate(
        [
            [n0 * (1 - target_share[0]), n0 * target_share[0]],
            np.full(len(free_ages), n0 / 70),
            np.zeros(len(years) - 1),
        ]
    )
    lower = np.concatenate([[0, 0], np.zeros(len(free_ages)), np.full(len(years) - 1, -np.inf)])
    fit = least_squares(residuals, x0, bounds=(lower, np.inf), x_scale=np.maximum(np.abs(x0), 100))
    worst = np.max(np.abs(fit.fun))
    if worst > 1e-3:
        raise ConfigError(
            "population: no demography with the configured birth and death rates reaches "
            f"the county file's year-end populations and 60+ shares (worst miss "
            f"{worst:.3%}); check the grids' population and aged_60_plus and the rates"
        )
    return _project(fit.x, config, len(months), free_ages)


def plan_population(
    config: SimulationConfig,
    targets: dict[int, tuple[float, float]],
    *,
    scale: float = 1.0,
) -> PopulationPlan:
    """Solve the expected demography so year-end totals and 60+ shares hit ``targets``.

    Parameters
    ----------
    config
        The simulation config (birth, death and migration rates, the age pyramid).
    targets
        ``{year: (population, share aged 60+)}`` at the end of each year of the period
        (the county file's grids, see :func:`population_targets`).
    scale
        Multiplies every count (``scale=0.1`` plans a county a tenth of the size with
        the same age structure and rates).

    Raises
    ------
    ConfigError
        When no demography with non-negative cohorts and the configured birth and death
        rates reaches the targets within 0.1%.
    """
    pop = config.population
    years = config.period.years
    months = config.period.months
    first = years[0]
    # the solve depends on the rates, the period and the targets, not on the scale: a
    # comparison's runs and their size checks plan one county (solved once; its arrays
    # are only read below, each field of the plan a new array)
    key = (pop.model_dump_json(), config.period, tuple(sorted(targets.items())))
    solved = _SOLVED.get(key)
    if solved is None:
        solved = _solve(config, targets)  # raises when no demography reaches the targets
        while len(_SOLVED) >= 8:
            del _SOLVED[next(iter(_SOLVED))]
        _SOLVED[key] = solved
    initial, total, over60, births, flows = solved
    ages = np.arange(MAX_AGE + 1)
    keep = initial > 0
    return PopulationPlan(
        months=months,
        initial_birth_years=(first - ages)[keep],
        initial=initial[keep] * scale,
        births=births * scale,
        inmigrants=flows[:, 0] * scale,
        death_hazard=(
            1 - (1 - pop.death_rate_under_60) ** (1 / 12),
            1 - (1 - pop.death_rate_60_plus) ** (1 / 12),
        ),
        outmigration_hazard=flows[:, 1].copy(),
        migration_ages=tuple(pop.migration_ages),
        expected_total=total * scale,
        expected_60_plus=over60 * scale,
        scale=scale,
    )


def n_blocks(plan: PopulationPlan, block_size: int) -> int:
    """How many blocks of ``block_size`` residents the plan fills."""
    return -(-plan.n_slots // block_size)


def block_size_of(plan: PopulationPlan, block: int, block_size: int) -> int:
    """Residents in ``block`` (the last block holds the remainder)."""
    return min(block_size, plan.n_slots - block * block_size)


def sample_residents(
    plan: PopulationPlan,
    config: SimulationConfig,
    village_weight: np.ndarray,
    *,
    block: int,
) -> Residents:
    """Draw the residents of ``block`` from the plan with the block's own stream.

    Each resident is, independently, an initial resident, a baby born in some month or an
    in-migrant arriving in some month, in proportion to the plan's expected counts; exits
    (death, out-migration) follow the plan's monthly hazards.
    """
    size = block_size_of(plan, block, config.block_size)
    rng = stream(config.seed, POPULATION, block)
    n_months = len(plan.months)
    month_year = plan.months.astype("datetime64[Y]").astype(int) + 1970
    weights = np.concatenate([plan.initial, plan.births, plan.inmigrants])
    pick = rng.choice(len(weights), size=size, p=weights / weights.sum())
    n_init = len(plan.initial)
    kind = np.where(pick < n_init, _INITIAL, np.where(pick < n_init + n_months, _BORN, _MIGRANT))
    entry = np.where(kind == _INITIAL, 0, (pick - n_init) % n_months).astype(np.int16)
    birth_year = np.empty(size, np.int16)
    init = kind == _INITIAL
    birth_year[init] = plan.initial_birth_years[pick[init]]
    born = kind == _BORN
    birth_year[born] = month_year[entry[born]]
    migr = kind == _MIGRANT
    lo, hi = plan.migration_ages
    birth_year[migr] = month_year[entry[migr]] - rng.integers(lo, hi + 1, migr.sum())
    male = rng.random(size) < config.population.male_share
    village = rng.choice(len(village_weight), size=size, p=village_weight).astype(np.int16)
    insured = rng.random(size) < config.population.insured_share

    # Exits: one uniform per resident and month against the month's hazard.
    u = rng.random((n_months, size), dtype=np.float32)
    age = month_year[:, None] - birth_year[None, :]
    q_young, q_old = plan.death_hazard
    death = np.where(age >= 60, q_old, q_young)
    in_mig_age = (age >= lo) & (age <= hi)
    leave = np.where(in_mig_age, plan.outmigration_hazard[:, None], 0.0)
    months = np.arange(n_months)[:, None]
    at_risk = months >= entry[None, :]
    event = at_risk & (u < death + leave)
    has = event.any(axis=0)
    first = np.where(has, event.argmax(axis=0), n_months)
    at = (np.minimum(first, n_months - 1), np.arange(size))
    died = has & (u[at] < death[at])
    # Leaving in month m makes exit m + 1 (present in m); staying is n_months + 1, so a
    # death in the last month is still told apart from staying.
    exit_ = np.where(has, first + 1, n_months + 1).astype(np.int16)
    ids = block * config.block_size + np.arange(size, dtype=np.int64)
    return Residents(
        block=block,
        resident_id=ids,
        birth_year=birth_year,
        male=male,
        village=village,
        entry=entry,
        exit=exit_,
        died=died,
        insured=insured,
    )
