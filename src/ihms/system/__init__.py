"""The delivery system: institutions, grids, counties and medical consortia.

Frozen domain objects (:class:`System`, :class:`Institution`, :class:`Consortium`, ...)
loaded from YAML with :func:`load_system` and checked against the consortium rules of
Gao et al. 2022; the two chains between the camps of Gao et al. 2022's dualistic pattern — the
referral pathway (:func:`referral_pathway`) and technical cooperation
(:func:`cooperation_chain`) — and the coverage report (:func:`coverage`) derived from
them.
"""

from ihms.system._enums import StaffActivity
from ihms.system._notes import system_notes
from ihms.system.cooperation import CooperationChain, CooperationRow, cooperation_chain
from ihms.system.coverage import Coverage, coverage
from ihms.system.load import (
    SectionError,
    SectionParser,
    load_system,
    parse_system,
    register_section,
)
from ihms.system.model import (
    RESOURCE_FIELDS,
    Affiliation,
    Consortium,
    ConsortiumType,
    CooperationForm,
    CooperationLink,
    County,
    Grid,
    Institution,
    Integration,
    Ownership,
    Resources,
    System,
    Tier,
)
from ihms.system.referral import ReferralPathway, ReferralRoute, referral_pathway

__all__ = [
    "RESOURCE_FIELDS",
    "Affiliation",
    "Consortium",
    "ConsortiumType",
    "CooperationChain",
    "CooperationForm",
    "CooperationLink",
    "CooperationRow",
    "County",
    "Coverage",
    "Grid",
    "Institution",
    "Integration",
    "Ownership",
    "ReferralPathway",
    "ReferralRoute",
    "Resources",
    "SectionError",
    "SectionParser",
    "StaffActivity",
    "System",
    "Tier",
    "cooperation_chain",
    "coverage",
    "load_system",
    "parse_system",
    "referral_pathway",
    "register_section",
    "system_notes",
]
