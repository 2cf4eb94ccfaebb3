from __future__ import annotations

from pathlib import Path

from ihms.system import load_system, referral_pathway


def test_youxi_dualistic_pathway():
    # seed 001, section 3: primary care -> the consortium's lead hospital -> a top
    # tertiary hospital outside the consortium; the way back down is ihms's assumption.
    youxi = load_system("examples/youxi.yaml")
    path = referral_pathway(youxi)
    assert path.up("YX-VC-G02-001") == ("YX-THC02",)  # its parent centre
    assert path.up("YX-THC02") == ("YX-CH01",)  # the ICHC's lead
    assert path.up("YX-CH01") == ("FJ-PH", "SM-FH")  # refers_up_to of the ICHC
    assert path.up("FJ-PH") == ()
    assert "YX-CH01" in path.down("FJ-PH")
    assert "YX-THC23" in path.down("YX-CH01")
    assert "YX-VC-G02-001" in path.down("YX-THC02")
    frame = path.to_frame()
    assert set(frame.columns) == {"institution_id", "direction", "target_id"}
    assert ((frame.institution_id == "YX-THC02") & (frame.direction == "up")).sum() == 1


def test_explicit_targets_override_the_derived_ones():
    from ihms.system import parse_system

    text = Path("examples/youxi.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    name: Township health centre 05\n",
        "    name: Township health centre 05\n    refers_up: [YX-CH02]\n",
    )
    path = referral_pathway(parse_system(text))
    assert path.up("YX-THC05") == ("YX-CH02",)
    assert path.up("YX-THC04") == ("YX-CH01",)


URBAN = """
ihms_system: 1
name: A city district
counties:
  - {id: d1, name: District one, city: City, kind: district}
  - {id: cap, name: Capital, city: Capital, kind: district}
grids:
  - {id: g1, name: Grid one, county: d1, population: {2020: 500000}}
institutions:
  - {id: M, name: Municipal hospital, tier: tertiary, affiliation: municipal, county: d1, grid: g1}
  - {id: D, name: District hospital, tier: secondary, affiliation: county, county: d1, grid: g1}
  - {id: CHC, name: Community centre, tier: primary_centre, affiliation: county, county: d1, grid: g1}
  - {id: PH, name: Provincial hospital, tier: tertiary, affiliation: provincial, county: cap}
consortia:
  - {id: umg, name: Urban group, type: urban_medical_group, integration: full, lead: M,
     members: [M, D, CHC], grids: [g1], refers_up_to: [PH]}
"""


def test_an_urban_group_led_by_a_tertiary_hospital():
    # seed 001 section 3 in a city: the group's members refer to its lead, a municipal
    # tertiary hospital, which refers on to the top tertiary hospital outside. Before,
    # the tertiary lead referred nowhere and the district hospital skipped it for PH.
    from ihms.system import parse_system

    path = referral_pathway(parse_system(URBAN))
    assert path.up("CHC") == ("M",)
    assert path.up("D") == ("M",)
    assert path.up("M") == ("PH",)
    assert path.down("PH") == ("M",)
    assert path.down("M") == ("D", "CHC")


def test_before_its_consortium_a_county_hospital_refers_along_the_hierarchy():
    # revind review (session 28), finding 2: before 2017 Youxi's county hospitals had no
    # way down and CH02/CH03 none up, so all of 2016's hospital -> centre referrals were
    # "off the pathway" and the series dropped when the consortium started. A hospital
    # of no grid consortium now mirrors a centre's default: down to the centres whose
    # default way up it is (the county's public hospitals), up to the tertiary hospitals
    youxi = load_system("examples/youxi.yaml")
    y2016, y2017 = referral_pathway(youxi, year=2016), referral_pathway(youxi, year=2017)
    thcs = tuple(
        i.id for i in youxi.institutions if i.id.startswith("YX-THC") and i.active_in(2016)
    )
    assert len(thcs) == 18  # THC19-THC23 open later
    for ch in ("YX-CH01", "YX-CH02", "YX-CH03"):
        assert y2016.down(ch) == thcs
        assert y2016.up(ch) == ("FJ-PH", "SM-FH")  # CH01: its alliance's lead first
    assert y2016.up("YX-THC05") == ("YX-CH01", "YX-CH02", "YX-CH03")
    assert y2016.down("SM-FH") == ("YX-CH01", "YX-CH02", "YX-CH03")
    # 2017: the ICHC's lead and its way out; the other hospitals, its members, refer up
    # to where the lead does (same tier) and down to the consortium's centres
    assert y2017.up("YX-THC05") == ("YX-CH01",)
    assert y2017.up("YX-CH02") == ("FJ-PH", "SM-FH")
    assert y2017.down("YX-CH01") == thcs  # the same 18 in 2017
    # a tertiary hospital's way down is the hospitals whose way up is itself (the
    # module docstring): CH02/CH03 refer up to SM-FH in 2017 too, so SM-FH -> CH02
    # stays on the pathway. This line asserted ("YX-CH01",) until session 30 (review
    # of the delivery system, finding 1): the return referral then flipped from on to
    # off the pathway when the ICHC started, a step an ITS would read as its effect.
    assert y2017.down("SM-FH") == ("YX-CH01", "YX-CH02", "YX-CH03")
    for year in (y2016, y2017):  # each way up is the other end's way down
        for ch in ("YX-CH01", "YX-CH02", "YX-CH03"):
            assert all(ch in year.down(t) for t in year.up(ch))
    # a village clinic skipping its centre is off the pathway in both years
    assert "YX-CH01" not in y2016.up("YX-VC-G02-001") + y2017.up("YX-VC-G02-001")


