"""``ihms payment settle|distribute|budget --out FILE`` (payment review 24 #12): the
tables the command prints, written to an ``.xlsx`` (a sheet per table: title, header,
rows, notes below; yuan as number cells to the fen) or ``.csv`` files (the first table
in FILE, each other in ``FILE-<table>.csv``, the notes in ``FILE-notes.csv``), whole or
not at all. Golden figures: the
settlement of examples/payment under sanming, 2018, computed by the library
(:func:`ihms.payment.settle_year`), and DR-THC03-A's 116,708.37 yuan annual salary
(``test_incentive_checks``)."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import settle_year, settlement_inputs

from .conftest import former_sanming

runner = CliRunner()
# the settlement of examples/payment under the sanming rules before session 36, whose
# premium (640 yuan in 2017 grown 6 %) the figures here were worked with (conftest)
pytestmark = pytest.mark.usefixtures("former_sanming_rules")


def _run(command, example_dir, *extra):
    files = [
        f"--{t}={example_dir / f'{t}.csv'}"
        for t in ("spending", "population", "indicators", "staff")
    ]
    return runner.invoke(app, ["payment", command, *files, "--year", "2018", *extra])


@pytest.fixture(scope="module")
def record(youxi):
    rules = former_sanming()  # the premium the figures were worked with (conftest)
    inputs = settlement_inputs(rules, 2018, **youxi, assume_assessment_passed=False)
    return settle_year(rules, inputs)


def _book(command, example_dir, out, *extra):
    """The workbook ``command --out out`` wrote."""
    result = _run(command, example_dir, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _rows(ws):
    """The sheet's rows as tuples of cell values."""
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_settle_xlsx_holds_each_table_on_its_sheet_with_yuan_as_numbers(
    tmp_path, example_dir, record
):
    book = _book("settle", example_dir, tmp_path / "deep" / "settle.xlsx", "--steps")
    assert book.sheetnames == ["settlement", "assessment", "working"]
    ws = book["settlement"]
    table = record.summary()
    assert ws["A1"].value == table.title
    assert [c.value for c in ws[2]] == ["Item", "Amount (yuan)", "Working"]
    for i, (item, amount) in enumerate(table.frame["Amount (yuan)"].items(), start=3):
        assert ws.cell(i, 1).value == item
        cell = ws.cell(i, 2)
        assert isinstance(cell.value, int | float)
        assert Decimal(str(cell.value)) == amount  # exact to the fen
        assert cell.number_format == "#,##0.00"
    below = [r[0] for r in _rows(ws)[3 + len(table.frame) - 1 :] if r[0] is not None]
    # every note, those printed on stderr too (which a file lacks): the settlement's
    # incentive note asks for the command's option
    said = [
        n.replace(
            "give the headcount the pool", "give --staff-headcount, the headcount the pool"
        ).replace("pool is for to check", "pool is for, to check")
        for n in table.notes
    ]
    assert below[: len(said)] == said
    assert any(n.startswith("Incentive above 1 × the base salary") for n in said)
    # the consortium's balance, from the record in fen
    balance = next(r for r in _rows(ws) if r[0] == "balance")
    assert Decimal(str(balance[1])) * 100 == record.balance_fen
    assert book["assessment"]["A1"].value == record.assessment.summary().title
    assert book["working"]["A1"].value == record.audit_trail().title


