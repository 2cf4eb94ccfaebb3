"""The referral pathway as data: for each institution, where it refers up and down.

The pathway follows seed 001's dualistic pattern (section 3): primary care refers up to
its consortium's lead hospital, the consortium refers the cases it cannot treat to the
top tertiary hospitals outside it (``refers_up_to``), and patients come back down for
rehabilitation and chronic follow-up. An institution's explicit ``refers_up`` /
``refers_down`` in the YAML replaces the derived targets for that direction.

Derived targets, by tier:

=================  ==========================================  =================================
tier               up                                          down
=================  ==========================================  =================================
village clinic     its parent centre (else the centres of      --
                   its grid)
primary centre,    the lead of each grid-serving consortium    its village clinics (children,
public health      it belongs to (else the county's secondary  else the clinics of its grid)
                   hospitals)
secondary          ``refers_up_to`` of its grid consortia      the primary centres of its grid
                   (if not a member, nothing)                  consortia
tertiary           --                                          the leads of consortia that refer
                                                               to it, and the lower-tier members
                                                               of consortia it leads
=================  ==========================================  =================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ihms.system.model import Consortium, Institution, System, Tier

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

    def up(self, institution_id: str) -> tuple[str, ...]:
        return self.routes[institution_id].up

    def down(self, institution_id: str) -> tuple[str, ...]:
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


def referral_pathway(system: System) -> ReferralPathway:
    """Derive the referral pathway of ``system`` (see the module docstring)."""
    insts = {i.id: i for i in system.institutions}
    grid_consortia: dict[str, list[Consortium]] = {}
    for c in system.consortia:
        if c.type.serves_grid:
            for m in c.members:
                grid_consortia.setdefault(m, []).append(c)

    def centres_of_grid(grid: str | None) -> list[str]:
        return [
            i.id for i in system.institutions if i.tier is Tier.PRIMARY_CENTRE and i.grid == grid
        ]

    def derived(inst: Institution) -> ReferralRoute:
        mine = grid_consortia.get(inst.id, [])
        up: list[str] = []
        down: list[str] = []
        if inst.tier is Tier.VILLAGE_CLINIC:
            up = [inst.parent] if inst.parent else centres_of_grid(inst.grid)
        elif inst.tier in (Tier.PRIMARY_CENTRE, Tier.PUBLIC_HEALTH):
            up = [c.lead for c in mine if c.lead != inst.id]
            if not up:
                up = [
                    i.id
                    for i in system.institutions
                    if i.tier is Tier.SECONDARY and i.county == inst.county
                ]
            children = [
                i.id
                for i in system.institutions
                if i.tier is Tier.VILLAGE_CLINIC and i.parent == inst.id
            ]
            if not children and inst.tier is Tier.PRIMARY_CENTRE:
                children = [
                    i.id
                    for i in system.institutions
                    if i.tier is Tier.VILLAGE_CLINIC and i.parent is None and i.grid == inst.grid
                ]
            down = children
        elif inst.tier is Tier.SECONDARY:
            up = [t for c in mine for t in c.refers_up_to]
            down = [
                m
                for c in mine
                for m in c.members
                if m in insts and insts[m].tier is Tier.PRIMARY_CENTRE
            ]
        elif inst.tier is Tier.TERTIARY:
            down = [c.lead for c in system.consortia if inst.id in c.refers_up_to]
            down += [
                m
                for c in system.consortia
                if c.lead == inst.id
                for m in c.members
                if m in insts and insts[m].tier.rank < inst.tier.rank
            ]
        return ReferralRoute(
            up=_ordered(t for t in up if t != inst.id),
            down=_ordered(t for t in down if t != inst.id),
        )

    routes = {}
    for inst in system.institutions:
        route = derived(inst)
        routes[inst.id] = ReferralRoute(
            up=inst.refers_up or route.up,
            down=inst.refers_down or route.down,
        )
    return ReferralPathway(routes)
