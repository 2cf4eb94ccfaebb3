import json
from decimal import Decimal

import pytest
import yaml

from ihms.errors import InputError
from ihms.payment import (
    CountyYear,
    PastYear,
    SettlementInputs,
    YearSpending,
    builtin_rules_text,
    load_rules,
    rules_from_mapping,
    settle_year,
)

D = Decimal
PASSING = {
    "hypertension_control_rate": D("0.8"),
    "diabetes_control_rate": D("0.8"),
    "outpatient_contacts_primary_share": D("0.7"),
}
FAILING = {
    "hypertension_control_rate": D("0.5"),
    "diabetes_control_rate": D("0.5"),
    "outpatient_contacts_primary_share": D("0.4"),
}


def sanming(premium_yuan=1000, private="0%", risk="0%"):
    """Built-in Sanming rules with a round premium (1,000 yuan) and no reserves, so a
    population of 1,000 gives a global budget of exactly 1,000,000 yuan."""
    data = yaml.safe_load(builtin_rules_text("sanming"))
    data["budget"]["premium"] = {"by_year_yuan": {2018: premium_yuan}}
    data["budget"]["private_reserve_share"] = private
    data["budget"]["risk_adjustment_share"] = risk
    return rules_from_mapping(data)


def spend(consortium_yuan, outside_yuan=0, private_yuan=0, year=2018):
    return YearSpending(
        year, {"CH01": consortium_yuan * 100}, outside_yuan * 100, private_yuan * 100
    )


def test_sanming_balance_kept_and_distributed_worked_example():
    # GB = 1,000 x 1,000 = 1,000,000 yuan; charged = 800,000 + 100,000 (outside county,
    # charged to the GB, seed 002) = 900,000; balance 100,000 kept (passed assessment).
    # Uses: staff incentive 16% (seed 002, 2018) = 16,000; cooperation 24% = 24,000;
    # health promotion 20% = 20,000; institutional development 40% = 40,000.
    rec = settle_year(
        sanming(),
        SettlementInputs(
            CountyYear(2018, 1_000), spend(800_000, 100_000), assessment_values=PASSING
        ),
    )
    assert rec.budget.global_budget_fen == 100_000_000
    assert rec.charged_fen == 90_000_000
    assert rec.balance_fen == 10_000_000 and rec.overspend_fen == 0
    assert rec.assessment_passed is True
    assert rec.retained_fen == 10_000_000 and rec.clawback_fen == 0
    assert dict(rec.distribution.allocations) == {
        "staff_incentive": 1_600_000,
        "cooperation": 2_400_000,
        "health_promotion": 2_000_000,
        "institutional_development": 4_000_000,
    }
    # insurer pays the whole budget: claims 900,000 + balance 100,000
    assert rec.insurer_outlay_fen == 100_000_000
    # fund balance rate (computed) = 100,000 / 1,000,000 = 10% >= target 3% -> full score
    assert rec.assessment.lines[0].indicator == "fund_balance_rate"
    assert rec.assessment.lines[0].value == D("0.1")
    assert rec.assessment.points == D(100)


def test_sanming_overspend_borne_by_consortium():
    # charged 1,100,000 > GB 1,000,000: the consortium bears 100,000; insurer pays GB only.
    rec = settle_year(
        sanming(),
        SettlementInputs(
            CountyYear(2018, 1_000), spend(1_000_000, 100_000), assessment_values=PASSING
        ),
    )
    assert rec.overspend_fen == 10_000_000
    assert rec.overspend_consortium_fen == 10_000_000 and rec.overspend_insurer_fen == 0
    assert rec.insurer_outlay_fen == rec.budget.global_budget_fen
    assert rec.consortium_result_fen == -10_000_000
    assert rec.distribution.total_fen == 0


def test_sanming_failed_assessment_returns_balance_to_fund():
    # fund balance 10% -> 40 points; other indicators at their floors -> 0; 40 < 60 pass mark
    rec = settle_year(
        sanming(),
        SettlementInputs(CountyYear(2018, 1_000), spend(900_000), assessment_values=FAILING),
    )
    assert rec.assessment.points == D(40)
    assert rec.assessment_passed is False
    assert rec.retained_fen == 0 and rec.clawback_fen == 10_000_000
    assert rec.insurer_outlay_fen == 90_000_000


