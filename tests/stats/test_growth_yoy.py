"""Year-on-year / month-on-month growth, percentage points and fixed-base indices."""

import doctest
import importlib
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, InputError
from ihms.stats import GrowthSeries, growth_series

# National statistical communiqués on health (我国卫生健康事业发展统计公报), as reported
# in the press (人民日报 2022-07-13 for 2021; 中新网 2021-07-14 for 2020). Printed
# levels (10,000 persons) and printed year-on-year growth (比上年增长, %):
#   卫生技术人员 (health technical personnel): 2020 1,067.8, "增加52.4万人(增长5.2%)";
#   2021 1,124.2, "增加56.4万人(增长5.3%)"; so 2019 = 1,067.8 - 52.4 = 1,015.4.
#   卫生人员总数 (all health personnel): 2020 1,347.5; 2021 1,398.3, "增加50.8万人(增长3.8%)".
COMMUNIQUE = pd.DataFrame(
    {
        "indicator": ["health technical personnel"] * 3 + ["all health personnel"] * 2,
        "year": [2019, 2020, 2021, 2020, 2021],
        "value": [1015.4, 1067.8, 1124.2, 1347.5, 1398.3],
    }
)

# Seed 002 (002_a40ed8d069ea109f.txt), Table 4, Youxi, 2016–2019.
SEED_002_TABLE_4 = {
    "Number of healthcare outpatient visits (10k)": [134.2, 202.3, 190.6, 254.6],
    "Proportion of primary healthcare (%)": [50.8, 63.0, 60.8, 69.2],
}


def _rows(result, name):
    return result.frame[result.frame["indicator"] == name].set_index("period")


def test_communique_year_on_year_growth_as_printed():
    before = COMMUNIQUE.copy()
    result = growth_series(COMMUNIQUE, indicator_col="indicator")
    pd.testing.assert_frame_equal(COMMUNIQUE, before)
    tech = _rows(result, "health technical personnel")
    # 1067.8 / 1015.4 - 1 = 0.05161 -> printed 5.2 %; 1124.2 / 1067.8 - 1 = 0.05282 -> 5.3 %
    assert [round(100 * g, 1) for g in tech["yoy_growth"].loc[[2020, 2021]]] == [5.2, 5.3]
    # 比上年增加: 52.4 and 56.4 (10,000 persons)
    assert tech["yoy_change"].loc[[2020, 2021]].round(1).tolist() == [52.4, 56.4]
    everyone = _rows(result, "all health personnel")
    # 1398.3 / 1347.5 - 1 = 0.03770 -> printed 3.8 %; increase 50.8
    assert round(100 * everyone.loc[2021, "yoy_growth"], 1) == 3.8
    assert round(everyone.loc[2021, "yoy_change"], 1) == 50.8
    assert math.isnan(tech.loc[2019, "yoy_growth"])  # a series' first year has no growth
    # ... and that is no gap: the one note is the index, which needs a 2019 value
    assert result.notes == (
        "indicator 'all health personnel': no value in the base period 2019, so no "
        "fixed-base index",
    )


def test_seed_002_table_4_growth_and_percentage_points():
    data = pd.DataFrame(
        [
            {"indicator": name, "year": year, "value": value}
            for name, values in SEED_002_TABLE_4.items()
            for year, value in zip((2016, 2017, 2018, 2019), values, strict=True)
        ]
    )
    share = "Proportion of primary healthcare (%)"
    result = growth_series(data, indicator_col="indicator", rates=[share])
    visits = _rows(result, "Number of healthcare outpatient visits (10k)")
    # 202.3/134.2 - 1 = 0.50745; 190.6/202.3 - 1 = -0.0578; 254.6/190.6 - 1 = 0.3358
    assert visits["yoy_growth"].iloc[1:].round(4).tolist() == [0.5075, -0.0578, 0.3358]
    # fixed base 2016 = 100: 100 * 254.6 / 134.2 = 189.7
    assert round(visits.loc[2019, "index"], 1) == 189.7
    shares = _rows(result, share)
    # 63.0 - 50.8 = +12.2 points (not 63.0/50.8 - 1 = +24.0 %); 60.8 - 63.0 = -2.2; +8.4
    assert shares["yoy_points"].iloc[1:].round(1).tolist() == [12.2, -2.2, 8.4]
    assert shares["yoy_growth"].isna().all() and shares["index"].isna().all()
    assert result.rates == (share,)
    text = result.summary().to_text()
    assert "+50.7%" in text and "+12.2 pp" in text and "189.7" in text
    assert "index (2016 = 100)" in text and "2016–2019" in text


