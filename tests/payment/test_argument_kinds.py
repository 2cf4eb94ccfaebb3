"""Arguments of the wrong kind, as a notebook user passes them (a path or a DataFrame for
a table, ``"2018"`` for a year), are refused naming the parameter and how to make the
right one (a user walk, session 32: an ``AttributeError: 'str' object has no attribute
'for_year'``, and "no spending data for 2018 (years present: …, 2018, …)")."""

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.payment import PopulationTable, SpendingTable, load_rules, settlement_inputs
from ihms.payment.inputs import year_budget

SPENDING = "examples/payment/spending.csv"
POPULATION = "examples/payment/population.csv"


@pytest.fixture(scope="module")
def tables():
    return SpendingTable.read(SPENDING), PopulationTable.read(POPULATION)


def test_a_path_or_a_frame_for_a_table_is_named_with_how_to_read_it(tables):
    rules = load_rules("sanming")
    sp, po = tables
    with pytest.raises(InputError, match=r"parameter 'spending': expected a SpendingTable "
                       r"\(SpendingTable.read\(path\) or SpendingTable.from_frame\(df\)\), "
                       r"got str 'examples/payment/spending.csv'"):  # fmt: skip
        settlement_inputs(rules, 2018, spending=SPENDING, population=po,
                          assume_assessment_passed=True)  # fmt: skip
    with pytest.raises(InputError, match="parameter 'population': expected a PopulationTable"):
        settlement_inputs(rules, 2018, spending=sp, population=pd.read_csv(POPULATION),
                          assume_assessment_passed=True)  # fmt: skip
    with pytest.raises(InputError, match=r"parameter 'rules': expected PaymentRules"):
        settlement_inputs("sanming", 2018, spending=sp, population=po)
    with pytest.raises(InputError, match="parameter 'population': expected a PopulationTable"):
        year_budget(rules, 2018, population=POPULATION)
    with pytest.raises(InputError, match=r"got DataFrame \(a DataFrame: SpendingTable.from_frame"):
        SpendingTable.read(pd.read_csv(SPENDING))


def test_a_year_written_as_text_is_refused_as_the_simulators_seed_is(tables):
    sp, po = tables
    said = r"parameter 'year': expected a whole number, got str '2018' \(write 2018, without"
    with pytest.raises(InputError, match=said):
        settlement_inputs(load_rules("sanming"), "2018", spending=sp, population=po,
                          assume_assessment_passed=True)  # fmt: skip
    with pytest.raises(InputError, match=said):
        sp.for_year("2018")
    with pytest.raises(InputError, match=said):
        po.for_year("2018")
    record = settlement_inputs(load_rules("sanming"), 2018, spending=sp, population=po,
                               assume_assessment_passed=True)  # fmt: skip
    assert record.year == 2018
