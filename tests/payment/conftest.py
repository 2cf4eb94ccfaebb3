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


#: The built-in sanming rules' digest since session 35, when the director's card came to
#: score cooperation by the primary-care share of all outpatient contacts (Zhong et al.
#: 2023's Table 4 visits are the county's 诊疗人次), no longer of preventive visits: a
#: ledger posted with the rules before re-posts a year settled again, saying the rule set
#: changed.
SANMING_DIGEST = "cd38acb384a47f59"

#: Its digest from session 32, when the card came to score health promotion by the
#: hypertension and diabetes control rates, as Zhong et al. 2023 (Discussion) name the
#: indicators, no longer by the management rates, to session 34.
SANMING_DIGEST_BEFORE_35 = "9d020b4b388dfee0"

#: The director card's cooperation line before session 35 → since (as in the file).
_CHANGED_IN_35 = (
    (
        "        - id: healthcare_visits_primary_share\n"
        "          label: Share of healthcare outpatient visits in primary care (cooperation)\n",
        "        - id: outpatient_contacts_primary_share\n"
        "          label: Share of outpatient contacts in primary care (cooperation)\n",
    ),
)

#: Its digest from session 24 (staff_pay.other_roles and three assumptions added: review
#: 24 #1, #2, #5) to session 31; a371f149a6b56a9a before.
SANMING_DIGEST_BEFORE_32 = "3064d5c3a41bc3fd"

#: The director card's health-promotion lines before session 32 → since (as in the file).
_CHANGED_IN_32 = (
    (
        "        - id: hypertension_management_rate\n"
        "          label: Hypertension standardized management rate (health promotion)\n"
        "          weight: 0.2\n"
        "          linear: {floor: 50%, target: 80%}\n",
        "        - id: hypertension_control_rate\n"
        "          label: Hypertension control rate (health promotion)\n"
        "          weight: 0.2\n"
        "          linear: {floor: 50%, target: 75%}   # (assumption)\n",
    ),
    (
        "        - id: diabetes_management_rate\n"
        "          label: Diabetes standardized management rate (health promotion)\n"
        "          weight: 0.1\n"
        "          linear: {floor: 50%, target: 80%}\n",
        "        - id: diabetes_control_rate\n"
        "          label: Diabetes control rate (health promotion)\n"
        "          weight: 0.1\n"
        "          linear: {floor: 50%, target: 75%}   # (assumption)\n",
    ),
)

#: What session 24 added to sanming.yaml, each line as added (review 24 #1, #2, #5).
_ADDED_IN_24 = (
    '  - "The 16% staff share Zhong et al. 2023 give for 2018 is kept for every year',
    '  - "Staff whose role has no card of its own',
    '  - "The staff share is shared among the staff who pass their card',
    "  other_roles: doctor",
)


def sanming_text_before_35() -> str:
    """The built-in sanming.yaml with the director card's cooperation line it had until
    session 35 (the file :data:`SANMING_DIGEST_BEFORE_35` was computed on)."""
    from ihms.payment import builtin_rules_text

    text = builtin_rules_text("sanming")
    for before, since in _CHANGED_IN_35:
        assert text.count(since) == 1
        text = text.replace(since, before)
    return text


def sanming_text_before_32() -> str:
    """The built-in sanming.yaml with the director card's management-rate lines it had
    until session 32 (the file :data:`SANMING_DIGEST_BEFORE_32` was computed on)."""
    text = sanming_text_before_35()
    for before, since in _CHANGED_IN_32:
        assert text.count(since) == 1
        text = text.replace(since, before)
    return text


def sanming_text_before_24() -> str:
    """The built-in sanming.yaml without what sessions 24 and 32 changed: the file older
    digests were computed on (a test of a digest kept from then reads it)."""
    lines = sanming_text_before_32().splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith(_ADDED_IN_24)]
    assert len(lines) - len(kept) == len(_ADDED_IN_24)
    text = "".join(kept)
    added = "; kept for later years (assumption)"
    assert text.count(added) == 1
    return text.replace(added, "")
