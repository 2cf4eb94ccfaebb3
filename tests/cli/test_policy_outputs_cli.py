"""Output files of `ihms policy`: tables to spreadsheets, charts to images, checked before the work."""

import json
import shutil
import sqlite3

import pandas as pd
import pytest
from tests.cli.test_policy_cli import run, said, session  # noqa: F401  (the fixture)


def test_the_counts_by_year_are_written_for_excel(session, tmp_path):  # noqa: F811
    """A researcher wants the year × category table in Excel, as SPSS or NVivo export
    it. The cell for 2017 and talent construction is counted here with plain SQL from
    the reconciled decisions (one per segment and dimension, the tools a JSON list)."""
    _, project, _ = session
    result = run("trend", project, "tools", "--table", tmp_path / "trend.xlsx")
    assert result.exit_code == 0, result.output
    assert "Counts by year written to" in said(result)
    sheet = pd.read_excel(tmp_path / "trend.xlsx").set_index("year")
    with sqlite3.connect(project) as db:
        rows = db.execute(
            "SELECT d.value FROM decisions d JOIN segments s ON s.id = d.segment_id "
            "JOIN documents doc ON doc.id = s.doc_id "
            "WHERE d.dimension = 'tools' AND substr(doc.date, 1, 4) = '2017'"
        ).fetchall()
    by_hand = sum("talent_construction" in json.loads(value) for (value,) in rows)
    assert by_hand > 0
    assert sheet.loc[2017, "Talent construction"] == by_hand
    csv = run("trend", project, "tools", "--table", tmp_path / "trend.csv")
    assert csv.exit_code == 0, csv.output
    assert (
        pd.read_csv(tmp_path / "trend.csv", encoding="utf-8-sig").shape == sheet.reset_index().shape
    )


def test_a_chart_named_as_a_spreadsheet_is_refused_before_the_work(session, tmp_path):  # noqa: F811
    """``--out trend.xlsx`` raised matplotlib's ValueError with a traceback."""
    _, project, _ = session
    result = run("trend", project, "tools", "--out", tmp_path / "trend.xlsx")
    assert result.exit_code == 2
    assert "option '--out': expected a .png, .svg or .pdf file name" in said(result)
    assert "--table" in said(result)
    assert not (tmp_path / "trend.xlsx").exists()
    pdf = run("trend", project, "tools", "--out", tmp_path / "trend.pdf")
    assert pdf.exit_code == 0 and (tmp_path / "trend.pdf").read_bytes().startswith(b"%PDF")
    table = run("trend", project, "tools", "--table", tmp_path / "trend.png")
    assert table.exit_code == 2
    assert "option '--table': " in said(table) and "trend.png: expected a .xlsx or .csv" in said(
        table
    )


def test_agreement_refuses_an_output_it_cannot_write_before_computing(session, tmp_path):  # noqa: F811
    """``agreement --out ag.txt`` ran the bootstrap, then said 'ag.txt: expected ...'."""
    _, project, _ = session
    result = run("agreement", project, "--out", tmp_path / "ag.txt", "--bootstrap", "200")
    assert result.exit_code == 2
    assert said(result).startswith("error: option '--out': ")
    assert "Inter-coder agreement" not in result.output


def test_codes_import_says_which_empty_cells_are_not_coded(session, tmp_path):  # noqa: F811
    """An empty Stakeholders cell beside a coded Policy tools cell: the user is told it is
    not coded (it used to pass in silence)."""
    project = shutil.copy(session[1], tmp_path / "study.sqlite")  # the module's stays as is
    with sqlite3.connect(project) as db:
        seg = db.execute("SELECT id FROM segments ORDER BY id LIMIT 1").fetchone()[0]
    sheet = tmp_path / "dora.csv"
    pd.DataFrame(
        [{"segment_id": seg, "Policy tools": "Information support", "Stakeholders": ""}]
    ).to_csv(sheet, index=False)
    result = run("codes", "import", project, sheet, "--coder", "dora")
    assert result.exit_code == 0, result.output
    assert (
        f"1 empty cell(s) in rows that code other dimensions are not coded: {seg}/stakeholders (dora)"
        in said(result)
    )
    assert "write - (or 无, none)" in said(result)


