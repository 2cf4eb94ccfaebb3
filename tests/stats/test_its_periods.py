"""Interrupted time series on quarters, half-years and Stata weeks (the text the Stata
reader gives ``%tq``, ``%th`` and ``%tw`` variables: ``2017Q3``, ``2017H1``,
``2018w52``). Stata's definitions ([D] Datetime): a week w of year y starts 7(w − 1)
days after 1 January, and week 52 runs to 31 December (8 days, 9 in a leap year)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.stats._its_time import TimeAxis, parse_interruption
from ihms.stats.its import ITSModel
from ihms.stats.its_plot import plot_its


def _weeks() -> list[str]:
    return [f"2018w{w}" for w in range(45, 53)] + [f"2019w{w}" for w in range(1, 9)]


def _dates(xdata) -> pd.DatetimeIndex:
    """A line's x values as days, whether matplotlib holds them as dates or numbers."""
    values = np.asarray(xdata)
    if np.issubdtype(values.dtype, np.number):
        return pd.DatetimeIndex(matplotlib.dates.num2date(values)).tz_localize(None)
    return pd.DatetimeIndex(pd.to_datetime(values))


def test_a_figure_draws_stata_weeks_on_their_first_days():
    y = 50 + 2.0 * np.arange(16) + np.sin(np.arange(16))
    frame = pd.DataFrame({"week": _weeks(), "visits": y})
    results = ITSModel(frame, outcome="visits", time="week", interruptions="2019w1").fit()
    with matplotlib.rc_context():
        fig = plot_its(results)
    ax = fig.axes[0]
    # the fitted line before the interruption and after it
    days = _dates(np.concatenate([ax.lines[0].get_xdata(), ax.lines[1].get_xdata()]))
    # 2018w52 starts on 24 December (day 1 + 7 × 51) and lasts 8 days, to 2019w1
    assert [d.strftime("%Y-%m-%d") for d in days[6:9]] == [
        "2018-12-17",
        "2018-12-24",
        "2019-01-01",
    ]
    assert _dates(ax.lines[-1].get_xdata())[0].strftime("%Y-%m-%d") == "2019-01-01"


@pytest.mark.parametrize(
    ("kind", "code", "label", "shown", "first"),
    [
        # yq(2017,3) = 57 × 4 + 2; yh(2017,2) = 57 × 2 + 1; yw(2016,52) = 56 × 52 + 51
        ("quarterly", 230, "2017q3", "2017Q3", "2017-07-01"),
        ("half-yearly", 115, "2017h2", "2017H2", "2017-07-01"),
        ("weekly", 2963, "2016w52", "2016w52", "2016-12-23"),  # a leap year: 9 days
    ],
)
def test_time_axis_codes_are_stata_s_counts(kind, code, label, shown, first):
    axis = TimeAxis(kind)
    assert axis.term_label(code) == label
    assert axis.display(code) == shown
    assert axis.start(code) == pd.Timestamp(first)
    assert parse_interruption(axis.to_period(code), axis) == code
    assert parse_interruption(shown, axis) == code


def test_a_half_year_series_reads_chinese_halves_too():
    frame = pd.DataFrame(
        {
            "period": [f"{y}年{h}半年" for y in range(2014, 2020) for h in "上下"],
            "y": 10 + np.arange(12.0) + np.cos(np.arange(12.0)),
        }
    )
    results = ITSModel(frame, outcome="y", time="period", interruptions="2017H1").fit()
    assert list(results.params.index) == ["_t", "_x2017h1", "_x_t2017h1", "_cons"]


def test_an_interruption_of_another_kind_names_the_kind_expected():
    with pytest.raises(InputError, match="expected a quarter like 2017Q3, got '2017-10'"):
        parse_interruption("2017-10", TimeAxis("quarterly"))


def test_a_column_mixing_quarters_and_months_is_refused_naming_both():
    frame = pd.DataFrame({"t": ["2017Q1", "2017Q2", "2017-07", "2017Q4"], "y": [1.0, 2, 3, 4]})
    with pytest.raises(InputError, match="mixes monthly dates and quarters"):
        ITSModel(frame, outcome="y", time="t", interruptions="2017Q3").fit()


def test_years_repeated_four_times_suggest_a_column_of_quarters():
    # the quarter in a column of its own, the year given as the time: ITS now reads
    # quarters, so the hint says how to make one column of them
    frame = pd.DataFrame(
        {"year": np.repeat([2016, 2017, 2018], 4), "q": [1, 2, 3, 4] * 3, "y": np.arange(12.0)}
    )
    with pytest.raises(InputError) as err:
        ITSModel(frame, outcome="y", time="year", interruptions=2017).fit()
    assert (
        "Or 4 quarters a year, the quarter in another column? Then give one column of "
        "quarters as the time (2017Q3; Stata: gen t = yq(year, quarter), format t %tq)."
    ) in str(err.value)


@pytest.mark.parametrize("iso", ["2017W40", "2017-W40"])
def test_an_iso_week_is_refused_with_a_hint(iso):
    # ISO week 2017W40 starts on Monday 2 October 2017; Stata's 2017w40 on 1 October
    # ([D] Datetime: 7 x 39 days after 1 January). Reading one as the other shifts weeks.
    with pytest.raises(InputError, match="looks like an ISO week") as err:
        parse_interruption(iso, TimeAxis("weekly"))
    assert "2017w40" in str(err.value)
    weeks = [f"2017{'-' if '-' in iso else ''}W{w}" for w in range(30, 50)]
    frame = pd.DataFrame({"week": weeks, "y": np.arange(20.0)})
    with pytest.raises(InputError, match=r"column 'week'.*rows 0, 1, .*ISO week"):
        ITSModel(frame, outcome="y", time="week", interruptions="2017w40").fit()