def test_percent_signs_mark_a_rate_and_fractions_scale_to_points():
    written = pd.DataFrame({"year": [2016, 2017], "value": ["50.8%", "63.0%"]})
    result = growth_series(written)
    assert result.rates == ("value",)
    assert round(result.frame["yoy_points"].iloc[1], 1) == 12.2
    # 0.508 -> 0.630 as fractions is 100 * 0.122 = 12.2 points
    fractions = pd.DataFrame({"year": [2016, 2017], "share": [0.508, 0.630]})
    scaled = growth_series(fractions, value_col="share", rates=True, rate_unit="fraction")
    assert round(scaled.frame["yoy_points"].iloc[1], 1) == 12.2
    assert round(scaled.frame["yoy_change"].iloc[1], 3) == 0.122


def test_a_gap_gives_missing_growth_and_a_note_never_a_two_year_growth():
    # 2017 absent: 2018 must not be compared with 2016 (200 / 100 - 1 = 100 %)
    data = pd.DataFrame({"year": [2016, 2018, 2019], "value": [100, 200, 220]})
    result = growth_series(data)
    rows = result.frame.set_index("period")
    assert math.isnan(rows.loc[2018, "yoy_growth"]) and math.isnan(rows.loc[2018, "yoy_change"])
    assert round(rows.loc[2019, "yoy_growth"], 4) == 0.1  # 220 / 200 - 1
    assert round(rows.loc[2018, "index"], 1) == 200.0  # the index needs only the base year
    assert len(result.notes) == 1
    assert "no value for 2017" in result.notes[0] and "year-on-year of 2018" in result.notes[0]
    # an empty cell is a gap just as an absent row
    empty = pd.DataFrame({"year": [2016, 2017, 2018], "value": [100, None, 200]})
    rows = growth_series(empty).frame.set_index("period")
    assert rows[["yoy_growth"]].isna().all().all()
    assert "no value for 2017" in growth_series(empty).summary().to_text()


def test_zero_or_negative_base_gives_missing_growth_with_a_note():
    data = pd.DataFrame({"year": [2016, 2017, 2018, 2019], "value": [0, 5, -2, 4]})
    result = growth_series(data, base_period=2017)
    rows = result.frame.set_index("period")
    assert math.isnan(rows.loc[2017, "yoy_growth"])  # base 0
    assert round(rows.loc[2018, "yoy_growth"], 4) == -1.4  # -2 / 5 - 1: base > 0 is enough
    assert math.isnan(rows.loc[2019, "yoy_growth"])  # base -2
    assert rows.loc[2019, "yoy_change"] == 6  # the change needs no positive base
    assert rows.loc[2019, "index"] == 80.0  # 100 * 4 / 5
    assert any("2017" in n and "base value in 2016 is 0" in n for n in result.notes)
    assert any("2019" in n and "base value in 2018 is -2" in n for n in result.notes)
    zero_base = growth_series(data)  # base 2016 = 0: no index at all
    assert zero_base.frame["index"].isna().all()
    assert any("a value of 0 in the base period 2016" in n for n in zero_base.notes)


