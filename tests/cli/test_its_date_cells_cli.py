"""``ihms its fit --predict`` on a monthly series whose time column holds date cells
(an Excel ``.xlsx``'s, a ``.parquet``'s datetimes, an SPSS ``DATETIME`` variable, a
Stata ``%tc`` one as pandas' ``to_stata`` writes a datetime column) on each month's
first or last day: the predictions' time column holds those dates, of the same day of
the month, as for the same series in a CSV (tests/cli/test_its_month_days_cli.py). The
readers gave an .xlsx's or .parquet's (and a DATETIME's) first days as months,
``2016-01``, before ITS saw they were dates; a Stata ``%tc`` date was its count of
milliseconds, refused as a series with 60 billion missing time points."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
N = 24
Y = 50 + 0.5 * np.arange(N) + 4.0 * (np.arange(N) >= 12) + np.cos(np.arange(N))
FIRST_DAYS = pd.date_range("2016-01-01", periods=N, freq="MS")
LAST_DAYS = pd.date_range("2016-01-31", periods=N, freq="ME")
DAYS = {"first": FIRST_DAYS, "last": LAST_DAYS}


def _write(path, days) -> None:
    """The series with ``days`` as date cells, in the format ``path``'s suffix names."""
    frame = pd.DataFrame({"month": days, "visits": Y})
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)  # openpyxl: date cells
    elif path.suffix == ".parquet":
        frame.to_parquet(path)  # timestamp[ns]
    elif path.suffix == ".sav":
        pyreadstat.write_sav(frame, str(path), variable_format={"month": "DATETIME20"})
    else:
        frame.to_stata(path, write_index=False)  # a datetime column: %tc


def _fit(path, out, *extra):
    args = ["its", "fit", str(path), "--outcome", "visits", "--time", "month"]
    return runner.invoke(app, [*args, "--interruption", "2017-01", "--predict", str(out), *extra])


@pytest.mark.parametrize("which", ["first", "last"])
@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".sav", ".dta"])
def test_predict_writes_date_cells_back_as_the_csv_s_dates(tmp_path, suffix, which):
    days = DAYS[which]
    path = tmp_path / f"series{suffix}"
    _write(path, days)
    csv = tmp_path / "series.csv"
    pd.DataFrame({"month": days.strftime("%Y-%m-%d"), "visits": Y}).to_csv(csv, index=False)
    want = json.loads(_fit(csv, tmp_path / "want.csv", "--json").stdout)
    out = tmp_path / "pred.csv"
    result = _fit(path, out, "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["interruptions"] == ["2017-01"] and got["notes"] == []
    for term, row in want["params"].items():
        np.testing.assert_allclose(got["params"][term]["coef"], row["coef"], rtol=1e-12)
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert list(written["time"]) == list(days.strftime("%Y-%m-%d"))
    assert written.loc[written["time"] == days[12].strftime("%Y-%m-%d"), "segment"].item() == 1


@pytest.mark.parametrize("which", ["first", "last"])
def test_xlsx_and_parquet_predictions_hold_dates_where_the_input_held_dates(tmp_path, which):
    # predictions written in the input's own format: date cells in, date cells out
    days = DAYS[which]
    xlsx, parquet = tmp_path / "series.xlsx", tmp_path / "series.parquet"
    _write(xlsx, days)
    _write(parquet, days)
    out = tmp_path / "pred.xlsx"
    assert _fit(xlsx, out).exit_code == 0
    got = pd.read_excel(out)
    assert pd.api.types.is_datetime64_any_dtype(got["time"])
    assert list(got["time"]) == list(days)
    out = tmp_path / "pred.parquet"
    assert _fit(parquet, out).exit_code == 0
    got = pd.read_parquet(out)
    assert pd.api.types.is_datetime64_any_dtype(got["time"])
    assert list(got["time"]) == list(days)
