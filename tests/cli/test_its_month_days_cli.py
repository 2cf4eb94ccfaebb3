"""``ihms its fit --predict`` on a monthly series written as dates (its months' first
days, 2016-01-01, or last days, 2016-01-31): the dates are written back as the column
held them, as for quarters (tests/cli/test_its_quarter_days_cli.py), so the predictions
merge back on the time column; months written as months stay ``2016-01``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from tests.cli.test_its_quarter_days_cli import assert_days_written
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
N = 24
Y = 50 + 0.5 * np.arange(N) + 4.0 * (np.arange(N) >= 12) + np.cos(np.arange(N))
MONTHS = [str(p) for p in pd.period_range("2016-01", periods=N, freq="M")]
FIRST_DAYS = [f"{m}-01" for m in MONTHS]
LAST_DAYS = [str(p.end_time.date()) for p in pd.period_range("2016-01", periods=N, freq="M")]


def _fit(tmp_path, times, *extra, interruption="2017-01"):
    path = tmp_path / "m.csv"
    pd.DataFrame({"month": times, "visits": Y}).to_csv(path, index=False)
    args = ["its", "fit", str(path), "--outcome", "visits", "--time", "month"]
    return runner.invoke(app, [*args, "--interruption", interruption, *extra])


def test_predict_writes_first_of_month_dates_back_as_dates(tmp_path):
    out = tmp_path / "pred.csv"
    result = _fit(tmp_path, FIRST_DAYS, "--predict", str(out), "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["notes"] == [] and got["interruptions"] == ["2017-01"]
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert list(written["time"]) == FIRST_DAYS
    assert written.loc[written["time"] == "2017-01-01", "segment"].item() == 1


def test_predict_writes_last_of_month_dates_back_and_months_stay_months(tmp_path):
    out = tmp_path / "pred.csv"
    result = _fit(tmp_path, LAST_DAYS, "--predict", str(out), interruption="2017-01-31")
    assert result.exit_code == 0, result.output
    assert list(pd.read_csv(out, encoding="utf-8-sig")["time"]) == LAST_DAYS
    result = _fit(tmp_path, MONTHS, "--predict", str(out))
    assert result.exit_code == 0, result.output
    assert list(pd.read_csv(out, encoding="utf-8-sig")["time"]) == MONTHS
    # a column mixing first and last days is months, written as months
    mixed = [*FIRST_DAYS[:12], *LAST_DAYS[12:]]
    assert _fit(tmp_path, mixed, "--predict", str(out)).exit_code == 0
    assert list(pd.read_csv(out, encoding="utf-8-sig")["time"]) == MONTHS


def test_predict_dta_sav_and_xlsx_write_month_dates_as_dates(tmp_path):
    dta, sav, xlsx = tmp_path / "pred.dta", tmp_path / "pred.sav", tmp_path / "pred.xlsx"
    for out in (dta, sav, xlsx):
        result = _fit(tmp_path, FIRST_DAYS, "--predict", str(out))
        assert result.exit_code == 0, result.output
    assert_days_written(dta, sav, FIRST_DAYS)
    got = pd.read_excel(xlsx)
    assert list(got["time"]) == list(pd.to_datetime(FIRST_DAYS))
