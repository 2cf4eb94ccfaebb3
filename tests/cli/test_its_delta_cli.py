"""`ihms its fit/lags --delta N`: a survey every N years, as Stata's tsset, delta(N)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.cli.test_its_cli import runner
from tests.stats.test_its_delta import _Y, biennial

from ihms.cli.main import app


@pytest.fixture
def survey(tmp_path):
    path = tmp_path / "survey.csv"
    pd.DataFrame({"year": range(2000, 2024, 2), "y": _Y}).to_csv(path, index=False)
    return path


def _args(path, *more):
    return ["its", *more, str(path), "--outcome", "y", "--time", "year", "--interruption", "2012"]


def test_fit_with_delta_is_the_library_fit(survey):
    result = runner.invoke(app, [*_args(survey, "fit"), "--delta", "2", "--lags", "1", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    ref = biennial().fit(lags=1)
    assert out["params"]["_x_t2012"]["coef"] == pytest.approx(ref.params["_x_t2012"], rel=1e-12)
    se = out["params"]["_t"]["std_error"]
    assert se == pytest.approx(ref.std_errors["_t"], rel=1e-12)
    assert any("tsset year, delta(2)" in note for note in out["notes"])
    text = runner.invoke(app, [*_args(survey, "fit"), "--delta", "2"])
    assert "slopes are per 1 year" in " ".join(text.output.split())
    lags = runner.invoke(app, [*_args(survey, "lags"), "--delta", "2", "--max-lag", "2", "--json"])
    assert lags.exit_code == 0, lags.output


def test_without_delta_the_message_offers_it_and_a_bad_delta_names_the_option(survey):
    plain = runner.invoke(app, _args(survey, "fit"))
    assert plain.exit_code != 0
    assert "--delta 2 on the command line" in " ".join(plain.output.split())
    zero = runner.invoke(app, [*_args(survey, "fit"), "--delta", "0"])
    assert zero.exit_code != 0
    assert "option '--delta': expected an integer >= 1, got 0" in zero.output
    three = runner.invoke(app, [*_args(survey, "fit"), "--delta", "3"])
    assert three.exit_code != 0
    assert "not whole periods of delta=3 from the first, 2000" in " ".join(three.output.split())


def test_fit_json_carries_delta(survey):
    result = runner.invoke(app, [*_args(survey, "fit"), "--delta", "2", "--json"])
    assert json.loads(result.output)["delta"] == 2


def test_batch_with_delta_is_each_series_fit_and_says_so(tmp_path, survey):
    both = pd.read_csv(survey).assign(z=lambda d: d["y"] * 0.5 + d.index % 3)
    path = tmp_path / "wide.csv"
    both.to_csv(path, index=False)
    args = ["its", "batch", str(path), "--outcome", "y", "--outcome", "z", "--time", "year",
            "--interruption", "2012", "--lags", "1"]  # fmt: skip
    result = runner.invoke(app, [*args, "--delta", "2", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["delta"] == 2
    assert any("slopes are per 1 year" in note for note in out["notes"])
    (row,) = [r for r in out["rows"] if r["outcome"] == "y" and r["effect"] == "slope change"]
    ref = biennial().fit(lags=1)
    assert row["coef"] == pytest.approx(ref.params["_x_t2012"], rel=1e-12)
    assert row["std_error"] == pytest.approx(ref.std_errors["_x_t2012"], rel=1e-12)
    text = runner.invoke(app, [*args, "--delta", "2"])
    assert "tsset year, delta(2)" in " ".join(text.output.split())
    plain = runner.invoke(app, args)
    assert plain.exit_code != 0
    assert "--delta 2 on the command line" in " ".join(plain.output.split())
    zero = runner.invoke(app, [*args, "--delta", "0"])
    assert "option '--delta': expected an integer >= 1, got 0" in zero.output
