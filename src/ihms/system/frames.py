"""A system's objects as pandas tables: :meth:`ihms.system.System.to_frame`.

The tables ``ihms system show --what … --json`` prints, one row per object, indexed by
its id: lists of ids stay lists, a consortium's years are ``start_year`` and
``end_year`` (missing: open-ended), ``name_zh`` is ``""`` where the file gives no
Chinese name. Given a year, only what operates in it is listed (a grid's population is
that year's, a consortium counts its members operating then); without one, everything
the file describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ihms._arguments import whole_number
from ihms.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ihms.system.model import System

__all__ = ["FRAMES", "system_frame"]

#: What :func:`system_frame` tabulates, and the column that indexes each table.
FRAMES = {
    "institutions": "id",
    "grids": "id",
    "consortia": "id",
    "referrals": "institution_id",
    "cooperation": "provider",
}


def _institutions(system: System, year: int | None) -> list[dict]:
    return [
        {
            "id": i.id,
            "name": i.name,
            "name_zh": i.name_zh,
            "tier": i.tier.value,
            "affiliation": i.affiliation.value,
            "county": i.county,
            "grid": i.grid or "",
            "consortia": [
                c.id for c in system.memberships(i.id) if year is None or c.active_in(year)
            ],
        }
        for i in system.institutions
        if year is None or i.active_in(year)
    ]


def _grids(system: System, year: int | None) -> list[dict]:
    return [
        {
            "id": g.id,
            "name": g.name,
            "name_zh": g.name_zh,
            "county": g.county,
            "population": g.population.get(year) if year else None,
            "consortia": [c.id for c in system.grid_consortia(g.id, year)],
        }
        for g in system.grids
    ]


def _consortia(system: System, year: int | None) -> list[dict]:
    operating = {i.id for i in system.institutions if year is None or i.active_in(year)}
    return [
        {
            "id": c.id,
            "name": c.name,
            "name_zh": c.name_zh,
            "type": c.type.value,
            "integration": c.integration.value,
            "lead": c.lead,
            "members": sum(m in operating for m in c.members),  # operating in the year
            "grids": len(c.grids),
            "start_year": c.start_year,
            "end_year": c.end_year,
            "refers_up_to": list(c.refers_up_to),
        }
        for c in system.consortia
        if year is None or c.active_in(year)
    ]


def _referrals(system: System, year: int | None) -> list[dict]:
    from ihms.system.referral import referral_pathway

    by_id = {i.id: i for i in system.institutions}
    return [
        {
            "institution_id": r.institution_id,
            "name": by_id[r.institution_id].name,
            "tier": by_id[r.institution_id].tier.value,
            "direction": r.direction,
            "target_id": r.target_id,
            "target_name": by_id[r.target_id].name,
            "target_tier": by_id[r.target_id].tier.value,
        }
        for r in referral_pathway(system, year=year).to_frame().itertuples()
    ]


_COLUMNS = {
    "institutions": ["id", "name", "name_zh", "tier", "affiliation", "county", "grid", "consortia"],
    "grids": ["id", "name", "name_zh", "county", "population", "consortia"],
    "consortia": [
        "id",
        "name",
        "name_zh",
        "type",
        "integration",
        "lead",
        "members",
        "grids",
        "start_year",
        "end_year",
        "refers_up_to",
    ],
    "referrals": [
        "institution_id",
        "name",
        "tier",
        "direction",
        "target_id",
        "target_name",
        "target_tier",
    ],
}
_ROWS = {
    "institutions": _institutions,
    "grids": _grids,
    "consortia": _consortia,
    "referrals": _referrals,
}


def system_frame(system: System, what: str, year: int | None = None) -> pd.DataFrame:
    """One kind of the system's objects as a table (see the module docstring).

    Parameters
    ----------
    system : System
        The delivery system.
    what : str
        ``"institutions"``, ``"grids"``, ``"consortia"``, ``"referrals"`` (the referral
        pathway, :func:`ihms.system.referral_pathway`, with the names and tiers of both
        ends) or ``"cooperation"`` (:func:`ihms.system.cooperation_chain`).
    year : int, optional
        Only what operates in this year; None lists everything.

    Returns
    -------
    pandas.DataFrame
        Indexed by the objects' ids (:data:`FRAMES`); empty, with its columns, when
        nothing operates in ``year``.

    Raises
    ------
    InputError
        ``what`` is none of these, or ``year`` is not a whole number within the years
        the system covers.
    """
    if what not in FRAMES:
        raise InputError(
            f"parameter 'what': expected one of {', '.join(map(repr, FRAMES))}, got {what!r}"
        )
    if year is not None:
        year = whole_number(year, parameter="year")
        years = system.years or system.population_years
        if years and year not in years:
            raise InputError(
                f"parameter 'year': {system.name} covers {years[0]}–{years[-1]}, got {year}"
            )
    if what == "cooperation":
        from ihms.system.cooperation import cooperation_chain

        return cooperation_chain(system, year=year).to_frame().set_index("provider")
    frame = pd.DataFrame(_ROWS[what](system, year), columns=_COLUMNS[what])
    if what == "consortia":
        frame = frame.astype({"start_year": "Int64", "end_year": "Int64"})
    return frame.set_index(FRAMES[what])
