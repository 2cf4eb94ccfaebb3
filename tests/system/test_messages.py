"""What an analyst reads when a system file is wrong: every problem at once, each with
the file, the line, the entry, the key, what was expected and what the file says."""

from __future__ import annotations

import pytest
from tests.system.test_load import BASE

from ihms.errors import ConfigError
from ihms.system import load_system, parse_system

# BASE, line by line: 2 ihms_system, 5 county c1, 7 grid g1, 9-14 institution CH
# (11 tier, 12 affiliation), 15 THC, 17-18 consortium cmc (lead on 18).


def problems_of(text: str, source: str = "county.yaml") -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_system(text, source=source)
    head, *lines = str(err.value).splitlines()
    assert head == f"{source}: {len(lines)} problem(s):"
    return [line.removeprefix("  - ") for line in lines]


def test_format_errors_and_rule_violations_come_in_one_report():
    # A typo'd affiliation (CH, line 12), a negative population (g1, line 7) and a lead
    # that is not a member (line 18): before, the rule violation only showed once the
    # two format errors were fixed.
    text = (
        BASE.replace("affiliation: county\n", "affiliation: countee\n", 1)
        .replace("population: {2016: 100}", "population: {2016: -100}")
        .replace("lead: CH, members: [CH, THC]", "lead: CH, members: [THC]")
    )
    assert problems_of(text) == [
        "county.yaml line 7, grids[0] (id 'g1').population[2016]: expected a number ≥ 0, got -100",
        "county.yaml line 12, institutions[0] (id 'CH').affiliation: expected one of "
        "'national', 'university', 'provincial', 'municipal', 'county', 'private' (or a "
        "Chinese name such as '国家卫生健康委'), got 'countee'; did you mean 'county'?",
        "county.yaml line 18, consortium 'cmc': lead 'CH' is not one of its members",
    ]


def test_a_refused_entry_is_not_reported_again_as_missing():
    # THC's tier is wrong, so THC is left out; the consortium naming THC as a member
    # must not add "member 'THC' does not exist" to the report.
    text = BASE.replace("tier: primary_centre", "tier: clinic")
    found = problems_of(text)
    assert len(found) == 1
    assert found[0].startswith("county.yaml line 15, institutions[1] (id 'THC').tier: expected one")


def test_grid_county_and_duplicate_problems_carry_their_line():
    # Before: "grid 'g2': county 'c9' does not exist" and "grid id 'g1' is used more
    # than once", with no file or line.
    text = BASE.replace(
        "grids:\n",
        "grids:\n  - {id: g1, name: Again, county: c1}\n  - {id: g2, name: G, county: c9}\n",
    )
    assert problems_of(text) == [  # in the file's order
        "county.yaml line 8, grid 'g2': county 'c9' does not exist — did you mean 'c1'?",
        "county.yaml line 9, grid 'g1': the id is used more than once (first at line 7)",
    ]


def test_a_two_full_consortia_grid_is_reported_at_the_second_consortium():
    text = BASE + (
        "  - {id: cmc2, name: Second, type: county_medical_community, integration: full,\n"
        "     lead: THC, members: [THC], grids: [g1]}\n"
    )
    found = problems_of(text)
    assert found[0] == (
        "county.yaml line 20, consortium 'cmc2': grid 'g1' is served by two fully integrated "
        "consortia, 'cmc' and 'cmc2', in overlapping years; one grid may have only one "
        "(Gao et al. 2022, section 2.4)"
    )


def test_a_group_problem_is_reported_once_at_the_group():
    # Three clinics made by one group with a misspelt parent: one line, not three
    # unlocated ones.
    text = BASE + (
        "institution_groups:\n"
        "  - {id_prefix: VC-, name: Clinic, tier: village_clinic, affiliation: county,\n"
        "     county: c1, grid: g1, parent: THX, count_by_year: {2016: 3}}\n"
    )
    assert problems_of(text) == [
        "county.yaml line 21, institution_groups[0] (id_prefix 'VC-'): parent 'THX' does "
        "not exist — did you mean 'THC'? (3 members, VC-001 to VC-003)"
    ]


def test_a_key_given_twice_is_reported_not_silently_dropped():
    # YAML keeps the last value; before, CH silently became a tertiary hospital.
    text = BASE.replace("    tier: secondary\n", "    tier: secondary\n    tier: tertiary\n")
    assert problems_of(text) == [
        "county.yaml line 12, institutions[0] (id 'CH'): key 'tier' is given twice (first at "
        "line 11); YAML would keep only the last, so merge them"
    ]


