"""Demo step, payment part: the settlement ledger — every year posted, posted again
(nothing new), the audit rule judged on each year's accounts, and one institution's
audit view, its staff accounts (one per person paid, hundreds in a simulated county)
summed by staff group; every account is written to a CSV beside the ledger in the work
folder."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ihms.demo._payment_staff_zh import group_zh
from ihms.payment import AuditView, Ledger, SettlementRecord
from ihms.payment._words_zh import in_lang
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


def audit_rule_table(audits: Mapping[int, AuditView], *, lang: str = "en") -> SummaryTable:
    """Accounts checked, passing and failing by year (whole-year audits); ``lang="zh"``:
    its words in Chinese."""
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
    if lang == "zh":
        frame = frame.rename(
            columns={"Accounts checked": "核对科目数", "Passing": "通过数", "Failing": "未通过数"}
        )
        frame.index.name = "结算年度"
        return SummaryTable(
            frame,
            title="清算台账核对规则（按结算年度）：通过与未通过的科目",
            notes=(
                "科目通过的条件：其在该年度各笔记账上的净额与该年度有效结算记录应记的金额相符（精确到分），"
                "只收款的科目净额不为负，且每笔记账均以该年度的一个批次为来源"
                "（`ihms.payment.Ledger.audit`；`AuditView.checks`）。",
            ),
            lang="zh",
        )
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


def audit_rule_text(audits: Mapping[int, AuditView], *, lang: str = "en") -> str:
    """One sentence a reader can act on: every account passes, or which fail and why
    (``lang="zh"``: in Chinese; the reasons are the audit's own, as its tables give them)."""
    counts = {y: len(a.checks) if a.checks is not None else 0 for y, a in sorted(audits.items())}
    each = ", ".join(f"{n:,} in {y}" for y, n in counts.items())
    failing = {y: a.failing for y, a in sorted(audits.items()) if not a.passed}
    if lang == "zh":
        return _audit_rule_zh(counts, failing)
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


def _audit_rule_zh(counts: Mapping[int, int], failing) -> str:
    each = "，".join(f"{y} 年 {n:,} 个" for y, n in counts.items())
    rule = f"台账的核对规则将每年的科目与该年批次所存的结算记录逐一核对（{each}）："
    if not failing:
        return rule + "各年全部科目均通过。"
    listed = "；".join(
        f"{y} 年：{row.account}（{row.reasons}）"
        for y, f in failing.items()
        for row in f.itertuples()
    )
    n = sum(len(f) for f in failing.values())
    return rule + f"{n:,} 个未通过——{listed}。下方核对表列出这些科目及其净额和应记金额。"


def audit_tables(audits: Mapping[int, AuditView], *, lang: str = "en") -> dict[str, SummaryTable]:
    """The audit rule by year and, for each year with failing accounts, those accounts
    with their net, the amount expected and the reasons; by table name (``lang="zh"``:
    in Chinese)."""
    tables = {"audit-rule": audit_rule_table(audits, lang=lang)}
    for year, a in sorted(audits.items()):
        if not a.passed:
            tables[f"audit-failing-{year}"] = in_lang(a.checks_summary(), lang)
    return tables


def account_label(code: str, institution: str | None, *, lang: str = "en") -> str:
    """An audit row's account code with what it holds in one institution's audit view:
    the budget's row is the claims paid to the institution from it (not the budget), the
    institution's row its net after paying its staff (not its income); ``lang="zh"``:
    said in Chinese."""
    if not institution:
        return code
    if lang == "zh":
        if code == "consortium:global_budget":
            return f"{code} — 总额预算支付给 {institution} 的医保费用"
        if code == f"institution:{institution}":
            return (
                f"{code} — {institution} 的净额：收到的医保支付减去其支付的薪酬（其人员的激励"
                "来自 `consortium:use:staff_incentive`）"
            )
        return code
    if code == "consortium:global_budget":
        return f"{code} — claims paid to {institution} from the budget"
    if code == f"institution:{institution}":
        return (
            f"{code} — {institution}'s net: claims received less the salaries it paid "
            "(its staff's incentives come from consortium:use:staff_incentive)"
        )
    return code


def accounts_by_group(
    audit: AuditView, groups: Mapping[str, str], *, lang: str = "en"
) -> SummaryTable:
    """``audit``'s accounts with the staff accounts (``staff:<id>``) summed by
    ``groups`` (staff id → group; an id not in it is "Other staff"), the other accounts
    each on its own row under its code; ``lang="zh"``: its words in Chinese."""
    account = audit.net["account"].astype(str)
    staff = account.str.startswith("staff:")
    group = account.str.split(":", n=1).str[1].map(lambda i: groups.get(i, "Other staff"))
    if lang == "zh":
        return _accounts_zh(audit, account, staff, group)
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


def _accounts_zh(audit: AuditView, account, staff, group) -> SummaryTable:
    """:func:`accounts_by_group` in Chinese."""
    row = account.where(~staff, "人员：" + group.map(group_zh)).map(
        lambda code: account_label(code, audit.institution, lang="zh")
    )
    frame = audit.net_by(row, "科目代码（人员按组别）", sort=False)
    who = f"（{audit.institution}）" if audit.institution else ""
    table = in_lang(SummaryTable(frame, title=""), "zh")
    return dataclasses.replace(
        table,
        title=f"{audit.year} 年清算台账核对{who}：各科目有效记账净额，人员按组别汇总",
        notes=(
            f"净额不为零的科目 {len(audit.net):,} 个，其中人员科目 {int(staff.sum()):,} 个（每名"
            "领取薪酬者一个），按人员组别汇总；净额 = 收款 − 付款。",
        ),
    )


def ledger_section(
    records: Mapping[int, SettlementRecord],
    *,
    work_dir: Path,
    shown_work_dir: Path | None = None,
    audited: str,
    groups: Mapping[str, str],
    lang: str = "en",
) -> Section:
    """Post ``records`` to a fresh ledger in ``work_dir`` (twice), audit each year and
    ``audited``'s accounts in the last year, its staff summed by ``groups`` (staff id →
    group) and every account written to ``work_dir``; return the report section. The
    text names the work folder ``shown_work_dir`` (where the files end: the demo builds
    them in staging), default ``work_dir``. ``lang="zh"``: the section in Chinese."""
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
    if lang == "zh":
        return _ledger_zh(
            first, second, batches, audits, audit, groups, accounts, ledger_path,
            shown_work_dir or work_dir, audited, last,
        )  # fmt: skip
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


def _ledger_zh(
    first, second, batches, audits, audit, groups, accounts, ledger_path, shown, audited, last
) -> Section:
    """:func:`ledger_section` in Chinese, from the same postings and audits."""
    led = Section("payment-ledger", "医保基金清算台账", mirrors="")
    led.text(
        f"每次结算都记入只增不改的清算台账（{len(first)} 个年度共 "
        f"{sum(p.postings_written for p in first):,} 笔记账）。再次记入相同年度时写入 "
        f"{sum(p.postings_written for p in second)} 笔记账：输入不变的结算可由其校验值识别。若输入"
        "有变，台账会先记入冲销原数的记录，再记入新数。"
        + audit_rule_text(audits, lang="zh")
        + f"下方依次为：记账批次、各年度的核对规则，以及县总医院（{audited}）{last} 年的核对视图："
        "总额预算支付给它的医保费用、支付人员薪酬后它留下的净额，以及其人员按组别汇总所得。每个"
        f"科目（每名人员一个）见工作文件夹（`{shown.name}`）中台账（`{ledger_path.name}`）旁的 "
        f"`{accounts.name}`。"
    )
    batches_table = in_lang(batches_summary(batches, title=""), "zh")
    led.table(
        "batches",
        dataclasses.replace(
            batches_table, title="清算台账记账批次：每次结算记入一个批次（再次记入时未写入）"
        ),
    )
    for name, table in audit_tables(audits, lang="zh").items():
        led.table(name, table)
    led.table("audit-ch01", accounts_by_group(audit, groups, lang="zh"))
    return led
