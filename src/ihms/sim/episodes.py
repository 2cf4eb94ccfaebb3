"""Demand: illness episodes and preventive (healthcare) visits, month by month.

An illness episode starts with a probability per resident and month that depends on age
band, chronic disease, the calendar month (seasonality), a secular trend and health
promotion (prevention averts a share of episodes); its severity (mild, moderate, severe)
depends on age. Preventive visits — health examinations and health guidance, seed 002's
"healthcare outpatient visits" — arrive at a rate that depends on age band and chronic
disease, grows by a secular trend and rises with health promotion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ihms.sim._codes import AGE_BANDS, SEVERITIES, age_band
from ihms.sim.config import SimulationConfig
from ihms.sim.population import Residents
from ihms.sim.rng import draw_categories

__all__ = ["Episodes", "diagnosis_names", "healthcare_visit_counts", "illness_episodes"]

# Diagnosis codes of visits that are not illness episodes (ICD-10 chapters Z, I, E);
# illness episodes carry codes >= 0 indexing :func:`diagnosis_names`.
DIAG_PREVENTIVE, DIAG_HYPERTENSION, DIAG_DIABETES = -1, -2, -3
_SPECIAL = {DIAG_PREVENTIVE: "Z", DIAG_HYPERTENSION: "I", DIAG_DIABETES: "E"}


def diagnosis_names(config: SimulationConfig) -> tuple[str, ...]:
    """ICD-10 chapter of each diagnosis code >= 0 (sorted chapters of the config)."""
    return tuple(sorted({c for probs in config.illness.diagnosis_groups.values() for c in probs}))


def diagnosis_labels(config: SimulationConfig, codes: np.ndarray) -> np.ndarray:
    """Chapter letters for an array of diagnosis codes (special codes included)."""
    names = diagnosis_names(config)
    table = np.array([_SPECIAL[-3], _SPECIAL[-2], _SPECIAL[-1], *names], dtype=object)
    return table[codes.astype(np.int64) + 3]


@dataclass(frozen=True)
class Episodes:
    """Illness episodes of one block-year (arrays of equal length, sorted by month)."""

    resident: np.ndarray  # index into the block
    month: np.ndarray  # period month index
    day: np.ndarray
    severity: np.ndarray
    diagnosis: np.ndarray

    def __len__(self) -> int:
        return len(self.resident)


def _calendar(config: SimulationConfig, year_months: np.ndarray) -> np.ndarray:
    return (int(config.period.start[5:7]) - 1 + year_months) % 12


def _expand(counts: np.ndarray, year_months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(months × residents) event counts → one (month, resident) row per event."""
    m, r = np.nonzero(counts)
    reps = counts[m, r]
    return np.repeat(year_months[m], reps), np.repeat(r, reps)


def illness_episodes(
    res: Residents,
    chronic: np.ndarray,
    config: SimulationConfig,
    *,
    year: int,
    year_months: np.ndarray,
    present: np.ndarray,
    promotion: float,
    rng: np.random.Generator,
) -> Episodes:
    """Draw the block's illness episodes for one year.

    Parameters
    ----------
    chronic
        Boolean per resident: has hypertension or diabetes this year.
    present
        Boolean (len(year_months) × residents).
    promotion
        Health-promotion intensity (0..1) of the year.
    """
    ill = config.illness
    band = age_band(year - res.birth_year)
    per_year = np.array([ill.episodes_per_year[b] for b in AGE_BANDS])[band]
    per_year = per_year * np.where(chronic, ill.chronic_multiplier, 1.0)
    season = np.asarray(ill.seasonality) / np.mean(ill.seasonality)
    t = year_months / 12.0
    month_factor = season[_calendar(config, year_months)] * (1 + ill.trend_per_year) ** t
    month_factor = month_factor * (1 - config.promotion.incidence_effect * promotion)
    rate = (month_factor[:, None] / 12.0) * per_year[None, :]
    counts = rng.poisson(np.where(present, rate, 0.0))
    month, resident = _expand(counts, year_months)
    probs = np.array([[ill.severity[b][s] for s in SEVERITIES] for b in AGE_BANDS])
    severity = draw_categories(np.cumsum(probs, axis=1)[band[resident]], rng)
    day = rng.integers(1, 29, len(resident))
    names = diagnosis_names(config)
    dx = np.array(
        [[ill.diagnosis_groups[s].get(c, 0.0) for c in names] for s in SEVERITIES]
    ).cumsum(axis=1)
    diagnosis = draw_categories(dx[severity], rng)
    return Episodes(resident=resident, month=month, day=day, severity=severity, diagnosis=diagnosis)


def healthcare_visit_counts(
    res: Residents,
    chronic: np.ndarray,
    config: SimulationConfig,
    *,
    year: int,
    year_months: np.ndarray,
    present: np.ndarray,
    promotion: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Preventive visits of the block in one year: ``(month, resident)`` per visit."""
    hc = config.healthcare
    band = age_band(year - res.birth_year)
    per_year = np.array([hc.visits_per_year[b] for b in AGE_BANDS])[band]
    per_year = per_year + np.where(chronic, hc.chronic_extra_visits, 0.0)
    t = year_months / 12.0
    growth = (1 + hc.growth_per_year) ** t * (1 + config.promotion.healthcare_effect * promotion)
    rate = (growth[:, None] / 12.0) * per_year[None, :]
    counts = rng.poisson(np.where(present, rate, 0.0))
    return _expand(counts, year_months)
