"""Demo step, payment part: the settlement ledger — every year posted, posted again
(nothing new), the audit rule judged on each year's accounts, and one institution's
audit view, its staff accounts (one per person paid, hundreds in a simulated county)
summed by staff group; every account is written to a CSV beside the ledger in the work
folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ihms.payment import AuditView, Ledger, SettlementRecord
from ihms.payment.ledger_results import batches_summary
from ihms.report import Section
from ihms.summary import SummaryTable

__all__ = [
    "accounts_by_group",
    "audit_rule_table",
    "audit_rule_text",
    "audit_tables",
    "ledger_section",
]

SCOPE = "youxi-ichc"


def audit_rule_table(audits: Mapping[int, AuditView]) -> SummaryTable:
    """Accounts checked, passing and failing by year (whole-year audits)."""
    rows = {
        year: {
            "Accounts checked": len(a.checks) if a.checks is not None else 0,
            "Passing": (len(a.checks) if a.checks is not None else 0) - len(a.failing),
            "Failing": len(a.failing),
        }
        for year, a in sorted(audits.items())
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "Settlement year"
    return SummaryTable(
        frame,
        title="Ledger audit rule, by settlement year: accounts passing and failing",
        notes=(
            "An account passes when its net over the year's postings equals, to the fen, "
            "what the year's active settlement records for it, is not negative where it "
            "only receives, and each of its postings has a batch of that year as its "
            "source (ihms.payment.Ledger.audit; AuditView.checks).",
        ),
    )


def audit_rule_text(audits: Mapping[int, AuditView]) -> str:
    """One sentence a reader can act on: every account passes, or which fail and why."""
    counts = {y: len(a.checks) if a.checks is not None else 0 for y, a in sorted(audits.items())}
    each = ", ".join(f"{n:,} in {y}" for y, n in counts.items())
    failing = {y: a.failing for y, a in sorted(audits.items()) if not a.passed}
    rule = (
        "The ledger's audit rule checks each year's accounts against the settlement stored "
        f"with the year's batch ({each}): "
    )
    if not failing:
        return rule + "all accounts pass in every year."
    listed = "; ".join(
        f"{y}: {row.account} ({row.reasons})" for y, f in failing.items() for row in f.itertuples()
    )
    return (
        rule + f"{sum(len(f) for f in failing.values()):,} fail — {listed}. The audit tables "
        "below list them with their net and the amount expected."
    )


def audit_tables(audits: Mapping[int, AuditView]) -> dict[str, SummaryTable]:
    """The audit rule by year and, for each year with failing accounts, those accounts
    with their net, the amount expected and the reasons; by table name."""
    tables = {"audit-rule": audit_rule_table(audits)}
    for year, a in sorted(audits.items()):
        if not a.passed:
            tables[f"audit-failing-{year}"] = a.checks_summary()
    return tables


def account_label(code: str, institution: str | None) -> str:
    """An audit row's account code with what it holds in one institution's audit view:
    the budget's row is the claims paid to the institution from it (not the budget), the
    institution's row its net after paying its staff (not its income)."""
    if not institution:
        return code
    if code == "consortium:global_budget":
        return f"{code} — claims paid to {institution} from the budget"
    if code == f"institution:{institution}":
        return (
            f"{code} — {institution}'s net: claims received less the salaries it paid "
            "(its staff's incentives come from consortium:use:staff_incentive)"
        )
    return code


def accounts_by_group(audit: AuditView, groups: Mapping[str, str]) -> SummaryTable:
    """``audit``'s accounts with the staff accounts (``staff:<id>``) summed by
    ``groups`` (staff id → group; an id not in it is "Other staff"), the other accounts
    each on its own row under its code."""
    account = audit.net["account"].astype(str)
    staff = account.str.startswith("staff:")
    group = account.str.split(":", n=1).str[1].map(lambda i: groups.get(i, "Other staff"))
    row = account.where(~staff, "Staff: " + group).map(
        lambda code: account_label(code, audit.institution)
    )
    frame = audit.net_by(row, "Account code (staff by group)", sort=False)
    who = f", {audit.institution}" if audit.institution else ""
    return SummaryTable(
        frame,
        title=f"Ledger audit {audit.year}{who}: net of active postings, staff by group",
        notes=(
            f"{len(audit.net):,} account(s) with a nonzero net, {int(staff.sum()):,} of them "
            "staff (one per person paid), summed by staff group; net = received − paid.",
        ),
    )


def ledger_section(
    records: Mapping[int, SettlementRecord],
    *,
    work_dir: Path,
    shown_work_dir: Path | None = None,
    audited: str,
    groups: Mapping[str, str],
) -> Section:
    """Post ``records`` to a fresh ledger in ``work_dir`` (twice), audit each year and
    ``audited``'s accounts in the last year, its staff summed by ``groups`` (staff id →
    group) and every account written to ``work_dir``; return the report section. The
    text names the work folder ``shown_work_dir`` (where the files end: the demo builds
    them in staging), default ``work_dir``."""
    ledger_path = work_dir / "payment-ledger.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{ledger_path}{suffix}").unlink(missing_ok=True)
    last = max(records)
    with Ledger(ledger_path) as ledger:
        first = [ledger.post(rec, scope=SCOPE) for rec in records.values()]
        second = [ledger.post(rec, scope=SCOPE) for rec in records.values()]
        batches = ledger.batches()
        audits = {y: ledger.audit(y, scope=SCOPE) for y in records}
        audit = ledger.audit(last, institution=audited, scope=SCOPE)
    # one account per staff member (hundreds): the report sums them by group, the work
    # folder keeps each
    accounts = work_dir / f"payment-ledger-audit-{last}-{audited}.csv"
    audit.summary().to_frame().to_csv(accounts)
    led = Section("payment-ledger", "The settlement ledger", mirrors="")
    led.text(
        f"Every settlement is posted to an append-only ledger ({sum(p.postings_written for p in first):,} postings "
        f"for {len(first)} years). Posting the same years again wrote {sum(p.postings_written for p in second)} "
        "postings: a settlement with unchanged inputs is recognised by its digest. Had an input changed, the "
        "ledger would have posted a reversal of the old figures and the new ones. "
        + audit_rule_text(audits)
        + f" Below: the batches, the audit rule by year, and the audit view of the county general hospital "
        f"({audited}) for {last}: the claims the budget paid it, what it kept after paying its staff, "
        f"and what its staff received, summed by staff group. Every account, one per staff member, is in {accounts.name} "
        f"beside the ledger ({ledger_path.name}) in the work folder ({(shown_work_dir or work_dir).name})."
    )
    led.table(
        "batches",
        batches_summary(
            batches,
            title="Ledger batches: one per settlement posted (the second posting wrote none)",
        ),
    )
    for name, table in audit_tables(audits).items():
        led.table(name, table)
    led.table("audit-ch01", accounts_by_group(audit, groups))
    return led
