from __future__ import annotations

from pathlib import Path

import pytest

from ihms.errors import ConfigError
from ihms.system import (
    Integration,
    SectionError,
    load_system,
    parse_system,
    register_section,
)
from ihms.system import load as load_module

BASE = """
ihms_system: 1
name: Test county
counties:
  - {id: c1, name: County one, city: City}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2016: 100}}
institutions:
  - id: CH
    name: County hospital
    tier: secondary
    affiliation: county
    county: c1
    grid: g1
  - {id: THC, name: Centre, tier: primary_centre, affiliation: county, county: c1, grid: g1}
consortia:
  - {id: cmc, name: Community, type: county_medical_community, integration: tight,
     lead: CH, members: [CH, THC], grids: [g1]}
"""


def test_base_parses_and_tight_means_full():
    system = parse_system(BASE)
    assert system.consortium("cmc").integration is Integration.FULL
    assert system.study_counties == ("c1",)


def test_misspelt_key_names_file_line_and_nearest_key():
    text = BASE.replace("    tier: secondary", "    tierr: secondary")
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    # one typo, one problem: the required key it stands for is not also "missing"
    # (walkthroughs 17; as pydantic-based tools with good messages report it)
    assert (
        "county.yaml line 11, institutions[0] (id 'CH'): unknown key 'tierr'; "
        "did you mean 'tier'? (required)" in msg
    )
    assert "missing required key 'tier'" not in msg
    assert "1 problem(s)" in msg


def test_misspelt_affiliation_is_one_problem_at_its_line():
    text = BASE.replace("    affiliation: county", "    afiliation: county")
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    line = text.splitlines().index("    afiliation: county") + 1
    assert (
        f"county.yaml line {line}, institutions[0] (id 'CH'): unknown key 'afiliation'; "
        "did you mean 'affiliation'? (required)" in msg
    )
    assert "missing required key" not in msg


def test_a_missing_key_without_a_near_miss_stays_missing():
    # 'colour' is nothing like 'tier': two problems, each as it is
    text = BASE.replace("    tier: secondary", "    colour: red")
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    assert "county.yaml line 9, institutions[0] (id 'CH'): missing required key 'tier'" in msg
    assert "unknown key 'colour'" in msg and "(required)" not in msg


def test_a_refused_lead_is_not_also_reported_as_no_member():
    """A typo in the lead's own entry is one problem, not also 'lead ... is not one of
    its members' of the consortium it heads (walk16, with `members: ["YX-CH*", ...]`
    in examples/youxi.yaml and `tier: secundary` for YX-CH01)."""
    for members in ("[CH, THC]", '["C*", "T*"]'):
        text = BASE.replace("    tier: secondary", "    tier: secundary").replace(
            "members: [CH, THC]", f"members: {members}"
        )
        with pytest.raises(ConfigError) as err:
            parse_system(text, source="county.yaml")
        msg = str(err.value)
        assert "1 problem(s)" in msg and "did you mean 'secondary'?" in msg


def test_misspelt_section_and_enum_value():
    text = BASE.replace("consortia:", "consortium:").replace(
        "tier: primary_centre", "tier: primery_centre"
    )
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    assert "unknown section 'consortium'; did you mean 'consortia'?" in msg
    assert "did you mean 'primary_centre'?" in msg


def test_registered_sections_are_parsed_and_kept(monkeypatch):
    monkeypatch.setattr(load_module, "_REGISTERED", {})
    register_section("simulation", lambda raw: {"seed": int(raw["seed"])})
    system = parse_system(BASE + "simulation: {seed: 42}\n")
    assert system.extensions["simulation"] == {"seed": 42}
    # a typo in the registered section's name is caught like any other
    with pytest.raises(ConfigError, match="unknown section 'simulaton'; did you mean 'simulation'"):
        parse_system(BASE + "simulaton: {seed: 42}\n")
    with pytest.raises(ValueError, match="core format"):
        register_section("grids", dict)


def test_a_section_parser_with_a_locator_names_each_keys_line(monkeypatch):
    def parser(raw, locator):
        problems = [f"{locator.at(('a', key))}: key 'extra.a.{key}' is odd" for key in raw["a"]]
        raise SectionError("extra: some odd keys", problems)

    monkeypatch.setattr(load_module, "_REGISTERED", {})
    register_section("extra", parser)
    register_section("plain", dict)  # a parser of the value alone is called as before
    text = BASE + "plain: {x: 1}\nextra:\n  a:\n    b: 1\n    c: 2\n"
    lines = text.splitlines()
    section, b, c = (lines.index(s) + 1 for s in ("extra:", "    b: 1", "    c: 2"))
    assert (section, b, c) == (len(BASE.splitlines()) + 2, section + 2, section + 3)
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    assert str(err.value) == (
        "county.yaml: 2 problem(s):\n"
        f"  - county.yaml line {b}: key 'extra.a.b' is odd\n"
        f"  - county.yaml line {c}: key 'extra.a.c' is odd"
    )

    # another ConfigError is reported at the section's line, as before
    def refuses(raw, locator):
        raise ConfigError("no")

    register_section("extra", refuses, replace=True)
    with pytest.raises(ConfigError, match=f"county.yaml line {section}, extra: no"):
        parse_system(text, source="county.yaml")


