"""Stata's extended missing values (``.a``–``.z``) and SPSS's user-missing values stay
missing when ``ihms data import`` or a statistics command reads the file, as Stata's
and SPSS's own analyses treat them, and the reader says so: a note naming the column,
how many cells, and each code with its value label (``.a 'not measured' ×1``).
The files are written here by pyreadstat, with the codes and labels given; pyreadstat's
``user_missing=True`` (its documentation: "the missing values will be delivered as is")
is how the reader sees them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from typer.testing import CliRunner

from ihms._stat_missing import missing_code_notes
from ihms._statfiles import read_stat_table
from ihms.cli.main import app
from ihms.data import Period, read_tables
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")
runner = CliRunner()


def _followups(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "followups.csv", dtype=str, keep_default_na=False)
    (folder / "followups.csv").unlink()
    frame["date"] = pd.to_datetime(frame["date"])
    for col in ("systolic_mmhg", "diastolic_mmhg", "fasting_glucose_mmol_l"):
        frame[col] = pd.to_numeric(frame[col]).astype(object)
    return frame


def test_stata_extended_missing_values_stay_missing_and_are_noted(csv_folder, youxi):
    expected = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("followups")
    frame = _followups(csv_folder)
    # F1 (hypertension) had no glucose test: .a; F2 (diabetes) refused the blood pressure
    frame.loc[0, "fasting_glucose_mmol_l"] = "a"
    frame.loc[1, "systolic_mmhg"] = "b"
    frame.loc[1, "diastolic_mmhg"] = "b"
    measured = ("systolic_mmhg", "diastolic_mmhg", "fasting_glucose_mmol_l")
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "followups.dta"),
        version=15,
        missing_user_values={c: ["a", "b"] for c in measured},
        variable_value_labels={
            "fasting_glucose_mmol_l": {"a": "not measured"},
            "systolic_mmhg": {"b": "refused"},
        },
    )
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    pd.testing.assert_frame_equal(dataset.to_pandas("followups"), expected)
    notes = dataset.labels["followups"].notes
    assert (
        "followups.dta: column 'systolic_mmhg': 1 cell holds Stata's extended missing "
        "values, read as missing: .b 'refused' ×1"
    ) in notes
    assert (
        "followups.dta: column 'fasting_glucose_mmol_l': 1 cell holds Stata's extended "
        "missing values, read as missing: .a 'not measured' ×1"
    ) in notes
    # a code without a label is named by itself
    assert any("'diastolic_mmhg'" in n and n.endswith(": .b ×1") for n in notes)


def test_spss_user_missing_values_stay_missing_and_are_noted(tmp_path):
    frame = pd.DataFrame(
        {
            "income": [100.0, -9, -8, np.nan, -9, 250.0],
            "sex": [1.0, 2.0, 9, 1.0, 97, 1.0],
            "village": ["A", "NA", "B", "NA", "C", "D"],
        }
    )
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        missing_ranges={"income": [-9, -8], "sex": [{"lo": 9, "hi": 99}], "village": ["NA"]},
        variable_value_labels={
            "income": {-9: "refused", -8: "don't know"},
            "sex": {1: "女", 2: "男", 9: "unknown"},
        },
    )
    cells = read_stat_table(path, labelled=["sex"])
    # as SPSS's own analyses treat them (and as this reader did): missing
    assert cells["income"].tolist() == ["100", "", "", "", "", "250"]
    assert cells["sex"].tolist() == ["女", "男", "", "女", "", "女"]
    assert cells["village"].tolist() == ["A", "", "B", "", "C", "D"]
    # the missing codes are no labels the reader applied
    assert cells.attrs["value_labels"]["sex"] == {"1": "女", "2": "男"}
    assert missing_code_notes("survey.sav", cells) == (
        "survey.sav: column 'income': 3 cells hold SPSS user-missing values, read as "
        "missing: -9 'refused' ×2, -8 \"don't know\" ×1",
        "survey.sav: column 'sex': 2 cells hold SPSS user-missing values, read as "
        "missing: 9 'unknown' ×1, 97 ×1",
        "survey.sav: column 'village': 2 cells hold SPSS user-missing values, read as "
        "missing: 'NA' ×2",
    )


def test_a_file_without_missing_codes_has_no_note(tmp_path):
    path = tmp_path / "plain.dta"
    pyreadstat.write_dta(pd.DataFrame({"x": [1.0, np.nan, 3.0]}), str(path), version=15)
    cells = read_stat_table(path)
    assert cells["x"].tolist() == ["1", "", "3"]
    assert missing_code_notes("plain.dta", cells) == ()


def test_a_statistics_command_notes_the_missing_codes_it_reads(tmp_path):
    # ihms growth on a Stata file whose 2018 value is .a ("not reported"): a blank
    # value, as before, and now a note on stderr saying which code it was
    frame = pd.DataFrame({"year": [2016.0, 2017.0, 2018.0], "visits": [100.0, 110.0, "a"]})
    path = tmp_path / "visits.dta"
    pyreadstat.write_dta(
        frame,
        str(path),
        version=15,
        missing_user_values={"visits": ["a"]},
        variable_value_labels={"visits": {"a": "not reported"}},
    )
    r = runner.invoke(app, ["growth", str(path), "--value-col", "visits", "--yoy"])
    flat = " ".join(r.output.split())
    assert (
        "column 'visits': 1 cell holds Stata's extended missing values, read as missing: "
        ".a 'not reported' ×1"
    ) in flat


def test_an_spss_date_s_user_missing_value_is_named_as_a_date_with_its_label(tmp_path):
    # SPSS keeps a date as seconds from 1582-10-14, its missing values and their labels
    # too: 86,400 is 1582-10-15, a placeholder day some registers write for "unknown"
    import datetime as dt

    path = tmp_path / "visits.sav"
    frame = pd.DataFrame({"visit": pd.to_datetime(["2016-03-01", "1582-10-15", None])})
    pyreadstat.write_sav(
        frame,
        str(path),
        missing_ranges={"visit": [86_400.0]},
        variable_value_labels={"visit": {dt.datetime(1582, 10, 15): "unknown date"}},
    )
    cells = read_stat_table(path, records=True)
    assert cells["visit"].tolist() == ["2016-03-01", "", ""]
    assert missing_code_notes("visits.sav", cells) == (
        "visits.sav: column 'visit': 1 cell holds SPSS user-missing values, read as "
        "missing: 1582-10-15 'unknown date' ×1",
    )


def test_data_check_prints_the_missing_code_note(csv_folder):
    frame = _followups(csv_folder)
    frame.loc[0, "fasting_glucose_mmol_l"] = "a"
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "followups.dta"),
        version=15,
        missing_user_values={"fasting_glucose_mmol_l": ["a"]},
        variable_value_labels={"fasting_glucose_mmol_l": {"a": "not measured"}},
    )
    r = runner.invoke(app, ["data", "check", str(csv_folder), "--system", "examples/youxi.yaml"])
    assert r.exit_code == 0, r.output
    assert ".a 'not measured' ×1" in " ".join(r.output.split())


def _problems(folder: Path, system) -> list[str]:
    with pytest.raises(DataError) as err:
        read_tables(folder, system=system, period=WHOLE)
    return err.value.problems


def _residents(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "residents.csv", dtype=str, keep_default_na=False)
    (folder / "residents.csv").unlink()
    frame["birth_year"] = pd.to_numeric(frame["birth_year"]).astype(object)
    return frame


def test_a_required_value_held_as_a_stata_missing_code_names_the_code(csv_folder, youxi):
    # the import fails before any note is printed, so the problem itself says that the
    # empty cell was .a 'refused' in the file, not a blank
    frame = _residents(csv_folder)
    frame.loc[1, "birth_year"] = "a"
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "residents.dta"),
        version=15,
        missing_user_values={"birth_year": ["a"]},
        variable_value_labels={"birth_year": {"a": "refused"}},
    )
    assert (
        "column 'birth_year' of residents.dta row 2: a value is required; the file holds "
        "Stata's .a 'refused' here"
    ) in _problems(csv_folder, youxi)


def test_a_required_date_held_as_an_unlabelled_stata_code_names_the_code(csv_folder, youxi):
    # a %td date (days since 01jan1960) whose second follow-up's day is .c
    frame = _followups(csv_folder)
    frame["date"] = ((frame["date"] - pd.Timestamp("1960-01-01")).dt.days).astype(object)
    frame.loc[1, "date"] = "c"
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "followups.dta"),
        version=15,
        missing_user_values={"date": ["c"]},
        variable_format={"date": "%td"},
    )
    assert (
        "column 'date' of followups.dta row 2: a value is required; the file holds Stata's .c here"
    ) in _problems(csv_folder, youxi)


def test_a_required_value_held_as_an_spss_user_missing_code_names_the_code(csv_folder, youxi):
    frame = _residents(csv_folder)
    frame["birth_year"] = pd.to_numeric(frame["birth_year"])
    frame.loc[2, "birth_year"] = -9
    pyreadstat.write_sav(
        frame,
        str(csv_folder / "residents.sav"),
        missing_ranges={"birth_year": [-9]},
        variable_value_labels={"birth_year": {-9: "refused"}},
    )
    assert (
        "column 'birth_year' of residents.sav row 3: a value is required; the file holds "
        "SPSS's user-missing -9 'refused' here"
    ) in _problems(csv_folder, youxi)
