"""Adapters that read other tools' output as an ihms data set."""

from ihms.data.adapters.synthea import ENCOUNTER_CLASS_MAP, TierRule, read_synthea

__all__ = ["ENCOUNTER_CLASS_MAP", "TierRule", "read_synthea"]
