"""A consortium row of a spending table, yearly or monthly, must name its member
institution — one check (``spending.member_named``) for both tables, called row by row, so
a yearly table's problems stay in its rows' order: each row's missing institution, then
its other problems, before the next row's."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import MonthlySpendingTable, SpendingTable

NO_ID = "expected the member institution's id for a consortium row"


def test_a_yearly_tables_problems_in_row_order():
    frame = pd.DataFrame(
        {
            "year": [2018, 2018, 2019],
            "setting": ["consortium", "private", "consortium"],
            "institution_id": ["", "PRIV01", ""],
            "insurance_paid_fen": [1000, 500, 700],
            "total_cost_fen": [900, 800, 900],
            "primary_care": ["false", "true", "false"],
        }
    )
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="sp.csv")
    assert err.value.problems == [
        f"column 'institution_id' of sp.csv row 2: {NO_ID}",
        "column 'insurance_paid_fen' of sp.csv row 2: insurance paid 1000 fen exceeds total "
        "cost 900 fen",
        "column 'primary_care' of sp.csv row 3: only consortium rows can be primary care",
        f"column 'institution_id' of sp.csv row 4: {NO_ID}",
    ]


def test_a_monthly_table_names_each_consortium_row_without_its_institution():
    frame = pd.DataFrame(
        {
            "month": ["2018-01", "2018-01", "2018-02"],
            "setting": ["consortium", "outside_county", "医共体"],
            "institution_id": ["", "", None],
            "insurance_paid_fen": [1000, 500, 700],
        }
    )
    with pytest.raises(DataError) as err:
        MonthlySpendingTable.from_frame(frame, source="monthly.csv")
    # the outside-county row needs no institution; the 医共体 row is a consortium row
    assert err.value.problems == [
        f"column 'institution_id' of monthly.csv row 2: {NO_ID}",
        f"column 'institution_id' of monthly.csv row 4: {NO_ID}",
    ]
