from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.data import Dataset, Period, structural_tables
from ihms.data._coerce import coerce_date, yuan_to_fen
from ihms.errors import DataError, InputError

PERIOD = Period(date(2016, 1, 1), date(2019, 12, 31))


def frames(youxi, **overrides):
    base = structural_tables(youxi)
    base["residents"] = pd.DataFrame(
        {
            "resident_id": ["a", "b"],
            "birth_year": [1950, 1980],
            "sex": ["F", "M"],
            "grid_id": ["G01", "G02"],
            "insured": [True, True],
            "fp_registered": [False, False],
            "hypertension": [True, False],
            "diabetes": [False, False],
            "exit_date": [None, date(2018, 6, 30)],
        }
    )
    base["encounters"] = pd.DataFrame(
        {
            "encounter_id": ["e1", "e2"],
            "resident_id": ["a", "b"],
            "institution_id": ["YX-CH01", "YX-THC02"],
            "date": [date(2016, 5, 1), date(2017, 5, 1)],
            "type": ["inpatient", "outpatient"],
            "total_cost_fen": [100000, 5000],
            "insurance_paid_fen": [60000, 2500],
            "out_of_pocket_fen": [40000, 2500],
            "length_of_stay_days": [5, None],
        }
    )
    base.update(overrides)
    return base


def problems_of(youxi, **overrides):
    with pytest.raises(DataError) as err:
        Dataset.from_frames(frames(youxi, **overrides), period=PERIOD)
    return "\n".join(err.value.problems)


def test_valid_frames_pass(youxi):
    ds = Dataset.from_frames(frames(youxi), period=PERIOD)
    assert ds.row_counts()["encounters"] == 2
    enc = ds.to_pandas("encounters")
    assert str(enc["total_cost_fen"].dtype) == "Int64"
    assert ds.table("residents").schema.field("exit_date").type == "date32[day]"
    counts = ds.row_counts()
    # before: the generated repr printed every pyarrow table
    assert repr(ds) == (
        "<Dataset: period='2016-01-01 to 2019-12-31', id_scheme='synthetic', "
        f"tables={sum(1 for n in counts.values() if n)}, rows={sum(counts.values())}>"
    )


def test_length_of_stay_rules(youxi):
    enc = frames(youxi)["encounters"].assign(length_of_stay_days=[None, 3])
    text = problems_of(youxi, encounters=enc)
    assert (
        "column 'length_of_stay_days' of encounters row 1: an inpatient stay needs its length of stay"
        in text
    )
    assert "row 2: only inpatient stays have a length of stay (type is 'outpatient')" in text


def test_records_must_fall_while_the_resident_is_there(youxi):
    enc = frames(youxi)["encounters"].assign(date=[date(2016, 5, 1), date(2018, 6, 30)])
    text = problems_of(youxi, encounters=enc)
    assert "column 'date' of encounters row 2: resident 'b' left on 2018-06-30" in text


def test_registration_date_rules(youxi):
    # One row per rule, plus rows that are fine: a date before entry_date (signed before
    # the register recorded the arrival) and a date the day before exit_date.
    res = pd.DataFrame(
        {
            "resident_id": ["a", "b", "c", "d", "e", "f", "g"],
            "birth_year": [1950, 1980, 1960, 2017, 1970, 1990, 1985],
            "sex": ["F", "M", "F", "M", "F", "M", "F"],
            "grid_id": ["G01"] * 7,
            "insured": [True] * 7,
            "fp_registered": [False, True, True, True, True, True, True],
            "fp_registered_date": [
                date(2016, 2, 1),  # a: not registered
                date(2018, 6, 30),  # b: on exit_date
                date(2020, 1, 2),  # c: after the period
                date(2016, 5, 1),  # d: before the birth year 2017
                date(2016, 1, 1),  # e: before entry_date: fine
                date(2018, 6, 29),  # f: the day before exit_date: fine
                None,  # g: registered, date unknown: fine
            ],
            "hypertension": [False] * 7,
            "diabetes": [False] * 7,
            "entry_date": [None, None, None, None, date(2017, 3, 1), None, None],
            "exit_date": [None, date(2018, 6, 30), None, None, None, date(2018, 6, 30), None],
        }
    )
    enc = frames(youxi)["encounters"].iloc[:0]
    with pytest.raises(DataError) as err:
        Dataset.from_frames(frames(youxi, residents=res, encounters=enc), period=PERIOD)
    problems = [p for p in err.value.problems if "fp_registered_date" in p]
    assert problems == [
        "column 'fp_registered_date' of residents row 1: a registration date (2016-02-01) "
        "is given but fp_registered is false",
        "column 'fp_registered_date' of residents row 2: registration date 2018-06-30 is "
        "not before exit_date 2018-06-30 (the resident had left)",
        "column 'fp_registered_date' of residents row 3: registration date 2020-01-02 is "
        "after the period ends (2019-12-31)",
        "column 'fp_registered_date' of residents row 4: registration date 2016-05-01 is "
        "before the birth year 2017",
    ]
    # with the four bad rows dropped, the rest is a valid register
    ds = Dataset.from_frames(frames(youxi, residents=res.iloc[4:], encounters=enc), period=PERIOD)
    assert ds.to_pandas("residents")["fp_registered_date"].notna().sum() == 2


