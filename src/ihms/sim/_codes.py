"""Names the simulator uses for tiers, severities, age bands, regimes and encounter types.

Codes are small integers inside the engine (array indices); the names are what configs,
tables and reports show.
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "CONDITIONS",
    "ENCOUNTER_TYPES",
    "FEE_FOR_SERVICE",
    "INTEGRATION_DEGREES",
    "REGIMES",
    "REQUIRED_REGIMES",
    "SEVERITIES",
    "TIERS",
    "has_budget",
    "regime_rules",
]

# Tiers a resident can turn to, in the order of the dualistic referral pathway.
TIERS: tuple[str, ...] = ("village_clinic", "township_health_centre", "county_hospital", "outside")
VC, THC, CH, OUT = range(4)

SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
MILD, MODERATE, SEVERE = range(3)

# Age bands the behavioural parameters are given for.
AGE_BANDS: tuple[str, ...] = ("0-14", "15-59", "60+")

# Payment regimes, named as ihms.payment names its built-in rule sets (Deqing's CIHO, seed
# 004, by its county: its rule set is ``deqing-shared-savings``, see ``regime_rules``).
#: The regime that pays per service: it has no budget to settle and pays no consortium.
FEE_FOR_SERVICE = "fee-for-service"
REGIMES: tuple[str, ...] = (FEE_FOR_SERVICE, "sanming", "other-areas", "deqing")
# The regimes every config describes; Deqing's came later, so a county file without a
# ``regimes.deqing`` section still loads and is refused only when Deqing is chosen.
REQUIRED_REGIMES: tuple[str, ...] = (FEE_FOR_SERVICE, "sanming", "other-areas")
_REGIME_RULES = {"deqing": "deqing-shared-savings"}


def has_budget(regime: str) -> bool:
    """Whether a regime's years are settled against a budget paid to each grid's
    consortium: every regime but fee for service, which pays per service (nothing to
    settle, no consortium needed).

    Examples
    --------
    >>> has_budget("sanming"), has_budget("fee-for-service")
    (True, False)
    """
    return regime != FEE_FOR_SERVICE


def regime_rules(regime: str) -> str:
    """The built-in payment rule set (``ihms.payment.load_rules`` name) a regime's years
    are settled by: ``deqing`` → ``deqing-shared-savings``, every other its own name."""
    return _REGIME_RULES.get(regime, regime)


# Integration degree of a consortium (seed 001: full / half / flexible).
INTEGRATION_DEGREES: tuple[str, ...] = ("full", "half", "flexible")

ENCOUNTER_TYPES: tuple[str, ...] = (
    "outpatient",
    "emergency",
    "inpatient",
    "preventive",
    "chronic_followup",
)
OUTPATIENT, EMERGENCY, INPATIENT, PREVENTIVE, FOLLOWUP = range(5)

CONDITIONS: tuple[str, ...] = ("hypertension", "diabetes")
HYPERTENSION, DIABETES = range(2)


def age_band(age):
    """Index into :data:`AGE_BANDS` for an array of ages in whole years."""
    import numpy as np

    return np.where(age < 15, 0, np.where(age < 60, 1, 2)).astype(np.int8)