def test_settle_xlsx_without_steps_holds_the_printed_tables_only(tmp_path, example_dir):
    out = tmp_path / "settle.xlsx"
    result = _run("settle", example_dir, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["settlement", "assessment"]
    assert str(out) in " ".join(result.stdout.split())


def test_distribute_csv_round_trips_exactly(tmp_path, example_dir, record):
    out = tmp_path / "dist.csv"
    result = _run("distribute", example_dir, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "dist-notes.csv",
        "dist-salaries.csv",
        "dist.csv",
    ]
    dist = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    expected = record.distribution.summary().frame
    assert list(dist.columns) == ["Use of the balance", "Share (%)", "Amount (yuan)"]
    assert list(dist["Use of the balance"]) == list(expected.index)
    assert [Decimal(v) for v in dist["Amount (yuan)"]] == list(expected["Amount (yuan)"])
    assert sum(Decimal(v) for v in dist["Amount (yuan)"]) * 100 == record.distribution.total_fen
    salaries = pd.read_csv(tmp_path / "dist-salaries.csv", dtype=str, encoding="utf-8-sig")
    row = salaries.set_index("Staff id").loc["DR-THC03-A"]
    assert Decimal(row["Incentive (yuan)"]) == Decimal("116708.37")


def test_distribute_xlsx_salaries_are_numbers(tmp_path, example_dir, record):
    book = _book("distribute", example_dir, tmp_path / "dist.xlsx")
    assert book.sheetnames == ["distribution", "salaries"]
    ws = book["salaries"]
    header = [c.value for c in ws[2]]
    col = header.index("Incentive (yuan)") + 1
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "DR-THC03-A")
    assert isinstance(row[col - 1].value, float)
    assert Decimal(str(row[col - 1].value)) == Decimal("116708.37")
    # the settlement's own notes go with the distribution's table (a file has no stderr)
    notes = [r[0] for r in _rows(book["distribution"])]
    said = [
        n.replace(
            "give the headcount the pool is for to check",
            "give --staff-headcount, the headcount the pool is for, to check",
        )
        for n in record.notes
    ]
    assert all(n in notes for n in said)  # the incentive note asks for the option


