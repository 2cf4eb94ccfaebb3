"""Bad input to the ITS model: each a clear InputError naming what and where."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.stats import ITSModel


def yearly(n: int = 12) -> pd.DataFrame:
    return pd.DataFrame({"year": np.arange(2000, 2000 + n), "y": np.linspace(10, 30, n) ** 1.1})


def fit(df: pd.DataFrame, **kwargs):
    options = {"outcome": "y", "time": "year", "interruptions": 2006}
    options.update(kwargs)
    return ITSModel(df, **options).fit()


def test_non_numeric_outcome_names_every_row():
    df = yearly()
    df["y"] = df["y"].astype(object)
    df.loc[3, "y"] = "n/a"
    df.loc[7, "y"] = None
    with pytest.raises(DataError) as err:
        ITSModel(df, outcome="y", time="year", interruptions=2006, source="visits.csv").fit()
    assert len(err.value.problems) == 1
    # a missing value, written or empty, is a gap in the series (growth and agreement
    # read it as missing; a time series cannot): one problem naming both cells
    assert "column 'y' of visits.csv: 2 missing values (rows 5, 9: 'n/a', an empty cell)" in str(
        err.value
    )
    assert "needs a value at every time point" in str(err.value)


def test_non_numeric_outcome_in_a_dataframe_names_the_index_label():
    df = yearly().set_index(pd.Index([f"r{i}" for i in range(12)]))
    df["y"] = df["y"].astype(object)
    df.loc["r4", "y"] = "abc"
    with pytest.raises(DataError, match="column 'y' row 'r4': expected a number, got 'abc'"):
        fit(df)


def test_duplicate_time_point():
    df = pd.concat([yearly(), yearly().iloc[[4]]], ignore_index=True)
    with pytest.raises(DataError, match=r"time point 2004 appears 2 times \(rows 4, 12\)"):
        fit(df)


def test_missing_time_point():
    df = yearly().drop(index=[2, 3])
    with pytest.raises(DataError, match=r"missing time point.*2002, 2003.*no gaps"):
        fit(df)


def test_a_bad_cell_and_a_missing_time_point_are_told_together():
    # session 23 demo review: the bad cell was said first, the gap only once it was mended
    df = yearly().drop(index=[2, 3])
    df["y"] = df["y"].astype(object)
    df.loc[6, "y"] = "1,2三"
    with pytest.raises(DataError) as err:
        fit(df)
    assert len(err.value.problems) == 2
    assert "expected a number, got '1,2三'" in err.value.problems[0]
    assert "missing time point(s) 2002, 2003" in err.value.problems[1]


def test_a_bad_time_cell_is_told_without_the_gaps_it_would_make():
    df = yearly().drop(index=[2])
    df["year"] = df["year"].astype(object)
    df.loc[5, "year"] = "200S"
    with pytest.raises(DataError) as err:
        fit(df)
    assert len(err.value.problems) == 1
    assert "'200S'" in err.value.problems[0]


def test_unbalanced_panel_names_the_units():
    a = yearly().assign(unit="a")
    b = yearly(11).assign(unit="b")
    with pytest.raises(DataError, match="unit 'b' and unit 'a' do not cover the same"):
        fit(pd.concat([a, b]), group="unit", treated="a")


def test_interruption_outside_the_data():
    with pytest.raises(InputError, match=r"2030 is outside the data; .* from 2000 to 2011"):
        fit(yearly(), interruptions=2030)


@pytest.mark.parametrize(("at", "where"), [(2002, "before 2002"), (2010, "from 2010 on")])
def test_segment_with_fewer_than_three_points(at, where):
    with pytest.raises(InputError, match=f"segment {where} has 2 time point"):
        fit(yearly(), interruptions=at)


def test_segment_between_two_interruptions():
    with pytest.raises(InputError, match="from 2005 to before 2006 has 1 time point"):
        fit(yearly(), interruptions=[2005, 2006])


def test_singular_design_names_the_redundant_regressor():
    df = yearly().assign(trend=lambda d: 2.0 * (d["year"] - 2000) + 1)
    with pytest.raises(InputError, match="singular design: regressor\\(s\\) trend"):
        fit(df, covariates=["trend"])


def test_monthly_interruption_on_integer_time_and_vice_versa():
    with pytest.raises(InputError, match="holds integer time, so expected a year"):
        fit(yearly(), interruptions="2006-01")
    months = pd.DataFrame(
        {
            "m": pd.period_range("2016-01", periods=30, freq="M").astype(str),
            "y": np.arange(30.0) + 1,
        }
    )
    with pytest.raises(InputError, match="holds monthly time"):
        ITSModel(months, outcome="y", time="m", interruptions=2017).fit()


def test_seasonal_needs_two_cycles_and_monthly_time():
    months = pd.DataFrame(
        {
            "m": pd.period_range("2016-01", periods=20, freq="M").astype(str),
            "y": np.arange(20.0) + 5,
        }
    )
    with pytest.raises(InputError, match="at least 2 full cycles \\(24 months\\), got 20"):
        ITSModel(months, outcome="y", time="m", interruptions="2016-10", seasonal=True).fit()
    with pytest.raises(InputError, match="seasonal adjustment needs monthly or quarterly time"):
        fit(yearly(), seasonal=True)


def test_a_value_seasonal_adjustment_cannot_take_names_column_unit_and_file():
    # it said "series 'y of unit 2'": no file, and 'series' is not a word of the table
    months = pd.period_range("2016-01", periods=30, freq="M").astype(str)
    panel = pd.DataFrame(
        {"unit": np.repeat([1, 2], 30), "m": np.tile(months, 2), "y": np.arange(60.0) + 5}
    )
    panel.loc[40, "y"] = 0.0  # unit 2, 2016-11
    model = ITSModel(
        panel, outcome="y", time="m", interruptions="2017-06", group="unit", treated=1,
        seasonal=True, source="visits.csv",
    )  # fmt: skip
    message = r"column 'y' of unit 2 of visits\.csv: multiplicative seasonal adjustment needs "
    with pytest.raises(InputError, match=message + "values > 0, got 2016-11 \\(0\\)"):
        model.fit()
    # numbered units (read from a CSV as integers) are named as written, not np.int64(2)
    twice = pd.concat([panel, panel.iloc[[3]]], ignore_index=True)
    with pytest.raises(DataError, match=r"2016-04 appears 2 times for unit 1 \(rows 5, 62\)"):
        ITSModel(
            twice, outcome="y", time="m", interruptions="2017-06", group="unit", treated=1,
            source="visits.csv",
        ).fit()  # fmt: skip
    fitted = ITSModel(panel.assign(y=panel["y"] + 1), outcome="y", time="m",
                      interruptions="2017-06", group="unit", treated=1).fit()  # fmt: skip
    assert "treated=1," in repr(fitted) and fitted.design.control_units == (2,)
    from ihms.stats import fit_its_batch

    with pytest.raises(InputError, match=r"column 'y' of series 2 of visits\.csv: multiplicative"):
        fit_its_batch(
            panel, outcome="y", time="m", series="unit", interruptions="2017-06",
            seasonal=True, source="visits.csv",
        )  # fmt: skip


def test_bad_time_values_and_columns():
    df = yearly().astype({"year": object})
    df.loc[1, "year"] = "last year"
    with pytest.raises(
        DataError, match=r"expected a time point like 1989 or 2017-10 \(or a quarter 2017Q3"
    ):
        fit(df)
    with pytest.raises(
        InputError, match="column\\(s\\) 'visits' \\(parameter 'outcome'\\) not found"
    ):
        ITSModel(yearly(), outcome="visits", time="year", interruptions=2006).fit()
    with pytest.raises(
        InputError, match=r"'visits' \(parameter 'outcome'\) not found in visits\.csv; available"
    ):
        ITSModel(
            yearly(), outcome="visits", time="year", interruptions=2006, source="visits.csv"
        ).fit()


def test_bad_options():
    model = ITSModel(yearly(), outcome="y", time="year", interruptions=2006)
    with pytest.raises(InputError, match="cov_type"):
        model.fit(cov_type="robust")
    with pytest.raises(InputError, match="'lags': expected an integer >= 0"):
        model.fit(lags=-1)
    with pytest.raises(InputError, match="not below the 12 time points"):
        model.fit(lags=12)
    with pytest.raises(InputError, match="'confidence'"):
        model.fit(confidence=95)
    with pytest.raises(InputError, match="'treated': required"):
        ITSModel(
            yearly().assign(u="a"), outcome="y", time="year", interruptions=2006, group="u"
        ).fit()
    with pytest.raises(InputError, match="no control unit"):
        ITSModel(
            yearly().assign(u="a"),
            outcome="y",
            time="year",
            interruptions=2006,
            group="u",
            treated="a",
        ).fit()
    with pytest.raises(InputError, match="'at': time point\\(s\\) 1999"):
        model.fit().effect(at=1999)


def test_the_callers_frame_is_not_modified():
    df = yearly()
    df["y"] = df["y"].astype(object)
    before = df.copy()
    res = fit(df)
    pd.testing.assert_frame_equal(df, before)
    assert res.n == 12


def test_rows_are_numbered_in_the_callers_file_when_units_are_selected():
    table = pd.concat([yearly().assign(unit=u) for u in "abc"], ignore_index=True)
    table["y"] = table["y"].astype(object)
    table.loc[27, "y"] = "?"  # unit c, file row 29
    table.loc[28, "year"] = 2003  # unit c: 2003 at table rows 27 and 28, file rows 29, 30
    model = ITSModel(
        table,
        outcome="y",
        time="year",
        interruptions=2006,
        group="unit",
        treated="a",
        controls=["c"],
        source="f.csv",
    )
    with pytest.raises(DataError, match=r"column 'y' of f\.csv row 29: expected a number"):
        model.fit()
    table.loc[27, "y"] = 1.0
    with pytest.raises(DataError, match=r"2003 appears 2 times for unit 'c' \(rows 29, 30\)"):
        model.fit()


def test_a_bad_time_cell_is_numbered_in_the_callers_file():
    # found by an audit: the time column's row came from its distinct values, not the file
    table = pd.concat([yearly(10).assign(unit=u) for u in "AB"], ignore_index=True)
    table["year"] = table["year"].astype(object)
    table.loc[15, "year"] = "bad"  # unit B, file row 17 (a header, then rows from 2)
    model = ITSModel(
        table, outcome="y", time="year", interruptions=2005, group="unit", treated="B",
        source="f.csv",
    )  # fmt: skip
    with pytest.raises(DataError, match=r"column 'year' of f\.csv row 17: expected a time point"):
        model.fit()


def test_chinese_months_and_yyyymm_numbers_read_as_months():
    values = [10.0, 11, 12, 13, 14, 15, 12, 12, 12, 12, 12, 12]
    iso = pd.DataFrame({"t": [f"2017-{m:02d}" for m in range(1, 13)], "y": values})
    want = ITSModel(iso, outcome="y", time="t", interruptions="2017-07").fit(lags=0)
    zh = iso.assign(t=[f"2017年{m}月" for m in range(1, 13)])
    ym = iso.assign(t=[201700 + m for m in range(1, 13)])  # Stata users' ym numbers
    for frame, at in ((zh, "2017年7月"), (ym, 201707), (ym, "2017-07")):
        got = ITSModel(frame, outcome="y", time="t", interruptions=at).fit(lags=0)
        assert list(got.params.index) == list(want.params.index)  # _x2017m7, _x_t2017m7
        np.testing.assert_allclose(got.params, want.params)
    with pytest.raises(InputError, match="expected a month like 2017-10"):
        ITSModel(ym, outcome="y", time="t", interruptions=2017).fit(lags=0)
    # years stay years
    years = iso.assign(t=range(2000, 2012))
    assert (
        ITSModel(years, outcome="y", time="t", interruptions=2006)
        .fit(lags=0)
        .params.index[2]
        .endswith("2006")
    )


def test_excel_month_names_read_as_months():
    # Excel writes a month column formatted mmm-yy as "Oct-17" in a CSV, mmmm yyyy as
    # "October 2017"; the fit must equal the one on ISO months.
    values = [10.0, 11, 12, 13, 14, 15, 12, 12, 12, 12, 12, 12]
    iso = pd.DataFrame({"t": [f"2017-{m:02d}" for m in range(1, 13)], "y": values})
    want = ITSModel(iso, outcome="y", time="t", interruptions="2017-07").fit(lags=0)
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    full = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]  # fmt: skip
    for t, at in (
        ([f"{n}-17" for n in names], "Jul-17"),
        ([f"{n} 2017" for n in full], "July 2017"),
        ([f"2017-{n}" for n in names], "2017-07"),
    ):
        got = ITSModel(iso.assign(t=t), outcome="y", time="t", interruptions=at).fit(lags=0)
        assert list(got.params.index) == list(want.params.index)
        np.testing.assert_allclose(got.params, want.params)
    # Excel's d-mmm ("17-Oct": day 17 of October) is no month, and names must be months
    for bad in ("17-Oct", "Okt-17"):
        frame = iso.assign(t=[bad, *iso["t"][1:]])
        with pytest.raises(DataError, match="row 2: expected a time point"):
            ITSModel(frame, outcome="y", time="t", interruptions="2017-07", source="f.csv").fit(
                lags=0
            )


def test_a_panel_without_its_unit_column_is_named_as_such():
    one = pd.DataFrame({"year": range(2000, 2012), "y": np.arange(12.0)})
    panel = pd.concat([one.assign(unit="a"), one.assign(unit="b"), one.assign(unit="c")])
    with pytest.raises(DataError, match="appears 3 times — a panel of 3 units\\? Name the col"):
        ITSModel(panel, outcome="y", time="year", interruptions=2006).fit(lags=0)
    res = ITSModel(
        panel, outcome="y", time="year", interruptions=2006, group="unit", treated="a"
    ).fit(lags=0)
    assert res.params.notna().all()


def test_years_each_twelve_times_are_named_as_months_in_another_column():
    """A Stata file with `year` and `month` columns (before `gen t = ym(year, month)`)
    given --time year: twelve rows a year are months, not likely twelve units (walk16)."""
    frame = pd.DataFrame(
        {"year": np.repeat(range(2016, 2020), 12), "month": np.tile(range(1, 13), 4)}
    ).assign(y=np.arange(48.0))
    with pytest.raises(DataError, match=r"a panel of 12 units\? Or 12 months a year, the month"):
        ITSModel(frame, outcome="y", time="year", interruptions=2018).fit(lags=0)


def test_a_long_table_of_several_indicators_is_told_to_keep_one():
    # `ihms indicators compute --out` writes every indicator in one long table; fed to
    # ITS whole, the hint was "a panel of 2 units? Name the column that tells the units
    # apart" — and --group indicator would fit one indicator as the other's control.
    months = pd.period_range("2016-01", periods=24, freq="M").astype(str).tolist()
    data = pd.DataFrame(
        {
            "indicator": ["outpatient_emergency_visits"] * 24 + ["hospitalizations"] * 24,
            "period": months * 2,
            "value": np.arange(48.0) % 7,
        }
    )
    with pytest.raises(DataError) as err:
        ITSModel(data, outcome="value", time="period", interruptions="2017-01").fit()
    message = str(err.value).splitlines()[0]
    assert message == (
        "24 problem(s) in the time points: the table holds 2 indicators (column "
        "'indicator': outpatient_emergency_visits, hospitalizations) — keep one "
        "indicator's rows (ihms indicators compute -i ID writes one)"
    )


@pytest.mark.parametrize("flag", [True, "True", "true", 1, "1"])  # bool, CSV text, .dta
def test_an_outcome_suppressed_by_ihms_indicators_says_so(flag):
    """Session 19 review F14: a table of ``ihms indicators compute --out`` leaves small
    cells empty with suppressed = True; the message called them empty cells."""
    df = yearly()
    df["y"] = df["y"].astype(object)
    df["suppressed"] = pd.Series([False] * 12, dtype=object)
    df.loc[[3, 7], "y"] = ""
    df.loc[[3, 7], "suppressed"] = flag
    with pytest.raises(DataError) as err:
        ITSModel(df, outcome="y", time="year", interruptions=2006, source="ind.csv").fit()
    text = str(err.value)
    assert "2 missing values (rows 5, 9: an empty cell)" in text
    assert "rows 5, 9 were suppressed by ihms indicators (small counts" in text
    assert "--min-cell 1 restores them for an analysis inside the bureau" in text


def test_an_empty_outcome_not_suppressed_is_not_said_to_be():
    df = yearly()
    df["y"] = df["y"].astype(object)
    df["suppressed"] = False
    df.loc[3, "y"] = ""
    with pytest.raises(DataError) as err:
        fit(df)
    assert "suppressed" not in str(err.value)


@pytest.mark.parametrize("given", [2006.0, np.float64(2006), np.array(2006), np.int32(2006)])
def test_an_interruption_and_at_given_as_any_scalar_are_one_time_point(given):
    # 1989.0 (a year read from a spreadsheet as a float) failed with "'float' object is
    # not iterable"; any scalar is one time point, read as the same 2006.
    res = fit(yearly(), interruptions=given)
    assert list(res.params.index) == ["_t", "_x2006", "_x_t2006", "_cons"]
    assert res.effect(at=given)["time"].tolist() == ["2006"]
    assert res.effect(at=[given, 2007.0])["time"].tolist() == ["2006", "2007"]


def test_an_interruption_between_two_years_is_refused_by_name():
    with pytest.raises(InputError, match=r"parameter 'interruptions'.*got 2006\.5"):
        fit(yearly(), interruptions=2006.5)


def test_years_evenly_spaced_every_two_are_told_to_be_numbered_not_missing():
    # A survey every 2 years (2000, 2002, ..., 2022) is evenly spaced: listing 2001, 2003
    # ... as missing and asking for "an evenly spaced series" told the user the wrong
    # thing. Stata reads it after tsset year, delta(2); here the periods are numbered.
    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": np.linspace(10, 30, 12)})
    with pytest.raises(DataError) as err:
        fit(df, interruptions=2012, source="survey.csv")
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'year': the time points are evenly spaced every 2 (2000, 2002, 2004, ..., "
        "2022), not 1 apart"
    )
    assert "gen period = (year - 2000)/2 + 1" in problem
    assert "missing" not in problem
    panel = pd.concat([df.assign(u="A"), df.assign(u="B")], ignore_index=True)
    with pytest.raises(DataError, match="column 'year' for unit 'A': the time points are"):
        fit(panel, interruptions=2012, group="u", treated="A")
    # a real gap in a yearly series is still a missing time point
    with pytest.raises(DataError, match=r"missing time point\(s\) 2003"):
        fit(yearly().drop(index=[3]))


def test_a_batch_of_biennial_series_is_told_once():
    from ihms.stats import fit_its_batch

    df = pd.DataFrame({"year": np.arange(2000, 2024, 2), "y": np.linspace(10, 30, 12)})
    long = pd.concat([df.assign(s="A"), df.assign(s="B")], ignore_index=True)
    with pytest.raises(DataError) as err:
        fit_its_batch(long, outcome="y", time="year", series="s", interruptions=2012)
    assert len(err.value.problems) == 1
    assert "evenly spaced every 2" in err.value.problems[0]
