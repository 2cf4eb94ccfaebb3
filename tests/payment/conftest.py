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


#: The built-in sanming rules' digest since session 24 (staff_pay.other_roles and three
#: assumptions added: review 24 #1, #2, #5); a371f149a6b56a9a before.
SANMING_DIGEST = "3064d5c3a41bc3fd"

#: What session 24 added to sanming.yaml, each line as added (review 24 #1, #2, #5).
_ADDED_IN_24 = (
    '  - "The 16% staff share Zhong et al. 2023 give for 2018 is kept for every year',
    '  - "Staff whose role has no card of its own',
    '  - "The staff share is shared among the staff who pass their card',
    "  other_roles: doctor",
)


def sanming_text_before_24() -> str:
    """The built-in sanming.yaml without what session 24 added: the file older digests
    were computed on (a test of a digest kept from then reads it)."""
    from ihms.payment import builtin_rules_text

    lines = builtin_rules_text("sanming").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith(_ADDED_IN_24)]
    assert len(lines) - len(kept) == len(_ADDED_IN_24)
    text = "".join(kept)
    added = "; kept for later years (assumption)"
    assert text.count(added) == 1
    return text.replace(added, "")
