"""Year-to-date cumulative figures (累计) and their year-on-year growth (累计同比)."""

import doctest
import importlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, InputError
from ihms.stats import CumulativeGrowth, cumulative_growth

# National household survey releases (国家统计局, 居民收入和消费支出情况), per-capita
# disposable income (yuan), year-to-date figures as printed:
#   2018: Q1 7,815, H1 14,063 ("比上年同期名义增长8.7%");
#   2019: Q1 8,493 ("名义增长8.7%"), H1 15,294 ("名义增长8.8%").
SURVEY_CUMULATIVE = pd.DataFrame(
    {"quarter": ["2018Q1", "2018Q2", "2019Q1", "2019Q2"], "value": [7815, 14063, 8493, 15294]}
)


def test_survey_year_to_date_growth_as_printed_from_cumulative_figures():
    result = cumulative_growth(SURVEY_CUMULATIVE, frequency="quarter", given="cumulative")
    rows = result.frame.set_index("period")
    # 8493 / 7815 - 1 = 0.0868 -> 8.7 %; 15294 / 14063 - 1 = 0.0875 -> 8.8 %
    assert round(100 * rows.loc["2019Q1", "cumulative_growth"], 1) == 8.7
    assert round(100 * rows.loc["2019Q2", "cumulative_growth"], 1) == 8.8
    # each quarter's own value is the difference: Q2 2018 = 14063 - 7815 = 6248,
    # Q2 2019 = 15294 - 8493 = 6801, so Q2 alone grew 6801 / 6248 - 1 = 8.85 %
    assert rows.loc["2018Q2", "value"] == 6248 and rows.loc["2019Q2", "value"] == 6801
    assert rows.loc["2019Q2", "yoy_growth"] == pytest.approx(6801 / 6248 - 1, rel=1e-12)
    assert rows.loc["2019Q2", "cumulative_from"] == "2019Q1"
    assert result.notes == ()


def test_monthly_values_sum_to_the_same_cumulative_growth():
    # worked by hand: Jan-Mar 2018 = 10 + 20 + 30 = 60, Jan-Mar 2019 = 12 + 24 + 30 = 66,
    # 累计同比 = 66 / 60 - 1 = 10 %; March alone 30 / 30 - 1 = 0
    months = ["2018-01", "2018-02", "2018-03", "2019-01", "2019-02", "2019-03"]
    data = pd.DataFrame({"month": months, "income": [10, 20, 30, 12, 24, 30]})
    before = data.copy()
    result = cumulative_growth(data, value_col="income")
    pd.testing.assert_frame_equal(data, before)
    rows = result.frame.set_index("period")
    assert rows.loc["2019-03", "cumulative"] == 66
    assert rows.loc["2019-03", "cumulative_growth"] == pytest.approx(0.1, rel=1e-12)
    assert rows.loc["2019-03", "yoy_growth"] == 0
    assert rows.loc["2019-02", "cumulative_growth"] == pytest.approx(36 / 30 - 1, rel=1e-12)
    # money sums exactly as written: 0.1 + 0.2 is 0.3, not 0.30000000000000004
    cents = pd.DataFrame({"month": ["2019-01", "2019-02"], "value": [0.1, 0.2]})
    assert cumulative_growth(cents).frame["cumulative"].iloc[1] == 0.3


def test_a_missing_month_in_either_year_blanks_the_comparison_and_is_named():
    months = [f"2018-{m:02d}" for m in (1, 3)] + [f"2019-{m:02d}" for m in (1, 2, 3)]
    data = pd.DataFrame({"month": months, "value": [1, 3, 2, 2, 2]})
    result = cumulative_growth(data)
    rows = result.frame.set_index("period")
    assert rows.loc["2019-01", "cumulative_growth"] == 1.0  # 2 / 1 - 1: January is complete
    # 2018-02 missing: Jan-Feb and Jan-Mar 2018 cannot be summed, so 2019's are not compared
    assert math.isnan(rows.loc["2018-03", "cumulative"])
    assert rows.loc["2019-03", "cumulative"] == 6  # 2019 itself is complete
    assert rows[["cumulative_growth"]].loc[["2019-02", "2019-03"]].isna().all().all()
    assert result.notes == (
        "indicator 'value': no value for 2018-02, so no cumulative figure for "
        "2018-02–2018-03 (a cumulative figure is never summed over fewer months), nor a "
        "cumulative growth where one of them is compared",
    )
    # a year begun late is a partial year, named; months before the table are no gap
    late = cumulative_growth(pd.DataFrame({"month": ["2019-03", "2019-04"], "value": [5, 6]}))
    assert late.frame["cumulative"].isna().all()
    assert len(late.notes) == 1 and "no value for 2019-01–2019-02" in late.notes[0]


def test_rates_are_refused_and_bad_input_lists_every_problem():
    shares = pd.DataFrame({"month": ["2019-01", "2019-02"], "value": ["50.8%", "51.0%"]})
    with pytest.raises(DataError, match="a rate cannot be summed"):
        cumulative_growth(shares)
    data = pd.DataFrame(
        {"month": ["2019-01", "2019-01", "2019Q2", "2019-04", "2019-05"],
         "value": ["1", "2", "3", "0.5", "n/a"]}
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        cumulative_growth(data, rates=["value"], source="fund.csv")
    text = "\n".join(err.value.problems)
    assert "fund.csv row 3 (indicator 'value', month 2019-01): a second value" in text
    assert "column 'month' of fund.csv row 4: expected a month" in text and "(a quarter" in text
    assert "column 'value' of fund.csv row 6" in text and "got 'n/a'" in text
    assert "indicator 'value' is a rate or share" in text
    with pytest.raises(InputError, match="parameter 'frequency': expected 'month' or 'quarter'"):
        cumulative_growth(data, frequency="year")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="parameter 'given'"):
        cumulative_growth(data, given="ytd")  # type: ignore[arg-type]