def test_empty_file_and_a_list_at_the_top(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^empty\.yaml: the file is empty; a system file starts"):
        load_system(empty)
    with pytest.raises(
        ConfigError, match=r"expected a mapping of sections at the top .*got a list"
    ):
        parse_system("- a\n- b\n", source="list.yaml")


def test_a_tab_gets_a_hint():
    with pytest.raises(ConfigError, match="YAML indents with spaces, not tabs"):
        parse_system("name: x\ncounties:\n\t- {id: c1}\n", source="tab.yaml")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_bom_gbk_and_utf16_files_read_like_utf8(tmp_path, encoding):
    text = BASE.replace("name: Test county", "name: Test county\nname_zh: 测试县")
    path = tmp_path / "county.yaml"
    path.write_bytes(text.encode(encoding))
    assert load_system(path).consortium("cmc").lead == "CH"


def test_a_population_year_missing_from_the_period_is_a_problem():
    # Before: coverage counted the grid's residents as 0 in 2017 without a word.
    text = BASE.replace(
        "name: Test county", "name: Test county\nperiod: {start: 2016-01-01, end: 2017-12-31}"
    )
    assert problems_of(text) == [
        "county.yaml line 8, grid 'g1': no population for 2017; the period runs 2016–2017 "
        "and every year of it needs the grid's year-end population"
    ]


def test_an_institution_in_a_grid_of_another_county():
    text = BASE.replace(
        "counties:\n", "counties:\n  - {id: c2, name: County two, city: City}\n"
    ).replace(
        "{id: THC, name: Centre, tier: primary_centre, affiliation: county, county: c1",
        "{id: THC, name: Centre, tier: primary_centre, affiliation: county, county: c2",
    )
    assert problems_of(text) == [
        "county.yaml line 16, institution 'THC': grid 'g1' lies in county 'c1', not in 'c2'"
    ]


def test_resources_in_a_year_the_institution_does_not_operate():
    text = BASE.replace(
        "    grid: g1\n  - {id: THC",
        "    grid: g1\n    active_from: 2017\n    resources:\n      2016: {beds: 10}\n  - {id: THC",
    )
    assert problems_of(text) == [
        "county.yaml line 16, institution 'CH': resources given for 2016, a year it does not "
        "operate (active 2017–…)"
    ]


def test_problems_come_in_the_order_of_the_file():
    # A key given twice in the consortium (line 17) and a misspelt affiliation above it
    # (line 12): the report listed 17 before 12, as the checks ran, not as the file reads.
    text = BASE.replace("integration: tight,", "integration: tight, integration: full,").replace(
        "affiliation: county\n", "affiliation: countee\n", 1
    )
    found = problems_of(text)
    lines = [int(p.split(" line ")[1].split(",")[0]) for p in found]
    assert len(found) == 2 and lines == [12, 17]


def test_a_type_starting_with_a_vowel_takes_an():
    text = BASE.replace("type: county_medical_community", "type: urban_medical_group").replace(
        ", grids: [g1]}", "}"
    )
    assert problems_of(text) == [
        "county.yaml line 17, consortium 'cmc': an urban medical group serves a grid; give "
        "its grids"
    ]


def test_a_missing_key_points_at_its_entry_not_at_the_section():
    # Before: "county.yaml line 8, institutions[1] (id 'THC'): missing required key
    # 'tier'" — line 8 is 'institutions:', the section. CH, a block entry, starts on
    # line 9 with its id; without CH's county line, THC is on line 14.
    text = BASE.replace("tier: primary_centre, ", "").replace("    county: c1\n", "", 1)
    found = problems_of(text)
    assert "county.yaml line 9, institutions[0] (id 'CH'): missing required key 'county'" in found
    assert "county.yaml line 14, institutions[1] (id 'THC'): missing required key 'tier'" in found


def test_full_width_digits_read_as_data_import_reads_them():
    # user review 20, finding 9: population {2016: "１００"} was "expected a whole number,
    # got '１００'", though `data import` reads full-width digits (ihms._width.fold_width)
    text = BASE.replace("population: {2016: 100}", 'population: {2016: "１００"}')
    assert parse_system(text).grid("g1").population == {2016: 100}
    # what does not read as a whole number once folded is named as the file wrote it
    text = BASE.replace("population: {2016: 100}", 'population: {2016: "１，０００人"}')
    assert problems_of(text) == [
        "county.yaml line 7, grids[0] (id 'g1').population[2016]: expected a whole number, "
        "got '１，０００人'"
    ]


GROUP = """
ihms_system: 1
name: Test county
counties:
  - {id: c1, name: County one, city: City}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2016: 100}}
institutions:
  - {id: THC, name: Centre, tier: primary_centre, affiliation: county, county: c1, grid: g1}
institution_groups:
  - id_prefix: VC-
    name: Clinic
    tier: village_clinic
    affiliation: county
    county: c1
    parent: THC
    count_by_year: {2016: 2}
"""


def test_a_group_given_resources_by_year_is_told_resources_each_is_one_set():
    # session 22 review D, LOW 5: written by year like an institution's 'resources',
    # resources_each got pydantic's "Keys should be strings (got 2016)", once per key
    by_year = GROUP + "    resources_each:\n      2016: {beds: 0, gps: 1}\n"
    assert problems_of(by_year) == [
        "county.yaml line 18, institution_groups[0] (id_prefix 'VC-').resources_each: "
        "resources_each is one set of figures (beds, gps, ...) that every member has in "
        "every year it operates, not a mapping by year; write them once, such as "
        "resources_each: {beds: 0, gps: 1}"
    ]
    # 'resources' is named with what a group takes instead
    assert problems_of(GROUP + "    resources: {2016: {beds: 0}}\n") == [
        "county.yaml line 18, institution_groups[0] (id_prefix 'VC-'): unknown key "
        "'resources'; did you mean 'resources_each'? (one set of figures that every "
        "member has in every year it operates)"
    ]
    assert parse_system(GROUP + "    resources_each: {beds: 0, gps: 1}\n").institution("VC-001")
