"""The commands that read a policy sheet tell the user, on stderr as the statistics
commands and data import do (``note: …``), that a title row or a blank row above the
header was left out, and every message on a later row names the file's row
(review 21b findings 8 and 9): ``policy codes import``, ``policy reconcile
--decisions``, ``policy autocode review --sheet``, and ``policy screen`` with a
decisions sheet or a Rayyan export's customizations_log.csv (among the screening's
notes, which the project keeps)."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.project import Project

from .test_sheet_titles import ABOVE, TITLE, blank_book, blank_csv, suffix_of, titled_csv

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", *map(str, args)])


def flat(text: str) -> str:
    """``text`` with rich's line wrapping undone."""
    return " ".join(text.split())


def left_out(label: str, write=None) -> str:
    if write in (blank_book, blank_csv):  # a blank row is no title (review 22a L7)
        return f"note: {label}: blank row 1 above the header left out"
    return f"note: {label}: row 1 above the header left out as the sheet's title"


@pytest.fixture
def copies(project_templates, tmp_path):
    """``(segmented, coded)``: fresh copies of the example projects, as files."""
    out = []
    for kind in ("segmented", "coded"):
        target = tmp_path / f"{kind}.sqlite"
        shutil.copy(project_templates[kind], target)
        out.append(target)
    return out


def _segment(path) -> str:
    with Project(path) as p:
        return str(p.segments()["id"].iloc[0])


