"""The average annual growth rate's period against its table's years, and the reference
columns shown only when there is a reference.

Golden numbers by hand: 100 → 133.1 over 2016–2019 is 1.331 ** (1/3) − 1 = 10 % a year
(1.1³ = 1.331); against a reference of 8 % the difference is +2.0 percentage points.
Indicator 'a' 100 → 121 over 2016–2018 and 'b' 55 → 66.55 over the same years are both
1.21 ** (1/2) − 1 = 10 % (1.1² = 1.21).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.stats import annual_growth, growth_table


def _two() -> pd.DataFrame:
    # 'a' starts a year after 'b'; 'a' lacks 2017, 'b' ends a year before 'a'
    return pd.DataFrame(
        {
            "ind": ["a"] * 4 + ["b"] * 4,
            "year": [2016, 2017, 2018, 2019, 2015, 2016, 2017, 2018],
            "value": [100, None, 121, 130, 50, 55, 60.5, 66.55],
        }
    )


def test_a_start_year_before_the_table_is_one_message_naming_file_column_and_first_year():
    data = pd.DataFrame({"year": [2016, 2017, 2018, 2019], "value": [100, 110, 121, 133.1]})
    with pytest.raises(DataError) as err:
        growth_table(data, start_year=2014, source="g.csv")
    assert err.value.problems == [
        "column 'year' of g.csv: the start year 2014 (parameter 'start_year') is before the "
        "table's first year, 2016 (its years run 2016–2019)"
    ]
    with pytest.raises(DataError) as err:
        growth_table(data, end_year=2022, source="g.csv")
    assert err.value.problems == [
        "column 'year' of g.csv: the end year 2022 (parameter 'end_year') is after the "
        "table's last year, 2019 (its years run 2016–2019)"
    ]
    # a start after the last year is that, not "expected end_year after start_year"
    with pytest.raises(DataError, match=r"start year 2020 .* after the table's last year, 2019"):
        growth_table(data, start_year=2020, source="g.csv")
    # inside the table the rate is computed: 10 % a year by hand
    table = growth_table(data, start_year=2016, end_year=2019)
    assert table.frame.loc[0, "growth_rate"] == pytest.approx(0.1, rel=1e-12)


def test_an_indicator_without_the_year_is_told_where_its_values_are():
    with pytest.raises(DataError) as err:
        growth_table(_two(), indicator_col="ind", source="k.csv")
    assert err.value.problems == [
        "indicator 'a': no value for year 2015 in k.csv (column 'value'); its first year "
        "with a value is 2016",
        "indicator 'b': no value for year 2019 in k.csv (column 'value'); its last year "
        "with a value is 2018",
    ]
    # the period was the default: the summary names the years every indicator has
    assert err.value.summary == (
        "k.csv: 2 problem(s) in the growth data (by default the period runs from the "
        "table's first year to its last, 2015–2019; every indicator has a value in 2016 "
        "and in 2018: set parameter 'start_year' to 2016 and parameter 'end_year' to 2018)"
    )
    with pytest.raises(DataError) as err:
        growth_table(_two(), indicator_col="ind", start_year=2016, end_year=2017)
    assert err.value.problems == [
        "indicator 'a': no value for year 2017 in data (column 'value'); its nearest years "
        "with a value are 2016 and 2018"
    ]
    assert err.value.summary == "data: 1 problem(s) in the growth data"  # both years given
    # the years suggested give both rates: 10 % each by hand
    table = growth_table(_two(), indicator_col="ind", start_year=2016, end_year=2018)
    assert table.frame["growth_rate"].tolist() == pytest.approx([0.1, 0.1], rel=1e-12)


def test_reference_columns_only_with_a_reference():
    plain = annual_growth(100, 133.1, start_year=2016, end_year=2019)
    text = plain.summary().to_text()
    assert "10.0%" in text
    assert "reference" not in text and "difference" not in text
    assert math.isnan(plain.to_dict()["reference_rate"])  # the result keeps the field
    ref = annual_growth(100, 133.1, start_year=2016, end_year=2019, reference=0.08)
    assert ref.difference == pytest.approx(0.02, rel=1e-12)
    shown = ref.summary().frame
    assert list(shown.columns) == [
        "start",
        "end",
        "average annual growth",
        "reference growth",
        "difference (pp)",
    ]
    assert " ".join(ref.summary().to_text().split()).count("+2.0 pp") == 1
    assert "difference: average annual growth - reference growth, in percentage points." in (
        ref.summary().notes
    )
    # a table where one indicator has a reference keeps the columns, '—' for the other
    table = growth_table(
        _two(), indicator_col="ind", start_year=2016, end_year=2018, reference={"a": 0.08}
    )
    assert "reference growth" in table.summary().frame.columns
    assert (
        "reference growth"
        not in growth_table(_two(), indicator_col="ind", start_year=2016, end_year=2018)
        .summary()
        .frame.columns
    )


def test_a_year_without_a_row_in_a_table_with_a_suppressed_column_is_still_told():
    # the suppressed hint reads the row of an empty cell; a year with no row has none
    data = _two().assign(suppressed="False")
    with pytest.raises(DataError) as err:
        growth_table(data, indicator_col="ind", start_year=2015, end_year=2018)
    assert err.value.problems == [
        "indicator 'a': no value for year 2015 in data (column 'value'); its first year "
        "with a value is 2016"
    ]


def test_a_suppressed_end_value_below_a_title_line_names_its_own_row():
    # rows are numbered below the title line the reader left out (first_row 3): the
    # suppressed flag of the right row is read, not the one below it
    data = pd.DataFrame(
        {
            "year": [2016, 2017, 2018],
            "value": [10, 12, ""],
            "suppressed": ["False", "False", "True"],
        }
    )
    data.attrs["title_lines"] = 1
    with pytest.raises(DataError, match=r"row 5 was suppressed by ihms indicators"):
        growth_table(data, source="ind.csv")
