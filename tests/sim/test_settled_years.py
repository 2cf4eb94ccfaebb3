"""Which years a run settles: the whole calendar years of the reform, the demo's rule.

Seed 002: "Youxi implemented the IMPM policy in October 2017", and the global budget is
allocated "At the beginning of each year": a budget is set for a whole year at its start,
so a reform that begins within a year first settles the next whole year; the year it
began is the baseline (shown, not settled). A reform from January has no baseline year.
``ihms sim run`` settled the reform year whole (assessment taken as passed) while the demo
showed it as the baseline; both now read :func:`ihms.sim.regime.first_settled_year` and
:func:`ihms.sim.regime.baseline_year`.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.sim import CountySimulation, MemorySink
from ihms.sim.regime import baseline_year, first_settled_year

runner = CliRunner()


@pytest.mark.parametrize(
    ("reform", "first", "baseline"),
    [
        ("2017-10", 2018, 2017),  # Youxi: October 2017
        ("2018-04", 2019, 2018),
        ("2018-01", 2018, None),  # in force the whole of 2018: no baseline year
        ("2019-12", 2020, 2019),
    ],
)
def test_the_first_settled_year_is_the_first_whole_year_of_the_reform(reform, first, baseline):
    assert first_settled_year(reform) == first
    assert baseline_year(reform) == baseline


def test_the_demo_reads_the_same_functions():
    # one rule, not two copies that can drift apart
    from ihms.demo import _payment, _payment_baseline

    assert _payment.first_settled_year is first_settled_year
    assert _payment.baseline_year is baseline_year
    assert not hasattr(_payment_baseline, "first_settled_year") or (
        _payment_baseline.first_settled_year is first_settled_year
    )


def test_the_simulator_reads_the_payment_rule():
    # ihms.payment.reform holds the rule `ihms payment settle` reads; sim.regime kept a
    # copy of it (session 20): now one rule, sim.regime's names kept
    from ihms.payment import reform as payment_reform
    from ihms.sim import regime

    assert regime.first_settled_year is payment_reform.first_settled_year
    assert regime.baseline_year is payment_reform.baseline_year
    assert regime.year_month is payment_reform.reform_month


def _run(config, system, reform):
    return CountySimulation(config, reform=reform, residents=2000, system=system).run(
        sink=MemorySink()
    )


@pytest.mark.parametrize(
    ("reform", "settled"),
    [("2017-10", [2018, 2019]), ("2018-04", [2019]), ("2018-01", [2018, 2019])],
)
def test_a_run_settles_the_whole_years_of_its_reform_only(
    small_config, youxi_system, reform, settled
):
    results = _run(small_config, youxi_system, reform)
    assert sorted(results.settlements) == settled
    assert [a.year for a in results.accounts if a.settled] == settled
    # the baseline year ran partly under the reform, and is not settled
    base = baseline_year(reform)
    if base is not None:
        (year,) = [a for a in results.accounts if a.year == base]
        assert 0 < year.reformed < 1 and not year.settled


def test_fee_for_service_settles_nothing(small_config, youxi_system):
    results = CountySimulation(
        small_config, regime="fee-for-service", residents=2000, system=youxi_system
    ).run(sink=MemorySink())
    assert results.settlements == {} and not any(a.settled for a in results.accounts)


def test_sim_run_says_which_years_it_settled_and_why(tmp_path, example_path):
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--residents", "2000"]
    args += ["--reform", "2018-04"]
    result = runner.invoke(app, [*args, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert sorted(summary["settlements"]) == ["2019"]
    years = summary["settled_years"]
    assert years["settled"] == [2019] and years["baseline"] == 2018
    assert "2018, in which the reform ran only from April, is the baseline year" in years["note"]
    shown = runner.invoke(app, [*args, "--out", str(tmp_path / "shown")])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    assert "2018, in which the reform ran only from April, is the baseline year" in text
    assert "settled whole, the reform year included" not in text
