"""The payment demo's sentences built from amounts: a zero amount is said to be none (not
"0.00 million yuan"), an amount the reserve could not cover is not said to be paid from
it, and a change is worded by its sign.

The records are settled under the ``sanming`` rules as they were before session 36 for a
county of 100,000 insured residents in 2017 (premium 640 yuan, reserves 3 % private and
5 % risk adjustment, from ``sanming.yaml`` then; the figures were worked by hand on that
premium, and what is tested here is the wording, not the premium: see
``tests/payment/conftest.py``, ``former_sanming_rules``): pooled fund 64,000,000.00 yuan, private-hospital
reserve 1,920,000.00 yuan (1.92 million), global budget 64,000,000 − 1,920,000 −
3,200,000 = 58,880,000.00 yuan (58.88 million), worked by hand.
"""

from __future__ import annotations

import dataclasses

import pytest
from tests.payment.conftest import former_sanming

from ihms.demo._payment_text import (
    change_text,
    million,
    outcome_text,
    spending_text,
)
from ihms.payment import CountyYear, SettlementInputs, YearSpending, settle_year

YUAN = 100
MILLION = 1_000_000 * YUAN


def _record(*, consortium=50 * MILLION, outside=5 * MILLION, private=0):
    rules = former_sanming()
    inputs = SettlementInputs(
        CountyYear(2017, 100_000),
        YearSpending(2017, {"CH01": consortium}, outside_county=outside, private=private),
        assume_assessment_passed=True,
    )
    return settle_year(rules, inputs)


def test_the_hand_worked_budget_and_reserve():
    rec = _record()
    assert rec.budget.global_budget_fen == 58_880_000 * YUAN
    assert rec.private_reserve_fen == 1_920_000 * YUAN


def test_no_private_spending_is_said_to_be_none_and_the_reserve_untouched():
    text = spending_text(_record(private=0))
    assert " 0.00 million" not in text
    assert "paid from the" not in text
    assert (
        "residents had no insured care at private hospitals, so the insurer's "
        "private-hospital reserve of 1.92 million yuan was not drawn on (it stays with "
        "the insurer, outside the consortium's budget)"
    ) in text


def test_private_spending_within_the_reserve_says_what_is_left():
    # 1.50 million of the 1.92 million reserve: 0.42 million left
    text = spending_text(_record(private=150 * MILLION // 100))
    assert (
        "1.50 million yuan at private hospitals was paid from the insurer's private-hospital "
        "reserve of 1.92 million yuan, leaving 0.42 million yuan in it"
    ) in text


def test_private_spending_beyond_the_reserve_is_not_said_to_be_paid_from_it():
    # 2.50 million against a 1.92 million reserve: the insurer's fund pays the other 0.58
    # million (postings: "private hospitals beyond the reserve", from insurer:fund)
    text = spending_text(_record(private=250 * MILLION // 100))
    assert (
        "2.50 million yuan at private hospitals was more than the insurer's private-hospital "
        "reserve of 1.92 million yuan: the reserve paid 1.92 million yuan and the insurer's "
        "fund the other 0.58 million yuan"
    ) in text


def test_no_care_outside_the_county_is_said_to_be_none():
    text = spending_text(_record(outside=0))
    assert " 0.00 million" not in text
    assert (
        "Residents' insured care cost 50.00 million yuan in the consortium's own "
        "institutions, charged to the budget, and none outside the county"
    ) in text


def test_both_charged_when_there_is_care_outside():
    text = spending_text(_record())
    assert (
        "Residents' insured care cost 50.00 million yuan in the consortium's own "
        "institutions and 5.00 million yuan outside the county, both charged to the budget"
    ) in text


def test_a_balance_kept_whole():
    # balance 58.88 − 55.00 = 3.88 million, kept 100 %, staff incentive 16 % = 0.62 million
    rec = _record()
    assert outcome_text(rec) == (
        "a balance of 3.88 million yuan remained; the consortium's assessment was taken as "
        "passed (no assessment values were available for this year) and it keeps all of it, "
        "of which 0.62 million yuan goes to staff incentives"
    )


def test_a_failed_assessment_keeps_nothing_and_says_so():
    rec = _record()
    failed = dataclasses.replace(
        rec,
        assessment_passed=False,
        retained_fen=0,
        clawback_fen=rec.balance_fen,
    )
    text = outcome_text(failed)
    assert " 0.00 million" not in text
    assert text == (
        "a balance of 3.88 million yuan remained; the consortium failed its assessment and "
        "keeps none of it: the 3.88 million yuan returns to the insurer's fund"
    )


def test_an_exact_budget_is_neither_balance_nor_overspend():
    # spending charged = the budget to the fen
    rec = _record(consortium=58_880_000 * YUAN - 5 * MILLION)
    assert rec.balance_fen == 0 and rec.overspend_fen == 0
    assert outcome_text(rec) == (
        "spending charged to the budget equalled it to the fen: no balance to keep and no overspend"
    )


def test_an_overspend_says_who_bears_it():
    rec = _record(consortium=60 * MILLION)  # 65.00 − 58.88 = 6.12 million over
    assert outcome_text(rec) == (
        "spending charged to the budget exceeded it by 6.12 million yuan; the consortium "
        "bears all of it and the insurer pays nothing beyond the budget"
    )


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (-2_176_000_000, "21.76 million yuan lower"),  # worded by the sign, not negated
        (150_000_000, "1.50 million yuan higher"),
        (0, "unchanged"),
    ],
)
def test_a_change_is_worded_by_its_sign(fen, text):
    assert change_text(fen, up="higher", down="lower", none="unchanged") == text


def test_an_amount_too_small_for_millions_is_given_in_yuan():
    assert million(4_000 * YUAN) == "4,000.00 yuan"  # not "0.00 million yuan"
    assert million(1_234_567 * YUAN) == "1.23 million yuan"


def _brief(records):
    from ihms.demo import DemoContext
    from ihms.demo._brief import _payment

    ctx = DemoContext(out_dir=None, work_dir=None)
    ctx.artefacts["payment_records"] = records
    return _payment(ctx)


def test_the_brief_says_a_failed_year_kept_nothing_and_no_staff_incentive():
    rec = _record()
    failed = dataclasses.replace(
        rec, assessment_passed=False, retained_fen=0, clawback_fen=rec.balance_fen
    )
    failed = dataclasses.replace(
        failed,
        distribution=dataclasses.replace(
            rec.distribution,
            total_fen=0,
            allocations=dict.fromkeys(rec.distribution.allocations, 0),
        ),
    )
    text = _brief({2017: failed})
    assert " 0.00 million" not in text
    assert "a balance to keep" not in text
    assert (
        "in 2017 a balance of 3.88 million yuan remained, none of it kept (the consortium "
        "failed its assessment)"
    ) in text


def test_the_brief_gives_the_kept_balance_and_staff_share():
    text = _brief({2017: _record()})
    assert "**The global budget left the consortium a balance to keep.**" in text
    assert (
        "in 2017 a balance of 3.88 million yuan remained, 0.62 million yuan of it for staff "
        "incentives"
    ) in text
