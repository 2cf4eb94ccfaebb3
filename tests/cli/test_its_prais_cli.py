"""`ihms its --cov prais --rhotype ... --robust` gives what ITSModel gives."""

from __future__ import annotations

import json

import pytest
from tests.cli.test_its_cli import CIG, GOLDEN, runner

from ihms.cli.main import app


def test_prais_as_linden_fits_it_tscorr_and_robust():
    # itsa's help file: itsa cigsale, single treatid(3) trperiod(1989) prais
    # rhotype(tscorr) vce(robust); the numbers are the library's (tests/stats/test_its.py)
    import pandas as pd

    from ihms.stats import ITSModel

    options = ["--group", "state", "--treated", "3", "--single", "--cov", "prais"]
    result = runner.invoke(app, [*CIG, *options, "--rhotype", "tscorr", "--robust", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = ITSModel(
        pd.read_csv(GOLDEN),
        outcome="cigsale",
        time="year",
        interruptions=1989,
        group="state",
        treated=3,
        single=True,
    ).fit(cov_type="prais", prais_rhotype="tscorr", prais_robust=True)
    assert out["rho"] == pytest.approx(ref.rho, rel=1e-12)
    assert out["prais"]["rhotype"] == "tscorr" and out["prais"]["robust"] is True
    se = out["params"]["_x1989"]["std_error"]
    assert se == pytest.approx(ref.std_errors["_x1989"], rel=1e-12)


def test_theil_and_nagar_rhotypes_reach_the_library():
    import pandas as pd

    from ihms.stats import ITSModel

    options = ["--group", "state", "--treated", "3", "--single", "--cov", "prais"]
    rhotype = "theil"
    result = runner.invoke(app, [*CIG, *options, "--rhotype", rhotype, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = ITSModel(
        pd.read_csv(GOLDEN), outcome="cigsale", time="year", interruptions=1989,
        group="state", treated=3, single=True,
    ).fit(cov_type="prais", prais_rhotype=rhotype)  # fmt: skip
    assert out["prais"]["rhotype"] == rhotype
    assert out["rho"] == pytest.approx(ref.rho, rel=1e-12)
    # nagar's small-sample adjustment pushes California's rho past 1: refused by name
    nagar = runner.invoke(app, [*CIG, *options, "--rhotype", "nagar"])
    assert nagar.exit_code == 2 and "estimated rho 1.0048 is outside (-1, 1)" in nagar.output
    bad = runner.invoke(app, [*CIG, *options, "--rhotype", "theill"])
    assert bad.exit_code != 0 and "option '--rhotype'" in bad.output
