"""An institution under two settings in one year is refused (payment review 2026-11-25,
finding 3): a member's row mislabelled ``private`` or ``outside_county`` left the
consortium's spending, was paid from the reserve past its end, and changed the balance
(3,922,949.33 yuan instead of 4,922,949.33 for the example county's 2018) without a word.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import MonthlySpendingTable, SpendingTable


def _yearly(settings, years=(2018, 2018, 2018)):
    return pd.DataFrame(
        {
            "year": list(years),
            "setting": list(settings),
            "institution_id": ["CH01", "THC02", "CH01"],
            "insurance_paid_fen": ["1000", "500", "300"],
        }
    )


@pytest.mark.parametrize("other", ["private", "outside_county", "民营医院"])
def test_a_member_under_another_setting_the_same_year_is_refused(other):
    with pytest.raises(DataError) as info:
        SpendingTable.from_frame(_yearly(["consortium", "consortium", other]), source="sp.csv")
    (problem,) = info.value.problems
    assert problem.startswith("column 'setting' of sp.csv row 4: institution 'CH01' is under ")
    assert "but under consortium on row 2 in 2018; expected one setting for an institution" in (
        problem
    )


def test_another_setting_in_another_year_is_a_change_of_status():
    year = SpendingTable.from_frame(
        _yearly(["consortium", "consortium", "private"], years=(2017, 2018, 2018))
    )
    assert year.for_year(2017).consortium == {"CH01": 1000}
    assert year.for_year(2018).private == 300


def test_the_monthly_table_refuses_it_within_a_year_too():
    frame = pd.DataFrame(
        {
            "month": ["2018-01", "2018-02", "2019-01"],
            "setting": ["consortium", "outside_county", "private"],
            "institution_id": ["CH01", "CH01", "CH01"],
            "insurance_paid_fen": ["1000", "500", "300"],
        }
    )
    with pytest.raises(DataError) as info:
        MonthlySpendingTable.from_frame(frame, source="m.csv")
    (problem,) = info.value.problems  # 2019's row is another year's
    assert "m.csv row 3: institution 'CH01' is under outside_county here but under " in problem
    assert "consortium on row 2 in 2018" in problem
