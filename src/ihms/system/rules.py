"""The structural rules a delivery system must satisfy (Gao et al. 2022, sections 2.1-2.4).

:func:`system_problems` lists every violation, each naming the objects involved;
:func:`structural_problems` gives the same violations as :class:`RuleViolation` records, which
say which entry and key each is about, so the loader can put the file's line in front.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ihms._listing import nearest_listed
from ihms._renamed import renamed_attributes
from ihms.errors import did_you_mean
from ihms.sources import GAO_2022
from ihms.system.model import (
    RESOURCE_FIELDS,
    Consortium,
    ConsortiumType,
    CooperationLink,
    Grid,
    Institution,
    System,
    Tier,
)

__all__ = ["RuleViolation", "structural_problems", "system_problems"]

#: Renamed in 0.1.0 (review item M6: :class:`ihms.errors.Problem` is an input problem's
#: text); the old name still gives the class, with a DeprecationWarning, for one release.
__getattr__ = renamed_attributes(__name__, {"Problem": "RuleViolation"}, since="0.1.0")


@dataclass(frozen=True)
class RuleViolation:
    """One violation of the structural rules.

    Named ``Problem`` before ihms 0.1.0; that name still gives this class, with a
    DeprecationWarning, until the next release (:class:`ihms.errors.Problem` is one input
    problem's text with its file, row and column, a different thing).

    Attributes
    ----------
    kind
        What the problem is about: ``"county"``, ``"grid"``, ``"institution"``,
        ``"consortium"``, ``"cooperation"`` or ``""`` (the system as a whole).
    ident
        The id of that object (for ``"cooperation"``, the link's position).
    key
        The YAML key the problem is about (``"lead"``, ``"members"``, ...).
    message
        What is wrong, naming the other objects involved.
    refs
        Ids of other objects the problem arises from (a member that does not exist,
        say): a problem about an entry the loader already refused is not repeated.
    nth
        Which entry with this id the problem is about (0: the first; a duplicate id is
        reported at its second entry).
    """

    kind: str
    ident: str
    key: str
    message: str
    refs: tuple[str, ...] = ()
    nth: int = 0

    def __str__(self) -> str:
        if self.kind == "cooperation":
            return f"cooperation link {self.nth + 1} (provider {self.ident!r}): {self.message}"
        return f"{self.kind} {self.ident!r}: {self.message}" if self.kind else self.message


def system_problems(system: System) -> list[str]:
    """Every violation of the structural rules in ``system``.

    Parameters
    ----------
    system
        The delivery system to check.
    """
    return [str(p) for p in structural_problems(system)]


def structural_problems(system: System) -> list[RuleViolation]:
    """Every violation of the structural rules in ``system``, as :class:`RuleViolation` records.

    Parameters
    ----------
    system
        The delivery system to check.
    """
    return list(_iter_problems(system))


def _iter_problems(system: System) -> Iterator[RuleViolation]:
    county_ids = {c.id for c in system.counties}
    grids = {g.id: g for g in system.grids}
    insts = {i.id: i for i in system.institutions}

    for kind, ids in (
        ("county", [c.id for c in system.counties]),
        ("grid", [g.id for g in system.grids]),
        ("institution", [i.id for i in system.institutions]),
        ("consortium", [c.id for c in system.consortia]),
    ):
        seen: dict[str, int] = {}
        for i in ids:
            seen[i] = seen.get(i, 0) + 1
            if seen[i] == 2:
                yield RuleViolation(kind, i, "id", "the id is used more than once", nth=1)

    for county in system.study_counties:
        if county not in county_ids:
            yield RuleViolation(
                "",
                "",
                "study_counties",
                f"study county {county!r} is not among the counties",
                refs=(county,),
            )

    for g in system.grids:
        yield from _grid_problems(g, county_ids, system.years)

    for inst in system.institutions:
        yield from _institution_problems(inst, county_ids, grids, insts)

    for c in system.consortia:
        yield from _consortium_problems(c, grids, insts)

    for n, link in enumerate(system.cooperation):
        yield from _cooperation_problems(n, link, insts)

    # One grid, at most one fully integrated consortium at any time (seed 001, 2.4).
    full = [c for c in system.consortia if c.fully_integrated and c.type.serves_grid]
    for g in system.grids:
        for a, b in _overlapping_pairs([c for c in full if g.id in c.grids]):
            yield RuleViolation(
                "consortium",
                b.id,
                "grids",
                f"grid {g.id!r} is served by two fully integrated consortia, {a.id!r} and "
                f"{b.id!r}, in overlapping years; one grid may have only one "
                f"({GAO_2022}, section 2.4)",
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
            yield RuleViolation(
                "consortium",
                b.id,
                "members",
                f"member {m!r} is already a member of the fully integrated consortium "
                f"{a.id!r} in overlapping years; an institution shares assets and "
                "management with one fully integrated consortium only",
            )


def _overlapping_pairs(consortia: list[Consortium]) -> Iterator[tuple[Consortium, Consortium]]:
    """Each pair of ``consortia`` (in file order) that operate in a common year."""
    for a_i, a in enumerate(consortia):
        for b in consortia[a_i + 1 :]:
            if a.overlaps(b):
                yield a, b


def _grid_problems(
    g: Grid, county_ids: set[str], years: tuple[int, ...]
) -> Iterator[RuleViolation]:
    if g.county not in county_ids:
        yield RuleViolation(
            "grid", g.id, "county", _missing("county", g.county, county_ids), refs=(g.county,)
        )
    for year, pop in g.population.items():
        if pop < 0:
            yield RuleViolation(
                "grid", g.id, "population", f"population in {year} is negative ({pop})"
            )
    # A year without a figure would count as nobody living there.
    missing = [y for y in years if y not in g.population]
    if missing:
        yield RuleViolation(
            "grid",
            g.id,
            "population",
            f"no population for {_years(missing)}; the period runs {years[0]}–{years[-1]} "
            "and every year of it needs the grid's year-end population",
        )
    # given at all, it is read by year (the simulator's population plan, the synthetic
    # data), and a year left out would count as nobody aged 60 or over
    missing_old = [y for y in years if y not in g.aged_60_plus]
    if g.aged_60_plus and missing_old:
        yield RuleViolation(
            "grid",
            g.id,
            "aged_60_plus",
            f"no aged_60_plus for {_years(missing_old)}; the period runs {years[0]}–"
            f"{years[-1]} and a grid that gives aged_60_plus gives it for every year",
        )
    for year, old in g.aged_60_plus.items():
        if year not in g.population:
            yield RuleViolation(
                "grid", g.id, "aged_60_plus", f"aged_60_plus given for {year}, population not"
            )
        elif old > g.population[year]:
            yield RuleViolation(
                "grid",
                g.id,
                "aged_60_plus",
                f"aged_60_plus in {year} ({old}) exceeds the population ({g.population[year]})",
            )


def _reversed_years(
    problem, first: tuple[str, int | None], last: tuple[str, int | None]
) -> Iterator[RuleViolation]:
    """A first year after the last one, reported at the first's key."""
    (first_key, a), (last_key, b) = first, last
    if a is not None and b is not None and a > b:
        yield problem(first_key, f"{first_key} {a} is after {last_key} {b}")


def _missing(what: str, ident: str, listed: Iterable[str]) -> str:
    """``refers_up_to 'UNIVERSITY' does not exist — did you mean 'UNIV'?``: the file's
    ids are a closed list it wrote itself, so the nearest are named as the data layer's
    checks name an unknown institution's (review D, LOW 7)."""
    ids = list(listed)
    near = did_you_mean(ident, ids, similar=False) or nearest_listed(ident, ids, cutoff=0.5)
    return f"{what} {ident!r} does not exist{near}"


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def _institution_problems(
    inst: Institution,
    county_ids: set[str],
    grids: Mapping[str, Grid],
    insts: Mapping[str, Institution],
) -> Iterator[RuleViolation]:
    def problem(key: str, message: str, *refs: str) -> RuleViolation:
        return RuleViolation("institution", inst.id, key, message, refs=refs)

    if inst.county not in county_ids:
        yield problem("county", _missing("county", inst.county, county_ids), inst.county)
    if inst.grid is not None:
        grid = grids.get(inst.grid)
        if grid is None:
            yield problem("grid", _missing("grid", inst.grid, grids), inst.grid)
        elif grid.county != inst.county:
            yield problem(
                "grid",
                f"grid {inst.grid!r} lies in county {grid.county!r}, not in {inst.county!r}",
                grid.county,
            )
    yield from _reversed_years(
        problem, ("active_from", inst.active_from), ("active_to", inst.active_to)
    )
    if inst.parent is not None:
        parent = insts.get(inst.parent)
        if parent is None:
            yield problem("parent", _missing("parent", inst.parent, insts), inst.parent)
        elif parent.tier is not Tier.PRIMARY_CENTRE:
            yield problem(
                "parent",
                f"parent {inst.parent!r} must be a primary_centre, got {parent.tier.value}",
            )
    for key, targets in (("refers_up", inst.refers_up), ("refers_down", inst.refers_down)):
        for target in targets:
            if target not in insts:
                yield problem(key, _missing("referral target", target, insts), target)
            else:
                yield from _referral_target_problems(inst, key, insts[target], problem)
    yield from _resource_problems(inst, problem)


def _referral_target_problems(
    inst: Institution, key: str, target: Institution, problem
) -> Iterator[RuleViolation]:
    """A ``refers_up`` target must stand above the institution, a ``refers_down`` one
    below it (the indicators call a referral up or down by the tiers alone, so any other
    target is never judged, and it replaces the derived ones: review 30 #7). A
    public-health institution's referrals are in neither direction: only itself is
    refused."""
    if target.id == inst.id:
        yield problem(key, f"{key} names the institution itself ({inst.id!r})")
        return
    if Tier.PUBLIC_HEALTH in (inst.tier, target.tier):
        return
    up = key == "refers_up"
    if (target.tier.rank <= inst.tier.rank) if up else (target.tier.rank >= inst.tier.rank):
        where = "above" if up else "below"
        yield problem(
            key,
            f"{key} target {target.id!r} ({target.tier.value}) does not stand {where} "
            f"{inst.id!r} ({inst.tier.value}); give a {key} target of a "
            f"{'higher' if up else 'lower'} tier",
        )


def _resource_problems(inst: Institution, problem) -> Iterator[RuleViolation]:
    for year, res in inst.resources.items():
        if not inst.active_in(year):
            yield problem(
                "resources",
                f"resources given for {year}, a year it does not operate "
                f"(active {inst.active_from or '…'}–{inst.active_to or '…'})",
            )
        for name in RESOURCE_FIELDS:
            value = getattr(res, name)
            if value is not None and value < 0:
                yield problem("resources", f"resources {year} {name} is negative ({value})")
        if (
            res.consultation_income_fen is not None
            and res.medical_income_fen is not None
            and res.consultation_income_fen > res.medical_income_fen
        ):
            yield problem(
                "resources", f"resources {year} consultation_income_fen exceeds medical_income_fen"
            )
        if (
            res.personnel_cost_fen is not None
            and res.expense_fen is not None
            and res.personnel_cost_fen > res.expense_fen
        ):
            yield problem("resources", f"resources {year} personnel_cost_fen exceeds expense_fen")


def _consortium_problems(
    c: Consortium, grids: Mapping[str, Grid], insts: Mapping[str, Institution]
) -> Iterator[RuleViolation]:
    def problem(key: str, message: str, *refs: str) -> RuleViolation:
        return RuleViolation("consortium", c.id, key, message, refs=refs)

    for m in c.members:
        if m not in insts:
            yield problem("members", _missing("member", m, insts), m)
    seen: set[str] = set()
    for m in c.members:
        if m in seen:
            yield problem("members", f"member {m!r} is listed twice")
        seen.add(m)
    if c.lead not in c.members:
        yield problem("lead", f"lead {c.lead!r} is not one of its members")
    for g in c.grids:
        if g not in grids:
            yield problem("grids", _missing("grid", g, grids), g)
    if c.type.serves_grid and not c.grids:
        yield problem("grids", f"{_a(c.type)} serves a grid; give its grids")
    if not c.type.serves_grid and c.grids:
        yield problem("grids", f"{_a(c.type)} does not serve grids; remove 'grids'")
    yield from _reversed_years(problem, ("start_year", c.start_year), ("end_year", c.end_year))
    for target in c.refers_up_to:
        if target not in insts:
            yield problem("refers_up_to", _missing("refers_up_to", target, insts), target)
        elif target in c.members:
            yield problem(
                "refers_up_to", f"refers_up_to {target!r} is a member; it must lie outside"
            )
    if c.fully_integrated:
        for m in c.members:
            inst = insts.get(m)
            if inst is not None and inst.affiliation.excluded_from_full_integration:
                yield problem(
                    "members",
                    f"member {m!r} is affiliated with the {inst.affiliation.value} level; NHC, "
                    "university and provincial hospitals stay out of fully integrated "
                    f"consortia ({GAO_2022}, section 2.2)",
                )


def _cooperation_problems(
    n: int, link: CooperationLink, insts: Mapping[str, Institution]
) -> Iterator[RuleViolation]:
    def problem(key: str, message: str, *refs: str) -> RuleViolation:
        return RuleViolation("cooperation", link.provider, key, message, refs=refs, nth=n)

    provider = insts.get(link.provider)
    if provider is None:
        yield problem("provider", _missing("provider", link.provider, insts), link.provider)
    seen: set[str] = set()
    for r in link.recipients:
        recipient = insts.get(r)
        if recipient is None:
            yield problem("recipients", _missing("recipient", r, insts), r)
        elif r == link.provider:
            yield problem("recipients", "the provider is among its own recipients")
        elif provider is not None and recipient.tier.rank > provider.tier.rank:
            yield problem(
                "recipients",
                f"recipient {r!r} ({recipient.tier.value}) stands above the provider "
                f"({provider.tier.value}); resources sink from upper to lower tiers, so "
                "swap provider and recipient",
            )
        if r in seen:
            yield problem("recipients", f"recipient {r!r} is listed twice")
        seen.add(r)
    yield from _reversed_years(
        problem, ("start_year", link.start_year), ("end_year", link.end_year)
    )


def _a(kind: ConsortiumType) -> str:
    """``an urban medical group``, ``a specialist alliance``: the type in words with
    its article."""
    words = kind.value.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"
