from __future__ import annotations

from pathlib import Path

import pytest

from ihms.payment import IndicatorValues, PopulationTable, SpendingTable, StaffRoster

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "payment"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def youxi():
    """The illustrative Youxi-like example tables."""
    return {
        "spending": SpendingTable.read(EXAMPLES / "spending.csv"),
        "population": PopulationTable.read(EXAMPLES / "population.csv"),
        "indicators": IndicatorValues.read(EXAMPLES / "indicators.csv"),
        "staff": StaffRoster.read(EXAMPLES / "staff.csv"),
    }