def test_monthly_series_same_month_last_year_and_previous_month():
    months = pd.period_range("2018-01", "2019-03", freq="M").astype(str)
    values = [100 + i for i in range(len(months))]  # 2018-01 = 100 ... 2019-03 = 114
    wide = pd.DataFrame({"month": months, "visits": values, "beds": [50] * len(months)})
    wide = wide[wide["month"] != "2018-06"]  # a gap
    result = growth_series(wide, value_col=["visits", "beds"], frequency="month")
    visits = _rows(result, "visits")
    # 2019-03 against 2018-03: 114 / 102 - 1; against 2019-02: 114 / 113 - 1
    assert visits.loc["2019-03", "yoy_growth"] == pytest.approx(114 / 102 - 1, rel=1e-12)
    assert visits.loc["2019-03", "mom_growth"] == pytest.approx(114 / 113 - 1, rel=1e-12)
    assert math.isnan(visits.loc["2018-07", "mom_growth"])  # 2018-06 is missing
    assert math.isnan(visits.loc["2018-12", "yoy_growth"])  # no 2017-12 (the start: no note)
    gap_notes = [n for n in result.notes if "visits" in n]
    assert gap_notes == [
        "indicator 'visits': no value for 2018-06, so these growths are missing (not "
        "computed over a longer span): month-on-month of 2018-07"
    ]
    assert _rows(result, "beds")["mom_growth"].dropna().eq(0).all()
    text = result.summary().to_text()
    assert "month-on-month growth" in text and "2018-01–2019-03" in text
    assert result.base_period == "2018-01"
    # Chinese and slash-written months, and dates, are the same months
    other = pd.DataFrame({"month": ["2018年12月", "2019/1", pd.Timestamp("2019-02-01")],
                          "value": [10, 11, 12.1]})  # fmt: skip
    mom = growth_series(other, frequency="month").frame["mom_growth"].round(4).tolist()
    assert mom[1:] == [0.1, 0.1]


def test_to_dict_is_json_and_repr_is_short():
    result = growth_series(COMMUNIQUE, indicator_col="indicator")
    out = json.loads(json.dumps(result.to_dict(), default=str))
    assert out["frequency"] == "year" and out["base_period"] == 2019
    assert out["rows"][1]["period"] == 2020 and isinstance(out["rows"][1]["period"], int)
    assert repr(result) == (
        "<GrowthSeries: indicators=2, periods=3, frequency='year', notes=1>"
    )  # 'all health personnel' has no value in the base year 2019
    assert isinstance(result, GrowthSeries)
    frame = result.to_frame()
    frame.loc[0, "value"] = -1
    assert result.frame.loc[0, "value"] == 1015.4


def test_bad_input_lists_every_problem_with_row_and_column():
    data = pd.DataFrame(
        {
            "indicator": ["a", "a", "a", None, "b"],
            "year": [2016, "20x7", 2018, 2019, 2016.5],
            "value": [1, 2, "many", 4, 5],
        }
    )
    data.loc[5] = ["a", 2016, 3]  # a second 2016 for 'a'
    with pytest.raises(DataError) as err:
        growth_series(data, indicator_col="indicator", rates=["c"], source="t.csv")
    problems = err.value.problems
    assert len(problems) == 6, problems
    text = "\n".join(problems)
    assert "column 'year' of t.csv row 3: expected a whole year such as 2019, got '20x7'" in text
    assert "column 'value' of t.csv row 4 (indicator 'a', year 2018): expected a number" in text
    assert "column 'indicator' of t.csv row 5: expected an indicator name" in text
    assert "row 6: expected a whole year" in text
    assert "a second value for the same year (first in row 2)" in text
    assert "parameter 'rates': no indicator named 'c'" in text
    with pytest.raises(DataError, match=r"missing column\(s\) yaer;"):
        growth_series(COMMUNIQUE, period_col="yaer", indicator_col="indicator")
    with pytest.raises(DataError, match="parameter 'base_period': expected a year of the table"):
        growth_series(COMMUNIQUE, indicator_col="indicator", base_period=2010)
    with pytest.raises(InputError, match="parameter 'frequency'"):
        growth_series(COMMUNIQUE, frequency="week")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="parameter 'rate_unit'"):
        growth_series(COMMUNIQUE, rate_unit="permille")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="a long table has one value column"):
        growth_series(COMMUNIQUE, indicator_col="indicator", value_col=["value", "year"])
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        growth_series([1, 2])  # type: ignore[arg-type]
    with pytest.raises(
        DataError, match=re.escape("2019年3月 or a date within it (2019/3/1), got '2019-13'")
    ):
        growth_series(pd.DataFrame({"month": ["2019-13"], "value": [1]}), frequency="month")


