"""The ledger audit's rule for each account: pass or fail, with the reasons.

An account passes when

1. its net over the year's postings (received − paid; reversals cancel what they reverse)
   equals, to the fen, the amount the active settlements stored with their batches say it
   should hold (:func:`expected_nets`, worked from each record's figures — the spending
   by institution, the budget, the retained balance, the uses, each salary and incentive
   —, not from its postings);
2. it is not negative where an account only ever receives (:data:`NO_NEGATIVE`: a staff
   member, a balance use, the outside-county and private providers, the family-physician
   fee, the insurer's reserves; an institution may pay out more in salaries than its care
   brought in, and the insurer's fund and the consortium's own funds pay);
3. every posting to it has a source: a batch on record for the same year (a posting whose
   batch is missing, or of another year, is invisible to every view that joins batches,
   so it is named here).

Money is integer fen throughout.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from ihms.payment.money import format_yuan

__all__ = ["NO_NEGATIVE", "PASS_THROUGH", "account_checks", "expected_nets"]

#: Accounts a settlement moves money through; what comes in goes on, so each nets to 0.
PASS_THROUGH = ("consortium:global_budget", "consortium:balance", "consortium:shared_savings")

_PASS_THROUGH_BY_KIND = {
    "global_budget": ("consortium:global_budget", "consortium:balance"),
    "shared_savings": ("consortium:shared_savings",),
}

#: Kinds of account (code up to the last ``:``-part) that only receive money.
NO_NEGATIVE = (
    "staff:",
    "consortium:use:",
    "outside_county:",
    "private:",
    "primary_care:",
    "insurer:private_reserve",
    "insurer:risk_adjustment_fund",
)


def expected_nets(record: Mapping) -> dict[str, int]:
    """What each account should hold after one settlement, from its stored record
    (:meth:`SettlementRecord.to_dict`, as the ledger keeps it with the batch).

    Parameters
    ----------
    record : mapping
        A settlement record as a dict (``Ledger.record(batch_id)``).

    Returns
    -------
    dict of str to int
        ``account → net fen`` (received − paid), zeros included for the pass-through
        accounts.
    """
    fig = record["figures"]
    spending = record["inputs"]["spending"]
    salaries = (record.get("salaries") or {}).get("lines", [])
    out: dict[str, int] = defaultdict(int)
    for inst, fen in spending["consortium_fen"].items():
        out[f"institution:{inst}"] += int(fen)
    for line in salaries:
        out[f"institution:{line['institution_id']}"] -= int(line["annual_salary_fen"])
        out[f"staff:{line['staff_id']}"] += int(line["annual_salary_fen"]) + int(
            line["incentive_fen"]
        )
        out["consortium:use:staff_incentive"] -= int(line["incentive_fen"])
    for use, fen in record["distribution"]["allocations_fen"].items():
        out[f"consortium:use:{use}"] += int(fen)
    out["outside_county:providers"] += int(fig["outside_county_fen"])
    out["private:hospitals"] += int(fig["private_fen"])
    # records stored before the fee was attributed have no key: all of it was pooled
    attributed = record.get("family_physician_fee_by_institution_fen") or {}
    for inst, fen in attributed.items():
        out[f"institution:{inst}"] += int(fen)
    out["primary_care:family_physician_fee"] += int(fig["family_physician_fee_fen"]) - sum(
        int(v) for v in attributed.values()
    )
    insurer_own = 0
    budget = record.get("budget")
    if record["kind"] == "global_budget" and budget is not None:
        reserve = int(budget["private_reserve_fen"])
        left = reserve - min(int(fig["private_fen"]), reserve)
        out["insurer:private_reserve"] += left
        out["insurer:risk_adjustment_fund"] += int(budget["risk_adjustment_fen"])
        insurer_own = left + int(budget["risk_adjustment_fen"])
        out["consortium:own_funds"] -= int(fig["overspend_consortium_fen"])
    else:
        out["consortium:own_funds"] -= int(fig["shared_losses_fen"])
    # the insurer pays its outlay; what it keeps in its own reserves is not paid out
    out["insurer:fund"] -= int(fig["insurer_outlay_fen"]) + insurer_own
    for account in _PASS_THROUGH_BY_KIND.get(record["kind"], ()):
        out.setdefault(account, 0)
    return dict(out)


def _orphan_reasons(orphans: pd.DataFrame) -> dict[str, list[str]]:
    reasons: dict[str, list[str]] = defaultdict(list)
    for p in orphans.itertuples(index=False):
        if pd.isna(p.batch_year):
            why = (
                f"posting {p.posting_id} has no source: its batch {p.batch_id} is not in the ledger"
            )
        else:
            why = (
                f"posting {p.posting_id} has no source for {p.year}: its batch {p.batch_id} "
                f"settles {int(p.batch_year)}"
            )
        amount = f" ({format_yuan(int(p.amount_fen))} yuan)"
        reasons[str(p.debit)].append(why + amount)
        reasons[str(p.credit)].append(why + amount)
    return reasons


def account_checks(
    net: pd.DataFrame,
    records: Iterable[tuple[int, str]],
    orphans: pd.DataFrame,
) -> pd.DataFrame:
    """Every account of a year checked against the rules of the module docstring.

    Parameters
    ----------
    net : DataFrame
        The net of each account over the year's postings (``account``, ``net_fen``:
        :func:`~ihms.payment.postings.net_by_account` of all batches of the scope,
        reversals too; an account netting to zero may be left out).
    records : iterable of (int, str)
        ``(batch_id, record_json)`` of each active settlement batch of the year.
    orphans : DataFrame
        Postings of the year without a batch of that year (``posting_id``, ``batch_id``,
        ``year``, ``batch_year``, ``debit``, ``credit``, ``amount_fen``).

    Returns
    -------
    DataFrame
        ``account``, ``net_fen``, ``expected_fen``, ``passed`` and ``reasons`` (text,
        ``"; "``-joined, empty when passed), failing accounts first.
    """
    expected: dict[str, int] = defaultdict(int)
    reasons: dict[str, list[str]] = defaultdict(list)
    for batch_id, text in records:
        try:
            nets = expected_nets(json.loads(text))
        except (KeyError, TypeError, ValueError) as exc:
            reasons["(ledger)"].append(
                f"batch {batch_id}: its stored settlement record cannot be read ({exc!r}), "
                "so no account of it can be checked"
            )
            continue
        for account, fen in nets.items():
            expected[account] += fen
    nets = dict(zip(net["account"].astype(str), net["net_fen"].astype(int), strict=True))
    for account, why in _orphan_reasons(orphans).items():
        reasons[account] += why
    rows = []
    for account in sorted(set(expected) | set(nets) | set(reasons)):
        got, want = nets.get(account, 0), expected.get(account, 0)
        why = list(reasons.get(account, []))
        if account != "(ledger)" and got != want:
            diff = format_yuan(got - want)
            if account not in expected:
                why.insert(0, f"net {format_yuan(got)} yuan, but no active settlement books it")
            else:
                what = "a pass-through account, " if account in PASS_THROUGH else ""
                why.insert(
                    0,
                    f"net {format_yuan(got)} yuan ≠ {format_yuan(want)} yuan the settlement "
                    f"records ({what}difference {diff} yuan)",
                )
        if got < 0 and account.startswith(NO_NEGATIVE):
            why.append(f"negative balance {format_yuan(got)} yuan: this account only receives")
        if got == 0 and want == 0 and not why and account not in expected:
            continue
        rows.append(
            {
                "account": account,
                "net_fen": got,
                "expected_fen": want if account in expected else pd.NA,
                "passed": not why,
                "reasons": "; ".join(why),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["account", "net_fen", "expected_fen", "passed", "reasons"]
    ).astype({"net_fen": "int64", "expected_fen": "Int64", "passed": bool})
    return frame.sort_values(["passed", "account"], kind="stable").reset_index(drop=True)
