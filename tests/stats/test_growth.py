"""Average annual growth rates against seed 004, Table 2."""

import doctest
import importlib
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.errors import DataError, IhmsWarning, InputError
from ihms.stats import annual_growth, average_annual_growth_rate, growth_table

# Seed 004 (004_6ce9f4a12c44faaa.txt), Table 2: township health centres in Deqing,
# 2016, 2017, 2018, printed average annual growth rate (%) and national average growth
# rate (%, None where the table prints "-").
SEED_004_TABLE_2 = [
    ("Number of GPs per 10,000 people", 1.04, 1.41, 1.63, 25.2, 21.3),
    ("Number of beds (per THC)", 86, 158, 155, 34.3, None),
    ("Average length of stay", 10.4, 7.5, 6.6, -20.3, 0.0),
    ("Disease spectrum in ambulatory care", 62.2, 70.67, 74.3, 9.3, None),
    ("Disease spectrum in hospitalizations", 5.4, 7.1, 10.78, 41.3, None),
    ("Total revenue (per THC, in 1,000,000 CNY)", 17.40, 19.85, 24.25, 18.1, 9.9),
    ("Proportion of consultation fee to total income", 17.8, 18.0, 21.5, 9.9, None),
    ("Proportion of personnel cost to total cost", 35.6, 38.9, 37.4, 2.5, 1.5),
    ("Professional income per physician (in 10,000 CNY)", 51.65, 124.69, 120.41, 52.7, 6.1),
]
# Three rows of the same table do not follow from their printed start and end values
# (the authors presumably used unrounded ratios): GPs/specialists ratio 0.36 -> 0.55
# gives 23.6%, printed 23.1%; nurses/doctors ratio 0.45 -> 0.43 gives -2.2%, printed
# -3.0%; occupancy rate 16.5% -> 22.8% gives 17.6% (17.55), printed 17.5%.


@pytest.mark.parametrize(
    ("name", "v2016", "v2017", "v2018", "printed", "national"), SEED_004_TABLE_2
)
def test_seed_004_table_2_growth_rates(name, v2016, v2017, v2018, printed, national):
    rate = average_annual_growth_rate(v2016, v2018, start_year=2016, end_year=2018, indicator=name)
    assert round(100 * rate, 1) == printed
    result = annual_growth(
        v2016,
        v2018,
        start_year=2016,
        end_year=2018,
        reference=None if national is None else national / 100,
        indicator=name,
    )
    if national is None:
        assert np.isnan(result.difference)
    else:
        # e.g. GPs: 25.2% - 21.3% = +3.9 points; income per physician 52.7 - 6.1 = 46.6
        assert round(100 * result.difference, 1) == round(printed - national, 1)


def test_growth_table_from_long_data_reproduces_the_whole_table():
    rows = [
        {"indicator": name, "year": year, "value": value}
        for name, *values, _, _ in SEED_004_TABLE_2
        for year, value in zip((2016, 2017, 2018), values, strict=True)
    ]
    data = pd.DataFrame(rows)
    before = data.copy()
    national = {name: nat / 100 for name, *_, nat in SEED_004_TABLE_2 if nat is not None}
    table = growth_table(data, indicator_col="indicator", reference=national)
    pd.testing.assert_frame_equal(data, before)
    assert (table.start_year, table.end_year) == (2016, 2018)
    printed = [p for *_, p, _ in SEED_004_TABLE_2]
    assert (table.frame["growth_rate"] * 100).round(1).tolist() == printed
    gps = table.frame.set_index("indicator").loc["Number of GPs per 10,000 people"]
    assert round(100 * gps["difference"], 1) == 3.9
    text = table.summary().to_text()
    assert "25.2%" in text and "+3.9 pp" in text and "2016–2018" in text
    assert json.dumps(table.to_dict())


