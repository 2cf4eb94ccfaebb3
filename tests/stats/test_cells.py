"""Cells as spreadsheets write them, read the same way by every statistical reader."""

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ihms.stats._cells as cells
from ihms._months import month_of
from ihms.errors import DataError
from ihms.stats._cells import blank_rows, read_value
from ihms.stats._codings import read_codings
from ihms.stats._growth_periods import period_key
from ihms.stats._its_design import build_design
from ihms.stats.growth import growth_table
from ihms.stats.growth_yoy import growth_series


def test_doctests():
    assert doctest.testmod(cells).failed == 0


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-1e6, max_value=1e6, places=2, allow_nan=False))
def test_a_number_reads_the_same_full_width_with_separators_or_percent(number):
    text = f"{number:f}"
    assert read_value(_fullwidth(text)) == (float(text), False, False)
    assert read_value(f"{number:,f}") == (float(text), False, False)
    assert read_value(text + "%") == (float(text), True, False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", " ", None, "x", "1"]), min_size=3, max_size=3)))
def test_blank_rows_are_exactly_the_rows_without_a_filled_cell(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    expected = [all(c is None or c.strip() == "" for c in row) for row in rows]
    assert blank_rows(frame).tolist() == expected


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("2022/1/1", (2022, 1)),
        ("2022-01-01", (2022, 1)),
        ("2022年1月", (2022, 1)),
        ("2022年1月5日", (2022, 1)),
        ("２０２２年１月", (2022, 1)),
        ("2022年1", (2022, 1)),  # growth tables read this before months were shared
        ("2022.11", (2022, 11)),
        ("2022-03月", (2022, 3)),
        ("Mar 2022", (2022, 3)),
        (pd.Timestamp("2022-03-15"), (2022, 3)),
        ("2022-13", None),
        ("2022", None),
        ("2022Q1", None),
    ],
)
def test_growth_and_its_read_the_same_months(cell, month):
    assert month_of(cell) == month
    expected_key = None if month is None else 12 * month[0] + month[1] - 1
    assert period_key(cell, "month") == expected_key


@pytest.mark.parametrize(
    "cell",
    ["2017-10-40", "2017-10-99", "2017/10/1234", "2017-10-0", "2017-10-01x", "2017年10月32日"],
)
def test_a_day_that_is_no_day_is_no_month(cell):
    # review B item 10: the day part was read as ``.*``, so these read as 2017-10
    assert month_of(cell) is None


@pytest.mark.parametrize(
    "cell", ["2017-10-31", "2017/10/1", "2017-10-01 00:00:00", "2017-10-01T08:30", "2017年10月1日"]
)
def test_a_date_within_the_month_still_names_it(cell):
    assert month_of(cell) == (2017, 10)


def test_a_wholly_empty_row_is_skipped_and_later_rows_keep_their_numbers():
    years = [str(2000 + i) for i in range(10)]
    data = pd.DataFrame({"year": [*years[:5], "", *years[5:]], "y": ["1"] * 11})
    data.loc[5, "y"] = ""  # file row 7 is wholly empty
    data.loc[8, "y"] = "bad"  # file row 10: the blank row still counts
    with pytest.raises(DataError) as err:
        build_design(data, outcome="y", time="year", interruptions=[2005], source="s.csv")
    assert err.value.problems == ["column 'y' of s.csv row 10: expected a number, got 'bad'"]
    data.loc[8, "y"] = "1"
    data["y"] = [str(v) for v in [1, 2, 3, 4, 5, "", 9, 8, 7, 6, 5]]
    design = build_design(data, outcome="y", time="year", interruptions=[2005], source="s.csv")
    assert design.n == 10
    assert design.y.tolist() == [1, 2, 3, 4, 5, 9, 8, 7, 6, 5]


def test_growth_and_codings_skip_wholly_empty_rows_but_not_partly_empty_ones():
    table = pd.DataFrame({"year": ["2016", "2018", None], "value": ["100", "121", None]})
    assert growth_table(table).frame["growth_rate"].tolist() == pytest.approx([0.1])  # √1.21−1
    assert len(growth_series(table, frequency="year").frame) == 2
    with pytest.raises(DataError, match="row 2"):  # a DataFrame's row: its index label
        growth_table(pd.DataFrame({"year": ["2016", "2018", None], "value": ["1", "2", "3"]}))
    codings = pd.DataFrame(
        {"unit": ["1", "1", "", "2", "2"], "coder": ["a", "b", "", "a", "b"], "code": list("xx yy")}
    )
    codings.loc[2, "code"] = ""
    dims, coders = read_codings(
        codings, unit="unit", coder="coder", code="code", dimension=None,
        multi_label=False, separator=";", source="c.csv",
    )  # fmt: skip
    assert coders == ("a", "b") and dims[0].wide.shape == (2, 2)


