"""``ihms its fit`` on a quarterly series dated on its quarters' first (or last) days,
as Excel users and pandas' ``to_timestamp`` write it: read as quarters with a note,
the interruption given as ``2018Q1`` or ``2018-01-01``, and ``--predict`` writing the
days back as the column wrote them (the library's reading and its golden values:
tests/stats/test_its_quarter_days.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
N = 16
Y = 100 + 2.0 * np.arange(N) + 5.0 * (np.arange(N) >= 8) + np.sin(np.arange(N))
QUARTERS = [f"{2016 + i // 4}Q{i % 4 + 1}" for i in range(N)]
FIRST_DAYS = [f"{2016 + i // 4}-{3 * (i % 4) + 1:02d}-01" for i in range(N)]
LAST_DAYS = [str(p.end_time.date()) for p in pd.period_range("2016Q1", periods=N, freq="Q")]


def _csv(tmp_path, times, name="q.csv"):
    path = tmp_path / name
    pd.DataFrame({"when": times, "visits": Y}).to_csv(path, index=False)
    return path


def _fit(path, interruption="2018Q1", *extra):
    args = ["its", "fit", str(path), "--outcome", "visits", "--time", "when"]
    return runner.invoke(app, [*args, "--interruption", interruption, *extra])


def test_quarter_first_days_fit_as_quarters_with_a_note(tmp_path):
    expected = json.loads(_fit(_csv(tmp_path, QUARTERS, "quarters.csv"), "2018Q1", "--json").stdout)
    for interruption in ("2018Q1", "2018-01-01"):
        result = _fit(_csv(tmp_path, FIRST_DAYS), interruption, "--json")
        assert result.exit_code == 0, result.output
        got = json.loads(result.stdout)
        assert got["params"] == expected["params"]
        assert got["interruptions"] == ["2018Q1"]
        note = (
            "column 'when': every date is a quarter's first day (2016-01-01, 2016-04-01, "
            "...), so the column is read as quarters (2016Q1, 2016Q2, ...): read as "
            "months, the series would have gaps; if each date stands for its month alone, "
            "write the time as months (2016-01) and the missing months are reported instead"
        )
        assert got["notes"] == [note]
        assert " ".join(result.stderr.split()) == f"note: {note}"
    assert expected["notes"] == []
    table = _fit(_csv(tmp_path, FIRST_DAYS))
    assert table.exit_code == 0, table.output
    assert "_x2018q1" in table.stdout and "read as quarters" in " ".join(table.stderr.split())


def test_a_mostly_quarterly_column_is_refused_with_a_hint(tmp_path):
    days = list(FIRST_DAYS)
    days[3] = "2016-11-15"
    result = _fit(_csv(tmp_path, days))
    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert "missing time point(s) 2016-02" in message
    assert "15 of the 16 dates are a quarter's first day but 2016-11-15 is not" in message


def test_predict_writes_the_days_back_as_the_column_wrote_them(tmp_path):
    for times in (FIRST_DAYS, LAST_DAYS):
        out = tmp_path / "pred.csv"
        result = _fit(_csv(tmp_path, times), "2018Q1", "--predict", str(out))
        assert result.exit_code == 0, result.output
        got = pd.read_csv(out, encoding="utf-8-sig")
        assert list(got["time"]) == times
        assert got.loc[got["time"] == times[8], "segment"].item() == 1
    # quarters written as quarters stay quarters
    result = _fit(_csv(tmp_path, QUARTERS), "2018Q1", "--predict", str(out))
    assert list(pd.read_csv(out, encoding="utf-8-sig")["time"]) == QUARTERS


def test_predict_dta_and_sav_write_the_days_as_dates(tmp_path):
    dta, sav = tmp_path / "pred.dta", tmp_path / "pred.sav"
    for out in (dta, sav):
        result = _fit(_csv(tmp_path, LAST_DAYS), "2018-03-31", "--predict", str(out))
        assert result.exit_code == 0, result.output
    assert_days_written(dta, sav, LAST_DAYS)


def assert_days_written(dta, sav, days):
    """``--predict``'s .dta and .sav hold ``days`` as a ``%td`` / ``DATE11`` date
    (tests/cli/test_its_month_days_cli.py too)."""
    import pyreadstat

    with pd.io.stata.StataReader(dta) as reader:
        got = reader.read()
        formats = dict(zip(got.columns, reader._fmtlist, strict=True))
    assert formats["time"] == "%td"
    assert list(got["time"]) == list(pd.to_datetime(days))
    got, meta = pyreadstat.read_sav(str(sav))
    assert meta.original_variable_types["time"] == "DATE11"
    assert [str(d) for d in got["time"]] == days


def test_years_written_as_1_january_fit_as_years(tmp_path):
    years = [f"{2008 + i}-01-01" for i in range(N)]
    out = tmp_path / "pred.csv"
    result = _fit(_csv(tmp_path, years), "2016-01-01", "--json", "--predict", str(out))
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert "_x2016" in got["params"] and got["interruptions"] == ["2016"]
    assert "read as years (2008, 2009, ...)" in got["notes"][0]
    assert list(pd.read_csv(out, encoding="utf-8-sig")["time"]) == years


def test_an_excel_or_parquet_column_of_quarter_first_days_is_read_as_quarters(tmp_path):
    # Excel's date cells and pandas' to_timestamp(): datetimes, which the readers gave
    # as months (2016-01) when every one is a month's first day
    frame = pd.DataFrame(
        {
            "when": pd.period_range("2016Q1", periods=N, freq="Q").to_timestamp(),
            "visits": Y,
        }
    )
    expected = json.loads(_fit(_csv(tmp_path, QUARTERS), "2018Q1", "--json").stdout)
    for name in ("q.xlsx", "q.parquet"):
        path = tmp_path / name
        frame.to_excel(path, index=False) if name.endswith("xlsx") else frame.to_parquet(path)
        result = _fit(path, "2018-01-01", "--json")
        assert result.exit_code == 0, result.output
        got = json.loads(result.stdout)
        # the values round-trip through the CSV's text at the last digit
        for term, row in expected["params"].items():
            np.testing.assert_allclose(got["params"][term]["coef"], row["coef"], rtol=1e-12)
        assert "read as quarters" in got["notes"][0]


def test_an_xlsx_of_quarter_first_days_with_a_time_of_day_fits_as_the_quarters(tmp_path):
    # date cells typed with a time (2016-01-01 08:30): cells_as_text gives
    # "2016-01-01 08:30:00", read as months with gaps (refused) before session 21; the
    # day names the quarter (tests/stats/test_its_timed_days.py)
    days = pd.period_range("2016Q1", periods=N, freq="Q").to_timestamp() + pd.Timedelta("8h30min")
    path = tmp_path / "q.xlsx"
    pd.DataFrame({"when": days, "visits": Y}).to_excel(path, index=False)
    expected = json.loads(_fit(_csv(tmp_path, QUARTERS), "2018Q1", "--json").stdout)
    result = _fit(path, "2018Q1", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert list(got["params"]) == list(expected["params"])
    for term, row in expected["params"].items():
        np.testing.assert_allclose(got["params"][term]["coef"], row["coef"], rtol=1e-12)
        np.testing.assert_allclose(got["params"][term]["std_error"], row["std_error"], rtol=1e-12)
    assert "read as quarters (2016Q1, 2016Q2, ...)" in got["notes"][0]
    assert "the time of day the dates carry (2016-01-01 08:30:00, " in got["notes"][0]