@pytest.mark.parametrize("write", ABOVE)
def test_codes_import_says_the_row_above_was_left_out(copies, tmp_path, write):
    study, _ = copies
    seg = _segment(study)
    suffix = suffix_of(write)
    # a workbook's sheets are read one by one (read_sheets), each named in its note
    label = f"codes{suffix}" + (", sheet 'Sheet'" if suffix == ".xlsx" else "")
    bad = write(
        tmp_path / f"codes{suffix}",
        ("segment_id", "tools"),
        (seg, "Policy promotion"),
        ("p-nowhere", "Policy promotion"),  # row 4 of the file
    )
    res = run("codes", "import", study, bad, "--coder", "c")
    assert res.exit_code == 2
    assert f"{label} row 4: segment 'p-nowhere' is not in the project" in flat(res.output)
    good = write(tmp_path / f"good{suffix}", ("segment_id", "tools"), (seg, "Policy promotion"))
    res = run("codes", "import", study, good, "--coder", "c")
    assert res.exit_code == 0, res.output
    assert left_out(label.replace("codes", "good"), write) in flat(res.stderr)
    assert "left out" not in res.stdout  # the note is not among what was imported
    res = run("codes", "import", study, good, "--coder", "d", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["notes"] == [left_out(label.replace("codes", "good"), write)[6:]]


def test_codes_import_says_so_for_each_sheet_of_a_workbook(copies, tmp_path):
    """A workbook of two sheets, a title over the first (review 21b finding 8: the
    notes of read_sheets' sheets were dropped)."""
    study, _ = copies
    seg = _segment(study)
    book = openpyxl.Workbook()
    book.active.title = "A"
    for values in ([TITLE], ["segment_id", "tools"], [seg, "Policy promotion"]):
        book.active.append(values)
    second = book.create_sheet("B")
    second.append(["segment_id", "stakeholders"])
    second.append([seg, "Governments"])
    book.save(tmp_path / "two.xlsx")
    res = run("codes", "import", study, tmp_path / "two.xlsx", "--coder", "c")
    assert res.exit_code == 0, res.output
    assert left_out("two.xlsx, sheet 'A'") in flat(res.stderr)
    assert "sheet 'B'" not in res.stderr


@pytest.mark.parametrize("write", ABOVE)
def test_reconcile_decisions_say_the_row_above_was_left_out(copies, tmp_path, write):
    _, coded = copies
    seg = _segment(coded)
    suffix = suffix_of(write)
    header = ("segment_id", "dimension", "decision")
    bad = write(
        tmp_path / f"decided{suffix}",
        header,
        (seg, "tools", "Talent construction"),
        (seg, "tools", "Financial guarantee"),  # row 4, deciding row 3's pair otherwise
    )
    args = ("reconcile", coded, "--coders", "coder_a,coder_b", "--by", "lead", "--decisions")
    res = run(*args, bad)
    assert res.exit_code == 2
    assert f"decided{suffix} row 4, column 'decision'" in flat(res.output)
    assert "but row 3 says" in flat(res.output)
    good = write(tmp_path / f"good{suffix}", header, (seg, "tools", "Talent construction"))
    res = run(*args, good)
    assert res.exit_code == 0, res.output
    assert left_out(f"good{suffix}", write) in flat(res.stderr)
    assert "1 decisions recorded by lead." in flat(res.stdout)


@pytest.mark.parametrize("write", ABOVE)
def test_autocode_review_says_the_row_above_was_left_out(copies, tmp_path, write):
    _, coded = copies
    seg = _segment(coded)
    machine = "machine:test"
    with Project(coded) as p:
        from ihms.policy.coding import import_codings

        frame = pd.DataFrame({"segment_id": [seg], "tools": ["Policy promotion"]})
        import_codings(p, frame, coder=machine)
    suffix = suffix_of(write)
    header = ("segment", "dimension", "coder", "status")
    bad = write(
        tmp_path / f"review{suffix}",
        header,
        (seg, "tools", machine, ""),
        (seg, "tools", machine, "acepted"),  # row 4
    )
    res = run("autocode", "review", coded, "--sheet", bad, "--by", "lead")
    assert res.exit_code == 2
    assert f"review{suffix} row 4, column 'status': expected 'accepted'" in flat(res.output)
    good = write(tmp_path / f"good{suffix}", header, (seg, "tools", machine, "接受"))
    res = run("autocode", "review", coded, "--sheet", good, "--by", "lead")
    assert res.exit_code == 0, res.output
    assert f"1 answers of {machine} reviewed by lead (1 accepted)" in flat(res.stdout)
    # the sheet is read for the status counts too; its note is said once
    assert flat(res.stderr).count(left_out(f"good{suffix}", write)) == 1


# the example corpus's E01 and E02 are an interpretation and a news report (see
# tests/cli/test_policy_screen_cli.py); their titles match the corpus's metadata
ALICE = [("E01", "title", "exclude", "政策解读"), ("E02", "title", "exclude", "媒体报道")]


@pytest.mark.parametrize("write", [blank_book, titled_csv])
def test_a_screening_sheet_under_a_row_above_is_read_and_said_so(copies, tmp_path, write):
    study, _ = copies
    header = ("id", "stage", "decision", "reason")
    bad = write(
        tmp_path / f"alice{suffix_of(write)}", header, *ALICE, ("E03", "title", "maybe", "")
    )
    res = run("screen", study, "--to", "2021-12-31", "--decisions", bad)
    assert res.exit_code == 2
    assert f"alice{suffix_of(write)} row 5, field 'decision'" in flat(res.output)
    good = write(tmp_path / f"bob{suffix_of(write)}", header, *ALICE)
    res = run("screen", study, "--to", "2021-12-31", "--decisions", good)
    assert res.exit_code == 0, res.output
    assert left_out(f"bob{suffix_of(write)}", write)[6:] in flat(res.output)


def test_a_rayyan_log_under_a_title_row_is_said_so(copies, tmp_path):
    """customizations_log.csv beside the export (columns as rayyanR's example_inputs has
    them), saved with a title above its header: read, and said so among the notes."""
    study, _ = copies
    with Project(study) as p:
        title = next(d.title for d in p.load_documents() if d.id == "E01")
    votes = 'RAYYAN-INCLUSION: {""alice""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: a,b'
    export = tmp_path / "articles.csv"
    export.write_text(f'key,title,year,notes\nrayyan-11,{title},2017,"{votes}"\n', "utf-8")
    titled_csv(
        tmp_path / "customizations_log.csv",
        ("created_at", "user_id", "user_email", "article_id", "key", "value"),
        ("2014-05-22T10:17:22Z", "5", "alice@example.org", "11", "included", "-1"),
        ("2014-05-22T10:17:37Z", "5", "alice@example.org", "11", '"""__EXR__政策解读"""', "1"),
    )
    res = run("screen", study, "--to", "2021-12-31", "--rayyan", f"title={export}", "--json")
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["notes"]
    assert left_out("customizations_log.csv")[6:] in notes
    assert any("alice = alice@example.org" in n for n in notes)  # the log was read
