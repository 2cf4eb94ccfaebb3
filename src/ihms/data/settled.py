"""Encounters with their settled amounts: the one definition of insurance spending.

The ``encounters`` table records amounts at the point of service; the ``claims`` table
records settlements where they differ. Wherever an encounter has claims, the sum of its
claims' ``insurance_paid_fen`` and ``out_of_pocket_fen`` replaces the encounter's own.
Indicators of insurance compensation and the payment engine's yearly spending both read
this view, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["settled_encounters"]


def settled_encounters(tables: Mapping[str, ibis.Table]) -> ibis.Table:
    """The ``encounters`` table with settled ``insurance_paid_fen`` and
    ``out_of_pocket_fen`` (Ibis expression; runs on any backend).

    Parameters
    ----------
    tables
        Ibis tables by name, e.g. :meth:`ihms.data.Store.tables`.
    """
    import ibis

    enc = tables["encounters"]
    claims = tables["claims"]
    sums = claims.group_by("encounter_id").aggregate(
        _claim_ins=claims.insurance_paid_fen.sum(),
        _claim_oop=claims.out_of_pocket_fen.sum(),
    )
    joined = enc.left_join(sums, enc.encounter_id == sums.encounter_id)
    columns = [c for c in enc.columns if c not in ("insurance_paid_fen", "out_of_pocket_fen")]
    return joined.select(
        *[joined[c] for c in columns],
        insurance_paid_fen=ibis.coalesce(joined._claim_ins, joined.insurance_paid_fen).cast(
            "int64"
        ),
        out_of_pocket_fen=ibis.coalesce(joined._claim_oop, joined.out_of_pocket_fen).cast("int64"),
    ).select(*enc.columns)
