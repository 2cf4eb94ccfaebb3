"""Stata's quarterly, half-yearly, weekly and yearly variables read as the periods they
are, in the text the statistics commands read (``2019Q1`` for growth ``--by quarter``
and ITS), not as Stata's raw counts (236).

Stata's definitions ([D] Datetime, "Stata's date and time formats" and the ``yq()``,
``yh()``, ``yw()`` functions): a ``%tq`` value counts quarters from 1960q1 (= 0), a ``%th``
value halves from 1960h1, a ``%tw`` value weeks from 1960w1 — 52 weeks a year, week 1
starting on 1 January and week 52 running to 31 December, so it has 8 days (9 in a
leap year); a ``%ty`` value is the year itself. So yq(2019,1) = (2019 − 1960) × 4 = 236,
yh(2019,2) = 59 × 2 + 1 = 119, yw(2019,1) = 59 × 52 = 3068. The files are written by
pyreadstat with those display formats; pandas' ``read_stata``, which converts the same
counts to each period's first day by its own arithmetic, is the second reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from ihms._statfiles import read_stat_table
from ihms.errors import InputError


def _dta(tmp_path, values, display):
    path = tmp_path / "periods.dta"
    frame = pd.DataFrame({"when": [None if v is None else float(v) for v in values]})
    pyreadstat.write_dta(frame, str(path), version=15, variable_format={"when": display})
    return path


@pytest.mark.parametrize(
    ("display", "counts", "expected"),
    [
        ("%tq", [0, -1, 236, 239, 3], ["1960Q1", "1959Q4", "2019Q1", "2019Q4", "1960Q4"]),
        ("%tqCCYY!qq", [236], ["2019Q1"]),
        ("%th", [0, -1, 118, 119], ["1960H1", "1959H2", "2019H1", "2019H2"]),
        (
            "%tw",
            [0, -1, 51, 52, 3068, 3119],
            ["1960w1", "1959w52", "1960w52", "1961w1", "2019w1", "2019w52"],
        ),
        ("%ty", [2019, 1960], ["2019", "1960"]),
    ],
)
def test_stata_period_counts_read_as_stata_s_periods(tmp_path, display, counts, expected):
    got = read_stat_table(_dta(tmp_path, [*counts, None], display))["when"].tolist()
    assert got == [*expected, ""]


def _from_first_day(display: str, day: pd.Timestamp) -> str:
    """The period pandas' first day names, written as ihms writes it."""
    if display == "%tq":
        return f"{day.year}Q{day.quarter}"
    if display == "%th":
        return f"{day.year}H{1 if day.month < 7 else 2}"
    # Stata's week w begins 7(w − 1) days after 1 January
    return f"{day.year}w{(day.day_of_year - 1) // 7 + 1}"


@pytest.mark.parametrize("display", ["%tq", "%th", "%tw"])
def test_stata_period_counts_agree_with_pandas_read_stata(tmp_path, display):
    rng = np.random.default_rng(17)
    counts = rng.integers(-2_000, 4_000, 300).tolist()
    path = _dta(tmp_path, counts, display)
    days = pd.read_stata(path)["when"]
    got = read_stat_table(path)["when"].tolist()
    assert got == [_from_first_day(display, d) for d in days]


def test_an_spss_qyr_quarter_reads_as_the_quarter(tmp_path):
    # SPSS keeps a date as seconds from 14 Oct 1582 and shows it by its format: QYR
    # ("1 Q 2019") shows the quarter of the date (IBM SPSS Statistics Command Syntax
    # Reference, "Date and time formats"). 2019-01-01 is 13,765,680,000 s (2016-01-01,
    # 13,670,985,600 in tests/cli/test_stat_package_dates.py, + 1,096 days × 86,400);
    # a date inside the quarter (2019-05-15) names it too.
    days = pd.to_datetime(["2019-01-01", "2019-05-15", "1582-10-14", "2020-12-31"])
    seconds = (days - pd.Timestamp("1582-10-14")).days * 86_400.0
    assert seconds[0] == 13_765_680_000
    path = tmp_path / "quarters.sav"
    frame = pd.DataFrame({"q": [*seconds, np.nan], "y": [1.0, 2, 3, 4, 5]})
    pyreadstat.write_sav(frame, str(path), variable_format={"q": "QYR8"})
    got = read_stat_table(path)["q"].tolist()
    assert got == ["2019Q1", "2019Q2", "1582Q4", "2020Q4", ""]