def test_two_fully_integrated_consortia_on_one_grid_are_rejected():
    text = (
        BASE
        + """  - {id: cmc2, name: Second, type: county_medical_community, integration: full,
     lead: THC, members: [THC], grids: [g1]}
"""
    )
    with pytest.raises(
        ConfigError, match="grid 'g1' is served by two fully integrated consortia, 'cmc' and 'cmc2'"
    ):
        parse_system(text)


def test_consortia_in_different_years_may_share_a_grid():
    text = (
        BASE.replace("grids: [g1]}", "grids: [g1], end_year: 2016}")
        + """  - {id: cmc2, name: Second, type: county_medical_community, integration: full,
     lead: THC, members: [THC], grids: [g1], start_year: 2017}
"""
    )
    assert len(parse_system(text).consortia) == 2


def test_provincial_hospital_inside_a_full_consortium_is_rejected():
    text = BASE.replace(
        "  - {id: THC,",
        "  - {id: PH, name: Provincial, tier: tertiary, affiliation: provincial, county: c1}\n  - {id: THC,",
    ).replace("members: [CH, THC]", "members: [CH, THC, PH]")
    with pytest.raises(ConfigError, match="member 'PH' is affiliated with the provincial level"):
        parse_system(text)


def test_lead_must_be_a_member_and_members_must_exist():
    text = BASE.replace("members: [CH, THC]", "members: [THC, XX]")
    with pytest.raises(ConfigError) as err:
        parse_system(text)
    # the line of the key each problem is about (both on the consortium's second line, 18)
    assert "line 18, consortium 'cmc': lead 'CH' is not one of its members" in str(err.value)
    assert "line 18, consortium 'cmc': member 'XX' does not exist" in str(err.value)
    block = BASE.replace(
        "  - {id: cmc, name: Community, type: county_medical_community, integration: tight,\n"
        "     lead: CH, members: [CH, THC], grids: [g1]}",
        "  - id: cmc\n    name: Community\n    type: county_medical_community\n"
        "    integration: tight\n    lead: XX\n    members: [CH, THC]\n    grids: [g1]",
    )
    with pytest.raises(ConfigError, match=r"line 21, consortium 'cmc': lead 'XX'"):
        parse_system(block)


def test_group_expansion_and_member_patterns():
    text = (
        BASE.replace("members: [CH, THC]", "members: [CH, THC, 'VC-*']")
        + """institution_groups:
  - {id_prefix: VC-, name: Clinic, tier: village_clinic, affiliation: county, county: c1, grid: g1,
     parent: THC, count_by_year: {2016: 2, 2017: 3, 2018: 1}}
"""
    )
    system = parse_system(text)
    ids = [i.id for i in system.institutions if i.id.startswith("VC-")]
    assert ids == ["VC-001", "VC-002", "VC-003"]
    assert (system.institution("VC-001").active_from, system.institution("VC-001").active_to) == (
        None,
        None,
    )
    assert (system.institution("VC-002").active_from, system.institution("VC-002").active_to) == (
        None,
        2017,
    )
    assert (system.institution("VC-003").active_from, system.institution("VC-003").active_to) == (
        2017,
        2017,
    )
    assert set(system.consortium("cmc").members) == {"CH", "THC", "VC-001", "VC-002", "VC-003"}


