"""What a delivery system allows but is worth a second look: :func:`system_notes`,
printed by ``ihms system check`` (the rules themselves are in :mod:`ihms.system.rules`)."""

from __future__ import annotations

from ihms.sources import GAO_2022
from ihms.system.model import System, Tier
from ihms.system.rules import _a

__all__ = ["system_notes"]


def system_notes(system: System) -> list[str]:
    """What is allowed but worth a second look, one sentence each.

    A specialist alliance or a telemedicine network marked fully integrated: Gao et al. 2022
    (sections 1.2 and 2.3) describes both as technical cooperation across property
    rights, the flexible type, and the 2020 management measures reserve full integration
    for urban medical groups and county medical communities. Such a file is not refused
    (a region may merge a specialist hospital's network), but the rules for full
    consortia (one per institution, no NHC, university or provincial hospital inside)
    then apply to it, which the analyst should know. First, the names the file gives in
    other words and how they were read (``System.read_as``).

    Parameters
    ----------
    system
        A loaded delivery system (:func:`ihms.system.load_system`).
    """
    notes = list(system.read_as)  # names read in other words, where the file says them
    for c in system.consortia:
        if c.fully_integrated and not c.type.serves_grid:
            notes.append(
                f"consortium {c.id!r} is {_a(c.type)} marked fully "
                f"integrated; {GAO_2022} counts these as technical cooperation (flexible), "
                "and the rules for full consortia now apply to it — check 'integration'"
            )
    return notes + _outside_period_notes(system) + _shared_grid_notes(system) + _no_way_up(system)


def _outside_period_notes(system: System) -> list[str]:
    """A consortium or institution whose years miss the period altogether: a typo such
    as 2107 for 2017 made it vanish without a word (review 30 #13)."""
    years = system.years
    if not years:
        return []
    notes = []
    for kind, things in (("consortium", system.consortia), ("institution", system.institutions)):
        for t in things:
            if not any(t.active_in(y) for y in years):
                notes.append(
                    f"{kind} {t.id!r} never operates within the period {years[0]}–{years[-1]}"
                    " — check its years"
                )
    return notes


def _no_way_up(system: System) -> list[str]:
    """The primary centres with no way up in the last year: no consortium lead, no
    hospital of their county and no tertiary hospital, so every referral they send up
    counts as off the pathway (review 30 #6)."""
    from ihms.system.referral import referral_pathway

    years = system.years or system.population_years
    year = years[-1] if years else None
    path = referral_pathway(system, year=year)
    lost = [
        i.id
        for i in system.institutions
        if i.tier is Tier.PRIMARY_CENTRE and i.id in path.routes and not path.up(i.id)
    ]
    if not lost:
        return []
    when = f" in {year}" if year is not None else ""
    return [
        f"{len(lost)} primary centre{' has' if len(lost) == 1 else 's have'} no way up"
        f"{when} ({', '.join(lost[:5])}"
        f"{', ...' if len(lost) > 5 else ''}): no consortium, hospital or tertiary hospital "
        "to refer to, so their up-referrals all count as off the pathway"
    ]


def _shared_grid_notes(system: System) -> list[str]:
    """A grid served by two or more grid-serving consortia in a year, not all of them
    fully integrated (two fully integrated ones are a problem): allowed, but each
    consortium's population counts the grid's residents."""
    notes = []
    serving = [c for c in system.consortia if c.type.serves_grid]
    for g in system.grids:
        years: dict[tuple[str, ...], list[int]] = {}
        for year in system.years or system.population_years:  # no period (review 30 #8)
            on = tuple(c.id for c in serving if g.id in c.grids and c.active_in(year))
            full = all(system.consortium(i).fully_integrated for i in on)
            if len(on) > 1 and not full:  # all full: a problem (check_system)
                years.setdefault(on, []).append(year)
        for ids, when in years.items():
            which = ", ".join(f"{i} {system.consortium(i).integration.value}" for i in ids)
            notes.append(
                f"grid {g.id!r} is served by {len(ids)} consortia in {_span(when)} ({which}): "
                f"{GAO_2022} (section 2.4) has one consortium per grid, and the "
                "consortium-level indicators count the grid's residents in each of them"
            )
    return notes


def _span(years: list[int]) -> str:
    """``2022–2023`` for a run of years, ``2016, 2018`` otherwise."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))
