"""Helpers of :mod:`ihms.payment.tracking`: the notes and columns the review added
(claims paid on encounters still open, known late claims in the projection, the
profile's share too small to project from)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms.payment.money import format_yuan

if TYPE_CHECKING:  # pragma: no cover
    from ihms.payment.tracking import CountyMonths


def open_notes(c: CountyMonths, year: int, month: int) -> list[str]:
    """Dated by settlement: the claims paid by the month tracked on encounters whose last
    claim is settled later, by the month they were paid."""
    return [
        f"{c.county}: {paid.claims:,} claim(s) paid in {year}-{m:02d}, "
        f"{format_yuan(paid.paid_fen)} yuan by insurance, belong to encounters whose last "
        f"claim is settled after {year}-{month:02d}: dated by settlement, an encounter counts "
        "whole in the month its last claim is settled (as settle --date settled counts it), "
        "so they are not counted yet"
        for m, paid in sorted(c.open.items())
        if paid.claims
    ]