def test_a_wide_tables_bad_period_is_one_problem_not_one_per_column():
    data = pd.DataFrame({"year": [2019, "20x0"], "visits": [1, 2], "beds": [3, 4]})
    with pytest.raises(DataError) as err:
        growth_series(data, value_col=["visits", "beds"], source="w.csv")
    assert err.value.problems == [
        "column 'year' of w.csv row 3: expected a whole year such as 2019, got '20x0'"
    ]


def test_a_year_is_four_digits_and_a_csvs_float_year_is_a_year():
    # 201903 is a month typed without its dash, not the year 201903; "2019.0" is how a
    # CSV written from a float column spells 2019
    rows = growth_series(pd.DataFrame({"year": ["2019.0", "2020.0"], "value": [10, 11]})).frame
    assert rows["period"].tolist() == [2019, 2020]
    with pytest.raises(DataError) as err:
        growth_series(pd.DataFrame({"year": [201903, 201904], "value": [1, 2]}), source="m.csv")
    assert err.value.problems[0] == (
        "column 'year' of m.csv row 2: expected a whole year such as 2019, got 201903"
    )


def test_spreadsheet_number_forms_are_read():
    data = pd.DataFrame({"year": ["2020年", "2021"], "value": ["1,347.5", "１３９８.３"]})
    rows = growth_series(data).frame
    assert rows["period"].tolist() == [2020, 2021]
    assert round(100 * rows["yoy_growth"].iloc[1], 1) == 3.8  # communiqué 2021, as above


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=2, max_size=12),
    st.data(),
)
def test_growths_chain_to_the_index_and_never_bridge_a_gap(values, data):
    years = list(range(2000, 2000 + len(values)))
    result = growth_series(pd.DataFrame({"year": years, "value": values}))
    growth = result.frame["yoy_growth"].to_numpy()
    # chained year-on-year growth equals the fixed-base index of the last year
    assert np.prod(1 + growth[1:]) * 100 == pytest.approx(result.frame["index"].iloc[-1], rel=1e-7)
    dropped = data.draw(st.sets(st.sampled_from(years[1:-1]))) if len(years) > 2 else set()
    kept = pd.DataFrame({"year": years, "value": values})
    gappy = growth_series(kept[~kept["year"].isin(dropped)]).frame.set_index("period")
    for year in gappy.index:
        assert np.isnan(gappy.loc[year, "yoy_growth"]) == (year - 1 not in gappy.index)


def test_doctests():
    module = importlib.import_module("ihms.stats.growth_yoy")
    assert doctest.testmod(module).failed == 0


def test_summary_prints_levels_with_separators_not_in_exponent_form():
    # 'value' was formatted {:,.6g}: a county's 1,367,480 visits printed as 1.36748e+06
    # and a rate as 17.1303; levels read as yearbook tables print them (counts whole)
    data = pd.DataFrame(
        {"year": [2016, 2017], "visits": [1_367_480.0, 1_682_793.0], "rate": [17.1303, 0.0123]}
    )
    text = growth_series(data, period_col="year", value_col=["visits", "rate"]).summary().to_text()
    assert "1,367,480 " in text and "e+06" not in text and "1,367,480.00" not in text
    assert "17.13 " in text and "17.1303" not in text
    assert "0.0123" in text  # a small magnitude keeps its digits