def test_group_counts_that_fall_and_rise_are_refused():
    text = (
        BASE
        + """institution_groups:
  - {id_prefix: VC-, name: Clinic, tier: village_clinic, affiliation: county, county: c1,
     count_by_year: {2016: 2, 2017: 1, 2018: 2}}
"""
    )
    with pytest.raises(ConfigError, match="member 2 would operate in \\[2016, 2018\\]"):
        parse_system(text)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_system(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    # the line and column of the problem and of the bracket left open, naming the file
    # (PyYAML itself says '<unicode string>')
    with pytest.raises(ConfigError) as err:
        load_system(bad)
    assert str(err.value) == (
        "bad.yaml line 2, column 1: not valid YAML: expected ',' or ']', but got "
        "'<stream end>' (while parsing a flow sequence that starts at line 1)"
    )


def test_a_member_of_two_fully_integrated_consortia_at_once_is_rejected():
    # THC is in cmc (full, g1, all years) and in cmc2 (full, g2, from 2017): the years
    # overlap from 2017, so THC would share assets with two consortia at once.
    text = BASE.replace(
        "grids:\n  - {id: g1,", "grids:\n  - {id: g2, name: Grid two, county: c1}\n  - {id: g1,"
    ) + (
        "  - {id: cmc2, name: Second, type: county_medical_community, integration: full,\n"
        "     lead: THC, members: [THC], grids: [g2], start_year: 2017}\n"
    )
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    assert (
        "consortium 'cmc2': member 'THC' is already a member of the fully integrated "
        "consortium 'cmc' in overlapping years" in str(err.value)
    )
    # a flexible alliance alongside is fine, and so are consecutive full ones
    flexible = text.replace(
        "integration: full,\n     lead: THC", "integration: flexible,\n     lead: THC"
    )
    flexible = flexible.replace("members: [THC], grids: [g2]", "members: [THC]")
    flexible = flexible.replace(
        "type: county_medical_community, integration: flexible",
        "type: specialist_alliance, integration: flexible",
    )
    assert len(parse_system(flexible).consortia) == 2
    consecutive = text.replace("grids: [g1]}", "grids: [g1], end_year: 2016}")
    assert len(parse_system(consecutive).consortia) == 2


def test_a_county_file_with_a_simulation_section_loads_where_ihms_sim_is_not_imported(
    tmp_path,
):
    # `ihms system check county.yaml` never imports ihms.sim, so the section's parser must
    # come from the entry point in pyproject.toml; without it: "unknown section
    # 'simulation'". A fresh interpreter, as the test session has imported ihms.sim.
    import subprocess
    import sys

    import yaml

    sim = yaml.safe_load(Path("examples/youxi_sim.yaml").read_text(encoding="utf-8"))
    del sim["simulation"]["county"]
    county = tmp_path / "county.yaml"
    county.write_text(
        Path("examples/youxi.yaml").read_text(encoding="utf-8") + "\n" + yaml.safe_dump(sim),
        encoding="utf-8",
    )
    code = (
        "import sys; from ihms.system import load_system; "
        "s = load_system(sys.argv[1]); "
        "print(type(s.extensions['simulation']).__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(county)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "SimulationConfig"


def test_an_aged_60_plus_count_missing_for_a_year_of_the_period_is_refused():
    """The README asks for ``aged_60_plus`` by year, every year of the period, and the
    county simulator and the synthetic data read it by year (the data generator took a
    missing year as nobody aged 60+); ``system check`` said "no problems found" for a
    grid giving it for 2016 but not 2017. Leaving it out altogether stays allowed."""
    text = BASE.replace(
        "population: {2016: 100}}", "population: {2016: 100, 2017: 110}, aged_60_plus: {2016: 20}}"
    ).replace(
        "name: Test county", "name: Test county\nperiod: {start: 2016-01-01, end: 2017-12-31}"
    )
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    assert (
        "grid 'g1': no aged_60_plus for 2017; the period runs 2016–2017 and a grid that "
        "gives aged_60_plus gives it for every year"
    ) in str(err.value)
    without = text.replace(", aged_60_plus: {2016: 20}", "")
    assert parse_system(without).grid("g1").aged_60_plus == {}


def test_a_name_in_other_words_is_read_with_a_note_saying_how():
    """``integration: 紧密型医联体`` was refused while ``紧密`` passed in silence; both
    are read now, and ``system check`` notes what each was read as, and where."""
    from ihms.system import system_notes

    text = BASE.replace("integration: tight", "integration: 紧密型医联体").replace(
        "type: county_medical_community", "type: 县域医共体"
    )
    system = parse_system(text, source="county.yaml")
    assert system.consortium("cmc").integration is Integration.FULL
    assert system_notes(system) == [
        "county.yaml line 17: type '县域医共体' read as 'county_medical_community'",
        "county.yaml line 17: integration '紧密型医联体' read as 'full'",
    ]
    plain = BASE.replace("integration: tight", "integration: full")
    assert system_notes(parse_system(plain)) == []  # the format's own names: nothing to say


@pytest.mark.parametrize(("typo", "key"), [("countis", "counties"), ("nmae", "name")])
def test_a_misspelt_required_section_is_one_problem(typo, key):
    # the top level too: not also "missing required key" with no line (walkthroughs 17)
    text = BASE.replace(f"\n{key}:", f"\n{typo}:", 1)
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    line = text.splitlines().index(next(s for s in text.splitlines() if s.startswith(typo))) + 1
    assert (
        f"county.yaml line {line}, {typo}: unknown section '{typo}'; "
        f"did you mean '{key}'? (required)" in msg
    )
    assert "missing required key" not in msg
