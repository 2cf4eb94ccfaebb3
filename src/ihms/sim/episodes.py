"""Demand: illness episodes and preventive (healthcare) visits, month by month.

An illness episode starts with a probability per resident and month that depends on age
band, chronic disease, the calendar month (seasonality), a secular trend and health
promotion (prevention averts a share of episodes); its severity (mild, moderate, severe)
depends on age. Preventive visits — health examinations and health guidance, Zhong et al. 2023's
"healthcare outpatient visits" — arrive at a rate that depends on age band and chronic
disease, grows by a secular trend and rises with health promotion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ihms.sim._codes import AGE_BANDS, SEVERITIES, age_band
from ihms.sim.config import SimulationConfig
from ihms.sim.population import Residents
from ihms.sim.rng import KeyedUniforms, capped_poisson_counts, categories

__all__ = [
    "EPISODE_SLOTS",
    "PREVENTIVE_SLOTS",
    "Episodes",
    "Visits",
    "capped_note",
    "diagnosis_names",
    "event_keys",
    "healthcare_visits",
    "illness_episodes",
]

#: At most this many illness episodes, and preventive visits, per resident and month:
#: the most an event key's 4 slot bits hold beside the count draw's own slot (15). The
#: cap only guards the key layout — raising it from 4 and 8 cost no measurable time
#: (80,000 residents, best of 3: 6.0-6.4 s either way) — and at the committed rates a
#: count above it has a probability below 1e-9 per resident-month; a run that still
#: reaches it (extreme trends, a long period) counts the resident-months cut short
#: (``Tally.capped``) and its summary says so (:func:`capped_note`).
EPISODE_SLOTS = 15
PREVENTIVE_SLOTS = 15
_COUNT_SLOT = 15

# Attributes of an illness episode's keyed draws (see ihms.sim.rng.KeyedUniforms).
(
    COUNT,
    SEVERITY,
    DIAGNOSIS,
    DAY,
    CHOICE,
    WHICH_CH,
    WHICH_OUTSIDE,
    UP,
    REFER_OUT,
    EMERGENCY_0,
    EMERGENCY_1,
    EMERGENCY_2,
    ADMIT,
    STAY,
    DOWN,
    DELAY,
    REVISITS,
) = range(17)
# Attributes of a preventive visit's draws.
PLACE, PLACE_CH, PLACE_DAY = 1, 2, 3


def event_keys(resident_id: np.ndarray, month: np.ndarray, slot) -> np.ndarray:
    """The key of a resident's ``slot``-th event of a (period) month."""
    rid = np.asarray(resident_id, dtype=np.uint64)
    return (rid * np.uint64(1024) + np.asarray(month, np.uint64)) * np.uint64(16) + np.asarray(
        slot, np.uint64
    )


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
    """Illness episodes of one block-year (arrays of equal length, sorted by month).

    ``key`` identifies each episode (resident, month, slot); :meth:`u` gives the
    episode's own uniform for one attribute (its choice, admission, ...).
    """

    resident: np.ndarray  # index into the block
    month: np.ndarray  # period month index
    day: np.ndarray
    severity: np.ndarray
    diagnosis: np.ndarray
    key: np.ndarray
    draws: KeyedUniforms
    capped: int = 0  # resident-months whose count the cap cut short

    def __len__(self) -> int:
        return len(self.resident)

    def u(self, attribute: int) -> np.ndarray:
        return self.draws.u(self.key, attribute)


@dataclass(frozen=True)
class Visits:
    """Preventive visits of one block-year, with their keys (see :class:`Episodes`)."""

    resident: np.ndarray
    month: np.ndarray
    key: np.ndarray
    draws: KeyedUniforms
    capped: int = 0  # resident-months whose count the cap cut short

    def __len__(self) -> int:
        return len(self.resident)

    def u(self, attribute: int) -> np.ndarray:
        return self.draws.u(self.key, attribute)


def _calendar(config: SimulationConfig, year_months: np.ndarray) -> np.ndarray:
    return (int(config.period.start[5:7]) - 1 + year_months) % 12


