"""``ihms indicators compute --out``: the notes written beside the table, and whole
counts written as integers (revind review, session 28, findings 5 and 6)."""

from __future__ import annotations

import pandas as pd
from tests.cli.test_indicators_cli import no_followups, store  # noqa: F401  (fixtures)
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_out_files_carry_the_notes_and_whole_counts(no_followups, tmp_path):  # noqa: F811
    """revind review (session 28), findings 5 and 6: the --out files carried none of the
    notes (indicators left out, the suppression threshold, the population, missing
    months), and a CSV wrote a count's value as 22250.0."""
    args = ["indicators", "compute", "--store", str(no_followups), "--level", "county",
            "--period", "year", "--unit", "youxi"]  # fmt: skip
    xlsx = tmp_path / "ind.xlsx"
    result = runner.invoke(app, [*args, "--out", str(xlsx)])
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["data", "notes"]  # the data first, read back as before
    notes = list(sheets["notes"]["note"])
    assert notes[0] == "ihms indicators compute: level county, period year."
    assert any(n.startswith("Cells with counts from 1 to 4 suppressed") for n in notes)
    assert any("hypertension_control_rate" in n and "followups has no rows" in n for n in notes)
    assert "the residents register (--population register)" in " ".join(notes)
    csv = tmp_path / "ind.csv"
    result = runner.invoke(app, [*args, "--out", str(csv), "--min-cell", "1"])
    assert result.exit_code == 0, result.output
    beside = pd.read_csv(tmp_path / "ind-notes.csv", encoding="utf-8-sig")
    assert "No suppression." in list(beside["note"])
    rows = pd.read_csv(csv, dtype=str, keep_default_na=False)
    visits = rows.loc[rows["indicator"] == "outpatient_emergency_visits", "value"]
    assert len(visits) and visits.str.fullmatch(r"\d+").all()  # 946, not 946.0
    assert (visits == rows.loc[visits.index, "numerator"]).all()
    rate = rows.loc[rows["indicator"] == "hospitalization_rate", "value"]
    assert rate.str.contains(r"\.").all()  # a rate keeps its decimals


def test_out_whose_notes_would_replace_another_formats_is_refused(no_followups, tmp_path):  # noqa: F811
    # review of session 29's diff: ind.csv's notes (ind-notes.csv) replaced by those of a
    # later --out ind.dta; other notes are refused, nothing written
    (tmp_path / "ind.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "ind-notes.csv").write_text("note\nby month\n", encoding="utf-8")
    dta = tmp_path / "ind.dta"
    args = ["indicators", "compute", "--store", str(no_followups), "--level", "county",
            "--period", "year", "--unit", "youxi"]  # fmt: skip
    result = runner.invoke(app, [*args, "--out", str(dta)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"--out {dta}: its notes would replace {tmp_path / 'ind-notes.csv'}" in said
    assert f"may be the notes of {tmp_path / 'ind.csv'}" in said
    assert (tmp_path / "ind-notes.csv").read_text(encoding="utf-8") == "note\nby month\n"
    assert not dta.exists()


def test_the_same_result_as_csv_and_parquet_shares_its_notes(no_followups, tmp_path):  # noqa: F811
    # session 30: the one-stem rule refused --out r.parquet after --out r.csv of the same
    # result (tests/cli/test_indicators_empty_periods.py); the notes are word for word
    # the same, so both files keep them
    args = ["indicators", "compute", "--store", str(no_followups), "--level", "county",
            "--period", "year", "--unit", "youxi"]  # fmt: skip
    for name in ("r.csv", "r.parquet"):
        result = runner.invoke(app, [*args, "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    notes = pd.read_csv(tmp_path / "r-notes.csv", encoding="utf-8-sig")["note"]
    assert notes[0] == "ihms indicators compute: level county, period year."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-notes.csv", "r.csv", "r.parquet"]


def test_the_notes_sheet_is_named_in_chinese_under_lang_zh(no_followups, tmp_path):  # noqa: F811
    # session 36: under --lang zh the workbook's notes sheet kept its English name
    args = ["indicators", "compute", "--store", str(no_followups), "--level", "county",
            "--period", "year", "--unit", "youxi", "--lang", "zh"]  # fmt: skip
    xlsx = tmp_path / "ind.xlsx"
    result = runner.invoke(app, [*args, "--out", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert list(pd.read_excel(xlsx, sheet_name=None)) == ["data", "说明"]
