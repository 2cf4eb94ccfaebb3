"""Synthea's CSV format through the adapter; expected values worked from
tests/data/synthea/make_sample.py."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ihms.data import Period, Pseudonymiser, Store, import_folder
from ihms.data.adapters import TierRule, _synthea_claims, read_synthea
from ihms.errors import ConfigError, DataError
from ihms.indicators import compute

SAMPLE = Path(__file__).parent / "synthea"
NS = uuid.UUID("5d1b7f0e-4f6e-4c55-9b0a-7a1d2a6c3e11")
PERIOD = Period.parse("2018", "2019")


def uid(name):
    return str(uuid.uuid5(NS, name))


@pytest.fixture(scope="module")
def sample():
    return read_synthea(SAMPLE, period=PERIOD)


def test_organisations_become_institutions_by_the_tier_rule(sample):
    inst = sample.to_pandas("institutions").set_index("institution_id")
    assert inst.loc[uid("mgh"), "tier"] == "secondary"  # "... HOSPITAL"
    assert inst.loc[uid("bmc"), "tier"] == "tertiary"  # "... MEDICAL CENTER ..."
    assert inst.loc[uid("qfp"), "tier"] == "primary_centre"  # no pattern: the default
    # Worcester has no patients in the sample, so its hospital is outside the study area
    assert inst.loc[uid("wor"), "county_id"] == "outside"
    assert inst.loc[uid("mgh"), "county_id"] == "suffolk-county"
    rule = TierRule(overrides={uid("qfp"): "village_clinic"})
    again = read_synthea(SAMPLE, period=PERIOD, tier_rule=rule).to_pandas("institutions")
    assert again.set_index("institution_id").loc[uid("qfp"), "tier"] == "village_clinic"


def test_patients_become_residents(sample):
    res = sample.to_pandas("residents").set_index("resident_id")
    assert len(res) == 6
    assert res.loc[uid("p1"), "grid_id"] == "suffolk-county:boston"
    assert not res.loc[uid("p3"), "insured"]  # HEALTHCARE_COVERAGE 0.00
    # died 2019-06-20, so present on that day and gone from the next
    assert str(res.loc[uid("p5"), "exit_date"].date()) == "2019-06-21"


def test_encounters_types_costs_and_stays(sample):
    enc = sample.to_pandas("encounters").set_index("encounter_id")
    assert len(enc) == 13  # e01 (2010) is outside the period
    assert enc.loc[uid("e07"), "type"] == "emergency"  # urgentcare
    assert enc.loc[uid("e10"), "type"] == "chronic_followup"  # home
    assert enc.loc[uid("e04"), "type"] == "preventive"  # wellness
    # 85.55 dollars counted as yuan = 8,555 fen; coverage 60.00 -> 6,000; the rest 2,555
    e02 = enc.loc[uid("e02")]
    assert (e02.total_cost_fen, e02.insurance_paid_fen, e02.out_of_pocket_fen) == (8555, 6000, 2555)
    # inpatient stay 2018-02-14 to 2018-02-19 = 5 days
    assert enc.loc[uid("e03"), "length_of_stay_days"] == 5
    assert enc.loc[uid("e12"), "type"] == "inpatient"  # hospice
    assert enc.loc[uid("e02"), "diagnosis_group"] == "59621000"


def test_claims_split_insurer_and_patient_payments(sample):
    claims = sample.to_pandas("claims").set_index("claim_id")
    c03 = claims.loc[uid("c03")]
    # insurer: ECHECK 11,500.00; patient: COPAY 50.00 + CASH 3,450.00; the 234.40
    # adjustment is written off and paid by no one
    assert (c03.insurance_paid_fen, c03.out_of_pocket_fen) == (1_150_000, 350_000)
    assert str(c03.settled_date.date()) == "2018-03-15"
    assert claims.loc[uid("c08"), "out_of_pocket_fen"] == 146_000  # CC 1,460.00


def test_providers_give_gp_and_specialist_counts(sample):
    res = sample.to_pandas("resources")
    mgh = res[(res.institution_id == uid("mgh")) & (res.year == 2019)].iloc[0]
    assert (mgh.gps, mgh.specialists) == (1, 2)


def test_exact_currency_conversion_with_half_even_rounding():
    ds = read_synthea(SAMPLE, period=PERIOD, currency_rate="1.125")
    enc = ds.to_pandas("encounters").set_index("encounter_id")
    # 129.16 x 1.125 = 145.305 yuan = 14,530.5 fen -> 14,530 (a tie goes to the even fen)
    assert enc.loc[uid("e13"), "total_cost_fen"] == 14530
    # 85.55 x 1.125 = 96.24375 yuan -> 9,624 fen
    assert enc.loc[uid("e02"), "total_cost_fen"] == 9624


def test_import_and_indicators(tmp_path):
    store = tmp_path / "ihms.duckdb"
    import_folder(
        SAMPLE, store, pseudonymiser=Pseudonymiser(b"a-test-key-of-16+bytes"), period=PERIOD
    )
    with Store(store, read_only=True) as s:
        assert s.info().id_scheme == "pseudonymised"
        r = compute(s, indicators=["outpatient_outside_county_share"], level="total", period="year")
    row = r.select(periods=["2018"]).iloc[0]
    # 2018 outpatient and emergency visits: e02 (Boston resident at MGH, Boston: inside),
    # e05 (Boston resident at Worcester: outside), e06 (Quincy resident in Quincy: inside),
    # e07 (Quincy resident at Cambridge urgent care, Middlesex county: outside) -> 2 of 4
    assert (row.numerator, row.denominator) == (2, 4)


def test_bad_sample_and_bad_rule(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        (folder / f.name).write_text(
            f.read_text(encoding="utf-8").replace(",urgentcare,", ",teleport,"), encoding="utf-8"
        )
    with pytest.raises(DataError, match="no ihms type for class 'teleport'"):
        read_synthea(folder, period=PERIOD)
    with pytest.raises(ConfigError, match="unknown tier 'hospital'"):
        TierRule(default="hospital")
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text(
        "patterns:\n  - {match: CLINIC, tier: village_clinic}\ndefualt: secondary\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown key 'defualt'; did you mean 'default'"):
        TierRule.from_yaml(rule_file)


def _edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "s"
    folder.mkdir()
    for f in SAMPLE.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        if f.name == name:
            assert text.count(old) == 1
            text = text.replace(old, new)
        (folder / f.name).write_text(text, encoding="utf-8")
    return folder


def test_a_bad_amount_names_its_file_row_past_the_rows_out_of_the_period(tmp_path):
    # review 21a low 8: rows were numbered i + 2 in the rows kept, but encounters.csv's
    # row 2 is a 2010 visit, outside 2018-2019, so e02's TOTAL_CLAIM_COST (file row 3,
    # the second record) was named row 2.
    folder = _edited(tmp_path, "encounters.csv", ",85.55,85.55,60.00,", ",85.55,85.5x,60.00,")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=PERIOD)
    assert err.value.problems == [
        "column 'TOTAL_CLAIM_COST' of encounters.csv row 3: expected an amount, got '85.5x'"
    ]


def test_an_unknown_class_names_its_file_row(tmp_path):
    # the urgent-care visit is encounters.csv's row 8 (the 7th record, the 6th kept)
    folder = _edited(tmp_path, "encounters.csv", ",urgentcare,", ",teleport,")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=PERIOD)
    (problem,) = err.value.problems
    assert problem.startswith("column 'ENCOUNTERCLASS' of encounters.csv row 8 (encounter ")


def test_a_blank_line_is_a_row_of_the_file(tmp_path):
    # a blank line before e02 (an editor's stray line): e02's amount is on row 4 now,
    # and the blank line is no encounter
    folder = _edited(tmp_path, "encounters.csv", ",85.55,85.55,60.00,", ",85.55,85.5x,60.00,")
    path = folder / "encounters.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([*lines[:2], "", *lines[2:]]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=PERIOD)
    assert err.value.problems == [
        "column 'TOTAL_CLAIM_COST' of encounters.csv row 4: expected an amount, got '85.5x'"
    ]


def test_a_bad_patient_names_its_file_row_past_patients_left_out(tmp_path):
    # patients.csv rewritten: Fay (born 2019-02-01, after a 2018 period: no resident) in
    # row 2, a blank row 3, then Ada, Ben, Cai, Dov in rows 4-7 and Eve, GENDER 'X', in
    # row 8 -- the 5th resident, which rows numbered from 2 in the residents kept called
    # row 6
    folder = _edited(
        tmp_path, "patients.csv", ",F,Boston Massachusetts US,5 ", ",X,Boston Massachusetts US,5 "
    )
    path = folder / "patients.csv"
    header, ada, ben, cai, dov, eve, fay, *rest = path.read_text(encoding="utf-8").split("\n")
    lines = [header, fay, "", ada, ben, cai, dov, eve, *rest]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=Period.parse("2018", "2018"))
    (problem,) = err.value.problems
    assert problem.startswith("column 'sex' of patients.csv row 8: expected one of F, M")


def test_a_patient_born_after_the_period_is_no_empty_row(tmp_path):
    # review 22a H1: Fay (born 2019-02-01) in row 2, left out of a 2018 period, was
    # reported as "1 wholly empty row(s) left out as no record (row 2)". Only the blank
    # line (row 4 here) is an empty row; Fay's row still keeps the rows after it numbered
    # as the file numbers them.
    from ihms.data.gaps import dataset_notes

    folder = Path(shutil.copytree(SAMPLE, tmp_path / "s"))
    path = folder / "patients.csv"
    header, ada, ben, cai, dov, eve, fay, *rest = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([header, fay, ada, "", ben, cai, dov, eve, *rest]), "utf-8")
    data = read_synthea(folder, period=Period.parse("2018", "2018"))
    notes = [n for n in dataset_notes(data) if n.startswith("patients.csv")]
    assert notes == ["patients.csv: 1 wholly empty row(s) left out as no record (row 4)"]
    label = data.labels["residents"]
    assert [label.row(i) for i in range(5)] == [3, 5, 6, 7, 8]


def test_an_encounter_s_check_names_its_file_row(tmp_path):
    # review 22a L6: the checks of the encounters read named them by their position
    # among the rows in the period ("encounters.csv (rows in the period) row 3") while
    # the class and amount problems name the file's row: Ben's 2018-03-01 visit, with a
    # patient no patients.csv row holds, is encounters.csv's row 5 (its 4th record; the
    # 1st, row 2, is a 2010 visit)
    visit = "67e9cb2f-8f5c-535f-86c8-34f1d7493745,2018-03-01T09:00:00Z,2018-03-01T09:15:00Z,"
    ben = "f3821550-8ee1-54cf-90b6-f6110aafa513"
    folder = _edited(tmp_path, "encounters.csv", visit + ben, visit + "nobody")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=PERIOD)
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'resident_id' of encounters.csv row 5: unknown resident 'nobody' (not in residents)"
    )
    # what to do with a patient from outside the county (revind review, session 28)
    assert "a patient from outside the county" in problem
    assert "README, 'Patients from outside the county'" in problem


def test_a_claims_check_names_the_transactions_file_row_and_column(tmp_path):
    # review of the data import, 2026-11-25, finding 7: the claims' checks named
    # "claims_transactions.csv (one row per claim) row 1" and the column
    # out_of_pocket_fen. Claim c08's payments are file rows 10 (ECHECK 5,840.00) and 11
    # (CC 1,460.00, made 99,460.00 here): more than encounter e08's 7,300.00. Session
    # 31: the claim is named by its CLAIMID at its first row (file row 9, its CHARGE),
    # with its PAYMENT rows, in Synthea's column; it was named by its first PAYMENT row
    folder = _edited(tmp_path, "claims_transactions.csv", ",CC,2018-12-01", ",CC,2018-12-01")
    path = folder / "claims_transactions.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert ",CC," in lines[10] and ",1460.00,,,0.00," in lines[10]
    lines[10] = lines[10].replace(",1460.00,,,0.00,", ",99460.00,,,0.00,")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_synthea(folder, period=PERIOD)
    (problem,) = err.value.problems
    assert problem.startswith(
        "column 'PAYMENTS' of claims_transactions.csv row 9 (the first row of claim "
        "3dfcac31-d62b-5a87-a37a-69c0febaa392; its PAYMENT rows 10, 11): claims of "
    )
    assert (problem.file, problem.row, problem.column) == (
        "claims_transactions.csv",
        9,
        "PAYMENTS",
    )


def test_a_claim_is_worded_only_when_a_problem_names_it(tmp_path, monkeypatch):
    # review of session 31, M1: a message was made for every claim at import (about
    # 19 s per million claims), while a check names at most 100 rows. Counted through
    # the function that words a claim's PAYMENT rows, not by the clock
    worded, word = [], _synthea_claims._payment_rows

    def counted(rows):
        worded.append(list(rows))
        return word(rows)

    monkeypatch.setattr(_synthea_claims, "_payment_rows", counted)
    data = read_synthea(SAMPLE, period=PERIOD)
    records = data.labels["claims"].records
    assert worded == [] and len(records) == len(data.to_pandas("claims")) > 1
    # the claim of the test above: first row 9, its PAYMENT rows 10 and 11
    assert 9 in records and 10 not in records and records.get(10) is None
    assert records[9] == (
        "the first row of claim 3dfcac31-d62b-5a87-a37a-69c0febaa392; its PAYMENT rows 10, 11"
    )
    assert worded == [[10, 11]]


def test_claim_records_word_many_payments_and_none():
    # claim "a" at rows 2-9 with 7 PAYMENT rows (3-9), claim "b" at row 10 with none
    rows = np.arange(2, 11)
    records = _synthea_claims.ClaimRecords(
        pd.Index(["a", "b"]),
        np.array([2, 10]),
        np.array([0] * 8 + [1]),
        rows,
        np.array([False] + [True] * 7 + [False]),
    )
    assert list(records) == [2, 10]
    assert records[2] == "the first row of claim a; its PAYMENT rows 3, 4, 5, 6, 7 and 2 more"
    assert records[10] == "the first row of claim b; no PAYMENT row"
    with pytest.raises(KeyError):
        records[3]
