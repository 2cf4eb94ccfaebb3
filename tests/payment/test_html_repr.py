"""A notebook shows a year's settlement and a shared-savings settlement as their summary
tables (a review of the Python API for Jupyter, session 33), the yuan as printed."""

from __future__ import annotations

from tests.html_repr_check import check_html_repr
from tests.payment.test_shared_savings import _settle

from ihms.payment import load_rules, settle_year, settlement_inputs


def test_a_settlement_record_shows_its_summary_table(youxi):
    rules = load_rules("sanming")
    record = settle_year(
        rules, settlement_inputs(rules, 2018, **youxi, assume_assessment_passed=False)
    )
    check_html_repr(record)
    parts = [record.budget, record.assessment, record.salaries, record.distribution]
    assert None not in parts  # sanming 2018 budgets, scores, distributes and pays
    for part in parts:
        check_html_repr(part)


def test_a_shared_savings_result_shows_its_summary_table():
    # the worked example of test_shared_savings: $8,000,000 saved of $220,000,000
    page = check_html_repr(_settle(212_000_000))
    assert any("6,000,000" in c for c in page.cells)