def test_budget_out_writes_its_one_table(tmp_path, example_dir):
    out = tmp_path / "budget.xlsx"
    pop = f"--population={example_dir / 'population.csv'}"
    result = runner.invoke(app, ["payment", "budget", pop, "--year", "2018", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["budget"]


@pytest.mark.parametrize("command", ["settle", "distribute"])
def test_another_suffix_is_refused_naming_the_option_and_the_suffixes(
    tmp_path, example_dir, command
):
    out = tmp_path / "settle.txt"
    result = _run(command, example_dir, "--out", str(out))
    assert result.exit_code != 0
    said = " ".join(result.output.split())
    assert "--out" in said and ".csv" in said and ".xlsx" in said and "settle.txt" in said
    assert list(tmp_path.iterdir()) == []


def test_a_folder_named_as_the_file_is_refused_before_the_work(tmp_path, example_dir):
    out = tmp_path / "settle.xlsx"
    out.mkdir()
    result = _run("settle", example_dir, "--out", str(out))
    assert result.exit_code != 0
    assert "is a folder" in " ".join(result.output.split())
    assert [p.name for p in tmp_path.iterdir()] == ["settle.xlsx"]


def test_nothing_is_written_when_the_command_fails(tmp_path, example_dir):
    out = tmp_path / "settle.xlsx"
    files = [f"--spending={example_dir / 'spending.csv'}"]  # no population: refused
    result = runner.invoke(app, ["payment", "settle", *files, "--year", "2018", "--out", str(out)])
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


def break_saving(monkeypatch) -> None:
    """Make every workbook's save write half a file, then fail (a disk filling up)."""
    import openpyxl.workbook.workbook as wb_module

    def broken_save(self, filename):
        with open(filename, "wb") as f:
            f.write(b"PK half")
        raise OSError("disk full")

    monkeypatch.setattr(wb_module.Workbook, "save", broken_save)


def test_a_write_that_fails_leaves_no_half_file(tmp_path, example_dir, monkeypatch):
    break_saving(monkeypatch)
    out = tmp_path / "settle.xlsx"
    result = _run("settle", example_dir, "--out", str(out))
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


def test_scorecard_out_holds_the_assessment_and_the_salaries(tmp_path, example_dir, record):
    book = _book("scorecard", example_dir, tmp_path / "cards.xlsx")
    assert book.sheetnames == ["assessment", "salaries"]
    ws = book["assessment"]
    assert ws["A1"].value == record.assessment.summary().title
    points = record.assessment.summary().frame["Points"]
    for i, value in enumerate(points, start=3):
        assert Decimal(str(ws.cell(i, 5).value)) == value


def test_compare_out_gives_every_amount_exact_in_yuan(tmp_path, example_dir):
    out = tmp_path / "compare.csv"
    result = _run("compare", example_dir, "--year", "2019", "--out", str(out))
    assert result.exit_code == 0, result.output
    as_json = _run("compare", example_dir, "--year", "2019", "--json")
    settlements = pd.DataFrame(json.loads(as_json.stdout)["settlements"])
    written = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert len(written) == len(settlements)
    for fen, yuan in (("global_budget_fen", "global_budget_yuan"),
                      ("consortium_result_fen", "consortium_result_yuan")):  # fmt: skip
        # the printed table rounds to 0.01 million yuan; the file keeps every fen
        assert [Decimal(v) * 100 for v in written[yuan]] == [
            Decimal(int(v)) for v in settlements[fen]
        ]
    effect = pd.read_csv(tmp_path / "compare-effect.csv", dtype=str, encoding="utf-8-sig")
    assert "cumulative_result_change_yuan" in effect.columns


def test_the_working_gives_its_money_as_numbers_beside_the_text(tmp_path, example_dir, record):
    # the working's results are text ("216,896,962.56 yuan"); the file adds them in yuan
    out = tmp_path / "budget.csv"
    pop = f"--population={example_dir / 'population.csv'}"
    result = runner.invoke(app, ["payment", "budget", pop, "--year", "2018", "--out", str(out)])
    assert result.exit_code == 0, result.output
    steps = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    budget = steps.set_index("step").loc["global budget", "amount (yuan)"]
    assert Decimal(budget) * 100 == record.budget.global_budget_fen
    assert steps.set_index("step").iloc[0]["amount (yuan)"] == ""  # a count: no money
    ws = _book("settle", example_dir, tmp_path / "s.xlsx", "--steps")["working"]
    header = [c.value for c in ws[2]]
    assert header[-1] == "amount (yuan)"
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "global budget")
    assert Decimal(str(row[-1].value)) * 100 == record.budget.global_budget_fen


def test_a_later_csv_set_replaces_the_earlier_one(tmp_path, example_dir):
    # settle --steps wrote s-working.csv; settling again without it must not leave that
    # file beside the new set, as if it were the new settlement's working
    out = tmp_path / "s.csv"
    assert _run("settle", example_dir, "--out", str(out), "--steps").exit_code == 0
    assert (tmp_path / "s-working.csv").exists()
    assert _run("settle", example_dir, "--out", str(out)).exit_code == 0
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert left == ["s-assessment.csv", "s-notes.csv", "s.csv"]


def test_a_csv_set_keeps_every_note_the_workbook_keeps(tmp_path, example_dir):
    # payment review 2026-11-25, finding 4: --out FILE.csv dropped every note (the rules'
    # digest, the part-year caveat), which the .xlsx keeps under each table
    part = ("--year", "2017", "--reform", "2017-10", "--part-year")
    files = [f"--{t}={example_dir / f'{t}.csv'}" for t in ("spending", "population", "indicators")]
    for out in (tmp_path / "p17.csv", tmp_path / "p17.xlsx"):
        r = runner.invoke(app, ["payment", "settle", *files, *part, "--out", str(out)])
        assert r.exit_code == 0, r.output
    notes = pd.read_csv(tmp_path / "p17-notes.csv", dtype=str, encoding="utf-8-sig")
    assert list(notes.columns) == ["table", "note"]
    assert set(notes["table"]) == {"settlement", "assessment"}
    said = list(notes["note"])
    assert any(n.startswith("2017 settled with --part-year") for n in said)
    assert any(n.startswith("Rules sanming v") for n in said)
    book = openpyxl.load_workbook(tmp_path / "p17.xlsx")
    in_book = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert set(said) <= in_book


def test_a_notes_file_that_fails_leaves_no_table_behind(tmp_path, example_dir, monkeypatch):
    import ihms._statfiles as statfiles

    class Broken:
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    monkeypatch.setattr(statfiles, "notes_frame", lambda *a, **k: Broken())
    result = _run("settle", example_dir, "--out", str(tmp_path / "s.csv"))
    assert result.exit_code != 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == []
