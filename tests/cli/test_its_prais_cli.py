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


CALIFORNIA = ["--group", "state", "--treated", "3", "--single", "--cov", "prais"]


def _california(*flags: str, **prais):
    """``its fit --cov prais FLAGS --json`` on California alone, and the library's fit
    with the same Prais–Winsten options."""
    import pandas as pd

    from ihms.stats import ITSModel

    result = runner.invoke(app, [*CIG, *CALIFORNIA, *flags, "--json"])
    assert result.exit_code == 0, result.output
    ref = ITSModel(
        pd.read_csv(GOLDEN), outcome="cigsale", time="year", interruptions=1989,
        group="state", treated=3, single=True,
    ).fit(cov_type="prais", **prais)  # fmt: skip
    return json.loads(result.output), ref


def test_theil_and_nagar_rhotypes_reach_the_library():
    options = CALIFORNIA
    rhotype = "theil"
    out, ref = _california("--rhotype", rhotype, prais_rhotype=rhotype)
    assert out["prais"]["rhotype"] == rhotype
    assert out["rho"] == pytest.approx(ref.rho, rel=1e-12)
    # nagar's small-sample adjustment pushes California's rho past 1: refused by name
    nagar = runner.invoke(app, [*CIG, *options, "--rhotype", "nagar"])
    assert nagar.exit_code == 2 and "estimated rho 1.0048 is outside (-1, 1)" in nagar.output
    bad = runner.invoke(app, [*CIG, *options, "--rhotype", "theill"])
    assert bad.exit_code != 0 and "option '--rhotype'" in bad.output


def test_twostep_reaches_the_library():
    # itsa cigsale, single treatid(3) trperiod(1989) prais twostep: one rho from the OLS
    # residuals, one transformation (the library's numbers: tests/stats/
    # test_its_prais_rhotypes.py); without --twostep rho iterates to 0.944039
    options = CALIFORNIA
    out, ref = _california("--twostep", prais_twostep=True)
    assert out["prais"]["twostep"] is True and out["prais"]["iterations"] == 1
    assert out["rho"] == pytest.approx(ref.rho, rel=1e-12)
    assert out["params"]["_x1989"]["coef"] == pytest.approx(ref.params["_x1989"], rel=1e-12)
    iterated = json.loads(runner.invoke(app, [*CIG, *options, "--json"]).output)
    assert round(iterated["rho"], 6) == 0.944039 and abs(out["rho"] - iterated["rho"]) > 1e-3
    table = runner.invoke(app, [*CIG, *options, "--twostep"], terminal_width=200)
    assert "rhotype(regress), twostep, 1 iteration(s)" in " ".join(table.output.split())
    # without --cov prais it is refused by name, as --rhotype and --robust are
    newey = runner.invoke(app, [*CIG, "--group", "state", "--treated", "3", "--twostep"])
    assert newey.exit_code == 2
    said = " ".join(newey.output.split())
    assert "options '--twostep', '--rhotype' and '--robust' apply to --cov 'prais'" in said