def test_one_indicator_table_with_chosen_period_and_single_reference():
    data = pd.DataFrame({"year": [2016, 2017, 2018, 2019], "beds": [100, 110, 121, 133.1]})
    table = growth_table(data, value_col="beds", start_year=2016, end_year=2018, reference=0.05)
    row = table.frame.iloc[0]
    # (121 / 100) ** (1 / 2) - 1 = 0.1 exactly; difference 0.10 - 0.05
    assert row["growth_rate"] == pytest.approx(0.1)
    assert row["difference"] == pytest.approx(0.05)
    assert row["indicator"] == "beds"


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 1e6), st.floats(-0.5, 1.0), st.integers(1, 30))
def test_compounding_the_rate_returns_the_end_value(start, rate, years):
    end = start * (1 + rate) ** years
    got = average_annual_growth_rate(start, end, start_year=2000, end_year=2000 + years)
    assert got == pytest.approx(rate, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("start", "end", "years", "message"),
    [
        (
            0,
            1.63,
            (2016, 2018),
            "indicator 'GPs', year 2016 \\(start value\\): expected a value > 0",
        ),
        (1.04, -1, (2016, 2018), "indicator 'GPs', year 2018 \\(end value\\)"),
        (1.04, "x", (2016, 2018), "expected a number, got 'x'"),
        (1.04, 1.63, (2018, 2016), "end_year after start_year"),
        (1.04, 1.63, (2016, float("nan")), "parameter 'end_year'"),
    ],
)
def test_bad_single_growth_input(start, end, years, message):
    with pytest.raises(InputError, match=message):
        average_annual_growth_rate(
            start, end, start_year=years[0], end_year=years[1], indicator="GPs"
        )


def test_bad_table_lists_every_problem_with_indicator_and_year():
    data = pd.DataFrame(
        {
            "indicator": ["beds", "beds", "beds", "stay", "stay", "stay", "stay"],
            "year": [2016, 2017, 2018, 2016, 2017, 2017, 2018],
            "value": [0, 120, 155, 10.4, "n/a", 7.4, -6.6],
        },
        dtype=object,
    )
    with pytest.raises(DataError) as info:
        growth_table(data, indicator_col="indicator", source="capacity.csv")
    problems = info.value.problems
    assert (
        "indicator 'beds', year 2016 (column 'value' of capacity.csv row 2): expected a value > 0"
        in problems[0]
    )
    assert any(
        "'stay', year 2017 (column 'value' of capacity.csv row 6): expected a number, got 'n/a'"
        in p
        for p in problems
    )
    assert any(
        "'stay', year 2017 (column 'value' of capacity.csv row 7): a second value" in p
        for p in problems
    )
    assert any(
        "'stay', year 2018 (column 'value' of capacity.csv row 8): expected a value > 0" in p
        for p in problems
    )


def test_table_missing_year_columns_and_references():
    data = pd.DataFrame(
        {"indicator": ["a", "a", "b"], "year": [2016, 2018, 2016], "value": [1, 2, 3]}
    )
    with pytest.raises(DataError, match="indicator 'b': no value for year 2018"):
        growth_table(data, indicator_col="indicator")
    with pytest.raises(DataError, match="missing column"):
        growth_table(data, indicator_col="name")
    with pytest.raises(DataError, match="no indicator named \\['c'\\]"):
        growth_table(data[data.indicator == "a"], indicator_col="indicator", reference={"c": 0.1})
    with pytest.raises(DataError, match="expected a finite fraction"):
        growth_table(data[data.indicator == "a"], indicator_col="indicator", reference=-2)
    with pytest.raises(DataError, match="end_year after start_year"):
        growth_table(data[data.year == 2016], indicator_col="indicator")


def test_docstring_examples_run():
    mod = importlib.import_module("ihms.stats.growth")
    assert doctest.testmod(mod).failed == 0


def test_an_empty_cell_in_a_middle_year_is_not_needed_but_one_at_an_end_is_named():
    data = pd.DataFrame(
        {"year": [2016, 2017, 2018], "beds": [100.0, None, 121.0]}
    )  # 2017 not reported: the rate uses 2016 and 2018 only
    assert growth_table(data, value_col="beds").frame.iloc[0]["growth_rate"] == pytest.approx(0.1)
    # (121 / 100) ** (1 / 2) - 1 = 0.1
    late = pd.DataFrame({"year": [2016, 2017, 2018], "beds": [100.0, 110.0, None]})
    with pytest.raises(DataError, match="indicator 'beds': no value for year 2018"):
        growth_table(late, value_col="beds")  # not silently 2016-2017