def _fail_halfway(monkeypatch, cls, method):
    """``cls.method`` writes half a file to the path it is given, then fails (a full disk)."""

    def half(self, path, *args, **kwargs):
        with open(path, "w") as f:
            f.write("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cls, method, half)


def _left(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize(
    "command",
    [("agreement", "--out", "agreement.csv"), ("trend", "tools", "--table", "trend.csv")],
)
def test_a_table_that_fails_halfway_leaves_the_earlier_file(
    session,  # noqa: F811
    tmp_path,
    monkeypatch,
    command,
):
    """``agreement --out`` and ``trend --table`` wrote straight to the file: a full disk
    left half a table where the earlier one was."""
    _, project, _ = session
    name, *options, file = command
    args = [name, project, *options, tmp_path / file]
    assert run(*args).exit_code == 0
    before = _left(tmp_path)
    _fail_halfway(monkeypatch, pd.DataFrame, "to_csv")
    assert run(*args).exit_code != 0
    assert _left(tmp_path) == before  # the earlier table, no temporary beside it


@pytest.mark.parametrize(
    "command",
    [
        ("words", "--dimension", "tools"),
        ("network", "--dimension", "tools", "--scheme", "paragraph"),
    ],
)
def test_figures_and_tables_of_a_folder_are_written_all_or_none(
    session,  # noqa: F811
    tmp_path,
    monkeypatch,
    command,
):
    """``words --out`` and ``network --out`` wrote frequencies.csv (nodes.csv ...) and then
    the figure straight into the folder: a figure failing halfway left half a PNG beside
    tables of the new run. Now the folder holds the earlier run's files, all of them."""
    from matplotlib.figure import Figure

    _, project, _ = session
    name, *options = command
    args = [name, project, *options, "--out", tmp_path / "out"]
    first = run(*args)
    assert first.exit_code == 0, first.output
    before = _left(tmp_path / "out")
    assert any(n.endswith(".png") for n in before) and any(n.endswith(".csv") for n in before)
    for table in (tmp_path / "out").glob("*.csv"):  # so that a rewrite would show
        table.write_text("earlier run")
    before = _left(tmp_path / "out")
    _fail_halfway(monkeypatch, Figure, "savefig")
    assert run(*args).exit_code != 0
    assert _left(tmp_path / "out") == before


def test_a_words_run_replaces_the_earlier_runs_files(session, tmp_path):  # noqa: F811
    """``words --out DIR --dimension tools`` then ``words --out DIR`` left the first run's
    top_terms.csv beside the second run's frequencies: the folder mixed two runs. Now
    the second run's set replaces the first's; a file of the user's stays."""
    _, project, _ = session
    out = tmp_path / "words"
    assert run("words", project, "--out", out, "--dimension", "tools").exit_code == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "frequencies.csv", "top_terms.csv", "wordcloud.png",
    ]  # fmt: skip
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    second = run("words", project, "--out", out, "--answers", "tools")
    assert second.exit_code == 0, second.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "frequencies.csv", "notes.txt", "wordcloud.png",
    ]  # fmt: skip
    assert "top_terms.csv (an earlier run's) removed" in said(second)
    # the second run's counts of the coded tools (with the documents they occur in)
    assert list(pd.read_csv(out / "frequencies.csv", encoding="utf-8-sig").columns) == [
        "term", "count", "documents",
    ]  # fmt: skip


def test_a_folder_written_before_runs_were_recorded_loses_its_stale_top_terms(
    session,  # noqa: F811
    tmp_path,
):
    """A folder an older ihms wrote has no record of the run: the command's own file
    names (frequencies.csv, wordcloud.png, top_terms.csv) are still its outputs."""
    _, project, _ = session
    out = tmp_path / "words"
    out.mkdir()
    (out / "top_terms.csv").write_text("category,term\n", encoding="utf-8")
    assert run("words", project, "--out", out).exit_code == 0
    assert not (out / "top_terms.csv").exists() and (out / "frequencies.csv").exists()


def test_a_tables_run_with_fewer_formats_replaces_the_earlier_set(session, tmp_path):  # noqa: F811
    _, project, _ = session
    out = tmp_path / "tables"
    assert run("tables", project, "--out", out).exit_code == 0
    csvs = {p.name for p in out.glob("*.csv")}
    assert len(csvs) > 5 and (out / "tables.tex").exists()
    result = run("tables", project, "--out", out, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["tables.xlsx"]


def test_agreement_out_makes_its_folder(session, tmp_path):  # noqa: F811
    # new-user review, session 31: README's `policy agreement $P --out out/agreement.xlsx`
    # was refused without out/, while `indicators compute --out` makes its folder
    _, project, _ = session
    out = tmp_path / "out" / "deeper" / "agreement.xlsx"
    result = run("agreement", project, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_the_agreement_workbook_carries_its_title_and_notes(session, tmp_path):  # noqa: F811
    """``agreement --out ag.xlsx`` wrote a bare frame on "Sheet1": a researcher pasting it
    into a paper lost which coders were compared and the mean kappa. The sheet is laid
    out as ``policy tables`` lays out its workbook: title, header, rows, notes below."""
    from openpyxl import load_workbook

    _, project, _ = session
    shown = run("agreement", project, "--json")
    notes = json.loads(shown.output)["notes"]
    result = run("agreement", project, "--out", tmp_path / "ag.xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "ag.xlsx")
    assert book.sheetnames == ["agreement"]
    cells = [
        [c for c in row if c is not None] for row in book["agreement"].iter_rows(values_only=True)
    ]
    assert cells[0] == ["Inter-coder agreement per dimension and category"]
    assert cells[1][:3] == ["dimension / category", "basis", "units"]
    assert [row[0] for row in cells[-len(notes) :]] == notes
    assert any(n.startswith("Coders: coder_a, coder_b") for n in notes)
    assert any(n.startswith("Mean kappa over dimensions") for n in notes)
    rows = cells[2 : -len(notes)]
    assert rows and all(isinstance(r[2], int) for r in rows)  # numbers stay numbers
    # the CSV stays a plain table to read back, as `policy tables` writes its CSVs
    csv = run("agreement", project, "--out", tmp_path / "ag.csv")
    assert csv.exit_code == 0, csv.output
    frame = pd.read_csv(tmp_path / "ag.csv", encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["dimension / category", "basis", "units"]
    assert len(frame) == len(rows)
