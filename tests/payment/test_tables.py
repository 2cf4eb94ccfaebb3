from decimal import Decimal

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.payment import (
    CountyYear,
    IndicatorValues,
    PopulationTable,
    SpendingTable,
    StaffRoster,
)


def _spending(**overrides):
    base = {
        "year": [2018, 2018, 2018, 2018],
        "setting": ["consortium", "consortium", "outside_county", "private"],
        "institution_id": ["CH01", "THC01", "OUT", ""],
        "insurance_paid_fen": [1000, 500, 300, 200],
        "primary_care": ["false", "true", "false", "false"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_spending_for_year_sums_by_setting():
    table = SpendingTable.from_frame(_spending())
    y = table.for_year(2018)
    assert dict(y.consortium) == {"CH01": 1000, "THC01": 500}
    assert (y.outside_county, y.private, y.primary_care) == (300, 200, 500)
    assert y.consortium_total == 1500


def test_spending_validation_collects_every_problem():
    frame = _spending(
        year=[2018, "20x8", 2018, 2018],
        setting=["consortium", "consortium", "abroad", "private"],
        institution_id=["", "THC01", "OUT", ""],
        insurance_paid_fen=[1000, -5, "12.5", 200],
    )
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="spending.csv")
    problems = err.value.problems
    joined = "\n".join(problems)
    assert "column 'year' of spending.csv row 3" in joined
    assert "column 'setting' of spending.csv row 4" in joined and "'abroad'" in joined
    assert "column 'insurance_paid_fen' of spending.csv row 3" in joined and "-5" in joined
    assert "column 'insurance_paid_fen' of spending.csv row 4" in joined and "12.5" in joined
    assert "column 'institution_id' of spending.csv row 2" in joined
    assert len(problems) == 5


def test_spending_missing_columns_and_paid_above_total():
    with pytest.raises(DataError, match=r"missing required column\(s\) insurance_paid_fen"):
        SpendingTable.from_frame(pd.DataFrame({"year": [2018], "setting": ["private"]}))
    frame = _spending(total_cost_fen=[900, 500, 300, 200])
    with pytest.raises(DataError, match="insurance paid 1000 fen exceeds total cost 900 fen"):
        SpendingTable.from_frame(frame)


def test_year_without_spending_data_is_an_error():
    table = SpendingTable.from_frame(_spending(), source="spending.csv")
    with pytest.raises(
        InputError, match=r"spending.csv: no spending data for 2019 \(years present: 2018\)"
    ):
        table.for_year(2019)


def test_caller_frame_not_modified():
    frame = _spending()
    before = frame.copy()
    SpendingTable.from_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_read_csv_and_parquet(tmp_path, example_dir):
    table = SpendingTable.read(example_dir / "spending.csv")
    assert table.years == [2016, 2017, 2018, 2019]
    pq = tmp_path / "spending.parquet"
    table.to_frame().to_parquet(pq)
    again = SpendingTable.read(pq)
    assert again.for_year(2018) == table.for_year(2018)
    with pytest.raises(InputError, match="file not found"):
        SpendingTable.read(tmp_path / "nope.csv")
    # .xlsx, .dta and .sav are read too (tests/payment/test_table_files.py)
    with pytest.raises(InputError, match=r"expected a \.csv, \.xlsx, \.dta, \.sav or \.parquet"):
        (tmp_path / "x.xls").write_text("x")
        SpendingTable.read(tmp_path / "x.xls")
    with pytest.raises(InputError, match=r"text, not an Excel workbook \(a CSV file renamed"):
        (tmp_path / "x.xlsx").write_text("x")
        SpendingTable.read(tmp_path / "x.xlsx")


def test_population_table_rules():
    ok = PopulationTable.from_frame(
        pd.DataFrame({"year": [2018], "insured_population": [100], "quality_score": ["0.7"]})
    )
    assert ok.for_year(2018).insured_population == 100
    with pytest.raises(InputError, match="no population for 2019"):
        ok.for_year(2019)
    bad = pd.DataFrame(
        {"year": [2018, 2018], "insured_population": [-1, 5], "quality_score": ["1.5", ""]}
    )
    with pytest.raises(DataError) as err:
        PopulationTable.from_frame(bad, source="pop.csv")
    joined = "\n".join(err.value.problems)
    assert "insured_population' of pop.csv row 2" in joined
    assert "year 2018 appears twice" in joined
    assert "quality_score' of pop.csv row 2" in joined


def test_more_registered_than_insured_is_refused():
    # the family-physician count is of insured residents (population_from_store's
    # definition), so it cannot exceed the insured population
    frame = pd.DataFrame(
        {
            "year": [2018, 2019],
            "insured_population": [100, 100],
            "family_physician_registered": [60, 120],
        }
    )
    with pytest.raises(
        DataError, match=r"family_physician_registered' of pop\.csv row 3: expected at most"
    ):
        PopulationTable.from_frame(frame, source="pop.csv")
    with pytest.raises(InputError, match="exceeds insured_population"):
        CountyYear(2019, 100, family_physician_registered=120)


def test_indicator_values_and_duplicates():
    frame = pd.DataFrame(
        {
            "year": [2018, 2018],
            "subject": ["consortium", "consortium"],
            "indicator": ["a", "b"],
            "value": ["0.5", "12%"],
        }
    )
    values = IndicatorValues.from_frame(frame)
    assert dict(values.for_subject(2018, "consortium")) == {
        "a": Decimal("0.5"),
        "b": Decimal("0.12"),
    }
    dup = pd.concat([frame, frame.iloc[:1]])
    # the four readers now share one duplicate check: "given twice" became "appears
    # twice", as the other tables say, with the column, the row and how to fix it
    with pytest.raises(DataError) as err:
        IndicatorValues.from_frame(dup, source="ind.csv")
    assert err.value.problems == [
        "column 'indicator' of ind.csv row 4: 'a' for 'consortium' in 2018 appears twice "
        "(first on row 2); give one value per year, subject and indicator"
    ]


def test_staff_roster_validation():
    frame = pd.DataFrame(
        {
            "staff_id": ["A", "A"],
            "role": ["doctor", ""],
            "institution_id": ["X", "Y"],
            "base_salary_fen": [100, "abc"],
        }
    )
    with pytest.raises(DataError) as err:
        StaffRoster.from_frame(frame, source="staff.csv")
    joined = "\n".join(err.value.problems)
    assert "'A' appears twice" in joined and "role' of staff.csv row 3" in joined
    assert "base_salary_fen' of staff.csv row 3" in joined


def test_rates_are_bounded_and_counts_are_not():
    frame = pd.DataFrame(
        {
            "year": [2018] * 5,
            "subject": ["consortium", "consortium", "consortium", "D1", "D1"],
            "indicator": [
                "hypertension_control_rate",
                "outpatient_contacts_primary_share",
                "fund_balance_rate",
                "health_education_sessions",
                "thc_consultation_days",
            ],
            "value": ["78.4%", "0.6", "-0.25", "30", "12"],
        }
    )
    values = IndicatorValues.from_frame(frame)
    # 78.4% = 0.784; an overspend of a quarter of the budget is a fund balance rate of -25%
    assert values.for_subject(2018, "consortium")["hypertension_control_rate"] == Decimal("0.784")
    assert values.for_subject(2018, "consortium")["fund_balance_rate"] == Decimal("-0.25")
    assert values.for_subject(2018, "D1")["health_education_sessions"] == 30
    bad = frame.assign(value=["78.4", "-0.1", "1.5", "30", "12"])
    with pytest.raises(DataError) as err:
        IndicatorValues.from_frame(bad, source="ind.csv")
    problems = err.value.problems
    assert len(problems) == 3
    assert "row 2" in problems[0] and "write 78.4%" in problems[0]
    assert "row 3" in problems[1] and "between 0 and 1" in problems[1]
    assert "row 4" in problems[2] and "at most 1" in problems[2]


def test_duplicate_spending_rows_name_both_rows():
    frame = _spending(
        year=[2018] * 5,
        setting=["consortium", "consortium", "outside_county", "private", "consortium"],
        institution_id=["CH01", "THC01", "OUT", "", "CH01"],
        insurance_paid_fen=[1000, 500, 300, 200, 1000],
        primary_care=["false", "true", "false", "false", "false"],
    )
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="spending.csv")
    assert err.value.problems == [
        "column 'institution_id' of spending.csv row 6: consortium CH01 in 2018 appears twice "
        "(first on row 2); give one row per year, setting and institution"
    ]


