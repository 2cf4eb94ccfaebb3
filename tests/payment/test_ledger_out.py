"""``ihms payment ledger --out FILE.xlsx|.csv``: the tables the command prints (the
batches; or a year's net by account, its audit and, with ``--postings``, every posting),
their notes, a sheet each, yuan as exact number cells; written whole, another suffix
refused. Golden figures: the hand-worked fee-for-service year of ``test_ledger_checks``
(CH01 paid 1,000.00 yuan of claims, THC01 250.50, care outside the county 200.00,
private hospitals 50.00; the fund pays 1,500.50), and ``--json``'s ``*_fen``."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from tests.payment.test_cli_out import break_saving
from tests.payment.test_ledger_checks import _insert, _tiny_fee_for_service
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import Ledger

runner = CliRunner()


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as led:
        led.post(_tiny_fee_for_service())
    return path


def _ledger(path, *extra):
    return runner.invoke(app, ["payment", "ledger", "--ledger", str(path), *extra])


def _grid(ws):
    """The sheet's table (below its title, above its notes) by row label: cell values."""
    header = [c.value for c in ws[2]]
    rows = {}
    for row in ws.iter_rows(min_row=3):
        if all(c.value is None for c in row[1:]):  # the notes (or a blank) below
            break
        rows[row[0].value] = dict(zip(header[1:], row[1:], strict=True))
    return header, rows


def _yuan(cell) -> Decimal:
    """A money cell read back, in yuan: a number to the fen, shown so."""
    assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    assert cell.number_format == "#,##0.00"
    return Decimal(str(cell.value))


