"""Batch ITS: one design, many series, batched linear algebra."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ihms.errors import DataError, InputError
from ihms.stats import ITSModel, fit_its_batch
from ihms.summary import SummaryTable


def many_series(m: int = 25, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range("2016-02", periods=46, freq="M").astype(str)
    t = np.arange(46)
    frames = []
    for i in range(m):
        season = 1 + 0.1 * np.sin(2 * np.pi * (t + 1) / 12 + i)
        y = (1000 + 10 * i + (5 + i % 3) * t - 30 * (t >= 20)) * season + rng.normal(0, 8, 46)
        frames.append(pd.DataFrame({"hospital": f"H{i:02d}", "month": months, "visits": y}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize(("cov_type", "lags"), [("newey", 2), ("glm", 1), ("ols", 0)])
@pytest.mark.parametrize("seasonal", [False, True])
def test_batch_equals_one_by_one(cov_type, lags, seasonal):
    data = many_series()
    batch = fit_its_batch(
        data,
        outcome="visits",
        time="month",
        series="hospital",
        interruptions="2017-10",
        cov_type=cov_type,
        lags=lags,
        seasonal=seasonal,
    )
    assert batch.params.shape == (25, 4)
    for name in ["H00", "H07", "H24"]:
        one = ITSModel(
            data[data["hospital"] == name],
            outcome="visits",
            time="month",
            interruptions="2017-10",
            seasonal=seasonal,
        ).fit(cov_type=cov_type, lags=lags)
        np.testing.assert_allclose(batch.params.loc[name], one.params, rtol=1e-11)
        np.testing.assert_allclose(batch.std_errors.loc[name], one.std_errors, rtol=1e-11)
        np.testing.assert_allclose(batch.pvalues.loc[name], one.pvalues, rtol=1e-9)
        again = batch.result(name)
        pd.testing.assert_frame_equal(again.post_trend, one.post_trend, rtol=1e-10)
        trend = batch.post_trend.loc[(name, "2017m10")]
        assert trend["coef"] == pytest.approx(one.post_trend["coef"].iloc[0], rel=1e-11)


def test_batch_newey_equals_statsmodels_loop():
    data = many_series(8)
    batch = fit_its_batch(
        data, outcome="visits", time="month", series="hospital", interruptions="2017-10", lags=3
    )
    X = batch.design.X
    for j, name in enumerate(batch.series):
        ref = sm.OLS(batch.Y[:, j], X).fit(
            cov_type="HAC", use_t=True, cov_kwds={"maxlags": 3, "use_correction": True}
        )
        np.testing.assert_allclose(batch.params.loc[name], ref.params, rtol=1e-10)
        np.testing.assert_allclose(batch.std_errors.loc[name], ref.bse, rtol=1e-10)
    long = batch.table()
    assert long.loc[("H03", "_x_t2017m10"), "coef"] == batch.params.loc["H03", "_x_t2017m10"]


def test_batch_summary_is_one_row_per_series_matching_each_fit():
    data = many_series(4)
    batch = fit_its_batch(
        data, outcome="visits", time="month", series="hospital", interruptions="2017-10", lags=2
    )
    table = batch.summary()
    assert isinstance(table, SummaryTable)
    assert table.title == (
        "Interrupted time series of 4 series: visits (OLS with Newey-West standard errors, lag 2)"
    )
    assert list(table.frame.index) == ["H00", "H01", "H02", "H03"]
    one = ITSModel(
        data[data["hospital"] == "H02"], outcome="visits", time="month", interruptions="2017-10"
    ).fit(lags=2)  # the single fit is the reference for its row
    row = table.frame.loc["H02"]
    assert row["level change 2017m10"] == pytest.approx(one.params["_x2017m10"], rel=1e-11)
    assert row["p slope change 2017m10"] == pytest.approx(one.pvalues["_x_t2017m10"], rel=1e-9)
    assert row["post-trend 2017m10"] == pytest.approx(one.post_trend["coef"].iloc[0], rel=1e-11)
    assert "H02" in table.to_text()


def test_batch_bad_input():
    data = many_series(3)
    with pytest.raises(DataError, match="series 'H01': missing time point\\(s\\) 2016-05"):
        fit_its_batch(
            data.drop(index=49),
            outcome="visits",
            time="month",
            series="hospital",
            interruptions="2017-10",
        )
    dup = pd.concat([data, data.iloc[[0]]])
    with pytest.raises(DataError, match="appears 2 times in series 'H00'"):
        fit_its_batch(
            dup, outcome="visits", time="month", series="hospital", interruptions="2017-10"
        )
    with pytest.raises(InputError, match="batch fitting supports"):
        fit_its_batch(
            data,
            outcome="visits",
            time="month",
            series="hospital",
            interruptions="2017-10",
            cov_type="prais",
        )
    with pytest.raises(InputError, match="not one of the fitted series"):
        fit_its_batch(
            data, outcome="visits", time="month", series="hospital", interruptions="2017-10"
        ).result("H99")


def test_batch_carries_the_distinct_notes_of_its_series():
    # two series of quarters written as their first days: every series' result notes
    # that the column was read as quarters; the batch says it once, unnamed (all share it)
    quarters = pd.period_range("2016Q1", periods=12, freq="Q")
    t = np.arange(12)
    long = pd.concat(
        pd.DataFrame({"unit": u, "when": quarters.to_timestamp().strftime("%Y-%m-%d"), "y": y})
        for u, y in (("a", 10 + t + 3 * (t >= 6) + np.sin(t)), ("b", 20 - t + np.cos(t)))
    )
    with pytest.warns(Warning, match="read as quarters"):
        batch = fit_its_batch(long, outcome="y", time="when", series="unit", interruptions="2017Q3")
    notes = [batch.result(s).to_dict()["notes"] for s in batch.series]
    assert notes[0] == notes[1] and len(notes[0]) == 1
    assert batch.notes == notes[0]
    assert notes[0][0] in batch.summary().notes
    monthly = fit_its_batch(
        many_series(2), outcome="visits", time="month", series="hospital", interruptions="2017-10"
    )
    assert monthly.notes == [] and len(monthly.summary().notes) == 1


def test_distinct_notes_name_the_series_when_they_differ():
    from ihms.stats.its_batch import distinct_notes

    by_series = {"H1": ["shared", "only H1"], "H2": ["shared", "odd"], "H3": ["shared", "odd"]}
    assert distinct_notes(by_series) == ["shared", "series H1: only H1", "series H2, H3: odd"]
    assert distinct_notes({}) == []


def test_wholly_empty_rows_are_no_observations_and_rows_keep_file_numbers():
    # as ITSModel skips them (the ,,, lines of an Excel export): found by `ihms its batch`
    rng = np.random.default_rng(7)
    long = pd.DataFrame(
        {
            "unit": np.repeat(["a", "b"], 12),
            "year": np.tile(np.arange(2000, 2012), 2).astype(str),
            "y": rng.normal(size=24).round(3).astype(str),
        }
    )
    padded = pd.concat([long.iloc[:5], pd.DataFrame([["", "", ""]], columns=long.columns),
                        long.iloc[5:]], ignore_index=True)  # fmt: skip
    options = {"outcome": "y", "time": "year", "series": "unit", "interruptions": 2006}
    plain = fit_its_batch(long, **options, source="f.csv")
    skipped = fit_its_batch(padded, **options, source="f.csv")
    pd.testing.assert_frame_equal(skipped.params, plain.params)
    padded.loc[20, "y"] = "lots"  # file row 22: the header is row 1
    with pytest.raises(DataError) as err:
        fit_its_batch(padded, **options, source="f.csv")
    assert err.value.problems == ["column 'y' of f.csv row 22: expected a number, got 'lots'"]
    padded.loc[20, "year"] = padded.loc[19, "year"]  # a duplicate, named by file rows
    padded.loc[20, "y"] = "1"
    with pytest.raises(DataError) as err:
        fit_its_batch(padded, **options, source="f.csv")
    assert "in series 'b' (rows 21, 22)" in err.value.problems[0]


def test_series_names_are_stripped_as_its_fit_group_strips_them():
    # "Utah " and " Utah" (a spreadsheet's stray blanks) are the series "Utah", as
    # ITSModel(group=...) (`ihms its fit --group`) reads its unit column
    data = many_series(2).replace({"hospital": {"H00": "Utah", "H01": "Nevada"}})
    padded = data.copy()
    padded.loc[padded.index[:10], "hospital"] = "Utah "
    padded.loc[padded.index[10:20], "hospital"] = " Utah"
    options = {"outcome": "visits", "time": "month", "series": "hospital"}
    batch = fit_its_batch(padded, **options, interruptions="2017-10", lags=2)
    assert batch.series == ("Nevada", "Utah")
    clean = fit_its_batch(data, **options, interruptions="2017-10", lags=2)
    pd.testing.assert_frame_equal(batch.params, clean.params)
    one = ITSModel(padded, outcome="visits", time="month", group="hospital", treated="Utah",
                   single=True, interruptions="2017-10").fit(lags=2)  # fmt: skip
    np.testing.assert_allclose(batch.params.loc["Utah"], one.params, rtol=1e-11)
    # the effects table's fits one series at a time (a lag chosen per series) alike
    from ihms.stats.its_batch_effects import its_batch_effects

    effects = its_batch_effects(padded, outcomes="visits", time="month", series="hospital",
                                interruptions="2017-10", lags="auto")  # fmt: skip
    assert sorted(set(effects.frame["hospital"])) == ["Nevada", "Utah"]


def test_numeric_series_ids_are_in_numeric_order():
    # review_stats 6: ids read from a CSV as text ("1", "10", "2") were listed as text
    # sorts them; Stata's tsset, and ITSModel(group=...), sort a numeric panel variable
    # by value: 1, 2, 10
    data = many_series(3).replace({"hospital": {"H00": "10", "H01": "2", "H02": "1"}})
    options = {"outcome": "visits", "time": "month", "series": "hospital"}
    batch = fit_its_batch(data, **options, interruptions="2017-10", lags=1)
    assert batch.series == ("1", "2", "10")
    assert list(batch.params.index) == ["1", "2", "10"]
    one = ITSModel(data, outcome="visits", time="month", group="hospital", treated="10",
                   single=True, interruptions="2017-10").fit(lags=1)  # fmt: skip
    np.testing.assert_allclose(batch.params.loc["10"], one.params, rtol=1e-11)
    numbers = data.assign(hospital=data["hospital"].astype(int))
    ints = fit_its_batch(numbers, **options, interruptions="2017-10", lags=1).series
    assert ints == (1, 2, 10) and all(type(s) is int for s in ints)  # not np.int64
    # names stay in text order
    names = data.replace({"hospital": {"10": "b", "2": "a", "1": "C"}})
    assert fit_its_batch(names, **options, interruptions="2017-10", lags=1).series == (
        "C",
        "a",
        "b",
    )
