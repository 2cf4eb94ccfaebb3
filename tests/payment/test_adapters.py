import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.payment import spending_from_encounters

INSTITUTIONS = pd.DataFrame(
    {
        "institution_id": ["CH01", "THC01", "FUZHOU-1", "PRIV01"],
        "setting": ["consortium", "consortium", "outside_county", "private"],
        "primary_care": [False, True, False, False],
    }
)


def _encounters():
    # Columns as the data layer's encounter table (money in fen).
    return pd.DataFrame(
        {
            "resident_id": ["r1", "r2", "r1", "r3", "r2", "r4"],
            "institution_id": ["CH01", "THC01", "FUZHOU-1", "PRIV01", "CH01", "THC01"],
            "date": [
                "2018-01-03",
                "2018-02-11",
                "2018-05-20",
                "2018-07-01",
                "2019-03-09",
                "2019-12-31",
            ],
            "encounter_type": [
                "inpatient",
                "outpatient",
                "inpatient",
                "outpatient",
                "emergency",
                "healthcare",
            ],
            "total_cost_fen": [500_000, 8_000, 2_000_000, 30_000, 40_000, 5_000],
            "insurance_paid_fen": [300_000, 6_000, 900_000, 15_000, 20_000, 4_000],
            "out_of_pocket_fen": [200_000, 2_000, 1_100_000, 15_000, 20_000, 1_000],
        }
    )


def test_spending_derived_from_encounters():
    enc = _encounters()
    before = enc.copy()
    table = spending_from_encounters(enc, INSTITUTIONS)
    pd.testing.assert_frame_equal(enc, before)
    y18 = table.for_year(2018)
    assert dict(y18.consortium) == {"CH01": 300_000, "THC01": 6_000}
    assert y18.outside_county == 900_000 and y18.private == 15_000
    assert y18.primary_care == 6_000
    y19 = table.for_year(2019)
    assert dict(y19.consortium) == {"CH01": 20_000, "THC01": 4_000}
    frame = table.to_frame()
    assert (
        frame.loc[(frame.year == 2018) & (frame.institution_id == "CH01"), "encounters"].item() == 1
    )
    assert frame["total_cost_fen"].sum() == _encounters()["total_cost_fen"].sum()


def test_mapping_of_institutions_and_renamed_columns():
    enc = _encounters().rename(columns={"insurance_paid_fen": "fund_paid", "date": "visit_date"})
    table = spending_from_encounters(
        enc,
        {
            "CH01": "consortium",
            "THC01": "consortium",
            "FUZHOU-1": "outside_county",
            "PRIV01": "private",
        },
        columns={"insurance_paid_fen": "fund_paid", "date": "visit_date"},
    )
    assert table.for_year(2018).consortium_total == 306_000


def test_every_problem_reported():
    enc = _encounters()
    enc.loc[0, "date"] = "not a date"
    enc.loc[1, "insurance_paid_fen"] = -1
    enc.loc[2, "insurance_paid_fen"] = 3_000_000  # more than total cost
    enc.loc[3, "institution_id"] = "MYSTERY"
    with pytest.raises(DataError) as err:
        spending_from_encounters(enc, INSTITUTIONS, source="encounters.parquet")
    joined = "\n".join(err.value.problems)
    assert "column 'date'" in joined and "rows [2]" in joined
    assert "column 'insurance_paid_fen': 1 row(s) not whole fen >= 0, rows [3]" in joined
    assert "pay more than the total cost, rows [4]" in joined
    assert "MYSTERY" in joined and "rows [5]" in joined


def test_missing_columns_and_bad_institution_table():
    with pytest.raises(DataError, match=r"missing required column\(s\) date"):
        spending_from_encounters(_encounters().drop(columns="date"), INSTITUTIONS)
    bad = INSTITUTIONS.assign(setting=["consortium", "clinic", "outside_county", "private"])
    with pytest.raises(
        DataError,
        match=r"row 3: expected one of consortium, outside_county, private \(医共体/.* are read "
        r"too\), got 'clinic'",
    ):
        spending_from_encounters(_encounters(), bad)


def test_a_missing_column_given_under_another_name_is_named():
    # the hints of every other table (ihms._column_hints): a date column called
    # `visit_date`, an amount without its unit
    enc = _encounters().rename(
        columns={"date": "visit_date", "insurance_paid_fen": "insurance_paid"}
    )
    with pytest.raises(DataError) as err:
        spending_from_encounters(enc, INSTITUTIONS, source="encounters.csv")
    msg = str(err.value)
    assert "encounters.csv: missing required column(s) date, insurance_paid_fen" in msg
    assert "'date' — did you mean 'visit_date'?" in msg
    assert (
        "'insurance_paid_fen' — 'insurance_paid' has no unit: give it in fen as "
        "'insurance_paid_fen' or in yuan as 'insurance_paid_yuan'" in msg
    )


