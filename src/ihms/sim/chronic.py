"""Hypertension and diabetes: who has them, family-physician registration, follow-ups.

Chronic patients are residents registered in the basic public-health programme. Each
resident carries, for each condition, a persistent liability ``u`` ~ U(0, 1) drawn on
arrival; the condition's prevalence by single year of age (:func:`prevalence_by_age`,
interpolated between the configured age-band values) is the share of a cohort that has
it at that age, and a resident has it from the first year of residence in which the
prevalence at his or her age exceeds ``u`` (:func:`onset_years`). So the arrivals carry
the prevalence of their age, and as residents age new cases arise (incidence) at the
rate the curve rises, while nobody loses a condition. A new case is registered in its
onset year and from then is managed and followed up as every patient. Each
year a registered patient is either under standardised management — a face-to-face
follow-up in every quarter he or she lives in the county (four a year, the national
service specification) — or followed irregularly (at most three: never in one quarter
drawn for the year, in each other with probability ``unmanaged_followups_mean`` / 3).
The chance of being managed rises with health promotion, with registration with a family
physician and with a secular trend; each patient also carries a persistent propensity,
so the same people tend to be managed year after year. One uniform per patient-year is
compared with the chance in force in each quarter's visit month, so a patient's status
changes within a year only where the chance does (a reform from its month on: nothing
before a reform's month depends on it). At every follow-up blood pressure (hypertension) or
fasting glucose (diabetes) is measured; a measurement is controlled (below 140/90 mmHg;
below 7.0 mmol/L) with a probability that rises with management and promotion. The
control rate of a year is read from the last measurement, as WHO HEARTS defines it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit

from ihms.sim._codes import AGE_BANDS, CONDITIONS
from ihms.sim.config import ChronicCondition, Population, SimulationConfig
from ihms.sim.population import MAX_AGE, Residents
from ihms.sim.rng import CHRONIC, KeyedUniforms, stream

__all__ = [
    "ChronicTraits",
    "Followups",
    "chronic_followups",
    "family_physician",
    "onset_years",
    "prevalence_by_age",
    "sample_traits",
]

NEVER = np.int16(9999)

# Attributes of the keyed draws of a patient-year (_MANAGED, _SKIP) and of a
# patient-quarter's follow-up (the others).
_MANAGED, _VISIT, _MONTH, _SKIP, _CONTROLLED, _AT_CH, _DAY, _SBP, _DBP, _FPG = range(10)


def _key(resident_id, year_index, condition, quarter) -> np.ndarray:
    rid = np.asarray(resident_id, np.uint64)
    return (
        (rid * np.uint64(64) + np.uint64(year_index)) * np.uint64(2) + np.uint64(condition)
    ) * np.uint64(4) + np.asarray(quarter, np.uint64)


@dataclass(frozen=True)
class ChronicTraits:
    """Per-resident chronic traits of one block (static over the run).

    ``since[c]`` is the year condition ``c`` (index into :data:`CONDITIONS`) began and
    was registered — the arrival year for a resident who arrived with it — and
    :data:`NEVER` if it did not begin while the resident lived in the county; ``z_manage`` and ``z_control`` are the patient's
    persistent propensities (logit scale); ``fp_u`` is the uniform deciding the year of
    family-physician registration.
    """

    since: np.ndarray  # (2, n) int16
    z_manage: np.ndarray  # (2, n) float32
    z_control: np.ndarray  # (2, n) float32
    fp_u: np.ndarray  # (n,) float32

    def has(self, condition: int, year: int) -> np.ndarray:
        return self.since[condition] <= year

    def any_chronic(self, year: int) -> np.ndarray:
        return (self.since <= year).any(axis=0)


@dataclass(frozen=True)
class Followups:
    """Chronic follow-ups of one block-year (arrays of equal length)."""

    resident: np.ndarray  # index into the block
    condition: np.ndarray
    month: np.ndarray  # period month index
    day: np.ndarray
    institution: np.ndarray
    managed: np.ndarray
    controlled: np.ndarray
    systolic: np.ndarray
    diastolic: np.ndarray
    glucose: np.ndarray


# Single years of age of each band of AGE_BANDS; the last runs to MAX_AGE.
_BAND_AGES = ((0, 14), (15, 59), (60, MAX_AGE))


def _age_weights(population: Population) -> np.ndarray:
    """Relative numbers by single year of age in the population plan's first year: each
    5-year band's weight spread over its years, and (1 − death rate)^j at age 60 + j."""
    w = np.zeros(MAX_AGE + 1)
    for band, weight in population.age_weights.items():
        lo, hi = (int(x) for x in band.split("-"))
        w[lo : hi + 1] = weight / (hi - lo + 1)
    w[60:] = (1 - population.death_rate_60_plus) ** np.arange(MAX_AGE - 59)
    return w


