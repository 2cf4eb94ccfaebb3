"""A note when a grid is served by two or more consortia in a year: the consortium rows
of the indicators over residents (their grid's consortia) count its residents in each,
so those rows do not add up to the county's (session 22 review D, MEDIUM 4). And one
when a consortium's members stand outside the county of its grids: a ratio of their
resources to its grids' residents sets a city hospital's beds against one county grid
(LOW 9)."""

from __future__ import annotations

from ihms._listing import first_of
from ihms.indicators._dimensions import Dimensions

__all__ = ["GRID_SOURCES", "outside_member_notes", "shared_grid_notes"]

#: The sources whose records are placed by the resident's grid: at consortium level
#: a grid's records count in every consortium serving it that year.
GRID_SOURCES = frozenset({"resident_encounters", "chronic_patients", "population"})


def shared_grid_notes(dims: Dimensions, at_consortium: list, years: list[int]) -> list[str]:
    """One note per grid and set of consortia serving it together, naming the years
    and the indicators (``at_consortium``: computed at consortium level) over
    residents."""
    ids = [
        ind.id
        for ind in at_consortium
        if any(m is not None and m.source in GRID_SOURCES for m in (ind.numerator, ind.denominator))
    ]
    if not ids:
        return []
    notes = []
    for grid, rows in dims.consortium_grids.groupby("grid_id", sort=True):
        together: dict[tuple[str, ...], list[int]] = {}
        for year in years:
            on = rows[(rows["start_year"] <= year) & (year <= rows["end_year"])]
            serving = tuple(sorted(set(on["consortium_id"])))
            if len(serving) > 1:
                together.setdefault(serving, []).append(year)
        for serving, when in together.items():
            notes.append(
                f"grid {grid!r} is served by {len(serving)} consortia in "
                f"{', '.join(map(str, when))} ({', '.join(serving)}): the consortium rows "
                f"of {first_of(ids, 5)} count its residents in each of them, so summing "
                "those rows counts them twice"
            )
    return notes


def outside_member_notes(dims: Dimensions, at_consortium: list) -> list[str]:
    """One note per consortium with members outside the counties of its grids, naming
    the indicators (``at_consortium``: computed at consortium level) that set the
    members' records against its grids' residents."""
    ids = [
        ind.id
        for ind in at_consortium
        if ind.denominator is not None
        and ind.denominator.source in GRID_SOURCES
        and ind.numerator.source not in GRID_SOURCES
    ]
    if not ids:
        return []
    grids = dims.consortium_grids.merge(dims.grids[["grid_id", "county_id"]], on="grid_id")
    members = dims.members.merge(
        dims.institutions[["institution_id", "county_id"]], on="institution_id"
    )
    notes = []
    for cons, mine in grids.groupby("consortium_id", sort=True):
        counties = sorted(set(mine["county_id"].dropna()))
        theirs = members[members["consortium_id"] == cons]
        outside = theirs[~theirs["county_id"].isin(counties)].drop_duplicates("institution_id")
        if outside.empty or not counties:
            continue
        who = ", ".join(
            f"{i} in {c}"
            for i, c in zip(outside["institution_id"], outside["county_id"], strict=True)
        )
        notes.append(
            f"consortium {cons!r} has members outside the county of its grids ({who}; its "
            f"grids lie in {', '.join(counties)}): the consortium rows of {first_of(ids, 5)} "
            "set those members' whole figures against its grids' residents, so they do not "
            "compare with a county consortium's"
        )
    return notes