def test_institution_must_operate_that_year(youxi):
    # YX-THC20 operates from 2018 (seed 002: 23 THCs from 2018)
    enc = frames(youxi)["encounters"].assign(institution_id=["YX-CH01", "YX-THC20"])
    text = problems_of(youxi, encounters=enc)
    assert "institution 'YX-THC20' does not operate in 2017" in text


def test_followup_condition_and_blood_pressure(youxi):
    fu = pd.DataFrame(
        {
            "followup_id": ["f1", "f2", "f3"],
            "resident_id": ["b", "a", "a"],
            "institution_id": ["YX-THC02", "YX-THC01", "YX-THC01"],
            "date": [date(2016, 3, 1)] * 3,
            "condition": ["diabetes", "hypertension", "hypertension"],
            "systolic_mmhg": [None, 80, 140],
            "diastolic_mmhg": [None, 90, None],
        }
    )
    text = problems_of(youxi, followups=fu)
    assert "followups row 1: resident 'b' has no diabetes in the register" in text
    assert "followups row 2: systolic 80 is not above diastolic 90" in text
    assert "followups row 3: a blood pressure needs both systolic and diastolic values" in text


def test_claims_may_not_settle_more_than_the_cost(youxi):
    claims = pd.DataFrame(
        {
            "claim_id": ["c1", "c2"],
            "encounter_id": ["e1", "e1"],
            "settled_date": [date(2016, 6, 1), date(2016, 4, 1)],
            "insurance_paid_fen": [50000, 20000],
            "out_of_pocket_fen": [0, 0],
        }
    )
    text = problems_of(youxi, claims=claims)
    assert (
        "claims of encounter 'e1' pay 70,000 fen from insurance, more than its total cost 100,000 fen"
        not in text
    )
    claims["insurance_paid_fen"] = [80000, 30000]
    text = problems_of(youxi, claims=claims)
    assert (
        "claims of encounter 'e1' pay 110,000 fen from insurance, more than its total cost 100,000 fen"
        in text
    )
    assert "settled on 2016-04-01, before the encounter (2016-05-01)" in text


def test_keys_and_unknown_tables(youxi):
    enc = frames(youxi)["encounters"].assign(encounter_id=["e1", "e1"])
    assert "duplicate key (encounter_id) = ('e1',)" in problems_of(youxi, encounters=enc)
    with pytest.raises(DataError, match="unknown table 'encounter'; did you mean 'encounters'"):
        Dataset.from_frames({"encounter": enc}, period=PERIOD)
    with pytest.raises(DataError, match="missing required column 'date'"):
        Dataset.from_frames(frames(youxi, encounters=enc.drop(columns="date")), period=PERIOD)


def test_a_repeated_resident_id_is_a_key_error_naming_both_rows(youxi):
    # the other checks look residents up by id; a repeat must not crash them
    res = frames(youxi)["residents"]
    res = pd.concat([res, res.iloc[[0]]], ignore_index=True)
    enc = frames(youxi)["encounters"].assign(institution_id=["YX-CH01", "NOWHERE"])
    found = problems_of(youxi, residents=res, encounters=enc)
    assert (
        "column 'resident_id' of residents row 3: duplicate key (resident_id) = ('a',), "
        "first given in row 1"
    ) in found
    assert "unknown institution 'NOWHERE'" in found


