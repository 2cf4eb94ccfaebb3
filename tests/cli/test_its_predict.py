"""``ihms its fit --predict``: the fitted and counterfactual series, as Stata's
``predict`` after ``itsa``, for a spreadsheet or Stata.

Golden values: the same regression by hand — itsa's single-group design (_t from 0,
_x2017m10, _x_t2017m10, _cons) fitted with statsmodels' OLS — and the counterfactual is
_cons + _t coefficient × _t (the pre-reform trend carried forward), as Linden (2015)
draws it.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = "examples/series/county_hospital_monthly.csv"


def _by_hand():
    d = pd.read_csv(SERIES)
    months = pd.PeriodIndex(d["month"], freq="M")
    t = np.asarray([(m - months[0]).n for m in months], dtype=float)
    start = (pd.Period("2017-10", "M") - months[0]).n
    post = (t >= start).astype(float)
    x = np.column_stack([t, post, post * (t - start), np.ones_like(t)])
    fit = sm.OLS(d["hospitalizations"].to_numpy(float), x).fit()
    counterfactual = np.where(post == 1, fit.params[3] + fit.params[0] * t, np.nan)
    return d, fit.fittedvalues, counterfactual


def _fit(tmp_path, name, *more):
    out = tmp_path / name
    args = ["its", "fit", SERIES, "--outcome", "hospitalizations", "--time", "month", *more]
    result = runner.invoke(app, [*args, "--interruption", "2017-10", "--predict", str(out)])
    assert result.exit_code == 0, result.output
    assert "Predictions written to" in result.output
    return out


def test_predictions_csv_hold_the_fitted_and_counterfactual_series(tmp_path):
    d, fitted, counterfactual = _by_hand()
    got = pd.read_csv(_fit(tmp_path, "pred.csv"), encoding="utf-8-sig")
    assert list(got.columns) == [
        "series",
        "time",
        "segment",
        "observed",
        "fitted",
        "counterfactual",
    ]
    assert list(got["time"]) == list(d["month"]) and set(got["series"]) == {"treated"}
    np.testing.assert_allclose(got["observed"], d["hospitalizations"], rtol=0, atol=0)
    np.testing.assert_allclose(got["fitted"], fitted, rtol=1e-10)
    np.testing.assert_allclose(got["counterfactual"], counterfactual, rtol=1e-10)
    assert got.loc[got["time"] == "2017-09", "segment"].item() == 0
    assert got.loc[got["time"] == "2017-10", "segment"].item() == 1


def test_predictions_dta_keep_a_monthly_date(tmp_path):
    _, fitted, _ = _by_hand()
    path = _fit(tmp_path, "pred.dta")
    with pd.io.stata.StataReader(path) as reader:
        got = reader.read()
        formats = dict(zip(got.columns, reader._fmtlist, strict=True))
    assert formats["time"] == "%tm"
    assert got["time"].iloc[0] == pd.Timestamp("2016-02-01")
    np.testing.assert_allclose(got["fitted"], fitted, rtol=1e-10)


def test_a_predict_path_that_cannot_be_written_is_refused_before_fitting(tmp_path):
    args = ["its", "fit", SERIES, "--outcome", "hospitalizations", "--time", "month"]
    bad = tmp_path / "pred.txt"
    result = runner.invoke(app, [*args, "--interruption", "2017-10", "--predict", str(bad)])
    assert result.exit_code == 2
    assert "option '--predict'" in result.output and ".csv" in result.output
    assert not bad.exists()


def test_a_missing_folder_is_created_as_indicators_out_creates_it(tmp_path):
    # it was refused ("folder ... does not exist") where `ihms indicators compute --out`
    # and --plot create it (tests/cli/test_stat_out_folders.py)
    args = ["its", "fit", SERIES, "--outcome", "hospitalizations", "--time", "month"]
    target = tmp_path / "nowhere" / "2017" / "pred.csv"
    result = runner.invoke(app, [*args, "--interruption", "2017-10", "--predict", str(target)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(target)["time"].tolist()[:2] == ["2016-02", "2016-03"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["pred.csv"]


def test_seasonal_predictions_keep_the_observed_values_beside_the_adjusted(tmp_path):
    # statsmodels' seasonal_decompose(multiplicative, period=12) gives the trend; the
    # indices are each month's mean ratio to it, normalised, leaving out the ratios whose
    # 2x12 average straddles the interruption (positions 14-25 around 2017-10 = 20); the
    # series starts in February, so position 0 is February
    from statsmodels.tsa.seasonal import seasonal_decompose

    d = pd.read_csv(SERIES)
    y = d["hospitalizations"].to_numpy(float)
    ratios = y / seasonal_decompose(y, model="multiplicative", period=12).trend
    ratios[14:26] = np.nan
    position = np.arange(len(y)) % 12
    raw = np.array([np.nanmean(ratios[position == m]) for m in range(12)])
    ref = (raw / raw.mean())[position]
    got = pd.read_csv(_fit(tmp_path, "pred_s.csv", "--seasonal"), encoding="utf-8-sig")
    assert list(got.columns) == ["series", "time", "segment", "observed", "observed_adjusted",
                                 "seasonal_index", "fitted", "counterfactual"]  # fmt: skip
    np.testing.assert_allclose(got["observed"], d["hospitalizations"], rtol=0, atol=0)
    np.testing.assert_allclose(got["seasonal_index"], ref, rtol=1e-12)
    np.testing.assert_allclose(got["observed_adjusted"], d["hospitalizations"] / ref, rtol=1e-12)
    args = ["its", "fit", SERIES, "--outcome", "hospitalizations", "--time", "month",
            "--interruption", "2017-10", "--seasonal", "--json"]  # fmt: skip
    out = json.loads(runner.invoke(app, args).stdout)
    indices = out["seasonal_indices"]["treated"]
    assert list(indices) == [str(m) for m in range(1, 13)]
    assert indices["2"] == pytest.approx(ref[0], rel=1e-12)  # the first row is February
    text = " ".join(runner.invoke(app, args[:-1]).output.split())
    assert "Seasonal indices: Jan" in text