@pytest.mark.parametrize("cell", ["347520.0", "3.4752e5", "347,520", "1 000"])
def test_counts_and_fen_are_digits(cell):
    # a count takes thousands separators in groups of three (session 19, F3): 347,520
    # is read (tests/payment/test_tables_thousands.py), a fen column never takes them
    if cell != "347,520":
        with pytest.raises(DataError, match="expected a whole number > 0"):
            frame = pd.DataFrame({"year": ["2018"], "insured_population": [cell]})
            PopulationTable.from_frame(frame)
    with pytest.raises(DataError, match="1 yuan = 100 fen"):
        SpendingTable.from_frame(_spending(insurance_paid_fen=[cell, 500, 300, 200]))
    # a Parquet float column holding whole numbers is read, as ihms data check reads it
    table = PopulationTable.from_frame(pd.DataFrame({"year": [2018], "insured_population": [5.0]}))
    assert table.for_year(2018).insured_population == 5


def test_input_tables_repr_in_one_line_naming_what_they_hold():
    # before: the generated reprs printed the whole table: the example indicator values
    # ran to ~12,500 characters, the roster to ~1,500, the spending frame to ~800
    spending = SpendingTable.from_frame(_spending(), source="spending.csv")
    # _spending(): 4 rows of 2018; consortium rows CH01 and THC01
    assert repr(spending) == (
        "<SpendingTable: source='spending.csv', rows=4, years=(2018,), institutions=2>"
    )
    # CH01 1000 + THC01 500 = 1500 fen in the consortium, THC01's 500 primary care
    assert repr(spending.for_year(2018)) == (
        "<YearSpending: year=2018, institutions=2, consortium_fen=1500, "
        "outside_county_fen=300, private_fen=200, primary_care_fen=500>"
    )
    population = PopulationTable.from_frame(
        pd.DataFrame({"year": [2019, 2018], "insured_population": [110, 100]}), source="pop.csv"
    )
    assert repr(population) == "<PopulationTable: source='pop.csv', years=(2018, 2019)>"
    values = IndicatorValues.from_frame(
        pd.DataFrame(
            {
                "year": [2018, 2018, 2018, 2019, 2019, 2019],
                "subject": ["consortium", "consortium", "D1"] * 2,
                "indicator": ["a_rate", "b_rate", "health_education_sessions"] * 2,
                "value": ["0.5", "0.6", "30", "0.55", "0.65", "31"],
            }
        ),
        source="ind.csv",
    )
    # 6 values for 2 subjects (consortium, D1) over 2018-2019
    assert repr(values) == (
        "<IndicatorValues: source='ind.csv', years=(2018, 2019), subjects=2, values=6>"
    )
    roster = StaffRoster.from_frame(
        pd.DataFrame(
            {
                "staff_id": ["D1", "D2", "X1"],
                "role": ["doctor", "doctor", "director"],
                "institution_id": ["CH01"] * 3,
                "base_salary_fen": [100, 200, 300],
            }
        ),
        source="staff.csv",
    )
    assert repr(roster) == (
        "<StaffRoster: source='staff.csv', staff=3, roles=('director', 'doctor')>"
    )


