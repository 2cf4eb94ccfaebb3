"""Growth at comparable prices (按可比价格): nominal growth deflated by a price index."""

import doctest
import importlib
import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, InputError
from ihms.stats import ComparableGrowth, comparable_growth

# National statistics on household income and consumption (国家统计局, annual releases
# and the 2017 statistical communiqué), per-capita, yuan:
#   disposable income 2016 23,821; 2017 25,974 "比上年增长9.0%，扣除价格因素，实际增长7.3%";
#   consumption 2016 17,111; 2017 18,322 "比上年增长7.1%，扣除价格因素，实际增长5.4%";
#   CPI (居民消费价格, 上年=100): 2016 102.0, 2017 101.6.
HOUSEHOLD = pd.DataFrame(
    {
        "year": [2016, 2017],
        "income": [23821, 25974],
        "consumption": [17111, 18322],
        "cpi": [102.0, 101.6],
    }
)


def test_communique_nominal_and_real_growth_as_printed():
    result = comparable_growth(
        HOUSEHOLD, value_col=["income", "consumption"], price_col="cpi", price_name="CPI"
    )
    rows = result.frame.set_index(["indicator", "period"])
    income, consumption = rows.loc[("income", 2017)], rows.loc[("consumption", 2017)]
    # 25974 / 23821 - 1 = 0.0904 -> 9.0 %; 1.0904 / 1.016 - 1 = 0.0732 -> 7.3 %
    assert round(100 * income["nominal_growth"], 1) == 9.0
    assert round(100 * income["real_growth"], 1) == 7.3
    # 18322 / 17111 - 1 = 0.0708 -> 7.1 %; 1.0708 / 1.016 - 1 = 0.0539 -> 5.4 %
    assert round(100 * consumption["nominal_growth"], 1) == 7.1
    assert round(100 * consumption["real_growth"], 1) == 5.4
    assert income["inflation"] == pytest.approx(0.016, rel=1e-12)
    text = result.summary().to_text()
    assert "Deflated by CPI (same period a year before = 100)" in text
    assert "real growth = (1 + nominal growth) / (1 + price change) - 1" in text
    assert "+7.3%" in text and "real growth (comparable prices)" in text


# 2018 Q1 7,815 and 2019 Q1 8,493 yuan per capita, "名义增长8.7%，扣除价格因素，实际增长
# 6.8%" (国家统计局, 2019年一季度居民收入和消费支出情况); CPI Q1 2019 "比去年同期上涨1.8%"
# (国家统计局, 2019年3月份居民消费价格).
def test_quarterly_real_growth_with_a_separate_price_table():
    income = pd.DataFrame({"quarter": ["2018Q1", "2019Q1"], "value": [7815, 8493]})
    cpi = pd.DataFrame({"季度": ["2019年第一季度"], "指数": [101.8]})
    result = comparable_growth(
        income, prices=cpi, price_col="指数", price_period_col="季度", frequency="quarter"
    )
    row = result.frame.set_index("period").loc["2019Q1"]
    # 8493 / 7815 - 1 = 0.0868 -> 8.7 %; 1.0868 / 1.018 - 1 = 0.0676 -> 6.8 %
    assert round(100 * row["nominal_growth"], 1) == 8.7
    assert round(100 * row["real_growth"], 1) == 6.8
    assert result.average.empty  # averages are over years


def test_fixed_base_index_gives_values_at_base_prices_and_the_same_real_growth():
    # the chain CPI above as a fixed-base index (2015 = 100): 102.0, 102.0 * 1.016
    fixed = pd.DataFrame({"year": [2015, 2016, 2017], "index": [100, 102.0, 102.0 * 1.016]})
    result = comparable_growth(
        HOUSEHOLD, prices=fixed, price_base=2015, value_col="income", price_name="CPI"
    )
    rows = result.frame.set_index("period")
    assert round(100 * rows.loc[2017, "real_growth"], 1) == 7.3
    # at 2015 prices: 100 * 23821 / 102.0 = 23353.9
    assert rows.loc[2016, "real_value"] == pytest.approx(100 * 23821 / 102.0, rel=1e-12)
    # real growth is the growth of the deflated values
    assert rows.loc[2017, "real_value"] / rows.loc[2016, "real_value"] - 1 == pytest.approx(
        rows.loc[2017, "real_growth"], rel=1e-12
    )
    assert "value at 2015 prices" in result.summary().to_text()
    with pytest.raises(DataError, match="the index of the base period 2016 is 102"):
        comparable_growth(HOUSEHOLD, prices=fixed, price_base=2016, value_col="income")


