"""A reversal batch undoes the batch it reverses, so it shows that batch's rule set — the
batches list showed the replacing rule set's name ("other-areas") on the reversal of a
sanming batch — and says which batch it reverses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.payment.test_ledger import _record
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import Ledger
from ihms.payment.ledger_results import batches_summary

runner = CliRunner()


def test_a_reversal_carries_the_rule_set_it_reverses(tmp_path, youxi):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(_record(youxi, rules="sanming"))
        ledger.post(_record(youxi, rules="other-areas"))
        b = ledger.batches()
        assert list(zip(b["kind"], b["rules_name"], strict=True)) == [
            ("settlement", "sanming"),
            ("reversal", "sanming"),
            ("settlement", "other-areas"),
        ]
        frame = batches_summary(b, title="batches").to_frame()
    assert list(frame["Status"]) == ["reversed", "reverses batch 1", "active"]
    assert list(frame["Rule set"]) == ["sanming", "sanming", "other-areas"]


def test_a_ledger_written_before_shows_the_reversed_rule_set_too(tmp_path, youxi):
    # ledgers written before the fix stored the new rule set on the reversal row
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        ledger.post(_record(youxi, rules="sanming"))
        ledger.post(_record(youxi, rules="other-areas"))
    conn = sqlite3.connect(path)
    (stored,) = conn.execute("SELECT rules_name FROM batches WHERE kind = 'reversal'").fetchone()
    assert stored == "sanming"  # written right from now on
    conn.execute(
        "INSERT INTO batches (scope, year, kind, input_digest, rules_name, rules_version, "
        "reverses_batch, record_json, posted_at) SELECT 'old', year, 'reversal', input_digest, "
        "'other-areas', rules_version, 1, record_json, posted_at FROM batches WHERE batch_id = 2"
    )
    conn.commit()
    conn.close()
    with Ledger(path, read_only=True) as ledger:
        old = ledger.batches(scope="old")
    assert list(old["rules_name"]) == ["sanming"]


def test_the_cli_batches_list_names_the_reversed_rule_set(tmp_path):
    ex = Path(__file__).resolve().parents[2] / "examples" / "payment"
    settle = ["payment", "settle", "--year", "2018", "--assume-passed"]
    settle += ["--spending", str(ex / "spending.csv"), "--population", str(ex / "population.csv")]
    settle += ["--ledger", str(tmp_path / "l.sqlite")]
    assert runner.invoke(app, [*settle, "--rules", "sanming"]).exit_code == 0
    assert runner.invoke(app, [*settle, "--rules", "other-areas"]).exit_code == 0
    r = runner.invoke(app, ["payment", "ledger", "--ledger", str(tmp_path / "l.sqlite")])
    assert r.exit_code == 0, r.output
    # batch 2's line (the status may wrap onto the next line in a narrow terminal)
    rows = [line.replace("│", " ").split() for line in r.output.splitlines()]
    (at,) = [i for i, c in enumerate(rows) if c[:1] == ["2"]]
    assert rows[at][:6] == ["2", "consortium", "2018", "reversal", "sanming", "2018.1"]
    status = rows[at][6:] + (rows[at + 1] if rows[at][6:] == ["reverses"] else [])
    assert status == ["reverses", "batch", "1"], r.output
    assert "under that batch's rule set" in " ".join(r.output.split())