def prevalence_by_age(prevalence: dict[str, float], population: Population) -> np.ndarray:
    """A condition's prevalence at each single year of age 0 … ``MAX_AGE``.

    The curve is continuous and linear within each age band (no step at a band's edge):
    flat at the youngest band's value, then from each band's first age to the next
    band's first age (the last band: to ``MAX_AGE``) with the slope that makes the band's
    mean — weighted by the ages' numbers in the population plan's first year (the
    config's ``age_weights``; survival at the 60+ death rate) — the configured value. A
    curve that would fall (a band below the one before) or leave [0, 1] holds its
    running maximum within [0, 1] instead, since a resident keeps a condition; that
    band's prevalence then differs from its configured value (the next band starts
    from where the held curve ends, so its own mean is still met when it can be).

    Parameters
    ----------
    prevalence
        The configured prevalence by age band (:data:`AGE_BANDS`).
    population
        The config's population section (the age weights within each band).

    Examples
    --------
    >>> from ihms.sim.config import Population
    >>> pop = Population(male_share=0.5, birth_rate=0.01, death_rate_under_60=0.001,
    ...     death_rate_60_plus=0.0, migration_ages=(16, 45), insured_share=1.0,
    ...     age_weights={f"{a}-{a + 4}": 1.0 for a in range(0, 60, 5)})
    >>> curve = prevalence_by_age({"0-14": 0.0, "15-59": 0.06, "60+": 0.35}, pop)
    >>> round(float(curve[60]), 4), round(float(curve[60:].mean()), 4)
    (0.1227, 0.35)
    """
    weights = _age_weights(population)
    curve = np.empty(MAX_AGE + 1)
    knot = prevalence[AGE_BANDS[0]]
    for k, (lo, hi) in enumerate(_BAND_AGES):
        ages = np.arange(lo, hi + 1)
        span = (_BAND_AGES[k + 1][0] if k + 1 < len(_BAND_AGES) else MAX_AGE) - lo
        s = (ages - lo) / span
        w = weights[lo : hi + 1]
        mean_s = float(np.average(s, weights=w)) if w.sum() > 0 else float(s.mean())
        target = prevalence[AGE_BANDS[k]]
        # band mean = knot + (next - knot) · mean_s; the first band is flat (knot = value)
        following = knot + (target - knot) / mean_s if mean_s > 0 else knot
        curve[ages] = knot + (following - knot) * s
        # the next band starts where this one ends, held within [0, 1] and not below
        # where it started, so a band the curve cannot meet moves no other band's mean
        knot = min(max(knot, following, 0.0), 1.0)
    return np.maximum.accumulate(np.clip(curve, 0.0, 1.0))


def onset_years(
    liability: np.ndarray,
    birth_year: np.ndarray,
    *,
    first_year: np.ndarray,
    last_year: np.ndarray,
    curve: np.ndarray,
    years,
) -> np.ndarray:
    """The first of ``years`` within each resident's ``first_year`` … ``last_year`` in
    which ``curve`` at the resident's age (``year − birth_year``) exceeds his or her
    ``liability``; :data:`NEVER` if none.

    With ``liability`` uniform on [0, 1) and a non-decreasing curve, a resident of age
    ``a`` has the condition with probability ``curve[a]``, and one of age ``a − 1``
    without it gets it at ``a`` with probability
    ``(curve[a] − curve[a − 1]) / (1 − curve[a − 1])``.
    """
    since = np.full(len(liability), NEVER, np.int16)
    for year in years:
        age = np.clip(year - np.asarray(birth_year, np.int64), 0, MAX_AGE)
        begins = (
            (since == NEVER) & (first_year <= year) & (year <= last_year) & (liability < curve[age])
        )
        since[begins] = year
    return since