def test_private_hospitals_draw_on_their_reserve_separately():
    # pool 1,000,000 yuan; private reserve 3% = 30,000; risk 5% = 50,000; GB 920,000.
    # Private spending 35,000 is not charged to the GB; the reserve shows -5,000.
    rec = settle_year(
        sanming(private="3%", risk="5%"),
        SettlementInputs(
            CountyYear(2018, 1_000), spend(900_000, 0, 35_000), assessment_values=PASSING
        ),
    )
    assert rec.budget.global_budget_fen == 92_000_000
    assert rec.charged_fen == 90_000_000
    assert rec.private_reserve_fen == 3_000_000
    assert rec.private_reserve_balance_fen == -500_000
    assert rec.balance_fen == 2_000_000
    # outlay = charged 900,000 + kept 20,000 + private claims 35,000
    assert rec.insurer_outlay_fen == 95_500_000


def test_other_areas_overspend_shared_up_to_limit():
    # other-areas rules (assumptions): insurer pays 50% of the overspend up to 10% of GB.
    # Last year 1,000 insured charged 1,000,000 yuan -> GB = 1,000 x 1,000 x 1.05 = 1,050,000.
    # Charged 1,260,000: overspend 210,000; shared part min(210,000, 105,000) = 105,000;
    # insurer 52,500; consortium 157,500.
    rules = load_rules("other-areas")
    hist = (PastYear(2017, 1_000, spend(1_000_000, year=2017)),)
    rec = settle_year(
        rules, SettlementInputs(CountyYear(2018, 1_000), spend(1_260_000), history=hist)
    )
    assert rec.budget.global_budget_fen == 105_000_000
    assert rec.overspend_fen == 21_000_000
    assert rec.overspend_insurer_fen == 5_250_000
    assert rec.overspend_consortium_fen == 15_750_000
    assert rec.insurer_outlay_fen == 105_000_000 + 5_250_000


def test_other_areas_balance_half_clawed_back_institutional_development_only():
    rules = load_rules("other-areas")
    hist = (PastYear(2017, 1_000, spend(1_000_000, year=2017)),)
    rec = settle_year(
        rules, SettlementInputs(CountyYear(2018, 1_000), spend(950_000), history=hist)
    )
    # balance 1,050,000 - 950,000 = 100,000; kept 50% = 50,000; clawed back 50,000
    assert rec.balance_fen == 10_000_000
    assert rec.retained_fen == 5_000_000 and rec.clawback_fen == 5_000_000
    assert dict(rec.distribution.allocations) == {"institutional_development": 5_000_000}
    assert rec.salaries is None
    assert any("volume" in n for n in rec.notes)


def test_fee_for_service_pays_every_claim():
    rec = settle_year(
        load_rules("fee-for-service"),
        SettlementInputs(CountyYear(2018, 1_000), spend(900_000, 100_000, 20_000)),
    )
    assert rec.budget is None
    assert rec.insurer_outlay_fen == 102_000_000
    assert rec.balance_fen == rec.overspend_fen == rec.consortium_result_fen == 0


def test_missing_assessment_values_is_an_error_unless_assumed():
    rules = sanming()
    with pytest.raises(InputError, match="assessment"):
        settle_year(rules, SettlementInputs(CountyYear(2018, 1_000), spend(900_000)))
    rec = settle_year(
        rules,
        SettlementInputs(CountyYear(2018, 1_000), spend(900_000), assume_assessment_passed=True),
    )
    assert rec.assessment_passed is True and rec.retained_fen == 10_000_000
    assert any("assumed passed" in n for n in rec.notes)


def test_missing_indicator_value_named():
    values = dict(PASSING)
    del values["diabetes_control_rate"]
    with pytest.raises(InputError, match="no value for diabetes_control_rate"):
        settle_year(
            sanming(),
            SettlementInputs(CountyYear(2018, 1_000), spend(900_000), assessment_values=values),
        )


