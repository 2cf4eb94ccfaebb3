"""The cost section points to the calibration when the county hospitals' cost per
stay jumps at the reform by more than Youxi's (session 23 review, MEDIUM 3): the
calibration calls that jump a limit of the model, so the cost figure must not read as
a finding. Youxi's level change: 100.1 yuan (Zhong et al. 2023, Table 3); 602.1 is the
demo's of 2026-11-24 (tables/calibration-sim_calibration.csv)."""

from types import SimpleNamespace

import pandas as pd

from ihms.demo._indicators import cost_caveat


def _calibration(simulated: float, agrees: bool):
    frame = pd.DataFrame(
        {
            "figure": ["CH cost per hospitalization (yuan): level change"],
            "target": [100.1],
            "simulated": [simulated],
            "ratio": [simulated / 100.1],
            "agrees": [agrees],
        },
        index=["ch_cost_per_stay_level_change"],
    )
    return SimpleNamespace(frame=frame)


def test_a_departing_jump_is_said_to_be_the_models():
    text = cost_caveat(_calibration(602.1, False))
    assert "602.1 yuan against Youxi's 100.1" in text
    assert "6.0 times" in text and "'Calibration'" in text
    assert "not a finding" in text


def test_nothing_is_said_when_the_jump_agrees_or_no_calibration_ran():
    assert cost_caveat(_calibration(120.0, True)) == ""
    assert cost_caveat(None) == ""
