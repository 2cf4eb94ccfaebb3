"""Stand-ins for the ITS fits the demo's prose reads, so prose tests need no fit."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

TERMS = ["_cons", "_t", "_x2017m10", "_x_t2017m10"]


def _fake_fit(slope, level, change, p_level, p_change, post):
    """An object with the ITSResults attributes the prose reads: params, pvalues,
    post_trend (coef, ci_low, ci_high, p), effect() and the design's months."""
    coef, low, high, p = post
    return SimpleNamespace(
        params=pd.Series([0.0, slope, level, change], index=TERMS),
        pvalues=pd.Series([0.5, 0.001, p_level, p_change], index=TERMS),
        post_trend=pd.DataFrame({"coef": [coef], "ci_low": [low], "ci_high": [high], "p": [p]}),
        effect=lambda at: pd.DataFrame({"effect": [-100.0], "relative_effect": [-0.1]}),
        # the 46 months of seed 002's series, February 2016 to November 2019 (codes from
        # 1960-01, as the fits' monthly axis counts them)
        design=SimpleNamespace(
            times=np.arange(673, 719),
            axis=SimpleNamespace(display=lambda code: str(pd.Period("1960-01", "M") + code)),
        ),
    )


@pytest.fixture
def its_fits():
    """``its_fits(...)``: the four fits, with the numbers of the simulated county in the
    demo of 2026-11-22 (report, ITS section) unless overridden."""

    def make(
        *,
        cost_per_stay_p=0.161,
        hospitalizations_post=(6.1, 0.3, 11.8, 0.038),
        visits=(501.2, -469.4, (31.8, -12.0, 75.6, 0.151)),
    ):
        """``visits`` is (pre-reform slope, slope change, post-reform trend)."""
        slope, change, post = visits
        return {
            "outpatient_emergency_visits": _fake_fit(slope, -2759.8, change, 1e-8, 1e-20, post),
            "hospitalizations": _fake_fit(19.1, -348.2, -13.0, 1e-6, 0.001, hospitalizations_post),
            "cost_per_outpatient_visit": _fake_fit(
                -0.15, 2.24, 0.20, 1e-6, 1e-6, (0.06, 0.02, 0.09, 0.002)
            ),
            "cost_per_hospitalization": _fake_fit(
                1.7, 514.8, 7.9, 1e-6, cost_per_stay_p, (9.7, 1.2, 18.1, 0.026)
            ),
        }

    return make


@pytest.fixture(scope="session")
def regime_comparison():
    """The demo's regimes (seed 002's three and Deqing's shared savings) on 6,000
    residents, seed 7 — Deqing's minimum savings rate starts at 5,000 assigned people —
    shared by the English and the Chinese tests of the regimes section (about 20 s)."""
    from ihms.demo import _sim
    from ihms.sim import load_sim_config
    from ihms.sim.compare import compare_regimes
    from ihms.sim.load import example_file
    from ihms.system import load_system

    config = load_sim_config(example_file("youxi_sim.yaml"))
    return compare_regimes(
        config,
        regimes=_sim.COMPARE_REGIMES,
        residents=6000,
        seed=7,
        system=load_system(config.county),
    )
