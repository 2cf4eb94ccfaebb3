"""``ihms data import`` reads a table saved by Stata (``.dta``) or SPSS (``.sav``) — an
encounter or claims extract is often handed over in the analyst's package — through the
reader the statistics commands use (``ihms._statfiles.read_stat_table``), and checks its
cells as a CSV's: exact yuan, dates as days, every problem named by file, row and
column. The files here are written by pandas (``to_stata``) and pyreadstat."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")
runner = CliRunner()


def _encounters(folder: Path) -> pd.DataFrame:
    """The fixture's encounters as an analyst holds them: dates as dates, money as numbers."""
    frame = pd.read_csv(folder / "encounters.csv", dtype=str, keep_default_na=False)
    frame["date"] = pd.to_datetime(frame["date"])
    for col in ("total_cost_yuan", "insurance_paid_yuan", "out_of_pocket_yuan"):
        frame[col] = frame[col].astype(float)
    frame["length_of_stay_days"] = pd.to_numeric(frame["length_of_stay_days"])
    (folder / "encounters.csv").unlink()
    return frame


def _stored(folder: Path, youxi) -> pd.DataFrame:
    return read_tables(folder, system=youxi, period=WHOLE).to_pandas("encounters")


@pytest.mark.parametrize("date_format", ["td", "tc"])
def test_a_stata_file_from_pandas_imports_as_its_csv(csv_folder, youxi, tmp_path, date_format):
    expected = _stored(csv_folder, youxi)
    frame = _encounters(csv_folder)
    # pandas writes a datetime as %tc unless told %td: both are the day of the encounter
    frame.to_stata(csv_folder / "encounters.dta", write_index=False, version=118,
                   convert_dates={"date": date_format})  # fmt: skip
    got = _stored(csv_folder, youxi)
    pd.testing.assert_frame_equal(got, expected)
    # by hand: 120.50 yuan is 12,050 fen; V0003 was on 10 June 2017
    assert got.loc[0, "total_cost_fen"] == 12_050
    assert str(got.loc[2, "date"])[:10] == "2017-06-10"


def test_an_spss_file_keeps_dates_on_the_first_of_the_month_as_days(csv_folder, youxi):
    frame = _encounters(csv_folder)
    frame["date"] = pd.to_datetime(["2016-03-01", "2016-04-01", "2017-06-01", "2018-01-01"])
    pyreadstat.write_sav(frame, str(csv_folder / "encounters.sav"))
    got = _stored(csv_folder, youxi)
    # the statistics commands read such a column as months (2016-03); records keep days
    assert [str(d)[:10] for d in got["date"]] == [
        "2016-03-01",
        "2016-04-01",
        "2017-06-01",
        "2018-01-01",
    ]
    assert got["insurance_paid_fen"].tolist() == [6_025, 0, 600_000, 2_000]


def test_cells_are_checked_as_a_csvs_and_named_by_observation(csv_folder, youxi):
    frame = _encounters(csv_folder)
    frame.loc[1, "total_cost_yuan"] = 15.125  # a third decimal: not an amount to the fen
    frame.loc[3, "length_of_stay_days"] = 2.5  # days of a stay are whole
    frame.to_stata(csv_folder / "encounters.dta", write_index=False, version=118,
                   convert_dates={"date": "td"})  # fmt: skip
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problems = "\n".join(err.value.problems)
    # observations numbered from 1, as Stata's `list` numbers them
    assert "column 'total_cost_yuan' of encounters.dta row 2" in problems
    assert "'15.125'" in problems
    assert "column 'length_of_stay_days' of encounters.dta row 4" in problems
    assert "'2.5'" in problems


def test_a_damaged_stata_file_is_named(csv_folder, youxi):
    _encounters(csv_folder)
    (csv_folder / "encounters.dta").write_bytes(b"not a Stata file")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert any("encounters.dta" in p and "cannot be read as a Stata file" in p
               for p in err.value.problems)  # fmt: skip


def test_data_check_reads_a_folder_with_a_stata_table(csv_folder):
    frame = _encounters(csv_folder)
    frame.to_stata(csv_folder / "encounters.dta", write_index=False, version=118,
                   convert_dates={"date": "td"})  # fmt: skip
    r = runner.invoke(
        app,
        ["data", "check", str(csv_folder), "--system", "examples/youxi.yaml", "--json"],
    )
    assert r.exit_code == 0, r.output
    assert '"encounters": 4' in r.stdout.replace("\n", "").replace("  ", "")


def test_a_stata_day_count_without_a_date_format_is_named_as_stata_days(csv_folder, youxi):
    # a user walk: Stata's `gen date = mdy(m, d, y)` without `format date %td` keeps the
    # day count, which was named "an Excel day serial (20514 = 1956-02-29)". Stata counts
    # days from 1960-01-01 (Stata `help datetime`: td(01jan1960) is 0), so 2016-03-01 is
    # 56 × 365 + 14 leap days (1960-2012) + 31 + 29 = 20514
    frame = _encounters(csv_folder)
    frame["date"] = (frame["date"] - pd.Timestamp("1960-01-01")).dt.days
    assert frame.loc[0, "date"] == 20_514
    frame.to_stata(csv_folder / "encounters.dta", write_index=False, version=118)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    dates = [p for p in err.value.problems if p.startswith("column 'date'")]
    assert dates[0] == (
        "column 'date' of encounters.dta row 1: looks like a Stata day count without a %td "
        "format (20514 = 2016-03-01, counting days from 1960-01-01); give the variable a "
        "date format in Stata (format date %td) and save the file again, got '20514'"
    )
    assert len(dates) == 4 and not any("Excel" in p for p in err.value.problems)


def test_an_spss_date_without_a_date_format_is_named_as_spss_seconds(csv_folder, youxi):
    # SPSS keeps a date as seconds from 1582-10-14; a date variable whose format was lost
    # (a numeric F format, as pyreadstat writes a plain number) shows these. 2016-03-01
    # is 158,289 days after 1582-10-14: 158,289 × 86,400 = 13,676,169,600
    frame = _encounters(csv_folder)
    frame["date"] = (frame["date"] - pd.Timestamp("1582-10-14")).dt.days * 86_400.0
    assert frame.loc[0, "date"] == 13_676_169_600
    pyreadstat.write_sav(frame, str(csv_folder / "encounters.sav"))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    dates = [p for p in err.value.problems if p.startswith("column 'date'")]
    assert dates[0] == (
        "column 'date' of encounters.sav row 1: looks like an SPSS date without a date "
        "format (13676169600 = 2016-03-01, counting seconds from 1582-10-14); give the "
        "variable a date format in SPSS (FORMATS date (DATE11).) and save the file again, "
        "got '13676169600'"
    )
    assert len(dates) == 4
