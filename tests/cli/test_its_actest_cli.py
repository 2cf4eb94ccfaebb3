"""``ihms its lags --actest``: Cumby-Huizinga tests (Stata's ``actest``) through the CLI."""

from __future__ import annotations

import json

import pytest
from tests.cli.test_its_cli import CIG
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
# Linden's multiple-group example, California (state 3) from 1989
LAGS = ["its", "lags", *CIG[2:], "--group", "state", "--treated", "3", "--max-lag", "4"]


def test_actest_json_joint_test_is_the_breusch_godfrey_chi2():
    # itsa cigsale, treatid(3) trperiod(1989) lag(1) + actest, lags(4): homoskedastic with
    # q = 0 the Cumby-Huizinga joint statistic is estat bgodfrey's N R^2 (Cumby and
    # Huizinga 1992; actest labels it "Breusch-Godfrey").
    result = runner.invoke(app, [*LAGS, "--actest", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ch = out["cumby_huizinga"]
    assert [row["lag"] for row in ch["tests"]] == [1, 2, 3, 4]
    for bg, row in zip(out["tests"], ch["tests"], strict=True):
        assert row["chi2"] == pytest.approx(bg["chi2"], rel=1e-9)
    assert ch["robust"] is False and ch["label"] == "Breusch-Godfrey form"


def test_actest_table_with_options():
    result = runner.invoke(app, [*LAGS, "--single", "--actest", "--robust", "--q0"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Cumby-Huizinga test for autocorrelation (heteroskedasticity-robust)" in text
    assert "H0 MA(0)" in text and "robust to heteroskedasticity" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--robust"], "option '--robust': only with --actest"),
        (["--actest", "--bp", "--robust"], "options '--bp' and '--robust'"),
    ],
)
def test_bad_actest_options_are_messages(extra, message):
    result = runner.invoke(app, [*LAGS, *extra])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_lags_say_which_fit_their_residuals_are_for():
    # Baum and Schaffer's actest.ado (2.0.14) runs after regress, newey or the ivreg
    # commands and stops with "prais not supported by actest" (glm alike). newey's and
    # glm's coefficients are OLS's, so their residuals, and every test, are the same.
    plain = json.loads(runner.invoke(app, [*LAGS, "--actest", "--json"]).stdout)
    assert plain["cumby_huizinga"]["residuals"] == "OLS"
    for cov in ("newey", "glm", "ols"):
        result = runner.invoke(app, [*LAGS, "--actest", "--cov", cov, "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == plain
    glm = runner.invoke(app, [*LAGS, "--actest", "--cov", "glm"])
    assert "--cov glm: glm's coefficients are the OLS ones" in " ".join(glm.stderr.split())
    assert "after regress or newey: the OLS residuals" in " ".join(glm.stdout.split())
    prais = runner.invoke(app, [*LAGS, "--actest", "--cov", "prais"])
    assert prais.exit_code == 2, prais.output
    text = " ".join(prais.output.split())
    assert "option '--cov': its lags tests the OLS residuals" in text
    assert "actest (after regress or newey; it refuses prais)" in text
    other = runner.invoke(app, [*LAGS, "--cov", "gls"])
    assert "option '--cov': expected newey, glm, ols or prais, got 'gls'" in other.output