def test_an_spss_wkyr_week_reads_as_the_stata_week_of_its_date(tmp_path):
    # SPSS's WKYR ("1 WK 2019") shows a date's week counted in 7-day blocks from
    # 1 January (IBM support, "Computing week number (XDATE.WEEK)": the week always
    # starts on the weekday 1 January fell on), so its weeks 1-52 are Stata's
    # ([D] Datetime: week w starts 7(w - 1) days after 1 January). SPSS's week 53
    # (31 December, and 30 December in a leap year) lies in Stata's week 52, which runs
    # to 31 December: read as the Stata week the date falls in, as Stata's wofd() does.
    days = pd.to_datetime(
        ["2019-01-01", "2019-01-08", "2019-01-14", "2019-12-23", "2019-12-31", "2020-12-30"]
    )
    seconds = (days - pd.Timestamp("1582-10-14")).days * 86_400.0
    path = tmp_path / "weeks.sav"
    frame = pd.DataFrame({"w": [*seconds, np.nan], "y": np.arange(7.0)})
    pyreadstat.write_sav(frame, str(path), variable_format={"w": "WKYR10"})
    got = read_stat_table(path)["w"].tolist()
    assert got == ["2019w1", "2019w2", "2019w2", "2019w51", "2019w52", "2020w52", ""]


def _refusal(path, fragment: str, *, records: bool = True) -> str:
    """The message a file is refused with, whitespace made single, once it is seen
    refused (``fragment``) as ``ihms data import`` reads it too (``records``)."""
    if records:
        with pytest.raises(InputError, match=fragment):
            read_stat_table(path, records=True)
    with pytest.raises(InputError) as err:
        read_stat_table(path)
    return " ".join(str(err.value).split())


def _weeks_sav(tmp_path, days):
    seconds = (pd.to_datetime(days) - pd.Timestamp("1582-10-14")).days * 86_400.0
    path = tmp_path / "weeks.sav"
    frame = pd.DataFrame({"w": seconds, "y": np.arange(float(len(days)))})
    pyreadstat.write_sav(frame, str(path), variable_format={"w": "WKYR10"})
    return path


def test_an_spss_week_53_beside_week_52_of_its_year_is_refused_with_the_way_out(tmp_path):
    # SPSS's 7-day blocks from 1 January make 2018-12-24 week 52 and 2018-12-31 (day
    # 365 = 52 × 7 + 1) week 53; both lie in Stata's week 52, which runs to 31 December
    # ([D] Datetime), so read as Stata weeks the series would hold 2018w52 twice (review
    # R2 of session 18: ITS then said "appears 2 times" without why). 2020-12-30 is
    # week 53 of a leap year (day 365), 2020-12-24 (day 359) week 52.
    days = ["2018-12-17", "2018-12-24", "2018-12-31", "2019-01-01", "2020-12-24", "2020-12-30"]
    path = _weeks_sav(tmp_path, days)
    # a table of records (ihms data import) reads the days the column holds: SPSS keeps
    # a day whatever format shows it, and a record on 31 December is no week twice
    # (tests/data/test_import_stat_weeks.py)
    assert read_stat_table(path, records=True)["w"].tolist() == days
    message = _refusal(path, "SPSS week 53", records=False)
    assert message.startswith(f"file {str(path)!r}: column 'w': SPSS week 53 (WKYR)")
    # observations numbered from 1, as SPSS's Data View and every ihms reader number them
    assert "2018-12-31 (row 3), 2020-12-30 (row 6)" in message
    assert "beside week 52 of the same year (rows 2, 5)" in message
    assert "Stata's week 52 runs to 31 December" in message
    assert "merge week 53 into week 52" in message
    assert "write the weeks as text, 2018w52" in message


def test_an_spss_week_53_alone_in_its_year_reads_as_stata_s_week_52(tmp_path):
    # no week 52 of 2018 beside it: one time point, Stata's wofd(31 Dec) = week 52
    path = _weeks_sav(tmp_path, ["2018-12-17", "2018-12-31", "2019-01-01"])
    assert read_stat_table(path)["w"].tolist() == ["2018w51", "2018w52", "2019w1"]


