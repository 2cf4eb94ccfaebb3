"""The lines of a settlement's summary table, each with its working, so the table adds up.

Every line says how it follows from the lines above it (``charged = consortium + outside
county``, ``insurer's total outlay = charged + private + kept``) or, for a figure the
table does not itself explain, the arithmetic of the audit step that produced it
(``4,922,949.33 × 100%``). Lines that cannot apply to the rule set's kind are left out
(no shared savings under a global budget, no budget under fee for service), and the
split of a balance or of an overspend only when there is one; the working of the totals
names only the terms that are not zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms.payment.money import format_yuan
from ihms.payment.rules import STAFF_INCENTIVE, balance_use_label

if TYPE_CHECKING:
    from ihms.payment.record import SettlementRecord

__all__ = ["settlement_lines"]


def _sum(terms: list[tuple[str, int]]) -> str:
    """``a + b − c`` of the terms that are not zero (the first one always kept); a name
    starting with ``-`` is subtracted."""
    names = [terms[0][0]] + [name for name, value in terms[1:] if value]
    text = names[0]
    for name in names[1:]:
        text += f" − {name[1:]}" if name.startswith("-") else f" + {name}"
    return text


def _incentive(rec: SettlementRecord, step: dict[str, str], source: str) -> str:
    """The working of the staff incentive pool: its share of what is distributed."""
    allocation = step.get(f"allocation: {balance_use_label(STAFF_INCENTIVE).lower()}")
    if allocation is None:
        return "the rules give staff no share"
    if not rec.distribution.total_fen:
        return f"no {source}: nothing to share"
    return f"{source}: {allocation}"


def private_paid_from(private: int, reserve: int) -> str:
    """Where ``private`` fen of private-hospital care were paid from, given a
    private-hospital reserve of ``reserve`` fen: the reserve and what is left of it, or
    the reserve and the insurer's fund beyond it (as the ledger posts it), or none."""
    if not reserve:
        return (
            "none (no private-hospital reserve)"
            if not private
            else "from the insurer's fund (no private-hospital reserve)"
        )
    if not private:
        return f"none: the private-hospital reserve of {format_yuan(reserve)} is not drawn on"
    if private > reserve:
        return (
            f"{format_yuan(reserve)} from the private-hospital reserve (all of it), "
            f"{format_yuan(private - reserve)} beyond it from the insurer's fund"
        )
    return (
        f"from the private-hospital reserve of {format_yuan(reserve)} "
        f"({format_yuan(reserve - private)} left)"
    )


def private_step_working(private: int, reserve: int) -> str:
    """The working's step for private-hospital care: "insurance paid" and where from
    (:func:`private_paid_from`), so the step and the summary table say the same."""
    where = private_paid_from(private, reserve)
    return f"insurance paid, {where}" if where.startswith("from ") else f"insurance paid: {where}"


def settlement_lines(rec: SettlementRecord) -> list[tuple[str, int, str]]:
    """``(label, fen, working)`` for each line of :meth:`SettlementRecord.summary`.

    Parameters
    ----------
    rec : SettlementRecord
        A settled year.

    Returns
    -------
    list of tuple
        The lines in order; the working refers to lines above by their labels' words.
    """
    step = {s.label: s.formula for s in rec.steps}
    members = len(rec.inputs.spending.consortium)
    fee = rec.family_physician_fee_fen
    lines: list[tuple[str, int, str]] = []
    if rec.budget is not None:
        lines.append(("global budget", rec.budget.global_budget_fen, step["global budget"]))
    lines += [
        (
            "spending in the consortium",
            rec.consortium_fen,
            f"sum over {members} member institution{'s' if members != 1 else ''}",
        ),
        ("spending outside the county", rec.outside_county_fen, "insurance paid"),
        (
            "spending at private hospitals",
            rec.private_fen,
            private_paid_from(rec.private_fen, rec.private_reserve_fen)
            if rec.budget is not None
            else "insurance paid",
        ),
    ]
    if fee:
        lines.append(("family-physician fee", fee, step["family-physician fee"]))
    if rec.kind == "global_budget":
        lines += _budget_lines(rec, step)
    elif rec.kind == "shared_savings":
        lines += _shared_savings_lines(rec, step)
    else:  # fee for service: every claim paid, nothing settled
        lines.append(
            (
                "insurer's total outlay",
                rec.insurer_outlay_fen,
                _sum(
                    [
                        ("consortium", rec.consortium_fen),
                        ("outside county", rec.outside_county_fen),
                        ("private", rec.private_fen),
                        ("fee", fee),
                    ]
                ),
            )
        )
    return lines


