"""Sex coded by the national standard GB/T 2261.1-2003 (人的性别代码: 0 未知的性别, 1 男性,
2 女性, 9 未说明的性别), as a hospital information system codes it, is read by the
standard when the column holds only those codes and at least one 2, with one note; a
column of 0/1 (or 1) alone is refused as ambiguous, a 0/1 dummy being as common (review
of the data import, 2026-11-25, finding 16; session 31). Sex is optional (schema 1.3):
0, 9 and a blank cell are imported as not known, counted in that one note per file."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Period, read_tables
from ihms.data.gaps import dataset_notes
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def _sexes(folder, first: str, second: str, third: str) -> None:
    res = folder / "residents.csv"
    text = res.read_text(encoding="utf-8")
    for year, sex, code in (("1950", "F", first), ("1960", "M", second), ("1985", "F", third)):
        text = text.replace(f",{year},{sex},", f",{year},{code},")
    res.write_text(text, encoding="utf-8")


def _gbt_notes(dataset) -> list[str]:
    return [n for n in dataset_notes(dataset) if "GB/T 2261.1" in n]


def _add_resident(folder, sex: str) -> None:
    text = (folder / "residents.csv").read_text(encoding="utf-8")
    (folder / "residents.csv").write_text(
        text + f"350426199004044567,1990,{sex},G01,true,false,,false,false,,\n", encoding="utf-8"
    )


def test_sex_coded_1_and_2_is_read_by_the_standard_with_one_note(csv_folder, youxi):
    _sexes(csv_folder, "2", "1", "２")  # a full-width 2 as well
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.to_pandas("residents")["sex"].tolist() == ["F", "M", "F"]
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.csv: read as coded by GB/T 2261.1-2003 (人的性别代码): "
        "1 男性 → M ×1, 2 女性 → F ×2"
    ]
    assert not [t for t in dataset.translations if "written in Chinese" in str(t)]


def test_sex_codes_0_and_9_and_a_blank_import_as_not_known_in_one_note(csv_folder, youxi):
    # a HIS register with residents of unstated sex: imported, not refused (session 31)
    _sexes(csv_folder, "2", "9", "")
    _add_resident(csv_folder, "0")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    sexes = dataset.to_pandas("residents")["sex"]
    assert sexes.tolist()[0] == "F" and sexes.iloc[1:].isna().all()
    assert dataset.table("residents").schema.field("sex").nullable
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.csv: read as coded by GB/T 2261.1-2003 (人的性别代码): "
        "2 女性 → F ×1; sex not known for 3 residents, left empty (no indicator reads sex): "
        "0 未知的性别 ×1, 9 未说明的性别 ×1, blank ×1"
    ]


def test_blank_sex_imports_as_not_known_with_one_note(csv_folder, youxi):
    _sexes(csv_folder, "", "M", "")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.to_pandas("residents")["sex"].tolist()[1] == "M"
    notes = [n for n in dataset_notes(dataset) if "sex not known" in n]
    assert notes == [
        "column 'sex' of residents.csv: sex not known for 2 residents, left empty (no "
        "indicator reads sex): blank ×2"
    ]


def test_sex_f_and_m_everywhere_gives_no_note(csv_folder, youxi):
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert not [n for n in dataset_notes(dataset) if "sex" in n]


@pytest.mark.parametrize("codes", [("1", "0", "1"), ("1", "1", "1")])
def test_sex_coded_0_and_1_alone_is_refused_as_ambiguous(csv_folder, youxi, codes):
    _sexes(csv_folder, *codes)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    problem = err.value.problems[0]
    assert problem.startswith("column 'sex' of residents.csv row 2: expected one of F, M")
    assert (
        "read only from a column that holds nothing but such codes, at least one of them a 2"
        in (problem)
    )
    assert "0/1 alone may as well be a dummy" in problem
    assert "write the whole column as M/F (or 男/女) or as the codes" in problem


def test_a_code_beside_other_values_is_not_read_by_the_standard(csv_folder, youxi):
    _sexes(csv_folder, "2", "M", "F")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    (problem,) = err.value.problems
    assert problem.startswith("column 'sex' of residents.csv row 2: expected one of F, M")
    # the hint's rule covers a column mixing codes with M/F, not only a 0/1 dummy
    # (review of the session-31 diff, L3: it spoke only of the dummy)
    assert "holds nothing but such codes" in problem
    assert "write the whole column as M/F (or 男/女) or as the codes" in problem


def _residents_dta(folder, labels=None, codes=(2, 1, 2)) -> None:
    frame = pd.read_csv(folder / "residents.csv", dtype=str, keep_default_na=False)
    (folder / "residents.csv").unlink()
    frame["sex"] = pd.Series(codes, dtype="int8")
    frame["birth_year"] = frame["birth_year"].astype(int)
    frame.to_stata(folder / "residents.dta", write_index=False, version=118, value_labels=labels)


def test_stata_numeric_sex_without_labels_is_read_by_the_standard(csv_folder, youxi):
    _residents_dta(csv_folder)
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.to_pandas("residents")["sex"].tolist() == ["F", "M", "F"]
    (note,) = _gbt_notes(dataset)
    assert note.startswith("column 'sex' of residents.dta: read as coded by GB/T 2261.1-2003")


def test_stata_sex_labelled_with_the_standards_names_is_read(csv_folder, youxi):
    """The labels are read (男性/女性 as names are, 未说明的性别 as the standard's 9)."""
    labels = {"sex": {0: "未知的性别", 1: "男性", 2: "女性", 9: "未说明的性别"}}
    _residents_dta(csv_folder, labels, codes=(2, 1, 9))
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    sexes = dataset.to_pandas("residents")["sex"]
    assert sexes.iloc[:2].tolist() == ["F", "M"] and pd.isna(sexes.iloc[2])
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.dta: read by the names of GB/T 2261.1-2003 (人的性别代码): "
        "男性 → M ×1, 女性 → F ×1; sex not known for 1 resident, left empty (no "
        "indicator reads sex): 未说明的性别 ×1"
    ]


