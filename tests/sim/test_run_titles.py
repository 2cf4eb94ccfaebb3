"""A run with no reform says so, and summary.json carries no float noise (user review
22s, L1 and L3): ``sim run --regime fee-for-service`` was titled "regime fee-for-service
from 2019-07" and then said "throughout, no reform" (the store's source too); the health
promotion of a reform year was ``0.29999999999999993``."""

import pytest

from ihms.sim import CountySimulation, MemorySink


@pytest.fixture(scope="module")
def baseline_run(small_config, youxi_system):
    return CountySimulation(
        small_config, regime="fee-for-service", residents=1500, system=youxi_system
    ).run(sink=MemorySink())


def test_a_run_without_reform_is_titled_without_a_reform_month(baseline_run):
    title = baseline_run.summary().title
    assert title == "Simulated county, regime fee-for-service throughout (no reform)"
    assert baseline_run.sink.info.source.endswith(
        "regime fee-for-service throughout (no reform), seed 20171001"
    )


def test_a_reform_run_keeps_its_month(small_run):
    assert small_run.summary().title == "Simulated county, regime sanming from 2017-10"
    assert "regime sanming from 2017-10, seed" in small_run.sink.info.source


def test_health_promotion_is_rounded_as_the_table_shows_it(small_run):
    # 2017: Sanming's effort 0.3 (examples/youxi_sim.yaml) over October–December's
    # three-month ramp (1/3, 2/3, 1), fee for service's 0 before: 0.3 × 2 / 12 = 0.05,
    # the mean of the months, to 4 places as the table shows it
    assert small_run.per_year()[2017]["health promotion"] == 0.05
    for values in small_run.per_year().values():
        promotion = values["health promotion"]
        assert promotion == round(promotion, 4)


def test_one_resident_is_said_in_the_singular_and_columns_keep_their_decimals(
    small_config, youxi_system
):
    # "1 residents ever present", resident-years "1" beside "7,994.08" elsewhere, and an
    # outside share of 36.4400 for a value rounded to 2 (sim review finding 8)
    results = CountySimulation(small_config, residents=1, system=youxi_system).run(
        sink=MemorySink()
    )
    summary = results.summary()
    assert summary.notes[0].startswith("1 resident ever present; ")
    assert summary.formats["resident-years"](1.0) == "1.00"
    assert results.spending_summary().formats["outside the county (%)"](36.44) == "36.44"
