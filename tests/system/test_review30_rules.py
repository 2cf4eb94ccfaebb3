"""Rules and notes from the review of the delivery system (session 30): a group's counts
against the period (#4), explicit referral targets (#7), notes without a period (#8)."""

from __future__ import annotations

import pytest

from ihms.errors import ConfigError
from ihms.system import parse_system, system_notes

BASE = """\
ihms_system: 1
name: Test county
period: {start: 2020-01-01, end: 2021-12-31}
counties:
  - {id: c1, name: County one, city: X, kind: county}
  - {id: cap, name: Capital, city: Y, kind: district}
grids:
  - {id: G1, name: g1, county: c1, population: {2020: 1000, 2021: 1100}}
  - {id: G2, name: g2, county: c1, population: {2020: 500, 2021: 600}}
institutions:
  - {id: CH, name: County hospital, tier: secondary, affiliation: county, county: c1, grid: G1}
  - {id: THC1, name: THC one, tier: primary_centre, affiliation: county, county: c1, grid: G1}
  - {id: THC2, name: THC two, tier: primary_centre, affiliation: county, county: c1, grid: G2}
  - {id: T3, name: Tertiary, tier: tertiary, affiliation: municipal, county: cap}
institution_groups:
  - {id_prefix: VC-, name: Clinic, tier: village_clinic, affiliation: county, county: c1,
     grid: G1, parent: THC1, count_by_year: COUNTS}
consortia:
  - {id: cmc, name: CMC, type: county_medical_community, integration: full, lead: CH,
     members: [CH, THC1, THC2], grids: [G1, G2], start_year: 2021, refers_up_to: [T3]}
"""


def problems(text: str) -> str:
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="t.yaml")
    return str(err.value)


@pytest.mark.parametrize(
    ("counts", "missing"), [("{2018: 2, 2019: 3}", "2020, 2021"), ("{2021: 3}", "2020")]
)
def test_a_group_needs_a_count_for_every_year_of_the_period(counts, missing):
    # finding 4: counts for 2018-2019 in a 2020-2021 file gave 3 clinics in 2020 and
    # 2021, and counts for 2021 alone clinics operating (without resources) in 2020
    said = problems(BASE.replace("COUNTS", counts))
    assert (
        "t.yaml line 16, institution_groups[0] (id_prefix 'VC-'): no count_by_year for "
        f"{missing}; the period runs 2020–2021 and every year of it needs the group's count"
    ) in said


def test_a_group_counting_none_in_a_year_opens_later():
    system = parse_system(BASE.replace("COUNTS", "{2020: 0, 2021: 2}"))
    clinics = [i for i in system.institutions if i.id.startswith("VC-")]
    assert [(i.id, i.active_in(2020), i.active_in(2021)) for i in clinics] == [
        ("VC-001", False, True),
        ("VC-002", False, True),
    ]


def _with_targets(**targets: str) -> str:
    text = BASE.replace("COUNTS", "{2020: 1, 2021: 1}")
    for inst, extra in targets.items():
        old = f"{{id: {inst}, "
        line = next(x for x in text.splitlines() if old in x)
        text = text.replace(line, line[:-1] + f", {extra}}}")
    return text


def test_explicit_referral_targets_must_lead_up_or_down_and_not_to_itself():
    # finding 7: "THC1 up THC1", "CH up THC2 (primary_centre)" and THC2 up and down to
    # CH were accepted, and replaced the derived targets (CH -> T3 then off the pathway)
    said = problems(
        _with_targets(
            CH="refers_up: [THC2]",
            THC1="refers_up: [THC1]",
            THC2="refers_up: [CH], refers_down: [CH]",
        )
    )
    assert "t.yaml: 3 problem(s)" in said
    assert (
        "t.yaml line 11, institution 'CH': refers_up target 'THC2' (primary_centre) does "
        "not stand above 'CH' (secondary)"
    ) in said
    assert "t.yaml line 12, institution 'THC1': refers_up names the institution itself" in said
    assert (
        "t.yaml line 13, institution 'THC2': refers_down target 'CH' (secondary) does not "
        "stand below 'THC2' (primary_centre)"
    ) in said
    # a target of the right tier stays accepted
    fine = parse_system(_with_targets(THC1="refers_up: [T3]", CH="refers_down: [THC2]"))
    assert fine.institution("THC1").refers_up == ("T3",)


