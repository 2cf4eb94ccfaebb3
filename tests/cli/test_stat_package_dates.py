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
            "'20454' (20454 looks like Stata's day count for 2016-01-01, days from "
            "1960-01-01: give the variable a date format (format month %td), or write the "
            "months as 2016-01)",
        ),
        (
            GROWTH,
            _spss_seconds,
            "'13670985600' (13670985600 looks like SPSS's seconds from 1582-10-14 for "
            "2016-01-01: give the variable a date format (FORMATS month (MOYR8).), or write "
            "the months as 2016-01)",
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


QUARTERS = pd.date_range("2016-01-01", periods=8, freq="QS")  # 2016Q1 … 2017Q4
BY_QUARTER = ["growth", "--value-col", "y", "--period-col", "quarter", "--by", "quarter", "--yoy"]


def _quarter_file(tmp_path, name, numbers, display=None):
    # a quarter variable as the package keeps it; display None: its format lost
    path = tmp_path / name
    frame = pd.DataFrame({"quarter": np.asarray(numbers, dtype=float), "y": 50.0 + np.arange(8)})
    formats = {} if display is None else {"variable_format": {"quarter": display}}
    if name.endswith(".sav"):
        pyreadstat.write_sav(frame, str(path), **formats)
    else:
        pyreadstat.write_dta(frame, str(path), version=15, **formats)
    return path


def _grows(path):
    result = runner.invoke(app, [*BY_QUARTER, str(path), "--json"])
    assert result.exit_code == 0, result.output
    return result


def test_a_quarter_column_that_lost_its_format_gets_advice_that_reads_as_quarters(tmp_path):
    # Stata help datetime: a %td day counts from 01jan1960 (2016-01-01 is 20,454, as
    # above) and a %tq quarter from 1960q1 (yq(2016, 1) = 56 × 4 = 224); qofd() turns a
    # day into its quarter. The advice for a month (format quarter %td) made the
    # column dates, which a table by quarter refuses as months.
    days = (QUARTERS - pd.Timestamp("1960-01-01")).days
    assert days[0] == 20_454
    out = flat(
        runner.invoke(app, [*BY_QUARTER, str(_quarter_file(tmp_path, "d.dta", days))]).output
    )
    assert (
        "(20454 looks like Stata's day count for 2016-01-01, days from 1960-01-01: make it a "
        "quarter variable (replace quarter = qofd(quarter) then format quarter %tq), or "
        "write the quarters as 2016Q1)"
    ) in out
    assert "%td" not in out
    quarters = range(224, 232)  # what qofd() gives
    _grows(_quarter_file(tmp_path, "q.dta", quarters, "%tq"))
    # a %tq variable without its format holds quarter counts: only the format is lost
    out = flat(
        runner.invoke(app, [*BY_QUARTER, str(_quarter_file(tmp_path, "n.dta", quarters))]).output
    )
    assert (
        "(224 looks like Stata's quarter count for 2016Q1, quarters from 1960q1: give the "
        "variable its quarter format (format quarter %tq), or write the quarters as 2016Q1)"
    ) in out
    # SPSS: seconds from 1582-10-14 (2016-01-01 is 13,670,985,600, as above); QYR8 shows
    # a date as its quarter ("1 Q 2016"), which growth reads
    seconds = (QUARTERS - pd.Timestamp("1582-10-14")).days * 86_400
    out = flat(
        runner.invoke(app, [*BY_QUARTER, str(_quarter_file(tmp_path, "s.sav", seconds))]).output
    )
    assert "give the variable a date format (FORMATS quarter (QYR8).)" in out
    assert "DATE11" not in out
    _grows(_quarter_file(tmp_path, "q.sav", seconds, "QYR8"))
    # Excel: a date format would make them dates; the quarters must be written
    table = tmp_path / "quarters.csv"
    table.write_text("quarter,y\n42370,1\n42461,2\n", "utf-8")  # 2016-01-01, 2016-04-01
    out = flat(runner.invoke(app, [*BY_QUARTER, str(table)]).output)
    assert (
        "(42370 looks like Excel's day number for 2016-01-01: write the quarters as 2016Q1)" in out
    )


def test_dates_on_quarters_first_days_read_as_quarters_and_other_days_are_refused(tmp_path):
    # a %td variable of each quarter's first day (what Stata's dofq() gives) names the
    # quarters: read as the %tq variable of the same quarters is
    days = (QUARTERS - pd.Timestamp("1960-01-01")).days
    dated = _grows(_quarter_file(tmp_path, "d.dta", days, "%td"))
    counted = _grows(_quarter_file(tmp_path, "q.dta", range(224, 232), "%tq"))
    assert dated.output == counted.output
    # a day inside each quarter is no quarter: following the old advice (format quarter
    # %td) on such days gave "(a month: one table holds one kind of period)", as if the
    # table mixed months and quarters
    middle = (QUARTERS + pd.Timedelta(days=45) - pd.Timestamp("1960-01-01")).days
    out = flat(
        runner.invoke(
            app, [*BY_QUARTER, str(_quarter_file(tmp_path, "m.dta", middle, "%td"))]
        ).output
    )
    assert "these are months or dates, not quarters: a table by quarter holds quarters only" in out
    assert "one table holds one kind of period" not in out