def test_names_are_shown_as_written_and_a_register_s_unknown_is_read(csv_folder, youxi):
    # diff review of session 31, L4: cells written 男 were noted as "1 男性", as codes;
    # 未知 and 不详, as registers write not known, were refused
    _sexes(csv_folder, "女", "男", "未知")
    _add_resident(csv_folder, "不详")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    sexes = dataset.to_pandas("residents")["sex"]
    assert sexes.iloc[:2].tolist() == ["F", "M"] and sexes.iloc[2:].isna().all()
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.csv: read by the names of GB/T 2261.1-2003 (人的性别代码): "
        "男 → M ×1, 女 → F ×1; sex not known for 2 residents, left empty (no indicator "
        "reads sex): 不详/未知 ×2"
    ]


def test_spss_numeric_sex_without_labels_is_read_by_the_standard(csv_folder, youxi):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.read_csv(csv_folder / "residents.csv", dtype=str, keep_default_na=False)
    (csv_folder / "residents.csv").unlink()
    frame["sex"] = [2.0, 1.0, 2.0]  # SPSS numbers are doubles
    frame["birth_year"] = frame["birth_year"].astype(float)
    pyreadstat.write_sav(frame, csv_folder / "residents.sav")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert dataset.to_pandas("residents")["sex"].tolist() == ["F", "M", "F"]
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.sav: read as coded by GB/T 2261.1-2003 (人的性别代码): "
        "1 男性 → M ×1, 2 女性 → F ×2"
    ]


def test_a_stata_missing_code_in_sex_is_counted_by_its_code(csv_folder, youxi):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.read_csv(csv_folder / "residents.csv", dtype=str, keep_default_na=False)
    (csv_folder / "residents.csv").unlink()
    frame["sex"] = pd.Series([2.0, 1.0, "a"], dtype=object)  # .a: Stata's extended missing
    frame["birth_year"] = frame["birth_year"].astype(int)
    pyreadstat.write_dta(
        frame,
        str(csv_folder / "residents.dta"),
        version=15,
        missing_user_values={"sex": ["a"]},
        variable_value_labels={"sex": {"a": "refused"}},
    )
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert pd.isna(dataset.to_pandas("residents")["sex"].iloc[2])
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.dta: read as coded by GB/T 2261.1-2003 (人的性别代码): "
        "1 男性 → M ×1, 2 女性 → F ×1; sex not known for 1 resident, left empty (no "
        "indicator reads sex): Stata's .a 'refused' ×1"
    ]


def _unknown_notes(dataset) -> list[str]:
    return [n for n in dataset_notes(dataset) if "sex not known" in n]


def test_hl7_u_and_fhir_unknown_import_as_not_known(csv_folder, youxi):
    # HL7 v2 AdministrativeSex U and FHIR AdministrativeGender unknown beside M/F were
    # refused as no code (session 32); a blank in the same column is counted after them
    _sexes(csv_folder, "U", "M", "unknown")
    _add_resident(csv_folder, "")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    sexes = dataset.to_pandas("residents")["sex"]
    assert sexes.iloc[1] == "M" and sexes.drop(index=1).isna().all()
    assert _unknown_notes(dataset) == [
        "column 'sex' of residents.csv: sex not known for 3 residents, left empty (no "
        "indicator reads sex): U ×1, unknown ×1, blank ×1"
    ]
    assert not _gbt_notes(dataset)


def test_unknown_beside_the_standard_s_codes_is_counted_as_written(csv_folder, youxi):
    _sexes(csv_folder, "2", "1", "Unknown")
    _add_resident(csv_folder, "９")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    sexes = dataset.to_pandas("residents")["sex"]
    assert sexes.iloc[:2].tolist() == ["F", "M"] and sexes.iloc[2:].isna().all()
    assert _gbt_notes(dataset) == [
        "column 'sex' of residents.csv: read as coded by GB/T 2261.1-2003 (人的性别代码): "
        "1 男性 → M ×1, 2 女性 → F ×1; sex not known for 2 residents, left empty (no "
        "indicator reads sex): 9 未说明的性别 ×1, Unknown ×1"
    ]


def test_a_register_s_unknown_beside_m_and_f_imports_as_not_known(csv_folder, youxi):
    _sexes(csv_folder, "F", "M", "不详")
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    assert pd.isna(dataset.to_pandas("residents")["sex"].iloc[2])
    assert _unknown_notes(dataset) == [
        "column 'sex' of residents.csv: sex not known for 1 resident, left empty (no "
        "indicator reads sex): 不详 ×1"
    ]


def test_other_is_no_sex_not_known(csv_folder, youxi):
    _sexes(csv_folder, "F", "M", "O")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        "column 'sex' of residents.csv row 4: expected one of F, M (男/男性/male... are read "
        "too), got 'O'"
    ]


def test_the_sex_names_are_kept_once():
    from ihms.data._sex_codes import _CODES, _NAMES, SEX_NAMES
    from ihms.data._vocabulary import NAMES

    assert NAMES[("residents", "sex")] is SEX_NAMES
    # each Chinese name of a sex the standard's reading knows is read to the same code
    # beside M/F, and the other way round
    sexes = {name: _CODES[code][0] for name, code in _NAMES.items() if _CODES[code][0]}
    assert sexes == {name: sex for name, sex in SEX_NAMES.items() if not name.isascii()}
    assert list(SEX_NAMES) == ["男", "男性", "male", "m", "女", "女性", "female", "f"]