def test_average_annual_real_growth_needs_every_year():
    # worked by hand: income 100 -> 110 -> 121 at CPI 110 each year: real growth 0 and 0,
    # nominal average (121 / 100) ** (1/2) - 1 = 10 %, real average 0
    data = pd.DataFrame({"year": [2016, 2017, 2018], "value": [100, 110, 121]})
    data["cpi"] = 110.0
    average = comparable_growth(data, price_col="cpi").average.iloc[0]
    assert average["average_nominal_growth"] == pytest.approx(0.1, rel=1e-12)
    assert average["average_real_growth"] == pytest.approx(0.0, abs=1e-12)
    assert (average["start"], average["end"]) == (2016, 2018)
    unpriced = data.assign(cpi=[110.0, None, 110.0])
    result = comparable_growth(unpriced, price_col="cpi")
    assert math.isnan(result.frame.set_index("period").loc[2017, "real_growth"])
    assert math.isnan(result.average.iloc[0]["average_real_growth"])
    assert any("no real growth for 2017 — the price index lacks" in n for n in result.notes)
    assert any("no average annual real growth 2016–2018" in n for n in result.notes)
    gap = comparable_growth(data[data["year"] != 2017], price_col="cpi")
    assert any("no value for 2017, so no growth for 2018" in n for n in gap.notes)


def test_a_base_of_zero_gives_no_growth_and_says_why():
    # 0 -> 100: no growth rate exists; the note names the base as growth_series does
    data = pd.DataFrame({"year": [2016, 2017], "value": [0, 100], "cpi": [101.0, 102.0]})
    result = comparable_growth(data, price_col="cpi")
    assert math.isnan(result.frame.set_index("period").loc[2017, "nominal_growth"])
    assert any(
        "2017: growth missing — the base value in 2016 is 0 (a growth rate needs a base > 0)" in n
        for n in result.notes
    )


def test_bad_price_index_lists_file_row_and_column():
    prices = pd.DataFrame(
        {"year": [2016, 2017, 2017, "2018Q1", 2019], "cpi": [0, 101.6, 101.7, 102, "-1"]}
    )
    with pytest.raises(DataError) as err:
        comparable_growth(HOUSEHOLD, prices=prices, price_col="cpi", value_col="income",
                          price_source="cpi.csv")  # fmt: skip
    text = "\n".join(err.value.problems)
    assert (
        "column 'cpi' of cpi.csv row 2: expected a price index > 0 (such as 102.1), got 0" in text
    )
    assert (
        "column 'cpi' of cpi.csv row 4: a second price index for 2017, 101.7 (first 101.6" in text
    )
    assert "column 'year' of cpi.csv row 5: expected a whole year" in text
    assert "cpi.csv row 6: expected a price index > 0 (such as 102.1), got '-1'" in text
    with pytest.raises(DataError, match="only money values are deflated"):
        comparable_growth(pd.DataFrame({"year": [2016], "value": ["5%"], "index": [101]}))
    with pytest.raises(DataError, match=r"missing column\(s\) cpi for the price index"):
        comparable_growth(HOUSEHOLD, value_col="income", price_col="cpi", prices=prices[["year"]])
    with pytest.raises(InputError, match="parameter 'price_base'"):
        comparable_growth(HOUSEHOLD, value_col="income", price_col="cpi", price_base="chain")
    with pytest.raises(InputError, match="parameter 'prices'"):
        comparable_growth(HOUSEHOLD, prices=[1, 2])  # type: ignore[arg-type]


def test_dict_and_repr():
    result = comparable_growth(HOUSEHOLD, value_col="income", price_col="cpi")
    assert isinstance(result, ComparableGrowth)
    out = json.loads(json.dumps(result.to_dict(), default=str))
    assert out["method"] == "real = (1 + nominal) / (1 + inflation) - 1"
    assert out["average"][0]["indicator"] == "income"
    assert repr(result) == (
        "<ComparableGrowth: indicators=1, periods=2, price_base='previous', notes=0>"
    )


@settings(max_examples=50, deadline=None)
@given(
    st.floats(min_value=1, max_value=1e6),
    st.lists(st.floats(min_value=0.55, max_value=1.95), min_size=2, max_size=7),
    st.lists(st.floats(min_value=80, max_value=130), min_size=8, max_size=8),
)
def test_deflating_by_the_values_own_growth_leaves_no_real_growth(first, factors, noise):
    # a chain index equal to 100 * the value's own growth factor leaves real growth 0,
    # and (1 + real) * (1 + inflation) is (1 + nominal) for any index (the factors stay
    # inside the plausible chain index range, 50-200)
    values = list(itertools.accumulate([first, *factors], lambda a, f: a * f))
    years = list(range(2000, 2000 + len(values)))
    own = [100.0] + [100 * b / a for a, b in itertools.pairwise(values)]
    data = pd.DataFrame({"year": years, "value": values, "own": own, "other": noise[: len(values)]})
    flat = comparable_growth(data, price_col="own").frame["real_growth"].to_numpy()[1:]
    np.testing.assert_allclose(flat, 0, atol=1e-9)
    frame = comparable_growth(data, price_col="other").frame.iloc[1:]
    np.testing.assert_allclose(
        (1 + frame["real_growth"]) * (1 + frame["inflation"]), 1 + frame["nominal_growth"],
        rtol=1e-9,
    )  # fmt: skip


def test_doctests():
    assert doctest.testmod(importlib.import_module("ihms.stats.growth_real")).failed == 0


