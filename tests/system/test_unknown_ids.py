"""An id the system file names but does not list gets the nearest listed id, as the
data layer's checks give (session 22 review D, LOW 7: "refers_up_to 'UNIVERSITY' does
not exist" did not say "did you mean 'UNIV'")."""

from __future__ import annotations

import pytest

from ihms.errors import ConfigError
from ihms.system import parse_system

BASE = """
ihms_system: 1
name: Test county
counties:
  - {id: c1, name: County one, city: City}
grids:
  - {id: g-north, name: North, county: c1, population: {2016: 100}}
institutions:
  - {id: CH, name: County hospital, tier: secondary, affiliation: county, county: c1}
  - {id: UNIV, name: University hospital, tier: tertiary, affiliation: university, county: c1}
  - {id: THC1, name: Centre 1, tier: primary_centre, affiliation: county, county: c1}
  - {id: THC2, name: Centre 2, tier: primary_centre, affiliation: county, county: c1}
consortia:
  - {id: cmc, name: Community, type: county_medical_community, integration: tight,
     lead: CH, members: [CH, THC1, THC2], grids: [g-north], refers_up_to: [UNIV]}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_system(text)
    return [line.strip() for line in str(err.value).splitlines()[1:]]


def test_a_full_name_for_an_abbreviated_id_is_pointed_at_it():
    found = problems(BASE.replace("refers_up_to: [UNIV]", "refers_up_to: [UNIVERSITY]"))
    assert found == [
        "- <string> line 15, consortium 'cmc': refers_up_to 'UNIVERSITY' does not exist "
        "— did you mean 'UNIV'?"
    ]


def test_equally_near_ids_are_all_named_and_a_far_one_gets_none():
    found = problems(
        BASE.replace("members: [CH, THC1, THC2]", "members: [CH, THC1, THC2, THC9, XX]")
    )
    assert found == [
        "- <string> line 15, consortium 'cmc': member 'THC9' does not exist "
        "— the nearest listed: 'THC1' or 'THC2'",
        "- <string> line 15, consortium 'cmc': member 'XX' does not exist",
    ]


def test_an_unknown_grid_of_a_consortium_names_the_nearest_grid():
    found = problems(BASE.replace("grids: [g-north]", "grids: [g-nort]"))
    assert found == [
        "- <string> line 15, consortium 'cmc': grid 'g-nort' does not exist — did you mean 'g-north'?"
    ]