def sample_traits(res: Residents, config: SimulationConfig) -> ChronicTraits:
    """Draw liabilities, onset years and propensities for the residents of one block.

    A condition begins in the first year the resident lives in the county in which its
    prevalence at his or her age exceeds the liability (:func:`onset_years`): on arrival
    for those who arrive with it, later as they age for the others; never after the
    resident's last year in the county, so the register describes that year.
    """
    rng = stream(config.seed, CHRONIC, res.block)
    years = config.period.years
    n_months = len(config.period.months)
    start_month = int(config.period.start[5:7]) - 1
    entry_year = years[0] + (start_month + res.entry) // 12
    last_year = years[0] + (start_month + np.minimum(res.exit, n_months) - 1) // 12
    since = np.empty((2, len(res)), np.int16)
    specs: list[ChronicCondition] = [config.chronic.hypertension, config.chronic.diabetes]
    for c, spec in enumerate(specs):
        since[c] = onset_years(
            rng.random(len(res)),
            res.birth_year,
            first_year=entry_year,
            last_year=last_year,
            curve=prevalence_by_age(spec.prevalence, config.population),
            years=years,
        )
    z_manage = rng.normal(0, 1, (2, len(res))).astype(np.float32)
    z_control = rng.normal(0, 1, (2, len(res))).astype(np.float32)
    z_manage *= np.array([[s.patient_sd] for s in specs], np.float32)
    z_control *= np.array([[s.patient_sd] for s in specs], np.float32)
    return ChronicTraits(since, z_manage, z_control, rng.random(len(res), dtype=np.float32))


def family_physician(
    res: Residents,
    traits: ChronicTraits,
    config: SimulationConfig,
    year: int,
    odds: float | np.ndarray,
) -> np.ndarray:
    """Registered with a family physician in ``year``: per resident for one ``odds``, or
    months × residents for an array of odds by month (the regime's odds month by month,
    so a reform within the year changes registration from its month on, not before).

    The county's registration share for the year (config) is the probability for an
    ordinary resident; the elderly and chronic patients have ``priority_odds`` times the
    odds, and the regime multiplies the odds by ``odds``. A resident keeps one uniform for
    the whole run, so registration persists as the shares rise.
    """
    fp = config.family_physician
    priority = ((year - res.birth_year) >= 60) | traits.any_chronic(year)
    base = logit(np.clip(fp.registration[year], 1e-6, 1 - 1e-6))
    regime = np.log(np.asarray(odds, dtype=np.float64))[..., None]
    p = expit(base + regime + np.where(priority, np.log(fp.priority_odds), 0.0))
    return traits.fp_u < p


