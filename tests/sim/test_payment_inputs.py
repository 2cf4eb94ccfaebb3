"""The simulator's own year-end accounts against what the payment adapters read back
from the tables it wrote: two independent paths to the same budget inputs."""

from __future__ import annotations

import pytest

from ihms.data import Store
from ihms.payment import (
    load_rules,
    population_from_store,
    settle_year,
    settlement_inputs,
    spending_from_store,
)
from ihms.sim import CountySimulation, MemorySink
from ihms.sim.funding import population_table, spending_table


@pytest.fixture(scope="module")
def store(small_run):
    s = Store(":memory:")
    s.write(small_run.sink.dataset(validate=False))
    yield s
    s.close()


def test_store_population_equals_the_runs_insured_resident_months(small_run, store):
    ours = population_from_store(store)
    theirs = population_table(small_run.accounts)
    for year in theirs.rows:
        assert ours.for_year(year).insured_population == theirs.for_year(year).insured_population


def test_store_residents_equal_the_runs_resident_months(small_run, store):
    # the county's resident (total) population a budget on residents reads: the run's
    # mean of resident-months (YearAccounts.population), rounded half up as the store's
    ours = population_from_store(store)
    for a in small_run.accounts:
        assert ours.for_year(a.year).resident_population == int(a.population + 0.5), a.year
        assert ours.for_year(a.year).resident_population >= a.insured_population


def test_the_runs_population_table_gives_the_stores_residents(small_run, store):
    # budget.population: residents (the built-in Sanming rules, seed 002) settles in the
    # run on population_table: its resident_population must be what a store counts
    ours = population_from_store(store)
    theirs = population_table(small_run.accounts)
    for year in theirs.rows:
        residents = theirs.for_year(year).resident_population
        assert residents == ours.for_year(year).resident_population, year
        assert residents >= theirs.for_year(year).insured_population


def test_store_spending_agrees_with_the_runs_accounts(small_run, store):
    ours = spending_from_store(store).frame
    theirs = spending_table(small_run.accounts).frame
    keys = ["year", "institution_id"]
    merged = theirs.merge(ours, on=keys, how="outer", suffixes=("_run", "_store"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["setting_run"] == merged["setting_store"]).all()
    assert (merged["primary_care_run"] == merged["primary_care_store"]).all()
    # Both book an encounter in the calendar year of its date (care crossing New Year
    # included): every institution and year to the fen and the encounter.
    cols = ["insurance_paid_fen", "total_cost_fen", "encounters"]
    for col in cols:
        assert (merged[f"{col}_run"] == merged[f"{col}_store"]).all(), col


def test_in_run_settlement_equals_the_payment_engines_from_the_store(small_run, store):
    # Two paths to each year's settlement: the one the run made at each year end from
    # its own accounts, and ihms.payment's from the tables it wrote (as `ihms payment
    # settle --store` reads them). Same rules, assessment passed on both: same fen.
    rules = load_rules(small_run.regime)
    spending = spending_from_store(store)
    population = population_from_store(store, registrations="required")
    assert sorted(small_run.settlements) == [2018, 2019]  # the whole years of 2017-10's
    for year, run_record in small_run.settlements.items():
        inputs = settlement_inputs(
            rules,
            year,
            spending=spending,
            population=population,
            assume_assessment_passed=True,
        )
        record = settle_year(rules, inputs)
        for name in _MONEY:
            assert getattr(record, name) == getattr(run_record, name), (year, name)
        assert record.budget == run_record.budget, year
        assert record.distribution.allocations == run_record.distribution.allocations, year


_MONEY = [
    "consortium_fen",
    "outside_county_fen",
    "private_fen",
    "charged_fen",
    "private_reserve_fen",
    "difference_fen",
    "balance_fen",
    "overspend_fen",
    "retained_fen",
    "clawback_fen",
    "overspend_insurer_fen",
    "overspend_consortium_fen",
    "family_physician_fee_fen",
    "insurer_outlay_fen",
    "consortium_result_fen",
]


def test_store_registrations_equal_the_runs_registered_member_months(small_run, store):
    # Youxi's registration shares and the regimes' odds only rise, so no registration
    # lapses: the dates give back the run's insured registered resident-months exactly.
    ours = population_from_store(store, registrations="required")
    theirs = population_table(small_run.accounts)
    for year in theirs.rows:
        registered = theirs.for_year(year).family_physician_registered
        assert ours.for_year(year).family_physician_registered == registered
        assert 0 < registered < theirs.for_year(year).insured_population


def test_lapsed_registrations_are_missing_only_before_the_last_year(small_config, youxi_system):
    # Shares falling from 60 % to 20 %: many registrations of 2016 lapse. The register
    # keeps only the current registration, so the store undercounts the years before
    # the last; in the last year every registered resident's registration is current.
    fp = small_config.family_physician.model_copy(
        update={"registration": {2016: 0.6, 2017: 0.2, 2018: 0.2, 2019: 0.2}}
    )
    config = small_config.model_copy(update={"family_physician": fp})
    run = CountySimulation(config, residents=1500, system=youxi_system).run(sink=MemorySink())
    with Store(":memory:") as s:
        s.write(run.sink.dataset(validate=True))
        ours = population_from_store(s)
    theirs = population_table(run.accounts)
    years = sorted(theirs.rows)
    diff = {
        y: theirs.for_year(y).family_physician_registered
        - ours.for_year(y).family_physician_registered
        for y in years
    }
    assert diff[years[-1]] == 0
    assert all(d >= 0 for d in diff.values())
    assert diff[2016] > 0.2 * theirs.for_year(2016).family_physician_registered
