"""A machine coder's provenance in a codings sheet (session 24 leftover): `codes export`
writes beside each machine code the model id, the probability (or the keyword rule that
fired), whether the segment was a training segment and its review, with the training
size, date and codebook version; the same file imports again unchanged, its provenance
columns read and checked, never written; a provenance cell edited, or a machine coder's
answer changed, is refused naming file, row and column, and nothing is imported. A
project coded by people alone exports as before.

The provenance is written here by hand (a worked example), so each expected cell is the
stored value formatted: probabilities with 4 decimals, as ``autocode provenance`` shows
them."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.policy.coding import import_codings
from ihms.policy.coding_export import export_codings

from ._machine_coded import TRAINED_AT, M, R, code_machines
from .autocode._content_project import build

BASE = ["segment_id", "coder", "document", "code", "context", "text", "Policy content", "Actors"]
PROVENANCE = [
    "Actors · machine probability",
    "Actors · machine in training",
    "Actors · machine review",
]
ROW_FIELDS = [
    "machine model",
    "machine training size",
    "machine trained at",
    "machine codebook version",
]


@pytest.fixture
def coded(tmp_path):
    """coder_a (a person) on both dimensions; machine:m1 on actors for the first three
    segments (the first reviewed and accepted by lead); keyword rules on the first."""
    p = build(tmp_path / "p.sqlite")
    s = p.segments(scheme="paragraph")["id"].tolist()
    code_machines(p, s)
    yield p, s
    p.close()


def _sheets(path) -> dict[str, pd.DataFrame]:
    """Each coder's rows, read back as a reviewer's Excel would leave them."""
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return {c: f.reset_index(drop=True) for c, f in frame.groupby("coder", sort=False)}
    book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    return {f["coder"].iloc[0]: f for f in book.values() if "coder" in f}


def _edit(path, coder: str, segment: str, column: str, value: str) -> int:
    """Change one cell of an exported CSV, as a reviewer would; its frame row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    i = int(frame.index[(frame["coder"] == coder) & (frame["segment_id"] == segment)][0])
    frame.loc[i, column] = value
    frame.to_csv(path, index=False)
    return i


def _stored(p) -> list[tuple]:
    return p.query("SELECT * FROM codings ORDER BY segment_id, dimension, coder_id, value")


def test_the_export_shows_each_machine_codes_provenance_beside_it(coded, tmp_path):
    p, s = coded
    sheets = _sheets(export_codings(p, tmp_path / "c.xlsx"))
    assert list(sheets["coder_a"].columns) == BASE  # a person's sheet as before
    m1 = sheets[M]
    assert list(m1.columns) == [*BASE, *PROVENANCE, *ROW_FIELDS]
    first, second, third = (m1.set_index("segment_id").loc[x] for x in s[:3])
    assert first["Actors"] == "Government; County hospital"
    assert first["Actors · machine probability"] == "Government=0.9755; County hospital=0.6123"
    assert first["Actors · machine in training"] == "yes"
    assert first["Actors · machine review"] == "accepted (lead)"
    assert first["machine model"] == "m1" and first["machine training size"] == "32"
    assert first["machine trained at"] == TRAINED_AT
    assert first["machine codebook version"] == "ycgt v1 (a1d615cc6a75)"
    assert second["Actors · machine probability"] == "Government=0.8000"
    assert (second["Actors · machine in training"], second["Actors · machine review"]) == ("no", "")
    assert (third["Actors"], third["Actors · machine probability"]) == ("-", "")
    uncoded = m1.set_index("segment_id").loc[s[3]]
    assert (uncoded[[*PROVENANCE, *ROW_FIELDS]] == "").all()  # no answer, no provenance
    rules = sheets[R].set_index("segment_id").loc[s[0]]
    assert rules["Actors · machine rule"] == "Government=政府 OR 局"
    assert "Actors · machine probability" not in sheets[R]
    assert "machine training size" not in sheets[R]  # keyword rules are not trained


def test_the_workbook_greys_the_read_only_columns_and_says_why(coded, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export_codings(coded[0], tmp_path / "c.xlsx"))
    ws = next(w for w in book.worksheets if w["B2"].value == M)
    header = {c.value: c for c in ws[1]}
    assert header["Actors · machine probability"].fill.start_color.rgb.endswith("EDEDED")
    assert ws["I3"].fill.start_color.rgb.endswith("EDEDED")  # its cells too
    assert header["Actors"].fill.fill_type is None  # the answer stays editable
    read_only = [
        str(v.sqref) for v in ws.data_validations.dataValidation if v.promptTitle == "Read-only"
    ]
    # columns I to O (3 beside Actors, 4 at the row's end) from the header to row 33
    assert read_only == [f"{c}1:{c}33" for c in "IJKLMNO"]


def test_the_chinese_export_names_the_columns_in_chinese(coded, tmp_path):
    p, s = coded
    m1 = _sheets(export_codings(p, tmp_path / "c.csv", lang="zh"))[M].set_index("segment_id")
    assert m1.at[s[0], "主体 · 机器概率"] == "政府=0.9755; 县级医院=0.6123"
    assert m1.at[s[0], "主体 · 机器训练片段"] == "是"
    assert m1.at[s[0], "主体 · 机器编码审核"] == "接受（lead）"
    assert m1.at[s[0], "机器模型"] == "m1"


