"""Sharing the staff incentive pool (part of :mod:`ihms.payment.salary`).

The staff-incentive share of the kept balance is shared among the staff who pass their
scorecard, in proportion to ``weight × score`` (score capped at 1), by the
largest-remainder method, so the shares add up to the pool; a pool no one passes for,
or whose staff who pass all have weight 0, is left unshared, and the notes say which
(:func:`unshared_note`; the table's :func:`pool_note` then says nothing was shared).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ihms.payment._scorecard_result import ScorecardResult
from ihms.payment.money import allocate, format_yuan
from ihms.payment.tables import StaffMember

__all__ = ["pool_note", "share_pool", "unshared_note"]

#: How many staff who pass with weight 0 a note names before counting the rest.
_NAMED = 5


def share_pool(
    staff: Sequence[StaffMember], cards: Sequence[ScorecardResult], pool_fen: int
) -> tuple[list[tuple[str, Decimal]], dict[str, int], int]:
    """Each member's incentive weight, share of ``pool_fen`` and the part unshared.

    Parameters
    ----------
    staff
        The roster, in order.
    cards
        Each member's scorecard, in the roster's order.
    pool_fen
        The pool to share (fen, >= 0).

    Returns
    -------
    tuple
        ``[(staff_id, weight × score or 0)]``, ``{staff_id: fen}`` and the fen left
        unshared (the whole pool when no member passes, or every member who passes has
        weight 0: there is nothing to share it by).
    """
    weights = [
        (m.staff_id, m.weight * min(card.total, Decimal(1)) if card.passed else Decimal(0))
        for m, card in zip(staff, cards, strict=True)
    ]
    if pool_fen and any(w > 0 for _, w in weights):
        return weights, allocate(pool_fen, weights), 0
    return weights, {sid: 0 for sid, _ in weights}, pool_fen


def pool_note(pool_fen: int, *, settled: bool = True, unshared_fen: int = 0) -> str:
    """The incentive pool in a sentence for a table's notes; an empty pool is said to be
    none (not "0.00 yuan shared"), no settlement is said to be none (not no pool), and a
    pool left unshared (``unshared_fen``, the whole of it) is said not to be shared
    (:func:`unshared_note` says it in full, naming who passed)."""
    if not settled:
        return (
            "No settlement computed: incentives not computed (the incentive pool is a share "
            "of a settled year's kept balance)."
        )
    if not pool_fen:
        return "No incentive pool this year (no balance kept to share): no incentives."
    if unshared_fen:
        return (
            f"Incentive pool {format_yuan(pool_fen)} yuan: not shared (no staff member both "
            "passes and has a weight above 0), kept on the consortium's staff-incentive use."
        )
    return (
        f"Incentive pool {format_yuan(pool_fen)} yuan shared by weight × score among staff "
        "who pass (largest remainder, to the fen)."
    )


def unshared_note(
    pool_fen: int, unshared_fen: int, listed: int, passed: Sequence[str] = ()
) -> str | None:
    """The sentence saying why a pool is left unshared: no one passed for it, or those
    who passed all have weight 0 (None when the pool was shared, or no one is listed to
    pass).

    Parameters
    ----------
    pool_fen, unshared_fen
        The pool and the part of it unshared (fen).
    listed
        How many staff the roster lists.
    passed
        The staff ids of those who pass their scorecard (with the pool unshared, each
        has weight 0 on the roster).
    """
    if not unshared_fen or not listed:
        return None
    if passed:
        who = ", ".join(passed[:_NAMED]) + (
            f" and {len(passed) - _NAMED:,} more" if len(passed) > _NAMED else ""
        )
        one = len(passed) == 1
        return (
            f"None of the staff incentive pool of {format_yuan(pool_fen)} yuan is shared: the "
            f"{len(passed):,} {'staff member who passes' if one else 'staff who pass'} their "
            f"scorecard ({who}) {'has' if one else 'have'} weight 0 on the roster, so weight "
            "× score gives no share, and staff who fail get none of it; the pool is left "
            "unshared, kept on the consortium's staff-incentive use."
        )
    staff = "staff member" if listed == 1 else "staff"
    return (
        f"None of the staff incentive pool of {format_yuan(pool_fen)} yuan is shared: none of "
        f"the {listed:,} {staff} on the roster passes their scorecard, and staff who fail get "
        "none of it; the pool is left unshared, kept on the consortium's staff-incentive use."
    )
