"""A system file that does not describe the data (session 20 review A, M4): another
county's is refused, naming how many of the data's ids it holds; one lacking a few of
them is used, with a note naming those. The tiny county of conftest.py: institutions
CH, THC1, THC2, VC1, PH and grids g1, g2."""

from __future__ import annotations

from pathlib import Path

import pytest

from ihms.errors import InputError
from ihms.indicators import compute
from ihms.indicators.results import empty_period_notes
from ihms.system import load_system, parse_system

from .conftest import TINY_YAML

YOUXI = Path(__file__).parents[2] / "examples" / "youxi.yaml"


def test_another_countys_file_is_refused_naming_the_matches(tiny_dataset):
    system = load_system(YOUXI)
    with pytest.raises(InputError) as err:
        compute(tiny_dataset, indicators=["referrals_up"], system=system)
    text = str(err.value)
    assert "youxi.yaml" in text
    assert "0 of the data's 5 institutions" in text and "0 of its 2 grids" in text


def test_a_file_lacking_an_institution_is_used_and_named(tiny_dataset):
    # VC1 is called VC9 in this file: 4 of 5 institutions match. VC1's 2017 referral
    # x2 VC1 -> THC1 has no declared target, so it counts as off the pathway.
    yaml = TINY_YAML.replace("id: VC1,", "id: VC9,").replace("THC2, VC1]", "THC2, VC9]")
    system = parse_system(yaml, source="tiny.yaml")
    r = compute(tiny_dataset, indicators=["off_pathway_referrals"], system=system)
    (note,) = [n for n in empty_period_notes(r) if "VC1" in n]
    assert "tiny.yaml" in note and "1 of the data's 5 institutions" in note
    assert "off the pathway" in note


def test_a_file_matching_the_data_adds_no_note(tiny_dataset):
    system = parse_system(TINY_YAML, source="tiny.yaml")
    r = compute(tiny_dataset, indicators=["off_pathway_referrals"], system=system)
    assert not [n for n in empty_period_notes(r) if "not in the system file" in n]
