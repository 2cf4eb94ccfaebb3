"""The demo's ledger section shows the audit rule's result: every account passing, or the
failing accounts with their reasons."""

from __future__ import annotations

from tests.payment.test_ledger_checks import _insert, _tiny_fee_for_service

from ihms.demo._ledger import audit_rule_text, audit_tables
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
