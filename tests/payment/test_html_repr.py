"""A notebook shows a year's settlement and a shared-savings settlement as their summary
tables (a review of the Python API for Jupyter, session 33), the yuan as printed."""

from __future__ import annotations

from datetime import date

import pytest
from tests.html_repr_check import check_html_repr
from tests.payment.test_shared_savings import _settle
from tests.payment.test_staff_from_store import ROSTER, _store
from tests.payment.test_supervision import _values
from tests.payment.test_tracking import A

from ihms.payment import (
    FamilyPhysicianFee,
    Ledger,
    blended_primary_care_payment,
    budget_tracking,
    compare_regimes,
    load_rules,
    observed_path,
    settle_year,
    settlement_inputs,
    supervision,
)


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


def _blended():
    # Deqing's blended primary-care payment, as test_shared_savings works it
    fee = FamilyPhysicianFee(10_000)
    return blended_primary_care_payment(fee, fee_for_service_fen=50_000_000, registered=150_000)


def _comparison(youxi):
    sp = youxi["spending"]  # one rule set, one path, one year of test_compare's fixture
    return compare_regimes(
        [load_rules("sanming")], population=youxi["population"], paths=[observed_path(sp)],
        years=[2018], indicators=youxi["indicators"],
    )  # fmt: skip


def _audit(youxi, tmp_path):
    rules = load_rules("sanming")
    record = settle_year(rules, settlement_inputs(rules, 2018, **youxi))
    with Ledger(tmp_path / "l.sqlite") as ledger:  # as test_ledger's audit view
        ledger.post(record)
        return ledger.audit(2018, institution="CH01")


def _supervision(youxi, tmp_path):
    through = date(2016, 4, 30)  # test_supervision's hand-worked store
    with _store(tmp_path / "s.duckdb") as store:
        return supervision(load_rules("sanming"), ROSTER, _values(store, through), 2016,
                           through=through)  # fmt: skip


_RESULTS = {
    "BlendedPayment": lambda youxi, tmp_path: _blended(),
    "ComparisonResult": lambda youxi, tmp_path: _comparison(youxi),
    "AuditView": _audit,
    "SupervisionView": _supervision,
    "BudgetTracking": lambda youxi, tmp_path: budget_tracking([A], year=2018, through="2018-03"),
}


@pytest.mark.parametrize("name", sorted(_RESULTS))
def test_every_other_payment_result_shows_its_summary_table(name, youxi, tmp_path):
    result = _RESULTS[name](youxi, tmp_path)
    assert type(result).__name__ == name
    check_html_repr(result)
