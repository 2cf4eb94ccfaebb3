"""A note when a grid is served by two or more consortia in a year: the consortium rows
of the indicators over residents (their grid's consortia) count its residents in each,
so those rows do not add up to the county's (session 22 review D, MEDIUM 4)."""

from __future__ import annotations

from ihms._listing import first_of
from ihms.indicators._dimensions import Dimensions

__all__ = ["GRID_SOURCES", "shared_grid_notes"]

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