def test_an_unknown_reference_names_the_id_it_differs_from_only_in_case(youxi):
    enc = frames(youxi)["encounters"].assign(institution_id=["yx-ch01", "YX-CH01"])
    found = problems_of(youxi, encounters=enc)
    assert "unknown institution 'yx-ch01' (not in institutions) — did you mean 'YX-CH01'?" in found


def test_many_failures_are_counted_after_the_first_hundred(youxi):
    n = 250
    enc = pd.DataFrame(
        {
            "encounter_id": [f"e{i}" for i in range(n)],
            "resident_id": ["a"] * n,
            "institution_id": ["YX-CH01"] * n,
            "date": [date(2016, 5, 1)] * n,
            "type": ["outpatient"] * n,
            "total_cost_fen": [-1] * n,
            "insurance_paid_fen": [0] * n,
            "out_of_pocket_fen": [0] * n,
        }
    )
    with pytest.raises(DataError) as err:
        Dataset.from_frames(frames(youxi, encounters=enc), period=PERIOD)
    negative = [p for p in err.value.problems if "total_cost_fen" in p]
    assert len(negative) == 101
    assert negative[-1] == "encounters: 150 more rows where 'total_cost_fen' is below 0"


def test_period_parsing():
    assert Period.parse("2016-02", "2019") == Period(date(2016, 2, 1), date(2019, 12, 31))
    assert str(Period.parse("2016-01-01", "2016-02")) == "2016-01-01 to 2016-02-29"
    with pytest.raises(InputError, match="expected a date as YYYY-MM-DD"):
        Period.parse("16/01/2016", "2019")
    with pytest.raises(InputError, match="is after end"):
        Period.parse("2019", "2016")


@given(st.integers(min_value=0, max_value=10**12))
def test_yuan_strings_convert_to_fen_exactly(fen):
    text = f"{fen // 100}.{fen % 100:02d}"
    out, bad = yuan_to_fen(pd.Series([text, f"-{text}"]))
    assert not bad.any()
    assert out.tolist() == [fen, -fen]


def test_yuan_refuses_a_third_decimal():
    out, bad = yuan_to_fen(pd.Series(["1.005", "abc", "3", "0.5", ""]))
    assert bad.tolist() == [True, True, False, False, False]
    assert out.tolist()[2:4] == [300, 50]


def test_yuan_too_large_for_int64_fen_is_refused_not_wrapped():
    # 99,999,999,999,999,999.99 yuan is 9,999,999,999,999,999,999 fen, above int64's
    # 9,223,372,036,854,775,807: it came out as -8,446,744,073,709,551,617 fen, unflagged
    out, bad = yuan_to_fen(pd.Series(["99999999999999999.99", "9999999999999999.99"]))
    assert bad.tolist() == [True, False]
    assert out.tolist()[1] == 999_999_999_999_999_999
    out, bad = yuan_to_fen(pd.Series([10**17, 10**16 - 1], dtype="Int64"))
    assert bad.tolist() == [True, False]
    assert out.tolist()[1] == (10**16 - 1) * 100


def test_a_float_yuan_column_whose_cents_a_float_cannot_hold_is_named(youxi):
    # resources' revenue has no ceiling: a Parquet float of 80000000000000.01 yuan was
    # stored as 8,000,000,000,000,002 fen
    res = pd.DataFrame(
        {"institution_id": ["YX-CH01"], "year": [2016], "revenue_yuan": [80_000_000_000_000.01]}
    )
    found = problems_of(youxi, resources=res)
    assert (
        "column 'revenue_yuan' of resources row 1: a floating-point number of "
        "10,000,000,000,000 yuan or more, which cannot hold whole fen exactly; store the "
        "column as text or as integer fen, got 80000000000000.02"
    ) in found


def test_a_birth_after_the_period_and_an_absurd_cost_are_errors(youxi):
    res = frames(youxi)["residents"].assign(birth_year=[1950, 2050])
    enc = frames(youxi)["encounters"].assign(
        total_cost_fen=[100000, 99_999_999_999_999], out_of_pocket_fen=[40000, 0]
    )
    found = problems_of(youxi, residents=res, encounters=enc)
    # PERIOD ends 2019-12-31
    assert "birth year 2050 is after the period ends (2019-12-31)" in found
    # ceiling: 100 million yuan = 10,000,000,000 fen
    assert (
        "column 'total_cost_fen' of encounters row 2: expected an amount ≤ 10,000,000,000 fen "
        "(100,000,000 yuan), got 99,999,999,999,999 fen"
    ) in found


