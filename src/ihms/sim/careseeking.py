"""Where residents go first: a multinomial-logit choice among the four tiers.

For an illness episode the utility of each tier is the sum of

- its capability for the episode's severity (a village clinic suits a cold, not a
  stroke),
- distance (km from the resident's village, per 10 km),
- the expected out-of-pocket price (per 100 yuan),
- a bonus for primary care when the resident is registered with a family physician,
- the county hospital's pull on mild cases (and half of it on moderate ones), which is
  what fee for service rewards and IMPM removes (Zhong et al. 2023, discussion),
- for hospitals outside the county, ``log(1 - keep_in_county)``: an integrated
  consortium that pays for care outside the county from its own budget keeps patients.

Preventive (healthcare) visits choose among the three county tiers the same way, with
their own tier utilities, distance and the regime's push towards primary care.
"""

from __future__ import annotations

import numpy as np

from ihms.sim._codes import CH, MILD, MODERATE, OUT, SEVERITIES, THC, TIERS, VC
from ihms.sim.config import SimulationConfig
from ihms.sim.layout import Access
from ihms.sim.rng import categories

__all__ = ["choose", "expected_price", "first_contact", "preventive_place"]


def choose(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One alternative per row of multinomial-logit ``utility`` (rows × choices), drawn
    with the row's uniform ``u``."""
    weights = np.exp(utility - utility.max(axis=1, keepdims=True))
    return categories(np.cumsum(weights, axis=1), u)


def expected_price(config: SimulationConfig) -> np.ndarray:
    """Expected out-of-pocket yuan of an outpatient visit (severities × tiers)."""
    c = config.costs
    out = np.empty((len(SEVERITIES), len(TIERS)))
    for s, sev in enumerate(SEVERITIES):
        for k, tier in enumerate(TIERS):
            out[s, k] = (
                c.outpatient_yuan[tier]
                * c.severity_factor[sev]
                * (1 - c.outpatient_insurance_share[tier])
            )
    return out


def first_contact(
    severity: np.ndarray,
    village: np.ndarray,
    registered: np.ndarray,
    grid: np.ndarray,
    month: np.ndarray,
    *,
    access: Access,
    outside_km: float,
    config: SimulationConfig,
    ch_attraction: np.ndarray,
    keep_in_county: np.ndarray,
    u: np.ndarray,
) -> np.ndarray:
    """Tier chosen first for each episode.

    Parameters
    ----------
    severity, village, registered, grid, month
        Per episode: severity code, the resident's village, family-physician
        registration, grid index and period month index.
    outside_km
        Road distance to the hospitals outside the county (their patient-weighted mean).
    ch_attraction
        Per month: the county hospital's pull on mild cases.
    keep_in_county
        Grids × months: the consortium's share of outside care it keeps in the county.
    u
        Each episode's uniform for the choice.
    """
    cs = config.careseeking
    capability = np.array([[cs.capability[s][t] for t in TIERS] for s in SEVERITIES])
    price = expected_price(config)
    km = np.column_stack(
        [
            access.village_clinic_km[village],
            access.township_centre_km[village],
            access.county_hospital_km[village],
            np.full(len(village), outside_km),
        ]
    )
    util = capability[severity] + cs.distance_per_10km * km / 10.0
    util += cs.price_per_100_yuan * price[severity] / 100.0
    util[:, [VC, THC]] += (cs.family_physician_bonus * registered)[:, None]
    pull = np.where(severity == MILD, 1.0, np.where(severity == MODERATE, 0.5, 0.0))
    util[:, CH] += pull * ch_attraction[month]
    keep = keep_in_county[grid, month]
    util[:, OUT] += np.log1p(-np.minimum(keep, 0.999))
    return choose(util, u)


def preventive_place(
    village: np.ndarray,
    registered: np.ndarray,
    month: np.ndarray,
    *,
    access: Access,
    config: SimulationConfig,
    primary_push: np.ndarray,
    promotion: np.ndarray,
    u: np.ndarray,
) -> np.ndarray:
    """Tier (village clinic, THC or county hospital) of each preventive visit
    (``registered``, ``promotion``: per visit, in its month)."""
    cs = config.careseeking
    hc = config.healthcare
    base = np.array([hc.utility[t] for t in TIERS[:3]])
    km = np.column_stack(
        [
            access.village_clinic_km[village],
            access.township_centre_km[village],
            access.county_hospital_km[village],
        ]
    )
    util = base[None, :] + cs.distance_per_10km * km / 10.0
    primary = (
        cs.family_physician_bonus * registered
        + primary_push[month]
        + hc.promotion_primary_utility * promotion
    )
    util[:, VC] += primary
    util[:, THC] += primary
    return choose(util, u)