# National household survey releases (国家统计局, 居民收入和消费支出情况), per-capita
# disposable income, yuan, each quarter's year-to-date figure: 2018 Q1 7,815;
# 2019 Q1 8,493, "比上年同期名义增长8.7%".
def test_quarterly_series_same_quarter_last_year_and_previous_quarter():
    data = pd.DataFrame(
        {
            "quarter": ["2018Q1", "2018-Q2", "2018年第三季度", "2018年4季度", "2019 q1"],
            "value": [7815, 100, 110, 121, 8493],
        }
    )
    result = growth_series(data, frequency="quarter")
    rows = result.frame.set_index("period")
    assert rows.index.tolist() == ["2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1"]
    # 8493 / 7815 - 1 = 0.08676 -> printed 8.7 %
    assert round(100 * rows.loc["2019Q1", "yoy_growth"], 1) == 8.7
    # quarter-on-quarter (环比): 110 / 100 - 1 = 0.1, 121 / 110 - 1 = 0.1
    assert rows.loc[["2018Q3", "2018Q4"], "qoq_growth"].round(12).tolist() == [0.1, 0.1]
    assert "mom_growth" not in rows.columns
    text = result.summary().to_text()
    assert "quarter-on-quarter growth" in text and "2018Q1–2019Q1" in text


def test_mixed_period_kinds_are_named():
    data = pd.DataFrame({"month": ["2019-01", "2019Q1", "2019"], "value": [1, 2, 3]})
    with pytest.raises(DataError) as err:
        growth_series(data, frequency="month", source="m.csv")
    text = "\n".join(err.value.problems)
    assert (
        "column 'month' of m.csv row 3: expected a month such as 2019-03, 2019年3月 or a date within it (2019/3/1), got '2019Q1' "
        in text
    )
    assert "(a quarter, not a month: a table by month holds months only)" in text
    assert (
        "row 4: expected a month such as 2019-03, 2019年3月 or a date within it (2019/3/1), got '2019' (a year"
        in text
    )
    with pytest.raises(DataError, match="got '2019-03' \\(a month or a date, not a quarter"):
        growth_series(pd.DataFrame({"quarter": ["2019-03"], "value": [1]}), frequency="quarter")


def test_a_percent_sign_under_the_fraction_unit_reads_as_a_fraction_in_both_readers():
    # worked by hand, as tests/stats/test_growth.py's growth_table case: primary_share
    # 40% -> 44% is +4.0 points whatever rate_unit says, read 0.40 -> 0.44 under
    # "fraction" and scaled back by 100; bed_ratio 0.50 -> 0.55 (a fraction) +5.0 points.
    # growth_series and growth_table read the sign by one rule (_growth_read.percent_read).
    data = pd.DataFrame(
        {
            "indicator": ["primary_share"] * 2 + ["bed_ratio"] * 2,
            "year": [2021, 2022] * 2,
            "value": ["40%", "44%", 0.50, 0.55],
        }
    )
    series = growth_series(
        data, indicator_col="indicator", rates=["bed_ratio"], rate_unit="fraction"
    )
    rows = series.frame.set_index(["indicator", "period"])
    assert rows.loc[("primary_share", 2022), "yoy_points"] == pytest.approx(4.0, rel=1e-12)
    assert rows.loc[("primary_share", 2022), "value"] == pytest.approx(0.44, rel=1e-12)
    assert rows.loc[("bed_ratio", 2022), "yoy_points"] == pytest.approx(5.0, rel=1e-12)
    assert set(series.rates) == {"primary_share", "bed_ratio"}
    # under "percent" the sign is only dropped: 44% is 44
    kept = growth_series(data.iloc[:2], indicator_col="indicator").frame
    assert kept["value"].tolist() == [40.0, 44.0]


def test_a_change_that_rounds_to_zero_prints_without_a_minus_sign():
    # session 19 review F12: a -0.02 % change (10,000 -> 9,998) printed "-0.0%"; a rate
    # 50.00 -> 49.99 printed "-0.0 pp". Both round to 0.0 at one decimal.
    data = pd.DataFrame({"year": [2016, 2017], "visits": [10_000, 9_998], "share": [50.0, 49.99]})
    table = growth_series(data, period_col="year", value_col=["visits", "share"], rates=["share"])
    text = table.summary().to_text()
    assert "-0.0" not in text
    assert "0.0%" in text and "0.0 pp" in text
