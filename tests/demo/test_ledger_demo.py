"""The demo's ledger section shows the audit rule's result: every account passing, or the
failing accounts with their reasons."""

from __future__ import annotations

import pandas as pd
from tests.payment.test_ledger_checks import _insert, _tiny_fee_for_service

from ihms.demo._ledger import account_label, audit_rule_text, audit_tables
from ihms.demo._payment import payment_sections
from ihms.demo._run import DemoContext
from ihms.payment import Ledger


def test_the_ledger_section_says_every_account_passes(tmp_path):
    # the example payment tables (examples/payment/), no simulated store
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path)
    led = payment_sections(ctx)[-1]
    assert led.id == "payment-ledger"
    # counted again from the ledger the step left in the work folder
    with Ledger(tmp_path / "payment-ledger.sqlite", read_only=True) as ledger:
        counts = {y: len(ledger.audit(y).checks) for y in (2018, 2019)}
    assert all(n > 0 for n in counts.values())
    text = " ".join(b.text for b in led.blocks if hasattr(b, "text"))
    each = ", ".join(f"{n:,} in {y}" for y, n in counts.items())
    assert f"({each}): all accounts pass in every year." in text
    rule = {t.name: t.table.to_frame() for t in led.tables()}["audit-rule"]
    assert rule["Accounts checked"].to_dict() == counts
    assert rule["Failing"].eq(0).all() and rule["Passing"].to_dict() == counts


def test_failing_accounts_are_named_with_their_reasons(tmp_path):
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        batch = ledger.post(_tiny_fee_for_service()).batch_id
    # 1.00 yuan more to CH01 than the settlement records (the settlement: 1,000.00 yuan)
    _insert(path, batch, "institution:CH01", "insurer:fund", 100, institution="CH01")
    with Ledger(path, read_only=True) as ledger:
        audits = {2018: ledger.audit(2018)}
    text = audit_rule_text(audits)
    assert "(8 in 2018): 2 fail — 2018: institution:CH01 (net 1,001.00 yuan ≠ 1,000.00" in text
    assert "insurer:fund (" in text
    tables = audit_tables(audits)
    assert list(tables) == ["audit-rule", "audit-failing-2018"]
    assert tables["audit-rule"].to_frame().loc[2018].to_dict() == {
        "Accounts checked": 8,
        "Passing": 6,
        "Failing": 2,
    }
    failing = tables["audit-failing-2018"].to_frame()
    assert sorted(failing.index) == ["institution:CH01", "insurer:fund"]


def test_the_audited_institutions_staff_are_shown_by_group_not_by_account(tmp_path):
    # review of the demo report (session 18, finding 15): the ledger section listed 310
    # hashed staff accounts ("staff:S00a0…"); the report sums them by staff group, and
    # every account stays in a CSV beside the ledger in the work folder
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path)
    led = payment_sections(ctx)[-1]
    last = max(ctx.artefacts["payment_records"])
    roster = ctx.artefacts["payment_records"][last].inputs.staff
    role = {m.staff_id: m.role for m in roster}
    with Ledger(tmp_path / "payment-ledger.sqlite", read_only=True) as ledger:
        net = ledger.audit(last, institution="CH01").net
    staff = net[net["account"].str.startswith("staff:")]
    expected = {}
    for account, fen in zip(staff["account"], staff["net_fen"], strict=True):
        group = f"{role[account.split(':', 1)[1]].capitalize()}s"
        n, total = expected.get(group, (0, 0))
        expected[group] = (n + 1, total + int(fen))
    assert len(expected) == 2  # the example's director and doctors of CH01
    tables = {t.name: t for t in led.tables()}
    shown = tables["audit-ch01"].table.to_frame()
    assert not any(str(i).startswith("staff:") for i in shown.index)
    for group, (n, total) in expected.items():
        row = shown.loc[f"Staff: {group}"]
        assert row["Accounts"] == n
        assert row["Net (yuan)"] * 100 == total
    # the other accounts (consortium, institution) keep their codes, each followed by
    # what it holds in this view (account_label)
    others = net[~net["account"].str.startswith("staff:")]
    assert {account_label(a, "CH01") for a in others["account"]} <= set(shown.index)
    assert {str(i).split(" — ")[0] for i in shown.index} >= set(others["account"])
    # no folded table of every account; the accounts are in the work folder's CSV
    assert not any(t.folded for t in led.tables())
    every = pd.read_csv(tmp_path / f"payment-ledger-audit-{last}-CH01.csv")
    assert sorted(every["Account code"]) == sorted(net["account"])
    text = " ".join(b.text for b in led.blocks if hasattr(b, "text"))
    assert f"payment-ledger-audit-{last}-CH01.csv" in text
