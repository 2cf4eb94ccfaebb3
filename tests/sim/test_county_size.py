"""A county too small for a rule set's minimum savings rate table (Deqing's, the MSSP
table starting at 5,000 assigned people, 42 CFR 425.110) is refused before simulating —
by the library's ``CountySimulation.run`` as by ``ihms sim run`` and ``sim compare`` — with
one message, naming the library's parameter (``parameter 'residents'``) or the command's
option (``option '--residents'``), and the check runs once per run."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import ihms.sim
import ihms.sim.compare
import ihms.sim.run
from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import load_rules
from ihms.sim import CountySimulation, MemorySink, YearEndSettlement
from ihms.sim.compare import compare_regimes


class _Stop(Exception):
    """Raised by a sink's ``open``: the run got past its checks to writing."""


class _StoppingSink(MemorySink):
    def open(self, info):
        raise _Stop


def _refused(sim, **run):
    opened, progressed = [], []

    class Sink(MemorySink):
        def open(self, info):
            opened.append(info)
            super().open(info)

    with pytest.raises(InputError) as info:
        sim.run(sink=Sink(), progress=lambda done, total: progressed.append(done), **run)
    assert not opened and not progressed  # refused before any simulating
    return " ".join(str(info.value).split())


def test_run_refuses_a_county_too_small_for_deqings_table_before_simulating(
    small_config, youxi_system
):
    # 3,000 residents x population.insured_share 0.97: about 2,9xx insured in 2018, under
    # the table's first band of 5,000 (the figure `ihms sim run --residents 3000` gives:
    # tests/sim/test_cli_regimes.py)
    sim = CountySimulation(small_config, regime="deqing", residents=3000, system=youxi_system)
    text = _refused(sim)
    assert text.startswith("parameter 'residents': 3,000 residents give about 2,9")
    assert "fewer than the 5,000 assigned people" in text
    assert "rules 'deqing-shared-savings'" in text
    assert "--residents" not in text  # the library names its parameter, not the CLI option


def test_run_checks_the_rules_its_settlement_was_given(small_config, youxi_system):
    # Deqing's rules given for the deqing regime through the settlement: checked too
    rules = load_rules("deqing-shared-savings")
    settle = YearEndSettlement({"deqing": rules})
    sim = CountySimulation(small_config, regime="deqing", residents=5100, system=youxi_system)
    text = _refused(sim, settle=settle)
    # the figures of tests/sim/test_cli_regimes.py's 5,100-resident case
    assert "5,100 residents give about 4,997 insured residents in 2018" in text
    assert "simulate at least 5,154" in text


def test_a_county_large_enough_or_rules_without_a_table_pass_to_the_simulation(
    small_config, youxi_system
):
    for regime, residents in (("deqing", 6000), ("sanming", 3000)):
        sim = CountySimulation(
            small_config, regime=regime, residents=residents, system=youxi_system
        )
        with pytest.raises(_Stop):
            sim.run(sink=_StoppingSink())


def _count_checks(monkeypatch):
    calls = []
    original = CountySimulation.expected_insured

    def counted(self):
        calls.append(self.regime)
        return original(self)

    monkeypatch.setattr(CountySimulation, "expected_insured", counted)
    return calls


def test_compare_regimes_checks_each_regime_once(monkeypatch, small_config, youxi_system):
    calls = _count_checks(monkeypatch)
    monkeypatch.setattr(ihms.sim.compare, "MemorySink", _StoppingSink)
    with pytest.raises(_Stop):
        compare_regimes(
            small_config, regimes=("deqing",), residents=6000, system=youxi_system, seed=3
        )
    assert calls == ["deqing"]  # the up-front check, not again when the run starts


def test_sim_run_checks_once_and_names_its_option(monkeypatch, tmp_path, example_path):
    calls = _count_checks(monkeypatch)
    monkeypatch.setattr(ihms.sim.StoreSink, "open", _StoppingSink.open)
    base = ["sim", "run", "--config", str(example_path), "--regime", "deqing"]
    result = CliRunner().invoke(app, [*base, "--residents", "6000", "--out", tmp_path / "a"])
    assert isinstance(result.exception, _Stop), result.output
    assert calls == ["deqing"]
    calls.clear()
    result = CliRunner().invoke(app, [*base, "--residents", "3000", "--out", tmp_path / "b"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "option '--residents': 3,000 residents give about 2,9" in text
    assert "parameter 'residents'" not in text
    assert calls == ["deqing"]


def test_a_passed_check_is_not_taken_for_a_changed_county(small_config, youxi_system):
    # the skip is for the same rules, config, system, residents and reform only
    rules = load_rules("deqing-shared-savings")
    sim = CountySimulation(small_config, regime="deqing", residents=6000, system=youxi_system)
    ihms.sim.run.check_county_size(sim, rules)
    sim.residents = 3000
    text = _refused(sim, settle=YearEndSettlement({"deqing": rules}))
    assert "3,000 residents give about 2,9" in text


def test_a_run_told_the_size_was_checked_does_not_check_again(
    monkeypatch, small_config, youxi_system
):
    # compare_regimes says so explicitly (size_checked=True); a run not told so checks,
    # however often the same county passed before (no cache kept on the simulation)
    calls = _count_checks(monkeypatch)
    rules = load_rules("deqing-shared-savings")
    sim = CountySimulation(small_config, regime="deqing", residents=6000, system=youxi_system)
    ihms.sim.run.check_county_size(sim, rules)
    settle = YearEndSettlement({"deqing": rules})
    with pytest.raises(_Stop):
        sim.run(sink=_StoppingSink(), settle=settle, size_checked=True)
    assert calls == ["deqing"]
    with pytest.raises(_Stop):
        sim.run(sink=_StoppingSink(), settle=settle)
    assert calls == ["deqing", "deqing"]
    assert not hasattr(sim, "_size_passed")
