"""Staff whose role has no scorecard of its own (review 24 #1): seed 002 gives the staff
pool to "all ICHC medical staff" (Zhong et al. 2023, "The payment policies for IHC in
IMPM", item 2), nurses included, so a rule file may name the card that scores the other
roles (``staff_pay.other_roles``), or give a card for a role of its own (``nurse``)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from ihms.errors import ConfigError, InputError
from ihms.payment import (
    LinearScoring,
    Scorecard,
    ScorecardIndicator,
    StaffMember,
    StaffPay,
    annual_salaries,
    builtin_rules_text,
    rules_from_mapping,
)

D = Decimal


def _card(role: str = "doctor") -> Scorecard:
    return Scorecard(
        role, (ScorecardIndicator("x", "x", D(1), LinearScoring(D(0), D(100))),), D("0.6")
    )


def _pay(**kw) -> StaffPay:
    return StaffPay(
        "annual_salary",
        {"doctor": _card()},
        factor_at_zero=D("0.6"),
        factor_at_full=D("1.2"),
        **kw,
    )


def test_other_roles_are_scored_on_the_card_the_rules_name():
    # worked by hand: the nurse's x = 80 on 0..100 scores 0.8; factor 0.6 + 0.6 x 0.8 =
    # 1.08; 100,000.00 yuan x 1.08 = 108,000.00 yuan. Pool 1,000.00 yuan by weight x
    # score: doctor 0.6 (at the pass mark), nurse 0.8 -> 100,000 fen x 0.6/1.4 =
    # 42,857.14 and x 0.8/1.4 = 57,142.86; the last fen to the larger remainder (.86)
    staff = [
        StaffMember("DR1", "doctor", "CH01", 10_000_000),
        StaffMember("N1", "nurse", "CH01", 10_000_000),
    ]
    values = {"DR1": {"x": D(60)}, "N1": {"x": D(80)}}
    result = annual_salaries(_pay(other_roles="doctor"), staff, values, pool_fen=100_000)
    nurse = result.lines[1]
    assert (nurse.role, nurse.score, nurse.factor) == ("nurse", D("0.8"), D("1.08"))
    assert nurse.annual_salary_fen == 10_800_000
    assert [ln.incentive_fen for ln in result.lines] == [42_857, 57_143]
    assert result.scorecards[1].role == "doctor"  # the card that scored them
    notes = " ".join(result.summary().notes)
    assert "N1 (nurse)" in notes and "doctor's card" in notes and "other_roles" in notes


def test_without_other_roles_a_role_with_no_card_is_still_refused():
    staff = [StaffMember("N1", "nurse", "CH01", 10_000_000)]
    with pytest.raises(InputError, match="nurse"):
        annual_salaries(_pay(), staff, {"N1": {"x": D(80)}}, pool_fen=0)


def test_other_roles_must_name_a_card_of_the_rules():
    with pytest.raises(ConfigError, match=r"staff_pay.other_roles: 'nurse' is no scorecard"):
        _pay(other_roles="nurse")
    with pytest.raises(ConfigError, match="other_roles"):
        StaffPay("volume", other_roles="doctor")


def _sanming() -> dict:
    return yaml.safe_load(builtin_rules_text("sanming"))


def test_a_rule_file_names_the_card_for_other_roles():
    data = _sanming()
    data["staff_pay"]["other_roles"] = "医生"  # read as the roster's role is read
    rules = rules_from_mapping(data)
    assert rules.staff_pay.other_roles == "doctor"
    assert rules.staff_pay.card_for("nurse").role == "doctor"
    assert rules.staff_pay.card_for("director").role == "director"
    data["staff_pay"]["other_roles"] = "nurse"
    with pytest.raises(ConfigError, match="other_roles"):
        rules_from_mapping(data)


def test_a_rule_file_may_give_nurses_a_card_of_their_own():
    data = _sanming()
    data["staff_pay"].pop("other_roles", None)
    nurse = copy.deepcopy(data["staff_pay"]["scorecards"]["doctor"])
    nurse["indicators"] = [nurse["indicators"][1]]
    nurse["indicators"][0]["weight"] = 1
    data["staff_pay"]["scorecards"]["nurse"] = nurse
    rules = rules_from_mapping(data)
    staff = [StaffMember("N1", "nurse", "THC03", 10_000_000)]
    # health_management_rate 0.7 on 50..90 % scores 0.5: factor 0.9, 90,000.00 yuan
    result = annual_salaries(
        rules.staff_pay, staff, {"N1": {"health_management_rate": D("0.7")}}, pool_fen=None
    )
    assert result.lines[0].annual_salary_fen == 9_000_000
    assert result.scorecards[0].role == "nurse"


def test_a_card_for_other_roles_leaves_the_digest_of_rules_without_it():
    data = _sanming()
    data["staff_pay"].pop("other_roles", None)
    without = rules_from_mapping(data)
    assert without.staff_pay.other_roles is None
    data["staff_pay"]["other_roles"] = "doctor"
    assert rules_from_mapping(data).digest != without.digest


def test_missing_values_of_a_nurse_name_the_card_that_scores_them():
    import pandas as pd

    from ihms.errors import DataError
    from ihms.payment import IndicatorValues, StaffRoster, check_scorecard_values

    data = _sanming()
    data["staff_pay"]["other_roles"] = "doctor"
    rules = rules_from_mapping(data)
    roster = StaffRoster.from_frame(
        pd.DataFrame(
            {"staff_id": ["N1"], "role": ["nurse"], "institution_id": ["CH01"],
             "base_salary_fen": [100]}
        ),
        source="st.csv",
    )  # fmt: skip
    values = IndicatorValues.from_frame(
        pd.DataFrame(
            {"year": [2018], "subject": ["N1"], "indicator": ["health_education_sessions"],
             "value": ["12"]}
        ),
        source="ind.csv",
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        check_scorecard_values(rules, 2018, values, roster)
    assert err.value.problems == [
        "ind.csv: 2018, subject 'N1' (nurse, on the doctor's scorecard): no "
        "health_management_rate, thc_consultation_days"
    ]
