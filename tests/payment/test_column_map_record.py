"""A settlement read through ``--columns MAP`` records the map (its file and digest, as
``ihms data import`` records one in the store: :attr:`ihms.data.ColumnMap.record`),
and its numbers are those of the same tables read without one; yes/no cells written in
other words than true/false are noted, per file and column, as the data import notes
them."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import read_column_map
from ihms.errors import IhmsWarning
from ihms.payment import TABLE_COLUMNS, SpendingTable

from .test_column_map_tables import EX, MAP, _chinese_spending
from .test_yes_no_cells import _spending

runner = CliRunner()
COMMON = ["payment", "settle", "--rules", "sanming", "--year", "2018", "--json"]
COMMON += ["--population", str(EX / "population.csv"), "--assume-passed"]


def test_settle_json_records_the_column_map_and_keeps_its_numbers(tmp_path):
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    spending = _chinese_spending(tmp_path)
    plain = runner.invoke(app, [*COMMON, "--spending", str(EX / "spending.csv")])
    mapped = runner.invoke(
        app, [*COMMON, "--spending", str(spending), "--columns", str(tmp_path / "map.yaml")]
    )
    assert plain.exit_code == 0 and mapped.exit_code == 0, mapped.output
    plain_json, mapped_json = json.loads(plain.stdout), json.loads(mapped.stdout)
    digest = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS).digest
    assert digest.startswith("sha256:") and len(digest) == 7 + 64
    # the map's file and digest, in the form the store keeps (`column_map` of its meta)
    assert mapped_json.pop("column_map") == f"map.yaml {digest}"
    assert plain_json.pop("column_map") is None
    # every number, and the input digest a ledger compares, unchanged
    assert mapped_json == plain_json


def test_a_ledger_keeps_the_column_map_in_its_record(tmp_path):
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    spending = _chinese_spending(tmp_path)
    ledger = tmp_path / "ledger.db"
    args = [*COMMON, "--spending", str(spending), "--columns", str(tmp_path / "map.yaml")]
    out = runner.invoke(app, [*args, "--ledger", str(ledger)])
    assert out.exit_code == 0, out.output
    with sqlite3.connect(ledger) as conn:
        (row,) = conn.execute("SELECT record_json FROM batches").fetchall()
    digest = read_column_map(tmp_path / "map.yaml", tables=TABLE_COLUMNS).digest
    assert json.loads(row[0])["column_map"] == f"map.yaml {digest}"


def test_yes_no_words_are_noted_per_file_and_column():
    # 是/否 read as true/false: `ihms data import` says so; the payment table did not
    frame = _spending(["否", "是", "否", "否"])
    with pytest.warns(IhmsWarning) as caught:
        SpendingTable.from_frame(frame, source="spending.csv")
    notes = [str(w.message) for w in caught]
    assert (
        "column 'primary_care' of spending.csv: 4 yes/no values written in other words than "
        "true/false were read (否 → false ×3, 是 → true ×1)"
    ) in notes


def test_yes_no_words_are_named_by_the_files_header_on_stderr(tmp_path):
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    spending = _chinese_spending(tmp_path)
    out = runner.invoke(
        app, [*COMMON, "--spending", str(spending), "--columns", str(tmp_path / "map.yaml")]
    )
    assert out.exit_code == 0, out.output
    stderr = "".join(out.stderr.splitlines())  # soft-wrapped: the path stays whole
    assert f"column '基层' of {spending}: " in stderr
    assert "yes/no values written in other words than true/false were read" in " ".join(
        out.stderr.split()
    )
