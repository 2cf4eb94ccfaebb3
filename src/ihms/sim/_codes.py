"""Names the simulator uses for tiers, severities, age bands, regimes and encounter types.

Codes are small integers inside the engine (array indices); the names are what configs,
tables and reports show.
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "CONDITIONS",
    "ENCOUNTER_TYPES",
    "INTEGRATION_DEGREES",
    "REGIMES",
    "SEVERITIES",
    "TIERS",
]

# Tiers a resident can turn to, in the order of the dualistic referral pathway.
TIERS: tuple[str, ...] = ("village_clinic", "township_health_centre", "county_hospital", "outside")
VC, THC, CH, OUT = range(4)

SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe")
MILD, MODERATE, SEVERE = range(3)

# Age bands the behavioural parameters are given for.
AGE_BANDS: tuple[str, ...] = ("0-14", "15-59", "60+")

# Payment regimes, named as ihms.payment names its built-in rule sets.
REGIMES: tuple[str, ...] = ("fee-for-service", "sanming", "other-areas")

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