def test_whole_numbers_with_a_zero_fraction_read_as_integers(youxi):
    # pandas writes an integer column with nulls (float64 after read_parquet) as "13.0"
    enc = frames(youxi)["encounters"].astype(str).assign(length_of_stay_days=["13.0", ""])
    ds = Dataset.from_frames(frames(youxi, encounters=enc), period=PERIOD)
    assert ds.to_pandas("encounters")["length_of_stay_days"].tolist() == [13, pd.NA]
    bad = enc.assign(length_of_stay_days=["13.5", ""], total_cost_fen=["1,000", "5000.00"])
    with pytest.raises(DataError) as err:
        Dataset.from_frames(frames(youxi, encounters=bad), period=PERIOD)
    found = "\n".join(err.value.problems)
    assert "'length_of_stay_days' of encounters row 1: expected a whole number, got '13.5'" in found
    expected = (
        "expected whole fen (1 yuan = 100 fen; digits only, no decimals or thousands "
        "separators; give yuan in a column 'total_cost_yuan')"
    )
    assert f"'total_cost_fen' of encounters row 1: {expected}, got '1,000'" in found
    # money written with two decimals is yuan formatting, not fen (as the payment tables)
    assert f"'total_cost_fen' of encounters row 2: {expected}, got '5000.00'" in found


def test_dates_as_chinese_excel_and_his_exports_write_them():
    # Chinese Excel saves dates to CSV as 2016/1/18; hospital systems add a time of day
    # or write 2016年1月18日 or 20160118. All name 18 January 2016.
    forms = [
        "2016-01-18",
        "2016/1/18",
        "2016/01/18",
        "2016-1-18",
        "2016.1.18",
        "2016年1月18日",
        "20160118",
        "2016-01-18 08:30:00",
        "2016/1/18 8:30",
        "2016-01-18T23:59:59.123",
        "2016年1月18日 08:30",
        " 2016-01-18 ",
    ]
    values, bad = coerce_date(pd.Series(forms, index=range(10, 10 + len(forms))))
    assert not bad.any()
    assert set(values) == {pd.Timestamp("2016-01-18")}
    # numbers (20160118 read as an integer) and date objects in an object column
    mixed = pd.Series([20160118, date(2016, 1, 18), pd.Timestamp("2016-01-18 14:00"), ""])
    values, bad = coerce_date(mixed.astype(object))
    assert bad.tolist() == [False, False, False, False]
    assert values.iloc[:3].tolist() == [pd.Timestamp("2016-01-18")] * 3
    assert pd.isna(values.iloc[3])


@pytest.mark.parametrize(
    "text",
    [
        "18/1/2016",  # day first: never guessed (1/2/2016 could be either)
        "1/18/2016",  # month first
        "18-01-2016",
        "2016-02-30",  # no such day
        "2016-13-01",
        "2016/1-18",  # mixed separators
        "2016118",  # YYYYMMDD needs all eight digits
        "2016-01-18 24:00",
        "2016-01-18 08:60",
        "2016-01-18T08:30:00Z",  # a time zone could move the day
        "2016-01-18 08:30:00+08:00",
        "2016-01",
        "Jan 18, 2016",
    ],
)
def test_dates_that_are_ambiguous_or_impossible_are_refused(text):
    values, bad = coerce_date(pd.Series(["2016-01-18", text]))
    assert bad.tolist() == [False, True]
    assert pd.isna(values.iloc[1])


def test_a_day_first_date_is_named_with_the_forms_read(youxi):
    enc = frames(youxi)["encounters"].astype(object)
    enc["date"] = ["2016/5/1", "1/5/2017"]
    found = problems_of(youxi, encounters=enc)
    assert (
        "column 'date' of encounters row 2: expected a date (YYYY-MM-DD, YYYY/M/D, YYYY.M.D, "
        "YYYY年M月D日, YYYYMMDD or with the month named (05mar2019, 05-MAR-2019), optionally "
        "with a time; a day or month in digits never first), got '1/5/2017'"
    ) in found
    assert "row 1" not in found
