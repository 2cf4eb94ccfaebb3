"""``ihms payment settle --steps`` with a family-physician fee that changes in July, on
the example tables (examples/payment/population.csv: 172,000 registered in 2019), and the
ledger's account for it (session 21 user review P, findings 1 and 7)."""

from __future__ import annotations

import json

from ihms.payment import builtin_rules_text

from .test_cli_badinput import EX, run, text

BOTH = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]


def _rules(tmp_path):
    body = builtin_rules_text("deqing-shared-savings").replace(
        "  per_member_per_year_yuan: 100   # (assumption)",
        "  per_member_per_year_yuan: {2019-01: 100, 2019-07: 120}",
    )
    path = tmp_path / "wk.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_working_shows_each_periods_months_fee_and_amount(tmp_path):
    rules = _rules(tmp_path)
    r = run("settle", "--rules", str(rules), *BOTH, "--year", "2019", "--json")
    assert r.exit_code == 0, r.output
    steps = {s["step"]: s for s in json.loads(r.stdout)["steps"]}
    # Jan-Jun: 172,000 x 6 = 1,032,000 member-months x 100.00 / 12 = 8,600,000.00
    # Jul-Dec: 1,032,000 member-months x 120.00 / 12 = 10,320,000.00
    # year: 18,920,000.00
    first = steps["family-physician fee 2019-01 to 2019-06 (6 months)"]
    assert first["working"] == (
        "172,000 registered (the year's count) × 6 months = 1,032,000 member-months × "
        "100.00 per member per year (100.00 from 2019-01) / 12, rounded half up"
    )
    assert first["amount_fen"] == 8_600_000_00
    second = steps["family-physician fee 2019-07 to 2019-12 (6 months)"]
    assert second["amount_fen"] == 10_320_000_00
    assert steps["family-physician fee"]["working"] == "8,600,000.00 + 10,320,000.00"
    assert steps["family-physician fee"]["amount_fen"] == 18_920_000_00
    # the population table names no institution: the working says where the fee goes
    assert steps["family-physician fee: who receives it"]["value"].endswith(
        "the whole fee goes to one account, primary_care:family_physician_fee"
    )
    # --steps prints the same working
    r = run("settle", "--rules", str(rules), *BOTH, "--year", "2019", "--steps")
    assert r.exit_code == 0, r.output
    assert "8,600,000.00 + 10,320,000.00" in text(r)


def test_the_ledger_holds_the_fee_in_one_account_when_no_institution_is_named(tmp_path):
    rules = _rules(tmp_path)
    ledger = tmp_path / "l.sqlite"
    r = run("settle", "--rules", str(rules), *BOTH, "--year", "2019", "--ledger", str(ledger))
    assert r.exit_code == 0, r.output
    r = run("ledger", "--ledger", str(ledger), "--year", "2019", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["passed"] is True
    net = {a["account"]: a["net_fen"] for a in out["net"]}
    assert net["primary_care:family_physician_fee"] == 18_920_000_00
