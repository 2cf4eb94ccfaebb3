"""``ihms data import`` of Stata and SPSS files whose closed vocabularies are stored as
labelled codes (sex 1/2 labelled 女/男, a follow-up's condition 1/2 labelled 高血压/
糖尿病, as Stata's ``label define`` and SPSS's VALUE LABELS keep them), and whose
dates are Stata ``%tC`` date-times or ``%-td``/``%d`` days. The files are written
here by pandas (``to_stata(value_labels=...)``) and pyreadstat; the expected values
are those the file was written with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")
runner = CliRunner()


def _table(folder: Path, name: str) -> pd.DataFrame:
    """The fixture's CSV table as text, its file removed (to be written in a package's
    format instead)."""
    frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    (folder / f"{name}.csv").unlink()
    return frame


def _residents_coded(folder: Path) -> pd.DataFrame:
    """residents as an analyst's Stata file holds them: sex 1 = 女, 2 = 男, yes/no as 0/1."""
    frame = _table(folder, "residents")
    frame["sex"] = frame["sex"].map({"F": 1, "M": 2}).astype("int8")
    for col in ("insured", "fp_registered", "hypertension", "diabetes"):
        frame[col] = (frame[col] == "true").astype("int8")
    frame["birth_year"] = frame["birth_year"].astype(int)
    return frame


def _stored(folder: Path, youxi, table: str) -> pd.DataFrame:
    return read_tables(folder, system=youxi, period=WHOLE).to_pandas(table)


def test_stata_value_labels_of_sex_are_read_as_its_codes(csv_folder, youxi):
    expected = _stored(csv_folder, youxi, "residents")
    frame = _residents_coded(csv_folder)
    frame.to_stata(
        csv_folder / "residents.dta",
        write_index=False,
        version=118,
        # yes/no labelled too: a bool column keeps its 0/1 codes, which it reads
        value_labels={"sex": {1: "女", 2: "男"}, "insured": {0: "否", 1: "是"}},
    )
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    got = dataset.to_pandas("residents")
    pd.testing.assert_frame_equal(got, expected)
    # written as 1 (女), 2 (男), 1 (女): the CSV's F, M, F
    assert got["sex"].tolist() == ["F", "M", "F"]
    assert got["insured"].tolist() == [True, True, False]
    notes = "\n".join(dataset.labels["residents"].notes)
    assert "residents.dta" in notes and "'sex'" in notes and "1 女, 2 男" in notes
    assert "insured" not in notes  # a bool column is not read by its labels
    assert any("男 → M" in str(t) for t in dataset.translations)


def test_spss_value_labels_of_a_followups_condition_are_read(csv_folder, youxi):
    expected = _stored(csv_folder, youxi, "followups")
    frame = _table(csv_folder, "followups")
    frame["condition"] = frame["condition"].map({"hypertension": 1.0, "diabetes": 2.0})
    for col in ("systolic_mmhg", "diastolic_mmhg", "fasting_glucose_mmol_l"):
        frame[col] = pd.to_numeric(frame[col])
    frame["date"] = pd.to_datetime(frame["date"])
    pyreadstat.write_sav(
        frame,
        str(csv_folder / "followups.sav"),
        variable_value_labels={"condition": {1.0: "高血压", 2.0: "糖尿病"}},
    )
    got = _stored(csv_folder, youxi, "followups")
    pd.testing.assert_frame_equal(got, expected)
    assert got["condition"].tolist() == ["hypertension", "diabetes"]


def test_a_stata_encounter_type_labelled_in_chinese_and_english(csv_folder, youxi):
    expected = _stored(csv_folder, youxi, "encounters")
    frame = _table(csv_folder, "encounters")
    frame["type"] = frame["type"].map({"outpatient": 1, "preventive": 4, "inpatient": 3})
    frame["date"] = pd.to_datetime(frame["date"])
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "encounters.dta"),
        version=15,
        variable_value_labels={"type": {1: "门诊", 2: "急诊", 3: "住院", 4: "preventive"}},
    )
    got = _stored(csv_folder, youxi, "encounters")
    pd.testing.assert_frame_equal(got, expected)
    assert got["type"].tolist() == ["outpatient", "preventive", "inpatient", "outpatient"]