def test_a_long_table_carries_its_price_index_on_every_row():
    # worked by hand: 100 -> 110 at an index of 105: real growth 1.10 / 1.05 - 1 = 4.76 %
    data = pd.DataFrame(
        {
            "indicator": ["a", "a", "b", "b"],
            "year": [2016, 2017, 2016, 2017],
            "value": [100, 110, 50, 55],
            "cpi": [101, 105, 101, 105],
        }
    )
    result = comparable_growth(data, indicator_col="indicator", price_col="cpi")
    real = result.frame.set_index(["indicator", "period"])["real_growth"]
    assert real[("a", 2017)] == pytest.approx(1.10 / 1.05 - 1, rel=1e-12)
    assert real[("b", 2017)] == pytest.approx(1.10 / 1.05 - 1, rel=1e-12)
    assert "nan" not in comparable_growth(data.iloc[:1], price_col="cpi").summary().to_text()
    data.loc[3, "cpi"] = 106  # two indices for 2017
    with pytest.raises(DataError, match="row 5: a second price index for 2017, 106"):
        comparable_growth(data, indicator_col="indicator", price_col="cpi")


def test_a_last_value_below_zero_leaves_the_averages_missing_and_says_why():
    # 100, 110, 121, -30 (a surplus turned into a deficit): the year-on-year growths are
    # defined (base > 0; 2018: -30 / 121 - 1 = -124.8 %), the average annual growth is
    # not, as average_annual_growth_rate refuses a value <= 0 ("expected a value > 0
    # for a growth rate")
    data = pd.DataFrame({"year": [2015, 2016, 2017, 2018], "value": [100, 110, 121, -30]})
    data["cpi"] = [101.4, 102.0, 101.6, 102.1]
    result = comparable_growth(data, price_col="cpi")
    rows = result.frame.set_index("period")
    assert rows.loc[2018, "nominal_growth"] == pytest.approx(-30 / 121 - 1, rel=1e-12)
    assert rows.loc[2018, "real_growth"] == pytest.approx((-30 / 121) / 1.021 - 1, rel=1e-12)
    average = result.average.iloc[0]
    assert math.isnan(average["average_nominal_growth"])
    assert math.isnan(average["average_real_growth"])
    assert isinstance(average["average_nominal_growth"], float)  # not complex
    assert (
        "indicator 'value': no average annual growth 2015–2018 — the value in 2018 is -30 "
        "(expected a value > 0 for a growth rate)"
    ) in result.notes
    assert not any("a year's real growth is missing" in n for n in result.notes)
    assert "nominal —, real —" in result.summary().to_text()
    json.dumps(result.to_dict())  # no complex number in the payload
    fixed = pd.DataFrame({"year": [2015, 2016, 2017, 2018], "index": [100, 102, 103.6, 105.8]})
    at_2015 = comparable_growth(data, prices=fixed, price_base=2015)
    assert math.isnan(at_2015.average.iloc[0]["average_real_growth"])
    # a start <= 0 says so too
    start = comparable_growth(data.assign(value=[-5, 110, 121, 130]), price_col="cpi")
    assert any("the value in 2015 is -5 (expected a value > 0" in n for n in start.notes)


@pytest.mark.parametrize("given", [2.0, 1.02, 0.4, 49.9, 200.5, 10210])
def test_a_chain_index_not_on_base_100_is_refused(given):
    # yearbook CPIs (上年=100) run about 95-110: 2.0 is the 涨幅 (+2.0 %), 1.02 the factor
    prices = pd.DataFrame({"year": [2016, 2017], "cpi": [102.0, given]})
    with pytest.raises(DataError) as err:
        comparable_growth(HOUSEHOLD, prices=prices, price_col="cpi", value_col="income",
                          price_source="cpi.csv")  # fmt: skip
    hint = ": a percentage change (2.0) or a fraction (1.02)?" if given < 50 else ""
    assert err.value.problems == [
        f"column 'cpi' of cpi.csv row 3: expected an index with the same period a year "
        f"before = 100, such as 102.0 for a rise of 2%, got {given:g}{hint} (an index "
        "outside 50–200 is refused)"
    ]
    # 50 and 200 themselves (prices halved or doubled in a year) are read
    edge = prices.assign(cpi=[50.0, 200.0])
    assert comparable_growth(HOUSEHOLD, prices=edge, price_col="cpi", value_col="income")


def test_a_fixed_base_index_far_below_100_is_refused():
    # 2015 = 100: a value of 1.02 (a factor) or 2.1 (a 涨幅) is no index on base 100
    prices = pd.DataFrame({"year": [2016, 2017], "index": [1.02, 2.1]})
    with pytest.raises(DataError) as err:
        comparable_growth(HOUSEHOLD, prices=prices, price_base=2015, value_col="income",
                          price_source="cpi.csv")  # fmt: skip
    assert err.value.problems == [
        "column 'index' of cpi.csv row 2: expected an index with 2015 = 100, such as 102.0 "
        "for prices 2% above 2015, got 1.02: a percentage change (2.0) or a fraction "
        "(1.02)? (an index below 10 is refused)",
        "column 'index' of cpi.csv row 3: expected an index with 2015 = 100, such as 102.0 "
        "for prices 2% above 2015, got 2.1: a percentage change (2.0) or a fraction "
        "(1.02)? (an index below 10 is refused)",
    ]
