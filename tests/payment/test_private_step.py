"""The working's step "spending at private hospitals" says where the money came from as
the summary table does (review P #4: it said "from the private reserve" for every rule
set, also for Deqing's, which keep none, and for the part beyond Sanming's reserve).

Hand arithmetic as in ``test_settlement_table``: pooled fund 1,000 × 1,000 = 1,000,000
yuan; a 3 % private reserve is 30,000.00 yuan."""

from __future__ import annotations

from ihms.payment import (
    CountyYear,
    SettlementInputs,
    YearSpending,
    load_rules,
    settle_year,
    settlement_inputs,
)

from .test_settlement import PASSING, sanming


def _private_step(private_yuan, private="3%"):
    spending = YearSpending(2018, {"CH01": 80_000_000}, 10_000_000, private_yuan * 100)
    inputs = SettlementInputs(CountyYear(2018, 1_000), spending, assessment_values=PASSING)
    steps = settle_year(sanming(private=private), inputs).steps
    (step,) = [s for s in steps if s.label == "spending at private hospitals"]
    return step


def test_within_the_reserve():
    step = _private_step(20_000)
    assert step.amount_fen == 2_000_000
    assert step.formula == (
        "insurance paid, from the private-hospital reserve of 30,000.00 (10,000.00 left)"
    )


def test_beyond_the_reserve_names_the_insurers_fund_for_the_rest():
    # 45,000 = 30,000 from the reserve (all of it) + 15,000 from the insurer's fund
    step = _private_step(45_000)
    assert step.formula == (
        "insurance paid: 30,000.00 from the private-hospital reserve (all of it), "
        "15,000.00 beyond it from the insurer's fund"
    )


def test_a_budget_without_a_reserve_names_none():
    step = _private_step(20_000, private="0%")
    assert "reserve" not in step.formula.replace("no private-hospital reserve", "")
    assert step.formula == "insurance paid, from the insurer's fund (no private-hospital reserve)"


def test_shared_savings_keep_no_reserve(youxi):
    rules = load_rules("deqing-shared-savings")
    inputs = settlement_inputs(
        rules, 2019, spending=youxi["spending"], population=youxi["population"]
    )
    (step,) = [s for s in settle_year(rules, inputs).steps if s.label.endswith("private hospitals")]
    assert step.formula == "insurance paid, from the insurer's fund (no private-hospital reserve)"
