"""Turn the parsed YAML models of :mod:`ihms.system._yaml` into the frozen domain objects.

Village clinics declared as ``institution_groups`` become one :class:`Institution` each;
glob patterns among a consortium's members are matched against the institution ids.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ihms.system._messages import Locator
from ihms.system._yaml import ConsortiumIn, InstitutionGroupIn, InstitutionIn, ResourcesIn, SystemIn
from ihms.system.model import (
    Consortium,
    CooperationLink,
    County,
    Grid,
    Institution,
    Resources,
    System,
)

__all__ = ["Built", "build", "may_name"]


@dataclass
class Built:
    """What :func:`build` made: the system, the problems met on the way, for each
    institution an ``institution_groups`` entry made that entry's index, the id prefixes
    of groups that could not be expanded, and the member patterns that matched nothing
    (with where they stand)."""

    system: System
    problems: list[str] = field(default_factory=list)
    group_of: dict[str, int] = field(default_factory=dict)
    failed_prefixes: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)


def _resources(year: int, r: ResourcesIn) -> Resources:
    return Resources(year=year, **r.model_dump())


def _institution(i: InstitutionIn) -> Institution:
    return Institution(
        id=i.id,
        name=i.name,
        name_zh=i.name_zh,
        tier=i.tier,
        affiliation=i.affiliation,
        ownership=i.ownership,
        county=i.county,
        grid=i.grid,
        parent=i.parent,
        active_from=i.active_from,
        active_to=i.active_to,
        resources={y: _resources(y, r) for y, r in i.resources.items()},
        refers_up=tuple(i.refers_up),
        refers_down=tuple(i.refers_down),
    )


def _expand_group(
    g: InstitutionGroupIn, where: str, period: tuple[int, int] | None
) -> tuple[list[Institution], list[str]]:
    """The members of group ``g`` and the problems found. A member's years are the run of
    count years it is counted in, open at the counts' first and last year; so every year
    of the ``period`` (first, last year) needs a count, as every grid needs its
    population: counts for 2018–2019 in a 2020–2021 file gave clinics operating in 2020
    and 2021 (review 30 #4)."""
    years = sorted(g.count_by_year)
    n_max = max(g.count_by_year.values(), default=0)
    members: list[Institution] = []
    problems: list[str] = []
    if period is not None:
        missing = [y for y in range(period[0], period[1] + 1) if y not in g.count_by_year]
        if missing:
            problems.append(
                f"{where}: no count_by_year for {', '.join(map(str, missing))}; the period "
                f"runs {period[0]}–{period[1]} and every year of it needs the group's count "
                "(0 for a year none operates)"
            )
            return members, problems
    if n_max >= 10**g.digits:
        problems.append(f"{where}: {n_max} members do not fit in {g.digits} digits")
        return members, problems
    for k in range(1, n_max + 1):
        active = [y for y in years if g.count_by_year[y] >= k]
        if active != list(range(active[0], active[-1] + 1)):
            problems.append(
                f"{where}: member {k} would operate in {active}, not a run of years; "
                "counts that fall and rise again need separate groups"
            )
            continue
        resources = {}
        if g.resources_each is not None:
            resources = {y: _resources(y, g.resources_each) for y in active}
        members.append(
            Institution(
                id=f"{g.id_prefix}{k:0{g.digits}d}",
                name=f"{g.name} {k}",
                tier=g.tier,
                affiliation=g.affiliation,
                ownership=g.ownership,
                county=g.county,
                grid=g.grid,
                parent=g.parent,
                active_from=active[0] if active[0] != years[0] else None,
                active_to=active[-1] if active[-1] != years[-1] else None,
                resources=resources,
            )
        )
    return members, problems


def _expand_members(c: ConsortiumIn, ids: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The member ids (patterns matched against ``ids``), and the patterns that matched
    nothing."""
    out: list[str] = []
    unmatched: list[str] = []
    for pattern in c.members:
        if any(ch in pattern for ch in "*?["):
            matched = fnmatch.filter(ids, pattern)
            if not matched:
                unmatched.append(pattern)
            out += [m for m in matched if m not in out]
        elif pattern not in out:
            out.append(pattern)
    return tuple(out), unmatched


def may_name(pattern: str, prefix: str) -> bool:
    """Whether a member pattern could match ids starting with ``prefix`` (a group's)."""
    head = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
    return prefix.startswith(head) or head.startswith(prefix)


def build(
    parsed: SystemIn,
    *,
    extensions: Mapping[str, Any],
    source: str,
    locator: Locator,
    index_of: Mapping[str, Sequence[int]],
) -> Built:
    """Build the :class:`System` of ``parsed``.

    ``index_of[section][k]`` is the file's index of the ``k``-th parsed entry (entries
    the loader refused are left out of ``parsed``).
    """

    def where(section: str, k: int, *rest: Any) -> str:
        return locator.where((section, index_of[section][k], *rest))

    built = Built(system=None)  # type: ignore[arg-type]
    institutions = [_institution(i) for i in parsed.institutions]
    span = None
    if parsed.period is not None and parsed.period.start <= parsed.period.end:
        span = (parsed.period.start.year, parsed.period.end.year)
    for k, g in enumerate(parsed.institution_groups):
        members, more = _expand_group(g, where("institution_groups", k), span)
        institutions += members
        built.problems += more
        if more:
            built.failed_prefixes.append(g.id_prefix)
        for m in members:
            built.group_of[m.id] = index_of["institution_groups"][k]
    ids = [i.id for i in institutions]

    consortia = []
    for k, c in enumerate(parsed.consortia):
        members, unmatched = _expand_members(c, ids)
        built.unmatched += [(where("consortia", k, "members"), p) for p in unmatched]
        consortia.append(
            Consortium(
                id=c.id,
                name=c.name,
                name_zh=c.name_zh,
                type=c.type,
                integration=c.integration,
                lead=c.lead,
                members=members,
                grids=tuple(c.grids),
                start_year=c.start_year,
                end_year=c.end_year,
                refers_up_to=tuple(c.refers_up_to),
            )
        )
    cooperation = tuple(
        CooperationLink(
            provider=link.provider,
            recipients=tuple(link.recipients),
            forms=tuple(link.forms),
            start_year=link.start_year,
            end_year=link.end_year,
        )
        for link in parsed.cooperation
    )
    period = None
    if parsed.period is not None:
        period = (parsed.period.start, parsed.period.end)
        if period[0] > period[1]:
            built.problems.append(f"{locator.where(('period',))}: start is after end")
    built.system = System(
        name=parsed.name,
        name_zh=parsed.name_zh,
        counties=tuple(County(c.id, c.name, c.city, c.name_zh, c.kind) for c in parsed.counties),
        grids=tuple(
            Grid(g.id, g.name, g.county, g.population, g.aged_60_plus, g.name_zh)
            for g in parsed.grids
        ),
        institutions=tuple(institutions),
        consortia=tuple(consortia),
        cooperation=cooperation,
        period=period,
        study_counties=tuple(parsed.study_counties),
        extensions=extensions,
        source=source,
    )
    return built