def test_summary_dict_and_repr():
    result = cumulative_growth(SURVEY_CUMULATIVE, frequency="quarter", given="cumulative")
    assert isinstance(result, CumulativeGrowth)
    text = result.summary().to_text()
    assert "cumulative year-on-year growth" in text and "+8.8%" in text and "累计同比" in text
    out = json.loads(json.dumps(result.to_dict(), default=str))
    assert out["given"] == "cumulative" and out["rows"][3]["cumulative"] == 15294
    assert repr(result) == (
        "<CumulativeGrowth: indicators=1, periods=4, frequency='quarter', notes=0>"
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=24, max_size=24))
def test_period_values_and_their_cumulative_figures_agree(values):
    months = pd.period_range("2018-01", "2019-12", freq="M").astype(str)
    by_month = cumulative_growth(pd.DataFrame({"month": months, "value": values}))
    running = np.concatenate([np.cumsum(values[:12]), np.cumsum(values[12:])])
    assert by_month.frame["cumulative"].tolist() == running.tolist()
    by_total = cumulative_growth(
        pd.DataFrame({"month": months, "value": running}), given="cumulative"
    )
    assert by_total.frame["value"].tolist() == values
    np.testing.assert_allclose(
        by_total.frame["cumulative_growth"].to_numpy(),
        by_month.frame["cumulative_growth"].to_numpy(),
        rtol=1e-12,
    )


def test_doctests():
    assert doctest.testmod(importlib.import_module("ihms.stats.growth_cumulative")).failed == 0


def test_a_column_of_counts_prints_whole_and_alike():
    """Admissions are whole: 2,674 and 12,309, not '2,674.00' above '12,309' in one
    column (walk16, `ihms growth examples/series/county_hospital_monthly.csv
    --cumulative --value-col hospitalizations`); a column with decimals keeps two
    on both sides of 10,000."""
    frame = pd.DataFrame(
        {"month": [f"2019-{m:02d}" for m in range(1, 13)], "admissions": [2674.0] * 12}
    )
    html = cumulative_growth(frame, period_col="month", value_col="admissions").summary()
    cells = html.to_html()
    assert ">2,674<" in cells and ">10,696<" in cells and "2,674.00" not in cells
    costs = frame.assign(admissions=[9876.54] * 12)
    cells = cumulative_growth(costs, period_col="month", value_col="admissions").summary()
    assert ">9,876.54<" in cells.to_html() and ">19,753.08<" in cells.to_html()


def test_a_combined_january_february_period_is_the_cumulative_figure_at_february():
    # monthly reports print 1-2月 together: the year-to-date figure at February, January
    # not reported alone. By hand: 2016 Jan-Feb 4,100 on 2015's 3,976 = +3.12%; March
    # 6,050 on 5,843 = +3.54%; February's own value is unknown (no January figure).
    table = pd.DataFrame(
        {
            "月份": ["2015年1-2月", "2015年3月", "2016年1-2月", "2016年3月"],
            "住院人次累计": ["3,976", "5,843", "4,100", "6,050"],
        }
    )
    res = cumulative_growth(table, period_col="月份", value_col="住院人次累计",
                            given="cumulative", source="ytd.csv")  # fmt: skip
    frame = res.frame.set_index("period")
    assert list(frame.index) == ["2015-02", "2015-03", "2016-02", "2016-03"]
    assert frame.loc["2016-02", "cumulative"] == 4100
    assert frame.loc["2016-02", "cumulative_growth"] == pytest.approx(4100 / 3976 - 1)
    assert frame.loc["2016-03", "cumulative_growth"] == pytest.approx(6050 / 5843 - 1)
    assert math.isnan(frame.loc["2016-02", "value"])
    assert frame.loc["2016-03", "value"] == 6050 - 4100
    note = next(n for n in res.notes if "1-2月" in n)
    assert "row(s) 2, 4" in note and "at month 2" in note and "January has no figure" in note
    assert table["月份"].iloc[0] == "2015年1-2月"  # not modified
    with pytest.raises(DataError, match="1-2月"):  # a month's own value cannot be split
        cumulative_growth(table, period_col="月份", value_col="住院人次累计")


@pytest.mark.parametrize("written", ["2016年1月-2月", "2016年1月至2月", "2016年1至2月"])
def test_other_spellings_of_a_combined_period_read_too(written):
    # review 21b #6: only 2016年1-2月 was read; the same figures as the test above
    table = pd.DataFrame(
        {"月份": ["2015年1-2月", "2015年3月", written, "2016年3月"],
         "住院人次累计": ["3,976", "5,843", "4,100", "6,050"]}
    )  # fmt: skip
    res = cumulative_growth(table, period_col="月份", value_col="住院人次累计", given="cumulative")
    frame = res.frame.set_index("period")
    assert frame.loc["2016-02", "cumulative_growth"] == pytest.approx(4100 / 3976 - 1)


def test_a_combined_period_without_given_cumulative_points_to_it():
    # review 21b #6: the generic "expected a month such as 2019-03" said nothing of it
    table = pd.DataFrame({"月份": ["2015年1-2月", "2015年3月"], "v": ["3,976", "1,867"]})
    with pytest.raises(DataError, match="--given cumulative"):
        cumulative_growth(table, period_col="月份", value_col="v")
