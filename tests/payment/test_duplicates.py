"""One duplicate check for every payment table (``Collector.duplicates``): each repeat
is reported at its own row with the file, the key and the rows of every occurrence, all
at once — a key three times is named with all three rows, not only the first pair."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import IndicatorValues, PopulationTable, SpendingTable, StaffRoster
from ihms.payment._collector import Collector
from ihms.payment.adapters import spending_from_encounters


def _problems(reader, frame: pd.DataFrame, source: str) -> list[str]:
    with pytest.raises(DataError) as err:
        reader(frame, source=source)
    return err.value.problems


def test_a_key_given_three_times_names_all_its_rows():
    # rows as a spreadsheet shows them: header row 1, data rows 2.. -> year 2018 is on
    # rows 2, 4 and 5; 2019 on rows 3 and 6
    frame = pd.DataFrame(
        {"year": [2018, 2019, 2018, 2018, 2019], "insured_population": [1, 2, 3, 4, 5]}
    )
    assert _problems(PopulationTable.from_frame, frame, "pop.csv") == [
        "column 'year' of pop.csv row 4: year 2018 appears 3 times (rows 2, 4 and 5)",
        "column 'year' of pop.csv row 5: year 2018 appears 3 times (rows 2, 4 and 5)",
        "column 'year' of pop.csv row 6: year 2019 appears twice (first on row 3)",
    ]


def test_every_reader_reports_every_duplicate_with_file_rows_and_key():
    staff = pd.DataFrame(
        {
            "staff_id": ["A", "B", "A", "B"],
            "role": ["doctor"] * 4,
            "institution_id": ["X"] * 4,
            "base_salary_fen": [100] * 4,
        }
    )
    assert _problems(StaffRoster.from_frame, staff, "staff.csv") == [
        "column 'staff_id' of staff.csv row 4: 'A' appears twice (first on row 2)",
        "column 'staff_id' of staff.csv row 5: 'B' appears twice (first on row 3)",
    ]
    values = pd.DataFrame(
        {
            "year": [2018, 2018, 2018, 2019],
            "subject": ["consortium", "D1", "consortium", "consortium"],
            "indicator": ["hypertension_control_rate"] * 4,
            "value": ["0.5", "0.6", "0.7", "0.8"],
        }
    )
    assert _problems(IndicatorValues.from_frame, values, "ind.csv") == [
        "column 'indicator' of ind.csv row 4: 'hypertension_control_rate' for "
        "'consortium' in 2018 appears twice (first on row 2); give one value per year, "
        "subject and indicator"
    ]
    spending = pd.DataFrame(
        {
            "year": [2018] * 4,
            "setting": ["consortium", "outside_county", "consortium", "outside_county"],
            "institution_id": ["CH01", "", "CH01", ""],
            "insurance_paid_fen": [1, 2, 3, 4],
        }
    )
    assert _problems(SpendingTable.from_frame, spending, "sp.csv") == [
        "column 'institution_id' of sp.csv row 4: consortium CH01 in 2018 appears twice "
        "(first on row 2); give one row per year, setting and institution",
        "column 'institution_id' of sp.csv row 5: outside_county (no id) in 2018 appears "
        "twice (first on row 3); give one row per year, setting and institution",
    ]


def test_the_encounter_adapter_uses_the_same_check():
    encounters = pd.DataFrame(
        {
            "resident_id": ["r1"],
            "institution_id": ["CH01"],
            "date": ["2018-03-01"],
            "type": ["outpatient"],
            "total_cost_fen": [100],
            "insurance_paid_fen": [60],
            "out_of_pocket_fen": [40],
        }
    )
    institutions = pd.DataFrame(
        {"institution_id": ["CH01", "CH01"], "setting": ["consortium", "consortium"]}
    )
    with pytest.raises(DataError) as err:
        spending_from_encounters(encounters, institutions)
    assert (
        "column 'institution_id' of institutions row 3: institution 'CH01' appears twice "
        "(first on row 2)" in err.value.problems
    )


def test_rows_whose_key_did_not_parse_are_not_duplicates():
    c = Collector("t.csv")
    assert c.duplicates([None, None, "a"], column="k", describe=str) == set()
    assert c.problems == []