def test_a_code_without_a_label_is_named_by_row_with_the_labels(csv_folder, youxi):
    frame = _residents_coded(csv_folder)
    frame.loc[1, "sex"] = 9  # "unknown" in many exports, but this file gives it no label
    frame.to_stata(csv_folder / "residents.dta", write_index=False, version=118,
                   value_labels={"sex": {1: "女", 2: "男"}})  # fmt: skip
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problems = "\n".join(err.value.problems)
    assert "column 'sex' of residents.dta row 2: 9 has no value label" in problems
    assert "1 女, 2 男" in problems
    assert "rows 1" not in problems and "row 3" not in problems  # labelled rows are fine


def test_a_code_without_a_label_is_named_with_the_checks_of_the_other_rows(csv_folder, youxi):
    # the unlabelled code stopped the import before the other rows were checked; now its
    # row is named once (not also as an unknown sex) and the rest checked in the same run
    frame = _residents_coded(csv_folder)
    frame.loc[1, "sex"] = 9
    frame.loc[2, "grid_id"] = "G99"
    frame.to_stata(csv_folder / "residents.dta", write_index=False, version=118,
                   value_labels={"sex": {1: "女", 2: "男"}})  # fmt: skip
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problems = err.value.problems
    assert len(problems) == 2, problems
    assert problems[0].startswith("column 'sex' of residents.dta row 2: 9 has no value label")
    assert problems[1].startswith("column 'grid_id' of residents.dta row 3: unknown grid 'G99'")


def test_data_check_notes_the_value_labels_it_read(csv_folder):
    frame = _residents_coded(csv_folder)
    frame.to_stata(csv_folder / "residents.dta", write_index=False, version=118,
                   value_labels={"sex": {1: "女", 2: "男"}})  # fmt: skip
    r = runner.invoke(app, ["data", "check", str(csv_folder), "--system", "examples/youxi.yaml"])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    assert "value labels" in flat and "男 → M" in flat


def _encounters_with_times(folder: Path) -> pd.DataFrame:
    frame = _table(folder, "encounters")
    for col in ("total_cost_yuan", "insurance_paid_yuan", "out_of_pocket_yuan"):
        frame[col] = frame[col].astype(float)
    frame["length_of_stay_days"] = pd.to_numeric(frame["length_of_stay_days"])
    return frame


def test_stata_tC_date_times_count_leap_seconds(csv_folder, youxi):
    expected = _stored(csv_folder, youxi, "encounters")
    frame = _encounters_with_times(csv_folder)
    # %tC: milliseconds since 01jan1960 counting the 27 leap seconds inserted from
    # 30jun1972 to 31dec2016 (IERS; Stata help datetime). Worked by hand:
    # 2016-03-01 08:30:00: day 20,514 since 1960, 26 leap seconds so far
    # 2016-04-01 00:00:00: day 20,545, 26 leap seconds
    # 2017-06-10 23:59:45: day 20,980, 27 leap seconds (read as %tc: 11 June 00:00:12)
    # 2018-01-05 12:00:00: day 21,189, 27 leap seconds
    day = 86_400_000
    frame["date"] = [
        20_514 * day + 30_600_000 + 26_000,
        20_545 * day + 26_000,
        20_980 * day + 86_385_000 + 27_000,
        21_189 * day + 43_200_000 + 27_000,
    ]
    frame["date"] = frame["date"].astype(float)
    pyreadstat.write_dta(frame, str(csv_folder / "encounters.dta"), version=15,
                         variable_format={"date": "%tC"})  # fmt: skip
    got = _stored(csv_folder, youxi, "encounters")
    pd.testing.assert_frame_equal(got, expected)
    assert str(got.loc[2, "date"])[:10] == "2017-06-10"


@pytest.mark.parametrize("display", ["%-td", "%d", "%tdDD/NN/CCYY"])
def test_stata_day_formats_left_aligned_old_and_custom_are_days(csv_folder, youxi, display):
    expected = _stored(csv_folder, youxi, "encounters")
    frame = _encounters_with_times(csv_folder)
    # days since 01jan1960 of 2016-03-01, 2016-04-01, 2017-06-10, 2018-01-05
    frame["date"] = [20_514.0, 20_545.0, 20_980.0, 21_189.0]
    pyreadstat.write_dta(frame, str(csv_folder / "encounters.dta"), version=15,
                         variable_format={"date": display})  # fmt: skip
    got = _stored(csv_folder, youxi, "encounters")
    pd.testing.assert_frame_equal(got, expected)
