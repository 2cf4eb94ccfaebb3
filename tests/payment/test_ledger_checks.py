"""The ledger audit's rule per account (``AuditView.checks`` / ``failing``): each
account's net equals to the fen what the active settlements record, no negative balance
where an account only receives, every posting has a batch of its year as its source."""

import json
import sqlite3
from decimal import Decimal

import pandas as pd
import pytest
from tests.payment.test_ledger import _record
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import (
    Ledger,
    PopulationTable,
    SpendingTable,
    load_rules,
    settle_year,
    settlement_inputs,
)
from ihms.payment._ledger_checks import expected_nets


def _tiny_fee_for_service():
    """Fee for service, 2018 (four postings): CH01 is paid 1,000.00 yuan of claims, THC01 250.50, care
    outside the county 200.00, private hospitals 50.00; 4 residents registered with a
    family physician (the rule set pays no fee)."""
    spending = SpendingTable.from_frame(
        pd.DataFrame(
            {
                "year": [2018] * 4,
                "setting": ["consortium", "consortium", "outside_county", "private"],
                "institution_id": ["CH01", "THC01", "", ""],
                "insurance_paid_fen": [100_000, 25_050, 20_000, 5_000],
            }
        ),
        source="tiny spending",
    )
    population = PopulationTable.from_frame(
        pd.DataFrame({"year": [2018], "insured_population": [10]}), source="tiny population"
    )
    rules = load_rules("fee-for-service")
    return settle_year(
        rules, settlement_inputs(rules, 2018, spending=spending, population=population)
    )


def test_expected_nets_of_a_hand_worked_fee_for_service_year():
    rec = _tiny_fee_for_service()
    # worked by hand from the docstring's amounts: every claim paid from the insurer's fund
    assert expected_nets(rec.to_dict()) == {
        "institution:CH01": 100_000,
        "institution:THC01": 25_050,
        "outside_county:providers": 20_000,
        "private:hospitals": 5_000,
        "primary_care:family_physician_fee": 0,
        "consortium:own_funds": 0,
        # the rule set's one balance use, with no balance to use under fee for service
        "consortium:use:institutional_development": 0,
        "insurer:fund": -(100_000 + 25_050 + 20_000 + 5_000),
    }


def test_a_clean_ledger_passes_every_account_even_after_a_replacement(tmp_path, youxi):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(_record(youxi))
        ledger.post(_record(youxi, rules="other-areas"))  # reversal + new batch
        view = ledger.audit(2018)
    assert view.passed and view.failing.empty
    assert len(view.checks) > 30 and view.checks["passed"].all()
    # pass-through accounts are checked, at 0
    gb = view.checks.set_index("account").loc["consortium:global_budget"]
    assert gb["net_fen"] == 0 and gb["expected_fen"] == 0
    assert "every account passes" in view.checks_summary().title


def _insert(path, batch_id, debit, credit, fen, institution="consortium", year=2018):
    # another program's insert: plain sqlite3, foreign keys off (SQLite's default)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO postings (batch_id, year, debit, credit, amount_fen, category, "
        "institution, memo) VALUES (?, ?, ?, ?, ?, 'x', ?, 'hand-made')",
        (batch_id, year, debit, credit, fen, institution),
    )
    conn.commit()
    conn.close()