def _budget_lines(rec: SettlementRecord, step: dict[str, str]) -> list[tuple[str, int, str]]:
    charged_how = "consortium + outside county" if rec.charge_outside_county else "consortium only"
    lines = [
        ("spending charged to the budget", rec.charged_fen, charged_how),
        ("balance", rec.balance_fen, "budget − charged, if not negative"),
        ("overspend", rec.overspend_fen, "charged − budget, if positive"),
    ]
    if rec.balance_fen:
        lines += [
            (
                "balance kept by the consortium",
                rec.retained_fen,
                step["balance kept by the consortium"],
            ),
            ("balance clawed back", rec.clawback_fen, "balance − kept"),
        ]
    if rec.overspend_fen:
        lines += [
            (
                "overspend paid by the insurer",
                rec.overspend_insurer_fen,
                step["overspend paid by the insurer"],
            ),
            (
                "overspend borne by the consortium",
                rec.overspend_consortium_fen,
                "overspend − insurer's part",
            ),
        ]
    lines.append(
        (
            "staff salary incentive pool",
            rec.distribution.staff_incentive_fen,
            _incentive(rec, step, "balance kept"),
        )
    )
    outlay = _sum(
        [
            ("charged", rec.charged_fen),
            ("outside county", 0 if rec.charge_outside_county else rec.outside_county_fen),
            ("private", rec.private_fen),
            ("kept", rec.retained_fen),
            ("-overspend borne by the consortium", rec.overspend_consortium_fen),
            ("fee", rec.family_physician_fee_fen),
        ]
    )
    lines += [
        ("insurer's total outlay", rec.insurer_outlay_fen, outlay),
        (
            "consortium's settlement result",
            rec.consortium_result_fen,
            _sum([("kept", rec.retained_fen), ("-overspend borne", rec.overspend_consortium_fen)])
            if rec.retained_fen
            else "− overspend borne by the consortium"
            if rec.overspend_consortium_fen
            else "kept",
        ),
    ]
    return lines


def _shared_savings_lines(
    rec: SettlementRecord, step: dict[str, str]
) -> list[tuple[str, int, str]]:
    ss = rec.shared_savings
    assert ss is not None
    cost = _sum(
        [
            ("consortium", rec.consortium_fen),
            ("outside county", rec.outside_county_fen if rec.charge_outside_county else 0),
            ("private", rec.private_fen),
        ]
    )
    two_sided = "minimum loss rate" in step  # losses may be owed
    lines = [
        ("total cost of care: insurance paid, out of pocket excluded", rec.charged_fen, cost),
        (
            "benchmark",
            ss.benchmark_fen,
            f"{ss.assigned:,} assigned × {format_yuan(ss.benchmark_per_capita_fen)} per capita",
        ),
        ("savings (negative: losses)", ss.savings_fen, "benchmark − total cost of care"),
        (
            "shared savings paid",
            ss.shared_savings_fen,
            step.get("shared savings", "no savings to share"),
        ),
    ]
    if two_sided:
        lines.append(
            (
                "shared losses owed",
                ss.shared_losses_fen,
                step.get("shared losses", "no losses to share"),
            )
        )
    lines += [
        (
            "staff salary incentive pool",
            rec.distribution.staff_incentive_fen,
            _incentive(rec, step, "shared savings"),
        ),
        (
            "insurer's total outlay",
            rec.insurer_outlay_fen,
            _sum(
                [
                    ("consortium", rec.consortium_fen),
                    ("outside county", rec.outside_county_fen),
                    ("private", rec.private_fen),
                    ("shared savings paid", ss.shared_savings_fen),
                    ("-shared losses owed", ss.shared_losses_fen),
                    ("fee", rec.family_physician_fee_fen),
                ]
            ),
        ),
        (
            "consortium's settlement result",
            rec.consortium_result_fen,
            "shared savings paid − shared losses owed" if two_sided else "shared savings paid",
        ),
    ]
    return lines