def chronic_followups(
    res: Residents,
    traits: ChronicTraits,
    config: SimulationConfig,
    *,
    year: int,
    year_months: np.ndarray,
    present: np.ndarray,
    promotion: np.ndarray,
    registered: np.ndarray,
    primary_institution: np.ndarray,
    county_hospital: int,
) -> Followups:
    """Follow-ups of the block's chronic patients in ``year``.

    Parameters
    ----------
    year_months
        Period month indices of the year (up to 12; the period may start mid-year).
    present
        Boolean (len(year_months) × residents).
    promotion
        Health-promotion intensity (0..1) of each of ``year_months``.
    registered
        Family-physician registration (len(year_months) × residents).
    primary_institution
        Institution index of each resident's family-physician team (clinic or THC).
    county_hospital
        Institution index where the county-hospital share of follow-ups happens.
    """
    draws = KeyedUniforms(config.seed, CHRONIC)
    yi = year - config.period.years[0]
    t = yi
    start_cal = (int(config.period.start[5:7]) - 1 + int(year_months[0])) % 12
    quarter = (start_cal + np.arange(len(year_months))) // 3
    parts: list[tuple[np.ndarray, ...]] = []
    specs = [config.chronic.hypertension, config.chronic.diabetes]
    for c, spec in enumerate(specs):
        patients = np.flatnonzero(traits.has(c, year) & present.any(axis=0))
        if len(patients) == 0:
            continue
        rid = res.resident_id[patients]
        year_key = _key(rid, yi, c, 0)
        # One uniform per patient-year; the chance of management is that of each
        # quarter's visit month (promotion and registration in force then), so a reform
        # within the year changes management from its month on, not before.
        u_managed = draws.u(year_key, _MANAGED)
        propensity = (
            spec.management_logit
            + spec.management_trend_per_year * t
            + traits.z_manage[c, patients]
        )
        # One visit month per quarter the patient is present in: always made when managed
        # then; otherwise an irregular visit, never in one quarter drawn for the year and
        # in each other with probability mean / 3 — at most three, ``mean`` on average.
        month_pick = np.full((4, len(patients)), -1)
        managed = np.zeros((4, len(patients)), bool)
        p_visit = config.chronic.unmanaged_followups_mean / 3
        skipped = (draws.u(year_key, _SKIP) * 4).astype(np.int64)
        keep = np.zeros((4, len(patients)), bool)
        for q in range(4):
            rows = np.flatnonzero(quarter == q)
            if len(rows) == 0:
                continue
            quarter_key = _key(rid, yi, c, q)
            at = rows[(draws.u(quarter_key, _MONTH) * len(rows)).astype(np.int64)]
            managed[q] = u_managed < expit(
                propensity
                + spec.management_promotion * promotion[at]
                + spec.management_family_physician * registered[at, patients]
            )
            irregular = (skipped != q) & (draws.u(quarter_key, _VISIT) < p_visit)
            keep[q] = managed[q] | irregular
            month_pick[q] = np.where(present[at, patients], at, -1)
        visits = keep & (month_pick >= 0)
        q_idx, p_idx = np.nonzero(visits)
        who = patients[p_idx]
        parts.append(
            (
                who,
                np.full(len(who), c, np.int8),
                year_months[month_pick[q_idx, p_idx]],
                managed[q_idx, p_idx],
                _key(rid[p_idx], yi, c, q_idx),
            )
        )
    if not parts:
        empty = np.zeros(0, np.int64)
        return Followups(
            empty,
            empty.astype(np.int8),
            empty,
            empty,
            empty,
            empty.astype(bool),
            empty.astype(bool),
            empty,
            empty,
            np.zeros(0),
        )
    who, cond, month, managed, key = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((who, cond, month))
    who, cond, month, managed, key = (a[order] for a in (who, cond, month, managed, key))
    spec_of = [specs[c] for c in range(len(specs))]
    at_visit = promotion[month - year_months[0]]
    logit_control = np.select(
        [cond == c for c in range(len(specs))],
        [
            s.control_logit + s.control_trend_per_year * t + s.control_promotion * at_visit
            for s in spec_of
        ],
    )
    p_control = expit(
        logit_control
        + np.select([cond == c for c in range(len(specs))], [s.control_managed for s in spec_of])
        * managed
        + traits.z_control[cond, who]
    )
    controlled = draws.u(key, _CONTROLLED) < p_control
    at_ch = draws.u(key, _AT_CH) < config.chronic.county_hospital_share
    institution = np.where(at_ch, county_hospital, primary_institution[who])

    def between(attribute: int, low: float, high: float) -> np.ndarray:
        return low + draws.u(key, attribute) * (high - low)

    day = 1 + (draws.u(key, _DAY) * 28).astype(np.int64)
    is_ht = cond == CONDITIONS.index("hypertension")
    # A controlled reading is below 140/90; an uncontrolled one has systolic >= 140.
    systolic = np.where(controlled, between(_SBP, 112, 140), between(_SBP, 140, 182))
    diastolic = np.where(controlled, between(_DBP, 66, 90), between(_DBP, 76, 106))
    glucose = np.where(controlled, between(_FPG, 4.6, 6.95), between(_FPG, 7.0, 12.5))
    # Diabetes visits measure glucose (blood pressure too); hypertension visits no glucose.
    glucose = np.where(is_ht, np.nan, np.round(glucose, 1))
    systolic = np.where(is_ht | controlled, systolic, between(_SBP, 112, 150))
    diastolic = np.where(is_ht | controlled, diastolic, between(_DBP, 66, 95))
    systolic, diastolic = np.floor(systolic), np.floor(diastolic)
    return Followups(
        resident=who,
        condition=cond,
        month=month,
        day=day,
        institution=institution,
        managed=managed,
        controlled=controlled,
        systolic=systolic.astype(np.int16),
        diastolic=diastolic.astype(np.int16),
        glucose=glucose,
    )
