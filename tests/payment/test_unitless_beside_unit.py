"""An amount given twice, once without its unit (``out_of_pocket``) and once with it
(``out_of_pocket_fen`` or ``_yuan``), is refused naming both columns, as a table giving
both ``x_fen`` and ``x_yuan`` is: which one is right cannot be told. (``ihms data
import`` refuses a unitless amount column whatever else the file gives.)"""

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import SpendingTable, StaffRoster, spending_from_encounters


def _both(unitless: str, given: str) -> str:
    return (
        f"columns '{unitless}' and '{given}' both give the same amount, '{unitless}' without "
        f"its unit; keep one, with its unit ('{unitless}_fen' in whole fen or "
        f"'{unitless}_yuan' in yuan)"
    )


def _spending(**money: list) -> pd.DataFrame:
    return pd.DataFrame(
        {"year": ["2018"], "setting": ["consortium"], "institution_id": ["THC01"], **money}
    )


def _problems(read, frame, source):
    with pytest.raises(DataError) as err:
        read(frame, source=source)
    return err.value.problems


@pytest.mark.parametrize("unit", ["fen", "yuan"])
def test_a_spending_amount_given_with_and_without_its_unit_is_refused(unit):
    # was read from out_of_pocket_fen alone, out_of_pocket (in yuan, or in fen, or
    # another figure) ignored without a word
    frame = _spending(
        insurance_paid_fen=["1000"], out_of_pocket=["5.00"], **{f"out_of_pocket_{unit}": ["500"]}
    )
    assert _problems(SpendingTable.from_frame, frame, "sp.csv") == [
        f"sp.csv: {_both('out_of_pocket', f'out_of_pocket_{unit}')}"
    ]


def test_a_required_amount_given_with_and_without_its_unit_is_refused():
    roster = pd.DataFrame(
        {
            "staff_id": ["D1"],
            "role": ["director"],
            "institution_id": ["CH01"],
            "base_salary": ["120000"],
            "base_salary_fen": ["12000000"],
        }
    )
    assert _problems(StaffRoster.from_frame, roster, "staff.csv") == [
        f"staff.csv: {_both('base_salary', 'base_salary_fen')}"
    ]


def test_the_encounter_adapter_refuses_an_amount_with_and_without_its_unit():
    encounters = pd.DataFrame(
        {
            "institution_id": ["THC01"],
            "date": ["2018-02-11"],
            "insurance_paid_fen": [6_000],
            "out_of_pocket_fen": [2_000],
            "out_of_pocket": ["20.00"],
        }
    )
    institutions = {"THC01": "consortium"}
    assert _problems(
        lambda f, source: spending_from_encounters(f, institutions, source=source),
        encounters,
        "enc.csv",
    ) == [f"enc.csv: {_both('out_of_pocket', 'out_of_pocket_fen')}"]
