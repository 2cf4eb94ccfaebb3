"""A date-time cell keeps its time of day when read as text (``cells_as_text``): an
encounter extract's timestamps (``2018-03-01 14:35``) read as ``2018-03-01 14:35:00``,
midnights as the day alone, as a CSV of the same cells holds them; the readers after it
take the timestamp's day (the encounter's date) or month (an ITS period)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyreadstat
from openpyxl import Workbook
from typer.testing import CliRunner

from ihms._statfiles import cells_as_text, read_stat_table
from ihms.cli.main import app
from ihms.data import Period, read_tables

runner = CliRunner()
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series" / "county_hospital_monthly.csv"
STAMPS = [dt.datetime(2018, 3, 1, 14, 35), dt.datetime(2018, 3, 2), None]
TEXT = ["2018-03-01 14:35:00", "2018-03-02", ""]


def test_a_parquet_s_timestamps_keep_their_time_of_day(tmp_path):
    path = tmp_path / "encounters.parquet"
    pd.DataFrame({"when": pd.to_datetime(STAMPS), "n": [1, 2, 3]}).to_parquet(path)
    assert read_stat_table(path)["when"].tolist() == TEXT


def test_a_workbook_s_date_times_keep_their_time_of_day(tmp_path):
    from ihms.cli._tables import read_data_table

    book = Workbook()
    book.active.append(["when", "n"])
    for n, stamp in enumerate(STAMPS):
        book.active.append([stamp, n])
    path = tmp_path / "encounters.xlsx"
    book.save(path)
    assert read_data_table(path)["when"].tolist() == TEXT
    # a time with seconds and a time-zone-aware column: the local clock, as written
    aware = pd.Series(pd.to_datetime(["2018-03-01 14:35:07"]).tz_localize("Asia/Shanghai"))
    assert cells_as_text(pd.DataFrame({"t": aware}))["t"].tolist() == ["2018-03-01 14:35:07"]


def test_an_encounter_s_timestamp_is_stored_as_its_day(csv_folder, youxi):
    # data import: the encounter date is the timestamp's day, from a parquet, an .xlsx
    # (both read as the files hold them) and an SPSS DATETIME (read as text first)
    frame = pd.read_csv(csv_folder / "encounters.csv", dtype=str, keep_default_na=False)
    (csv_folder / "encounters.csv").unlink()
    stamps = pd.to_datetime(frame["date"]) + pd.to_timedelta([14, 9, 23, 0], unit="h")
    frame["date"] = stamps
    want = ["2016-03-01", "2016-04-01", "2017-06-10", "2018-01-05"]
    whole = Period.parse("2016", "2019")
    for suffix in (".parquet", ".xlsx", ".sav"):
        path = csv_folder / f"encounters{suffix}"
        if suffix == ".parquet":
            frame.to_parquet(path)
        elif suffix == ".xlsx":
            frame.to_excel(path, index=False)
        else:
            money = ["total_cost_yuan", "insurance_paid_yuan", "out_of_pocket_yuan"]
            numbers = frame.assign(**{c: frame[c].astype(float) for c in money})
            numbers["length_of_stay_days"] = pd.to_numeric(numbers["length_of_stay_days"])
            pyreadstat.write_sav(numbers, str(path), variable_format={"date": "DATETIME20"})
            assert read_stat_table(path, records=True)["date"].iloc[0] == "2016-03-01 14:00:00"
        got = read_tables(csv_folder, system=youxi, period=whole).to_pandas("encounters")
        assert [str(d)[:10] for d in got["date"]] == want, suffix
        path.unlink()


def test_its_reads_a_workbook_s_date_times_as_their_months(tmp_path):
    # a monthly series whose time column Excel holds as date-times (08:30 on the first
    # of each month): ITS reads each as the month it falls in, as the CSV's months
    frame = pd.read_csv(SERIES, dtype=str)
    book = Workbook()
    book.active.append(["month", "hospitalizations"])
    for month, value in zip(frame["month"], frame["hospitalizations"], strict=True):
        stamp = dt.datetime.fromisoformat(f"{month}-01 08:30")
        book.active.append([stamp, int(value)])
    path = tmp_path / "series.xlsx"
    book.save(path)
    fit = ["its", "fit", "--time", "month", "--interruption", "2017-10", "--json"]
    got = runner.invoke(app, [*fit, str(path), "--outcome", "hospitalizations"])
    want = runner.invoke(app, [*fit, str(SERIES), "--outcome", "hospitalizations"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["params"] == json.loads(want.output)["params"]
