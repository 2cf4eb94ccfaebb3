import pandas as pd
import pytest

from ihms.payment import load_rules
from ihms.sim import CountySimulation, NullSink
from ihms.sim.funding import HEALTH_PROMOTION, spending_table


@pytest.fixture(scope="module")
def cheap_config(small_config):
    """Costs halved, so the consortium's spending stays under the global budget."""
    costs = small_config.costs
    half = {
        "outpatient_yuan": {k: v / 2 for k, v in costs.outpatient_yuan.items()},
        "inpatient_per_day_yuan": {k: v / 2 for k, v in costs.inpatient_per_day_yuan.items()},
    }
    return small_config.model_copy(update={"costs": costs.model_copy(update=half)})


def _run(config, regime):
    return CountySimulation(config, residents=3000, regime=regime).run(sink=NullSink())


def test_sanming_balance_funds_next_years_promotion(cheap_config):
    res = _run(cheap_config, "sanming")
    share = float(dict(load_rules("sanming").balance_uses.shares)[HEALTH_PROMOTION])
    assert set(res.settlements) == {2018, 2019}  # the whole years with IMPM in force
    # 2017, from October, is the baseline: not settled, it funds nothing in 2018
    assert res.funding_fen[2018] == 0
    for year in (2018,):
        record = res.settlements[year]
        assert record.balance_fen > 0
        promo = record.distribution.allocations[HEALTH_PROMOTION]
        # seed 002: the balance may fund health promotion, at the rules' share of it
        assert promo == pytest.approx(record.retained_fen * share, abs=1)
        assert res.funding_fen[year + 1] == promo
    effort_only = CountySimulation(cheap_config, residents=3000).run(
        sink=NullSink(), settle=lambda a: 0
    )
    assert res.promotion[2019] > effort_only.promotion[2019]


def test_other_areas_balance_buys_no_promotion(cheap_config):
    res = _run(cheap_config, "other-areas")
    assert res.settlements
    for record in res.settlements.values():
        assert HEALTH_PROMOTION not in record.distribution.allocations
    assert all(v == 0 for v in res.funding_fen.values())


def test_fee_for_service_is_never_settled(cheap_config):
    res = _run(cheap_config, "fee-for-service")
    assert res.settlements == {}


def test_spending_table_matches_the_accounts(small_run):
    table = spending_table(small_run.accounts)
    for acct in small_run.accounts:
        year = table.for_year(acct.year)
        assert year.consortium_total + year.outside_county == acct.insurance_fen
        assert (
            year.outside_county
            == small_run.tally.insurance_fen[:, :, 3]
            .sum(axis=0)[
                [
                    m.astype("datetime64[Y]").astype(int) + 1970 == acct.year
                    for m in small_run.months
                ]
            ]
            .sum()
        )


def test_the_settled_population_takes_the_quality_standard_as_met_only_for_shared_savings(
    small_run,
):
    # the in-run settlement and sim compare's both read it (funding.settled_population)
    from ihms.sim.funding import ASSUMED_QUALITY_SCORE, settled_population

    deqing = settled_population(small_run.accounts, load_rules("deqing-shared-savings"))
    sanming = settled_population(small_run.accounts, load_rules("sanming"))
    for acct in small_run.accounts:
        assert deqing.rows[acct.year].quality_score == ASSUMED_QUALITY_SCORE
        assert deqing.rows[acct.year].quality_standard_met is True
        assert sanming.rows[acct.year].quality_score is None
        assert sanming.rows[acct.year].insured_population == acct.insured_population


def _accounts(year: int, population: float, insured: int = 1):
    from ihms.sim.results import YearAccounts

    return YearAccounts(
        year=year,
        regime="sanming",
        reformed=1.0,
        population=population,
        insured_population=insured,
        family_physician_registered=0,
        by_institution=pd.DataFrame(),
        shared_balance=True,
        settled=True,
    )


@pytest.mark.parametrize(
    ("resident_months", "months", "expected"),
    [
        (114, 12, 10),  # 9.5 → 10 (half up, as population_from_store counts)
        (30, 12, 3),  # 2.5 → 3, where round() would give 2 (half to even)
        (113, 12, 9),  # 9.4166… → 9
        (5, 2, 3),  # a year the run covers two months of: 2.5 → 3
        (4_484_407, 12, 373_701),  # 373,700.58… → 373,701 (a Youxi-sized county)
    ],
)
def test_the_population_table_gives_residents_rounded_half_up(resident_months, months, expected):
    # YearAccounts.population is the mean of resident-months (a float); the table's
    # resident_population rounds it half up exactly, as the run rounds the insured
    from ihms.sim.funding import population_table

    table = population_table([_accounts(2018, resident_months / months)])
    assert table.for_year(2018).resident_population == expected
