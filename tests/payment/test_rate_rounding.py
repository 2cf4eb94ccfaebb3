"""Rates in the audit trail are rounded half up, as every other display rounding of the
payment engine (review session 24, finding 4: ``f"{rate * 100:.4f}%"`` on a Decimal
rounds half-even, so a fund balance rate of 0.00225 % was shown 0.0022 %).

Worked example (the reviewer's): premium 100 yuan, no reserves, 400,000 insured → global
budget 40,000,000.00 yuan; spending 39,999,100.00 yuan → balance 900.00 yuan =
900 / 40,000,000 = 0.00225 %, which is 0.0023 % rounded half up to four decimals.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import yaml

from ihms.payment import (
    PopulationTable,
    SpendingTable,
    builtin_rules_text,
    rules_from_mapping,
    settle_year,
    settlement_inputs,
)
from ihms.payment.money import percent_shown


def test_percent_shown_rounds_half_up():
    assert percent_shown(Decimal("0.0000225")) == "0.0023%"
    assert percent_shown(Decimal("0.0000235")) == "0.0024%"  # half-even gave this one right
    assert percent_shown(Decimal("0.022697"), places=2) == "2.27%"
    assert percent_shown(Decimal("0.000125"), places=2) == "0.01%"  # half-even: 0.01% too
    assert percent_shown(Decimal("0.000075"), places=2) == "0.01%"  # half-even: 0.01%
    assert percent_shown(Decimal("0.00005"), places=2) == "0.01%"  # half-even: 0.00%


def test_fund_balance_rate_in_the_audit_trail_is_rounded_half_up():
    mapping = yaml.safe_load(builtin_rules_text("sanming"))
    budget = mapping["budget"]
    budget["premium"] = {"base_year": 2018, "base_yuan": 100, "growth": "0%"}
    budget["private_reserve_share"] = budget["risk_adjustment_share"] = "0%"
    rules = rules_from_mapping(mapping, source="hr.yaml")
    spending = SpendingTable.from_frame(
        pd.DataFrame(
            {
                "year": [2018],
                "setting": ["consortium"],
                "institution_id": ["CH01"],
                "insurance_paid_fen": [3_999_910_000],
            }
        )
    )
    population = PopulationTable.from_frame(
        pd.DataFrame({"year": [2018], "insured_population": [400_000]})
    )
    inputs = settlement_inputs(
        rules, 2018, spending=spending, population=population, assume_assessment_passed=True
    )
    record = settle_year(rules, inputs)
    assert record.balance_fen == 90_000
    (step,) = [s for s in record.steps if s.label == "fund balance rate"]
    assert step.value == "0.0023%"