def test_input_tables_repr_stays_short_for_the_example_county(example_dir):
    for table in (
        SpendingTable.read(example_dir / "spending.csv"),
        SpendingTable.read(example_dir / "spending.csv").for_year(2018),
        PopulationTable.read(example_dir / "population.csv"),
        IndicatorValues.read(example_dir / "indicators.csv"),
        StaffRoster.read(example_dir / "staff.csv"),
    ):
        text = repr(table)
        assert "\n" not in text and len(text) < 250, text


def test_chinese_headers_missing_the_tables_names_point_to_columns():
    """Review zh32 F10: a county's population table with Chinese headers is refused
    naming the headers and how to map them; English headers get no such hint."""
    frame = pd.DataFrame({"年份": [2018], "参保人数": [300_000], "常住人口": [362_000]})
    with pytest.raises(DataError) as caught:
        PopulationTable.from_frame(frame, source="人口.csv")
    said = str(caught.value)
    assert "人口.csv: missing required column(s) year" in said and "(has: 年份, 参保人数" in said
    assert said.endswith(
        "; map your headers to these names with --columns FILE.yaml, one mapping per table "
        "(e.g. population: {年份: year, 参保人数: insured_population})"
    )
    with pytest.raises(DataError) as caught:
        PopulationTable.from_frame(pd.DataFrame({"yr": [2018]}), source="pop.csv")
    assert "--columns" not in str(caught.value)
