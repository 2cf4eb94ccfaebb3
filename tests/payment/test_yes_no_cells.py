"""The payment tables' yes/no columns (a spending row's and an institution's
``primary_care``, the population table's quality flags) are read with ``ihms data
import``'s reader (``ihms.data._yes_no.coerce_bool``: 是/否, 有/无, TRUE/FALSE, 1/0, ...),
and an empty cell is refused, not read as "no"."""

import pandas as pd
import pytest

from ihms.data._yes_no import YES_NO_FORMS
from ihms.errors import DataError
from ihms.payment import PopulationTable, SpendingTable, spending_from_encounters


def _spending(primary_care):
    # a county of four rows: THC01's 500 fen is its only primary care (worked by hand)
    return pd.DataFrame(
        {
            "year": ["2018"] * 4,
            "setting": ["consortium", "consortium", "outside_county", "private"],
            "institution_id": ["CH01", "THC01", "OUT", ""],
            "insurance_paid_fen": ["1000", "500", "300", "200"],
            "primary_care": primary_care,
        }
    )


@pytest.mark.parametrize(
    "words",
    [
        ["否", "是", "否", "否"],  # a HIS export
        ["无", "有", "无", "无"],  # a register
        ["FALSE", "TRUE", "FALSE", "FALSE"],  # Excel
        ["ｎｏ", "ＹＥＳ", "n", "f"],  # full-width, as the data import reads it
    ],
)
def test_a_spending_table_reads_primary_care_in_the_data_imports_words(words):
    # was refused: "expected true or false, got '是'", though `ihms data import` reads it
    table = SpendingTable.from_frame(_spending(words), source="spending.csv")
    assert table.for_year(2018).primary_care == 500


def test_an_empty_primary_care_cell_is_refused_not_read_as_no():
    # was read as false: THC01's 500 fen of primary care came out 0, without a word
    with pytest.raises(DataError) as info:
        SpendingTable.from_frame(_spending(["否", "", "否", "否"]), source="spending.csv")
    assert info.value.problems == [
        f"column 'primary_care' of spending.csv row 3: expected {YES_NO_FORMS}, got an empty cell"
    ]


def test_a_word_that_is_no_answer_names_what_is_read():
    with pytest.raises(DataError) as info:
        SpendingTable.from_frame(_spending(["否", "是的", "否", "否"]), source="spending.csv")
    assert info.value.problems == [
        f"column 'primary_care' of spending.csv row 3: expected {YES_NO_FORMS}, got '是的'"
    ]


def test_a_spending_table_without_primary_care_has_none():
    # the column is optional: wholly absent, no row is primary care (the default kept)
    table = SpendingTable.from_frame(_spending(["否"] * 4).drop(columns="primary_care"))
    assert table.for_year(2018).primary_care == 0


def test_a_spending_table_read_from_csv_refuses_an_empty_primary_care(tmp_path):
    path = tmp_path / "spending.csv"
    path.write_text(
        "year,setting,institution_id,insurance_paid_fen,primary_care\n"
        "2018,consortium,CH01,1000,否\n"
        "2018,consortium,THC01,500,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        SpendingTable.read(path)
    assert info.value.problems == [
        f"column 'primary_care' of {path} row 3: expected {YES_NO_FORMS}, got an empty cell"
    ]


INSTITUTIONS = pd.DataFrame(
    {
        "institution_id": ["CH01", "THC01"],
        "setting": ["consortium", "consortium"],
        "primary_care": ["否", "是"],
    }
)
ENCOUNTERS = pd.DataFrame(
    {
        "institution_id": ["CH01", "THC01"],
        "date": ["2018-01-03", "2018-02-11"],
        "insurance_paid_fen": [300_000, 6_000],
    }
)


def test_the_encounter_adapter_reads_primary_care_in_the_data_imports_words():
    # was refused: "expected true or false, got '否'"
    table = spending_from_encounters(ENCOUNTERS, INSTITUTIONS)
    assert table.for_year(2018).primary_care == 6_000


@pytest.mark.parametrize("empty", ["", None, float("nan")])
def test_the_encounter_adapter_refuses_an_empty_primary_care(empty):
    # '' was read as false (THC01's 6,000 fen of primary care lost); None and NaN were
    # refused as "got None"/"got nan"
    institutions = INSTITUTIONS.astype(object)
    institutions.loc[1, "primary_care"] = empty
    with pytest.raises(DataError) as info:
        spending_from_encounters(ENCOUNTERS, institutions)
    assert info.value.problems == [
        f"column 'primary_care' of institutions row 3: expected {YES_NO_FORMS}, got an empty cell"
    ]


def test_the_population_tables_quality_flags_read_the_data_imports_words():
    frame = pd.DataFrame(
        {
            "year": ["2018", "2019", "2020"],
            "insured_population": ["1000", "1000", "1000"],
            "quality_standard_met": ["是", "否", "否"],
            # asked for only when the standard is missed: empty is "not determined"
            "alternative_quality_standard_met": ["", "有", "0"],
        }
    )
    table = PopulationTable.from_frame(frame)
    flags = [
        (y.quality_standard_met, y.alternative_quality_standard_met) for y in table.rows.values()
    ]
    assert flags == [(True, None), (False, True), (False, False)]
