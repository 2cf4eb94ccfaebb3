"""What each encounter costs and what insurance pays, in integer fen.

Costs are drawn from a log-normal distribution around the configured mean for the tier
(and severity, and length of stay for inpatients), then rounded to the fen; from there on
every figure is an integer. Insurance pays the tier's configured share, rounded down to
the fen (``cost * basis_points // 10000``); uninsured residents pay everything; the
out-of-pocket amount is the difference, so ``insurance + out_of_pocket == total``
exactly.

Under a regime with ``ch_outpatient_price_drift_yuan_per_month`` the mean cost of a county
hospital's outpatient and emergency visit has the month's accumulated rise added
(``ch_outpatient_extra_yuan``, :attr:`ihms.sim.regime.Behaviour.ch_outpatient_price_yuan`)
after the severity factor, so the expected cost per visit rises by the drift whatever
the case mix; the draws are the same (one normal per row), only their mean moves.
"""

from __future__ import annotations

import numpy as np

from ihms.sim._codes import (
    CH,
    EMERGENCY,
    FOLLOWUP,
    INPATIENT,
    OUTPATIENT,
    PREVENTIVE,
    SEVERITIES,
    TIERS,
)
from ihms.sim.config import SimulationConfig

__all__ = ["encounter_costs"]

FEN_PER_YUAN = 100


def _lognormal_fen(mean_yuan: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    mu = np.log(np.maximum(mean_yuan, 1e-9)) - sd * sd / 2
    yuan = np.exp(mu + sd * rng.standard_normal(len(mean_yuan)))
    return np.maximum(np.rint(yuan * FEN_PER_YUAN), 1).astype(np.int64)


def _basis_points(share: float) -> int:
    return round(share * 10_000)


def encounter_costs(
    kind: np.ndarray,
    tier: np.ndarray,
    severity: np.ndarray,
    los: np.ndarray,
    insured: np.ndarray,
    *,
    config: SimulationConfig,
    rng: np.random.Generator,
    ch_outpatient_extra_yuan: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Total cost and insurance payment (both int64 fen) per encounter.

    Parameters
    ----------
    kind
        Encounter type codes (:data:`ihms.sim._codes.ENCOUNTER_TYPES`).
    tier
        Tier code of the institution.
    severity
        Severity code (ignored for preventive visits and follow-ups).
    los
        Length of stay in days (inpatients).
    insured
        Whether the resident is insured.
    ch_outpatient_extra_yuan
        Per encounter, yuan added to the mean of a county hospital's outpatient or
        emergency visit (ignored for other rows); None or all 0 adds nothing.
    """
    c = config.costs
    sev_factor = np.array([c.severity_factor[s] for s in SEVERITIES])[np.maximum(severity, 0)]
    outpatient = np.array([c.outpatient_yuan[t] for t in TIERS])
    per_day = np.array([0.0] + [c.inpatient_per_day_yuan[t] for t in TIERS[1:]])
    preventive = np.array([c.healthcare_visit_yuan[t] for t in TIERS[:3]] + [0.0])
    mean = np.select(
        [
            (kind == OUTPATIENT) | (kind == EMERGENCY),
            kind == INPATIENT,
            kind == PREVENTIVE,
            kind == FOLLOWUP,
        ],
        [
            outpatient[tier] * sev_factor,
            per_day[tier] * np.maximum(los, 1) * sev_factor,
            preventive[tier],
            np.full(len(kind), c.followup_yuan),
        ],
    )
    if ch_outpatient_extra_yuan is not None and ch_outpatient_extra_yuan.any():
        visit = ((kind == OUTPATIENT) | (kind == EMERGENCY)) & (tier == CH)
        mean = np.where(visit, mean + ch_outpatient_extra_yuan, mean)
    total = _lognormal_fen(mean, c.log_sd, rng)
    op_bp = np.array([_basis_points(c.outpatient_insurance_share[t]) for t in TIERS])
    ip_bp = np.array([0] + [_basis_points(c.inpatient_insurance_share[t]) for t in TIERS[1:]])
    prev_bp = _basis_points(c.preventive_insurance_share)
    bp = np.select(
        [(kind == OUTPATIENT) | (kind == EMERGENCY), kind == INPATIENT],
        [op_bp[tier], ip_bp[tier]],
        default=prev_bp,
    ).astype(np.int64)
    insurance = np.where(insured, total * bp // 10_000, 0).astype(np.int64)
    return total, insurance