def test_a_posting_added_to_a_settlement_fails_both_its_accounts(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    # 1.00 yuan more to CH01 from the fund than the settlement records
    _insert(path, batch, "institution:CH01", "insurer:fund", 100, institution="CH01")
    with Ledger(path, read_only=True) as ledger:
        view = ledger.audit(2018)
    bad = view.failing.set_index("account")
    assert sorted(bad.index) == ["institution:CH01", "insurer:fund"]
    assert bad.loc["institution:CH01", "net_fen"] == 100_100
    assert bad.loc["institution:CH01", "expected_fen"] == 100_000
    assert bad.loc["institution:CH01", "reasons"] == (
        "net 1,001.00 yuan ≠ 1,000.00 yuan the settlement records (difference 1.00 yuan)"
    )
    assert bad.loc["insurer:fund", "net_fen"] == -150_150
    assert not view.passed
    table = view.checks_summary()
    assert table.title == "Ledger audit 2018: 2 of 8 account(s) fail"


def test_negative_and_unbooked_accounts_fail_with_their_reasons(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    # 5.00 yuan paid out of a staff account no settlement books
    _insert(path, batch, "insurer:fund", "staff:S9", 500)
    with Ledger(path, read_only=True) as ledger:
        view = ledger.audit(2018)
    bad = view.failing.set_index("account")
    assert pd.isna(bad.loc["staff:S9", "expected_fen"])
    # the audit's table holds exact yuan, none expected as a missing cell printed "—"
    table = view.checks_summary()
    assert table.to_frame().loc["staff:S9", "Net (yuan)"] == Decimal("-5.00")
    assert table.to_frame().loc["staff:S9", "Expected (yuan)"] is None
    row = next(r for r in table.to_text().splitlines() if r.startswith("staff:S9"))
    assert row.split()[1:3] == ["-5.00", "—"]
    assert bad.loc["staff:S9", "reasons"] == (
        "net -5.00 yuan, but no active settlement books it; "
        "negative balance -5.00 yuan: this account only receives"
    )


def test_postings_without_a_batch_of_their_year_are_named(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
        ledger.conn.execute("PRAGMA foreign_keys=OFF")
    _insert(path, 999, "private:hospitals", "insurer:fund", 2_000, institution="private")
    _insert(path, batch, "outside_county:providers", "insurer:fund", 300, year=2018)
    with Ledger(path, read_only=True) as ledger:
        # the batchless posting is in no other view (they join batches)
        assert 999 not in set(ledger.postings(year=2018)["batch_id"])
        view = ledger.audit(2018)
    bad = view.failing.set_index("account")
    assert (
        "posting 5 has no source: its batch 999 is not in the ledger (20.00 yuan)"
        in (bad.loc["private:hospitals", "reasons"])
    )
    assert "posting 5 has no source" in bad.loc["insurer:fund", "reasons"]
    # the one with a batch counts in the net (and fails it), without a source complaint
    assert "no source" not in bad.loc["outside_county:providers", "reasons"]
    # a posting of 2019 filed under the 2018 batch
    _insert(path, batch, "private:hospitals", "insurer:fund", 700, year=2019)
    with Ledger(path, read_only=True) as ledger:
        bad19 = ledger.audit(2019).failing.set_index("account")
    assert (
        f"posting 7 has no source for 2019: its batch {batch} settles 2018 (7.00 yuan)"
        in bad19.loc["private:hospitals", "reasons"]
    )


def test_an_institution_view_lists_the_accounts_its_postings_touch(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    _insert(path, batch, "institution:CH01", "insurer:fund", 100, institution="CH01")
    with Ledger(path, read_only=True) as ledger:
        ch01 = ledger.audit(2018, institution="CH01")
        thc = ledger.audit(2018, institution="THC01")
    assert sorted(ch01.failing["account"]) == ["institution:CH01", "insurer:fund"]
    # THC01's own account passes; the fund it is paid from fails (judged on the year)
    assert thc.checks.set_index("account").loc["institution:THC01", "passed"]
    assert list(thc.failing["account"]) == ["insurer:fund"]


@pytest.mark.parametrize("as_json", [False, True])
def test_cli_lists_failing_accounts_and_exits_1(tmp_path, as_json):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    args = ["payment", "ledger", "--ledger", str(path), "--year", "2018"]
    ok = CliRunner().invoke(app, args + (["--json"] if as_json else []))
    assert ok.exit_code == 0, ok.output
    _insert(path, batch, "institution:CH01", "insurer:fund", 100, institution="CH01")
    r = CliRunner().invoke(app, args + (["--json"] if as_json else []))
    assert r.exit_code == 1, r.output
    if as_json:
        out = json.loads(r.output)
        assert out["passed"] is False
        assert [f["account"] for f in out["failing"]] == ["institution:CH01", "insurer:fund"]
        assert out["failing"][0]["expected_fen"] == 100_000
    else:
        flat = " ".join(r.output.split())
        assert "2 of 8 account(s) fail" in flat and "institution:CH01" in flat
        assert "difference 1.00 yuan" in flat


def test_cli_json_gives_an_unbooked_accounts_expected_amount_as_null(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    _insert(path, batch, "insurer:fund", "staff:S9", 500)  # no settlement books staff:S9
    r = CliRunner().invoke(
        app, ["payment", "ledger", "--ledger", str(path), "--year", "2018", "--json"]
    )
    assert r.exit_code == 1, r.output
    failing = {f["account"]: f for f in json.loads(r.output)["failing"]}
    assert failing["staff:S9"]["expected_fen"] is None
    assert failing["staff:S9"]["net_fen"] == -500


def test_cli_refuses_institution_without_a_year(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        ledger.post(_tiny_fee_for_service())
    r = CliRunner().invoke(
        app, ["payment", "ledger", "--ledger", str(path), "--institution", "CH01"]
    )
    assert r.exit_code == 2
    assert "--institution selects within one year's audit: give --year too" in " ".join(
        r.output.split()
    )