def test_a_years_audit_as_a_workbook_holds_the_printed_tables_in_exact_yuan(ledger, tmp_path):
    out = tmp_path / "audit.xlsx"
    r = _ledger(ledger, "--year", "2018", "--postings", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert f"Tables written to {out}" in " ".join(r.output.split())
    printed = json.loads(_ledger(ledger, "--year", "2018", "--postings", "--json").stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["net", "audit", "postings"]
    ws = book["net"]
    assert ws["A1"].value == "Ledger audit 2018: net of active postings by account"
    header, rows = _grid(ws)
    assert header == ["Account code", "Net (yuan)"]
    net = {n["account"]: n["net_fen"] for n in printed["net"]}
    assert {a: _yuan(c["Net (yuan)"]) * 100 for a, c in rows.items()} == net
    # the hand-worked amounts: CH01 received 1,000.00 yuan, the fund paid 1,500.50
    assert _yuan(rows["institution:CH01"]["Net (yuan)"]) == Decimal("1000.00")
    assert _yuan(rows["insurer:fund"]["Net (yuan)"]) == Decimal("-1500.50")
    notes = [row[0].value for row in ws.iter_rows(min_row=3 + len(rows)) if row[0].value]
    assert notes[0].startswith("4 posting(s) on record for the year")
    assert "The accounts net to 0.00" in notes[-1]
    audit = book["audit"]
    assert audit["A1"].value == "Ledger audit 2018: every account passes"
    assert [c.value for c in audit[3]] == ["all pass", 8, 0]  # counts stay whole numbers
    assert audit["B3"].number_format == "General"
    header, rows = _grid(book["postings"])
    assert header[-1] == "Amount (yuan)"
    amounts = {p["posting_id"]: p["amount_fen"] for p in printed["postings"]}
    assert {p: _yuan(c["Amount (yuan)"]) * 100 for p, c in rows.items()} == amounts
    # a batch number is a number shown as one, not 1.0 (its printed format is str)
    batch = next(iter(rows.values()))["Batch"]
    assert batch.value == 1 and batch.number_format == "General"


def test_a_failing_audit_is_written_with_the_expected_amounts_as_numbers(ledger, tmp_path):
    # 1.00 yuan more to CH01 than the settlement records; 5.00 paid from an account no
    # settlement books (its expected amount: none)
    batch = 1
    _insert(ledger, batch, "institution:CH01", "insurer:fund", 100, institution="CH01")
    _insert(ledger, batch, "insurer:fund", "staff:S9", 500)
    out = tmp_path / "audit.csv"
    r = _ledger(ledger, "--year", "2018", "--out", str(out), "--json")
    assert r.exit_code == 1, r.output  # the audit fails: written all the same
    assert f"tables written to {out}, {tmp_path / 'audit-audit.csv'}" in " ".join(r.stderr.split())
    failing = {f["account"]: f for f in json.loads(r.stdout)["failing"]}
    written = pd.read_csv(
        tmp_path / "audit-audit.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False
    ).set_index("Account code")
    assert sorted(written.index) == sorted(failing)
    for account, f in failing.items():
        assert Decimal(written.loc[account, "Net (yuan)"]) * 100 == f["net_fen"]
        expected = written.loc[account, "Expected (yuan)"]
        assert (None if expected == "" else Decimal(expected) * 100) == f["expected_fen"]
    assert written.loc["institution:CH01", "Expected (yuan)"] == "1000.00"  # no separator
    assert written.loc["institution:CH01", "Net (yuan)"] == "1001.00"
    assert written.loc["staff:S9", "Expected (yuan)"] == ""
    net = pd.read_csv(out, dtype=str, encoding="utf-8-sig").set_index("Account code")
    assert Decimal(net.loc["insurer:fund", "Net (yuan)"]) == Decimal("-1496.50")


def test_the_expected_amount_is_a_number_cell_in_the_workbook(ledger, tmp_path):
    _insert(ledger, 1, "institution:CH01", "insurer:fund", 100, institution="CH01")
    _insert(ledger, 1, "insurer:fund", "staff:S9", 500)
    out = tmp_path / "audit.xlsx"
    assert _ledger(ledger, "--year", "2018", "--out", str(out)).exit_code == 1
    header, rows = _grid(openpyxl.load_workbook(out)["audit"])
    assert header == ["Account code", "Net (yuan)", "Expected (yuan)", "Reasons"]
    assert _yuan(rows["institution:CH01"]["Expected (yuan)"]) == Decimal("1000.00")
    assert rows["staff:S9"]["Expected (yuan)"].value is None  # none: an empty cell
    assert "no active settlement books it" in rows["staff:S9"]["Reasons"].value


def test_the_batches_as_a_workbook(ledger, tmp_path):
    out = tmp_path / "batches.xlsx"
    r = _ledger(ledger, "--out", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out)["batches"]
    header = [c.value for c in ws[2]]
    assert header == ["Batch", "Scope", "Year", "Kind", "Rule set", "Rule set version", "Status"]
    year = ws.cell(3, header.index("Year") + 1)
    # a year is shown as the table prints it, 2018 (not 2018.0)
    assert (year.value, year.number_format) == (2018, "General")
    assert ws.cell(4, 1).value == "--json shows input digests and posting times."


def test_another_suffix_is_refused_and_nothing_is_written(ledger, tmp_path):
    out = tmp_path / "out" / "audit.txt"
    r = _ledger(ledger, "--year", "2018", "--out", str(out))
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert "--out" in said and "audit.txt" in said and ".xlsx" in said and ".csv" in said
    assert not (tmp_path / "out").exists()


def test_a_write_that_fails_leaves_no_half_file(ledger, tmp_path, monkeypatch):
    break_saving(monkeypatch)
    out = tmp_path / "written" / "audit.xlsx"
    assert _ledger(ledger, "--year", "2018", "--out", str(out)).exit_code != 0
    assert list((tmp_path / "written").iterdir()) == []


def test_the_notes_file_in_chinese_names_the_tables_in_chinese(ledger, tmp_path):
    # review 34b #2: the notes beside Chinese tables were headed table,note and named
    # the tables by their English file names
    out = tmp_path / "audit.csv"
    r = _ledger(ledger, "--year", "2018", "--out", str(out), "--lang", "zh")
    assert r.exit_code == 0, r.output
    notes = pd.read_csv(tmp_path / "audit-notes.csv", dtype=str, encoding="utf-8-sig")
    assert list(notes.columns) == ["表", "注"]
    assert set(notes["表"]) <= {"科目净额", "核对"} and len(notes) > 0
