"""The comparison table of a shared-savings rule set shows the shared savings and the
family-physician fees: without them its consortium result and insurer outlay add up from
columns the table does not show (ihms demo, session 16: Deqing's row read budget —,
balance 0.00, kept 0.00, consortium result 14.07).

Hand-worked, as tests/payment/test_cli_compare_quality.py (deqing-shared-savings.yaml:
benchmark = previous year's per-capita total cost of care × 1.05; MSR 2.0 % above 60,000
people; sharing rate 50 %, standard 60 %; family-physician fee 100 yuan a registered
resident): 2018 benchmark 105,000,000.00 yuan, actual 100,000,000.00, savings
5,000,000.00 (4.76 % ≥ 2 %), score 0.92: 2,500,000.00 shared; fees 20,000 × 100 =
2,000,000.00 yuan.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ihms.payment import (
    PopulationTable,
    SpendingTable,
    compare_regimes,
    load_rules,
    observed_path,
)


def _comparison(rule_names):
    rows = []
    for year, ch01 in ((2017, "92000000.00"), (2018, "90000000.00")):
        outside = "6000000.00" if year == 2017 else "8000000.00"
        rows += [
            {"year": year, "setting": "consortium", "institution_id": "CH01",
             "insurance_paid_yuan": ch01},
            {"year": year, "setting": "outside_county", "institution_id": "",
             "insurance_paid_yuan": outside},
            {"year": year, "setting": "private", "institution_id": "",
             "insurance_paid_yuan": "2000000.00"},
        ]  # fmt: skip
    spending = SpendingTable.from_frame(pd.DataFrame(rows))
    population = PopulationTable.from_frame(
        pd.DataFrame(
            {
                "year": [2017, 2018],
                "insured_population": [100_000, 100_000],
                "family_physician_registered": [15_000, 20_000],
                "quality_score": [0.92, 0.92],
            }
        )
    )
    return compare_regimes(
        [load_rules(name) for name in rule_names],
        population=population,
        paths=[observed_path(spending)],
        years=[2018],
        assume_assessment_passed=True,
    )


def test_shared_savings_and_fees_are_columns_of_the_comparison():
    frame = _comparison(["deqing-shared-savings", "sanming"]).summary().to_frame()
    deqing = frame[frame.index.get_level_values("regime").str.startswith("Deqing")].iloc[0]
    assert deqing["shared savings"] == Decimal("2.50")
    assert deqing["family-physician fees"] == Decimal("2.00")
    assert deqing["consortium result"] == deqing["shared savings"]


def test_budget_regimes_alone_keep_the_narrow_table():
    frame = _comparison(["sanming", "other-areas"]).summary().to_frame()
    assert "shared savings" not in frame.columns
    assert "family-physician fees" not in frame.columns