def test_the_shared_grid_note_without_a_period():
    # finding 8: without `period` the note on a grid served by two consortia was dropped
    # (the years were the period's, none); the grids' population years stand in for it
    two = BASE.replace("COUNTS", "{2020: 1, 2021: 1}") + (
        "  - {id: cmc2, name: CMC2, type: county_medical_community, integration: half,"
        " lead: THC2, members: [THC2], grids: [G2], start_year: 2021}\n"
    )
    no_period = two.replace("period: {start: 2020-01-01, end: 2021-12-31}\n", "")
    for text in (two, no_period):
        notes = system_notes(parse_system(text))
        assert any(n.startswith("grid 'G2' is served by 2 consortia in 2021") for n in notes)


def _consortium(type_: str, integration: str) -> str:
    text = BASE.replace("COUNTS", "{2020: 1, 2021: 1}")
    old = "type: county_medical_community, integration: full"
    assert old in text
    return text.replace(old, f"type: {type_}, integration: {integration}")


@pytest.mark.parametrize(
    ("type_", "integration", "degree"),
    [("紧密型医共体", "flexible", "full"), ("松散型县域医共体", "紧密型", "flexible")],
)
def test_a_degree_in_the_type_must_agree_with_integration(type_, integration, degree):
    # finding 5: the type's degree was dropped without a word, so a "tight" county
    # medical community counted as not fully integrated, and a "loose" one as full
    said = problems(_consortium(type_, integration))
    assert (
        f"t.yaml line 19, consortia[0] (id 'cmc').type: type '{type_}' says {degree} "
        f"integration, but integration is '{integration}'"
    ) in said
    agreeing = parse_system(_consortium(type_, degree))  # the same degree twice: fine
    assert agreeing.consortium("cmc").integration.value == degree


def test_the_official_chinese_names_are_read():
    # finding 15: the NHC's 县域医疗卫生共同体 and the graded tiers 三级甲等医院 / 三甲 / 二甲
    # were refused
    text = _consortium("紧密型县域医疗卫生共同体", "full")
    text = text.replace("tier: tertiary", "tier: 三级甲等医院").replace(
        "tier: secondary", "tier: 二甲"
    )
    system = parse_system(text)
    assert system.consortium("cmc").type.value == "county_medical_community"
    assert system.institution("T3").tier.value == "tertiary"
    assert system.institution("CH").tier.value == "secondary"


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "period: {start: 2020-01-01, end: 2021-12-31}",
            "period: {start: 2020, end: 2021-12-31}",
            "t.yaml line 3, period.start: expected a date such as 2016-01-01, got 2020",
        ),
        (
            "population: {2020: 1000, 2021: 1100}",
            "population: [1000, 1100]",
            "t.yaml line 8, grids[0] (id 'G1').population: expected a mapping year: value such "
            "as {2020: 1000, 2021: 1100}, got [1000, 1100]",
        ),
    ],
)
def test_pydantic_wording_is_put_in_the_formats_words(old, new, said):
    # finding 10: "Datetimes provided to dates should have zero time - e.g. be exact
    # dates (got 2020)" and "Input should be a valid dictionary (got [1000, 1100])"
    text = BASE.replace("COUNTS", "{2020: 1, 2021: 1}")
    assert old in text
    assert said in problems(text.replace(old, new))


def test_notes_name_what_never_operates_in_the_period_and_centres_with_no_way_up():
    # finding 13: a consortium of 1900-1901 (or an institution from 2050) in a 2020-2021
    # file vanished without a word; finding 6: a centre with nothing to refer up to
    text = BASE.replace("COUNTS", "{2020: 1, 2021: 1}").replace(
        "start_year: 2021", "start_year: 1900, end_year: 1901"
    )
    text = text.replace("county: c1, grid: G2}", "county: c1, grid: G2, active_from: 2050}")
    notes = system_notes(parse_system(text))
    assert "consortium 'cmc' never operates within the period 2020–2021 — check its years" in notes
    assert (
        "institution 'THC2' never operates within the period 2020–2021 — check its years" in notes
    )
    alone = "\n".join(
        x
        for x in BASE.replace("COUNTS", "{2020: 1, 2021: 1}").splitlines()
        if not x.startswith(
            ("  - {id: CH,", "  - {id: T3,", "consortia:", "  - {id: cmc", "     members")
        )
    )
    notes = system_notes(parse_system(alone))
    assert any(n.startswith("2 primary centres have no way up in 2021 (THC1, THC2)") for n in notes)