def test_the_messages_ask_only_for_values_a_user_gives():
    # fund_balance_rate is the settlement's own figure ("Computed by the settlement" under
    # the scorecard): before, both messages listed it among the values to give
    with pytest.raises(InputError) as err:
        settle_year(sanming(), SettlementInputs(CountyYear(2018, 1_000), spend(900_000)))
    assert (
        "expected a row (year 2018, subject 'consortium', indicator, value) for each of "
        "hypertension_control_rate, diabetes_control_rate, "
        "outpatient_contacts_primary_share (the settlement computes fund_balance_rate)"
    ) in str(err.value)
    values = dict(PASSING)
    del values["diabetes_control_rate"]
    with pytest.raises(InputError) as err:
        settle_year(
            sanming(),
            SettlementInputs(CountyYear(2018, 1_000), spend(900_000), assessment_values=values),
        )
    assert str(err.value) == (
        "director scorecard for 'consortium': no value for diabetes_control_rate (values "
        "given: hypertension_control_rate, outpatient_contacts_primary_share; computed by the "
        "settlement: fund_balance_rate)"
    )


def test_given_fund_balance_rate_is_overridden_by_the_computed_one():
    values = {**FAILING, "fund_balance_rate": D("0.5")}
    rec = settle_year(
        sanming(),
        SettlementInputs(CountyYear(2018, 1_000), spend(990_000), assessment_values=values),
    )
    assert rec.assessment.lines[0].value == D("0.01")
    assert any("fund_balance_rate was given as 0.5" in n for n in rec.notes)


def test_inputs_must_agree_on_year():
    with pytest.raises(InputError, match="spending is for 2017, population for 2018"):
        SettlementInputs(CountyYear(2018, 1), spend(1, year=2017))
    with pytest.raises(InputError, match="later years"):
        SettlementInputs(CountyYear(2018, 1), spend(1), history=(PastYear(2018, 1, spend(1)),))


def test_record_is_auditable_and_serialisable():
    rec = settle_year(
        sanming(),
        SettlementInputs(
            CountyYear(2018, 1_000), spend(800_000, 100_000), assessment_values=PASSING
        ),
    )
    data = json.loads(json.dumps(rec.to_dict()))
    assert data["rules"]["name"] == "sanming"
    assert data["figures"]["balance_fen"] == 10_000_000
    # money keys end in _fen (the --json convention of ihms.payment.money)
    assert data["inputs"]["spending"]["consortium_fen"] == {"CH01": 80_000_000}
    assert data["inputs"]["spending"]["outside_county_fen"] == 10_000_000
    trail = rec.audit_trail().to_frame()
    # the uses in words, as the distribution table names them (was "allocation: staff_incentive")
    assert "global budget" in trail.index and "allocation: staff incentive" in trail.index
    assert "1,000,000.00" in rec.summary().to_text()  # the global budget, in yuan


def test_settlement_is_deterministic():
    inputs = SettlementInputs(CountyYear(2018, 1_000), spend(800_000), assessment_values=PASSING)
    a, b = settle_year(sanming(), inputs), settle_year(sanming(), inputs)
    assert a == b
    assert a.input_digest == b.input_digest
    changed = SettlementInputs(CountyYear(2018, 1_000), spend(800_001), assessment_values=PASSING)
    assert settle_year(sanming(), changed).input_digest != a.input_digest


def test_equal_values_written_differently_give_the_same_digest():
    a = SettlementInputs(CountyYear(2018, 1_000), spend(800_000), assessment_values={**PASSING})
    b = SettlementInputs(
        CountyYear(2018, 1_000),
        spend(800_000),
        assessment_values={k: D(f"{v}000") for k, v in PASSING.items()},
    )
    assert a.assessment_values != {} and b.assessment_values["hypertension_control_rate"] == D(
        "0.8000"
    )
    assert a.digest == b.digest


def test_the_insurers_part_of_an_overspend_says_which_figure_is_the_limit():
    # review P: "105,000.00 × 50%" did not say the first figure is the shared part's
    # limit (10% of the 1,050,000 budget), not the overspend (210,000). Figures as in
    # test_other_areas_overspend_shared_up_to_limit; within the limit the overspend is
    # the figure and no limit is named.
    rules = load_rules("other-areas")
    hist = (PastYear(2017, 1_000, spend(1_000_000, year=2017)),)
    for charged, working in (
        (1_260_000, "105,000.00 (the overspend up to 10% of the budget) × 50%"),
        (1_100_000, "50,000.00 (the overspend) × 50%"),
    ):
        rec = settle_year(
            rules, SettlementInputs(CountyYear(2018, 1_000), spend(charged), history=hist)
        )
        (step,) = [s for s in rec.steps if s.label == "overspend paid by the insurer"]
        assert step.formula == working