def _counts(res: Residents, year_months, present, rate, draws: KeyedUniforms, most: int):
    """Events per resident-month by inversion of the Poisson distribution function, each
    from the resident-month's own uniform; expanded to (month, resident, slot) rows."""
    keys = event_keys(res.resident_id[None, :], year_months[:, None], _COUNT_SLOT)
    counts, capped = capped_poisson_counts(
        draws.u(keys, COUNT), np.where(present, rate, 0.0), most=most
    )
    m, r = np.nonzero(counts)
    reps = counts[m, r].astype(np.int64)
    month = np.repeat(year_months[m], reps)
    resident = np.repeat(r, reps)
    slot = np.arange(len(month)) - np.repeat(np.cumsum(reps) - reps, reps)
    return month, resident, event_keys(res.resident_id[resident], month, slot), capped


def illness_episodes(
    res: Residents,
    chronic: np.ndarray,
    config: SimulationConfig,
    *,
    year: int,
    year_months: np.ndarray,
    present: np.ndarray,
    promotion: np.ndarray,
    draws: KeyedUniforms,
) -> Episodes:
    """Draw the block's illness episodes for one year.

    Parameters
    ----------
    chronic
        Boolean per resident: has hypertension or diabetes this year.
    present
        Boolean (len(year_months) × residents).
    promotion
        Health-promotion intensity (0..1) of each of ``year_months``.
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
    month, resident, key, capped = _counts(res, year_months, present, rate, draws, EPISODE_SLOTS)
    probs = np.array([[ill.severity[b][s] for s in SEVERITIES] for b in AGE_BANDS])
    severity = categories(np.cumsum(probs, axis=1)[band[resident]], draws.u(key, SEVERITY))
    day = 1 + (draws.u(key, DAY) * 28).astype(np.int64)
    names = diagnosis_names(config)
    dx = np.array(
        [[ill.diagnosis_groups[s].get(c, 0.0) for c in names] for s in SEVERITIES]
    ).cumsum(axis=1)
    diagnosis = categories(dx[severity], draws.u(key, DIAGNOSIS))
    return Episodes(resident, month, day, severity, diagnosis, key, draws, capped)


def healthcare_visits(
    res: Residents,
    chronic: np.ndarray,
    config: SimulationConfig,
    *,
    year: int,
    year_months: np.ndarray,
    present: np.ndarray,
    promotion: np.ndarray,
    draws: KeyedUniforms,
) -> Visits:
    """Preventive visits of the block in one year (``promotion``: of each of
    ``year_months``, as for :func:`illness_episodes`)."""
    hc = config.healthcare
    band = age_band(year - res.birth_year)
    per_year = np.array([hc.visits_per_year[b] for b in AGE_BANDS])[band]
    per_year = per_year + np.where(chronic, hc.chronic_extra_visits, 0.0)
    t = year_months / 12.0
    growth = (1 + hc.growth_per_year) ** t * (1 + config.promotion.healthcare_effect * promotion)
    rate = (growth[:, None] / 12.0) * per_year[None, :]
    month, resident, key, capped = _counts(res, year_months, present, rate, draws, PREVENTIVE_SLOTS)
    return Visits(resident, month, key, draws, capped)


def capped_note(episodes: int, visits: int, revisits: int = 0) -> str | None:
    """The run's note on counts the cap cut short (``Tally.capped``), None when none was."""
    from ihms.sim.referral import EXTRA_REVISITS_MOST

    if not episodes and not visits and not revisits:
        return None
    parts = [
        f"{n:,} resident-month{'s' if n != 1 else ''} of {what} (at most {most} a month)"
        for n, what, most in (
            (episodes, "illness episodes", EPISODE_SLOTS),
            (visits, "preventive visits", PREVENTIVE_SLOTS),
        )
        if n
    ]
    if revisits:
        parts.append(
            f"{revisits:,} episode{'s' if revisits != 1 else ''} of extra primary-care "
            f"revisits (at most {EXTRA_REVISITS_MOST} an episode)"
        )
    said = " and ".join(parts) if len(parts) < 3 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return (
        f"Counts cut short by the simulator's cap: {said} drew more than the "
        "cap allows, so those months have fewer events than the rates give and the "
        "figures that count them are too low; lower illness.trend_per_year, "
        "healthcare.growth_per_year, regimes.*.primary_extra_revisits (or its growth) or "
        "the rates, or shorten the period."
    )