def test_a_yearbook_table_with_years_across_the_columns_is_named_as_such():
    """A statistical yearbook prints indicators down and years across (指标, 2016年,
    2017年, ...); growth reads the long form, and the message says how to get there
    (walk16: the message named only the missing 'year' and 'value' columns)."""
    from ihms.stats import growth_series

    wide = pd.DataFrame(
        {"指标": ["每万人全科医生数"], "2016年": [1.04], "2017年": [1.41], "2018年": [1.63]}
    )
    hint = r"years across the columns \('2016年', '2017年', '2018年'\)\? .*one row per"
    with pytest.raises(DataError, match=hint):
        growth_table(wide, indicator_col="指标", source="卫生统计.xlsx")
    with pytest.raises(DataError, match=hint):
        growth_series(wide, indicator_col="指标", source="卫生统计.xlsx")


def test_a_share_changes_in_points_a_year_and_may_be_zero():
    # worked by hand: a share 0.0% -> 3.0% over 2016-2019 is (3.0 - 0.0) / 3 = 1.0 pp a
    # year (a growth rate from 0 does not exist); written as fractions 0.50 -> 0.53 and
    # named in rates, 100 * (0.53 - 0.50) / 3 = 1.0 pp a year
    shares = pd.DataFrame({"year": [2016, 2019], "value": ["0.0%", "3.0%"]})
    table = growth_table(shares)
    assert table.rates == ("value",) and table.to_dict()["rates"] == ["value"]
    assert abs(table.frame["points_per_year"][0] - 1.0) < 1e-12
    assert np.isnan(table.frame["growth_rate"][0])
    fractions = pd.DataFrame({"year": [2016, 2019], "value": [0.50, 0.53]})
    marked = growth_table(fractions, rates=["value"], rate_unit="fraction")
    assert abs(marked.frame["points_per_year"][0] - 1.0) < 1e-12
    with pytest.raises(DataError, match="expected a value > 0"):
        growth_table(pd.DataFrame({"year": [2016, 2019], "value": [0, 3]}))


def test_each_rate_in_its_own_unit_and_percent_signs_under_fraction():
    # worked by hand: primary_share 40% -> 44% over 2021-2023 is (44 - 40) / 2 = 2.0 pp a
    # year, and bed_ratio 0.50 -> 0.55 (a fraction) 100 * 0.05 / 2 = 2.5 pp a year. Under
    # one rate_unit="fraction" "40%" was read as 40 and scaled by 100: 200.0 pp a year.
    data = pd.DataFrame(
        {
            "indicator": ["primary_share"] * 2 + ["bed_ratio"] * 2,
            "year": [2021, 2023] * 2,
            "value": ["40%", "44%", 0.50, 0.55],
        }
    )
    signed = growth_table(
        data, indicator_col="indicator", rates=["bed_ratio"], rate_unit="fraction"
    )
    points = dict(zip(signed.frame["indicator"], signed.frame["points_per_year"], strict=True))
    assert points == pytest.approx({"primary_share": 2.0, "bed_ratio": 2.5}, rel=1e-12)
    data["value"] = [40, 44, 0.50, 0.55]  # the same, each rate's unit named
    units = {"primary_share": "percent", "bed_ratio": "fraction"}
    table = growth_table(data, indicator_col="indicator", rates=units, rate_unit="fraction")
    points = dict(zip(table.frame["indicator"], table.frame["points_per_year"], strict=True))
    assert points == pytest.approx({"primary_share": 2.0, "bed_ratio": 2.5}, rel=1e-12)
    with pytest.raises(InputError, match="expected the unit of 'bed_ratio' to be 'percent'"):
        growth_table(data, indicator_col="indicator", rates={"bed_ratio": "permille"})