@pytest.mark.parametrize("records", [False, True])
def test_an_spss_moyr_month_reads_as_the_month_even_on_quarter_first_days(tmp_path, records):
    # SPSS's MOYR ("JAN 2015") shows a date by its month (IBM SPSS Statistics, "Date and
    # time formats"), as Stata's %tm does; pyreadstat gives the date, so a monthly
    # series whose months all opened quarters (Jan, Apr, Jul, Oct) was kept as days and
    # ITS read it as quarters (review R2 of session 18). A date inside the month (the
    # 15th) shows its month too.
    # SPSS's first day, 14 October 1582 (0 s), is before pandas' Timestamps begin (1677)
    # and still a month.
    days = pd.to_datetime(["2015-01-01", "2015-04-01", "2015-07-15", "2015-10-01"])
    seconds = [*(days - pd.Timestamp("1582-10-14")).days * 86_400.0, 0.0]
    path = tmp_path / "months.sav"
    frame = pd.DataFrame({"m": [*seconds, np.nan], "y": np.arange(6.0)})
    pyreadstat.write_sav(frame, str(path), variable_format={"m": "MOYR8"})
    got = read_stat_table(path, records=records)["m"].tolist()
    if records:
        # a table of records (ihms data import) reads the days the file holds: SPSS keeps
        # a day whatever format shows it (tests/data/test_import_stat_weeks.py)
        assert got == ["2015-01-01", "2015-04-01", "2015-07-15", "2015-10-01", "1582-10-14", ""]
        return
    assert got == ["2015-01", "2015-04", "2015-07", "2015-10", "1582-10", ""]


@pytest.mark.parametrize("display", ["%tbsimple", "%-tbsimple", "%tbsimple:CCYY-NN-DD"])
def test_a_stata_business_calendar_date_is_refused_naming_its_calendar(tmp_path, display):
    # Stata [D] bcal: a %tb value counts the business days of its calendar (here
    # simple.stbcal) from the calendar's start, so 100 is a day only that file can
    # name; read as a number it was a count ITS and growth would take for periods.
    # bofd()/dofb() convert with the calendar: dofb(day, "simple") is the %td day.
    path = _dta(tmp_path, [100, 101, None], display)
    message = _refusal(path, "business-calendar")
    assert message.startswith(f"file {str(path)!r}: column 'when'")
    assert "Stata business-calendar date (calendar simple" in message
    assert "only its calendar file simple.stbcal" in message
    assert 'generate when_day = dofb(when, "simple")' in message
    assert "format when_day %td" in message


def _panel_weeks_sav(tmp_path, units, days):
    seconds = (pd.to_datetime(days) - pd.Timestamp("1582-10-14")).days * 86_400.0
    path = tmp_path / "panel.sav"
    frame = pd.DataFrame({"county": units, "w": seconds, "y": np.arange(float(len(days)))})
    pyreadstat.write_sav(frame, str(path), variable_format={"w": "WKYR10"})
    return path


def test_spss_week_53_is_checked_within_each_unit_of_a_panel(tmp_path):
    # county A wrote 2018's last week by its first day, 2018-12-24 (SPSS week 52),
    # county B by 31 December (week 53): each county has Stata's 2018w52 once, so the
    # panel has no time point twice (it was refused: the check looked at the column)
    units = ["A", "A", "A", "B", "B", "B"]
    days = ["2018-12-17", "2018-12-24", "2019-01-01", "2018-12-17", "2018-12-31", "2019-01-01"]
    path = _panel_weeks_sav(tmp_path, units, days)
    got = read_stat_table(path, panel="county")["w"].tolist()
    assert got == ["2018w51", "2018w52", "2019w1"] * 2
    # read as one series the column is refused, as before
    with pytest.raises(InputError, match="SPSS week 53"):
        read_stat_table(path)


def test_spss_week_53_beside_week_52_in_one_unit_is_refused_naming_the_unit(tmp_path):
    units = ["A", "A", "B", "B", "B"]
    days = ["2018-12-24", "2019-01-01", "2018-12-24", "2018-12-31", "2019-01-01"]
    path = _panel_weeks_sav(tmp_path, units, days)
    with pytest.raises(InputError) as err:
        read_stat_table(path, panel="county")
    message = " ".join(str(err.value).split())
    assert message.startswith(f"file {str(path)!r}: column 'w': SPSS week 53 (WKYR)")
    # A's week 52 (observation 1) is no clash: only B's rows are named
    assert "2018-12-31 (row 4) beside week 52 of the same year and county 'B' (row 3)" in message
    assert "merge week 53 into week 52" in message
    assert "write the weeks as text, 2018w52" in message
