"""Which year a store's spending counts in: the encounter's date, or the date its
settlement closed.

A claim may be settled after the year its encounter falls in (an inpatient stay of 31
December settled in January). ``date="encounter"`` (the default, ARCHITECTURE's
decision: care is dated when it was given, so a year's spending is the same whenever it
is read) counts it in the encounter's year, which reopens a year already closed;
``date="settled"`` counts an encounter with claims in the year its *last* claim was
settled (Zhong et al. 2023 settle the fund at year end on "the actual medical insurance
expenditure … at the end of the year"), so a closed year stays closed and the late money
falls in the next. An encounter without claims was settled at the point of service and
is dated by the encounter either way. :func:`late_settlement_note` says, for a year,
how many claims and how much money settled after its 31 December each choice puts where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ihms.errors import InputError
from ihms.payment.money import format_yuan

if TYPE_CHECKING:  # pragma: no cover
    import ibis

    from ihms.data import Store

__all__ = ["SPENDING_DATES", "county_encounters", "late_settlement_note"]

#: How a store's spending is dated: by the encounter, or by its last claim's settlement.
SPENDING_DATES = ("encounter", "settled")


def _check_date(date: str) -> None:
    if date not in SPENDING_DATES:
        raise InputError(f"date: expected one of {', '.join(SPENDING_DATES)}, got {date!r}")


def county_encounters(store: Store, county: str, date: str = "encounter") -> ibis.Table:
    """The settled encounters (:func:`ihms.data.settled_encounters`) of ``county``'s
    residents, with ``spending_date``: the encounter's date, or (``date="settled"``) the
    last settlement date of its claims where it has any."""
    import ibis

    from ihms.data import settled_encounters

    _check_date(date)
    tables = store.tables()
    enc = settled_encounters(tables)
    residents, grids = tables["residents"], tables["grids"]
    ours = residents.join(grids, residents.grid_id == grids.grid_id).filter(
        grids.county_id == county
    )
    ours = ours.select(ours.resident_id)
    joined = enc.join(ours, enc.resident_id == ours.resident_id)
    if date == "encounter":
        return joined.mutate(spending_date=joined.date)
    last = _per_encounter(tables["claims"])
    dated = joined.left_join(last, joined.encounter_id == last.encounter_id)
    return dated.select(
        *[dated[c] for c in joined.columns],
        spending_date=ibis.coalesce(dated._last, dated.date),
    )


def _per_encounter(claims):
    """Each encounter's claims: the last settlement date, how many, insurance paid (fen)."""
    return claims.group_by("encounter_id").aggregate(
        _last=claims.settled_date.max(),
        _claims=claims.count(),
        _paid=claims.insurance_paid_fen.sum(),
    )


def _late(store, county: str):
    """Claims of encounters whose settlement closed after their year, by encounter year
    and settlement year: claims, insurance paid (fen)."""
    enc = county_encounters(store, county)
    per = _per_encounter(store.tables()["claims"])
    j = enc.join(per, enc.encounter_id == per.encounter_id)
    j = j.mutate(given=j.date.year(), settled=j._last.year())
    j = j.filter(j.settled > j.given)
    return (
        j.group_by(["given", "settled"])
        .aggregate(claims=j._claims.sum(), paid_fen=j._paid.sum())
        .execute()
    )


def late_settlement_note(
    store: Store, year: int, *, county_id: str | None = None, date: str = "encounter"
) -> str | None:
    """The note on claims settled after 31 December of ``year`` (None when there are
    none): dated by encounter, how many and how much insurance money are counted in the
    closed ``year``; dated by settlement, how many are left to a later year, and how many
    of earlier years' encounters, settled in ``year``, are counted in it.

    The claims counted are every claim of an encounter whose last claim was settled
    after its year (the encounter moves whole), and the money their insurance-paid sum.

    Parameters
    ----------
    store
        A :class:`ihms.data.Store`.
    year : int
        The year settled.
    county_id : str, optional
        The county (see :func:`~ihms.payment.study_county`).
    date : {"encounter", "settled"}
        How the spending was dated (:func:`~ihms.payment.spending_from_store`).
    """
    from ihms.payment.from_store import study_county

    _check_date(date)
    late = _late(store, study_county(store, county_id))
    out = late[late["given"] == year]
    end = f"31 December {year}"
    parts = []
    if len(out):
        claims, paid = int(out["claims"].sum()), format_yuan(int(out["paid_fen"].sum()))
        what = f"{claims:,} claim(s) for {year}'s encounters, {paid} yuan paid by insurance"
        later = ", ".join(str(int(y)) for y in sorted(out["settled"].unique()))
        if date == "encounter":
            parts.append(
                f"{what}, were settled after {end} (in {later}) and are counted in {year}, "
                "the year of the encounter; with --date settled (date='settled') they are "
                "left to the year they were settled in"
            )
        else:
            parts.append(f"{what}, were settled after {end} and are left to {later}")
    brought = late[(late["settled"] == year) & (late["given"] < year)]
    if date == "settled" and len(brought):
        claims, paid = int(brought["claims"].sum()), format_yuan(int(brought["paid_fen"].sum()))
        earlier = ", ".join(str(int(y)) for y in sorted(brought["given"].unique()))
        parts.append(
            f"{claims:,} claim(s) for encounters of {earlier}, {paid} yuan paid by insurance, "
            f"were settled in {year} and are counted in {year}"
        )
    if not parts:
        return None
    how = "by settlement date" if date == "settled" else "by encounter date"
    return f"spending dated {how}: " + "; ".join(parts)
