"""Two grid-serving consortia on one grid, not both fully integrated: allowed, but
`system check` notes it, since the grid's residents then count in both consortia's
indicators (session 22 review D, MEDIUM 4; two fully integrated ones are an error)."""

from __future__ import annotations

from tests.indicators.conftest import TINY_YAML

from ihms.system import parse_system, system_notes

# a semi-tight urban medical group led by CH serving g1 from 2016, beside the fully
# integrated county medical community cmc serving g1 and g2 from 2017
SECOND = """
  - {id: umg, name: Urban group, type: urban_medical_group, integration: half,
     lead: CH, members: [CH, THC1], grids: [g1], start_year: 2016}
"""


def test_a_grid_served_by_two_consortia_is_noted():
    system = parse_system(TINY_YAML + SECOND, source="tiny.yaml")
    assert system.problems() == []
    assert system_notes(system) == [
        "grid 'g1' is served by 2 consortia in 2017 (cmc full, umg half): Gao et al. 2022 (section "
        "2.4) has one consortium per grid, and the consortium-level indicators count the "
        "grid's residents in each of them"
    ]


def test_a_specialist_alliance_on_no_grid_is_not_noted():
    assert system_notes(parse_system(TINY_YAML, source="tiny.yaml")) == []
