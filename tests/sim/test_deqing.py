"""Deqing's regime in the simulator (seed 004): shared savings against a benchmark of
the total cost of care and a family-physician fee per registered resident, settled each
year by ``ihms.payment``'s own ``settle_year`` — the code ``ihms payment settle`` runs.

The hand-worked case below uses the built-in rule file ``deqing-shared-savings`` (its
assumptions: benchmark = last year's per-capita total cost of care × 1.05, rounded half
up to the fen; 50 % sharing from the first yuan once savings reach the minimum savings
rate — 2 % above 60,000 people, MSSP table, 42 CFR 425.604(b) — capped at 10 % of the
benchmark; 100 yuan per registered resident a year; savings used 30/30/40 % for
cooperation, health promotion and institutional development).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from ihms.data import Store
from ihms.payment import (
    load_rules,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)
from ihms.sim import CountySimulation
from ihms.sim.funding import ASSUMED_QUALITY_SCORE, YearEndSettlement
from ihms.sim.results import YearAccounts, settlement_headline

YUAN = 100  # fen


def _accounts(year, reformed, yuan, *, insured, registered):
    """A closed year: ``yuan`` = (county hospital, township centre, outside the county);
    settled when wholly reformed (a reform that began within the year leaves it the
    baseline, :func:`ihms.sim.regime.first_settled_year`)."""
    ch, thc, outside = (amount * YUAN for amount in yuan)
    frame = pd.DataFrame(
        {
            "institution_id": ["CH1", "THC1", "OUT1"],
            "setting": ["consortium", "consortium", "outside_county"],
            "primary_care": [False, True, False],
            "insurance_paid_fen": [ch, thc, outside],
            "total_cost_fen": [ch, thc, outside],
            "out_of_pocket_fen": [0, 0, 0],
            "encounters": [100, 100, 100],
        }
    )
    return YearAccounts(
        year=year,
        regime="deqing",
        reformed=reformed,
        population=float(insured),
        insured_population=insured,
        family_physician_registered=registered,
        by_institution=frame,
        shared_balance=True,
        settled=reformed == 1.0,
    )


def test_a_hand_worked_deqing_year_through_the_simulators_settlement():
    settle = YearEndSettlement()
    # 2017, Deqing from October, the baseline (not settled): 20 M + 5 M in the county,
    # 5 M outside, 99,000 insured
    before = _accounts(
        2017, 0.25, (20_000_000, 5_000_000, 5_000_000), insured=99_000, registered=25_000
    )
    assert settle(before) == 0 and settle.records == {}
    # 2018, the first whole year: 19 M + 6 M in the county, 5 M outside, 100,000 insured
    year = _accounts(
        2018, 1.0, (19_000_000, 6_000_000, 5_000_000), insured=100_000, registered=30_000
    )
    promotion = settle(year)
    record = settle.records[2018]
    ss = record.shared_savings
    # By hand: 30,000,000 / 99,000 = 303.030303… yuan; × 1.05 = 318.181818… yuan,
    # half up 318.18 yuan = 31,818 fen per capita.
    assert ss.benchmark_per_capita_fen == 31_818
    # × 100,000 insured = 31,818,000.00 yuan
    assert ss.benchmark_fen == 3_181_800_000
    # total cost of care, outside the county included: 19 + 6 + 5 = 30,000,000.00 yuan
    assert record.charged_fen == ss.actual_fen == 3_000_000_000
    # savings 1,818,000.00 yuan; rate 1.818 / 31.818 = 5.714 % ≥ MSR 2 % (100,000 people)
    assert ss.savings_fen == 181_800_000
    assert ss.msr == Decimal("0.02")
    # 50 % of savings = 909,000.00 yuan < cap 10 % × 31,818,000 = 3,181,800.00 yuan
    assert ss.savings_cap_fen == 318_180_000
    assert ss.shared_savings_fen == 90_900_000
    # fee: 30,000 registered × 100 yuan = 3,000,000.00 yuan
    assert record.family_physician_fee_fen == 300_000_000
    # insurer: claims 30 M + shared savings 0.909 M + fees 3 M = 33,909,000.00 yuan
    assert record.insurer_outlay_fen == 3_390_900_000
    assert record.consortium_result_fen == 90_900_000
    # uses 30/30/40 %: 272,700 + 272,700 + 363,600 yuan
    assert record.distribution.allocations == {
        "cooperation": 27_270_000,
        "health_promotion": 27_270_000,
        "institutional_development": 36_360_000,
    }
    # what the run spends on health promotion next year
    assert promotion == 27_270_000
    # the quality gate: taken as met in the run (a full score), and so recorded
    assert ss.quality_score == ASSUMED_QUALITY_SCORE and ss.quality_standard_met
    head = settlement_headline(record)
    assert head["benchmark_fen"] == 3_181_800_000 and head["savings_fen"] == 181_800_000
    assert head["minimum_savings_rate"] == "0.02"


def test_a_year_below_the_minimum_savings_rate_shares_nothing():
    # 2018's cost 31,500,000 yuan against the same 31,818,000 benchmark: savings 318,000
    # yuan, a rate of 0.999 % < 2 %: nothing shared, the fee still paid.
    settle = YearEndSettlement()
    settle(_accounts(2017, 0.0, (20_000_000, 5_000_000, 5_000_000), insured=99_000, registered=1))
    settle(
        _accounts(2018, 1.0, (20_500_000, 6_000_000, 5_000_000), insured=100_000, registered=30_000)
    )
    record = settle.records[2018]
    assert record.shared_savings.savings_fen == 31_800_000
    assert record.shared_savings.shared_savings_fen == 0
    assert record.family_physician_fee_fen == 300_000_000
    assert record.distribution.allocations["health_promotion"] == 0


@pytest.fixture(scope="module")
def deqing_run(small_deqing_run):
    return small_deqing_run  # 6,000 residents: conftest.py


def test_the_in_run_deqing_settlement_equals_the_payment_engines_from_the_store(deqing_run):
    # The run's year-end settlements, and ihms.payment's from the tables the run wrote
    # (as `ihms payment settle --store --rules deqing-shared-savings` reads them, with a
    # population table carrying the quality score): the same fen, every year.
    assert sorted(deqing_run.settlements) == [2018, 2019]  # the whole years of 2017-10's
    rules = load_rules("deqing-shared-savings")
    with Store(":memory:") as store:
        store.write(deqing_run.sink.dataset(validate=False))
        spending = spending_from_store(store)
        counted = population_from_store(store, registrations="required")
    rows = [
        {
            "year": y,
            "insured_population": c.insured_population,
            "family_physician_registered": c.family_physician_registered,
            "quality_score": "1",
        }
        for y, c in counted.rows.items()
    ]
    from ihms.payment import PopulationTable

    # with the store's month-end registrations (by contract-holding institution), which
    # the fee is paid on
    population = PopulationTable.from_frame(
        pd.DataFrame(rows), source="store + quality"
    ).with_registrations(
        {
            y: c.family_physician_members
            for y, c in counted.rows.items()
            if c.family_physician_members
        }
    )
    for year, run_record in deqing_run.settlements.items():
        record = settle_year(
            rules, settlement_inputs(rules, year, spending=spending, population=population)
        )
        assert record.shared_savings == run_record.shared_savings, year
        assert record.family_physician_fee_fen == run_record.family_physician_fee_fen, year
        assert record.insurer_outlay_fen == run_record.insurer_outlay_fen, year
        assert record.distribution.allocations == run_record.distribution.allocations, year
        # the fee by hand: the run's registered member-months × 100 yuan / 12, half up
        months = next(a for a in deqing_run.accounts if a.year == year).family_physician_months
        assert len(months) == 12
        assert record.family_physician_fee_fen == (sum(months) * 10_000 * 2 + 12) // 24
        # the run pools the fee; the store names the institutions holding the contracts
        assert run_record.family_physician_fee_by_institution == {}
        assert sum(record.family_physician_fee_by_institution.values()) > 0
        # the benchmark by hand from the run's own accounts of the year before
        last = next(a for a in deqing_run.accounts if a.year == year - 1)
        per_capita = Decimal(last.insurance_fen) / last.insured_population * Decimal("1.05")
        assert record.shared_savings.benchmark_per_capita_fen == int(
            per_capita.quantize(Decimal(1), rounding="ROUND_HALF_UP")
        )


def test_the_expected_insured_population_is_what_the_run_counts(small_run, small_config):
    # What the MSR check reads before simulating (the plan × population.insured_share)
    # against the insured the run's settlement counts: equal up to the draw of who is
    # insured and present (binomial, sd about 0.3 % at 4,000 residents; allow 1 %).
    sim = CountySimulation(small_config, residents=4000)
    expected = sim.expected_insured()
    assert sorted(expected) == [a.year for a in small_run.accounts]
    for a in small_run.accounts:
        assert a.insured_population == pytest.approx(expected[a.year], rel=0.01), a.year
    # the share is applied: fewer insured than residents expected
    assert all(n < 4000 * 1.02 * small_config.population.insured_share for n in expected.values())
