"""Yes/no columns (residents.insured, fp_registered, hypertension, diabetes; counties.study)
read in the words a county's export writes: 是/否 (a HIS export), 有/无 (a register's
有无高血压), Y/N, 1/0, TRUE/FALSE (Excel), full-width too; each reading noted, anything
else refused naming what is read."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Period, dataset_notes, read_tables
from ihms.data._coerce import coerce
from ihms.data._yes_no import YES_NO_FORMS, yes_no_note
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("是", True), ("否", False),
        ("有", True), ("无", False),
        ("真", True), ("假", False),
        ("Y", True), ("n", False),
        ("TRUE", True), ("False", False),
        ("yes", True), ("No", False),
        ("1", True), ("0", False),
        ("1.0", True), ("0.00", False),  # Excel or pandas writing a 0/1 column as floats
        ("１", True), ("Ｎ", False), ("ＹＥＳ", True),  # full-width
        (" 是 ", True), ("\u3000否", False),  # padded
    ],
)  # fmt: skip
def test_yes_no_words_are_read(cell, value):
    values, bad = coerce(pd.Series([cell, ""], dtype="str"), "bool")
    assert bad.tolist() == [False, False]
    assert values.iloc[0] is value or values.iloc[0] == value
    assert pd.isna(values.iloc[1])


@pytest.mark.parametrize("cell", ["已参保", "是的", "2", "-1", "yes!", "-", "/", "√", "ok"])
def test_other_words_are_refused(cell):
    _, bad = coerce(pd.Series([cell], dtype="str"), "bool")
    assert bad.tolist() == [True]


def test_numbers_held_as_numbers_read_as_zero_and_one():
    # an xlsx cell or a Parquet integer column: 1 and 0 only
    values, bad = coerce(pd.Series([1, 0, 2, None], dtype="Int64"), "bool")
    assert bad.tolist() == [False, False, True, False]
    assert values.iloc[:2].tolist() == [True, False]
    values, bad = coerce(pd.Series([1.0, 0.0, 0.5, float("nan")]), "bool")
    assert bad.tolist() == [False, False, True, False]


def test_the_note_counts_the_cells_read_from_each_word():
    cells = pd.Series(["是", "否", "是", "true", "", "Y", "是"], dtype="str")
    note = yes_no_note(cells, "residents", "insured")
    assert str(note) == (
        "residents.insured: 5 yes/no values written in other words than true/false were "
        "read (是 → true ×3, 否 → false ×1, Y → true ×1)"
    )
    assert yes_no_note(pd.Series(["true", "FALSE", ""], dtype="str"), "r", "c") is None
    assert yes_no_note(pd.Series([True, False]), "r", "c") is None


def _column(folder, column: str, cells: list[str]) -> None:
    path = folder / "residents.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    at = header.split(",").index(column)
    edited = []
    for row, cell in zip(rows, cells, strict=True):
        parts = row.split(",")
        parts[at] = cell
        edited.append(",".join(parts))
    path.write_text("\n".join([header, *edited]) + "\n", "utf-8")


def test_a_his_export_of_residents_is_read_with_notes(csv_folder, youxi):
    # the analyst walkthrough: insured as 是/否, hypertension as 有/无 were refused
    expected = read_tables(csv_folder, system=youxi, period=WHOLE).to_pandas("residents")
    _column(csv_folder, "insured", ["是", "是", "否"])
    _column(csv_folder, "hypertension", ["有", "无", "无"])
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    pd.testing.assert_frame_equal(dataset.to_pandas("residents"), expected)
    notes = dataset_notes(dataset)
    assert (
        "residents.insured: 3 yes/no values written in other words than true/false were "
        "read (是 → true ×2, 否 → false ×1)"
    ) in notes
    assert (
        "residents.hypertension: 3 yes/no values written in other words than true/false "
        "were read (无 → false ×2, 有 → true ×1)"
    ) in notes


def test_a_word_not_read_is_refused_listing_what_is(csv_folder, youxi):
    _column(csv_folder, "insured", ["已参保", "是", "否"])
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    assert err.value.problems == [
        f"column 'insured' of residents.csv row 2: expected {YES_NO_FORMS}, got '已参保'"
    ]
    assert YES_NO_FORMS == (
        "yes or no: true/false, yes/no, y/n, t/f, 1/0, 是/否, 有/无 or 真/假 "
        "(any case, full-width too)"
    )


def test_the_data_dictionary_says_what_a_yes_no_column_reads():
    from ihms.data import schema_markdown

    assert f"A bool column reads {YES_NO_FORMS}." in schema_markdown()
