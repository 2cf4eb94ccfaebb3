"""A time column of dates that each open (or close) a quarter or a year: read as
quarters or years when every date does and, read as months, the series would have
gaps. Excel users and pandas' ``PeriodIndex.to_timestamp()`` write a quarterly series
so (2016-01-01, 2016-04-01, ...), pandas' ``resample("QE")`` and Excel's ``EOMONTH``
on the quarters' last days.

Golden values: the same series written as ``2016Q1`` ... (or as plain years) must give
identical coefficients and standard errors, and these agree with itsa's single-group
design (_t from 0, _x, _x_t, _cons) fitted by hand with statsmodels' OLS.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ihms.errors import DataError, IhmsWarning, InputError
from ihms.stats.its import ITSModel

N = 16
# a level change of 5 at 2018Q1 (the 9th quarter) on a trend of 2, with a wobble so the
# fit is not exact
Y = 100 + 2.0 * np.arange(N) + 5.0 * (np.arange(N) >= 8) + np.sin(np.arange(N))


def _quarters() -> list[str]:
    return [f"{2016 + i // 4}Q{i % 4 + 1}" for i in range(N)]


def _first_days() -> list[str]:
    return [f"{2016 + i // 4}-{3 * (i % 4) + 1:02d}-01" for i in range(N)]


def _fit(time: list, interruption, **kwargs):
    frame = pd.DataFrame({"when": time, "visits": Y})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = ITSModel(
            frame, outcome="visits", time="when", interruptions=interruption, **kwargs
        ).fit()
    return results, [str(w.message) for w in caught if issubclass(w.category, IhmsWarning)]


def _by_hand(start: int) -> np.ndarray:
    t = np.arange(N, dtype=float)
    post = (t >= start).astype(float)
    x = np.column_stack([t, post, post * (t - start), np.ones(N)])
    return sm.OLS(Y, x).fit().params


@pytest.mark.parametrize(
    "time",
    [
        _first_days(),
        # pandas' PeriodIndex.to_timestamp(): Timestamps at midnight
        list(pd.period_range("2016Q1", periods=N, freq="Q").to_timestamp()),
        # the quarters' last days (pandas' resample("QE"), Excel's EOMONTH)
        [str(p.end_time.date()) for p in pd.period_range("2016Q1", periods=N, freq="Q")],
        # Excel's own display of a day
        [f"{2016 + i // 4}/{3 * (i % 4) + 1}/1" for i in range(N)],
    ],
    ids=["first-day text", "timestamps", "last days", "excel days"],
)
def test_quarters_written_as_days_fit_as_the_quarters_themselves(time):
    expected, _ = _fit(_quarters(), "2018Q1")
    got, notes = _fit(time, "2018Q1")
    assert got.design.axis.kind == "quarterly"
    assert list(got.params.index) == ["_t", "_x2018q1", "_x_t2018q1", "_cons"]
    pd.testing.assert_series_equal(got.params, expected.params, rtol=0, atol=0)
    pd.testing.assert_series_equal(got.std_errors, expected.std_errors, rtol=0, atol=0)
    np.testing.assert_allclose(got.params.to_numpy(), _by_hand(8), rtol=1e-10)
    assert len(notes) == 1 and "read as quarters" in notes[0], notes
    assert got.to_dict()["notes"] == notes


def test_the_note_names_the_column_the_days_and_the_quarters():
    _, notes = _fit(_first_days(), "2018Q1")
    assert notes == [
        "column 'when': every date is a quarter's first day (2016-01-01, 2016-04-01, ...), "
        "so the column is read as quarters (2016Q1, 2016Q2, ...): read as months, the "
        "series would have gaps; if each date stands for its month alone, write the time "
        "as months (2016-01) and the missing months are reported instead"
    ]


@pytest.mark.parametrize("interruption", ["2018-01-01", "2018/1/1", pd.Timestamp("2018-01-01")])
def test_the_interruption_may_be_the_quarter_s_first_day(interruption):
    expected, _ = _fit(_first_days(), "2018Q1")
    got, _ = _fit(_first_days(), interruption)
    pd.testing.assert_series_equal(got.params, expected.params, rtol=0, atol=0)


def test_on_last_days_the_interruption_may_be_the_quarter_s_last_day():
    last = [str(p.end_time.date()) for p in pd.period_range("2016Q1", periods=N, freq="Q")]
    got, _ = _fit(last, "2018-03-31")
    assert got.design.interruption_labels == ("2018q1",)


def test_a_day_inside_the_quarter_is_no_interruption():
    with pytest.raises(
        InputError,
        match=r"expected a quarter like 2017Q3 or its first day, 2017-07-01, got '2018-02-01'",
    ):
        _fit(_first_days(), "2018-02-01")


def test_years_written_as_their_first_days_fit_as_years():
    years = list(range(2010, 2010 + N))
    expected, _ = _fit(years, 2018)
    for days, interruption in (
        ([f"{y}-01-01" for y in years], "2018-01-01"),
        ([f"{y}-12-31" for y in years], 2018),
    ):
        got, notes = _fit(days, interruption)
        assert got.design.axis.kind == "integer"
        assert list(got.params.index) == ["_t", "_x2018", "_x_t2018", "_cons"]
        pd.testing.assert_series_equal(got.params, expected.params, rtol=0, atol=0)
        pd.testing.assert_series_equal(got.std_errors, expected.std_errors, rtol=0, atol=0)
        assert len(notes) == 1 and "read as years (2010, 2011, ...)" in notes[0], notes


def test_consecutive_months_written_as_days_stay_months():
    days = [str(d.date()) for d in pd.date_range("2016-01-01", periods=N, freq="MS")]
    got, notes = _fit(days, "2016-09")
    assert got.design.axis.kind == "monthly" and notes == []
    assert got.to_dict()["notes"] == []


def test_a_mix_of_quarter_first_days_and_other_days_is_refused_with_a_hint():
    days = _first_days()
    days[5] = "2017-05-15"
    with pytest.raises(DataError) as caught:
        _fit(days, "2018Q1")
    problems = " ".join(caught.value.problems)
    assert "missing time point(s) 2016-02" in problems
    assert "15 of the 16 dates are a quarter's first day" in problems
    assert "2017-05-15 is not" in problems


def test_first_and_last_days_mixed_are_refused_as_before():
    days = _first_days()
    days[5] = "2017-06-30"
    with pytest.raises(DataError, match="time points"):
        _fit(days, "2018Q1")


def test_a_batch_reads_quarter_days_as_quarters_too():
    from ihms.stats.its_batch import fit_its_batch

    def long(time: list) -> pd.DataFrame:
        return pd.DataFrame(
            {"when": time * 2, "unit": ["a"] * N + ["b"] * N, "visits": [*Y, *(Y[::-1])]}
        )

    expected = fit_its_batch(
        long(_quarters()), outcome="visits", time="when", series="unit", interruptions="2018Q1"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = fit_its_batch(
            long(_first_days()),
            outcome="visits",
            time="when",
            series="unit",
            interruptions="2018-01-01",
        )
    pd.testing.assert_frame_equal(got.params, expected.params, rtol=0, atol=0)
    assert any("read as quarters" in str(w.message) for w in caught)
    assert got.result("a").to_dict()["notes"] == [str(caught[-1].message)]