def test_many_bad_periods_of_a_growth_table_are_one_message():
    data = pd.DataFrame({"month": [f"M{i}" for i in range(8)], "value": ["1"] * 8})
    with pytest.raises(DataError) as err:
        growth_series(data, frequency="month", source="g.csv")
    assert err.value.problems == [
        "column 'month' of g.csv: expected a month such as 2019-03, 2019年3月 or a date "
        "within it (2019/3/1) in 8 rows (rows 2, 3, 4, 5, 6 and 3 more), got 'M0', 'M1', "
        "'M2' and 5 more"
    ]
    assert np.isfinite(read_value("１，２３４．５")[0])


#: Cells NFKC would read as another number: a superscript (10² as 102), a subscript, a
#: circled digit (① as 1), a vulgar fraction (½ as 1⁄2, then 12 if the slash went), and
#: ``float``'s own extras (underscores, another script's digits).
NOT_NUMBERS = ["10²", "₂", "①", "½", "1_000", "٣"]


@pytest.mark.parametrize("cell", NOT_NUMBERS)
def test_only_width_is_folded_so_look_alike_digits_are_not_numbers(cell):
    assert read_value(cell) == (None, False, True)


@pytest.mark.parametrize(
    ("cell", "read"),
    [("２０１７", (2017.0, False, False)), ("１２．５％", (12.5, True, False)),
     ("１，２３４", (1234.0, False, False)), ("\u3000１２\u00a0", (12.0, False, False))],
)  # fmt: skip
def test_full_width_numbers_still_read(cell, read):
    assert read_value(cell) == read


def _its_years(values: list[str], years: list[str] | None = None) -> pd.DataFrame:
    years = years or [str(2010 + i) for i in range(len(values))]
    return pd.DataFrame({"year": years, "y": values})


def test_its_refuses_look_alike_digits_naming_file_row_and_column():
    values = ["1", "１，２３４", "10²", "①", "½", "１２．５", "3", "4"]
    with pytest.raises(DataError) as err:
        build_design(_its_years(values), outcome="y", time="year", interruptions=[2014],
                     source="s.csv")  # fmt: skip
    assert err.value.problems == [
        "column 'y' of s.csv row 4: expected a number, got '10²'",
        "column 'y' of s.csv row 5: expected a number, got '①'",
        "column 'y' of s.csv row 6: expected a number, got '½'",
    ]
    years = ["２０１０", *(str(y) for y in range(2011, 2017)), "201⁷"]
    with pytest.raises(DataError) as err:
        build_design(_its_years(["1"] * 8, years), outcome="y", time="year",
                     interruptions=[2014], source="s.csv")  # fmt: skip
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith("column 'year' of s.csv row 9: expected")
    assert err.value.problems[0].endswith("got '201⁷'")


def test_its_reads_full_width_numbers_and_years():
    values = ["1", "１，２３４", "2", "3", "１２．５", "5", "6", "7"]
    years = ["２０１０", *(str(y) for y in range(2011, 2018))]
    design = build_design(_its_years(values, years), outcome="y", time="year",
                          interruptions=["２０１４"], source="s.csv")  # fmt: skip
    assert design.y.tolist() == [1, 1234, 2, 3, 12.5, 5, 6, 7]