@pytest.mark.parametrize(
    ("suffix", "lang"), [(".xlsx", "en"), (".csv", "en"), (".xlsx", "zh"), (".csv", "key")]
)
def test_the_exported_file_imports_again_unchanged(coded, tmp_path, suffix, lang):
    p, _ = coded
    before = _stored(p)
    path = export_codings(p, tmp_path / f"c{suffix}", lang=lang)
    result = import_codings(p, path)
    total = len(p.query("SELECT DISTINCT segment_id, dimension, coder_id FROM codings"))
    assert (result.added, result.replaced, result.unchanged) == (0, 0, total)
    assert _stored(p) == before  # reviews and provenance as they were
    assert result.left_empty == ()  # a model's other dimension is not a cell left empty
    (note,) = result.notes
    assert "machine provenance column(s) read, not imported" in note
    assert "they agree with what the project records" in note


def test_the_cli_round_trip_says_the_provenance_columns_were_read(coded, tmp_path):
    p, _ = coded
    target, out = str(p.path), str(tmp_path / "c.xlsx")
    p.close()
    runner = CliRunner()
    done = runner.invoke(app, ["policy", "codes", "export", target, out])
    assert done.exit_code == 0, done.output
    again = runner.invoke(app, ["policy", "codes", "import", target, out])
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "machine provenance column(s) read, not imported" in said
    assert "0 codings written" in said


@pytest.mark.parametrize(
    ("column", "edited"),
    [
        ("Actors · machine probability", "Government=0.9900; County hospital=0.6123"),
        ("Actors · machine review", "rejected (lead)"),
        ("Actors · machine review", ""),
        ("machine model", "m2"),
        ("machine training size", "320"),
    ],
)
def test_an_edited_provenance_cell_is_refused_naming_file_row_and_column(
    coded, tmp_path, column, edited
):
    p, s = coded
    path = export_codings(p, tmp_path / "c.csv")
    i = _edit(path, M, s[0], column, edited)
    before, imports = _stored(p), p.query("SELECT count(*) FROM imports")
    with pytest.raises(DataError) as err:
        import_codings(p, path, replace=True)
    said = " ".join(err.value.problems)
    # the header is file row 1, so frame row i is file row i + 2
    assert f"c.csv row {i + 2}, column {column!r}: machine provenance is read-only" in said
    assert f"the sheet says {edited!r}" in said and "nothing imported" in str(err.value)
    assert _stored(p) == before and p.query("SELECT count(*) FROM imports") == imports


def test_machine_provenance_beside_a_persons_answer_is_refused(coded, tmp_path):
    p, s = coded
    path = export_codings(p, tmp_path / "c.csv")
    i = _edit(path, "coder_a", s[1], "Actors · machine review", "accepted (lead)")
    with pytest.raises(DataError) as err:
        import_codings(p, path)
    said = " ".join(err.value.problems)
    assert f"row {i + 2}, column 'Actors · machine review'" in said
    assert "records '' for coder 'coder_a'" in said and "(nothing)" in said


@pytest.mark.parametrize("keep_provenance", [True, False])
def test_a_machine_answer_changed_in_the_sheet_is_refused(coded, tmp_path, keep_provenance):
    p, s = coded
    path = export_codings(p, tmp_path / "c.xlsx", coders=[M])
    frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    if not keep_provenance:  # columns deleted: the answer is still the model's
        frame = frame.drop(columns=[*PROVENANCE, *ROW_FIELDS])
    i = int(frame.index[frame["segment_id"] == s[1]][0])
    frame.loc[i, "Actors"] = "County hospital"
    frame.to_excel(path, index=False)
    before = _stored(p)
    with pytest.raises(DataError) as err:
        import_codings(p, path, replace=True)
    said = " ".join(err.value.problems)
    assert f"row {i + 2}, column 'Actors': {M!r} is a machine coder" in said
    assert "what model m1 gave ({government})" in said and "says {hospital}" in said
    assert "`ihms policy autocode review`" in said
    assert _stored(p) == before


def test_provenance_columns_deleted_import_as_before(coded, tmp_path):
    p, _ = coded
    path = export_codings(p, tmp_path / "c.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[[c for c in frame.columns if "machine" not in c]].to_csv(path, index=False)
    result = import_codings(p, path)
    assert result.added == 0 and result.notes == ()


def test_a_project_coded_by_people_exports_as_before(tmp_path):
    p = build(tmp_path / "p.sqlite")
    try:
        for suffix in (".xlsx", ".csv"):
            sheets = _sheets(export_codings(p, tmp_path / f"c{suffix}"))
            assert list(sheets) == ["coder_a"]
            assert list(sheets["coder_a"].columns) == BASE
            assert import_codings(p, tmp_path / f"c{suffix}").notes == ()
    finally:
        p.close()


def test_a_refusal_quotes_the_record_in_the_sheets_language(coded, tmp_path):
    p, s = coded
    path = export_codings(p, tmp_path / "c.csv", lang="zh")
    i = _edit(path, M, s[0], "主体 · 机器概率", "政府=0.9999")
    with pytest.raises(DataError) as err:
        import_codings(p, path)
    said = " ".join(err.value.problems)
    assert f"row {i + 2}, column '主体 · 机器概率'" in said
    assert "records '政府=0.9755; 县级医院=0.6123'" in said
