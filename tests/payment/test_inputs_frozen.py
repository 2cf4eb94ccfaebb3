"""A settlement's inputs are values, as the rules are (``test_rules_frozen.py``): the
consortium's assessment values, each staff member's values, the spending by institution
and the family-physician registrations are read-only copies of what was given, the
history and the roster tuples, so nothing is put in after the checks and the input digest
the ledger compares stays that of the inputs settled. Inputs built from equal data are
equal, hash equal and digest equal however their containers were passed.

:func:`test_digests_are_those_before` pins the digest of inputs with every kind of
container as the code before the change computed it (9a871dc4, re-taken at 8528d58c);
the digests of the demo's and of the test suite's inputs were compared whole before and
after (session 35)."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal
from types import MappingProxyType

import pytest
import yaml

from ihms.payment import (
    CountyYear,
    PastYear,
    SettlementInputs,
    StaffMember,
    YearSpending,
    rules_from_mapping,
    settle_year,
)
from ihms.payment.registrations import Registrations

from .conftest import sanming_text_before_36

D = Decimal
READ_ONLY = "read-only"

PASSING = {
    "hypertension_control_rate": D("0.8"),
    "diabetes_control_rate": D("0.8"),
    "outpatient_contacts_primary_share": D("0.7"),
}
DOCTOR = {
    "health_education_sessions": D(18),
    "health_management_rate": D("0.8"),
    "thc_consultation_days": D(12),
}


def _sanming():
    """Built-in Sanming rules with a premium of 1,000 yuan and no reserves."""
    # the text the pinned digests were computed on (before session 36)
    data = yaml.safe_load(sanming_text_before_36())
    data["budget"]["premium"] = {"by_year_yuan": {2018: 1000}}
    data["budget"]["private_reserve_share"] = "0%"
    data["budget"]["risk_adjustment_share"] = "0%"
    return rules_from_mapping(data)


def _inputs(mapping=dict, sequence=tuple):
    """Inputs holding every kind of container, each passed as ``mapping`` / ``sequence``."""
    members = Registrations(mapping({"THC01": sequence([100] * 12)}))
    county = CountyYear(2018, 1_000, family_physician_members=members)
    spending = YearSpending(2018, mapping({"CH01": 60_000_000, "THC01": 20_000_000}), 5_000_000)
    past = PastYear(2017, 990, YearSpending(2017, mapping({"CH01": 75_000_000})))
    staff = (StaffMember("S1", "doctor", "THC01", 6_000_000),)
    return SettlementInputs(
        county,
        spending,
        history=sequence([past]),
        assessment_values=mapping(PASSING),
        staff=sequence(staff),
        staff_values=mapping({"S1": mapping(DOCTOR)}),
    )


# --------------------------------------------------------------------------- refused


def test_assessment_values_cannot_be_changed_after_construction():
    given = dict(PASSING)
    inputs = SettlementInputs(
        CountyYear(2018, 1_000), YearSpending(2018, {"CH01": 1}), assessment_values=given
    )
    digest = inputs.digest
    with pytest.raises(TypeError, match=rf"SettlementInputs\.assessment_values is {READ_ONLY}"):
        inputs.assessment_values["diabetes_control_rate"] = D("0.1")  # type: ignore[index]
    with pytest.raises(TypeError, match=r"settlement inputs are checked once.*replace"):
        del inputs.assessment_values["diabetes_control_rate"]  # type: ignore[attr-defined]
    given["diabetes_control_rate"] = D("0.1")  # the caller's dict is not the inputs'
    assert inputs.assessment_values == PASSING and inputs.digest == digest
    with pytest.raises(FrozenInstanceError):
        inputs.assessment_values = {}  # type: ignore[misc]


def test_a_staff_members_values_cannot_be_changed_after_construction():
    inputs = _inputs()
    with pytest.raises(TypeError, match=rf"SettlementInputs\.staff_values is {READ_ONLY}"):
        inputs.staff_values["S2"] = dict(DOCTOR)  # type: ignore[index]
    with pytest.raises(TypeError, match=rf"SettlementInputs\.staff_values\['S1'\] is {READ_ONLY}"):
        inputs.staff_values["S1"]["thc_consultation_days"] = D(40)  # type: ignore[index]
    assert inputs.staff_values == {"S1": DOCTOR}


def test_spending_by_institution_cannot_be_changed_after_its_check():
    given = {"CH01": 60_000_000}
    spending = YearSpending(2018, given)
    # put in afterwards, a negative amount was settled and digested unchecked
    with pytest.raises(TypeError, match=rf"YearSpending\.consortium is {READ_ONLY}"):
        spending.consortium["THC01"] = -5  # type: ignore[index]
    given["THC01"] = -5
    assert spending.consortium == {"CH01": 60_000_000} and spending.consortium_total == 60_000_000
    with pytest.raises(TypeError, match=READ_ONLY):
        _inputs().history[0].spending.consortium["CH01"] = 0  # type: ignore[index]


def test_registrations_cannot_be_changed_after_their_check():
    counts = [100] * 12
    members = Registrations({"THC01": counts})
    with pytest.raises(TypeError, match=rf"Registrations\.by_institution is {READ_ONLY}"):
        members.by_institution["THC02"] = (-1,) * 12  # type: ignore[index]
    counts[0] = -1
    assert members.by_institution["THC01"] == (100,) * 12
    assert Registrations.year_count(1_000).member_months(1, 12) == 12_000


def test_history_and_roster_given_as_lists_are_kept_as_tuples():
    inputs = _inputs(sequence=list)
    assert isinstance(inputs.history, tuple) and isinstance(inputs.staff, tuple)
    with pytest.raises(AttributeError):
        inputs.history.append(inputs.history[0])  # type: ignore[attr-defined]


def test_a_records_input_digest_cannot_drift_after_settling():
    rec = settle_year(_sanming(), _inputs())
    digest = rec.input_digest
    with pytest.raises(TypeError, match=READ_ONLY):
        rec.inputs.assessment_values["hypertension_control_rate"] = D("0")  # type: ignore[index]
    with pytest.raises(TypeError, match=READ_ONLY):
        rec.inputs.spending.consortium["CH01"] = 0  # type: ignore[index]
    assert rec.input_digest == digest


# --------------------------------------------------------------------------- values


def test_inputs_built_from_read_only_mappings_or_lists_equal_hash_and_digest_equal():
    plain = _inputs()
    for other in (_inputs(mapping=MappingProxyType), _inputs(sequence=list)):
        # a SettlementInputs holding a dict could not be hashed
        assert other == plain and hash(other) == hash(plain)
        assert other.digest == plain.digest and other.to_dict() == plain.to_dict()


def test_inputs_pickle_copy_and_replace_to_equal_ones():
    inputs = _inputs()
    for other in (pickle.loads(pickle.dumps(inputs)), copy.deepcopy(inputs), replace(inputs)):
        assert other == inputs and other.digest == inputs.digest
    again = pickle.loads(pickle.dumps(inputs))
    with pytest.raises(TypeError, match=rf"SettlementInputs\.assessment_values is {READ_ONLY}"):
        again.assessment_values["diabetes_control_rate"] = D("0")  # type: ignore[index]
    changed = replace(inputs, assessment_values={**PASSING, "diabetes_control_rate": D("0.5")})
    assert changed.digest != inputs.digest  # the way to change an input: digested anew


@pytest.mark.usefixtures("former_sanming_rules")
def test_digests_are_those_before():
    # the digests the code before the change gave these inputs (9a871dc4; re-taken at
    # 8528d58c, the re-tuned simulator's branch, when Sanming's director card came to score
    # outpatient_contacts_primary_share): a stability pin, as the example tables' are
    # (test_budget_population_basis); to_dict compared whole
    assert _inputs().digest == "ce20117df1a219d3"
    assert settle_year(_sanming(), _inputs()).input_digest == "8177e9723a15f99f"