def test_a_public_health_institution_has_no_derived_referral_targets():
    # session 22 review D, LOW 1: a CDC got the county hospitals as "up" targets, so a
    # CDC -> hospital record counted as an upward referral on the pathway. A CDC does
    # not treat and refer patients: no derived targets; its own refers_up still holds.
    from tests.indicators.conftest import TINY_YAML

    from ihms.system import parse_system

    cdc = "  - {id: CDC, name: CDC, tier: public_health, affiliation: county, county: c1}\n"
    text = TINY_YAML.replace("consortia:\n", cdc + "consortia:\n")
    route = referral_pathway(parse_system(text), year=2017).routes["CDC"]
    assert (route.up, route.down) == ((), ())
    own = text.replace("county: c1}\nconsortia", "county: c1, refers_up: [CH]}\nconsortia")
    assert referral_pathway(parse_system(own), year=2017).routes["CDC"].up == ("CH",)


def test_a_network_the_tertiary_leads_sends_down_only_where_its_members_send_up():
    # session 22 review D, LOW 2: a telemedicine network led by a university hospital
    # made UNIV -> THC4 "on the pathway" while THC4 -> UNIV was off it. Seed 001 puts
    # telemedicine networks and specialist alliances in the technical-cooperation
    # chain: through them the tertiary's way down reaches only the members whose way up
    # reaches it (a hospital's green channel), as the pathway derives each way up.
    from ihms.system import parse_system

    text = URBAN.replace(
        "consortia:\n",
        "  - {id: D2, name: Other hospital, tier: secondary, affiliation: county, county: d1}\n"
        "consortia:\n",
    ) + (
        "  - {id: tm, name: Network, type: telemedicine_network, integration: flexible,"
        " lead: PH, members: [PH, D, D2, CHC]}\n"
    )
    path = referral_pathway(parse_system(text))
    assert path.up("CHC") == ("M",) and path.up("D") == ("M",)  # their urban group's lead
    # D2, in no grid consortium: the network's green channel, then the tier above (the
    # tertiary hospitals, as a centre of no consortium goes up to the county's hospitals)
    assert path.up("D2") == ("PH", "M")
    assert path.down("PH") == ("M", "D2")  # the group's lead refers to it; D2 comes up to it
    assert path.down("M") == ("D", "CHC", "D2")  # its group's members; D2 by default


OWN_WAY_UP = """
ihms_system: 1
name: A county whose hospitals and centres name their own ways up
counties:
  - {id: c1, name: County one, city: City, kind: county}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2020: 100000}}
institutions:
  - {id: UH, name: University hospital, tier: tertiary, affiliation: provincial, county: c1}
  - {id: PH, name: Provincial hospital, tier: tertiary, affiliation: provincial, county: c1}
  - {id: S, name: County hospital, tier: secondary, affiliation: county, county: c1,
     grid: g1, refers_up: [UH]}
  - {id: S2, name: Second county hospital, tier: secondary, affiliation: county, county: c1,
     grid: g1}
  - {id: C1, name: Centre one, tier: primary_centre, affiliation: county, county: c1,
     grid: g1, refers_up: [S2]}
  - {id: C2, name: Centre two, tier: primary_centre, affiliation: county, county: c1, grid: g1}
"""


def test_a_way_down_follows_an_institutions_own_refers_up():
    # review of session 28's diff, finding 3: a hospital of no consortium naming one
    # tertiary hospital as its way up (refers_up: [UH]) was still every tertiary
    # hospital's way down, so PH -> S counted as on the pathway; likewise a centre
    # naming one county hospital (C1 -> S2) was the other's (S) way down too
    from ihms.system import parse_system

    path = referral_pathway(parse_system(OWN_WAY_UP))
    assert path.up("S") == ("UH",)
    assert path.down("UH") == ("S", "S2")
    assert path.down("PH") == ("S2",)  # S2 names no way up: both tertiaries are its default
    assert path.up("C1") == ("S2",) and path.up("C2") == ("S", "S2")
    assert path.down("S2") == ("C1", "C2")
    assert path.down("S") == ("C2",)


DISTRICT = """
ihms_system: 1
name: An urban district with no secondary hospital
counties:
  - {id: d1, name: District one, city: X, kind: district}
  - {id: cap, name: Capital, city: X, kind: district}
grids:
  - {id: G1, name: g1, county: d1, population: {2020: 1000}}
institutions:
  - {id: CHC1, name: CHC one, tier: primary_centre, affiliation: county, county: d1, grid: G1}
  - {id: CHS1, name: Station, tier: village_clinic, affiliation: county, county: d1,
     grid: G1, parent: CHC1}
  - {id: M, name: Municipal hospital, tier: tertiary, affiliation: municipal, county: d1}
  - {id: PH, name: Provincial hospital, tier: tertiary, affiliation: provincial, county: cap}
"""


def test_a_centre_of_a_district_with_no_secondary_hospital_refers_to_the_tier_above():
    # review of the delivery system (session 30), finding 6: a community health centre
    # in a district with no secondary hospital had no way up and the municipal hospital
    # no way down, so every CHC -> M referral was off the pathway with nothing expected.
    # As a secondary hospital falls back to the tertiary tier, a centre now does: its
    # county's public tertiary hospitals, else the system's.
    from ihms.system import parse_system

    path = referral_pathway(parse_system(DISTRICT))
    assert path.up("CHC1") == ("M",)
    assert path.down("M") == ("CHC1",)
    assert path.down("PH") == ()
    other = parse_system(DISTRICT.replace("county: d1}\n  - {id: PH", "county: cap}\n  - {id: PH"))
    assert referral_pathway(other).up("CHC1") == ("M", "PH")  # none in d1: the system's
