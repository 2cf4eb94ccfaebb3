"""A notebook shows a simulation run, and every other simulation result with a summary,
as its summary table (a review of the Python API for Jupyter, session 33). Only the run
simulates (the session's 4,000 residents); the others are built without simulating, as
their own tests build them. ``SeedSpread.summary`` needs a year, so a seed spread shows
its one-line repr (tests/test_html_repr_guard.py lists it)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.html_repr_check import check_html_repr
from tests.sim.test_calibrate import _measured
from tests.sim.test_sensitivity import EFFORT

from ihms.sim.calibrate import TARGETS, check_targets
from ihms.sim.compare import RegimeComparison
from ihms.sim.seed004 import against_seed_004
from ihms.sim.sensitivity import Sensitivity, parse_vary
from ihms.sim.tune import TUNED, tune


def test_a_simulation_run_shows_its_summary_table(small_run):
    page = check_html_repr(small_run)
    assert page.caption.startswith("Simulated county")
    years = [str(y) for y in small_run.summary().frame.index]
    assert [c for c in page.cells if c in years] == years
    check_html_repr(small_run.accounts[0])


def _calibration(config):
    # test_calibrate's departing shown figure: primary-care share 53.7 against 63.0
    return check_targets(_measured(healthcare_visits_primary_share_2017=53.7), {})


def _tuning(config):
    # test_tune's stand-in simulation: both hospitalization rates 10 × the factor
    path = "regimes.fee-for-service.ch_admission_factor"
    fixed = {t.key: t.value for t in TARGETS}

    def evaluate(cfg):
        f = cfg.regimes["fee-for-service"].ch_admission_factor
        return {**fixed, "hospitalization_rate_2016": 10 * f, "hospitalization_rate_2019": 10 * f}

    param = next(p for p in TUNED if p.path == path)
    return tune(config, evaluate, parameters=(param,), max_evaluations=10)


def _comparison(config):
    frame = pd.DataFrame(
        {
            "regime": ["sanming", "sanming"],
            "year": [2018, 2019],
            "figure": ["hospitalization_rate", "hospitalization_rate"],
            "value": [16.0, 15.5],
        }
    )  # as test_compare's
    return RegimeComparison(frame=frame, settlements={}, runs={"sanming": None})


def _seed_004(config):
    values = {
        ("inpatient_outside_county_share", 2016): 21.0,
        ("inpatient_outside_county_share", 2018): 18.0,
    }  # as test_seed004's
    return against_seed_004(values)


def _sensitivity(config):
    # one parameter's base, low and high runs, the figures as a 300-resident one_way run
    # of the Youxi config gave them (entered here, not simulated)
    rows = [(None, "base", None, -0.0445), (EFFORT, "low", 0.29, -0.0596),
            (EFFORT, "high", 0.31, -0.0661)]  # fmt: skip
    values = pd.DataFrame(
        [
            {"parameter": key, "setting": setting, "parameter_value": value,
             "regime": "sanming", "measure": "difference", "year": 2019, "figure": "charged",
             "value": outcome}
            for key, setting, value, outcome in rows
        ]
    )  # fmt: skip
    varied = (parse_vary(f"{EFFORT}=0.29:0.31", config),)
    return Sensitivity(values, varied, "sanming", "fee-for-service", 300, 20171001)


_RESULTS = {
    "CalibrationResults": _calibration,
    "TuningResults": _tuning,
    "RegimeComparison": _comparison,
    "SeedComparison": _seed_004,
    "Sensitivity": _sensitivity,
}


@pytest.mark.parametrize("name", sorted(_RESULTS))
def test_every_other_simulation_result_shows_its_summary_table(name, youxi_config):
    result = _RESULTS[name](youxi_config)
    assert type(result).__name__ == name
    check_html_repr(result)
