from pathlib import Path

import pytest

from ihms.sim import CountySimulation, MemorySink, load_sim_config
from ihms.system import load_system

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def example_path():
    return EXAMPLES / "youxi_sim.yaml"


@pytest.fixture(scope="session")
def youxi_config(example_path):
    return load_sim_config(example_path)


@pytest.fixture(scope="session")
def youxi_system():
    return load_system(EXAMPLES / "youxi.yaml")


@pytest.fixture(scope="session")
def small_config(youxi_config):
    """The Youxi config with small blocks, so a few thousand residents span many blocks."""
    return youxi_config.model_copy(update={"block_size": 512})


@pytest.fixture(scope="session")
def small_run(small_config, youxi_system):
    """One 4,000-resident run under the default reform (Sanming IMPM from 2017-10)."""
    return CountySimulation(small_config, residents=4000, system=youxi_system).run(
        sink=MemorySink()
    )


@pytest.fixture(scope="session")
def small_tables(small_run):
    return small_run.tables()


@pytest.fixture(scope="session")
def small_deqing_run(small_config, youxi_system):
    """One 6,000-resident run under Deqing's shared savings (its minimum savings rate
    starts at 5,000 assigned people), kept in memory: test_deqing.py's settlement and
    test_seed004.py's shares read it; the tests only read it."""
    return CountySimulation(small_config, residents=6000, regime="deqing", system=youxi_system).run(
        sink=MemorySink()
    )


def simulate_once(monkeypatch, module, name):
    """While ``monkeypatch`` holds, a call of ``module.name`` with the same settings as an
    earlier one (compared with ==, the ``progress`` callback left out) returns that call's
    result instead of simulating again (:func:`simulated_once`)."""
    real, done = getattr(module, name), []

    def reused(*args, **kwargs):
        settings = {k: v for k, v in kwargs.items() if k != "progress"}
        for a, k, result in done:
            if a == args and k == settings:
                return result
        result = real(*args, **kwargs)
        done.append((args, settings, result))
        return result

    monkeypatch.setattr(module, name, reused)


@pytest.fixture
def simulated_once(monkeypatch):
    """``simulated_once(module, name)``: for the rest of the test, a call of
    ``module.name`` with the same settings as an earlier one (compared with ==, the
    ``progress`` callback left out) returns that call's result instead of simulating
    again. For CLI tests that invoke a command twice to compare how the one result is
    said (in two languages, as a table and as --json): the CLI still loads and checks
    everything each time; a call whose settings differ simulates. A module fixture that
    invokes a command twice so does it with :func:`simulate_once`."""

    def once(module, name):
        simulate_once(monkeypatch, module, name)

    return once
