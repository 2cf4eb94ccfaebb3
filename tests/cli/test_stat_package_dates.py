"""``ihms its`` and ``ihms growth`` on a Stata or SPSS file whose month variable lost
its date format: the numbers are Stata's days from 1960-01-01 or SPSS's seconds from
1582-10-14, and the messages say so — not "Excel's day number", which names another
count (20514 as an Excel serial is 1956-02-29) and advice a Stata or SPSS user cannot
follow. The files are written here by pandas and pyreadstat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
MONTHS = pd.date_range("2016-01-01", periods=24, freq="MS")
ITS = ["its", "fit", "--outcome", "y", "--time", "month", "--interruption", "2017-01"]
GROWTH = ["growth", "--value-col", "y", "--period-col", "month", "--by", "month", "--yoy"]


def flat(output: str) -> str:
    return " ".join(output.split())


def _stata_days(tmp_path):
    # Stata help datetime: td(01jan1960) = 0, so 2016-01-01 is 56 × 365 + 14 leap days
    # (1960-2012) = 20,454
    days = (MONTHS - pd.Timestamp("1960-01-01")).days.astype(float)
    assert days[0] == 20_454
    path = tmp_path / "series.dta"
    frame = pd.DataFrame({"month": days, "y": np.arange(24) * 2.0 + 50})
    frame.to_stata(path, write_index=False, version=118)
    return path


def _spss_seconds(tmp_path):
    # SPSS counts seconds from 1582-10-14: 2016-01-01 is 158,229 days later (2016-03-01,
    # 158,289, less January and a leap February),
    # 158,229 × 86,400 = 13,670,985,600
    seconds = (MONTHS - pd.Timestamp("1582-10-14")).days * 86_400.0
    assert seconds[0] == 13_670_985_600
    path = tmp_path / "series.sav"
    pyreadstat.write_sav(pd.DataFrame({"month": seconds, "y": np.arange(24) * 2.0 + 50}), str(path))
    return path


@pytest.mark.parametrize(
    ("command", "written", "expected"),
    [
        (
            ITS,
            _stata_days,
            "(20454 looks like Stata's day count for 2016-01-01, days from 1960-01-01: give "
            "the variable a date format (format month %td), or write the months as 2016-01)",
        ),
        (
            ITS,
            _spss_seconds,
            "(13670985600 looks like SPSS's seconds from 1582-10-14 for 2016-01-01: give the "
            "variable a date format (FORMATS month (MOYR8).), or write the months as 2016-01)",
        ),
        (
            GROWTH,
            _stata_days,
            "'20454' (Stata's day count of 2016-01-01, days from 1960-01-01: give the "
            "variable a date format, format month %td)",
        ),
        (
            GROWTH,
            _spss_seconds,
            "'13670985600' (SPSS's seconds from 1582-10-14 of 2016-01-01: give the variable "
            "a date format, FORMATS month (MOYR8).)",
        ),
    ],
)
def test_a_month_column_that_lost_its_format_is_named_in_the_package_s_count(
    tmp_path, command, written, expected
):
    result = runner.invoke(app, [*command, str(written(tmp_path))])
    assert result.exit_code == 2
    out = flat(result.output)
    assert expected in out
    assert "Excel" not in out  # 20454 as Excel's day number was 1955-12-31
