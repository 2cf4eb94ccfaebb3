"""The referral pathway as data: for each institution, where it refers up and down.

The way up follows Gao et al. 2022's dualistic pattern (section 3): primary care refers up to
its consortium's lead hospital, and the lead refers the cases the consortium cannot treat
to the top tertiary hospitals outside it (``refers_up_to``). Gao et al. 2022 describe only
that upward chain; the way back down (follow-up after discharge, which Jia et al. 2021's
Continuous Healthcare Center at the county hospital ensures) is ihms's modelling
assumption, derived as the table below gives. An institution's explicit ``refers_up`` /
``refers_down`` in the YAML replaces the derived targets for that direction. Given a
year, only the consortia and institutions operating in it count.

Up, for a member of grid-serving consortia (urban medical groups, county medical
communities): each consortium's lead if the lead stands higher, else the consortium's
``refers_up_to`` (so a lead, or a hospital as high as the lead, refers outside). Then,
by tier:

=================  ==========================================  =================================
tier               up (else)                                   down
=================  ==========================================  =================================
village clinic     its parent centre (else the centres of      --
                   its grid)
primary centre     as above (else the county's public          its village clinics (children,
                   secondary hospitals; private ones only if   else the clinics of its grid)
                   there are none; with no secondary
                   hospital, the county's public tertiary
                   hospitals, else the system's)
public health      -- (a CDC does not treat and refer          --
                   patients; only its own refers_up/down)
secondary          as above (else the leads, higher than it,   the primary centres of its grid
                   of the other consortia it belongs to: a     consortia (else the centres of
                   specialist alliance's green channel, and    its county whose way up
                   the system's public tertiary hospitals;     is itself)
                   private ones only if there are none)
tertiary           as above (else nothing)                     the leads of consortia that refer
                                                               to it, the lower-tier members of
                                                               grid consortia it leads, the
                                                               members of other consortia it
                                                               leads whose way up is itself,
                                                               and the secondary hospitals
                                                               and centres whose way up is
                                                               itself (a consortium member's
                                                               too: the same in every year)
=================  ==========================================  =================================

The defaults (a centre or hospital with no way up through a grid consortium) follow
the administrative hierarchy a county had before its consortium: a centre refers up to
the county's hospitals, a county hospital to the tertiary hospitals, and each refers
down to those whose way up it is (their own ``refers_up`` when they give one, else
that default). So ``off_pathway_referrals`` means the same
before and after a consortium starts, a tier skipped or a way the consortium closes
(a centre of the consortium to a hospital other than its lead), rather than every
referral of a hospital that has no consortium yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import pandas as pd

from ihms._repr import brief_repr
from ihms.system.model import Affiliation, Consortium, Institution, System, Tier

__all__ = ["ReferralPathway", "ReferralRoute", "referral_pathway"]


@dataclass(frozen=True)
class ReferralRoute:
    """Where one institution refers patients: ``up`` and ``down`` institution ids."""

    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralPathway:
    """Referral targets for every institution of a system."""

    routes: Mapping[str, ReferralRoute] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", MappingProxyType(dict(self.routes)))

    def __repr__(self) -> str:  # the generated one printed every route
        return brief_repr(
            self,
            institutions=len(self.routes),
            up=sum(len(r.up) for r in self.routes.values()),
            down=sum(len(r.down) for r in self.routes.values()),
        )

    def up(self, institution_id: str) -> tuple[str, ...]:
        """Where ``institution_id`` refers patients up.

        Parameters
        ----------
        institution_id
            An institution of the pathway.
        """
        return self.routes[institution_id].up

    def down(self, institution_id: str) -> tuple[str, ...]:
        """Where ``institution_id`` refers patients down.

        Parameters
        ----------
        institution_id
            An institution of the pathway.
        """
        return self.routes[institution_id].down

    def to_frame(self) -> pd.DataFrame:
        """One row per (institution, direction, target)."""
        rows = [
            (inst, direction, target)
            for inst, route in self.routes.items()
            for direction, targets in (("up", route.up), ("down", route.down))
            for target in targets
        ]
        return pd.DataFrame(rows, columns=["institution_id", "direction", "target_id"])


def _ordered(ids) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def referral_pathway(system: System, *, year: int | None = None) -> ReferralPathway:
    """Derive the referral pathway of ``system`` (see the module docstring).

    Parameters
    ----------
    system
        The delivery system.
    year
        Only consortia and institutions operating in this year (before a county
        medical community starts, its centres refer to the county's hospitals);
        ``None`` takes them all, whatever their years.
    """
    insts = {i.id: i for i in system.institutions if year is None or i.active_in(year)}
    consortia = [c for c in system.consortia if year is None or c.active_in(year)]
    grid_consortia: dict[str, list[Consortium]] = {}
    other_consortia: dict[str, list[Consortium]] = {}
    for c in consortia:
        into = grid_consortia if c.type.serves_grid else other_consortia
        for m in c.members:
            into.setdefault(m, []).append(c)

    def rank(iid: str) -> int:
        return insts[iid].tier.rank if iid in insts else 0

    def up_in(inst: Institution, c: Consortium) -> list[str]:
        if c.lead != inst.id and rank(c.lead) > inst.tier.rank:
            return [c.lead]
        return list(c.refers_up_to)

    def public_first(found: list[Institution]) -> list[str]:
        public = [i.id for i in found if i.affiliation is not Affiliation.PRIVATE]
        return public or [i.id for i in found]

    @cache
    def county_hospitals(county: str) -> tuple[str, ...]:
        found = [i for i in insts.values() if i.tier is Tier.SECONDARY and i.county == county]
        return tuple(public_first(found))

    @cache
    def tertiary_hospitals(county: str | None = None) -> tuple[str, ...]:
        found = [
            i
            for i in insts.values()
            if i.tier is Tier.TERTIARY and (county is None or i.county == county)
        ]
        return tuple(public_first(found))

    def consortium_up(inst: Institution) -> list[str]:
        return [t for c in grid_consortia.get(inst.id, []) for t in up_in(inst, c)]

    def explicit_up(inst: Institution) -> list[str]:
        return [t for t in inst.refers_up if t in insts]

    def way_up(inst: Institution) -> tuple[str, ...]:
        # where ``inst`` refers up: its own ``refers_up``, else the derived targets
        return tuple(explicit_up(inst)) or derived(inst.id).up

    def by_default(tier: Tier, upper: str) -> list[str]:
        # the inverse of the way up: those of ``tier`` whose way up (their own
        # ``refers_up``, else through a grid consortium, else the default) includes
        # ``upper``
        return [i.id for i in insts.values() if i.tier is tier and upper in way_up(i)]

    def clinics(where) -> list[str]:
        return [i.id for i in insts.values() if i.tier is Tier.VILLAGE_CLINIC and where(i)]

    @cache  # each institution's route once: a tertiary's and a secondary's ask for others'
    def derived(iid: str) -> ReferralRoute:
        inst = insts[iid]
        up = consortium_up(inst)
        down: list[str] = []
        if inst.tier is Tier.VILLAGE_CLINIC:
            up = (
                [inst.parent]
                if inst.parent in insts
                else [
                    i.id
                    for i in insts.values()
                    if i.tier is Tier.PRIMARY_CENTRE and i.grid == inst.grid
                ]
            )
        elif inst.tier is Tier.PUBLIC_HEALTH:
            up = []  # a CDC does not treat and refer patients (its own refers_up may)
        elif inst.tier is Tier.PRIMARY_CENTRE:
            # no secondary hospital in its county: the tier above, the county's
            # public tertiary hospitals, else the system's
            up = up or list(
                county_hospitals(inst.county)
                or tertiary_hospitals(inst.county)
                or tertiary_hospitals()
            )
            down = clinics(lambda i: i.parent == inst.id) or clinics(
                lambda i: i.parent is None and i.grid == inst.grid
            )
        elif inst.tier is Tier.SECONDARY:
            # no way up through a grid consortium: a specialist alliance's green
            # channel, and the tier above, as a centre's default is the county's hospitals
            up = up or [
                *(c.lead for c in other_consortia.get(inst.id, []) if rank(c.lead) > rank(inst.id)),
                *tertiary_hospitals(),
            ]
            down = [
                m
                for c in grid_consortia.get(inst.id, [])
                for m in c.members
                if m in insts and insts[m].tier is Tier.PRIMARY_CENTRE
            ] or by_default(Tier.PRIMARY_CENTRE, inst.id)
        elif inst.tier is Tier.TERTIARY:
            down = [c.lead for c in consortia if inst.id in c.refers_up_to]
            # a network or alliance it leads is technical cooperation (seed 001): down
            # through it only to the members whose derived way up is itself
            down += [
                m
                for c in consortia
                if c.lead == inst.id
                for m in c.members
                if rank(m)
                and rank(m) < inst.tier.rank
                and (c.type.serves_grid or inst.id in way_up(insts[m]))
            ]
            # the secondary hospitals whose way up is itself in every year, a
            # consortium's members included (review session 30, finding 1), and the
            # centres of a county with no secondary hospital
            down += by_default(Tier.SECONDARY, inst.id)
            down += by_default(Tier.PRIMARY_CENTRE, inst.id)
        return ReferralRoute(
            up=_ordered(t for t in up if t != inst.id and t in insts),
            down=_ordered(t for t in down if t != inst.id and t in insts),
        )

    routes = {}
    for inst in insts.values():
        route = derived(inst.id)
        routes[inst.id] = ReferralRoute(
            up=_ordered(explicit_up(inst)) or route.up,
            down=_ordered(t for t in inst.refers_down if t in insts) or route.down,
        )
    return ReferralPathway(routes)