def _problem_text(institutions) -> str:
    with pytest.raises(DataError) as info:
        spending_from_encounters(_encounters(), institutions, source="enc.csv")
    return " ".join([str(info.value), *info.value.problems])


def test_a_missing_institutions_column_names_the_one_given_for_it():
    # was "enc.csv: institutions table lacks column(s) setting": no hint, though data
    # import and the payment tables name the column given for it (ihms._column_hints)
    text = _problem_text(INSTITUTIONS.rename(columns={"setting": "settings"}))
    assert "institutions: missing required column(s) setting" in text
    assert "'setting' — did you mean 'settings'?" in text
    text = _problem_text(INSTITUTIONS.rename(columns={"institution_id": "institution"}))
    assert "missing required column(s) institution_id" in text
    assert "'institution_id' — did you mean 'institution'?" in text


def test_a_misspelt_primary_care_column_is_refused_not_ignored():
    # was ignored: every institution read as not primary care, so the primary-care
    # spending of 2018 came out 0 instead of THC01's 6,000 fen, without a word
    misspelt = INSTITUTIONS.rename(columns={"primary_care": "primary_cre"})
    text = _problem_text(misspelt)
    assert "column 'primary_cre' of institutions: not a column of the institutions table" in text
    assert "did you mean 'primary_care'?" in text
    # a column ihms does not read and that is no near miss (a name) is still ignored
    named = INSTITUTIONS.assign(name=["County hospital", "THC", "Fuzhou", "Private"])
    table = spending_from_encounters(_encounters(), named)
    assert table.for_year(2018).primary_care == 6_000


def test_a_misspelt_institutions_column_is_listed_with_the_encounters_problems():
    encounters = _encounters()
    encounters.loc[1, "date"] = "2018-02-30"
    misspelt = INSTITUTIONS.rename(columns={"primary_care": "primary_cre"})
    with pytest.raises(DataError) as info:
        spending_from_encounters(encounters, misspelt, source="enc.csv")
    problems = info.value.problems
    assert any("primary_cre" in p for p in problems)
    assert any("enc.csv: column 'date'" in p and "rows [3]" in p for p in problems)


def test_a_misspelt_or_unitless_encounters_amount_is_refused_not_ignored():
    # was ignored: the spending table came out with no total cost or out-of-pocket at all
    encounters = _encounters().rename(
        columns={"total_cost_fen": "total_cost_fn", "out_of_pocket_fen": "out_of_pocket"}
    )
    with pytest.raises(DataError) as info:
        spending_from_encounters(encounters, INSTITUTIONS, source="enc.csv")
    problems = " ".join(info.value.problems)
    assert "column 'total_cost_fn' of enc.csv: not a column of the encounters" in problems
    assert "did you mean 'total_cost_fen'?" in problems
    assert (
        "column 'out_of_pocket' of enc.csv: not a column of the encounters — 'out_of_pocket' "
        "has no unit: give it in fen as 'out_of_pocket_fen' or in yuan as 'out_of_pocket_yuan'"
    ) in problems
    # the data layer's other encounter columns are not read, and not refused
    assert "encounter_type" not in problems and "resident_id" not in problems


def test_a_column_near_one_already_given_is_not_taken_for_a_misspelling():
    # was refused: "column 'institution' ... looks misspelt — did you mean
    # 'institution_id'?", though the extract gives institution_id beside its name column
    encounters = _encounters()
    # (an `out_of_pocket` beside out_of_pocket_fen was ignored here too: now refused as
    # the same amount given twice, tests/payment/test_unitless_beside_unit.py)
    encounters["institution"] = ["County Hospital"] * len(encounters)
    table = spending_from_encounters(encounters, INSTITUTIONS, source="enc.csv")
    assert dict(table.for_year(2018).consortium) == {"CH01": 300_000, "THC01": 6_000}


def test_a_near_miss_of_a_column_not_given_is_still_refused():
    encounters = _encounters().drop(columns="total_cost_fen")
    encounters["total_cost_fn"] = _encounters()["total_cost_fen"]
    encounters["institution"] = ["County Hospital"] * len(encounters)
    with pytest.raises(DataError) as info:
        spending_from_encounters(encounters, INSTITUTIONS, source="enc.csv")
    problems = " ".join(info.value.problems)
    assert "did you mean 'total_cost_fen'?" in problems
    assert "'institution'" not in problems
