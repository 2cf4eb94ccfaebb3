"""The structural rules a delivery system must satisfy (seed 001, sections 2.1-2.4).

:func:`system_problems` lists every violation, each naming the objects involved.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ihms.system.model import RESOURCE_FIELDS, Consortium, Institution, System, Tier

__all__ = ["system_problems"]


def system_problems(system: System) -> list[str]:
    """Every violation of the structural rules in ``system``."""
    return list(_iter_problems(system))


def _duplicates(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for i in ids:
        if i in seen and i not in dup:
            dup.append(i)
        seen.add(i)
    return dup


def _iter_problems(system: System) -> Iterator[str]:
    county_ids = {c.id for c in system.counties}
    grid_ids = {g.id for g in system.grids}
    insts = {i.id: i for i in system.institutions}

    for kind, ids in (
        ("county", [c.id for c in system.counties]),
        ("grid", [g.id for g in system.grids]),
        ("institution", [i.id for i in system.institutions]),
        ("consortium", [c.id for c in system.consortia]),
    ):
        for dup in _duplicates(ids):
            yield f"{kind} id {dup!r} is used more than once"

    for county in system.study_counties:
        if county not in county_ids:
            yield f"study county {county!r} is not among the counties"

    for g in system.grids:
        if g.county not in county_ids:
            yield f"grid {g.id!r}: county {g.county!r} does not exist"
        for year, pop in g.population.items():
            if pop < 0:
                yield f"grid {g.id!r}: population in {year} is negative ({pop})"
        for year, old in g.aged_60_plus.items():
            if old > g.population.get(year, 0):
                yield (
                    f"grid {g.id!r}: aged_60_plus in {year} ({old}) exceeds the "
                    f"population ({g.population.get(year, 0)})"
                )

    for inst in system.institutions:
        yield from _institution_problems(inst, county_ids, grid_ids, insts)

    for c in system.consortia:
        yield from _consortium_problems(c, grid_ids, insts)

    # One grid, at most one fully integrated consortium at any time (seed 001, 2.4).
    full = [c for c in system.consortia if c.fully_integrated and c.type.serves_grid]
    for g in system.grids:
        for a, b in _overlapping_pairs([c for c in full if g.id in c.grids]):
            yield (
                f"grid {g.id!r} is served by two fully integrated consortia, "
                f"{a.id!r} and {b.id!r}, in overlapping years; one grid may have "
                "only one (seed 001, section 2.4)"
            )

    # Full integration shares assets and management (seed 001, section 2.2; "tight" in
    # seed 003), so an institution belongs to at most one fully integrated consortium
    # at a time.
    full_of: dict[str, list[Consortium]] = {}
    for c in system.consortia:
        if c.fully_integrated:
            for m in dict.fromkeys(c.members):
                full_of.setdefault(m, []).append(c)
    for m, mine in full_of.items():
        for a, b in _overlapping_pairs(mine):
            yield (
                f"consortium {b.id!r}: member {m!r} is already a member of the fully "
                f"integrated consortium {a.id!r} in overlapping years; an institution "
                "shares assets and management with one fully integrated consortium only"
            )


def _overlapping_pairs(consortia: list[Consortium]) -> Iterator[tuple[Consortium, Consortium]]:
    """Each pair of ``consortia`` (in file order) that operate in a common year."""
    for a_i, a in enumerate(consortia):
        for b in consortia[a_i + 1 :]:
            if a.overlaps(b):
                yield a, b


def _institution_problems(
    inst: Institution,
    county_ids: set[str],
    grid_ids: set[str],
    insts: Mapping[str, Institution],
) -> Iterator[str]:
    where = f"institution {inst.id!r}"
    if inst.county not in county_ids:
        yield f"{where}: county {inst.county!r} does not exist"
    if inst.grid is not None and inst.grid not in grid_ids:
        yield f"{where}: grid {inst.grid!r} does not exist"
    if (
        inst.active_from is not None
        and inst.active_to is not None
        and inst.active_from > inst.active_to
    ):
        yield f"{where}: active_from {inst.active_from} is after active_to {inst.active_to}"
    if inst.parent is not None:
        parent = insts.get(inst.parent)
        if parent is None:
            yield f"{where}: parent {inst.parent!r} does not exist"
        elif parent.tier is not Tier.PRIMARY_CENTRE:
            yield (
                f"{where}: parent {inst.parent!r} must be a primary_centre, got {parent.tier.value}"
            )
    for target in (*inst.refers_up, *inst.refers_down):
        if target not in insts:
            yield f"{where}: referral target {target!r} does not exist"
    for year, res in inst.resources.items():
        for name in RESOURCE_FIELDS:
            value = getattr(res, name)
            if value is not None and value < 0:
                yield f"{where}: resources {year} {name} is negative ({value})"
        if (
            res.consultation_income_fen is not None
            and res.medical_income_fen is not None
            and res.consultation_income_fen > res.medical_income_fen
        ):
            yield f"{where}: resources {year} consultation_income_fen exceeds medical_income_fen"
        if (
            res.personnel_cost_fen is not None
            and res.expense_fen is not None
            and res.personnel_cost_fen > res.expense_fen
        ):
            yield f"{where}: resources {year} personnel_cost_fen exceeds expense_fen"


def _consortium_problems(
    c: Consortium, grid_ids: set[str], insts: Mapping[str, Institution]
) -> Iterator[str]:
    where = f"consortium {c.id!r}"
    for m in c.members:
        if m not in insts:
            yield f"{where}: member {m!r} does not exist"
    for dup in _duplicates(list(c.members)):
        yield f"{where}: member {dup!r} is listed twice"
    if c.lead not in c.members:
        yield f"{where}: lead {c.lead!r} is not one of its members"
    for g in c.grids:
        if g not in grid_ids:
            yield f"{where}: grid {g!r} does not exist"
    if c.type.serves_grid and not c.grids:
        yield f"{where}: a {c.type.value} serves a grid; give its grids"
    if not c.type.serves_grid and c.grids:
        yield f"{where}: a {c.type.value} does not serve grids; remove 'grids'"
    if c.start_year is not None and c.end_year is not None and c.start_year > c.end_year:
        yield f"{where}: start_year {c.start_year} is after end_year {c.end_year}"
    for target in c.refers_up_to:
        if target not in insts:
            yield f"{where}: refers_up_to {target!r} does not exist"
        elif target in c.members:
            yield f"{where}: refers_up_to {target!r} is a member; it must lie outside"
    if c.fully_integrated:
        for m in c.members:
            inst = insts.get(m)
            if inst is not None and inst.affiliation.excluded_from_full_integration:
                yield (
                    f"{where}: member {m!r} is affiliated with the "
                    f"{inst.affiliation.value} level; NHC, university and provincial "
                    "hospitals stay out of fully integrated consortia (seed 001, section 2.2)"
                )