def test_growth_refuses_look_alike_digits_and_reads_full_width_ones():
    table = pd.DataFrame(
        {"year": ["２０１６", "2017", "2018", "2019", "2020", "2021"],
         "value": ["１，２３４", "10²", "①", "½", "１２．５", "２０１７"]}
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        growth_series(table, frequency="year", source="g.csv")
    assert err.value.problems == [
        f"column 'value' of g.csv row {row} (indicator 'value', year {year}): expected a "
        f"number, got {cell!r}"
        for row, year, cell in [(3, 2017, "10²"), (4, 2018, "①"), (5, 2019, "½")]
    ]
    table.loc[1:3, "value"] = ["1,300", "1,400", "1,500"]
    series = growth_series(table, frequency="year", source="g.csv").frame
    assert series["value"].tolist()[:1] == [1234]
    assert period_key("２０１７", "year") == 2017
    assert period_key("201⁷", "year") is None


@pytest.mark.parametrize(
    "cell", ["1,2,3", "12,5", "1,23", "1234,567", ",5", "1,234,5", "0,123", "-0,500", "00,123"]
)
def test_commas_out_of_thousands_groups_are_bad_not_dropped(cell):
    # a list pasted into one cell, or a European decimal comma, is not a number: with the
    # commas simply removed "1,2,3" read as 123 and "12,5" as 125
    assert read_value(cell) == (None, False, True)


@pytest.mark.parametrize(("cell", "number"), [("1,234", 1234.0), ("-12,345,678.25", -12345678.25)])
def test_thousands_groups_still_read(cell, number):
    assert read_value(cell) == (number, False, False)
    assert read_value(cell + "%") == (number, True, False)


def test_a_rate_written_partly_with_a_percent_sign_is_refused_not_read_as_two_scales():
    # 12.5% is read as 12.5; 0.131 beside it is Excel's unformatted 13.1% (or 0.131%):
    # read as it stood, the year-on-year change was -12.4 pp
    from ihms.stats import growth_series

    data = pd.DataFrame(
        {
            "year": ["2016", "2017", "2018"],
            "indicator": ["rate"] * 3,
            "value": ["12.5%", "0.131", "13.8%"],
        }
    )
    with pytest.raises(DataError) as exc:
        growth_series(data, indicator_col="indicator", source="rates.csv")
    (problem,) = exc.value.problems
    assert problem.startswith("column 'value' of rates.csv (indicator 'rate'): 2 values")
    assert "(rows 2, 4)" in problem and "(row 3: '0.131')" in problem


def test_an_its_outcome_written_partly_with_a_percent_sign_is_refused():
    from ihms.stats import ITSModel

    cells = [f"{10 + m}%" for m in range(12)] + [f"0.{20 + m}" for m in range(12)]
    data = pd.DataFrame({"t": range(1, 25), "y": cells})
    with pytest.raises(DataError) as exc:
        ITSModel(data, outcome="y", time="t", interruptions=13, source="share.csv").fit()
    assert any(
        p.startswith("column 'y' of share.csv: 12 values are written with a % sign")
        for p in exc.value.problems
    )


def test_a_column_all_in_percent_or_all_plain_is_read():
    from ihms.stats import growth_series

    for written in (["12.5%", "13.1%"], ["0.125", "0.131"]):
        data = pd.DataFrame({"year": ["2016", "2017"], "value": written})
        assert len(growth_series(data, rates=True).frame) == 2


def test_one_rule_for_thousands_separators():
    from ihms.stats._cells import ungrouped

    # groups of three from the decimal point, as Excel's #,##0 format writes them
    assert [ungrouped(t) for t in ("1,234", "1,234,567.50", "-12,345")] == [
        "1234",
        "1234567.50",
        "-12345",
    ]
    # a decimal comma, a list or a typo cannot be told apart: left for the reader to refuse
    assert [ungrouped(t) for t in ("1,23", "12,5", "0,123", "1,2,3", "1234,567", ",123")] == [
        None
    ] * 6


def test_missing_value_markers_are_one_list():
    from ihms.stats._cells import marked_missing, missing_marker

    assert all(
        map(missing_marker, ["NA", "n/a", "#N/A", "NULL", "NaN", "None", "<NA>", ".", " ＮＡ "])
    )
    assert not any(map(missing_marker, ["", "0", "-", "无", "NAN1", "none of them", None, 1.0]))
    frame, found = marked_missing(pd.DataFrame({"v": ["1", "NA", "", "#N/A"], "n": [1, 2, 3, 4]}))
    assert frame["v"].isna().tolist() == [False, True, True, True]
    assert found == {"v": [(3, "NA"), (5, "#N/A")]}  # rows as the file numbers them


def test_excel_day_serials():
    from ihms.stats._date_counts import excel_day

    # Excel's serial 1 is 1900-01-01 and it counts 1900-02-29, so n is 1899-12-30 + n
    # days: 43101 is 2018-01-01 and 39448 is 2008-01-01 (Microsoft's DATEVALUE examples)
    assert excel_day("43101") == pd.Timestamp("2018-01-01")
    assert excel_day(39448) == excel_day(39448.0) == pd.Timestamp("2008-01-01")
    assert [excel_day(v) for v in ("2018", "201801", "43101.5", True, None)] == [None] * 5


def test_spss_seconds():
    from ihms.stats._date_counts import spss_seconds

    # SPSS stores a date as seconds from 1582-10-14 00:00 (IBM SPSS Statistics, "Date
    # and time functions"); 1970-01-01 is 141,428 days later (12,219,379,200 s, the
    # offset R's haven and pyreadstat subtract), so 2016-03-01, 16,496 days after
    # 1970-01-01, is (141,428 + 16,496) × 86,400 = 13,676,169,600
    assert spss_seconds("13676169600") == pd.Timestamp("2016-03-01")
    assert spss_seconds(13_676_169_600.0) == pd.Timestamp("2016-03-01")
    # a date-time keeps its time: 08:30 is 30,600 s into the day
    assert spss_seconds("13676200200") == pd.Timestamp("2016-03-01 08:30")
    # 1970-01-01 to 2099-12-31 only: a year, an Excel serial or a Stata day is no date
    assert spss_seconds("12219379200") == pd.Timestamp("1970-01-01")
    outside = ("12219379199", "16321824000", "2016", "45292", "20514", "1.5e10", True, None)
    assert [spss_seconds(v) for v in outside] == [None] * len(outside)