def test_year_labels_written_2016年_are_read_as_the_yoy_mode_reads_them():
    """Session 19 review F7: the average rate refused ``2016年`` (and then added 'no
    usable values' and an empty reference list) while ``--yoy`` read the same file.
    Seed 004, Table 2: GPs per 10,000 people 1.04 (2016) -> 1.63 (2018), printed 25.2%
    against a national 21.3%."""
    data = pd.DataFrame(
        {
            "指标": ["GPs"] * 3,
            "年份": ["2016年", "2017年", " 2018 年"],
            "数值": ["1.04", "1.41", "1.63"],
        }
    )
    table = growth_table(
        data, year_col="年份", value_col="数值", indicator_col="指标", reference={"GPs": 0.213}
    )
    row = table.frame.iloc[0]
    assert (row["start_year"], row["end_year"]) == (2016, 2018)
    assert round(100 * row["growth_rate"], 1) == 25.2
    assert round(100 * row["difference"], 1) == 3.9


def test_unreadable_years_are_named_without_follow_on_problems():
    data = pd.DataFrame({"indicator": ["a", "a"], "year": ["20x6", "二〇一八"], "value": [1, 2]})
    with pytest.raises(DataError) as info:
        growth_table(data, indicator_col="indicator", reference={"a": 0.1}, source="g.csv")
    problems = info.value.problems
    assert len(problems) == 2, problems
    assert (
        "column 'year' of g.csv row 2: expected a year such as 2019 or 2019年, got '20x6'"
        in (problems[0])
    )


def test_average_rate_summary_prints_levels_with_separators_and_no_minus_zero():
    # session 19 review F12: 1,040,000 printed 1.04e+06; and a difference of -0.02
    # points (growth 21.28 % against 21.30 %) printed "-0.0 pp". Worked by hand:
    # 1,040,000 * 1.2128 = 1,261,312 over one year is 21.28 %.
    data = pd.DataFrame({"year": [2016, 2017], "value": [1_040_000, 1_261_312]})
    text = growth_table(data, reference=0.213).summary().to_text()
    assert "1,040,000" in text and "1,261,312" in text and "e+06" not in text
    assert "21.3%" in text and "-0.0" not in text and "0.0 pp" in text


def test_an_end_value_suppressed_by_ihms_indicators_says_so():
    # session 19 review F14: a table of `ihms indicators compute --out` whose last
    # year's count was suppressed (empty value, suppressed = True)
    data = pd.DataFrame(
        {
            "year": [2016, 2017, 2018],
            "value": [10, 12, ""],
            "suppressed": ["False", "False", "True"],
        }
    )
    with pytest.raises(DataError) as info:
        growth_table(data, source="ind.csv")
    text = str(info.value)
    assert "no value for year 2018" in text
    assert "row 4 was suppressed by ihms indicators (small counts" in text
    assert "--min-cell 1 restores it for an analysis inside the bureau" in text


def test_a_zero_in_a_year_the_average_rate_does_not_use_is_a_note():
    # (24852 / 24352) ** (1 / 2) - 1 by hand: 2016's 0 is not read by the geometric rate
    data = pd.DataFrame({"year": [2015, 2016, 2017], "value": [24352, 0, 24852]})
    with pytest.warns(IhmsWarning, match="year 2016 .*not used: the average annual rate"):
        table = growth_table(data, source="g0.csv")
    assert table.frame["growth_rate"].item() == pytest.approx((24852 / 24352) ** 0.5 - 1)


def test_a_suppressed_end_value_under_a_repeated_index_label_reads_its_own_flag():
    # two indicators' tables stacked without ignore_index: index labels 0, 1, 2 twice.
    # The suppressed flag read must be the empty cell's own (position 2), not that of
    # the later row with the same label (indicator 'b', not suppressed).
    a = pd.DataFrame(
        {"indicator": "a", "year": [2016, 2017, 2018], "value": [10, 12, ""],
         "suppressed": ["False", "False", "True"]}
    )  # fmt: skip
    b = a.assign(indicator="b", value=[5, 6, 7], suppressed="False")
    with pytest.raises(DataError) as info:
        growth_table(pd.concat([a, b]), indicator_col="indicator")
    text = str(info.value)
    assert "indicator 'a': no value for year 2018" in text
    assert "row 2 was suppressed by ihms indicators (small counts" in text
